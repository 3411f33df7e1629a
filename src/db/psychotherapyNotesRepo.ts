import type { Queryable } from './database.js';

// Psychotherapy (process) notes, kept apart from the record. Row-level security shows a row
// only to its author, keyed on casebook.user_id: every transaction that touches the table
// calls actAsUser first, or it sees nothing.

export interface PsychotherapyNoteRow {
  id: string;
  practice_id: string;
  client_id: string;
  author_id: string;
  session_id: string | null;
  date_of_service: string;
  content_enc: Buffer;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const COLUMNS =
  'id, practice_id, client_id, author_id, session_id, date_of_service, content_enc, created_at, updated_at, version';

/** Binds this transaction to the acting user, whom the author_only policy compares with author_id. */
export async function actAsUser(tx: Queryable, userId: string): Promise<void> {
  await tx.query("SELECT set_config('casebook.user_id', $1, true)", [userId]);
}

/**
 * Whether the author has any psychotherapy notes about the client dated in the period (inclusive,
 * open ends as null). The caller binds the transaction with actAsUser first, as for every read.
 */
export async function hasOwnPsychotherapyNotes(
  tx: Queryable,
  q: { clientId: string; authorId: string; from: string | null; to: string | null },
): Promise<boolean> {
  const r = await tx.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM psychotherapy_notes
      WHERE client_id = $1 AND author_id = $2
        AND ($3::date IS NULL OR date_of_service >= $3) AND ($4::date IS NULL OR date_of_service <= $4)) AS found`,
    [q.clientId, q.authorId, q.from, q.to],
  );
  return r.rows[0]?.found ?? false;
}

export async function insertPsychotherapyNote(
  tx: Queryable,
  n: {
    id: string;
    practiceId: string;
    clientId: string;
    authorId: string;
    sessionId: string | null;
    dateOfService: string;
    contentEnc: Buffer;
  },
): Promise<PsychotherapyNoteRow> {
  const r = await tx.query<PsychotherapyNoteRow>(
    `INSERT INTO psychotherapy_notes (id, practice_id, client_id, author_id, session_id, date_of_service, content_enc)
     VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING ${COLUMNS}`,
    [n.id, n.practiceId, n.clientId, n.authorId, n.sessionId, n.dateOfService, n.contentEnc],
  );
  const row = r.rows[0];
  if (!row) throw new Error('psychotherapy note insert returned no row');
  return row;
}

/** The note if the acting user wrote it; anyone else's is invisible (RLS and the author filter). */
export async function getPsychotherapyNote(
  tx: Queryable,
  id: string,
  authorId: string,
  forUpdate = false,
): Promise<PsychotherapyNoteRow | undefined> {
  const r = await tx.query<PsychotherapyNoteRow>(
    `SELECT ${COLUMNS} FROM psychotherapy_notes WHERE id = $1 AND author_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [id, authorId],
  );
  return r.rows[0];
}

/** The author's notes about one client, newest date of service first (UUIDv7 ids break ties by creation). */
export async function listPsychotherapyNotes(
  tx: Queryable,
  q: {
    clientId: string;
    authorId: string;
    after: { dateOfService: string; id: string } | null;
    limit: number;
  },
): Promise<PsychotherapyNoteRow[]> {
  const r = await tx.query<PsychotherapyNoteRow>(
    `SELECT ${COLUMNS} FROM psychotherapy_notes
      WHERE client_id = $1 AND author_id = $2
        AND ($3::date IS NULL OR (date_of_service, id) < ($3::date, $4::uuid))
      ORDER BY date_of_service DESC, id DESC LIMIT $5`,
    [q.clientId, q.authorId, q.after?.dateOfService ?? null, q.after?.id ?? null, q.limit],
  );
  return r.rows;
}

export async function updatePsychotherapyNote(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  patch: { contentEnc: Buffer; dateOfService: string; sessionId: string | null },
): Promise<PsychotherapyNoteRow | undefined> {
  const r = await tx.query<PsychotherapyNoteRow>(
    `UPDATE psychotherapy_notes
        SET content_enc = $3, date_of_service = $4, session_id = $5, version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`,
    [id, expectedVersion, patch.contentEnc, patch.dateOfService, patch.sessionId],
  );
  return r.rows[0];
}
