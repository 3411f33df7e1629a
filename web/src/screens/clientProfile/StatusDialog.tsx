import { useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import type { ClientRecord, ClientStatus } from '../../api/types.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField, TextArea } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';

/** Mounted only while open, so each opening starts fresh. Discharge, deactivate or reactivate a client (never delete), with a reason. */
export function StatusDialog({
  record,
  onClose,
  onChanged,
  onStale,
}: {
  record: ClientRecord;
  onClose: () => void;
  onChanged: (r: ClientRecord) => void;
  onStale: () => void;
}) {
  const choices: { value: ClientStatus; label: string }[] =
    record.status === 'active'
      ? [
          { value: 'discharged', label: 'Discharge' },
          { value: 'inactive', label: 'Mark inactive' },
        ]
      : [
          { value: 'active', label: 'Reactivate' },
          ...(record.status === 'inactive' ? [{ value: 'discharged' as const, label: 'Discharge' }] : []),
        ];
  const [status, setStatus] = useState<ClientStatus>(choices[0]?.value ?? 'active');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [stale, setStale] = useState(false);
  const form = useFormErrors();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      onChanged(await api.changeClientStatus(record.id, record.version, status, reason.trim() || null));
    } catch (err) {
      if (toApiError(err).isStale) setStale(true);
      else form.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title="Change client status" onClose={onClose}>
      {stale ? (
        <>
          <div className="alert alert-error" role="alert">
            <p className="alert-title">Someone else changed this record</p>
            <p>The status was not changed. Reload the record to see the current version, then try again.</p>
          </div>
          <div className="button-row">
            <button type="button" className="button primary" onClick={onStale}>
              Reload the record
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <ErrorSummary
            message={form.message}
            errors={form.errors}
            labels={{ status: 'New status', reason: 'Reason' }}
          />
          <SelectField
            name="status"
            label="New status"
            value={status}
            onChange={setStatus}
            options={choices}
            errors={form.errors}
            required
          />
          <TextArea
            name="reason"
            label="Reason"
            rows={3}
            value={reason}
            onChange={setReason}
            errors={form.errors}
            hint="For example: treatment goals met; moved away. No clinical detail."
          />
          <p className="hint">
            Clients are never deleted. Their record stays available and can be reactivated.
          </p>
          <div className="button-row">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Saving…' : 'Change status'}
            </button>
            <button type="button" className="button secondary" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
