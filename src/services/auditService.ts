import {
  queryAuditEvents,
  verifyAuditChain,
  type AuditQuery,
  type AuditCursor,
  type AuditRow,
  type ChainVerification,
} from '../db/auditRepo.js';
import { withSavepoint } from '../db/database.js';
import { decidePracticeAction } from '../security/accessPolicy.js';
import { decodeCursor, encodeCursor } from '../domain/keysetCursor.js';
import { z } from 'zod';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';

export interface AuditEventView {
  id: string;
  seq: number;
  occurredAt: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  actor: string | null;
  action: string;
  category: string;
  clientId: string | null;
  clientCode: string | null;
  entityType: string | null;
  entityId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

function view(r: AuditRow): AuditEventView {
  return {
    id: r.id,
    seq: r.seq,
    occurredAt: r.occurred_at.toISOString(),
    actorUserId: r.actor_user_id,
    actorTokenId: r.actor_token_id,
    actor: r.actor_label,
    action: r.action,
    category: r.category,
    clientId: r.client_id,
    clientCode: r.client_code,
    entityType: r.entity_type,
    entityId: r.entity_id,
    outcome: r.outcome,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    details: r.details,
  };
}

export type AuditReportQuery = Omit<AuditQuery, 'after'> & { cursor?: string | undefined };

function positionOf(r: AuditRow): AuditCursor {
  return { value: r.sort_value, atMicros: r.at_micros, seq: r.seq };
}
// (sort value or null for time, time in epoch microseconds, seq).
const REPORT_POSITION = z.tuple([
  z
    .string()
    .refine((v) => !v.includes('\u0000'))
    .nullable(),
  z.string().regex(/^-?\d{1,17}$/),
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
]);

function cursorOf(r: AuditRow): string {
  const p = positionOf(r);
  return encodeCursor([p.value, p.atMicros, p.seq]);
}
function parseCursor(c: string): AuditCursor {
  const [value, atMicros, seq] = decodeCursor(c, REPORT_POSITION);
  return { value, atMicros, seq };
}

function requireAuditRead(ctx: Ctx, action: string): void {
  const d = decidePracticeAction(ctx.actor, 'audit.read');
  if (!d.allowed) throw new AccessDenied(d.reason, { action, category: 'audit' });
}

/** One page of the report. Reading the audit trail is itself audited. */
export async function auditReport(
  ctx: Ctx,
  q: AuditReportQuery,
): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
  return inPractice(ctx, async (tx) => {
    requireAuditRead(ctx, 'audit.report');
    const { cursor, ...rest } = q;
    const rows = await queryAuditEvents(tx, ctx.actor.practiceId, {
      ...rest,
      limit: q.limit + 1,
      ...(cursor ? { after: parseCursor(cursor) } : {}),
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    if (!cursor)
      await auditAs(tx, ctx, {
        action: 'audit.report',
        category: 'audit',
        details: {
          sort: q.sort,
          filtered: Boolean(q.userId || q.clientId || q.action || q.category || q.outcome || q.from || q.to),
        },
      });
    return { items: page.map(view), nextCursor: rows.length > q.limit && last ? cursorOf(last) : null };
  });
}

/** Streams the whole filtered report as CSV, page by page, so memory stays flat. */
export async function* auditCsv(
  ctx: Ctx,
  q: Omit<AuditReportQuery, 'cursor' | 'limit'>,
): AsyncGenerator<string> {
  await inPractice(ctx, async (tx) => {
    requireAuditRead(ctx, 'audit.export');
    await auditAs(tx, ctx, { action: 'audit.export', category: 'audit', details: { format: 'csv' } });
  });
  yield 'seq,occurred_at,actor,actor_user_id,action,category,client_code,client_id,entity_type,entity_id,outcome,ip,user_agent,request_id,details\r\n';
  let after: AuditCursor | undefined;
  for (;;) {
    const rows = await inPractice(ctx, (tx) =>
      queryAuditEvents(tx, ctx.actor.practiceId, { ...q, limit: 1000, ...(after ? { after } : {}) }),
    );
    for (const r of rows) {
      const v = view(r);
      yield (
        [
          v.seq,
          v.occurredAt,
          v.actor,
          v.actorUserId,
          v.action,
          v.category,
          v.clientCode,
          v.clientId,
          v.entityType,
          v.entityId,
          v.outcome,
          v.ip,
          v.userAgent,
          v.requestId,
          JSON.stringify(v.details),
        ]
          .map(csvCell)
          .join(',') + '\r\n'
      );
    }
    const last = rows[rows.length - 1];
    if (rows.length < 1000 || !last) return;
    after = positionOf(last);
  }
}

/** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s =
    typeof v === 'string'
      ? v
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function verifyChain(ctx: Ctx): Promise<ChainVerification> {
  return inPractice(ctx, async (tx) => {
    requireAuditRead(ctx, 'audit.verify');
    const result = await verifyAuditChain(tx, ctx.actor.practiceId);
    // A row forged past the chain head holds the sequence number the next row needs, so
    // recording this check can fail; the finding must still reach the auditor.
    await withSavepoint(tx, 'audit_verify_row', () =>
      auditAs(tx, ctx, {
        action: 'audit.verify',
        category: 'audit',
        outcome: result.ok ? 'success' : 'failure',
        details: { rowsChecked: result.rowsChecked },
      }),
    ).catch((err: unknown) => {
      if (result.ok) throw err;
    });
    return result;
  });
}
