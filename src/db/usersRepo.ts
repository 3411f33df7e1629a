import type { Queryable } from './database.js';
import type { Role } from '../domain/roles.js';

export interface UserRow {
  id: string;
  practice_id: string;
  email: string;
  full_name: string;
  roles: Role[];
  credentials: string | null;
  license_number: string | null;
  supervisor_id: string | null;
  password_hash: string | null;
  mfa_secret: Buffer | null;
  mfa_enabled_at: Date | null;
  mfa_last_step: number | null;
  active: boolean;
  failed_logins: number;
  locked_until: Date | null;
  created_at: Date;
  version: number;
}

const COLUMNS = `id, practice_id, email, full_name, roles, credentials, license_number, supervisor_id, password_hash,
  mfa_secret, mfa_enabled_at, mfa_last_step, active, failed_logins, locked_until, created_at, version`;

export async function findLogin(
  tx: Queryable,
  email: string,
): Promise<{ user_id: string; practice_id: string } | undefined> {
  const r = await tx.query<{ user_id: string; practice_id: string }>('SELECT * FROM auth_find_user($1)', [
    email,
  ]);
  return r.rows[0];
}

export async function getUser(tx: Queryable, id: string): Promise<UserRow | undefined> {
  const r = await tx.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return r.rows[0];
}

/** The user row, locked until the transaction ends (serialises credential checks). */
export async function getUserForUpdate(tx: Queryable, id: string): Promise<UserRow | undefined> {
  const r = await tx.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
  return r.rows[0];
}

export async function countActiveOwners(tx: Queryable): Promise<number> {
  const r = await tx.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM users WHERE active AND 'owner' = ANY(roles)",
  );
  return r.rows[0]?.n ?? 0;
}

export async function listUsers(tx: Queryable): Promise<UserRow[]> {
  const r = await tx.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY active DESC, full_name`);
  return r.rows;
}

export async function getUsersByIds(tx: Queryable, ids: string[]): Promise<UserRow[]> {
  const r = await tx.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ANY($1::uuid[])`, [ids]);
  return r.rows;
}

export interface NewUser {
  id: string;
  practiceId: string;
  email: string;
  fullName: string;
  roles: Role[];
  credentials: string | null;
  licenseNumber: string | null;
  supervisorId: string | null;
  passwordHash: string | null;
}

export async function insertUser(tx: Queryable, u: NewUser): Promise<UserRow> {
  const r = await tx.query<UserRow>(
    `INSERT INTO users (id, practice_id, email, full_name, roles, credentials, license_number, supervisor_id, password_hash)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING ${COLUMNS}`,
    [
      u.id,
      u.practiceId,
      u.email,
      u.fullName,
      u.roles,
      u.credentials,
      u.licenseNumber,
      u.supervisorId,
      u.passwordHash,
    ],
  );
  const row = r.rows[0];
  if (!row) throw new Error('insert returned no row');
  return row;
}

export interface UserProfilePatch {
  full_name?: string;
  roles?: Role[];
  credentials?: string | null;
  license_number?: string | null;
  supervisor_id?: string | null;
  active?: boolean;
}

export async function updateUserProfile(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  patch: UserProfilePatch,
): Promise<UserRow | undefined> {
  const keys = Object.keys(patch) as (keyof UserProfilePatch)[];
  const sets = keys.map((k, i) => `${k} = $${i + 3}`);
  const r = await tx.query<UserRow>(
    `UPDATE users SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
      WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`,
    [id, expectedVersion, ...keys.map((k) => patch[k])],
  );
  return r.rows[0];
}

export async function setPasswordHash(tx: Queryable, id: string, hash: string): Promise<void> {
  await tx.query(
    'UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1',
    [id, hash],
  );
}

/**
 * Counts one failure and locks the account at the threshold; returns locked_until only when
 * this failure locked it. A lock that has run out starts the count afresh.
 */
