import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { NoteKind } from '../../../../src/domain/noteTemplates.js';
import { api } from '../../api/casebookApi.js';
import { chartApi, type NoteSearchHit, type NoteSearchInput } from '../../api/chartApi.js';
import type { ClientListItem } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { formatDate } from '../../components/dateFormat.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { PagedResults } from '../../components/PagedResults.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link } from '../../router.js';
import { NOTE_KIND_CHOICES, noteTitle } from '../templates/noteOptions.js';
import './noteSearch.css';

const STATUS_LABELS: Record<NoteSearchHit['status'], string> = {
  draft: 'Draft',
  awaiting_cosign: 'Awaiting co-signature',
  returned: 'Returned for changes',
  signed: 'Signed',
};

const LABELS = { text: 'Words', clientId: 'Client', from: 'From', to: 'To', kinds: 'Kinds of note' };

interface SearchState {
  text: string;
  clientId: string;
  clientLabel: string;
  from: string;
  to: string;
  kinds: NoteKind[];
}

interface Remembered {
  form: SearchState;
  ran: NoteSearchInput | null;
  items: NoteSearchHit[];
  nextCursor: string | null;
}

// In memory only, so coming back from a note shows the same results; the words never reach the URL or storage.
let remembered: Remembered = {
  form: { text: '', clientId: '', clientLabel: '', from: '', to: '', kinds: [] },
  ran: null,
  items: [],
  nextCursor: null,
};

function inputOf(f: SearchState): NoteSearchInput {
  return {
    ...(f.text.trim() ? { text: f.text.trim() } : {}),
    ...(f.clientId ? { clientId: f.clientId } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.kinds.length ? { kinds: f.kinds } : {}),
  };
}

/** Client picker: type part of a name or code, then choose from the matches (or leave "Any client"). */
function ClientFilter({
  value,
  label,
  onChange,
}: {
  value: string;
  label: string;
  onChange: (id: string, label: string) => void;
}) {
  const [find, setFind] = useState('');
  const [matches, setMatches] = useState<ClientListItem[]>([]);
  useEffect(() => {
    const q = find.trim();
    if (q.length < 2) {
      setMatches([]);
      return undefined;
    }
    const ctrl = new AbortController();
    const t = window.setTimeout(() => {
      api
        .listClients({ search: q, sort: 'name', direction: 'asc', limit: 15 }, ctrl.signal)
        .then((r) => setMatches(r.items))
        .catch(() => undefined);
    }, 250);
    return () => {
      window.clearTimeout(t);
      ctrl.abort();
    };
  }, [find]);
  const options = [
    ...(value && !matches.some((m) => m.id === value) ? [{ id: value, text: label }] : []),
    ...matches.map((m) => ({ id: m.id, text: `${m.displayName} (${m.clientCode})` })),
  ];
  return (
    <div className="ns-client">
      <div className="field">
        <label htmlFor="ns-find-client">
          Find a client <span className="optional">(optional)</span>
        </label>
        <input
          id="ns-find-client"
          type="search"
          value={find}
          onChange={(e) => setFind(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="ns-find-client-hint"
        />
        <p className="hint" id="ns-find-client-hint">
          Name or client code, then choose in the Client list.
        </p>
      </div>
      <div className="field">
        <label htmlFor="f-clientId">{LABELS.clientId}</label>
        <select
          id="f-clientId"
          value={value}
          onChange={(e) => {
            const o = options.find((x) => x.id === e.target.value);
            onChange(e.target.value, o?.text ?? '');
          }}
        >
          <option value="">Any client</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.text}
            </option>
          ))}
        </select>
        <p className="hint" role="status">
          {find.trim().length >= 2
            ? `${matches.length} matching ${matches.length === 1 ? 'client' : 'clients'}`
            : ''}
        </p>
      </div>
    </div>
  );
}

