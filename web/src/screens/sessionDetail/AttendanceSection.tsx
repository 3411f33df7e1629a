import { useState, type FormEvent } from 'react';
import { toApiError } from '../../api/http.js';
import type { SessionView } from '../../api/clinicalTypes.js';
import {
  existingNoteIdOf,
  sessionsApi,
  type Attendance,
  type ProgressFormat,
} from '../../api/sessionsApi.js';
import { Alert } from '../../components/Alert.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { CheckboxField, SelectField, TextArea } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { Link, navigate } from '../../router.js';
import { useSession } from '../../session.js';
import {
  ATTENDANCE_LABELS,
  FORMATS,
  FORMAT_LABELS,
  RECORDABLE_ATTENDANCE,
  needsReason,
  noteKindFor,
  noteStatus,
} from '../../components/sessionLabels.js';

type SessionClient = SessionView['clients'][number];

const NOTE_STATE_TEXT: Record<string, string> = {
  none: 'Not started',
  draft: 'Draft',
  awaiting_cosign: 'Signed, awaiting co-signature',
  returned: 'Returned for changes',
  signed: 'Signed',
};

/** One client's attendance and note: record who came, then write or open the note. */
function ClientRow({
  session,
  client,
  onChange,
}: {
  session: SessionView;
  client: SessionClient;
  onChange: (next: SessionView) => void;
}) {
  const { me } = useSession();
  const tz = me.practice.timeZone;
  const [asking, setAsking] = useState<Attendance | null>(null);
  const [reason, setReason] = useState('');
  const [format, setFormat] = useState<ProgressFormat>('soap');
  const [fromLast, setFromLast] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const reasonForm = useFormErrors();
  const now = Date.now();
  const note = noteStatus(client, now);
  const kind = noteKindFor(client.attendance);
  const isAuthor = session.clinicianId === me.user.id;

  const record = async (attendance: Attendance, why: string | null) => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const next = await sessionsApi.recordAttendance(session.id, client.clientId, attendance, why);
      onChange(next);
      setAsking(null);
      setReason('');
      setStatus(`Recorded: ${ATTENDANCE_LABELS[attendance]}.`);
    } catch (err) {
      if (asking) reasonForm.fromError(err);
      else setError(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };

  const choose = (a: Attendance) => {
    if (a === client.attendance) return;
    if (needsReason(a)) {
      reasonForm.clear();
      setReason('');
      setAsking(a);
    } else void record(a, null);
  };

  const submitReason = (e: FormEvent) => {
    e.preventDefault();
    if (!asking) return;
    if (!reasonForm.check(reason.trim() ? {} : { reason: 'Give the reason' })) return;
    void record(asking, reason.trim());
  };

  const openNote = async () => {
    if (!kind) return;
    setBusy(true);
    setError(null);
    try {
      const created = await sessionsApi.startNote({
        clientId: client.clientId,
        sessionId: session.id,
        kind,
        format: kind === 'progress' ? format : null,
        startFromLast: client.noteState === 'none' && fromLast,
      });
      navigate(`/notes/${created.id}`);
    } catch (err) {
      const existing = existingNoteIdOf(err);
      if (existing) navigate(`/notes/${existing}`);
      else setError(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };

  const nameId = `client-${client.clientId}`;
  return (
    <li className="attendance-client" aria-labelledby={nameId}>
      <div className="attendance-head">
        <h3 id={nameId}>
          {client.displayName} <code className="muted">{client.clientCode}</code>
        </h3>
        <Link to={`/clients/${client.clientId}`}>Client record</Link>
      </div>
      <div className="attendance-buttons" role="group" aria-label={`Attendance for ${client.displayName}`}>
        {RECORDABLE_ATTENDANCE.map((a) => {
          const current = client.attendance === a;
          return (
            <button
              key={a}
              type="button"
              className={`button small ${current ? 'primary' : 'secondary'}`}
              aria-pressed={current}
              disabled={busy}
              onClick={() => choose(a)}
            >
              {ATTENDANCE_LABELS[a]}
            </button>
          );
        })}
      </div>
      {client.cancellationReason && needsReason(client.attendance) ? (
        <p className="muted">Reason: {client.cancellationReason}</p>
      ) : null}
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}

      <dl className="dl note-facts">
        <div className="dl-row">
          <dt>Note</dt>
          <dd>
            {NOTE_STATE_TEXT[client.noteState] ?? client.noteState}
            {note.tone === 'overdue' ? <span className="cal-badge note-overdue">Overdue</span> : null}
          </dd>
        </div>
        {client.noteDueAt ? (
          <div className="dl-row">
            <dt>{note.tone === 'overdue' ? 'Was due' : 'Due'}</dt>
            <dd>{formatDateTime(client.noteDueAt, tz)}</dd>
          </div>
        ) : null}
      </dl>

      {kind === null ? (
        <p className="muted">
          {client.attendance === 'scheduled'
            ? 'Record attendance to start the note.'
            : 'A cancelled session needs no note.'}
        </p>
      ) : !isAuthor ? (
        <p className="muted">Only {session.clinicianName} can write this session&rsquo;s note.</p>
      ) : client.noteState === 'none' ? (
        <div className="write-note">
          {kind === 'progress' ? (
            <>
              <SelectField<ProgressFormat>
                className="format-field"
                name={`format-${client.clientId}`}
                label="Note format"
                value={format}
                onChange={setFormat}
                options={FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))}
                required
              />
              <CheckboxField
                name={`fromLast-${client.clientId}`}
                label="Start from last note"
                checked={fromLast}
                onChange={setFromLast}
                hint="Copies the client’s last signed note in this format; copied parts stay marked until you edit them."
              />
            </>
          ) : (
            <p className="hint">
              A {ATTENDANCE_LABELS[client.attendance].toLowerCase()} needs a short contact note.
            </p>
          )}
          <button type="button" className="button primary" disabled={busy} onClick={() => void openNote()}>
            {kind === 'progress' ? 'Write note' : 'Write contact note'}
          </button>
        </div>
      ) : (
        <button type="button" className="button secondary" disabled={busy} onClick={() => void openNote()}>
          Open note
        </button>
      )}

      <Dialog
        open={asking !== null}
        title={asking ? `${ATTENDANCE_LABELS[asking]}: reason` : ''}
        onClose={() => setAsking(null)}
      >
        <form onSubmit={submitReason} noValidate>
          <ErrorSummary
            message={reasonForm.message}
            errors={reasonForm.errors}
            labels={{ reason: 'Reason' }}
          />
          <TextArea
            name="reason"
            label="Reason"
            value={reason}
            onChange={setReason}
            errors={reasonForm.errors}
            rows={3}
            required
            hint="For the record and any late-cancellation fee, e.g. “client ill, called 2 hours before”."
          />
          <div className="button-row">
            <button type="submit" className="button primary" disabled={busy}>
              Record {asking ? ATTENDANCE_LABELS[asking].toLowerCase() : ''}
            </button>
            <button type="button" className="button secondary" onClick={() => setAsking(null)}>
              Cancel
            </button>
          </div>
        </form>
      </Dialog>
    </li>
  );
}

/** Per client: attendance buttons, note state and due time, and the way into the note. */
export function AttendanceSection({
  session,
  onChange,
}: {
  session: SessionView;
  onChange: (next: SessionView) => void;
}) {
  return (
    <section className="panel" aria-labelledby="attendance-title">
      <h2 id="attendance-title">{session.clients.length === 1 ? 'Client and note' : 'Clients and notes'}</h2>
      <ul className="attendance-list">
        {session.clients.map((c) => (
          <ClientRow key={c.clientId} session={session} client={c} onChange={onChange} />
        ))}
      </ul>
    </section>
  );
}
