import { useState, type FormEvent, type ReactNode } from 'react';
import type { Reauth } from '../../api/notesApi.js';
import { Dialog } from '../../components/Dialog.js';
import { ReauthFields, reauthOf, type ReauthValue } from './ReauthFields.js';

/**
 * Signing (or co-signing) is a legal act: the dialog states what the signature attests and
 * asks for the password or an authentication code. A wrong one is explained here and the
 * dialog stays open; the caller closes it on success or on a problem shown elsewhere.
 */
export function SignDialog({
  open,
  title,
  attestation,
  submitLabel,
  mfaEnabled,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  attestation: ReactNode;
  submitLabel: string;
  mfaEnabled: boolean;
  /** Resolves to a message to show in the dialog, or null when the caller has handled the outcome. */
  onSubmit: (reauth: Reauth) => Promise<string | null>;
  onClose: () => void;
}) {
  const [value, setValue] = useState<ReauthValue>({ method: 'password', secret: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setValue({ method: 'password', secret: '' });
    setError(null);
    onClose();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (value.secret.trim() === '') {
      setError(value.method === 'password' ? 'Enter your password' : 'Enter the code from your app');
      return;
    }
    setBusy(true);
    setError(null);
    const message = await onSubmit(reauthOf(value));
    setBusy(false);
    if (message === null) {
      setValue({ method: 'password', secret: '' });
      return;
    }
    setError(message);
    setValue((v) => ({ ...v, secret: '' }));
    document.getElementById('sign-secret')?.focus();
  };

  return (
    <Dialog open={open} title={title} onClose={close}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="attestation">{attestation}</div>
        <ReauthFields
          idPrefix="sign"
          value={value}
          onChange={setValue}
          error={error}
          mfaEnabled={mfaEnabled}
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Signing…' : submitLabel}
          </button>
          <button type="button" className="button secondary" onClick={close} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
