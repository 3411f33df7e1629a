import type { Queryable } from './database.js';

export type AuthStage = 'mfa_challenge' | 'mfa_enrolment' | 'full';

export interface AuthSessionRow {
  id: string;
  practice_id: string;
  user_id: string;
  csrf_token: string;
  stage: AuthStage;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  reauthenticated_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS =
  'id, practice_id, user_id, csrf_token, stage, created_at, last_seen_at, expires_at, reauthenticated_at, revoked_at';

export async function findSessionPractice(
  tx: Queryable,
  hash: Buffer,
): Promise<{ session_id: string; practice_id: string } | undefined> {
  const r = await tx.query<{ session_id: string; practice_id: string }>(
    'SELECT * FROM auth_find_session($1)',
    [hash],
  );
  return r.rows[0];
}

export async function insertAuthSession(
  tx: Queryable,
  s: {
    id: string;
    practiceId: string;
    userId: string;
    hash: Buffer;
    csrf: string;
    stage: AuthStage;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO auth_sessions (id, practice_id, user_id, token_hash, csrf_token, stage, expires_at, ip, user_agent)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [
      s.id,
      s.practiceId,
      s.userId,
      s.hash,
      s.csrf,
      s.stage,
      s.expiresAt,
      s.ip,
      s.userAgent?.slice(0, 300) ?? null,
    ],
  );
}

export async function getAuthSession(tx: Queryable, id: string): Promise<AuthSessionRow | undefined> {
  const r = await tx.query<AuthSessionRow>(`SELECT ${COLUMNS} FROM auth_sessions WHERE id = $1`, [id]);
  return r.rows[0];
}

export async function touchAuthSession(tx: Queryable, id: string): Promise<Date> {
  const r = await tx.query<{ last_seen_at: Date }>(
    'UPDATE auth_sessions SET last_seen_at = now() WHERE id = $1 RETURNING last_seen_at',
    [id],
  );
  return r.rows[0]?.last_seen_at ?? new Date();
}

export async function setAuthStage(tx: Queryable, id: string, stage: AuthStage): Promise<void> {
  await tx.query('UPDATE auth_sessions SET stage = $2, last_seen_at = now() WHERE id = $1', [id, stage]);
}

export async function markReauthenticated(tx: Queryable, id: string): Promise<Date> {
  const r = await tx.query<{ reauthenticated_at: Date }>(
    'UPDATE auth_sessions SET reauthenticated_at = now(), last_seen_at = now() WHERE id = $1 RETURNING reauthenticated_at',
    [id],
  );
  return r.rows[0]?.reauthenticated_at ?? new Date();
}

export async function revokeAuthSession(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE auth_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
}

/** Revokes every open session of the user, except `keepId` when given. */
export async function revokeUserSessions(tx: Queryable, userId: string, keepId?: string): Promise<number> {
  const r = await tx.query(
    'UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2)',
    [userId, keepId ?? null],
  );
  return r.rowCount ?? 0;
}

export async function setPendingMfaSecret(tx: Queryable, id: string, sealed: Buffer | null): Promise<void> {
  await tx.query('UPDATE auth_sessions SET pending_mfa_secret = $2 WHERE id = $1', [id, sealed]);
}

export async function getPendingMfaSecret(tx: Queryable, id: string): Promise<Buffer | null> {
  const r = await tx.query<{ pending_mfa_secret: Buffer | null }>(
    'SELECT pending_mfa_secret FROM auth_sessions WHERE id = $1',
    [id],
  );
  return r.rows[0]?.pending_mfa_secret ?? null;
}

/** Deletes browser sessions that ended more than a day ago, in every practice. */
export async function pruneEndedAuthSessions(tx: Queryable): Promise<number> {
  const r = await tx.query<{ n: number }>('SELECT prune_auth_sessions() AS n');
  return r.rows[0]?.n ?? 0;
}
