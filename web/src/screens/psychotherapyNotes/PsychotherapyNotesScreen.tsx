import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import { psychotherapyApi, type PsychotherapyNote } from '../../api/psychotherapyApi.js';
import { Alert } from '../../components/Alert.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { setFlash } from '../../components/flash.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link, navigate } from '../../router.js';
import { useSession } from '../../session.js';
import { practiceToday } from '../clientChart/NewNoteDialog.js';
import { PrivateBanner } from './PrivateBanner.js';
import './psychotherapyNotes.css';

/** The first words the author wrote, to tell notes apart in the list. */
function excerpt(n: PsychotherapyNote): string {
  for (const s of n.template.sections)
    for (const f of s.fields) {
      const v = n.content[f.id];
      if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 140);
    }
  return '';
}

/** The signed-in clinician's own psychotherapy notes about one client, and a way to start one. */
export function PsychotherapyNotesScreen({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const [clientName, setClientName] = useState<string | null>(null);
  const [notes, setNotes] = useState<PsychotherapyNote[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dateOfService, setDateOfService] = useState(() => practiceToday(me.practice.timeZone));
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  useEffect(() => {
    let live = true;
    api
      .client(clientId)
      .then((c) => live && setClientName(`${c.preferredName ?? c.legalFirstName} ${c.legalLastName}`))
      .catch(() => undefined);
    psychotherapyApi
      .list(clientId)
      .then((page) => {
        if (!live) return;
        setNotes(page.items);
        setNextCursor(page.nextCursor);
      })
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [clientId]);

  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await psychotherapyApi.list(clientId, nextCursor);
      setNotes((prev) => [...(prev ?? []), ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError(toApiError(err).detail);
    }
  };

  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(dateOfService ? {} : { dateOfService: 'Enter the date of the session' })) return;
    setBusy(true);
    try {
      const created = await psychotherapyApi.create({ clientId, dateOfService });
      setFlash('Psychotherapy note started. Write it below and save.');
      navigate(`/psychotherapy-notes/${created.id}`);
    } catch (err) {
      form.fromError(err);
      setBusy(false);
    }
  };

  return (
    <div className="pn-area">
      <PageHeader title={clientName ? `Psychotherapy notes: ${clientName}` : 'Psychotherapy notes'} />
      <p className="record-meta">
        <Link to={`/clients/${clientId}`}>Back to the client record</Link>
      </p>
      <PrivateBanner />
      {error ? <Alert kind="error">{error}</Alert> : null}

      <section className="pn-panel" aria-labelledby="pn-new-title">
        <h2 id="pn-new-title">New psychotherapy note</h2>
        <form onSubmit={(e) => void start(e)} noValidate>
          <ErrorSummary
            message={form.message}
            errors={form.errors}
            labels={{ dateOfService: 'Session date' }}
          />
          <div className="pn-new">
            <TextField
              name="dateOfService"
              label="Session date"
              type="date"
              value={dateOfService}
              onChange={setDateOfService}
              errors={form.errors}
              className="narrow"
              required
            />
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Starting…' : 'Start a psychotherapy note'}
            </button>
          </div>
        </form>
      </section>

      <section className="pn-panel" aria-labelledby="pn-list-title">
        <h2 id="pn-list-title">Your psychotherapy notes</h2>
        {notes === null && !error ? <p role="status">Loading your notes…</p> : null}
        {notes?.length === 0 ? (
          <p className="muted">You have no psychotherapy notes about this client.</p>
        ) : null}
        {notes && notes.length > 0 ? (
          <ul className="pn-list">
            {notes.map((n) => (
              <li key={n.id}>
                <Link to={`/psychotherapy-notes/${n.id}`}>Session of {formatDate(n.dateOfService)}</Link>{' '}
                <span className="muted">
                  · last changed {formatDateTime(n.updatedAt, me.practice.timeZone)}
                </span>
                <span className="pn-excerpt">{excerpt(n) || 'Nothing written yet.'}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {nextCursor ? (
          <div className="button-row">
            <button type="button" className="button secondary" onClick={() => void loadMore()}>
              Load more
            </button>
          </div>
        ) : null}
      </section>
    </div>
  );
}
