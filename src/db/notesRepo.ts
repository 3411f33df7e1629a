import type { Queryable } from './database.js';
import { timelineBoundParams, type TimelineBound } from './sessionsRepo.js';

// Notes, their signature history and addenda. Content arrives and leaves as ciphertext.

export type NoteStatus = 'draft' | 'awaiting_cosign' | 'returned' | 'signed';

export interface NoteRow {
  id: string;
  practice_id: string;
  client_id: string;
  session_id: string | null;
  author_id: string;
  author_name: string;
  kind: string;
  format: string | null;
  template_key: string;
  template_version: number;
  status: NoteStatus;
  date_of_service: string;
  session_facts: Record<string, unknown>;
  diagnosis_codes: string[];
  content_enc: Buffer | null;
  copied_fields: string[];
  due_at: Date | null;
  requires_cosign: boolean;
  cosigner_id: string | null;
  signed_at: Date | null;
  signed_by: string | null;
  signer_name: string | null;
  signer_credentials: string | null;
  signer_license: string | null;
  content_hash: string | null;
  late_entry: boolean;
  cosigned_at: Date | null;
  cosigned_by: string | null;
  cosigner_name: string | null;
  cosigner_credentials: string | null;
  cosigner_license: string | null;
  returned_at: Date | null;
  returned_by: string | null;
  return_comments_enc: Buffer | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const FIELDS = [
  'id',
  'practice_id',
  'client_id',
  'session_id',
  'author_id',
  'kind',
  'format',
  'template_key',
  'template_version',
  'status',
  'date_of_service',
  'session_facts',
  'diagnosis_codes',
  'content_enc',
  'copied_fields',
  'due_at',
  'requires_cosign',
  'cosigner_id',
  'signed_at',
  'signed_by',
  'signer_name',
  'signer_credentials',
  'signer_license',
  'content_hash',
  'late_entry',
  'cosigned_at',
  'cosigned_by',
  'cosigner_name',
  'cosigner_credentials',
  'cosigner_license',
  'returned_at',
  'returned_by',
  'return_comments_enc',
  'created_at',
  'updated_at',
  'version',
];
const AUTHOR = '(SELECT u.full_name FROM users u WHERE u.id = author_id) AS author_name';
const COLUMNS = [
  ...FIELDS.map((f) =>
    f === 'date_of_service' ? "to_char(date_of_service, 'YYYY-MM-DD') AS date_of_service" : f,
  ),
  AUTHOR,
].join(', ');

export interface NewNote {
  id: string;
  practiceId: string;
  clientId: string;
  sessionId: string | null;
  authorId: string;
  caseloadId: string;
  kind: string;
  format: string | null;
  templateKey: string;
  templateVersion: number;
  dateOfService: string;
  sessionFacts: unknown;
  diagnosisCodes: string[];
  contentEnc: Buffer;
  copiedFields: string[];
  searchTokens: string[];
  dueAt: Date | null;
}

export async function insertNote(tx: Queryable, n: NewNote): Promise<NoteRow> {
  const r = await tx.query<NoteRow>(
    `INSERT INTO notes (id, practice_id, client_id, session_id, author_id, kind, format, template_key,
       template_version, date_of_service, session_facts, diagnosis_codes, content_enc, copied_fields,
       search_tokens, due_at, caseload_id)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15::bigint[],$16,$17)
     RETURNING ${COLUMNS}`,
    [
      n.id,
      n.practiceId,
      n.clientId,
      n.sessionId,
      n.authorId,
      n.kind,
      n.format,
      n.templateKey,
      n.templateVersion,
      n.dateOfService,
      JSON.stringify(n.sessionFacts),
      n.diagnosisCodes,
      n.contentEnc,
      n.copiedFields,
      n.searchTokens,
      n.dueAt,
      n.caseloadId,
    ],
  );
  return one(r.rows);
}

function one<T>(rows: T[]): T {
  const row = rows[0];
  if (!row) throw new Error('statement returned no row');
  return row;
}

export async function getNote(tx: Queryable, id: string, forUpdate = false): Promise<NoteRow | undefined> {
  const r = await tx.query<NoteRow>(
    `SELECT ${COLUMNS} FROM notes WHERE id = $1${forUpdate ? ' FOR NO KEY UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

export async function noteForSession(
  tx: Queryable,
  sessionId: string,
  clientId: string,
): Promise<NoteRow | undefined> {
  const r = await tx.query<NoteRow>(`SELECT ${COLUMNS} FROM notes WHERE session_id = $1 AND client_id = $2`, [
    sessionId,
    clientId,
  ]);
  return r.rows[0];
}

/** The newest signed note of a client written with a template: the source for "start from last note". */
export async function lastSignedNote(
  tx: Queryable,
  clientId: string,
  templateKey: string,
): Promise<NoteRow | undefined> {
  const r = await tx.query<NoteRow>(
    `SELECT ${COLUMNS} FROM notes
      WHERE client_id = $1 AND template_key = $2 AND status IN ('signed', 'awaiting_cosign')
      ORDER BY date_of_service DESC, id DESC LIMIT 1`,
    [clientId, templateKey],
  );
  return r.rows[0];
}

export interface DraftPatch {
  session_facts?: string;
  diagnosis_codes?: string[];
  content_enc?: Buffer;
  copied_fields?: string[];
  search_tokens?: string[];
  date_of_service?: string;
}

export async function updateDraft(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  patch: DraftPatch,
): Promise<NoteRow | undefined> {
  const keys = Object.keys(patch) as (keyof DraftPatch)[];
  const cast: Partial<Record<keyof DraftPatch, string>> = {
    session_facts: '::jsonb',
    search_tokens: '::bigint[]',
  };
  const sets = keys.map((k, i) => `${k} = $${i + 3}${cast[k] ?? ''}`);
  const r = await tx.query<NoteRow>(
    `UPDATE notes SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
      WHERE id = $1 AND version = $2 AND status IN ('draft', 'returned') RETURNING ${COLUMNS}`,
    [id, expectedVersion, ...keys.map((k) => patch[k])],
  );
  return r.rows[0];
}

export interface Signature {
  at: Date;
  userId: string;
  name: string;
  credentials: string | null;
  licenseNumber: string | null;
}

export async function markSigned(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  s: Signature & {
    contentHash: string;
    lateEntry: boolean;
    requiresCosign: boolean;
    cosignerId: string | null;
    dueAt: Date | null;
  },
): Promise<NoteRow | undefined> {
  const r = await tx.query<NoteRow>(
    `UPDATE notes SET status = $3, signed_at = $4, signed_by = $5, signer_name = $6, signer_credentials = $7,
            signer_license = $8, content_hash = $9, late_entry = $10, requires_cosign = $11, cosigner_id = $12,
            due_at = $13, copied_fields = '{}', version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2 AND status IN ('draft', 'returned') RETURNING ${COLUMNS}`,
    [
      id,
      expectedVersion,
      s.requiresCosign ? 'awaiting_cosign' : 'signed',
      s.at,
      s.userId,
      s.name,
      s.credentials,
      s.licenseNumber,
      s.contentHash,
      s.lateEntry,
      s.requiresCosign,
      s.cosignerId,
      s.dueAt,
    ],
  );
  return r.rows[0];
}

export async function markCosigned(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  s: Signature,
): Promise<NoteRow | undefined> {
  const r = await tx.query<NoteRow>(
    `UPDATE notes SET status = 'signed', cosigned_at = $3, cosigned_by = $4, cosigner_name = $5,
            cosigner_credentials = $6, cosigner_license = $7, version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2 AND status = 'awaiting_cosign' RETURNING ${COLUMNS}`,
    [id, expectedVersion, s.at, s.userId, s.name, s.credentials, s.licenseNumber],
  );
  return r.rows[0];
}

/** The author's signature is withdrawn (it stays in note_signatures); the content is untouched. */
export async function markReturned(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  by: string,
  commentsEnc: Buffer,
): Promise<NoteRow | undefined> {
  const r = await tx.query<NoteRow>(
    `UPDATE notes SET status = 'returned', returned_at = now(), returned_by = $3, return_comments_enc = $4,
            signed_at = NULL, signed_by = NULL, signer_name = NULL, signer_credentials = NULL,
            signer_license = NULL, content_hash = NULL, version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2 AND status = 'awaiting_cosign' RETURNING ${COLUMNS}`,
    [id, expectedVersion, by, commentsEnc],
  );
  return r.rows[0];
}

export async function deleteDraft(tx: Queryable, id: string, expectedVersion: number): Promise<boolean> {
  const r = await tx.query("DELETE FROM notes WHERE id = $1 AND version = $2 AND status = 'draft'", [
    id,
    expectedVersion,
  ]);
  return (r.rowCount ?? 0) > 0;
}

export interface SignatureEventRow {
  id: string;
  note_id: string;
  user_id: string;
  act: 'signed' | 'submitted_for_cosign' | 'cosigned' | 'returned';
  name: string;
  credentials: string | null;
  license_number: string | null;
  content_hash: string | null;
  comments_enc: Buffer | null;
  at: Date;
}

export async function insertSignatureEvent(
  tx: Queryable,
  e: Omit<SignatureEventRow, 'at'> & { practiceId: string; at: Date },
): Promise<void> {
  await tx.query(
    `INSERT INTO note_signatures (id, practice_id, note_id, user_id, act, name, credentials, license_number,
       content_hash, comments_enc, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
    [
      e.id,
      e.practiceId,
      e.note_id,
      e.user_id,
      e.act,
      e.name,
      e.credentials,
      e.license_number,
      e.content_hash,
      e.comments_enc,
      e.at,
    ],
  );
}

export async function signatureEvents(tx: Queryable, noteId: string): Promise<SignatureEventRow[]> {
  const r = await tx.query<SignatureEventRow>(
    `SELECT id, note_id, user_id, act, name, credentials, license_number, content_hash, comments_enc, at
       FROM note_signatures WHERE note_id = $1 ORDER BY at, id`,
    [noteId],
  );
  return r.rows;
}

export interface AddendumRow {
  id: string;
  note_id: string;
  client_id: string;
  author_id: string;
  content_enc: Buffer;
  signed_at: Date;
  signer_name: string;
  signer_credentials: string | null;
  signer_license: string | null;
  content_hash: string;
}

const ADDENDUM_COLUMNS =
  'id, note_id, client_id, author_id, content_enc, signed_at, signer_name, signer_credentials, signer_license, content_hash';

export async function insertAddendum(
  tx: Queryable,
  a: AddendumRow & { practiceId: string },
): Promise<AddendumRow> {
  const r = await tx.query<AddendumRow>(
    `INSERT INTO note_addenda (id, practice_id, note_id, client_id, author_id, content_enc, signed_at, signer_name,
       signer_credentials, signer_license, content_hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
     RETURNING ${ADDENDUM_COLUMNS}`,
    [
      a.id,
      a.practiceId,
      a.note_id,
      a.client_id,
      a.author_id,
      a.content_enc,
      a.signed_at,
      a.signer_name,
      a.signer_credentials,
      a.signer_license,
      a.content_hash,
    ],
  );
  return one(r.rows);
}

export async function addendaOf(tx: Queryable, noteIds: string[]): Promise<AddendumRow[]> {
  const r = await tx.query<AddendumRow>(
    `SELECT ${ADDENDUM_COLUMNS} FROM note_addenda WHERE note_id = ANY($1::uuid[]) ORDER BY signed_at, id`,
    [noteIds],
  );
  return r.rows;
}

export interface NoteSummaryRow {
  id: string;
  client_id: string;
  client_code: string;
  session_id: string | null;
  author_id: string;
  author_name: string;
  kind: string;
  format: string | null;
  status: NoteStatus;
  date_of_service: string;
  signed_at: Date | null;
  cosigned_at: Date | null;
  late_entry: boolean;
  due_at: Date | null;
  created_at: Date;
  addenda: number;
}

const SUMMARY_COLUMNS = `n.id, n.client_id, c.client_code, n.session_id, n.author_id, u.full_name AS author_name, n.kind,
  n.format, n.status, to_char(n.date_of_service, 'YYYY-MM-DD') AS date_of_service, n.signed_at, n.cosigned_at,
  n.late_entry, n.due_at, n.created_at,
  (SELECT count(*)::int FROM note_addenda a WHERE a.note_id = n.id) AS addenda`;

/**
 * Whose notes a search walks: the whole practice, named clients, or a clinician's caseload
 * (clients whose primary clinician they are) plus the other clients they may read.
 */
export type NoteScope =
  | { kind: 'practice' }
  | { kind: 'clients'; clientIds: string[] }
  | { kind: 'caseload'; clinicianId: string; otherClientIds: string[] };

export interface NoteQuery {
  readerId: string;
  scope: NoteScope;
  from: string | null;
  to: string | null;
  kinds: string[] | null;
  tokens: string[];
  after: { date: string; id: string } | null;
  limit: number;
}

/**
 * Notes a reader may see, newest first, keyset-paged. Drafts show to their author only.
 * Words match through the blind-index tokens: the database never sees a plaintext word.
 * The page is cut from the notes alone (by search_note_ids, which may use the token indexes —
 * see 0002_clinical.sql) before clients and authors are joined under row-level security.
 */
export async function searchNotes(tx: Queryable, q: NoteQuery): Promise<NoteSummaryRow[]> {
  const r = await tx.query<NoteSummaryRow>(
    `SELECT ${SUMMARY_COLUMNS}
       FROM search_note_ids($1, $10, $2, $3, $4, $5, $6::bigint[], $7, $8, $9) s
       JOIN notes n ON n.id = s.id JOIN clients c ON c.id = n.client_id JOIN users u ON u.id = n.author_id
      ORDER BY s.date_of_service DESC, s.id DESC`,
    [
      q.readerId,
      q.scope.kind === 'practice'
        ? null
        : q.scope.kind === 'clients'
          ? q.scope.clientIds
          : q.scope.otherClientIds,
      q.from,
      q.to,
      q.kinds,
      q.tokens,
      q.after?.date ?? null,
      q.after?.id ?? null,
      q.limit,
      q.scope.kind === 'caseload' ? q.scope.clinicianId : null,
    ],
  );
  return r.rows;
}

/** A client moved to another primary clinician: their notes move to that caseload for search. */
export async function moveCaseload(tx: Queryable, clientId: string, clinicianId: string): Promise<void> {
  await tx.query('UPDATE notes SET caseload_id = $2 WHERE client_id = $1 AND caseload_id <> $2', [
    clientId,
    clinicianId,
  ]);
}

/**
 * The clients whose notes a clinician reads apart from their own caseload: co-treated clients,
 * their supervisees' clients and active emergency access. (Their caseload is every client whose
 * primary clinician they are; notes carry it as caseload_id.)
 */
export async function otherReadableClientIds(
  tx: Queryable,
  userId: string,
  includeSupervisees: boolean,
): Promise<string[]> {
  const r = await tx.query<{ client_id: string }>(
    `SELECT r.client_id FROM (
       SELECT client_id FROM care_team_members WHERE user_id = $1
       UNION
       SELECT m.client_id FROM care_team_members m JOIN users u ON u.id = m.user_id
        WHERE $2 AND u.supervisor_id = $1
       UNION
       SELECT client_id FROM break_glass_grants WHERE user_id = $1 AND expires_at > now()) r
     JOIN clients c ON c.id = r.client_id
     WHERE c.primary_clinician_id IS DISTINCT FROM $1`,
    [userId, includeSupervisees],
  );
  return r.rows.map((row) => row.client_id);
}

export async function setSessionActualTimes(
  tx: Queryable,
  sessionId: string,
  start: Date | null,
  end: Date | null,
): Promise<void> {
  await tx.query(
    `UPDATE sessions SET actual_start = $2, actual_end = $3, version = version + 1, updated_at = now()
      WHERE id = $1 AND (actual_start IS DISTINCT FROM $2 OR actual_end IS DISTINCT FROM $3)`,
    [sessionId, start, end],
  );
}

export interface ChartNoteRow {
  id: string;
  kind: string;
  format: string | null;
  status: NoteStatus;
  date_of_service: string;
  author_name: string;
  late_entry: boolean;
  signed_at: Date | null;
  cosigned_at: Date | null;
  addenda: number;
}

/**
 * One client's notes for the chart, newest date of service first (notes_client_idx), keyset-paged
 * on (date_of_service, id). Unsigned notes show to their author only; no narrative is read.
 */
export async function chartNotes(
  tx: Queryable,
  q: {
    practiceId: string;
    clientId: string;
    readerId: string;
    from: string | null;
    to: string | null;
    /** Resume before this date of service. */
    before: TimelineBound<string> | null;
    limit: number;
  },
): Promise<ChartNoteRow[]> {
  const r = await tx.query<ChartNoteRow>(
    `SELECT n.id, n.kind, n.format, n.status, to_char(n.date_of_service, 'YYYY-MM-DD') AS date_of_service,
            u.full_name AS author_name, n.late_entry, n.signed_at, n.cosigned_at,
            (SELECT count(*)::int FROM note_addenda a WHERE a.note_id = n.id) AS addenda
       FROM notes n JOIN users u ON u.id = n.author_id
      WHERE n.practice_id = $1 AND n.client_id = $2
        AND (n.status IN ('signed', 'awaiting_cosign') OR n.author_id = $3)
        AND ($4::date IS NULL OR n.date_of_service >= $4)
        AND ($5::date IS NULL OR n.date_of_service <= $5)
        AND ($6::date IS NULL OR n.date_of_service < $6
             OR (n.date_of_service = $6 AND ($7::boolean OR n.id < $8::uuid)))
      ORDER BY n.date_of_service DESC, n.id DESC
      LIMIT $9`,
    [q.practiceId, q.clientId, q.readerId, q.from, q.to, ...timelineBoundParams(q.before), q.limit],
  );
  return r.rows;
}

export interface ChartAddendumRow {
  id: string;
  note_id: string;
  signed_at: Date;
  signer_name: string;
}

/**
 * One client's addenda for the chart, newest first. Reached through the client's notes
 * (notes_client_idx, then note_addenda_note_idx): addenda are few per note.
 */
export async function chartAddenda(
  tx: Queryable,
  q: {
    practiceId: string;
    clientId: string;
    from: Date | null;
    to: Date | null;
    before: TimelineBound | null;
    limit: number;
  },
): Promise<ChartAddendumRow[]> {
  const r = await tx.query<ChartAddendumRow>(
    `SELECT a.id, a.note_id, a.signed_at, a.signer_name
       FROM notes n JOIN note_addenda a ON a.practice_id = n.practice_id AND a.note_id = n.id
      WHERE n.practice_id = $1 AND n.client_id = $2
        AND ($3::timestamptz IS NULL OR a.signed_at >= $3)
        AND ($4::timestamptz IS NULL OR a.signed_at < $4)
        AND ($5::timestamptz IS NULL OR a.signed_at < $5
             OR (a.signed_at = $5 AND ($6::boolean OR a.id < $7::uuid)))
      ORDER BY a.signed_at DESC, a.id DESC
      LIMIT $8`,
    [q.practiceId, q.clientId, q.from, q.to, ...timelineBoundParams(q.before), q.limit],
  );
  return r.rows;
}
