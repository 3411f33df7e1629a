import type { Queryable } from './database.js';

// Therapy sessions and their per-client rows (attendance, note deadline, note state).

export interface SessionRow {
  id: string;
  practice_id: string;
  clinician_id: string;
  series_id: string | null;
  service_type: string;
  scheduled_start: Date;
  scheduled_end: Date;
  actual_start: Date | null;
  actual_end: Date | null;
  modality: string;
  location: string | null;
  client_at_home: boolean;
  place_of_service: string;
  other_participants: string[];
  interactive_complexity: boolean;
  cpt_override: { code: string; units: number; modifiers: string[] }[] | null;
  cpt_override_reason: string | null;
  cancelled_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  clinician_name: string;
}

export interface SessionClientRow {
  session_id: string;
  client_id: string;
  clinician_id: string;
  starts_at: Date;
  attendance: string;
  cancellation_reason: string | null;
  note_due_at: Date | null;
  note_state: string;
  note_id: string | null;
  client_code: string;
  display_name: string;
}

const SESSION_FIELDS = [
  'id',
  'practice_id',
  'clinician_id',
  'series_id',
  'service_type',
  'scheduled_start',
  'scheduled_end',
  'actual_start',
  'actual_end',
  'modality',
  'location',
  'client_at_home',
  'place_of_service',
  'other_participants',
  'interactive_complexity',
  'cpt_override',
  'cpt_override_reason',
  'cancelled_at',
  'created_at',
  'updated_at',
  'version',
];
const CLINICIAN_NAME = '(SELECT u.full_name FROM users u WHERE u.id = clinician_id) AS clinician_name';
const SESSION_COLUMNS = [...SESSION_FIELDS, CLINICIAN_NAME].join(', ');
const SESSION_COLUMNS_S = [
  ...SESSION_FIELDS.map((f) => `s.${f}`),
  CLINICIAN_NAME.replace('= clinician_id', '= s.clinician_id'),
].join(', ');

export interface NewSession {
  id: string;
  practiceId: string;
  clinicianId: string;
  seriesId: string | null;
  serviceType: string;
  scheduledStart: Date;
  scheduledEnd: Date;
  modality: string;
  location: string | null;
  clientAtHome: boolean;
  placeOfService: string;
  otherParticipants: string[];
  createdBy: string;
}

export async function insertSeries(
  tx: Queryable,
  s: { id: string; practiceId: string; clinicianId: string; recurrence: string; createdBy: string },
): Promise<void> {
  await tx.query(
    'INSERT INTO session_series (id, practice_id, clinician_id, recurrence, created_by) VALUES ($1,$2,$3,$4,$5)',
    [s.id, s.practiceId, s.clinicianId, s.recurrence, s.createdBy],
  );
}

/** Inserts sessions and their client rows in two statements, however many occurrences. */
export async function insertSessions(
  tx: Queryable,
  sessions: NewSession[],
  clientIds: string[],
): Promise<void> {
  if (sessions.length === 0) return;
  // other_participants travel as one JSON text per session: unnest cannot take an array of arrays.
  await tx.query(
    `INSERT INTO sessions (id, practice_id, clinician_id, series_id, service_type, scheduled_start, scheduled_end,
       modality, location, client_at_home, place_of_service, other_participants, created_by)
     SELECT t.id, t.practice_id, t.clinician_id, t.series_id, t.service_type, t.scheduled_start, t.scheduled_end,
            t.modality, t.location, t.client_at_home, t.place_of_service,
            ARRAY(SELECT jsonb_array_elements_text(t.participants::jsonb)), t.created_by
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                   $8::text[], $9::text[], $10::bool[], $11::text[], $12::text[], $13::uuid[])
         AS t(id, practice_id, clinician_id, series_id, service_type, scheduled_start, scheduled_end, modality,
              location, client_at_home, place_of_service, participants, created_by)`,
    [
      sessions.map((s) => s.id),
      sessions.map((s) => s.practiceId),
      sessions.map((s) => s.clinicianId),
      sessions.map((s) => s.seriesId),
      sessions.map((s) => s.serviceType),
      sessions.map((s) => s.scheduledStart),
      sessions.map((s) => s.scheduledEnd),
      sessions.map((s) => s.modality),
      sessions.map((s) => s.location),
      sessions.map((s) => s.clientAtHome),
      sessions.map((s) => s.placeOfService),
      sessions.map((s) => JSON.stringify(s.otherParticipants)),
      sessions.map((s) => s.createdBy),
    ],
  );
  await tx.query(
    `INSERT INTO session_clients (practice_id, session_id, client_id, clinician_id, starts_at)
     SELECT s.practice_id, s.id, c.client_id, s.clinician_id, s.scheduled_start
       FROM sessions s CROSS JOIN unnest($2::uuid[]) AS c(client_id)
      WHERE s.id = ANY($1::uuid[])`,
    [sessions.map((s) => s.id), clientIds],
  );
}

