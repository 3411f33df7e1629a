import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { notesApi, type Icd10Item } from '../api/notesApi.js';
import { toApiError } from '../api/http.js';
import { fieldId } from './fields.js';
import './Icd10Search.css';

const DEBOUNCE_MS = 250;

/**
 * Picks one ICD-10-CM code by code or words (a combobox with a listbox: arrows move, Enter
 * picks, Escape closes). Category headings are listed but cannot be picked. Once picked, the
 * code is shown with a button to search again.
 */
export function Icd10Search({
  name,
  label,
  hint,
  picked,
  onPick,
  error,
}: {
  name: string;
  label: string;
  hint?: string;
  picked: Icd10Item | null;
  onPick: (item: Icd10Item | null) => void;
  error: string | undefined;
}) {
  const inputId = fieldId(name);
  const listId = useId();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Icd10Item[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const change = useRef<HTMLButtonElement>(null);
  const announcedPick = useRef(false);

  useEffect(() => {
    setActive(-1);
    const text = q.trim();
    if (text.length < 2) {
      setItems([]);
      setOpen(false);
      // The box empties when a code is chosen: keep saying which one.
      if (!announcedPick.current) setStatus('');
      announcedPick.current = false;
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
              : `${r.items.length} codes found. Use the up and down arrows to review them and Enter to choose one.`,
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

  useEffect(() => {
    if (picked) change.current?.focus();
  }, [picked]);

  const pick = (item: Icd10Item | undefined) => {
    if (!item) return;
    if (!item.billable) {
      setStatus(`${item.code} is a category: choose a complete code under it.`);
      return;
    }
    announcedPick.current = q.trim().length >= 2;
    setQ('');
    setOpen(false);
    setStatus(`Chose ${item.code} ${item.title}.`);
    onPick(item);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (items.length === 0) return;
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + step + items.length) % items.length);
    } else if (e.key === 'Enter') {
      // Enter never submits the surrounding form from the search box.
      e.preventDefault();
      if (open && active >= 0) pick(items[active]);
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
    <div className={`field icd-search${error ? ' has-error' : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {picked ? (
        <p className="icd-search-picked">
          <span className="icd-search-code">{picked.code}</span> {picked.title}{' '}
          <button
            ref={change}
            type="button"
            id={inputId}
            className="button secondary small"
            aria-label={`Change the code (${picked.code} chosen)`}
            onClick={() => {
              onPick(null);
              window.setTimeout(() => input.current?.focus(), 0);
            }}
          >
            Change
          </button>
        </p>
      ) : (
        <div className="icd-search-box">
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
            aria-describedby={
              [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined
            }
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
            className="icd-search-list"
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
                <span className="icd-search-code">{item.code}</span> <span>{item.title}</span>
                {item.billable ? null : <span className="icd-search-hint"> — choose a complete code</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className="hint icd-search-status" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
