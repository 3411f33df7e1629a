import { useState } from 'react';
import type {
  ChecklistFieldDef,
  DateFieldDef,
  LongTextFieldDef,
  MultipleChoiceFieldDef,
  NumberFieldDef,
  ScaleFieldDef,
  SingleChoiceFieldDef,
  TextFieldDef,
} from '../../../../src/domain/noteTemplates.js';
import { FieldFrame } from './FieldFrame.js';
import { listOf, numberOf, textOf } from './noteContent.js';

/** What every field control receives from the form. */
export interface FieldProps<F> {
  field: F;
  /** The control's key: "content.<field id>". */
  name: string;
  value: unknown;
  onChange: (value: unknown) => void;
  onBlur: () => void;
  errors: Record<string, string>;
  copied: boolean;
  onConfirmCopied: () => void;
}

function frameProps<F extends { label: string; required: boolean; help?: string }>(p: FieldProps<F>) {
  return {
    name: p.name,
    label: p.field.label,
    required: p.field.required,
    help: p.field.help,
    error: p.errors[p.name],
    copied: p.copied,
    onConfirmCopied: p.onConfirmCopied,
  };
}

export function TextControl(p: FieldProps<TextFieldDef>) {
  return (
    <FieldFrame {...frameProps(p)}>
      {(c) => (
        <input
          type="text"
          {...c}
          name={p.name}
          value={textOf(p.value)}
          maxLength={20_000}
          onChange={(e) => p.onChange(e.target.value)}
          onBlur={p.onBlur}
        />
      )}
    </FieldFrame>
  );
}

export function LongTextControl(p: FieldProps<LongTextFieldDef>) {
  const text = textOf(p.value);
  // Grows with the text so a long narrative stays readable without an inner scroll bar.
  const rows = Math.min(24, Math.max(4, text.split('\n').length + Math.floor(text.length / 90) + 1));
  return (
    <FieldFrame {...frameProps(p)}>
      {(c) => (
        <textarea
          {...c}
          name={p.name}
          rows={rows}
          value={text}
          maxLength={100_000}
          onChange={(e) => p.onChange(e.target.value)}
          onBlur={p.onBlur}
        />
      )}
    </FieldFrame>
  );
}

// Up to this many options show as radio buttons; longer lists as a select.
const RADIO_LIMIT = 6;

export function SingleChoiceControl(p: FieldProps<SingleChoiceFieldDef>) {
  const value = textOf(p.value);
  if (p.field.options.length > RADIO_LIMIT) {
    return (
      <FieldFrame {...frameProps(p)}>
        {(c) => (
          <select
            {...c}
            name={p.name}
            value={value}
            onChange={(e) => p.onChange(e.target.value === '' ? null : e.target.value)}
            onBlur={p.onBlur}
          >
            <option value="">Not chosen</option>
            {p.field.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
    );
  }
  return (
    <FieldFrame {...frameProps(p)} group>
      {(c) => (
        <div className="choice-list" onBlur={p.onBlur}>
          {p.field.options.map((o, i) => (
            <label key={o.value} className="choice">
              <input
                type="radio"
                id={i === 0 ? c.id : undefined}
                name={p.name}
                value={o.value}
                checked={value === o.value}
                onChange={() => p.onChange(o.value)}
              />
              {o.label}
            </label>
          ))}
          {value !== '' && !p.field.required ? (
            <button type="button" className="button link small" onClick={() => p.onChange(null)}>
              Clear choice
            </button>
          ) : null}
        </div>
      )}
    </FieldFrame>
  );
}

/** Multiple choice and checklist: a list of checkboxes storing the ticked values in list order. */
export function CheckboxListControl(p: FieldProps<MultipleChoiceFieldDef | ChecklistFieldDef>) {
  const items = p.field.kind === 'checklist' ? p.field.items : p.field.options;
  const ticked = new Set(listOf(p.value));
  const toggle = (v: string, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(v);
    else next.delete(v);
    p.onChange(items.map((o) => o.value).filter((x) => next.has(x)));
  };
  return (
    <FieldFrame {...frameProps(p)} group>
      {(c) => (
        <div className="choice-list" onBlur={p.onBlur}>
          {items.map((o, i) => (
            <label key={o.value} className="choice">
              <input
                type="checkbox"
                id={i === 0 ? c.id : undefined}
                name={p.name}
                value={o.value}
                checked={ticked.has(o.value)}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              {o.label}
            </label>
          ))}
        </div>
      )}
    </FieldFrame>
  );
}

export function ScaleControl(p: FieldProps<ScaleFieldDef>) {
  const value = numberOf(p.value);
  const { min, max, minLabel, maxLabel } = p.field;
  const ends = [minLabel ? `${min} = ${minLabel}` : null, maxLabel ? `${max} = ${maxLabel}` : null]
    .filter(Boolean)
    .join(', ');
  const help = [p.field.help, ends].filter(Boolean).join('. ');
  const points = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return (
    <FieldFrame {...frameProps(p)} help={help || undefined} group>
      {(c) => (
        <div className="scale-row" onBlur={p.onBlur}>
          {points.map((n, i) => (
            <label key={n} className="scale-point">
              <input
                type="radio"
                id={i === 0 ? c.id : undefined}
                name={p.name}
                value={n}
                checked={value === n}
                onChange={() => p.onChange(n)}
              />
              <span>{n}</span>
            </label>
          ))}
        </div>
      )}
    </FieldFrame>
  );
}

export function DateControl(p: FieldProps<DateFieldDef>) {
  return (
    <FieldFrame {...frameProps(p)} className="narrow">
      {(c) => (
        <input
          type="date"
          {...c}
          name={p.name}
          value={textOf(p.value)}
          onChange={(e) => p.onChange(e.target.value === '' ? null : e.target.value)}
          onBlur={p.onBlur}
        />
      )}
    </FieldFrame>
  );
}

export function NumberControl(p: FieldProps<NumberFieldDef>) {
  const stored = numberOf(p.value);
  // The text as typed ("-", "1.") is kept here; only a complete number reaches the note.
  const [text, setText] = useState(stored === null ? '' : String(stored));
  const [bad, setBad] = useState(false);
  const change = (t: string) => {
    setText(t);
    if (t.trim() === '') {
      setBad(false);
      p.onChange(null);
      return;
    }
    const n = Number(t);
    const ok = Number.isFinite(n) && (p.field.integer !== true || Number.isInteger(n));
    setBad(!ok);
    if (ok) p.onChange(n);
  };
  const error =
    p.errors[p.name] ?? (bad ? (p.field.integer ? 'Enter a whole number' : 'Enter a number') : undefined);
  return (
    <FieldFrame {...frameProps(p)} error={error} className="narrow">
      {(c) => (
        <input
          type="text"
          inputMode={p.field.integer ? 'numeric' : 'decimal'}
          {...c}
          name={p.name}
          value={text}
          onChange={(e) => change(e.target.value)}
          onBlur={p.onBlur}
        />
      )}
    </FieldFrame>
  );
}
