import type { Queryable } from './database.js';

// One-time questionnaire links. Only the SHA-256 of the token is stored; the token itself is
// shown once to the clinician and never kept.

export interface MeasureLinkRow {
  id: string;
  practice_id: string;
  client_id: string;
  instrument: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  created_by: string;
  created_at: Date;
}

const COLUMNS =
  'id, practice_id, client_id, instrument, expires_at, used_at, revoked_at, created_by, created_at';

/** Which practice a token belongs to, found before any practice is in scope (SECURITY DEFINER). */
export async function findMeasureLink(
  tx: Queryable,
  hash: Buffer,
): Promise<{ id: string; practice_id: string } | undefined> {
  const r = await tx.query<{ id: string; practice_id: string }>(
    'SELECT id, practice_id FROM measure_link_find($1)',
    [hash],
  );
  return r.rows[0];
}

export async function insertMeasureLink(
  tx: Queryable,
  l: {
    id: string;
    practiceId: string;
    clientId: string;
    instrument: string;
    hash: Buffer;
    expiresAt: Date;
    createdBy: string;
    createdAt: Date;
  },
): Promise<MeasureLinkRow> {
  const r = await tx.query<MeasureLinkRow>(
    `INSERT INTO measure_links (id, practice_id, client_id, instrument, token_hash, expires_at, created_by, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING ${COLUMNS}`,
    [l.id, l.practiceId, l.clientId, l.instrument, l.hash, l.expiresAt, l.createdBy, l.createdAt],
  );
  const row = r.rows[0];
  if (!row) throw new Error('measure link insert returned no row');
  return row;
}

export async function getMeasureLink(tx: Queryable, id: string): Promise<MeasureLinkRow | undefined> {
  const r = await tx.query<MeasureLinkRow>(`SELECT ${COLUMNS} FROM measure_links WHERE id = $1`, [id]);
  return r.rows[0];
}

/** A client's links, newest first (measure_links_client_idx). */
export async function listClientMeasureLinks(
  tx: Queryable,
  clientId: string,
  limit: number,
): Promise<MeasureLinkRow[]> {
  const r = await tx.query<MeasureLinkRow>(
    `SELECT ${COLUMNS} FROM measure_links WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
    [clientId, limit],
  );
  return r.rows;
}

/**
 * Uses the link up if, and only if, it is still open at `now`. Of two concurrent submits the
 * second waits on the row lock, re-checks the condition and gets no row.
 */
export async function useMeasureLink(
  tx: Queryable,
  id: string,
  now: Date,
): Promise<MeasureLinkRow | undefined> {
  const r = await tx.query<MeasureLinkRow>(
    `UPDATE measure_links SET used_at = $2
      WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
      RETURNING ${COLUMNS}`,
    [id, now],
  );
  return r.rows[0];
}

/** Revokes an unused link; undefined when it was used or revoked already. */
export async function revokeMeasureLink(
  tx: Queryable,
  id: string,
  now: Date,
): Promise<MeasureLinkRow | undefined> {
  const r = await tx.query<MeasureLinkRow>(
    `UPDATE measure_links SET revoked_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL
      RETURNING ${COLUMNS}`,
    [id, now],
  );
  return r.rows[0];
}
