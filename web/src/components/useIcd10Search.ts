import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { notesApi, type Icd10Item } from '../api/notesApi.js';
import { toApiError } from '../api/http.js';
import { fieldId } from './fields.js';

const DEBOUNCE_MS = 250;

/** What a search box does with a complete code the user picked. */
export type Icd10Choose = (
  item: Icd10Item,
  helpers: {
    /** Empties the box, closes the list and announces `status`. */
    finish: (status: string) => void;
    /** Announces `status` and leaves the box as it is (the pick was refused). */
    say: (status: string) => void;
  },
) => void;

/**
 * The ICD-10-CM search as you type shared by the one-code search and the note's diagnosis picker:
 * a debounced query to /api/v1/codes/icd10, the results, the status line and the combobox keys
 * (arrows move, Enter picks, Escape closes). Category headings cannot be picked.
 */
export function useIcd10Search({
  name,
  pickVerb,
  onChoose,
  enterNeverSubmits,
  keepPickAnnouncement,
}: {
  name: string;
  /** Ends the "codes found" announcement: "… and Enter to {pickVerb} one." */
  pickVerb: string;
  onChoose: Icd10Choose;
  /** Enter in the box never submits the surrounding form (otherwise only when it picks). */
  enterNeverSubmits: boolean;
  /** Keeps the "picked" announcement when the box empties after a pick. */
  keepPickAnnouncement: boolean;
}) {
  const inputId = fieldId(name);
  const listId = useId();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Icd10Item[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const announcedPick = useRef(false);

  useEffect(() => {
    // Until the new results arrive, Enter must not pick from the list of the previous text.
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
              : `${r.items.length} codes found. Use the up and down arrows to review them and Enter to ${pickVerb} one.`,
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
  }, [q, pickVerb]);

  const finish = (message: string) => {
    announcedPick.current = keepPickAnnouncement && q.trim().length >= 2;
    setQ('');
    setOpen(false);
    setStatus(message);
  };

  const pick = (item: Icd10Item | undefined) => {
    if (!item) return;
    if (!item.billable) {
      setStatus(`${item.code} is a category: choose a complete code under it.`);
      return;
    }
    onChoose(item, { finish, say: setStatus });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (items.length === 0) return;
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + step + items.length) % items.length);
    } else if (e.key === 'Enter') {
      const picking = open && active >= 0;
      if (enterNeverSubmits || picking) e.preventDefault();
      if (picking) pick(items[active]);
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        setOpen(false);
      } else setQ('');
    }
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;
  const activeItem = open && active >= 0 ? items[active] : undefined;
  const expanded = open && items.length > 0;
  /** The combobox attributes both boxes share (add aria-invalid and aria-describedby). */
  const comboboxProps = {
    ref: input,
    id: inputId,
    type: 'text',
    role: 'combobox',
    autoComplete: 'off',
    spellCheck: false,
    'aria-autocomplete': 'list',
    'aria-expanded': expanded,
    'aria-controls': listId,
    'aria-activedescendant': activeItem ? optionId(active) : undefined,
    value: q,
    onChange: (e: { target: { value: string } }) => setQ(e.target.value),
    onKeyDown,
    onBlur: () => setOpen(false),
    onFocus: () => items.length > 0 && setOpen(true),
  } as const;

  return {
    inputId,
    hintId: `${inputId}-hint`,
    errorId: `${inputId}-error`,
    input,
    comboboxProps,
    listbox: { id: listId, items, active, hidden: !expanded, optionId, onPick: pick },
    status,
    setStatus,
  };
}
