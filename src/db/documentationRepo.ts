import type { Queryable } from './database.js';

// Documentation timeliness: the sessions still waiting for a note, a clinician's unsigned and
// returned notes, the co-signature queue, and the rows the compliance report is computed from.

/** Attendance that calls for a note (the partial index session_clients_needing_note_idx). */
const NEEDS_NOTE = "('attended', 'no_show', 'late_cancel')";
const DISPLAY_NAME = "coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name";

export interface DocumentationCountsRow {
  needs_note: number;
  due_soon: number;
  overdue: number;
  drafts: number;
  returned: number;
  awaiting_cosign: number;
  to_cosign: number;
}

/**
 * Every count the dashboard and the navigation badge show, in one round trip. Due soon and
 * overdue follow deadlineState: overdue once now is past the due time, due soon from
 * `reminderHours` before it.
 */
export async function documentationCounts(
  tx: Queryable,
  q: { practiceId: string; userId: string; now: Date; reminderHours: number },
): Promise<DocumentationCountsRow> {
  const r = await tx.query<DocumentationCountsRow>(
    `WITH pending AS (
       SELECT count(*)::int AS needs_note,
              count(*) FILTER (WHERE note_due_at < $3)::int AS overdue,
              count(*) FILTER (WHERE note_due_at >= $3
                                 AND note_due_at <= $3::timestamptz + make_interval(hours => $4))::int AS due_soon
         FROM session_clients
        WHERE practice_id = $1 AND clinician_id = $2
          AND note_state <> 'signed' AND note_state <> 'awaiting_cosign' AND attendance IN ${NEEDS_NOTE}
     ), mine AS (
       SELECT count(*) FILTER (WHERE status = 'draft')::int AS drafts,
              count(*) FILTER (WHERE status = 'returned')::int AS returned,
              count(*) FILTER (WHERE status = 'awaiting_cosign')::int AS awaiting_cosign
         FROM notes
        WHERE practice_id = $1 AND author_id = $2 AND status IN ('draft', 'returned', 'awaiting_cosign')
     ), cosign AS (
       SELECT count(*)::int AS to_cosign FROM notes
        WHERE practice_id = $1 AND cosigner_id = $2 AND status = 'awaiting_cosign'
     )
     SELECT pending.*, mine.*, cosign.* FROM pending, mine, cosign`,
    [q.practiceId, q.userId, q.now, q.reminderHours],
  );
  const row = r.rows[0];
  if (!row) throw new Error('count query returned no row');
  return row;
}

export interface NeedsNoteRow {
  session_id: string;
  client_id: string;
  client_code: string;
  display_name: string;
  service_type: string;
  start_at: Date;
  end_at: Date;
  attendance: string;
  note_due_at: Date | null;
  note_state: string;
  note_id: string | null;
}

/** A clinician's session rows that still need a signed note, soonest due first. */
export async function needsNoteRows(
  tx: Queryable,
  q: { practiceId: string; clinicianId: string; limit: number },
): Promise<NeedsNoteRow[]> {
  const r = await tx.query<NeedsNoteRow>(
    `SELECT sc.session_id, sc.client_id, c.client_code, ${DISPLAY_NAME} AS display_name, s.service_type,
            coalesce(s.actual_start, s.scheduled_start) AS start_at,
            coalesce(s.actual_end, s.scheduled_end) AS end_at,
            sc.attendance, sc.note_due_at, sc.note_state, n.id AS note_id
       FROM session_clients sc
       JOIN sessions s ON s.id = sc.session_id
       JOIN clients c ON c.id = sc.client_id
       LEFT JOIN notes n ON n.session_id = sc.session_id AND n.client_id = sc.client_id
      WHERE sc.practice_id = $1 AND sc.clinician_id = $2
        AND sc.note_state <> 'signed' AND sc.note_state <> 'awaiting_cosign' AND sc.attendance IN ${NEEDS_NOTE}
      ORDER BY sc.note_due_at, sc.starts_at, sc.session_id, sc.client_id
      LIMIT $3`,
    [q.practiceId, q.clinicianId, q.limit],
  );
  return r.rows;
}

export interface AuthorNoteRow {
  id: string;
  client_id: string;
  client_code: string;
  display_name: string;
  kind: string;
  status: 'draft' | 'returned' | 'awaiting_cosign';
  date_of_service: string;
  updated_at: Date;
  due_at: Date | null;
  returned_at: Date | null;
  signed_at: Date | null;
  cosigner_name: string | null;
}