export async function getSession(
  tx: Queryable,
  id: string,
  forUpdate = false,
): Promise<SessionRow | undefined> {
  const r = await tx.query<SessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1${forUpdate ? ' FOR NO KEY UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

/** Several sessions in one statement, in start order. */
export async function getSessions(tx: Queryable, ids: string[]): Promise<SessionRow[]> {
  const r = await tx.query<SessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ANY($1::uuid[]) ORDER BY scheduled_start, id`,
    [ids],
  );
  return r.rows;
}

const CLIENT_ROW_COLUMNS = `sc.session_id, sc.client_id, sc.clinician_id, sc.starts_at, sc.attendance,
  sc.cancellation_reason, sc.note_due_at, sc.note_state, c.client_code,
  (SELECT n.id FROM notes n WHERE n.session_id = sc.session_id AND n.client_id = sc.client_id) AS note_id,
  coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS display_name`;

export async function sessionClients(tx: Queryable, sessionIds: string[]): Promise<SessionClientRow[]> {
  const r = await tx.query<SessionClientRow>(
    `SELECT ${CLIENT_ROW_COLUMNS}
       FROM session_clients sc JOIN clients c ON c.id = sc.client_id
      WHERE sc.session_id = ANY($1::uuid[]) ORDER BY c.name_sort, sc.client_id`,
    [sessionIds],
  );
  return r.rows;
}

/** Sessions that overlap [start, end) for a clinician or any of the clients, not cancelled. */
export async function overlapping(
  tx: Queryable,
  q: { clinicianId: string; clientIds: string[]; start: Date; end: Date; excludeSessionId?: string | null },
): Promise<
  { id: string; clinician_id: string; scheduled_start: Date; scheduled_end: Date; same_clinician: boolean }[]
> {
  const r = await tx.query<{
    id: string;
    clinician_id: string;
    scheduled_start: Date;
    scheduled_end: Date;
    same_clinician: boolean;
  }>(
    `SELECT s.id, s.clinician_id, s.scheduled_start, s.scheduled_end, s.clinician_id = $1 AS same_clinician
       FROM sessions s
      WHERE s.cancelled_at IS NULL
        AND s.scheduled_start < $4 AND s.scheduled_end > $3
        AND s.id IS DISTINCT FROM $5
        AND (s.clinician_id = $1 OR EXISTS (SELECT 1 FROM session_clients sc
              WHERE sc.session_id = s.id AND sc.client_id = ANY($2::uuid[])))
      ORDER BY s.scheduled_start LIMIT 20`,
    [q.clinicianId, q.clientIds, q.start, q.end, q.excludeSessionId ?? null],
  );
  return r.rows;
}

/** A calendar window, optionally one clinician's, with every client row in a second query. */
export async function sessionsBetween(
  tx: Queryable,
  q: { from: Date; to: Date; clinicianId: string | null; limit: number },
): Promise<SessionRow[]> {
  const r = await tx.query<SessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM sessions
      WHERE scheduled_start >= $1 AND scheduled_start < $2 AND ($3::uuid IS NULL OR clinician_id = $3)
      ORDER BY scheduled_start, id LIMIT $4`,
    [q.from, q.to, q.clinicianId, q.limit],
  );
  return r.rows;
}

export async function sessionsOfClient(
  tx: Queryable,
  clientId: string,
  q: { from: Date | null; to: Date | null; limit: number },
): Promise<SessionRow[]> {
  const r = await tx.query<SessionRow>(
    `SELECT ${SESSION_COLUMNS_S}
       FROM session_clients sc JOIN sessions s ON s.id = sc.session_id
      WHERE sc.client_id = $1 AND ($2::timestamptz IS NULL OR sc.starts_at >= $2)
        AND ($3::timestamptz IS NULL OR sc.starts_at < $3)
      ORDER BY sc.starts_at DESC LIMIT $4`,
    [clientId, q.from, q.to, q.limit],
  );
  return r.rows;
}

export interface SessionPatch {
  service_type?: string;
  scheduled_start?: Date;
  scheduled_end?: Date;
  actual_start?: Date | null;
  actual_end?: Date | null;
  modality?: string;
  location?: string | null;
  client_at_home?: boolean;
  place_of_service?: string;
  other_participants?: string[];
  interactive_complexity?: boolean;
  cpt_override?: string | null;
  cpt_override_reason?: string | null;
  cancelled_at?: Date | null;
}

export async function updateSession(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  patch: SessionPatch,
): Promise<SessionRow | undefined> {
  const keys = Object.keys(patch) as (keyof SessionPatch)[];
  const sets = keys.map((k, i) => `${k} = $${i + 3}${k === 'cpt_override' ? '::jsonb' : ''}`);
  const r = await tx.query<SessionRow>(
    `UPDATE sessions SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
      WHERE id = $1 AND version = $2 RETURNING ${SESSION_COLUMNS}`,
    [id, expectedVersion, ...keys.map((k) => patch[k])],
  );
  if (patch.scheduled_start && r.rows[0])
    await tx.query('UPDATE session_clients SET starts_at = $2 WHERE session_id = $1', [
      id,
      patch.scheduled_start,
    ]);
  return r.rows[0];
}

export async function setAttendance(
  tx: Queryable,
  sessionId: string,
  clientId: string,
  attendance: string,
  reason: string | null,
  noteDueAt: Date | null,
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE session_clients SET attendance = $3, cancellation_reason = $4, note_due_at = $5
      WHERE session_id = $1 AND client_id = $2`,
    [sessionId, clientId, attendance, reason, noteDueAt],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function setNoteState(
  tx: Queryable,
  sessionId: string,
  clientId: string,
  state: 'none' | 'draft' | 'awaiting_cosign' | 'returned' | 'signed',
): Promise<void> {
  await tx.query('UPDATE session_clients SET note_state = $3 WHERE session_id = $1 AND client_id = $2', [
    sessionId,
    clientId,
    state,
  ]);
}

/**
 * Where a newest-first page resumes: rows strictly before `at`, and the rows at `at` itself
 * either all (`ties: 'all'`), none (`'none'`) or those whose id sorts below `idBelow`.
 */
export interface TimelineBound<K = Date> {
  at: K;
  ties: 'all' | 'none' | { idBelow: string };
}

/** Bound parameters shared by the timeline queries: (at, include every tie, id below). */
export function timelineBoundParams<K>(b: TimelineBound<K> | null): [K | null, boolean, string | null] {
  if (!b) return [null, false, null];
  if (b.ties === 'all') return [b.at, true, null];
  if (b.ties === 'none') return [b.at, false, null];
  return [b.at, false, b.ties.idBelow];
}

export interface ChartSessionRow {
  session_id: string;
  starts_at: Date;
  service_type: string;
  attendance: string;
  clinician_name: string;
  actual_start: Date | null;
  actual_end: Date | null;
  note_state: string;
  note_id: string | null;
  note_author_id: string | null;
  note_status: string | null;
}

/** One client's sessions for the chart, newest first, keyset-paged (session_clients_client_idx). */
export async function chartSessions(
  tx: Queryable,
  q: {
    practiceId: string;
    clientId: string;
    from: Date | null;
    to: Date | null;
    before: TimelineBound | null;
    limit: number;
  },
): Promise<ChartSessionRow[]> {
  const r = await tx.query<ChartSessionRow>(
    `SELECT sc.session_id, sc.starts_at, s.service_type, sc.attendance, u.full_name AS clinician_name,
            s.actual_start, s.actual_end, sc.note_state, n.id AS note_id, n.author_id AS note_author_id,
            n.status AS note_status
       FROM session_clients sc
       JOIN sessions s ON s.id = sc.session_id
       JOIN users u ON u.id = s.clinician_id
       LEFT JOIN notes n ON n.session_id = sc.session_id AND n.client_id = sc.client_id
      WHERE sc.practice_id = $1 AND sc.client_id = $2
        AND ($3::timestamptz IS NULL OR sc.starts_at >= $3)
        AND ($4::timestamptz IS NULL OR sc.starts_at < $4)
        AND ($5::timestamptz IS NULL OR sc.starts_at < $5
             OR (sc.starts_at = $5 AND ($6::boolean OR sc.session_id < $7::uuid)))
      ORDER BY sc.starts_at DESC, sc.session_id DESC
      LIMIT $8`,
    [q.practiceId, q.clientId, q.from, q.to, ...timelineBoundParams(q.before), q.limit],
  );
  return r.rows;
}
