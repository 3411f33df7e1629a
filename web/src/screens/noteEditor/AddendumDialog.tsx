import { useState, type FormEvent } from 'react';
import { notesApi, type NoteView } from '../../api/notesApi.js';
import { toApiError } from '../../api/http.js';
import { Dialog } from '../../components/Dialog.js';
import { TextArea, TextField, type FieldErrors } from '../../components/fields.js';
import { ReauthFields, reauthOf, type ReauthValue } from './ReauthFields.js';

/** A correction or late addition to a signed note: its own signed entry; the note stays as signed. */
export function AddendumDialog({
  open,
  noteId,
  mfaEnabled,
  onAdded,
  onClose,
}: {
  open: boolean;
  noteId: string;
  mfaEnabled: boolean;
  onAdded: (note: NoteView) => void;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [text, setText] = useState('');
  const [auth, setAuth] = useState<ReauthValue>({ method: 'password', secret: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [authError, setAuthError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setReason('');
    setText('');
    setAuth({ method: 'password', secret: '' });
    setErrors({});
    setAuthError(null);
    setMessage(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (reason.trim().length < 3) found['addendum.reason'] = 'Give the reason for the addendum';
    if (text.trim() === '') found['addendum.text'] = 'Write the addendum';
    setErrors(found);
    setAuthError(auth.secret.trim() === '' ? 'Enter your password or code to sign the addendum' : null);
    setMessage(null);
    if (Object.keys(found).length > 0 || auth.secret.trim() === '') return;
    setBusy(true);
    try {
      const note = await notesApi.addAddendum(noteId, { reason: reason.trim(), text, ...reauthOf(auth) });
      reset();
      onAdded(note);
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.status === 401) {
        setAuthError(apiErr.detail || 'That did not match. Try again.');
        setAuth((a) => ({ ...a, secret: '' }));
      } else if (apiErr.fieldErrors.length > 0) {
        const next: FieldErrors = {};
        for (const f of apiErr.fieldErrors) next[`addendum.${f.path}`] = f.message;
        setErrors(next);
      } else setMessage(apiErr.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      title="Add an addendum"
      onClose={() => {
        reset();
        onClose();
      }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate className="addendum-form">
        <p>
          The signed note stays exactly as it is. The addendum is added under it with its own date, reason and
          your signature.
        </p>
        {message ? (
          <p className="field-error" role="alert">
            {message}
          </p>
        ) : null}
        <TextField
          name="addendum.reason"
          label="Reason for the addendum"
          hint="For example: correction of the session time, or information received after signing"
          value={reason}
          onChange={setReason}
          errors={errors}
          required
          maxLength={300}
        />
        <TextArea
          name="addendum.text"
          label="Addendum"
          value={text}
          onChange={setText}
          errors={errors}
          rows={6}
          required
        />
        <ReauthFields
          idPrefix="addendum"
          value={auth}
          onChange={setAuth}
          error={authError}
          mfaEnabled={mfaEnabled}
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Signing…' : 'Sign and add addendum'}
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => {
              reset();
              onClose();
            }}
          >
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
