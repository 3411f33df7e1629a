import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { notesApi, type Icd10Item } from '../../api/notesApi.js';
import { toApiError } from '../../api/http.js';
import { fieldId } from '../../components/fields.js';
import type { Diagnosis } from './draftModel.js';

const MAX_DIAGNOSES = 12;
const DEBOUNCE_MS = 250;

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
  const name = 'diagnosisCodes';
  const inputId = fieldId(name);
  const listId = useId();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Icd10Item[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Until the new results arrive, Enter must not pick from the list of the previous text.
    setActive(-1);
    const text = q.trim();
    if (text.length < 2) {
      setItems([]);
      setOpen(false);
      setStatus('');
      return undefined;
    }
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      setStatus('Searching…');
      notesApi
        .searchIcd10(text, ctrl.signal)
        .then((r) => {
          setItems(r.items);
          setOpen(true);
          setActive(r.items.findIndex((i) => i.billable));
          setStatus(
            r.items.length === 0
              ? 'No ICD-10-CM codes match.'
              : `${r.items.length} codes found. Use the up and down arrows to review them and Enter to add one.`,
          );
        })
        .catch((err: unknown) => {
          if (err instanceof DOMException && err.name === 'AbortError') return;
          setItems([]);
          setOpen(false);
          setStatus(`The search did not work: ${toApiError(err).detail}`);
        });
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      ctrl.abort();
    };
  }, [q]);

  const pick = (item: Icd10Item | undefined) => {
    if (!item) return;
    if (!item.billable) {
      setStatus(`${item.code} is a category: choose a complete code under it.`);
      return;
    }
    if (diagnoses.some((d) => d.code === item.code)) {
      setStatus(`${item.code} is already on this note.`);
      return;
    }
    if (diagnoses.length >= MAX_DIAGNOSES) {
      setStatus(`A note holds at most ${MAX_DIAGNOSES} diagnoses.`);
      return;
    }
    onChange([...diagnoses, { code: item.code, title: item.title }]);
    setQ('');
    setOpen(false);
    setStatus(`Added ${item.code} ${item.title}.`);
    input.current?.focus();
  };

  const remove = (code: string) => {
    onChange(diagnoses.filter((d) => d.code !== code));
    setStatus(`Removed ${code}.`);
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (items.length === 0) return;
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + step + items.length) % items.length);
    } else if (e.key === 'Enter') {
      if (open && active >= 0) {
        e.preventDefault();
        pick(items[active]);
      }
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        setOpen(false);
      } else setQ('');
    }
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;
  const activeItem = open && active >= 0 ? items[active] : undefined;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
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
      <div className="combobox">
        <input
          ref={input}
          id={inputId}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={open && items.length > 0}
          aria-controls={listId}
          aria-activedescendant={activeItem ? optionId(active) : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hintId, error ? errorId : null].filter(Boolean).join(' ')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          onFocus={() => items.length > 0 && setOpen(true)}
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="Matching ICD-10-CM codes"
          className="listbox"
          hidden={!open || items.length === 0}
        >
          {items.map((item, i) => (
            <li
              key={item.code}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              aria-disabled={item.billable ? undefined : true}
              className={`${i === active ? 'active' : ''}${item.billable ? '' : ' disabled'}`}
              // Keeps focus in the input so the pick happens before the blur closes the list.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(item)}
            >
              <span className="option-code">{item.code}</span>{' '}
              <span className="option-title">{item.title}</span>
              {item.billable ? null : <span className="option-hint"> — choose a complete code</span>}
            </li>
          ))}
        </ul>
      </div>
      <p className="hint picker-status" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
