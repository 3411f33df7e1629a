import type { NoteView } from '../../api/notesApi.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';

type Signature = NonNullable<NoteView['signature']>;

const STATUS_LABELS: Record<NoteView['status'], string> = {
  draft: 'Draft',
  awaiting_cosign: 'Awaiting co-signature',
  returned: 'Returned',
  signed: 'Signed',
};

export function NoteStatusBadge({ status }: { status: NoteView['status'] }) {
  return <span className={`badge note-status note-status-${status}`}>{STATUS_LABELS[status]}</span>;
}

export function noteStatusLabel(status: NoteView['status']): string {
  return STATUS_LABELS[status];
}

/** "Sam Rivera, LCSW, License 12345 on Mar 2, 2026, 10:53 AM" */
export function signatureText(s: Signature, timeZone: string): string {
  const who = [s.name, s.credentials, s.licenseNumber ? `License ${s.licenseNumber}` : null]
    .filter(Boolean)
    .join(', ');
  return `${who} on ${formatDateTime(s.signedAt, timeZone)}`;
}

/** A note signed after its deadline says so, next to when it was signed and the date of service. */
export function LateEntryBadge({ note, timeZone }: { note: NoteView; timeZone: string }) {
  if (!note.lateEntry || !note.signature) return null;
  return (
    <span className="badge badge-late">
      Late entry — signed {formatDateTime(note.signature.signedAt, timeZone)}, date of service{' '}
      {formatDate(note.dateOfService)}
    </span>
  );
}

/** The electronic signature and co-signature, as they appear on the note and its PDF. */
export function SignatureBlock({ note, timeZone }: { note: NoteView; timeZone: string }) {
  if (!note.signature) return null;
  return (
    <section className="signature-block" aria-labelledby="signature-title">
      <h2 id="signature-title" className="visually-hidden">
        Signatures
      </h2>
      <p className="signature-line">
        Electronically signed by <strong>{signatureText(note.signature, timeZone)}</strong>
      </p>
      {note.cosignature ? (
        <p className="signature-line">
          Co-signed by <strong>{signatureText(note.cosignature, timeZone)}</strong>
        </p>
      ) : null}
      {note.contentHash ? (
        <p className="hash-line">
          SHA-256 <code>{note.contentHash}</code>
        </p>
      ) : null}
    </section>
  );
}
