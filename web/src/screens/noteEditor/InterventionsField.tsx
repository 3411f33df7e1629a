import type { InterventionsFieldDef } from '../../../../src/domain/noteTemplates.js';
import { fieldId } from '../../components/fields.js';
import type { NoteOptions } from '../../api/notesApi.js';
import { FieldFrame } from './FieldFrame.js';
import { interventionsOf } from './noteContent.js';
import type { FieldProps } from './SimpleFields.js';

/** The techniques used this session: a checkbox list, plus anything else in the clinician's words. */
export function InterventionsField(p: FieldProps<InterventionsFieldDef> & { options: NoteOptions }) {
  const v = interventionsOf(p.value);
  const selectedName = `${p.name}.selected`;
  const otherName = `${p.name}.other`;
  const selectedError = p.errors[selectedName];
  const toggle = (value: string, on: boolean) => {
    const next = new Set(v.selected);
    if (on) next.add(value);
    else next.delete(value);
    // Kept in the list's order so the note reads the same however they were ticked.
    const known = p.options.interventions.map((o) => o.value);
    const ordered = [...known.filter((x) => next.has(x)), ...[...next].filter((x) => !known.includes(x))];
    p.onChange({ ...v, selected: ordered });
  };
  return (
    <FieldFrame
      name={p.name}
      label={p.field.label}
      required={p.field.required}
      help={p.field.help}
      error={p.errors[p.name]}
      copied={p.copied}
      onConfirmCopied={p.onConfirmCopied}
      group
      className="interventions-block"
    >
      {() => (
        <div onBlur={p.onBlur}>
          <div
            className={`checkbox-columns${selectedError ? ' has-error' : ''}`}
            id={fieldId(selectedName)}
            tabIndex={-1}
            role="group"
            aria-label={`${p.field.label}: techniques`}
            aria-describedby={selectedError ? `${fieldId(selectedName)}-error` : undefined}
          >
            {selectedError ? (
              <p className="field-error" id={`${fieldId(selectedName)}-error`}>
                <span className="visually-hidden">Error: </span>
                {selectedError}
              </p>
            ) : null}
            {p.options.interventions.map((o) => (
              <label key={o.value} className="choice">
                <input
                  type="checkbox"
                  name={selectedName}
                  value={o.value}
                  checked={v.selected.includes(o.value)}
                  onChange={(e) => toggle(o.value, e.target.checked)}
                />
                {o.label}
              </label>
            ))}
          </div>
          <div className={`field${p.errors[otherName] ? ' has-error' : ''}`}>
            <label htmlFor={fieldId(otherName)}>
              Other interventions <span className="optional">(optional)</span>
            </label>
            {p.errors[otherName] ? (
              <p className="field-error" id={`${fieldId(otherName)}-error`}>
                <span className="visually-hidden">Error: </span>
                {p.errors[otherName]}
              </p>
            ) : null}
            <input
              type="text"
              id={fieldId(otherName)}
              name={otherName}
              value={v.other}
              aria-invalid={p.errors[otherName] ? true : undefined}
              aria-describedby={p.errors[otherName] ? `${fieldId(otherName)}-error` : undefined}
              onChange={(e) => p.onChange({ ...v, other: e.target.value })}
            />
          </div>
        </div>
      )}
    </FieldFrame>
  );
}