export async function recordFailedLogin(tx: Queryable, id: string, lockAfter: number, lockMinutes: number) {
  const r = await tx.query<{ failed_logins: number; locked_until: Date | null }>(
    `WITH prior AS (
       SELECT CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 0 ELSE failed_logins END AS n
         FROM users WHERE id = $1)
     UPDATE users SET failed_logins = prior.n + 1,
        locked_until = CASE WHEN prior.n + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE NULL END
       FROM prior WHERE users.id = $1
     RETURNING users.failed_logins, users.locked_until`,
    [id, lockAfter, lockMinutes],
  );
  return r.rows[0];
}

export async function clearFailedLogins(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
}

export async function setMfa(tx: Queryable, id: string, secret: Buffer | null): Promise<void> {
  await tx.query(
    `UPDATE users SET mfa_secret = $2, mfa_enabled_at = CASE WHEN $2::bytea IS NULL THEN NULL ELSE now() END,
        mfa_last_step = NULL, updated_at = now() WHERE id = $1`,
    [id, secret],
  );
}

/** Records the TOTP step just used; false when it is not newer than the last (a replay). */
export async function advanceMfaStep(tx: Queryable, id: string, step: number): Promise<boolean> {
  const r = await tx.query(
    'UPDATE users SET mfa_last_step = $2 WHERE id = $1 AND (mfa_last_step IS NULL OR mfa_last_step < $2)',
    [id, step],
  );
  return r.rowCount === 1;
}

export async function replaceRecoveryCodes(
  tx: Queryable,
  practiceId: string,
  userId: string,
  rows: { id: string; hash: string }[],
) {
  await tx.query('UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [
    userId,
  ]);
  for (const r of rows) {
    await tx.query('INSERT INTO recovery_codes (id, practice_id, user_id, code_hash) VALUES ($1,$2,$3,$4)', [
      r.id,
      practiceId,
      userId,
      r.hash,
    ]);
  }
}

export async function unusedRecoveryCodes(
  tx: Queryable,
  userId: string,
): Promise<{ id: string; code_hash: string }[]> {
  const r = await tx.query<{ id: string; code_hash: string }>(
    'SELECT id, code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL',
    [userId],
  );
  return r.rows;
}

export async function markRecoveryCodeUsed(tx: Queryable, id: string): Promise<boolean> {
  const r = await tx.query('UPDATE recovery_codes SET used_at = now() WHERE id = $1 AND used_at IS NULL', [
    id,
  ]);
  return r.rowCount === 1;
}

export async function insertPasswordToken(
  tx: Queryable,
  t: { id: string; practiceId: string; userId: string; hash: Buffer; expiresAt: Date },
): Promise<void> {
  await tx.query('UPDATE password_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [
    t.userId,
  ]);
  await tx.query(
    'INSERT INTO password_tokens (id, practice_id, user_id, token_hash, expires_at) VALUES ($1,$2,$3,$4,$5)',
    [t.id, t.practiceId, t.userId, t.hash, t.expiresAt],
  );
}

export async function findPasswordTokenPractice(tx: Queryable, hash: Buffer): Promise<string | undefined> {
  const r = await tx.query<{ practice_id: string }>('SELECT practice_id FROM auth_find_password_token($1)', [
    hash,
  ]);
  return r.rows[0]?.practice_id;
}

/** Marks the token used and returns its user, only if it is unused and unexpired. */
export async function consumePasswordToken(tx: Queryable, hash: Buffer): Promise<string | undefined> {
  const r = await tx.query<{ user_id: string }>(
    `UPDATE password_tokens SET used_at = now()
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
    [hash],
  );
  return r.rows[0]?.user_id;
}

export async function supervisees(tx: Queryable, supervisorId: string): Promise<string[]> {
  const r = await tx.query<{ id: string }>('SELECT id FROM users WHERE supervisor_id = $1', [supervisorId]);
  return r.rows.map((x) => x.id);
}
