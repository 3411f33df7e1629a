import type { MentalStatusExamFieldDef } from '../../../../src/domain/noteTemplates.js';
import { fieldId } from '../../components/fields.js';
import type { NoteOptions } from '../../api/notesApi.js';
import { FieldFrame } from './FieldFrame.js';
import { mseOf } from './noteContent.js';
import type { FieldProps } from './SimpleFields.js';

/** Eleven free-text domains, each with a list of common findings to pick from or adapt. */
export function MentalStatusExamField(p: FieldProps<MentalStatusExamFieldDef> & { options: NoteOptions }) {
  const m = mseOf(p.value);
  return (
    <FieldFrame
      name={p.name}
      label={p.field.label}
      required={p.field.required}
      help={p.field.help ?? 'Type your own words or pick a common finding from the suggestions.'}
      error={p.errors[p.name]}
      copied={p.copied}
      onConfirmCopied={p.onConfirmCopied}
      group
      className="mse-block"
    >
      {() => (
        <div className="mse-grid" onBlur={p.onBlur}>
          {p.options.mseDomains.map((d) => {
            const name = `${p.name}.${d.domain}`;
            const id = fieldId(name);
            const error = p.errors[name];
            return (
              <div key={d.domain} className={`field${error ? ' has-error' : ''}`}>
                <label htmlFor={id}>{d.label}</label>
                {error ? (
                  <p className="field-error" id={`${id}-error`}>
                    <span className="visually-hidden">Error: </span>
                    {error}
                  </p>
                ) : null}
                <input
                  type="text"
                  id={id}
                  name={name}
                  list={`${id}-suggestions`}
                  autoComplete="off"
                  value={m[d.domain] ?? ''}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  aria-required={p.field.required ? true : undefined}
                  onChange={(e) => p.onChange({ ...m, [d.domain]: e.target.value })}
                />
                <datalist id={`${id}-suggestions`}>
                  {d.options.map((o) => (
                    <option key={o} value={o} />
                  ))}
                </datalist>
              </div>
            );
          })}
        </div>
      )}
    </FieldFrame>
  );
}
