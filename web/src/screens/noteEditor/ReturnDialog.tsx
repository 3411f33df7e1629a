import { useState, type FormEvent } from 'react';
import { notesApi, type NoteView } from '../../api/notesApi.js';
import { toApiError } from '../../api/http.js';
import { Dialog } from '../../components/Dialog.js';
import { TextArea, type FieldErrors } from '../../components/fields.js';

/** The supervisor sends the note back to its author with what needs changing. */
export function ReturnDialog({
  open,
  note,
  onReturned,
  onClose,
}: {
  open: boolean;
  note: NoteView;
  onReturned: (note: NoteView) => void;
  onClose: () => void;
}) {
  const [comments, setComments] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (comments.trim().length < 3) {
      setErrors({ 'return.comments': 'Say what needs changing' });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const next = await notesApi.returnToAuthor(note.id, note.version, comments.trim());
      setComments('');
      onReturned(next);
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.fieldErrors.length > 0)
        setErrors({ 'return.comments': apiErr.fieldErrors[0]?.message ?? '' });
      else
        setMessage(
          apiErr.isStale ? 'This note changed since you opened it. Reload the page.' : apiErr.detail,
        );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title="Return the note with comments" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p>
          {note.authorName}&rsquo;s signature is withdrawn (it stays in the note&rsquo;s history). They will
          see your comments above the note, change it and sign it again.
        </p>
        {message ? (
          <p className="field-error" role="alert">
            {message}
          </p>
        ) : null}
        <TextArea
          name="return.comments"
          label="What needs changing"
          value={comments}
          onChange={setComments}
          errors={errors}
          rows={5}
          required
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Returning…' : 'Return to author'}
          </button>
          <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
