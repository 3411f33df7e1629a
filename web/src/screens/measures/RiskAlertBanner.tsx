import { useState, type FormEvent } from 'react';
import { measuresApi, type RiskAlert } from '../../api/measuresApi.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextArea } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import './measures.css';

/** The acknowledgement: a required note of what the clinician did (e.g. a risk assessment). */
function AcknowledgeDialog({
  alert,
  onClose,
  onDone,
}: {
  alert: RiskAlert;
  onClose: () => void;
  onDone: (a: RiskAlert) => void;
}) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(note.trim() ? {} : { note: 'Write what you did about this alert' })) return;
    setBusy(true);
    try {
      onDone(await measuresApi.acknowledge(alert.id, note.trim()));
    } catch (err) {
      form.fromError(err);
      setBusy(false);
    }
  };
  return (
    <Dialog open title="Acknowledge risk alert" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary message={form.message} errors={form.errors} labels={{ note: 'Note' }} />
        <p>{alert.title}</p>
        <TextArea
          name="note"
          label="What you did"
          hint="For example: risk assessed with the C-SSRS, safety plan reviewed, follow-up arranged. Kept in the chart."
          value={note}
          onChange={setNote}
          errors={form.errors}
          rows={4}
          required
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : 'Acknowledge'}
          </button>
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Open risk alerts, shown prominently until a clinician acknowledges each with a note.
 * A later score never clears one.
 */
export function RiskAlertBanner({
  clientId,
  alerts,
  timeZone,
  canAcknowledge,
  showMeasuresLink = false,
  onChange,
}: {
  clientId: string;
  alerts: readonly RiskAlert[];
  timeZone: string;
  canAcknowledge: boolean;
  showMeasuresLink?: boolean;
  onChange: (a: RiskAlert) => void;
}) {
  const [acknowledging, setAcknowledging] = useState<RiskAlert | null>(null);
  const open = alerts.filter((a) => a.open);
  if (open.length === 0) return null;
  return (
    <section className="risk-banner" role="alert" aria-labelledby="risk-banner-title">
      <h2 id="risk-banner-title">
        {open.length === 1 ? 'Risk alert to acknowledge' : `${open.length} risk alerts to acknowledge`}
      </h2>
      <ul>
        {open.map((a) => (
          <li key={a.id}>
            <span>
              <strong>{a.title}</strong>{' '}
              <span className="risk-when">
                (PHQ-9 total {a.total}, {formatDateTime(a.raisedAt, timeZone)})
              </span>
            </span>
            {canAcknowledge ? (
              <button type="button" className="button danger" onClick={() => setAcknowledging(a)}>
                Acknowledge…
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="risk-help">
        Assess suicide risk directly (for example with the C-SSRS) and record what you did when you
        acknowledge.
        {showMeasuresLink ? (
          <>
            {' '}
            <Link to={`/clients/${clientId}/measures`}>Open outcome measures</Link>
          </>
        ) : null}
      </p>
      {acknowledging ? (
        <AcknowledgeDialog
          alert={acknowledging}
          onClose={() => setAcknowledging(null)}
          onDone={(a) => {
            setAcknowledging(null);
            onChange(a);
          }}
        />
      ) : null}
    </section>
  );
}
