import { withTransaction } from '../db/database.js';
import { chainPracticeIds, verifyAuditChain, type ChainVerification } from '../db/auditRepo.js';
import type { AppDeps } from './context.js';

/** Operator check of every practice's chain (and the chain of sign-ins to unknown accounts). */
export async function verifyAllChains(
  deps: AppDeps,
): Promise<(ChainVerification & { practiceId: string })[]> {
  const ids = await withTransaction(deps.db, null, chainPracticeIds);
  const out: (ChainVerification & { practiceId: string })[] = [];
  for (const practiceId of ids) {
    out.push({
      practiceId,
      ...(await withTransaction(deps.db, practiceId, (tx) => verifyAuditChain(tx, practiceId))),
    });
  }
  return out;
}
