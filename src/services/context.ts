import type { Database, Tx } from '../db/database.js';
import { withTransaction } from '../db/database.js';
import { insertAuditEvent, type AuditOutcome } from '../db/auditRepo.js';
import type { KeyRing } from '../security/fieldEncryption.js';
import type { Actor } from '../security/accessPolicy.js';
import { Forbidden, NotFound, StaleVersion } from '../domain/errors.js';
import type { AuditCategory } from '../domain/auditCategory.js';
import type { Icd10Catalog } from '../domain/icd10.js';

/** What every use case needs, passed explicitly: no ambient globals. */
export interface AppDeps {
  db: Database;
  keys: KeyRing;
  publicUrl: string | undefined;
  /** The ICD-10-CM code set, loaded once on first use by whoever built the deps. */
  icd10: () => Promise<Icd10Catalog>;
  /** The time as the app sees it: deadlines and signatures use this, so tests inject a clock. */
  clock: () => Date;
  /** Where whole-practice export archives are written (<data folder>/exports); unset: no exports. */
  exportsDir?: string;
}

export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  secure: boolean;
}

export interface Ctx extends AppDeps, RequestMeta {
  actor: Actor;
  actorLabel: string;
  /** When this browser session last re-authenticated; API tokens never have. */
  reauthenticatedAt?: Date | null;
}

export type { AuditCategory } from '../domain/auditCategory.js';

export interface AuditFacts {
  action: string;
  category: AuditCategory;
  clientId?: string | null;
  entityType?: string;
  entityId?: string;
  outcome?: AuditOutcome;
  details?: Record<string, string | number | boolean | null>;
}

/** Writes one audit row in the caller's transaction. Details must never hold narrative. */
export async function audit(
  tx: Tx,
  meta: RequestMeta,
  who: { practiceId: string; userId: string | null; tokenId?: string | null; label: string | null },
  facts: AuditFacts,
): Promise<void> {
  await insertAuditEvent(tx, {
    practiceId: who.practiceId,
    actorUserId: who.userId,
    actorTokenId: who.tokenId ?? null,
    actorLabel: who.label,
    action: facts.action,
    category: facts.category,
    clientId: facts.clientId ?? null,
    entityType: facts.entityType ?? null,
    entityId: facts.entityId ?? null,
    outcome: facts.outcome ?? 'success',
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    details: facts.details ?? {},
  });
}

export function auditAs(tx: Tx, ctx: Ctx, facts: AuditFacts): Promise<void> {
  return audit(
    tx,
    ctx,
    {
      practiceId: ctx.actor.practiceId,
      userId: ctx.actor.userId,
      tokenId: ctx.actor.tokenId,
      label: ctx.actorLabel,
    },
    facts,
  );
}

/** Raised inside a use case when the policy says no; carries the audit row to record. */
export class AccessDenied extends Error {
  constructor(
    readonly reason: string,
    readonly facts: AuditFacts,
    readonly status: 403 | 404 = 403,
  ) {
    super(reason);
  }
}

/**
 * Runs a use case in one practice-scoped transaction. A denial rolls back whatever was
 * started, then records the denied attempt in its own transaction, then surfaces 403.
 */
export async function inPractice<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await withTransaction(ctx.db, ctx.actor.practiceId, fn);
  } catch (err) {
    if (err instanceof StaleVersion && err.audit) {
      // The 412 shows the current record: recorded as a failed write, which is also a view.
      const facts = err.audit;
      await withTransaction(ctx.db, ctx.actor.practiceId, (tx) =>
        auditAs(tx, ctx, { ...facts, outcome: 'failure', details: { reason: 'stale_version' } }),
      );
    }
    if (!(err instanceof AccessDenied)) throw err;
    await withTransaction(ctx.db, ctx.actor.practiceId, (tx) =>
      auditAs(tx, ctx, { ...err.facts, outcome: 'denied' }),
    );
    if (err.status === 404) throw new NotFound(err.facts.entityType === 'client' ? 'Client' : 'Record');
    throw new Forbidden(err.reason);
  }
}
