import type { Tx } from '../db/database.js';
import type { AuditCategory } from '../domain/auditCategory.js';
import { AccessDenied, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';
import { todayInPractice } from './recordRequestViews.js';

/** Where a record request's audit rows are filed: copy requests and amendments each have their own. */
export interface RequestFiling<C extends AuditCategory = AuditCategory> {
  category: C;
  entityType: string;
}

/**
 * Authorizes a loaded copy or amendment request for a use case. A request of another practice
 * (invisible under row-level security) is a 404 like a missing one, audited as denied.
 */
export async function authorizeRequestRow<R extends { id: string; client_id: string }>(
  tx: Tx,
  ctx: Ctx,
  id: string,
  row: R | undefined,
  action: string,
  filing: RequestFiling,
): Promise<{ row: R; key: Buffer; today: string }> {
  if (!row)
    throw new AccessDenied(
      'Request not found',
      { action, category: filing.category, entityType: filing.entityType, entityId: id },
      404,
    );
  await authorizeClientFor(tx, ctx, row.client_id, 'client.manageRecordRequests', {
    action,
    category: filing.category,
  });
  return { row, key: await clientDataKey(tx, ctx, row.client_id), today: await todayInPractice(tx, ctx) };
}

/** The audit facts of one action on a request. */
export function requestFacts<C extends AuditCategory>(
  row: { id: string; client_id: string },
  action: string,
  filing: RequestFiling<C>,
) {
  return {
    action,
    category: filing.category,
    clientId: row.client_id,
    entityType: filing.entityType,
    entityId: row.id,
  };
}
