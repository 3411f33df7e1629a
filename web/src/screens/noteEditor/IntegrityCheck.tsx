import { useState } from 'react';
import { notesApi, type IntegrityReport } from '../../api/notesApi.js';
import { toApiError } from '../../api/http.js';
import { formatDateTimeSeconds } from '../../components/dateFormat.js';

/** Recomputes the SHA-256 of the note and its addenda on the server and says whether they match. */
export function IntegrityCheck({ noteId, timeZone }: { noteId: string; timeZone: string }) {
  const [report, setReport] = useState<IntegrityReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await notesApi.integrity(noteId));
    } catch (err) {
      setReport(null);
      setError(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };

  const altered = report ? report.addenda.filter((a) => !a.intact).length : 0;
  return (
    <div className="integrity">
      <button type="button" className="button secondary" onClick={() => void verify()} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify integrity'}
      </button>
      <div role="status" aria-live="polite">
        {error ? <p className="field-error">{error}</p> : null}
        {report ? (
          <div className={`integrity-result ${report.intact ? 'intact' : 'broken'}`}>
            <p className="integrity-title">
              {!report.intact
                ? 'Not intact: the stored text does not match its signature.'
                : report.addenda.length === 0
                  ? 'Intact: the note is exactly as signed.'
                  : 'Intact: the note and its addenda are exactly as signed.'}
            </p>
            <p>
              {report.addenda.length === 0
                ? 'No addenda.'
                : `${report.addenda.length} ${report.addenda.length === 1 ? 'addendum' : 'addenda'} checked${altered ? `, ${altered} altered` : ', all intact'}.`}{' '}
              Checked {formatDateTimeSeconds(report.checkedAt, timeZone)}.
            </p>
            <p className="hash-line">
              Stored SHA-256 <code>{report.storedHash ?? '—'}</code>
              <br />
              Recomputed <code>{report.computedHash ?? '—'}</code>
            </p>
            {report.intact ? null : (
              <p>Report this to the practice owner: the database may have been changed outside Casebook.</p>
            )}
          </div>
        ) : null}
      </div>
    </div>
  );
}
