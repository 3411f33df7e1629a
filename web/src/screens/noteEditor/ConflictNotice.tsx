import { useState } from 'react';
import { Dialog } from '../../components/Dialog.js';
import type { ReadLine } from './noteContent.js';

/**
 * Shown when a save was refused because the draft changed elsewhere (another tab or window):
 * autosave has stopped, nothing was merged, and the user decides what happens to their text.
 */
export function ConflictNotice({
  message,
  localText,
  onLoadSaved,
}: {
  message: string;
  /** The fields typed here that differ from the saved version. */
  localText: ReadLine[];
  onLoadSaved: () => void;
}) {
  const [copyOpen, setCopyOpen] = useState(false);
  return (
    <>
      <div className="alert alert-error conflict" role="alert" aria-labelledby="conflict-title">
        <h2 id="conflict-title">This draft was changed in another tab or window</h2>
        <p>
          {message} <strong>Your latest typing has NOT been saved.</strong> Autosave has stopped so nothing is
          overwritten.
        </p>
        <p>Copy your text first if you want to keep it, then load the saved version and add it again.</p>
        <div className="button-row">
          <button type="button" className="button secondary" onClick={() => setCopyOpen(true)}>
            Copy my text
          </button>
          <button type="button" className="button primary" onClick={onLoadSaved}>
            Load the saved version
          </button>
        </div>
      </div>
      <Dialog open={copyOpen} title="Your unsaved text" onClose={() => setCopyOpen(false)}>
        <p>Select and copy what you need. This text is only in this tab and disappears when you leave it.</p>
        {localText.length === 0 ? (
          <p className="muted">None of the note&rsquo;s fields differ from the saved version.</p>
        ) : (
          localText.map((l) => (
            <div className="field" key={l.fieldId}>
              <label htmlFor={`copy-${l.fieldId}`}>{l.label}</label>
              <textarea
                id={`copy-${l.fieldId}`}
                readOnly
                rows={Math.min(10, Math.max(2, l.text.split('\n').length + Math.floor(l.text.length / 60)))}
                value={l.text === '' ? '(empty)' : l.text}
                onFocus={(e) => e.currentTarget.select()}
              />
            </div>
          ))
        )}
        <div className="button-row">
          <button type="button" className="button primary" onClick={() => setCopyOpen(false)}>
            Close
          </button>
        </div>
      </Dialog>
    </>
  );
}
