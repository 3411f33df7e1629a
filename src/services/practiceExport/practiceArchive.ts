import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { PassThrough, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';
import { withTransaction, type Tx } from '../../db/database.js';
import { clientIdPage, countPracticeClients } from '../../db/practiceExportsRepo.js';
import {
  ARCHIVE_README,
  PRACTICE_LEVEL_TYPES,
  buildManifest,
  clientPdfName,
  isResourceTypeName,
} from '../../domain/practiceExport.js';
import { NotFound } from '../../domain/errors.js';
import type { ChartExport } from '../chartExport/chartExportTypes.js';
import { audit, type AppDeps, type Ctx, type RequestMeta } from '../context.js';

/** Reads and renders one client's chart; the real one is chartSource.ts, tests may swap it. */
export interface ChartSource {
  /** Reads the chart inside the caller's practice-scoped transaction. */
  load(tx: Tx, ctx: Ctx, clientId: string): Promise<ChartExport>;
  resources(chart: ChartExport): { resourceType: string; id?: string }[];
  /** Writes the chart PDF to out and ends it. */
  writePdf(chart: ChartExport, out: Writable): Promise<void>;
}

export interface ArchiveProgress {
  clientsTotal: number;
  clientsDone: number;
  resources: number;
  bytes: number;
}

export interface ArchiveResult extends ArchiveProgress {
  sha256: string;
  /** Lines per FHIR resource type. */
  counts: Record<string, number>;
}

export interface ArchiveJob {
  deps: AppDeps;
  /** Whose reads these are: the requesting owner (web) or the operator (CLI). */
  ctx: Ctx;
  /** The identity the per-client audit rows carry (userId null for the command line). */
  auditWho: { practiceId: string; userId: string | null; label: string | null };
  auditMeta: RequestMeta;
  exportId: string | null;
  /** The finished zip; written as <file>.<random>.partial and renamed when complete. */
  outFile: string;
  /** A private scratch folder for the per-type NDJSON files; removed at the end. */
  workDir: string;
  source: ChartSource;
  /** Called at most every progressEveryMs and once at the end; false cancels the export. */
  onProgress: (p: ArchiveProgress) => Promise<boolean>;
  progressEveryMs?: number;
}

export class ExportCancelled extends Error {
  constructor() {
    super('The export was cancelled');
  }
}

const PAGE = 100;

/** One NDJSON file per resource type, appended to as clients are processed. */
class NdjsonSpool {
  private readonly files = new Map<string, { path: string; out: WriteStream; count: number }>();
  constructor(private readonly dir: string) {}

  async write(type: string, line: string): Promise<void> {
    let f = this.files.get(type);
    if (!f) {
      const path = join(this.dir, `${type}.ndjson`);
      f = { path, out: createWriteStream(path, { mode: 0o600 }), count: 0 };
      this.files.set(type, f);
    }
    f.count++;
    if (!f.out.write(line)) await once(f.out, 'drain');
  }

  async close(): Promise<{ type: string; path: string; count: number }[]> {
    const all = [...this.files.entries()].sort(([a], [b]) => a.localeCompare(b));
    for (const [, f] of all) {
      f.out.end();
      if (!f.out.closed) await once(f.out, 'close');
    }
    return all.map(([type, f]) => ({ type, path: f.path, count: f.count }));
  }

  destroy(): void {
    for (const f of this.files.values()) f.out.destroy();
  }
}

/** Counts and hashes the bytes of the zip on their way to disk. */
function measuringStream(): { stream: Transform; bytes: () => number; sha256: () => string } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, bytes: () => bytes, sha256: () => hash.digest('hex') };
}

/**
 * Writes the whole-practice archive as a stream: one client in memory at a time (its chart,
 * resources and PDF), FHIR lines spooled to per-type files on disk and copied into the zip at
 * the end, the zip itself streamed to disk while it is made. Each client's read runs in its
 * own practice-scoped transaction, with its audit row.
 */
