import { useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { Alert } from '../../components/Alert.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextArea } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { Link } from '../../router.js';

/** Shown when a record is outside the user's care team: emergency access with a stated reason. */
export function BreakGlassRequest({
  clientId,
  reason,
  onGranted,
}: {
  clientId: string;
  reason: string;
  onGranted: (expiresAt: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [why, setWhy] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (
      !form.check(
        why.trim().length >= 10 ? {} : { reason: 'Explain the emergency in at least 10 characters' },
      )
    )
      return;
    setBusy(true);
    try {
      const r = await api.breakGlass(clientId, why.trim());
      onGranted(r.expiresAt);
    } catch (err) {
      form.fromError(err);
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="bg-title">
      <Alert kind="warning" title="You do not have access to this record">
        <p>{reason}</p>
      </Alert>
      <h2 id="bg-title">Emergency access</h2>
      <p>
        If a client&rsquo;s safety depends on it, you can open this record now. Access is time-limited, your
        reason is recorded in the audit trail, and practice owners and admins are alerted.
      </p>
      {open ? (
        <form onSubmit={(e) => void submit(e)} noValidate className="narrow-form">
          <ErrorSummary message={form.message} errors={form.errors} labels={{ reason: 'Reason' }} />
          <TextArea
            name="reason"
            label="Reason for emergency access"
            value={why}
            onChange={setWhy}
            errors={form.errors}
            required
            hint="At least 10 characters. Do not include clinical details."
          />
          <div className="button-row">
            <button type="submit" className="button danger" disabled={busy}>
              {busy ? 'Requesting…' : 'Open with emergency access'}
            </button>
            <button type="button" className="button secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="button-row">
          <button type="button" className="button danger" onClick={() => setOpen(true)}>
            Request emergency access
          </button>
          <Link to="/clients" className="button secondary">
            Back to clients
          </Link>
        </div>
      )}
    </section>
  );
}
