import { TextField, fieldId } from './fields.js';
import './ParticipantsField.css';

const MAX_PARTICIPANTS = 12;

/** Others present besides the client and clinician, by role ("mother", "interpreter"), never by name. */
export function ParticipantsField({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (next: string[]) => void;
  error: string | undefined;
}) {
  return (
    <fieldset className={`choice-group${error ? ' has-error' : ''}`}>
      <legend>Others present</legend>
      <p className="hint">Anyone besides the client and clinician, by role: mother, partner, interpreter.</p>
      {error ? (
        <p className="field-error" id={`${fieldId('otherParticipants')}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {value.length === 0 ? <p className="muted">Nobody else.</p> : null}
      {value.map((p, i) => (
        <div key={i} className="participant-row">
          <TextField
            name={i === 0 ? 'otherParticipants' : `otherParticipants.${i}`}
            label={`Person ${i + 1} (role)`}
            value={p}
            onChange={(v) => onChange(value.map((x, j) => (j === i ? v : x)))}
            maxLength={100}
            required
            // A person just added gets the cursor.
            autoFocus={i === value.length - 1 && p === ''}
          />
          <button
            type="button"
            className="button link danger"
            onClick={() => onChange(value.filter((_, j) => j !== i))}
            aria-label={`Remove person ${i + 1}${p ? ` (${p})` : ''}`}
          >
            Remove
          </button>
        </div>
      ))}
      {value.length < MAX_PARTICIPANTS ? (
        <button type="button" className="button secondary small" onClick={() => onChange([...value, ''])}>
          Add a person
        </button>
      ) : null}
    </fieldset>
  );
}
