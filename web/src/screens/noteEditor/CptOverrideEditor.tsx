import { useEffect, useState } from 'react';
import { notesApi, type CptCodeOption, type NoteView } from '../../api/notesApi.js';
import { fieldId } from '../../components/fields.js';
import { overrideInput, type FactsDraft, type OverrideCodeDraft } from './draftModel.js';

type Facts = NoteView['sessionFacts'];

/** "90834 × 2 (95, GT)" */
export function cptText(codes: Facts['cpt']): string {
  if (codes.length === 0) return 'None';
  return codes
    .map(
      (c) =>
        `${c.code}${c.units > 1 ? ` × ${c.units}` : ''}${c.modifiers.length ? ` (${c.modifiers.join(', ')})` : ''}`,
    )
    .join(', ');
}

/** The clinician's own CPT codes in place of the suggestion; saved only once it has a reason. */
export function CptOverrideEditor({
  override,
  suggested,
  errors,
  onChange,
  onBlur,
}: {
  override: NonNullable<FactsDraft['override']>;
  suggested: Facts['cpt'];
  errors: Record<string, string>;
  onChange: (next: FactsDraft['override']) => void;
  onBlur: () => void;
}) {
  const setCode = (i: number, patch: Partial<OverrideCodeDraft>) =>
    onChange({ ...override, codes: override.codes.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const check = overrideInput(override);
  const [known, setKnown] = useState<CptCodeOption[]>([]);
  useEffect(() => {
    let live = true;
    // Suggestions only: the server checks the code whatever is typed.
    notesApi
      .cptCodes()
      .then((r) => live && setKnown(r.items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  const reasonName = 'sessionFacts.cptOverride';
  return (
    <fieldset className="override" aria-describedby="override-hint">
      <legend>Override the CPT code</legend>
      <p className="hint" id="override-hint">
        Suggested: {cptText(suggested)}. Your codes replace the suggestion on this note and its claim.
      </p>
      {override.codes.map((c, i) => (
        <div className="override-row" key={i}>
          <div className="field">
            <label htmlFor={`override-code-${i}`}>Code {i + 1}</label>
            <input
              id={`override-code-${i}`}
              type="text"
              inputMode="numeric"
              maxLength={5}
              list="cpt-code-suggestions"
              autoComplete="off"
              value={c.code}
              onChange={(e) => setCode(i, { code: e.target.value })}
              onBlur={onBlur}
            />
          </div>
          <div className="field">
            <label htmlFor={`override-units-${i}`}>Units</label>
            <input
              id={`override-units-${i}`}
              type="text"
              inputMode="numeric"
              maxLength={2}
              value={c.units}
              onChange={(e) => setCode(i, { units: e.target.value })}
              onBlur={onBlur}
            />
          </div>
          <div className="field">
            <label htmlFor={`override-modifiers-${i}`}>Modifiers</label>
            <input
              id={`override-modifiers-${i}`}
              type="text"
              value={c.modifiers}
              placeholder="e.g. 95"
              onChange={(e) => setCode(i, { modifiers: e.target.value })}
              onBlur={onBlur}
            />
          </div>
          {override.codes.length > 1 ? (
            <button
              type="button"
              className="button link danger"
              onClick={() => onChange({ ...override, codes: override.codes.filter((_, j) => j !== i) })}
            >
              Remove<span className="visually-hidden"> code {i + 1}</span>
            </button>
          ) : null}
        </div>
      ))}
      <datalist id="cpt-code-suggestions">
        {known.map((k) => (
          <option key={k.code} value={k.code}>
            {k.label}
          </option>
        ))}
      </datalist>
      {override.codes.length < 4 ? (
        <button
          type="button"
          className="button link"
          onClick={() =>
            onChange({ ...override, codes: [...override.codes, { code: '', units: '1', modifiers: '' }] })
          }
        >
          Add another code
        </button>
      ) : null}
      <div className={`field${errors[reasonName] ? ' has-error' : ''}`}>
        <label htmlFor={fieldId(reasonName)}>
          Reason for the override <span className="required-mark">(required)</span>
        </label>
        {errors[reasonName] ? (
          <p className="field-error" id={`${fieldId(reasonName)}-error`}>
            <span className="visually-hidden">Error: </span>
            {errors[reasonName]}
          </p>
        ) : null}
        <textarea
          id={fieldId(reasonName)}
          rows={2}
          value={override.reason}
          aria-required
          aria-invalid={errors[reasonName] ? true : undefined}
          aria-describedby={errors[reasonName] ? `${fieldId(reasonName)}-error` : undefined}
          onChange={(e) => onChange({ ...override, reason: e.target.value })}
          onBlur={onBlur}
        />
      </div>
      {!check.ok ? (
        <p className="hint override-pending" role="status">
          Not saved yet: {check.message.toLowerCase()}.
        </p>
      ) : null}
      <button type="button" className="button secondary small" onClick={() => onChange(null)}>
        Use the suggested code
      </button>
    </fieldset>
  );
}
