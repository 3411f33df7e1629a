import type { Queryable } from './database.js';

// Per-clinician calendar feeds. Only the SHA-256 of the secret in the URL is stored.

/** Whose feed a secret belongs to, found before any practice is in scope (SECURITY DEFINER). */
export async function findCalendarFeed(
  tx: Queryable,
  hash: Buffer,
): Promise<{ practice_id: string; user_id: string } | undefined> {
  const r = await tx.query<{ practice_id: string; user_id: string }>(
    'SELECT practice_id, user_id FROM calendar_feed_find($1)',
    [hash],
  );
  return r.rows[0];
}

export async function activeCalendarFeed(
  tx: Queryable,
  userId: string,
): Promise<{ id: string; created_at: Date } | undefined> {
  const r = await tx.query<{ id: string; created_at: Date }>(
    `SELECT id, created_at FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL
      ORDER BY created_at DESC LIMIT 1`,
    [userId],
  );
  return r.rows[0];
}

/** Revokes every live feed of the user; returns how many there were. */
export async function revokeCalendarFeeds(tx: Queryable, userId: string): Promise<number> {
  const r = await tx.query(
    'UPDATE calendar_feeds SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
  return r.rowCount ?? 0;
}

export async function insertCalendarFeed(
  tx: Queryable,
  f: { id: string; practiceId: string; userId: string; hash: Buffer },
): Promise<{ id: string; created_at: Date }> {
  const r = await tx.query<{ id: string; created_at: Date }>(
    `INSERT INTO calendar_feeds (id, practice_id, user_id, token_hash) VALUES ($1,$2,$3,$4)
     RETURNING id, created_at`,
    [f.id, f.practiceId, f.userId, f.hash],
  );
  const row = r.rows[0];
  if (!row) throw new Error('calendar feed insert returned no row');
  return row;
}

/** What a feed may show of a session: times, kind, status and client codes. Never names or places. */
export interface FeedSessionRow {
  id: string;
  scheduled_start: Date;
  scheduled_end: Date;
  service_type: string;
  cancelled_at: Date | null;
  version: number;
  updated_at: Date;
  client_codes: string[];
}

/** A clinician's sessions starting in [from, to), each with its clients' codes only. */
export async function feedSessions(
  tx: Queryable,
  q: { clinicianId: string; from: Date; to: Date; limit: number },
): Promise<FeedSessionRow[]> {
  const r = await tx.query<FeedSessionRow>(
    `SELECT s.id, s.scheduled_start, s.scheduled_end, s.service_type, s.cancelled_at, s.version, s.updated_at,
            ARRAY(SELECT c.client_code FROM session_clients sc JOIN clients c ON c.id = sc.client_id
                   WHERE sc.session_id = s.id ORDER BY c.client_code) AS client_codes
       FROM sessions s
      WHERE s.clinician_id = $1 AND s.scheduled_start >= $2 AND s.scheduled_start < $3
      ORDER BY s.scheduled_start, s.id LIMIT $4`,
    [q.clinicianId, q.from, q.to, q.limit],
  );
  return r.rows;
}
