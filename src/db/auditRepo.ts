import type { Queryable } from './database.js';
import { newId } from '../security/ids.js';

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEventInput {
  practiceId: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  actorLabel: string | null;
  action: string;
  category: string;
  clientId: string | null;
  entityType: string | null;
  entityId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, string | number | boolean | null>;
}

/** Appends one row; the chain trigger assigns seq, time and hashes inside the same transaction. */
export async function insertAuditEvent(tx: Queryable, e: AuditEventInput): Promise<void> {
  await tx.query(
    `INSERT INTO audit_events (id, practice_id, seq, actor_user_id, actor_token_id, actor_label, action, category,
       client_id, entity_type, entity_id, outcome, ip, user_agent, request_id, details, prev_hash, hash)
     VALUES ($1,$2,0,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,'','')`,
    [
      newId(),
      e.practiceId,
      e.actorUserId,
      e.actorTokenId,
      e.actorLabel,
      e.action,
      e.category,
      e.clientId,
      e.entityType,
      e.entityId,
      e.outcome,
      e.ip,
      e.userAgent?.slice(0, 300) ?? null,
      e.requestId,
      JSON.stringify(e.details),
    ],
  );
}

export interface AuditQuery {
  from?: string;
  to?: string;
  userId?: string;
  clientId?: string;
  action?: string;
  category?: string;
  outcome?: AuditOutcome;
  sort: AuditSortColumn;
  direction: 'asc' | 'desc';
  after?: AuditCursor;
  limit: number;
}

/** Keyset position: the sort value (null for time), the time in epoch microseconds, and seq. */
export interface AuditCursor {
  value: string | null;
  atMicros: string;
  seq: number;
}

// Each column leads an index (practice_id, column, occurred_at, seq) in 0001_foundation.sql,
// so every sort and every deep page is an index range scan. Time sorts on audit_time_idx.
export const AUDIT_SORT_COLUMNS = {
  time: null,
  user: 'e.actor_sort',
  action: 'e.action',
  category: 'e.category',
  outcome: 'e.outcome',
  client: 'e.client_sort',
} as const;
export type AuditSortColumn = keyof typeof AUDIT_SORT_COLUMNS;

export interface AuditRow {
  id: string;
  seq: number;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_token_id: string | null;
  actor_label: string | null;
  action: string;
  category: string;
  client_id: string | null;
  client_code: string | null;
  entity_type: string | null;
  entity_id: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  sort_value: string | null;
  at_micros: string;
}

/** Filtered, sorted keyset page of one practice's audit trail. */
export async function queryAuditEvents(
  tx: Queryable,
  practiceId: string,
  q: AuditQuery,
): Promise<AuditRow[]> {
  const where: string[] = ['e.practice_id = $1'];
  const params: unknown[] = [practiceId];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.from) add('e.occurred_at >= ?', q.from);
  if (q.to) add('e.occurred_at < ?', q.to);
  if (q.userId) add('e.actor_user_id = ?', q.userId);
  if (q.clientId) add('e.client_id = ?', q.clientId);
  if (q.action) add('e.action = ?', q.action);
  if (q.category) add('e.category = ?', q.category);
  if (q.outcome) add('e.outcome = ?', q.outcome);
  const col = AUDIT_SORT_COLUMNS[q.sort];
  const cmp = q.direction === 'asc' ? '>' : '<';
  const dir = q.direction === 'asc' ? 'ASC' : 'DESC';
  if (q.after) {
    params.push(q.after.atMicros, q.after.seq);
    const at = `('epoch'::timestamptz + $${params.length - 1}::bigint * interval '1 microsecond')`;
    const seq = `$${params.length}::bigint`;
    if (col === null) {
      where.push(`(e.occurred_at, e.seq) ${cmp} (${at}, ${seq})`);
    } else {
      params.push(q.after.value ?? '');
      where.push(`(${col}, e.occurred_at, e.seq) ${cmp} ($${params.length}::text, ${at}, ${seq})`);
    }
  }
  params.push(q.limit);
  const order = `${col === null ? '' : `${col} ${dir}, `}e.occurred_at ${dir}, e.seq ${dir}`;
  const res = await tx.query<AuditRow>(
    `SELECT e.id, e.seq, e.occurred_at, e.actor_user_id, e.actor_token_id, e.actor_label, e.action, e.category,
            e.client_id, c.client_code, e.entity_type, e.entity_id, e.outcome, e.ip, e.user_agent, e.request_id,
            e.details, ${col ?? 'NULL'}::text AS sort_value,
            (extract(epoch FROM e.occurred_at) * 1000000)::bigint::text AS at_micros
       FROM audit_events e
       LEFT JOIN clients c ON c.id = e.client_id AND c.practice_id = e.practice_id
      WHERE ${where.join(' AND ')}
      ORDER BY ${order}
      LIMIT $${params.length}`,
    params,
  );
  return res.rows;
}

export interface ChainVerification {
  ok: boolean;
  rowsChecked: number;
  firstBadSeq: number | null;
  firstBadId: string | null;
  problem: string | null;
}

export async function verifyAuditChain(tx: Queryable, practiceId: string): Promise<ChainVerification> {
  const res = await tx.query<{
    ok: boolean;
    rows_checked: number;
    first_bad_seq: number | null;
    first_bad_id: string | null;
    problem: string | null;
  }>('SELECT * FROM audit_verify($1)', [practiceId]);
  const r = res.rows[0];
  if (!r) throw new Error('audit_verify returned nothing');
  return {
    ok: r.ok,
    rowsChecked: r.rows_checked,
    firstBadSeq: r.first_bad_seq,
    firstBadId: r.first_bad_id,
    problem: r.problem,
  };
}

/** Every practice with an audit chain (including the chain of sign-ins to unknown accounts). */
export async function chainPracticeIds(tx: Queryable): Promise<string[]> {
  return (await tx.query<{ id: string }>('SELECT practice_ids() AS id')).rows.map((r) => r.id);
}
