import type { Queryable } from './database.js';

// Hand-overs (0011) and the few client-scoped facts their summary needs that no other repository
// reads: documentation still open for one client, upcoming sessions, open record requests.
// Summary and note arrive and leave as ciphertext.

export interface HandoverRow {
  id: string;
  client_id: string;
  from_clinician_id: string | null;
  from_name: string | null;
  to_clinician_id: string;
  to_name: string;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  summary_enc: Buffer;
  note_enc: Buffer | null;
  acknowledged_at: Date | null;
  superseded_by: string | null;
}

const COLUMNS = `h.id, h.client_id, h.from_clinician_id, f.full_name AS from_name, h.to_clinician_id,
  t.full_name AS to_name, h.created_by, b.full_name AS created_by_name, h.created_at, h.summary_enc,
  h.note_enc, h.acknowledged_at, h.superseded_by`;
const FROM = `handovers h JOIN users t ON t.id = h.to_clinician_id JOIN users b ON b.id = h.created_by
  LEFT JOIN users f ON f.id = h.from_clinician_id`;

export async function insertHandover(
  tx: Queryable,
  h: {
    id: string;
    practiceId: string;
    clientId: string;
    fromClinicianId: string | null;
    toClinicianId: string;
    createdBy: string;
    createdAt: Date;
    summaryEnc: Buffer;
    noteEnc: Buffer | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO handovers (id, practice_id, client_id, from_clinician_id, to_clinician_id, created_by, created_at,
       summary_enc, note_enc)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [
      h.id,
      h.practiceId,
      h.clientId,
      h.fromClinicianId,
      h.toClinicianId,
      h.createdBy,
      h.createdAt,
      h.summaryEnc,
      h.noteEnc,
    ],
  );
}

/** Marks the client's unread hand-overs as superseded by a newer one; returns how many. */
export async function supersedeUnread(tx: Queryable, clientId: string, byId: string): Promise<number> {
  const r = await tx.query(
    `UPDATE handovers SET superseded_by = $2
      WHERE client_id = $1 AND id <> $2 AND acknowledged_at IS NULL AND superseded_by IS NULL`,
    [clientId, byId],
  );
  return r.rowCount ?? 0;
}

