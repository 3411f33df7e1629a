import type { Queryable } from './database.js';

export type PracticeExportStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'expired';

export interface PracticeExportRow {
  id: string;
  practice_id: string;
  requested_by: string;
  status: PracticeExportStatus;
  clients_total: number | null;
  clients_done: number;
  resources_written: number;
  bytes_written: number;
  sha256: string | null;
  attempts: number;
  requested_at: Date;
  started_at: Date | null;
  heartbeat_at: Date | null;
  finished_at: Date | null;
  expires_at: Date | null;
  error: string | null;
}

export async function insertPracticeExport(
  tx: Queryable,
  row: { id: string; practiceId: string; requestedBy: string },
): Promise<PracticeExportRow> {
  const r = await tx.query<PracticeExportRow>(
    `INSERT INTO practice_exports (id, practice_id, requested_by) VALUES ($1, $2, $3) RETURNING *`,
    [row.id, row.practiceId, row.requestedBy],
  );
  const inserted = r.rows[0];
  if (!inserted) throw new Error('practice export row not inserted');
  return inserted;
}

/** True when the practice already has an export queued or running (the unique index's rule). */
export async function hasActivePracticeExport(tx: Queryable, practiceId: string): Promise<boolean> {
  const r = await tx.query(
    `SELECT 1 FROM practice_exports WHERE practice_id = $1 AND status IN ('queued', 'running') LIMIT 1`,
    [practiceId],
  );
  return r.rowCount !== 0;
}

export async function getPracticeExport(
  tx: Queryable,
  practiceId: string,
  id: string,
): Promise<PracticeExportRow | null> {
  const r = await tx.query<PracticeExportRow>(
    'SELECT * FROM practice_exports WHERE practice_id = $1 AND id = $2',
    [practiceId, id],
  );
  return r.rows[0] ?? null;
}

/** Newest first, keyset-paged on (requested_at, id). */
export async function listPracticeExports(
  tx: Queryable,
  practiceId: string,
  limit: number,
  after: { requestedAt: string; id: string } | null,
): Promise<PracticeExportRow[]> {
  const r = await tx.query<PracticeExportRow>(
    `SELECT * FROM practice_exports
      WHERE practice_id = $1
        AND ($2::timestamptz IS NULL OR (requested_at, id) < ($2::timestamptz, $3::uuid))
      ORDER BY requested_at DESC, id DESC
      LIMIT $4`,
    [practiceId, after?.requestedAt ?? null, after?.id ?? null, limit],
  );
  return r.rows;
}

/** Claims one queued (or abandoned) job of any practice; SKIP LOCKED inside the function. */
export async function claimPracticeExport(
  tx: Queryable,
  staleSeconds: number,
): Promise<{ exportId: string; practiceId: string } | null> {
  const r = await tx.query<{ export_id: string; export_practice_id: string }>(
    'SELECT * FROM claim_practice_export($1)',
    [staleSeconds],
  );
  const row = r.rows[0];
  return row ? { exportId: row.export_id, practiceId: row.export_practice_id } : null;
}

/**
 * Records progress and renews the heartbeat; only while the job is still running under this
 * claim (attempt), so a cancelled or re-claimed job is not overwritten. False: stop working.
 */
export async function recordPracticeExportProgress(
  tx: Queryable,
  practiceId: string,
  id: string,
  attempt: number,
  p: { clientsTotal: number; clientsDone: number; resources: number; bytes: number },
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE practice_exports
        SET clients_total = $4, clients_done = $5, resources_written = $6, bytes_written = $7,
            heartbeat_at = now()
      WHERE practice_id = $1 AND id = $2 AND attempts = $3 AND status = 'running'`,
    [practiceId, id, attempt, p.clientsTotal, p.clientsDone, p.resources, p.bytes],
  );
  return r.rowCount === 1;
}

export async function finishPracticeExport(
  tx: Queryable,
  practiceId: string,
  id: string,
  attempt: number,
  f: { clientsDone: number; resources: number; bytes: number; sha256: string; expiresAt: Date },
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE practice_exports
        SET status = 'done', clients_done = $4, resources_written = $5, bytes_written = $6, sha256 = $7,
            expires_at = $8, finished_at = now(), heartbeat_at = now()
      WHERE practice_id = $1 AND id = $2 AND attempts = $3 AND status = 'running'`,
    [practiceId, id, attempt, f.clientsDone, f.resources, f.bytes, f.sha256, f.expiresAt],
  );
  return r.rowCount === 1;
}

export async function failPracticeExport(
  tx: Queryable,
  practiceId: string,
  id: string,
  attempt: number,
  error: string,
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE practice_exports SET status = 'failed', error = $4, finished_at = now()
      WHERE practice_id = $1 AND id = $2 AND attempts = $3 AND status = 'running'`,
    [practiceId, id, attempt, error.slice(0, 500)],
  );
  return r.rowCount === 1;
}

/** Cancels a job that has not finished; the runner notices at its next progress update. */
export async function cancelPracticeExport(tx: Queryable, practiceId: string, id: string): Promise<boolean> {
  const r = await tx.query(
    `UPDATE practice_exports SET status = 'cancelled', finished_at = now()
      WHERE practice_id = $1 AND id = $2 AND status IN ('queued', 'running')`,
    [practiceId, id],
  );
  return r.rowCount === 1;
}

export async function expiredPracticeExports(
  tx: Queryable,
): Promise<{ exportId: string; practiceId: string }[]> {
  const r = await tx.query<{ export_id: string; export_practice_id: string }>(
    'SELECT * FROM expired_practice_exports()',
  );
  return r.rows.map((x) => ({ exportId: x.export_id, practiceId: x.export_practice_id }));
}

export async function markPracticeExportExpired(
  tx: Queryable,
  practiceId: string,
  id: string,
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE practice_exports SET status = 'expired' WHERE practice_id = $1 AND id = $2 AND status = 'done'`,
    [practiceId, id],
  );
  return r.rowCount === 1;
}

/** One page of the practice's client ids (every status), in id order. */
export async function clientIdPage(
  tx: Queryable,
  practiceId: string,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; client_code: string }[]> {
  const r = await tx.query<{ id: string; client_code: string }>(
    `SELECT id, client_code FROM clients
      WHERE practice_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)
      ORDER BY id LIMIT $3`,
    [practiceId, afterId, limit],
  );
  return r.rows;
}

export async function countPracticeClients(tx: Queryable, practiceId: string): Promise<number> {
  const r = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM clients WHERE practice_id = $1', [
    practiceId,
  ]);
  return r.rows[0]?.n ?? 0;
}
