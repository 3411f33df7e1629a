import { withTransaction } from '../db/database.js';
import { pruneLoginAttempts } from '../db/loginAttemptsRepo.js';
import type { AppDeps } from '../services/context.js';

const HOUR = 3600_000;

/**
 * Hourly clean-up of short-lived security state. Throttling only looks back 15 minutes; the
 * audit trail keeps the lasting record of sign-ins. Safe to run in every process at once.
 */
export function startHousekeeping(deps: AppDeps, onError: (err: unknown) => void): () => void {
  const run = () => withTransaction(deps.db, null, (tx) => pruneLoginAttempts(tx, 2)).catch(onError);
  const timer = setInterval(() => void run(), HOUR);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