export async function getHandover(
  tx: Queryable,
  id: string,
  forUpdate = false,
): Promise<HandoverRow | undefined> {
  const r = await tx.query<HandoverRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE h.id = $1${forUpdate ? ' FOR UPDATE OF h' : ''}`,
    [id],
  );
  return r.rows[0];
}

export async function acknowledgeHandover(tx: Queryable, id: string, at: Date): Promise<boolean> {
  const r = await tx.query(
    'UPDATE handovers SET acknowledged_at = $2 WHERE id = $1 AND acknowledged_at IS NULL AND superseded_by IS NULL',
    [id, at],
  );
  return (r.rowCount ?? 0) === 1;
}

export type HandoverListRow = Omit<HandoverRow, 'summary_enc' | 'note_enc'> & { has_note: boolean };
const LIST_COLUMNS = COLUMNS.replace('h.summary_enc,', '').replace(
  'h.note_enc,',
  '(h.note_enc IS NOT NULL) AS has_note,',
);

/** A client's hand-overs, newest first, keyset-paged on (created_at, id) (handovers_client_idx). */
export async function handoversOfClient(
  tx: Queryable,
  q: { clientId: string; before: { at: Date; id: string } | null; limit: number },
): Promise<HandoverListRow[]> {
  const r = await tx.query<HandoverListRow>(
    `SELECT ${LIST_COLUMNS} FROM ${FROM}
      WHERE h.practice_id = current_practice_id() AND h.client_id = $1
        AND ($2::timestamptz IS NULL OR (h.created_at, h.id) < ($2, $3::uuid))
      ORDER BY h.created_at DESC, h.id DESC LIMIT $4`,
    [q.clientId, q.before?.at ?? null, q.before?.id ?? null, q.limit],
  );
  return r.rows;
}

export interface PendingHandoverRow extends HandoverListRow {
  client_code: string;
  display_name: string;
}

/**
 * Unread hand-overs to this clinician, oldest first (handovers_pending_idx), of clients whose care
 * team they are still on: one taken off the team again has nothing left to read.
 */
export async function pendingHandoversFor(
  tx: Queryable,
  clinicianId: string,
  limit: number,
): Promise<PendingHandoverRow[]> {
  const r = await tx.query<PendingHandoverRow>(
    `SELECT ${LIST_COLUMNS}, c.client_code,
            coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS display_name
       FROM ${FROM} JOIN clients c ON c.id = h.client_id
      WHERE h.practice_id = current_practice_id() AND h.to_clinician_id = $1
        AND h.acknowledged_at IS NULL AND h.superseded_by IS NULL
        AND EXISTS (SELECT 1 FROM care_team_members m WHERE m.client_id = h.client_id AND m.user_id = $1)
      ORDER BY h.created_at, h.id LIMIT $2`,
    [clinicianId, limit],
  );
  return r.rows;
}

// ---------------------------------------------------------------- facts for the summary

const NEEDS_NOTE = "('attended', 'no_show', 'late_cancel')";

export interface ClientNeedsNoteRow {
  starts_at: Date;
  note_due_at: Date | null;
  note_state: string;
  clinician_name: string;
}

/** One client's sessions that need a note and have no signed one (session_clients_client_idx). */
export async function needsNoteOfClient(tx: Queryable, clientId: string): Promise<ClientNeedsNoteRow[]> {
  const r = await tx.query<ClientNeedsNoteRow>(
    `SELECT sc.starts_at, sc.note_due_at, sc.note_state, u.full_name AS clinician_name
       FROM session_clients sc JOIN users u ON u.id = sc.clinician_id
      WHERE sc.practice_id = current_practice_id() AND sc.client_id = $1
        AND sc.note_state <> 'signed' AND sc.note_state <> 'awaiting_cosign' AND sc.attendance IN ${NEEDS_NOTE}
      ORDER BY sc.starts_at LIMIT 100`,
    [clientId],
  );
  return r.rows;
}

export interface ClientUnfinishedNoteRow {
  date_of_service: string;
  status: 'draft' | 'returned' | 'awaiting_cosign';
  author_name: string;
  cosigner_name: string | null;
  has_session: boolean;
}

/** One client's notes not yet final, with no content (notes_client_idx). */
export async function unfinishedNotesOfClient(
  tx: Queryable,
  clientId: string,
): Promise<ClientUnfinishedNoteRow[]> {
  const r = await tx.query<ClientUnfinishedNoteRow>(
    `SELECT to_char(n.date_of_service, 'YYYY-MM-DD') AS date_of_service, n.status, a.full_name AS author_name,
            c.full_name AS cosigner_name, (n.session_id IS NOT NULL) AS has_session
       FROM notes n JOIN users a ON a.id = n.author_id LEFT JOIN users c ON c.id = n.cosigner_id
      WHERE n.practice_id = current_practice_id() AND n.client_id = $1
        AND n.status IN ('draft', 'returned', 'awaiting_cosign')
      ORDER BY n.date_of_service, n.id LIMIT 100`,
    [clientId],
  );
  return r.rows;
}

export interface UpcomingSessionRow {
  starts_at: Date;
  service_type: string;
  clinician_name: string;
}

/** The client's next scheduled (not cancelled) sessions, soonest first. */
export async function upcomingSessionsOfClient(
  tx: Queryable,
  q: { clientId: string; now: Date; limit: number },
): Promise<UpcomingSessionRow[]> {
  const r = await tx.query<UpcomingSessionRow>(
    `SELECT sc.starts_at, s.service_type, u.full_name AS clinician_name
       FROM session_clients sc JOIN sessions s ON s.id = sc.session_id JOIN users u ON u.id = s.clinician_id
      WHERE sc.practice_id = current_practice_id() AND sc.client_id = $1 AND sc.starts_at > $2
        AND sc.attendance = 'scheduled' AND s.cancelled_at IS NULL
      ORDER BY sc.starts_at, sc.session_id LIMIT $3`,
    [q.clientId, q.now, q.limit],
  );
  return r.rows;
}

export interface OpenRecordRequestRow {
  kind: 'copy' | 'amendment';
  received_on: string;
  due_on: string;
}

/** The client's open requests for a copy or an amendment of their record (0010), soonest due first. */
export async function openRecordRequestsOfClient(
  tx: Queryable,
  clientId: string,
): Promise<OpenRecordRequestRow[]> {
  const r = await tx.query<OpenRecordRequestRow>(
    `SELECT kind, received_on, due_on FROM (
       SELECT 'copy' AS kind, received_on::text, coalesce(extended_due_on, due_on)::text AS due_on
         FROM record_copy_requests
        WHERE practice_id = current_practice_id() AND client_id = $1 AND status = 'open'
       UNION ALL
       SELECT 'amendment', received_on::text, coalesce(extended_due_on, due_on)::text
         FROM amendment_requests
        WHERE practice_id = current_practice_id() AND client_id = $1 AND status = 'open'
     ) q ORDER BY due_on, kind LIMIT 50`,
    [clientId],
  );
  return r.rows;
}
