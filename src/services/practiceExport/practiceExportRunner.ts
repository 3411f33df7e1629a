import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { withTransaction } from '../../db/database.js';
import * as repo from '../../db/practiceExportsRepo.js';
import { getUser } from '../../db/usersRepo.js';
import { DomainError } from '../../domain/errors.js';
import { PRACTICE_EXPORT_RETENTION_DAYS } from '../../domain/practiceExport.js';
import { decidePracticeAction } from '../../security/accessPolicy.js';
import { audit, type AppDeps, type Ctx, type RequestMeta } from '../context.js';
import { chartSource } from './chartSource.js';
import { ExportCancelled, writePracticeArchive, type ChartSource } from './practiceArchive.js';
import { archivePath } from './practiceExportService.js';

/** A running job renews its heartbeat at least this often (each progress update)... */
const PROGRESS_MS = 1000;
/** ...so a job silent for this long belongs to a process that died: it is claimed again. */
const STALE_SECONDS = 120;
const POLL_MS = 15_000;
const DAY_MS = 86_400_000;

const RUNNER_META: RequestMeta = {
  requestId: 'practice-export',
  ip: null,
  userAgent: 'casebook-export-runner',
  secure: false,
};

/** Runs one claimed job to its end (done, failed or cancelled); never throws. */
async function runJob(
  deps: AppDeps & { exportsDir: string },
  claim: { exportId: string; practiceId: string },
  source: ChartSource,
  onError: (err: unknown) => void,
): Promise<void> {
  const { exportId, practiceId } = claim;
  const meta = { ...RUNNER_META, requestId: `practice-export:${exportId}` };
  const loaded = await withTransaction(deps.db, practiceId, async (tx) => {
    const job = await repo.getPracticeExport(tx, practiceId, exportId);
    const user = job ? await getUser(tx, job.requested_by) : undefined;
    return job && user ? { job, user } : null;
  });
  if (!loaded) return;
  const { job, user } = loaded;
  const who = { practiceId, userId: user.id, label: user.email };
  const actor = { userId: user.id, practiceId, roles: user.roles };
  const ctx: Ctx = { ...deps, ...meta, actor, actorLabel: user.email };
  const finishAudit = (outcome: 'success' | 'failure', details: Record<string, string | number>) =>
    withTransaction(deps.db, practiceId, (tx) =>
      audit(tx, meta, who, {
        action: 'practice_export.complete',
        category: 'practice_export',
        entityType: 'practice_export',
        entityId: exportId,
        outcome,
        details,
      }),
    );
  const fail = async (reason: string) => {
    const failed = await withTransaction(deps.db, practiceId, (tx) =>
      repo.failPracticeExport(tx, practiceId, exportId, job.attempts, reason),
    );
    if (failed) await finishAudit('failure', { reason });
  };

  // The owner may have lost the role (or left) since asking: the export runs on their authority.
  if (!user.active || !decidePracticeAction(actor, 'practice.export').allowed) {
    await fail('The owner who requested this export no longer has the owner role.');
    return;
  }
  const outFile = archivePath(deps.exportsDir, exportId);
  try {
    await mkdir(deps.exportsDir, { recursive: true, mode: 0o700 });
    const result = await writePracticeArchive({
      deps,
      ctx,
      auditWho: who,
      auditMeta: meta,
      exportId,
      outFile,
      workDir: join(deps.exportsDir, `.work-${exportId}-${job.attempts}`),
      source,
      progressEveryMs: PROGRESS_MS,
      onProgress: (p) =>
        withTransaction(deps.db, practiceId, (tx) =>
          repo.recordPracticeExportProgress(tx, practiceId, exportId, job.attempts, p),
        ),
    });
    const finished = await withTransaction(deps.db, practiceId, async (tx) => {
      const ok = await repo.finishPracticeExport(tx, practiceId, exportId, job.attempts, {
        clientsDone: result.clientsDone,
        resources: result.resources,
        bytes: result.bytes,
        sha256: result.sha256,
        expiresAt: new Date(deps.clock().getTime() + PRACTICE_EXPORT_RETENTION_DAYS * DAY_MS),
      });
      if (ok)
        await audit(tx, meta, who, {
          action: 'practice_export.complete',
          category: 'practice_export',
          entityType: 'practice_export',
          entityId: exportId,
          details: {
            clients: result.clientsDone,
            resources: result.resources,
            bytes: result.bytes,
            sha256: result.sha256,
          },
        });
      return ok;
    });
    // Cancelled (or claimed by another process) at the last moment: this file is not the export.
    if (!finished) await rm(outFile, { force: true });
  } catch (err) {
    if (err instanceof ExportCancelled) return;
    onError(err);
    await fail(
      err instanceof DomainError
        ? err.message
        : `The export failed (${(err as Error).name ?? 'error'}); see the server log.`,
    ).catch(onError);
  }
}

let draining: Promise<number> | null = null;

/**
 * Claims and runs queued exports one after another until none is left. One drain per process
 * at a time (an export holds one client in memory; two would hold two); other processes
 * claim other jobs through SKIP LOCKED. Resolves to the number of jobs run.
 */
export function runPendingExports(
  deps: AppDeps,
  onError: (err: unknown) => void = () => undefined,
  source: ChartSource = chartSource,
): Promise<number> {
  const exportsDir = deps.exportsDir;
  if (!exportsDir) return Promise.resolve(0);
  if (draining) return draining;
  const drain = async () => {
    let n = 0;
    for (;;) {
      const claim = await withTransaction(deps.db, null, (tx) => repo.claimPracticeExport(tx, STALE_SECONDS));
      if (!claim) return n;
      await runJob({ ...deps, exportsDir }, claim, source, onError);
      n++;
    }
  };
  draining = drain().finally(() => {
    draining = null;
  });
  return draining;
}

/** Polls for queued exports in the background (requests also start a drain straight away). */
export function startPracticeExportRunner(deps: AppDeps, onError: (err: unknown) => void): () => void {
  const tick = () => void runPendingExports(deps, onError).catch(onError);
  const timer = setInterval(tick, POLL_MS);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}

/** Scratch folders and unfinished files a process left behind when it stopped mid-export. */
async function removeLeftovers(exportsDir: string, now: number): Promise<void> {
  let names: string[];
  try {
    names = await readdir(exportsDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith('.partial') && !name.startsWith('.work-')) continue;
    const path = join(exportsDir, name);
    const age = now - (await stat(path)).mtimeMs;
    if (age > DAY_MS) await rm(path, { recursive: true, force: true });
  }
}

/** Deletes archives past their expiry and marks their rows expired (housekeeping, hourly). */
export async function expirePracticeExports(deps: AppDeps): Promise<number> {
  const exportsDir = deps.exportsDir;
  if (!exportsDir) return 0;
  await removeLeftovers(exportsDir, deps.clock().getTime());
  const due = await withTransaction(deps.db, null, (tx) => repo.expiredPracticeExports(tx));
  for (const d of due) {
    await rm(archivePath(exportsDir, d.exportId), { force: true });
    await withTransaction(deps.db, d.practiceId, (tx) =>
      repo.markPracticeExportExpired(tx, d.practiceId, d.exportId),
    );
  }
  return due.length;
}