export async function writePracticeArchive(job: ArchiveJob): Promise<ArchiveResult> {
  const { deps, ctx } = job;
  const practiceId = job.auditWho.practiceId;
  const transactionTime = deps.clock();
  await mkdir(job.workDir, { recursive: true, mode: 0o700 });
  // Unique per run: a process that lost its claim must not remove the new claimant's file.
  const partial = `${job.outFile}.${randomBytes(4).toString('hex')}.partial`;
  const spool = new NdjsonSpool(job.workDir);
  const measure = measuringStream();
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const written = pipeline(archive, measure.stream, createWriteStream(partial, { mode: 0o600 }));
  // Surfaces a disk or archive error at the next await instead of hanging on a stalled stream.
  const stream = { failure: null as Error | null };
  written.catch((err: unknown) => {
    stream.failure = err instanceof Error ? err : new Error(String(err));
  });
  const entryDone = (name: string) =>
    new Promise<void>((resolve, reject) => {
      const onEntry = (e: { name: string }) => {
        if (e.name !== name) return;
        archive.off('entry', onEntry);
        archive.off('error', reject);
        resolve();
      };
      archive.on('entry', onEntry);
      archive.once('error', reject);
    });

  const counts: Record<string, number> = {};
  const seenShared = new Set<string>();
  const pdfNames = new Set<string>();
  const skipped: { clientId: string; reason: string }[] = [];
  const progress: ArchiveProgress = { clientsTotal: 0, clientsDone: 0, resources: 0, bytes: 0 };
  let lastReport = 0;
  const report = async (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastReport < (job.progressEveryMs ?? 1000)) return;
    lastReport = now;
    progress.bytes = measure.bytes();
    if (!(await job.onProgress({ ...progress }))) throw new ExportCancelled();
  };

  try {
    progress.clientsTotal = await withTransaction(deps.db, practiceId, (tx) =>
      countPracticeClients(tx, practiceId),
    );
    await report(true);
    archive.append(ARCHIVE_README, { name: 'README.txt', date: transactionTime });

    let after: string | null = null;
    for (;;) {
      const page = await withTransaction(deps.db, practiceId, (tx) =>
        clientIdPage(tx, practiceId, after, PAGE),
      );
      if (page.length === 0) break;
      for (const client of page) {
        if (stream.failure) throw stream.failure;
        const chart = await withTransaction(deps.db, practiceId, async (tx) => {
          let loaded: ChartExport;
          try {
            loaded = await job.source.load(tx, ctx, client.id);
          } catch (err) {
            // A record whose data key was destroyed (retention-expiry erasure) cannot be read.
            if (!(err instanceof NotFound)) throw err;
            skipped.push({ clientId: client.id, reason: err.message });
            return null;
          }
          await audit(tx, job.auditMeta, job.auditWho, {
            action: 'practice_export.client',
            category: 'practice_export',
            clientId: client.id,
            entityType: 'practice_export',
            ...(job.exportId ? { entityId: job.exportId } : {}),
          });
          return loaded;
        });
        if (!chart) {
          progress.clientsDone++;
          continue;
        }
        for (const resource of job.source.resources(chart)) {
          const type = resource.resourceType;
          if (!isResourceTypeName(type))
            throw new Error(`Unexpected FHIR resource type ${type.slice(0, 40)}`);
          if (PRACTICE_LEVEL_TYPES.has(type)) {
            const key = `${type}/${resource.id ?? ''}`;
            if (seenShared.has(key)) continue;
            seenShared.add(key);
          }
          await spool.write(type, JSON.stringify(resource) + '\n');
          counts[type] = (counts[type] ?? 0) + 1;
          progress.resources++;
        }
        const name = clientPdfName({ id: client.id, clientCode: client.client_code }, (n) => pdfNames.has(n));
        pdfNames.add(name);
        const pdf = new PassThrough();
        const done = entryDone(name);
        // Stored, not deflated: the PDF's page streams are compressed already.
        archive.append(pdf, { name, date: transactionTime, store: true });
        await Promise.all([job.source.writePdf(chart, pdf), done]);
        progress.clientsDone++;
        await report(false);
      }
      after = page[page.length - 1]?.id ?? null;
    }

    const files = await spool.close();
    for (const f of files) archive.file(f.path, { name: `fhir/${f.type}.ndjson`, date: transactionTime });
    const manifest = buildManifest({
      transactionTime,
      exportId: job.exportId,
      practiceId,
      clients: progress.clientsDone,
      outputs: files.map((f) => ({ type: f.type, url: `fhir/${f.type}.ndjson`, count: f.count })),
      pdfs: pdfNames.size,
      skipped,
    });
    archive.append(JSON.stringify(manifest, null, 2) + '\n', {
      name: 'manifest.json',
      date: transactionTime,
    });
    await archive.finalize();
    await written;
    await rename(partial, job.outFile);
    progress.bytes = measure.bytes();
    await job.onProgress({ ...progress });
    return { ...progress, sha256: measure.sha256(), counts };
  } catch (err) {
    archive.abort();
    archive.destroy();
    spool.destroy();
    await written.catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  } finally {
    await rm(job.workDir, { recursive: true, force: true });
  }
}
