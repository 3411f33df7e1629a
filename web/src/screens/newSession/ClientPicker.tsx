import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import type { ClientListItem } from '../../api/types.js';
import { fieldId } from '../../components/fields.js';

export interface PickedClient {
  id: string;
  name: string;
  code: string;
}

/**
 * Finds clients by name or code (the search text goes in a POST body, never the URL) and keeps
 * the chosen ones. A single-client service replaces the choice; a group adds to it.
 */
export function ClientPicker({
  picked,
  onChange,
  multiple,
  error,
}: {
  picked: PickedClient[];
  onChange: (next: PickedClient[]) => void;
  multiple: boolean;
  error: string | undefined;
}) {
  const [search, setSearch] = useState('');
  const [results, setResults] = useState<ClientListItem[]>([]);
  const [status, setStatus] = useState('');
  const requestNo = useRef(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = fieldId('clientIds');

  useEffect(() => {
    const text = search.trim();
    if (text.length < 2) {
      setResults([]);
      setStatus('');
      return undefined;
    }
    const ctrl = new AbortController();
    const n = ++requestNo.current;
    const t = window.setTimeout(() => {
      api
        .listClients(
          { search: text, status: 'active', sort: 'name', direction: 'asc', limit: 8 },
          ctrl.signal,
        )
        .then((r) => {
          if (n !== requestNo.current) return;
          setResults(r.items);
          setStatus(
            r.items.length === 0
              ? 'No active clients match.'
              : `${r.items.length}${r.nextCursor ? ' or more' : ''} client${r.items.length === 1 ? '' : 's'} found.`,
          );
        })
        .catch((err: unknown) => {
          if (err instanceof DOMException && err.name === 'AbortError') return;
          setStatus(toApiError(err).detail);
        });
    }, 250);
    return () => {
      window.clearTimeout(t);
      ctrl.abort();
    };
  }, [search]);

  const choose = (c: ClientListItem) => {
    const item = { id: c.id, name: c.displayName, code: c.clientCode };
    onChange(multiple ? [...picked.filter((p) => p.id !== c.id), item] : [item]);
    setSearch('');
    inputRef.current?.focus();
  };

  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={`field client-picker${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{multiple ? 'Clients' : 'Client'}</label>
      <p className="hint" id={`${id}-hint`}>
        Type at least two letters of a name, or a client code.
        {multiple ? ' Add each member of the group.' : ''}
      </p>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {picked.length ? (
        <ul className="picked-clients" aria-label={multiple ? 'Chosen clients' : 'Chosen client'}>
          {picked.map((p) => (
            <li key={p.id}>
              <span className="picked-name">{p.name}</span> <code className="muted">{p.code}</code>
              <button
                type="button"
                className="button link danger"
                onClick={() => onChange(picked.filter((x) => x.id !== p.id))}
                aria-label={`Remove ${p.name}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <input
        id={id}
        ref={inputRef}
        type="search"
        autoComplete="off"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        placeholder={picked.length && !multiple ? 'Search to choose another client' : 'Name or code'}
      />
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {results.length ? (
        <ul className="client-results" aria-label="Matching clients">
          {results.map((c) => (
            <li key={c.id}>
              <button type="button" className="client-result" onClick={() => choose(c)}>
                <span className="picked-name">{c.displayName}</span>
                <span className="muted">
                  {' '}
                  · {c.clientCode}
                  {c.dateOfBirth ? ` · born ${c.dateOfBirth}` : ''}
                </span>
                <span className="visually-hidden">{multiple ? ', add' : ', choose'}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : search.trim().length >= 2 && status ? (
        <p className="muted">{status}</p>
      ) : null}
    </div>
  );
}
