import type { ReactNode } from 'react';
import { fieldId } from '../../components/fields.js';

/** What a control inside a frame needs to be labelled and described. */
export interface ControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
  'aria-required': true | undefined;
}

export function RequiredMark({ required, why }: { required: boolean; why?: string }) {
  if (!required) return <span className="optional"> (optional)</span>;
  return <span className="required-mark"> {why ? `(required ${why})` : '(required)'}</span>;
}

/**
 * One field of a note: label (or legend for a group of controls), help text, the error beside
 * it, and the "copied from last note" mark. Ids follow fieldId(name) so the error summary's
 * links land on the control.
 */
export function FieldFrame({
  name,
  label,
  required,
  requiredWhy,
  help,
  error,
  copied,
  onConfirmCopied,
  group = false,
  className,
  children,
}: {
  name: string;
  label: ReactNode;
  required: boolean;
  requiredWhy?: string;
  help?: ReactNode;
  error?: string | undefined;
  copied?: boolean;
  onConfirmCopied?: () => void;
  group?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = fieldId(name);
  const ids = [
    help ? `${id}-hint` : null,
    copied ? `${id}-copied` : null,
    error ? `${id}-error` : null,
  ].filter((x): x is string => x !== null);
  const describedBy = ids.length > 0 ? ids.join(' ') : undefined;
  const classes = ['field', 'note-field'];
  if (error) classes.push('has-error');
  if (copied) classes.push('copied');
  if (className) classes.push(className);
  const messages = (
    <>
      {copied ? (
        <p className="copied-badge" id={`${id}-copied`}>
          <span>Copied from last note — edit or confirm</span>
          {onConfirmCopied ? (
            <button type="button" className="button link small" onClick={onConfirmCopied}>
              Confirm
              <span className="visually-hidden"> {typeof label === 'string' ? label : ''}</span>
            </button>
          ) : null}
        </p>
      ) : null}
      {help ? (
        <p className="hint" id={`${id}-hint`}>
          {help}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
    </>
  );
  const control: ControlProps = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    'aria-required': required ? true : undefined,
  };
  if (group) {
    // A group is focusable (tabIndex -1) so an error link can move focus to it.
    return (
      <fieldset
        className={classes.join(' ')}
        id={id}
        tabIndex={-1}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      >
        <legend>
          {label}
          <RequiredMark required={required} {...(requiredWhy ? { why: requiredWhy } : {})} />
        </legend>
        {messages}
        {children({ ...control, id: `${id}-control` })}
      </fieldset>
    );
  }
  return (
    <div className={classes.join(' ')}>
      <label htmlFor={id}>
        {label}
        <RequiredMark required={required} {...(requiredWhy ? { why: requiredWhy } : {})} />
      </label>
      {messages}
      {children(control)}
    </div>
  );
}
