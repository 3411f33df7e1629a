import { Icd10Listbox } from '../../components/Icd10Listbox.js';
import { useIcd10Search } from '../../components/useIcd10Search.js';
import type { Diagnosis } from './draftModel.js';

const MAX_DIAGNOSES = 12;

/**
 * ICD-10-CM search as you type (a combobox with a listbox: arrows move, Enter picks, Escape
 * closes). Category headings are listed but cannot be picked: a note takes complete codes only.
 */
export function DiagnosisPicker({
  diagnoses,
  onChange,
  error,
}: {
  diagnoses: readonly Diagnosis[];
  onChange: (next: Diagnosis[]) => void;
  error: string | undefined;
}) {
  const { input, comboboxProps, listbox, status, setStatus, hintId, errorId, inputId } = useIcd10Search({
    name: 'diagnosisCodes',
    pickVerb: 'add',
    enterNeverSubmits: false,
    keepPickAnnouncement: false,
    onChoose: (item, { finish, say }) => {
      if (diagnoses.some((d) => d.code === item.code)) {
        say(`${item.code} is already on this note.`);
        return;
      }
      if (diagnoses.length >= MAX_DIAGNOSES) {
        say(`A note holds at most ${MAX_DIAGNOSES} diagnoses.`);
        return;
      }
      onChange([...diagnoses, { code: item.code, title: item.title }]);
      finish(`Added ${item.code} ${item.title}.`);
      input.current?.focus();
    },
  });

  const remove = (code: string) => {
    onChange(diagnoses.filter((d) => d.code !== code));
    setStatus(`Removed ${code}.`);
    input.current?.focus();
  };

  return (
    <div className={`field diagnosis-picker${error ? ' has-error' : ''}`}>
      <label htmlFor={inputId}>Add a diagnosis (ICD-10-CM)</label>
      <p className="hint" id={hintId}>
        Type a code such as F41.1 or words such as &ldquo;generalized anxiety&rdquo;. The first diagnosis is
        the primary one.
      </p>
      {error ? (
        <p className="field-error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {diagnoses.length > 0 ? (
        <ul className="chips" aria-label="Diagnoses on this note">
          {diagnoses.map((d, i) => (
            <li key={d.code} className="chip">
              <span className="chip-code">{d.code}</span>
              <span className="chip-title">{d.title}</span>
              {i === 0 ? <span className="chip-primary">Primary</span> : null}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${d.code} ${d.title}`}
                onClick={() => remove(d.code)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted no-diagnoses">No diagnosis yet.</p>
      )}
      <div className="combobox icd-combobox">
        <input
          {...comboboxProps}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hintId, error ? errorId : null].filter(Boolean).join(' ')}
        />
        <Icd10Listbox
          {...listbox}
          classes={{ list: 'listbox', code: 'option-code', title: 'option-title', hint: 'option-hint' }}
        />
      </div>
      <p className="hint picker-status" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
