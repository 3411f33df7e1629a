import type { Queryable } from './database.js';

export interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  token_prefix: string;
  scope: 'read' | 'read-write';
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
const COLUMNS = 'id, user_id, name, token_prefix, scope, created_at, last_used_at, revoked_at';

export async function findTokenPractice(
  tx: Queryable,
  hash: Buffer,
): Promise<{ token_id: string; practice_id: string } | undefined> {
  const r = await tx.query<{ token_id: string; practice_id: string }>(
    'SELECT * FROM auth_find_api_token($1)',
    [hash],
  );
  return r.rows[0];
}

export async function insertApiToken(
  tx: Queryable,
  t: {
    id: string;
    practiceId: string;
    userId: string;
    name: string;
    hash: Buffer;
    prefix: string;
    scope: string;
  },
): Promise<ApiTokenRow> {
  const r = await tx.query<ApiTokenRow>(
    `INSERT INTO api_tokens (id, practice_id, user_id, name, token_hash, token_prefix, scope)
     VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING ${COLUMNS}`,
    [t.id, t.practiceId, t.userId, t.name, t.hash, t.prefix, t.scope],
  );
  const row = r.rows[0];
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function listApiTokens(tx: Queryable, userId: string): Promise<ApiTokenRow[]> {
  const r = await tx.query<ApiTokenRow>(
    `SELECT ${COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC`,
    [userId],
  );
  return r.rows;
}

export async function getApiToken(tx: Queryable, id: string): Promise<ApiTokenRow | undefined> {
  const r = await tx.query<ApiTokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = $1`, [id]);
  return r.rows[0];
}

/** Marks use at most once a minute, so reads through a token do not each cost a write. */
export async function markApiTokenUsed(tx: Queryable, id: string): Promise<void> {
  await tx.query(
    "UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
    [id],
  );
}

export async function revokeApiToken(tx: Queryable, id: string, userId: string): Promise<boolean> {
  const r = await tx.query(
    'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL',
    [id, userId],
  );
  return r.rowCount === 1;
}
