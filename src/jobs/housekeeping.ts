import { withTransaction } from '../db/database.js';
import { pruneLoginAttempts } from '../db/loginAttemptsRepo.js';
import { pruneEndedAuthSessions } from '../db/authSessionsRepo.js';
import type { AppDeps } from '../services/context.js';
import { expirePracticeExports } from '../services/practiceExport/practiceExportRunner.js';

const HOUR = 3600_000;

/**
 * Hourly clean-up of short-lived security state: old throttling rows (throttling looks back 15
 * minutes) and long-ended browser sessions. The audit trail keeps the lasting record of sign-ins.
 * Also deletes whole-practice export archives past their expiry (practiceExportRunner.ts).
 * Safe to run in every process at once.
 */
export function startHousekeeping(deps: AppDeps, onError: (err: unknown) => void): () => void {
  const run = async () => {
    try {
      await withTransaction(deps.db, null, (tx) => pruneLoginAttempts(tx, 2));
      await withTransaction(deps.db, null, pruneEndedAuthSessions);
      await expirePracticeExports(deps);
    } catch (err) {
      onError(err);
    }
  };
  const timer = setInterval(() => void run(), HOUR);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
