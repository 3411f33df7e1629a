import { useEffect, useState, type FormEvent } from 'react';
import { diagnosesApi, type Annotation } from '../../api/diagnosesApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { formatDate } from '../../components/dateFormat.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { localDateOf } from '../../components/practiceTime.js';
import { useSession } from '../../session.js';
import './diagnoses.css';

const LABELS: Record<string, string> = { 'annotation.date': 'Date', 'annotation.text': 'What happened' };
const RENAME = { date: 'annotation.date', text: 'annotation.text' };

/** Dated notes drawn on the client's charts and timeline, such as "medication changed". */
export function AnnotationsSection({ clientId, canWrite }: { clientId: string; canWrite: boolean }) {
  const { me } = useSession();
  const [items, setItems] = useState<Annotation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [date, setDate] = useState(() => localDateOf(new Date(), me.practice.timeZone));
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const form = useFormErrors();

  useEffect(() => {
    const ctrl = new AbortController();
    diagnosesApi
      .annotations(clientId, ctrl.signal)
      .then((r) => setItems(r.items))
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setError(toApiError(err).detail);
      });
    return () => ctrl.abort();
  }, [clientId, reloadKey]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!date) found['annotation.date'] = 'Enter the date';
    if (!text.trim()) found['annotation.text'] = 'Write what happened';
    if (!form.check(found)) return;
    setBusy(true);
    try {
      const a = await diagnosesApi.annotate(clientId, { date, text: text.trim() });
      setText('');
      setNotice(`Annotation added for ${formatDate(a.date)}.`);
      setReloadKey((k) => k + 1);
    } catch (err) {
      form.fromError(err, RENAME);
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async (a: Annotation) => {
    setError(null);
    try {
      await diagnosesApi.withdrawAnnotation(a.id);
      setNotice(`Annotation of ${formatDate(a.date)} withdrawn from the charts.`);
      setReloadKey((k) => k + 1);
    } catch (err) {
      setError(toApiError(err).detail);
    }
  };

  return (
    <section className="panel annotations" aria-labelledby="annotations-title">
      <h2 id="annotations-title">Chart annotations</h2>
      <p className="hint">
        Events shown on the progress charts and the timeline, such as a medication change.
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {notice ? <Alert kind="success">{notice}</Alert> : null}
      {!items && !error ? <p role="status">Loading annotations…</p> : null}
      {items && items.length === 0 ? <p className="muted">No annotations yet.</p> : null}
      {items && items.length > 0 ? (
        <ul className="annotation-list" aria-label="Annotations by date">
          {items.map((a) => (
            <li key={a.id}>
              <span className="annotation-date">{formatDate(a.date)}</span>
              <span className="annotation-text">
                {a.text} <span className="muted">· {a.createdBy.name}</span>
              </span>
              {canWrite ? (
                <button
                  type="button"
                  className="button secondary small"
                  aria-label={`Withdraw the annotation of ${formatDate(a.date)}: ${a.text}`}
                  onClick={() => void withdraw(a)}
                >
                  Withdraw
                </button>
              ) : (
                <span />
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {canWrite ? (
        <form onSubmit={(e) => void submit(e)} noValidate aria-label="Add an annotation">
          <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
          <div className="annotation-form">
            <TextField
              name="annotation.date"
              label="Date"
              type="date"
              required
              value={date}
              onChange={setDate}
              errors={form.errors}
            />
            <TextField
              name="annotation.text"
              label="What happened"
              required
              maxLength={500}
              value={text}
              onChange={setText}
              errors={form.errors}
              placeholder="e.g. Started sertraline 50 mg"
            />
            <div className="button-row">
              <button type="submit" className="button primary" disabled={busy}>
                {busy ? 'Adding…' : 'Add annotation'}
              </button>
            </div>
          </div>
        </form>
      ) : null}
    </section>
  );
}
