import pg from 'pg';
import { inject } from 'vitest';

/**
 * A plain connection as the database URL's own user (the schema owner, a superuser in tests):
 * it is not casebook_app, so row-level security does not apply. Tests use it to look behind
 * the application (what was really written) and to play the attacker with a SQL prompt.
 */
export async function openTableOwner(url = inject('databaseUrl')): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'casebook-test-owner' });
  await client.connect();
  return client;
}

export interface AuditRowView {
  id: string;
  seq: number;
  practice_id: string;
  actor_user_id: string | null;
  actor_token_id: string | null;
  actor_label: string | null;
  action: string;
  category: string;
  client_id: string | null;
  entity_type: string | null;
  entity_id: string | null;
  outcome: 'success' | 'denied' | 'failure';
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

/** Every audit row one HTTP request wrote (matched by its x-request-id), in chain order. */
export async function auditRowsOf(
  db: pg.Client,
  requestId: string | string[] | number | undefined,
): Promise<AuditRowView[]> {
  if (typeof requestId !== 'string') throw new Error('response carried no x-request-id');
  const r = await db.query<AuditRowView>(
    `SELECT id, seq::int AS seq, practice_id, actor_user_id, actor_token_id, actor_label, action, category, client_id,
            entity_type, entity_id, outcome, ip, user_agent, request_id, details
       FROM audit_events WHERE request_id = $1 ORDER BY practice_id, seq`,
    [requestId],
  );
  return r.rows;
}

/**
 * Everything stored about one client, as one comparable string: demographics and version,
 * contacts, encrypted background and its version, data key, care team and emergency grants.
 */
export async function clientFingerprint(db: pg.Client, clientId: string): Promise<string> {
  const r = await db.query<{ f: string }>(
    `SELECT jsonb_build_object(
       'client', (SELECT to_jsonb(c) FROM clients c WHERE c.id = $1),
       'contacts', (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.position), '[]') FROM client_contacts x WHERE x.client_id = $1),
       'background', (SELECT to_jsonb(b) FROM client_backgrounds b WHERE b.client_id = $1),
       'key', (SELECT encode(wrapped_key, 'hex') FROM client_keys k WHERE k.client_id = $1),
       'team', (SELECT coalesce(jsonb_agg(m.user_id ORDER BY m.user_id), '[]') FROM care_team_members m WHERE m.client_id = $1),
       'grants', (SELECT count(*) FROM break_glass_grants g WHERE g.client_id = $1)
     )::text AS f`,
    [clientId],
  );
  const f = r.rows[0]?.f;
  if (!f) throw new Error('no fingerprint');
  return f;
}

/** Row counts of the given tables in one practice (read as the owner; other test files write concurrently). */
export async function countRows(
  db: pg.Client,
  practiceId: string,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    if (!/^[a-z_]+$/.test(t)) throw new Error(`bad table name ${t}`);
    const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE practice_id = $1`, [
      practiceId,
    ]);
    out[t] = r.rows[0]?.n ?? -1;
  }
  return out;
}
