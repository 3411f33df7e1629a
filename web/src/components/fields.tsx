import type { ChangeEvent, InputHTMLAttributes, ReactNode } from 'react';

export type FieldErrors = Record<string, string>;

/** DOM id for a field key ("owner.password" -> "f-owner-password"); error summaries link to it. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function describedBy(name: string, hint: ReactNode, error: string | undefined): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : null, error ? `${fieldId(name)}-error` : null].filter(
    Boolean,
  );
  return ids.length ? ids.join(' ') : undefined;
}

function FieldMessages({ name, hint, error }: { name: string; hint: ReactNode; error: string | undefined }) {
  return (
    <>
      {hint ? (
        <p className="hint" id={`${fieldId(name)}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${fieldId(name)}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
    </>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'name' | 'id'>;

export function TextField({
  name,
  label,
  value,
  onChange,
  errors,
  hint,
  className,
  ...rest
}: InputProps & {
  name: string;
  label: ReactNode;
  value: string;
  onChange: (v: string) => void;
  errors?: FieldErrors;
  hint?: ReactNode;
}) {
  const error = errors?.[name];
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={fieldId(name)}>
        {label}
        {rest.required ? null : <span className="optional"> (optional)</span>}
      </label>
      <FieldMessages name={name} hint={hint} error={error} />
      <input
        id={fieldId(name)}
        name={name}
        value={value}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
        {...rest}
      />
    </div>
  );
}

export function TextArea({
  name,
  label,
  value,
  onChange,
  errors,
  hint,
  rows = 4,
  required,
}: {
  name: string;
  label: ReactNode;
  value: string;
  onChange: (v: string) => void;
  errors?: FieldErrors;
  hint?: ReactNode;
  rows?: number;
  required?: boolean;
}) {
  const error = errors?.[name];
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={fieldId(name)}>
        {label}
        {required ? null : <span className="optional"> (optional)</span>}
      </label>
      <FieldMessages name={name} hint={hint} error={error} />
      <textarea
        id={fieldId(name)}
        name={name}
        rows={rows}
        value={value}
        required={required}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
    </div>
  );
}

export function SelectField<T extends string>({
  name,
  label,
  value,
  onChange,
  options,
  errors,
  hint,
  required,
  className,
}: {
  name: string;
  label: ReactNode;
  value: T;
  onChange: (v: T) => void;
  options: readonly { value: T; label: string }[];
  errors?: FieldErrors;
  hint?: ReactNode;
  required?: boolean;
  className?: string;
}) {
  const error = errors?.[name];
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={fieldId(name)}>
        {label}
        {required ? null : <span className="optional"> (optional)</span>}
      </label>
      <FieldMessages name={name} hint={hint} error={error} />
      <select
        id={fieldId(name)}
        name={name}
        value={value}
        required={required}
        onChange={(e) => onChange(e.target.value as T)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField({
  name,
  label,
  checked,
  onChange,
  errors,
  hint,
}: {
  name: string;
  label: ReactNode;
  checked: boolean;
  onChange: (v: boolean) => void;
  errors?: FieldErrors;
  hint?: ReactNode;
}) {
  const error = errors?.[name];
  return (
    <div className={`field checkbox${error ? ' has-error' : ''}`}>
      <input
        type="checkbox"
        id={fieldId(name)}
        name={name}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
      <label htmlFor={fieldId(name)}>{label}</label>
      <FieldMessages name={name} hint={hint} error={error} />
    </div>
  );
}