/** Search the notes the user may read, by words, client, dates and kind. */
export function NoteSearchScreen() {
  const [form, setForm] = useState<SearchState>(remembered.form);
  const [ran, setRan] = useState<NoteSearchInput | null>(remembered.ran);
  const [items, setItems] = useState<NoteSearchHit[]>(remembered.items);
  const [nextCursor, setNextCursor] = useState<string | null>(remembered.nextCursor);
  const [loading, setLoading] = useState(false);
  const [forbidden, setForbidden] = useState(false);
  const errors = useFormErrors();
  const requestNo = useRef(0);

  useEffect(() => {
    remembered = { form, ran, items, nextCursor };
  }, [form, ran, items, nextCursor]);

  const set = (p: Partial<SearchState>) => setForm((f) => ({ ...f, ...p }));

  const run = async (input: NoteSearchInput, cursor?: string) => {
    const n = ++requestNo.current;
    setLoading(true);
    try {
      const page = await chartApi.searchNotes(cursor ? { ...input, cursor } : input);
      if (n !== requestNo.current) return;
      setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
      setRan(input);
    } catch (err) {
      const e = errors.fromError(err);
      if (e.status === 403) setForbidden(true);
    } finally {
      if (n === requestNo.current) setLoading(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (form.from && form.to && form.from > form.to) found.to = 'The end date is before the start date';
    if (!errors.check(found)) return;
    void run(inputOf(form));
  };

  const toggleKind = (k: NoteKind, on: boolean) =>
    set({
      kinds: NOTE_KIND_CHOICES.map((c) => c.value).filter((x) => (x === k ? on : form.kinds.includes(x))),
    });

  return (
    <>
      <PageHeader title="Search notes" />
      <p className="lead">
        Search covers the notes you may read: those of clients on your care team (and, for supervisors, their
        supervisees’ clients). Drafts are searched for their author only. Psychotherapy notes are never
        searched.
      </p>
      {forbidden ? (
        <Alert kind="info">Your role cannot read notes, so there are no notes to search.</Alert>
      ) : null}
      <ErrorSummary message={forbidden ? null : errors.message} errors={errors.errors} labels={LABELS} />
      <form className="filters ns-form" onSubmit={submit} noValidate role="search" aria-label="Search notes">
        <TextField
          name="text"
          label={LABELS.text}
          type="search"
          value={form.text}
          onChange={(text) => set({ text })}
          errors={errors.errors}
          hint="Every word must appear in the note or an addendum."
          className="grow"
          autoComplete="off"
        />
        <ClientFilter
          value={form.clientId}
          label={form.clientLabel}
          onChange={(clientId, clientLabel) => set({ clientId, clientLabel })}
        />
        <div className="ns-dates">
          <TextField
            name="from"
            label={LABELS.from}
            type="date"
            value={form.from}
            onChange={(from) => set({ from })}
            errors={errors.errors}
          />
          <TextField
            name="to"
            label={LABELS.to}
            type="date"
            value={form.to}
            onChange={(to) => set({ to })}
            errors={errors.errors}
          />
        </div>
        <fieldset className="ns-kinds" id="f-kinds">
          <legend>
            {LABELS.kinds} <span className="optional">(none ticked: all)</span>
          </legend>
          {NOTE_KIND_CHOICES.map((k) => (
            <label key={k.value} className="ns-kind">
              <input
                type="checkbox"
                checked={form.kinds.includes(k.value)}
                onChange={(e) => toggleKind(k.value, e.target.checked)}
              />
              {k.label}
            </label>
          ))}
        </fieldset>
        <div className="button-row ns-actions">
          <button type="submit" className="button primary" disabled={loading}>
            Search
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setForm({ text: '', clientId: '', clientLabel: '', from: '', to: '', kinds: [] });
              setRan(null);
              setItems([]);
              setNextCursor(null);
              errors.clear();
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {ran ? (
        <PagedResults
          noun={['note', 'notes']}
          label="Matching notes"
          count={items.length}
          loading={loading}
          hasMore={nextCursor !== null}
          onLoadMore={() => void run(ran, nextCursor ?? undefined)}
        >
          <table className="data-table">
            <caption className="visually-hidden">Matching notes, newest date of service first</caption>
            <thead>
              <tr>
                <th scope="col">Date of service</th>
                <th scope="col">Client</th>
                <th scope="col">Kind</th>
                <th scope="col">Author</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((n) => (
                <tr key={n.id}>
                  <th scope="row">
                    <Link to={`/notes/${n.id}`}>{formatDate(n.dateOfService)}</Link>
                  </th>
                  <td>
                    <Link to={`/clients/${n.clientId}`}>{n.displayName}</Link>
                    <span className="sub">
                      <code>{n.clientCode}</code>
                    </span>
                  </td>
                  <td>{noteTitle(n.kind, n.format)}</td>
                  <td>{n.authorName}</td>
                  <td>
                    {STATUS_LABELS[n.status]}
                    {n.lateEntry ? <span className="sub">Late entry</span> : null}
                    {n.addenda > 0 ? (
                      <span className="sub">
                        {n.addenda} {n.addenda === 1 ? 'addendum' : 'addenda'}
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </PagedResults>
      ) : null}
    </>
  );
}
