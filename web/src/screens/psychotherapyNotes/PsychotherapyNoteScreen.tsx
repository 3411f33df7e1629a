import { useEffect, useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from '../../api/http.js';
import { psychotherapyApi, type PsychotherapyNote } from '../../api/psychotherapyApi.js';
import { Alert } from '../../components/Alert.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextArea, TextField } from '../../components/fields.js';
import { takeFlash } from '../../components/flash.js';
import { useFormErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { PrivateBanner } from './PrivateBanner.js';
import './psychotherapyNotes.css';

type Values = Record<string, string>;

function valuesOf(n: PsychotherapyNote): Values {
  const out: Values = {};
  for (const s of n.template.sections)
    for (const f of s.fields) {
      const v = n.content[f.id];
      out[f.id] = typeof v === 'string' ? v : '';
    }
  return out;
}

function isNote(v: unknown): v is PsychotherapyNote {
  return typeof v === 'object' && v !== null && 'category' in v && 'template' in v && 'version' in v;
}

/** One of the author's psychotherapy notes: the fixed process-note fields, saved explicitly. */
export function PsychotherapyNoteScreen({ noteId }: { noteId: string }) {
  const { me } = useSession();
  const [note, setNote] = useState<PsychotherapyNote | null>(null);
  const [values, setValues] = useState<Values>({});
  const [dateOfService, setDateOfService] = useState('');
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [stale, setStale] = useState<PsychotherapyNote | null>(null);
  const [status, setStatus] = useState<string | null>(() => takeFlash());
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  const show = (n: PsychotherapyNote) => {
    setNote(n);
    setValues(valuesOf(n));
    setDateOfService(n.dateOfService);
  };

  useEffect(() => {
    let live = true;
    psychotherapyApi
      .get(noteId)
      .then((n) => live && show(n))
      .catch((err: unknown) => live && setLoadError(toApiError(err)));
    return () => {
      live = false;
    };
  }, [noteId]);

  const dirty =
    note !== null &&
    (dateOfService !== note.dateOfService || JSON.stringify(values) !== JSON.stringify(valuesOf(note)));

  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  if (loadError)
    return (
      <div className="pn-area">
        <PageHeader title="Psychotherapy note" />
        <Alert kind="error">
          {loadError.status === 404
            ? 'There is no psychotherapy note of yours at this address. Psychotherapy notes can be opened by their author only.'
            : loadError.detail}
        </Alert>
      </div>
    );
  if (!note) return <p role="status">Loading your note…</p>;

  const labels: Record<string, string> = { dateOfService: 'Session date' };
  for (const s of note.template.sections) for (const f of s.fields) labels[`content.${f.id}`] = f.label;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    if (!form.check(dateOfService ? {} : { dateOfService: 'Enter the date of the session' })) return;
    setBusy(true);
    try {
      const saved = await psychotherapyApi.update(note.id, note.version, { dateOfService, content: values });
      show(saved);
      setStatus(`Saved ${formatDateTime(saved.updatedAt, me.practice.timeZone)}.`);
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.isStale) setStale(isNote(apiErr.problem.current) ? apiErr.problem.current : note);
      else form.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pn-area">
      <PageHeader title="Psychotherapy note" />
      <p className="record-meta">
        <Link to={`/clients/${note.clientId}/psychotherapy-notes`}>
          All your psychotherapy notes for this client
        </Link>{' '}
        · <Link to={`/clients/${note.clientId}`}>Client record</Link>
      </p>
      <PrivateBanner />
      {status ? <Alert kind="success">{status}</Alert> : null}
      {stale ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">This note was saved from another window or tab</p>
          <p>
            Your changes have not been saved, so that neither copy overwrites the other. Copy anything you
            need from the fields below, then load the saved version and make your change again.
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button primary"
              onClick={async () => {
                try {
                  show(
                    isNote(stale) && stale.version !== note.version
                      ? stale
                      : await psychotherapyApi.get(note.id),
                  );
                  setStale(null);
                  form.clear();
                } catch (err) {
                  form.fromError(err);
                }
              }}
            >
              Load the saved version
            </button>
          </div>
        </div>
      ) : null}
      <form className="pn-panel" onSubmit={(e) => void save(e)} noValidate aria-labelledby="pn-form-title">
        <h2 id="pn-form-title">{note.template.name}</h2>
        <ErrorSummary message={form.message} errors={form.errors} labels={labels} />
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
        {note.template.sections.map((s) => (
          <fieldset key={s.id}>
            <legend>{s.title}</legend>
            {s.help ? <p className="hint">{s.help}</p> : null}
            {s.fields.map((f) =>
              f.kind === 'longText' ? (
                <TextArea
                  key={f.id}
                  name={`content.${f.id}`}
                  label={f.label}
                  hint={f.help}
                  required={f.required}
                  rows={8}
                  value={values[f.id] ?? ''}
                  onChange={(v) => setValues((x) => ({ ...x, [f.id]: v }))}
                  errors={form.errors}
                />
              ) : (
                <TextField
                  key={f.id}
                  name={`content.${f.id}`}
                  label={f.label}
                  hint={f.help}
                  required={f.required}
                  value={values[f.id] ?? ''}
                  onChange={(v) => setValues((x) => ({ ...x, [f.id]: v }))}
                  errors={form.errors}
                />
              ),
            )}
          </fieldset>
        ))}
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy || stale !== null}>
            {busy ? 'Saving…' : 'Save'}
          </button>
          {dirty ? (
            <span className="muted">Unsaved changes</span>
          ) : (
            <span className="muted">All changes saved</span>
          )}
        </div>
        <p className="hint">
          Last saved {formatDateTime(note.updatedAt, me.practice.timeZone)} · version {note.version}.
        </p>
      </form>
    </div>
  );
}