/** An author's notes not yet final: drafts, returned notes and notes waiting for co-signature. */
export async function unfinishedNotesOf(
  tx: Queryable,
  q: { practiceId: string; authorId: string; limit: number },
): Promise<AuthorNoteRow[]> {
  const r = await tx.query<AuthorNoteRow>(
    `SELECT n.id, n.client_id, c.client_code, ${DISPLAY_NAME} AS display_name, n.kind, n.status,
            to_char(n.date_of_service, 'YYYY-MM-DD') AS date_of_service, n.updated_at, n.due_at,
            n.returned_at, n.signed_at, u.full_name AS cosigner_name
       FROM notes n
       JOIN clients c ON c.id = n.client_id
       LEFT JOIN users u ON u.id = n.cosigner_id
      WHERE n.practice_id = $1 AND n.author_id = $2 AND n.status IN ('draft', 'returned', 'awaiting_cosign')
      ORDER BY n.due_at NULLS LAST, n.date_of_service, n.id
      LIMIT $3`,
    [q.practiceId, q.authorId, q.limit],
  );
  return r.rows;
}

export interface CosignQueueRow {
  id: string;
  author_id: string;
  author_name: string;
  client_id: string;
  client_code: string;
  display_name: string;
  date_of_service: string;
  signed_at: Date;
  late_entry: boolean;
}

/** Notes waiting for this supervisor's co-signature, longest waiting first (notes_cosign_idx). */
export async function cosignQueue(
  tx: Queryable,
  q: { practiceId: string; cosignerId: string; limit: number },
): Promise<CosignQueueRow[]> {
  const r = await tx.query<CosignQueueRow>(
    `SELECT n.id, n.author_id, u.full_name AS author_name, n.client_id, c.client_code,
            ${DISPLAY_NAME} AS display_name, to_char(n.date_of_service, 'YYYY-MM-DD') AS date_of_service,
            n.signed_at, n.late_entry
       FROM notes n
       JOIN clients c ON c.id = n.client_id
       JOIN users u ON u.id = n.author_id
      WHERE n.practice_id = $1 AND n.cosigner_id = $2 AND n.status = 'awaiting_cosign'
      ORDER BY n.signed_at, n.id
      LIMIT $3`,
    [q.practiceId, q.cosignerId, q.limit],
  );
  return r.rows;
}

export interface ComplianceSourceRow {
  clinician_id: string;
  session_end: Date;
  due_at: Date;
  signed_at: Date | null;
}

/**
 * Each client row of the sessions that started in [from, to) and needed a note, with when its
 * note was signed by its author (null while unsigned or returned). Read through sessions_time_idx.
 */
export async function complianceRows(
  tx: Queryable,
  q: { practiceId: string; from: Date; to: Date; clinicianIds: string[] | null },
): Promise<ComplianceSourceRow[]> {
  const r = await tx.query<ComplianceSourceRow>(
    `SELECT s.clinician_id, coalesce(s.actual_end, s.scheduled_end) AS session_end, sc.note_due_at AS due_at,
            n.signed_at
       FROM sessions s
       JOIN session_clients sc ON sc.session_id = s.id
       LEFT JOIN notes n ON n.session_id = sc.session_id AND n.client_id = sc.client_id
      WHERE s.practice_id = $1 AND s.scheduled_start >= $2 AND s.scheduled_start < $3
        AND ($4::uuid[] IS NULL OR s.clinician_id = ANY($4::uuid[]))
        AND sc.attendance IN ${NEEDS_NOTE} AND sc.note_due_at IS NOT NULL
      ORDER BY s.clinician_id, s.scheduled_start`,
    [q.practiceId, q.from, q.to, q.clinicianIds],
  );
  return r.rows;
}

/**
 * The clinicians a compliance report lists: active clinicians and supervisors (or only the given
 * ones), and anyone else who held one of the report's sessions, such as a departed clinician.
 */
export async function complianceClinicians(
  tx: Queryable,
  q: { scope: string[] | null; withRows: string[] },
): Promise<{ id: string; full_name: string }[]> {
  const r = await tx.query<{ id: string; full_name: string }>(
    `SELECT id, full_name FROM users
      WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
        AND ((active AND roles && ARRAY['clinician', 'supervisor']) OR id = ANY($2::uuid[]))
      ORDER BY full_name, id`,
    [q.scope, q.withRows],
  );
  return r.rows;
}

export interface ClientLabelRow {
  id: string;
  client_code: string;
  display_name: string;
}

/** Code and display name of several clients in one query. */
export async function clientLabels(tx: Queryable, ids: string[]): Promise<ClientLabelRow[]> {
  if (ids.length === 0) return [];
  const r = await tx.query<ClientLabelRow>(
    `SELECT c.id, c.client_code, ${DISPLAY_NAME} AS display_name FROM clients c WHERE c.id = ANY($1::uuid[])`,
    [ids],
  );
  return r.rows;
}
