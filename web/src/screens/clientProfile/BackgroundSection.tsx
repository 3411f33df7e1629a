import { useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import { BACKGROUND_FIELDS, type Background, type BackgroundField } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextArea } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { useSession } from '../../session.js';

export const BACKGROUND_LABELS: Record<BackgroundField, string> = {
  presenting_concerns: 'Presenting concerns',
  medical_history: 'Medical history',
  medications: 'Medications',
  allergies: 'Allergies',
  prior_therapy: 'Prior therapy',
  psychiatric_history: 'Psychiatric history',
  family_social_history: 'Family and social history',
  substance_use: 'Substance use',
};

function isBackground(v: unknown): v is Background {
  return typeof v === 'object' && v !== null && 'version' in v && 'presenting_concerns' in v;
}

/** Clinical background: opened on request (each view is audited), edited on its own version. */
export function BackgroundSection({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const [bg, setBg] = useState<Background | null>(null);
  const [draft, setDraft] = useState<Record<BackgroundField, string> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState<Background | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      setBg(await api.background(clientId));
    } catch (err) {
      setError(toApiError(err).detail);
    } finally {
      setLoading(false);
    }
  };

  const startEdit = () => {
    if (!bg) return;
    setSaved(false);
    setStale(null);
    form.clear();
    setDraft(Object.fromEntries(BACKGROUND_FIELDS.map((f) => [f, bg[f]])) as Record<BackgroundField, string>);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!bg || !draft) return;
    const patch: Partial<Record<BackgroundField, string>> = {};
    for (const f of BACKGROUND_FIELDS) if (draft[f] !== bg[f]) patch[f] = draft[f];
    if (Object.keys(patch).length === 0) {
      setDraft(null);
      return;
    }
    setBusy(true);
    try {
      setBg(await api.updateBackground(clientId, bg.version, patch));
      setDraft(null);
      setSaved(true);
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.isStale && isBackground(apiErr.problem.current)) setStale(apiErr.problem.current);
      else form.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="bg-title">
      <div className="panel-header">
        <h2 id="bg-title">Clinical background</h2>
        {bg && !draft ? (
          <button type="button" className="button secondary small" onClick={startEdit}>
            Edit background
          </button>
        ) : null}
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {saved ? <Alert kind="success">Background saved.</Alert> : null}
      {!bg ? (
        <>
          <p className="muted">
            Clinical history is shown only when you need it. Opening it is recorded in the audit trail.
          </p>
          <button type="button" className="button secondary" onClick={() => void load()} disabled={loading}>
            {loading ? 'Opening…' : 'Show clinical background'}
          </button>
        </>
      ) : draft ? (
        <form onSubmit={(e) => void save(e)} noValidate>
          {stale ? (
            <div className="alert alert-error" role="alert">
              <p className="alert-title">Someone else changed the background</p>
              <p>
                Your changes have not been saved. Copy anything you need from the fields below, then load
                their version and make your change again.
              </p>
              <div className="button-row">
                <button
                  type="button"
                  className="button primary"
                  onClick={() => {
                    setBg(stale);
                    setDraft(
                      Object.fromEntries(BACKGROUND_FIELDS.map((f) => [f, stale[f]])) as Record<
                        BackgroundField,
                        string
                      >,
                    );
                    setStale(null);
                  }}
                >
                  Load their version
                </button>
              </div>
            </div>
          ) : null}
          <ErrorSummary message={form.message} errors={form.errors} labels={BACKGROUND_LABELS} />
          <div className="bg-grid">
            {BACKGROUND_FIELDS.map((f) => (
              <TextArea
                key={f}
                name={f}
                label={BACKGROUND_LABELS[f]}
                value={draft[f]}
                onChange={(v) => setDraft({ ...draft, [f]: v })}
                errors={form.errors}
                rows={4}
              />
            ))}
          </div>
          <div className="button-row">
            <button type="submit" className="button primary" disabled={busy || stale !== null}>
              {busy ? 'Saving…' : 'Save background'}
            </button>
            <button type="button" className="button secondary" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <dl className="dl bg-view">
            {BACKGROUND_FIELDS.map((f) => (
              <div className="dl-row" key={f}>
                <dt>{BACKGROUND_LABELS[f]}</dt>
                <dd className="narrative">{bg[f] || <span className="muted">Not recorded</span>}</dd>
              </div>
            ))}
          </dl>
          <p className="hint">Last changed {formatDateTime(bg.updatedAt, me.practice.timeZone)}.</p>
        </>
      )}
    </section>
  );
}
