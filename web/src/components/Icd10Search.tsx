import { useEffect, useRef } from 'react';
import type { Icd10Item } from '../api/notesApi.js';
import { Icd10Listbox } from './Icd10Listbox.js';
import { useIcd10Search } from './useIcd10Search.js';
import './Icd10Search.css';

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
  const change = useRef<HTMLButtonElement>(null);
  const { input, comboboxProps, listbox, status, hintId, errorId, inputId } = useIcd10Search({
    name,
    pickVerb: 'choose',
    enterNeverSubmits: true,
    keepPickAnnouncement: true,
    onChoose: (item, { finish }) => {
      finish(`Chose ${item.code} ${item.title}.`);
      onPick(item);
    },
  });

  useEffect(() => {
    if (picked) change.current?.focus();
  }, [picked]);

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
          <span className="icd-search-code icd-code">{picked.code}</span> {picked.title}{' '}
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
        <div className="icd-search-box icd-combobox">
          <input
            {...comboboxProps}
            aria-invalid={error ? true : undefined}
            aria-describedby={
              [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined
            }
          />
          <Icd10Listbox
            {...listbox}
            classes={{ list: 'icd-search-list', code: 'icd-search-code', hint: 'icd-search-hint' }}
          />
        </div>
      )}
      <p className="hint icd-search-status" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
