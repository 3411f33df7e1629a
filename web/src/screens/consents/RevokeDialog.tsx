import { useState, type FormEvent } from 'react';
import { consentsApi, type ConsentView } from '../../api/consentsApi.js';
import { toApiError } from '../../api/http.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextArea, TextField } from '../../components/fields.js';

/** Revokes a consent from a date on (today or earlier); the revocation is the only change a consent allows. */
export function RevokeDialog({
  consent,
  today,
  onClose,
  onRevoked,
}: {
  consent: ConsentView;
  today: string;
  onClose: () => void;
  onRevoked: (c: ConsentView) => void;
}) {
  const [revokedOn, setRevokedOn] = useState(today);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!revokedOn || revokedOn > today) {
      setErrors({ revokedOn: 'Use today or an earlier date' });
      return;
    }
    setBusy(true);
    try {
      onRevoked(
        await consentsApi.revoke(consent.id, consent.version, {
          revokedOn,
          ...(note.trim() ? { note: note.trim() } : {}),
        }),
      );
    } catch (err) {
      const ae = toApiError(err);
      setErrors(Object.fromEntries(ae.fieldErrors.map((f) => [f.path, f.message])));
      setMessage(ae.fieldErrors.length ? null : ae.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title={`Revoke: ${consent.kindLabel}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary message={message} errors={errors} labels={{ revokedOn: 'Revoked from' }} />
        <p>
          From this date on, nothing more is released under it. Releases already made stay in the disclosure
          log. A revocation cannot be undone.
        </p>
        <TextField
          name="revokedOn"
          label="Revoked from"
          type="date"
          required
          max={today}
          value={revokedOn}
          errors={errors}
          onChange={setRevokedOn}
        />
        <TextArea
          name="note"
          label="How the revocation was received"
          rows={2}
          value={note}
          onChange={setNote}
        />
        <div className="button-row">
          <button type="submit" className="button danger" disabled={busy}>
            {busy ? 'Revoking…' : 'Revoke'}
          </button>
          <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
