import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { withTransaction } from '../../db/database.js';
import { listUsers } from '../../db/usersRepo.js';
import { Invalid } from '../../domain/errors.js';
import { audit, type AppDeps, type Ctx, type RequestMeta } from '../context.js';
import { chartSource } from './chartSource.js';
import { writePracticeArchive, type ArchiveProgress, type ArchiveResult } from './practiceArchive.js';

const CLI_META: RequestMeta = { requestId: 'cli', ip: null, userAgent: 'casebook-cli', secure: false };
const CLI_LABEL = 'casebook-cli (operator)';

/** The practice to export: the one given, or the only one there is. */
async function choosePractice(deps: AppDeps, given: string | undefined): Promise<string> {
  const ids = await withTransaction(deps.db, null, async (tx) =>
    (await tx.query<{ id: string }>('SELECT practice_ids() AS id')).rows.map((r) => r.id),
  );
  if (given) {
    if (!ids.includes(given)) throw new Invalid(`No practice ${given} in this database`);
    return given;
  }
  if (ids.length === 1 && ids[0]) return ids[0];
  throw new Invalid(
    ids.length === 0
      ? 'There is no practice in this database yet'
      : `This database holds ${ids.length} practices: name one with --practice (ids: ${ids.join(', ')})`,
  );
}

/**
 * `casebook export`: the same archive as the web export, written straight to a file by the
 * operator. The reads run on the authority of the practice's (first active) owner, as the web
 * export does on the requesting owner's; the audit rows name the command line as the actor.
 */
export async function exportPracticeToFile(
  deps: AppDeps,
  opts: { practiceId?: string | undefined; out: string; onProgress?: (p: ArchiveProgress) => void },
): Promise<ArchiveResult & { practiceId: string }> {
  const practiceId = await choosePractice(deps, opts.practiceId);
  const owner = await withTransaction(deps.db, practiceId, async (tx) =>
    (await listUsers(tx)).find((u) => u.active && u.roles.includes('owner')),
  );
  if (!owner) throw new Invalid('The practice has no active owner on whose authority to export');
  const ctx: Ctx = {
    ...deps,
    ...CLI_META,
    actor: { userId: owner.id, practiceId, roles: owner.roles },
    actorLabel: CLI_LABEL,
  };
  const who = { practiceId, userId: null, label: CLI_LABEL };
  const entry = (action: string, details: Record<string, string | number> = {}, outcome?: 'failure') =>
    withTransaction(deps.db, practiceId, (tx) =>
      audit(tx, CLI_META, who, {
        action,
        category: 'practice_export',
        entityType: 'practice_export',
        details,
        ...(outcome && { outcome }),
      }),
    );
  const out = resolve(opts.out);
  await entry('practice_export.request', { via: 'cli' });
  try {
    const result = await writePracticeArchive({
      deps,
      ctx,
      auditWho: who,
      auditMeta: CLI_META,
      exportId: null,
      outFile: out,
      workDir: join(dirname(out), `.casebook-export-${randomBytes(6).toString('hex')}`),
      source: chartSource,
      onProgress: (p) => {
        opts.onProgress?.(p);
        return Promise.resolve(true);
      },
    });
    await entry('practice_export.complete', {
      via: 'cli',
      clients: result.clientsDone,
      resources: result.resources,
      bytes: result.bytes,
      sha256: result.sha256,
    });
    return { ...result, practiceId };
  } catch (err) {
    await entry('practice_export.complete', { via: 'cli', reason: (err as Error).name }, 'failure').catch(
      () => undefined,
    );
    throw err;
  }
}
