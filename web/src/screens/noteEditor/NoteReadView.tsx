import { useState } from 'react';
import { notesApi, type NoteOptions, type NoteView, type Reauth } from '../../api/notesApi.js';
import { sessionCheck } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { AddendumDialog } from './AddendumDialog.js';
import { NoteAmendments } from '../recordRequests/NoteAmendments.js';
import { GoalProgressSection } from './GoalProgressSection.js';
import { IntegrityCheck } from './IntegrityCheck.js';
import { readableSections } from './noteContent.js';
import { ReturnDialog } from './ReturnDialog.js';
import { cptText } from './CptOverrideEditor.js';
import { SignatureBlock, signatureText } from './SignatureBlock.js';
import { SignDialog } from './SignDialog.js';

const ACT_LABELS: Record<string, string> = {
  signed: 'Signed',
  submitted_for_cosign: 'Signed and sent for co-signature',
  cosigned: 'Co-signed',
  returned: 'Returned with comments',
};

function FactsSummary({
  note,
  options,
  timeZone,
}: {
  note: NoteView;
  options: NoteOptions;
  timeZone: string;
}) {
  const f = note.sessionFacts;
  const time =
    f.start && f.end
      ? `${formatDateTime(f.start, timeZone)} – ${new Intl.DateTimeFormat('en-US', { timeZone, timeStyle: 'short' }).format(new Date(f.end))}${f.minutes === null ? '' : ` (${f.minutes} min)`}`
      : null;
  const modality = f.modality
    ? (options.modalities.find((m) => m.value === f.modality)?.label ?? f.modality)
    : null;
  const service = f.serviceType
    ? (options.serviceTypes.find((s) => s.value === f.serviceType)?.label ?? f.serviceType)
    : null;
  const rows: [string, string | null][] = [
    ['Date of service', formatDate(note.dateOfService)],
    ['Service', service],
    ['Time', time],
    ['Modality', modality ? `${modality}${f.clientAtHome ? ' (client at home)' : ''}` : null],
    ['Location', f.location],
    ['Participants', f.participants.length ? f.participants.join(', ') : null],
    [
      'CPT',
      f.cpt.length
        ? `${cptText(f.cpt)}${f.cptOverrideReason !== null ? ` (overridden: ${f.cptOverrideReason})` : ''}`
        : null,
    ],
    [
      'Diagnoses',
      note.diagnoses.length ? note.diagnoses.map((d) => `${d.code} ${d.title}`).join('; ') : null,
    ],
  ];
  return (
    <section className="panel" aria-labelledby="read-facts-title">
      <h2 id="read-facts-title">Session</h2>
      <dl className="dl">
        {rows
          .filter((r): r is [string, string] => r[1] !== null)
          .map(([label, value]) => (
            <div className="dl-row" key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

/**
 * A note that can no longer be edited here: signed, awaiting co-signature, or someone else's.
 * Corrections are addenda; a supervisor co-signs or returns it with comments.
 */
export function NoteReadView({
  note,
  options,
  timeZone,
  cosignerName,
  mfaEnabled,
  flash,
  onChanged,
}: {
  note: NoteView;
  options: NoteOptions;
  timeZone: string;
  cosignerName: string;
  mfaEnabled: boolean;
  flash: string | null;
  onChanged: (note: NoteView, message: string) => void;
}) {
  const [addendumOpen, setAddendumOpen] = useState(false);
  const [cosignOpen, setCosignOpen] = useState(false);
  const [returnOpen, setReturnOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const sections = readableSections(note.template, note.content, options);
  const signedAtAll = note.status === 'signed' || note.status === 'awaiting_cosign';

  const cosign = async (reauth: Reauth): Promise<string | null> => {
    try {
      const next = await notesApi.cosign(note.id, note.version, reauth);
      setCosignOpen(false);
      onChanged(next, 'Note co-signed.');
      return null;
    } catch (err) {
      const e = toApiError(err);
      if (e.status === 401) {
        // Not a wrong password: the session itself ended, and the sign-in page should follow.
        if (e.problem.reauth !== true) void sessionCheck().catch(() => undefined);
        return e.detail || 'That did not match. Try again.';
      }
      setCosignOpen(false);
      setMessage(e.isStale ? 'This note changed since you opened it. Reload the page to see it.' : e.detail);
      return null;
    }
  };

  return (
    <>
      {flash ? <Alert kind="success">{flash}</Alert> : null}
      {message ? <Alert kind="error">{message}</Alert> : null}
      {note.status === 'awaiting_cosign' ? (
        <p className="alert alert-info awaiting" role="status">
          Awaiting co-signature by <strong>{cosignerName}</strong>.
          {note.can.cosign ? ' Review the note, then co-sign it or return it with comments.' : ''}
        </p>
      ) : null}
      <div className="page-actions read-actions">
        {note.can.cosign ? (
          <button type="button" className="button primary" onClick={() => setCosignOpen(true)}>
            Co-sign
          </button>
        ) : null}
        {note.can.returnToAuthor ? (
          <button type="button" className="button secondary" onClick={() => setReturnOpen(true)}>
            Return with comments
          </button>
        ) : null}
        {note.can.addAddendum ? (
          <button type="button" className="button secondary" onClick={() => setAddendumOpen(true)}>
            Add addendum
          </button>
        ) : null}
        {signedAtAll ? (
          <a className="button secondary" href={notesApi.pdfUrl(note.id)} download>
            Download PDF
          </a>
        ) : null}
      </div>

      <FactsSummary note={note} options={options} timeZone={timeZone} />

      <article className="panel note-read" aria-labelledby="note-body-title">
        <h2 id="note-body-title" className="visually-hidden">
          Note
        </h2>
        {sections.map((s) => (
          <section key={s.title} className="read-section">
            <h3>{s.title}</h3>
            <dl className="read-lines">
              {s.lines.map((l) => (
                <div key={l.fieldId} className="read-line">
                  <dt>{l.label}</dt>
                  <dd className="narrative">{l.text}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <SignatureBlock note={note} timeZone={timeZone} />
      </article>

      {/* A note just returned is its author's again: the supervisor no longer reads its goals. */}
      {note.status === 'signed' || note.status === 'awaiting_cosign' ? (
        <GoalProgressSection noteId={note.id} clientId={note.clientId} />
      ) : null}

      {note.addenda.length > 0 ? (
        <section className="panel" aria-labelledby="addenda-title">
          <h2 id="addenda-title">Addenda</h2>
          <ol className="addenda">
            {note.addenda.map((a, i) => (
              <li key={a.id} className="addendum" aria-label={`Addendum ${i + 1}`}>
                <p className="addendum-head">
                  <strong>Addendum {i + 1}</strong> · {formatDateTime(a.signature.signedAt, timeZone)}
                </p>
                <p>
                  <span className="muted">Reason: </span>
                  {a.reason}
                </p>
                <p className="narrative">{a.text}</p>
                <p className="signature-line">
                  Electronically signed by <strong>{signatureText(a.signature, timeZone)}</strong>
                </p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {note.status === 'signed' ? <NoteAmendments noteId={note.id} /> : null}

      {signedAtAll ? (
        <section className="panel" aria-labelledby="integrity-title">
          <h2 id="integrity-title">Integrity</h2>
          <p className="hint">
            A SHA-256 hash of the note was taken when it was signed. Verifying recomputes it from what is
            stored now.
          </p>
          <IntegrityCheck noteId={note.id} timeZone={timeZone} />
        </section>
      ) : null}

      {note.history.length > 0 ? (
        <section className="panel" aria-labelledby="history-title">
          <h2 id="history-title">Signature history</h2>
          <ul className="plain history">
            {note.history.map((h, i) => (
              <li key={i}>
                {formatDateTime(h.at, timeZone)} — {ACT_LABELS[h.act] ?? h.act} by {h.name}
                {h.credentials ? `, ${h.credentials}` : ''}
                {h.comments ? <span className="block narrative muted">“{h.comments}”</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <AddendumDialog
        open={addendumOpen}
        noteId={note.id}
        mfaEnabled={mfaEnabled}
        onClose={() => setAddendumOpen(false)}
        onAdded={(next) => {
          setAddendumOpen(false);
          onChanged(next, 'Addendum signed and added.');
        }}
      />
      <SignDialog
        open={cosignOpen}
        title="Co-sign this note"
        submitLabel="Co-sign note"
        mfaEnabled={mfaEnabled}
        attestation={
          <p>
            By co-signing you attest that, as the supervising clinician, you have reviewed this note by{' '}
            {note.authorName} and agree with it. Your electronic signature has the same effect as your
            handwritten one, and the note cannot be changed afterwards.
          </p>
        }
        onSubmit={cosign}
        onClose={() => setCosignOpen(false)}
      />
      {note.can.returnToAuthor ? (
        <ReturnDialog
          open={returnOpen}
          note={note}
          onClose={() => setReturnOpen(false)}
          onReturned={(next) => {
            setReturnOpen(false);
            onChanged(next, `Note returned to ${note.authorName} with your comments.`);
          }}
        />
      ) : null}
    </>
  );
}
