import type { Queryable } from './database.js';

// Emergency (break-glass) access grants.

export async function insertBreakGlass(
  tx: Queryable,
  g: { id: string; practiceId: string; clientId: string; userId: string; reason: string; minutes: number },
): Promise<{ expires_at: Date }> {
  const r = await tx.query<{ expires_at: Date }>(
    `INSERT INTO break_glass_grants (id, practice_id, client_id, user_id, reason, expires_at)
     VALUES ($1,$2,$3,$4,$5, now() + make_interval(mins => $6)) RETURNING expires_at`,
    [g.id, g.practiceId, g.clientId, g.userId, g.reason, g.minutes],
  );
  const row = r.rows[0];
  if (!row) throw new Error('insert returned no row');
  return row;
}

export interface BreakGlassRow {
  id: string;
  client_id: string;
  client_code: string;
  user_id: string;
  user_name: string;
  reason: string;
  created_at: Date;
  expires_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

const BREAK_GLASS_SELECT = `SELECT g.id, g.client_id, c.client_code, g.user_id, u.full_name AS user_name, g.reason,
            g.created_at, g.expires_at, g.reviewed_by, g.reviewed_at
       FROM break_glass_grants g JOIN clients c ON c.id = g.client_id JOIN users u ON u.id = g.user_id`;

export async function listBreakGlass(
  tx: Queryable,
  onlyUnreviewed: boolean,
  limit: number,
): Promise<BreakGlassRow[]> {
  const r = await tx.query<BreakGlassRow>(
    `${BREAK_GLASS_SELECT}
      WHERE ($1::boolean IS FALSE OR g.reviewed_at IS NULL)
      ORDER BY g.created_at DESC LIMIT $2`,
    [onlyUnreviewed, limit],
  );
  return r.rows;
}

export async function countUnreviewedBreakGlass(tx: Queryable): Promise<number> {
  const r = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM break_glass_grants WHERE reviewed_at IS NULL',
  );
  return r.rows[0]?.n ?? 0;
}

/** Marks one grant reviewed; undefined when there is no such unreviewed grant. */
export async function reviewBreakGlass(
  tx: Queryable,
  id: string,
  reviewerId: string,
): Promise<BreakGlassRow | undefined> {
  const r = await tx.query(
    'UPDATE break_glass_grants SET reviewed_by = $2, reviewed_at = now() WHERE id = $1 AND reviewed_at IS NULL',
    [id, reviewerId],
  );
  if (r.rowCount !== 1) return undefined;
  return (await tx.query<BreakGlassRow>(`${BREAK_GLASS_SELECT} WHERE g.id = $1`, [id])).rows[0];
}
