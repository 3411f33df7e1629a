import { withTransaction } from '../db/database.js';
import { verifyAuditChain, type ChainVerification } from '../db/auditRepo.js';
import type { AppDeps } from './context.js';

/** Operator check of every practice's chain (and the chain of sign-ins to unknown accounts). */
export async function verifyAllChains(
  deps: AppDeps,
): Promise<(ChainVerification & { practiceId: string })[]> {
  const ids = await withTransaction(deps.db, null, async (tx) =>
    (await tx.query<{ id: string }>('SELECT practice_ids() AS id')).rows.map((r) => r.id),
  );
  const out: (ChainVerification & { practiceId: string })[] = [];
  for (const practiceId of ids) {
    out.push({
      practiceId,
      ...(await withTransaction(deps.db, practiceId, (tx) => verifyAuditChain(tx, practiceId))),
    });
  }
  return out;
}
