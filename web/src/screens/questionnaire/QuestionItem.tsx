import { fieldId } from '../../components/fields.js';

export interface ItemOption {
  value: number;
  label: string;
}

/** One question as a radio group: arrow keys move between answers, Tab to the next question. */
export function QuestionItem({
  name,
  number,
  text,
  options,
  value,
  onChange,
  error,
}: {
  /** The answers key, e.g. "q4"; errors and the error summary use "answers.q4". */
  name: string;
  number: number | null;
  text: string;
  options: readonly ItemOption[];
  value: number | undefined;
  onChange: (v: number) => void;
  error: string | undefined;
}) {
  const key = `answers.${name}`;
  const errorId = `${fieldId(key)}-error`;
  return (
    <fieldset
      className={`q-item${error ? ' has-error' : ''}${value !== undefined ? ' answered' : ''}`}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>
        {number !== null ? <span className="q-number">{number}.</span> : null}
        <span className="q-text">{text}</span>
      </legend>
      {error ? (
        <p className="field-error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <div className="q-options">
        {options.map((o, i) => (
          <label key={o.value} className={`q-option${value === o.value ? ' chosen' : ''}`}>
            <input
              type="radio"
              name={name}
              value={o.value}
              // The first answer carries the field id, so the error summary can move focus here.
              id={i === 0 ? fieldId(key) : undefined}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
              aria-invalid={error ? true : undefined}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
