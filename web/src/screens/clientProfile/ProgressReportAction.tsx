import { useState, type FormEvent } from 'react';
import { progressReportApi } from '../../api/progressReportApi.js';
import { Alert } from '../../components/Alert.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { addDays, localDateOf } from '../../components/practiceTime.js';
import { useSession } from '../../session.js';
import { Invalid } from '../../../../src/domain/errors.js';
import {
  REPORT_DEFAULT_DAYS,
  REPORT_MAX_YEARS,
  reportPeriod,
} from '../../../../src/domain/progressReport.js';

const LABELS = { from: 'From', to: 'To' };

/** The same checks the server makes (today in practice time), so a mistake shows before any request. */
function periodErrors(from: string, to: string, today: string): FieldErrors {
  const found: FieldErrors = {};
  if (!from) found.from = 'Enter the first day of the report';
  if (!to) found.to = 'Enter the last day of the report';
  if (Object.keys(found).length > 0) return found;
  try {
    reportPeriod({ from, to }, today);
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    const errors = (err.extra.errors ?? []) as { path: string; message: string }[];
    for (const e of errors) found[e.path] ??= e.message;
  }
  return found;
}

/** Saves a downloaded file under the server's file name. */
function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "Progress report" on the client page: choose a period (the last 90 days to start with) and download the PDF. */
export function ProgressReportAction({ clientId }: { clientId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button secondary" onClick={() => setOpen(true)}>
        Progress report
      </button>
      {open ? <ProgressReportDialog clientId={clientId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** Mounted only while open, so each opening starts from the default period. */
function ProgressReportDialog({ clientId, onClose }: { clientId: string; onClose: () => void }) {
  const { me } = useSession();
  const today = localDateOf(new Date(), me.practice.timeZone);
  const [from, setFrom] = useState(() => addDays(today, 1 - REPORT_DEFAULT_DAYS));
  const [to, setTo] = useState(today);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const form = useFormErrors();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if (!form.check(periodErrors(from, to, today))) return;
    setBusy(true);
    try {
      const file = await progressReportApi.download(clientId, from, to);
      saveFile(file.blob, file.filename);
      setDone(`Downloaded ${file.filename}.`);
    } catch (err) {
      form.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title="Progress report" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate aria-describedby="progress-report-about">
        <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
        <p className="hint" id="progress-report-about">
          A PDF of the signed treatment plan and its goals, goal ratings, outcome measures with their charts,
          and attendance in the period. It holds no session note text. Making it is recorded in the audit log.
        </p>
        <div className="field-row">
          <TextField
            name="from"
            label="From"
            type="date"
            value={from}
            onChange={setFrom}
            errors={form.errors}
            max={to && to < today ? to : today}
            required
          />
          <TextField
            name="to"
            label="To"
            type="date"
            value={to}
            onChange={setTo}
            errors={form.errors}
            min={from || undefined}
            max={today}
            required
          />
        </div>
        <p className="hint">
          Dates are in the practice&rsquo;s time zone. A report covers at most {REPORT_MAX_YEARS} years.
        </p>
        {done ? <Alert kind="success">{done}</Alert> : null}
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Preparing…' : 'Download PDF'}
          </button>
          <button type="button" className="button secondary" onClick={onClose}>
            {done ? 'Close' : 'Cancel'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
