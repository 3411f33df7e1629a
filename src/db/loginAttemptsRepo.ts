import type { Queryable } from './database.js';

export async function recordLoginAttempt(
  tx: Queryable,
  email: string,
  ip: string,
  succeeded: boolean,
): Promise<void> {
  await tx.query('INSERT INTO login_attempts (email, ip, succeeded) VALUES ($1, $2, $3)', [
    email.toLowerCase(),
    ip,
    succeeded,
  ]);
}

/** Failed attempts in the window, by account name and by address. */
export async function recentFailures(
  tx: Queryable,
  email: string,
  ip: string,
  windowMinutes: number,
): Promise<{ byEmail: number; byIp: number }> {
  const r = await tx.query<{ by_email: number; by_ip: number }>(
    `SELECT
       (SELECT count(*) FROM login_attempts WHERE email = $1 AND NOT succeeded AND attempted_at > now() - make_interval(mins => $3))::int AS by_email,
       (SELECT count(*) FROM login_attempts WHERE ip = $2 AND NOT succeeded AND attempted_at > now() - make_interval(mins => $3))::int AS by_ip`,
    [email.toLowerCase(), ip, windowMinutes],
  );
  return { byEmail: r.rows[0]?.by_email ?? 0, byIp: r.rows[0]?.by_ip ?? 0 };
}

export async function pruneLoginAttempts(tx: Queryable, olderThanDays: number): Promise<void> {
  await tx.query('DELETE FROM login_attempts WHERE attempted_at < now() - make_interval(days => $1)', [
    olderThanDays,
  ]);
}
