import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { KeyRing } from '../src/security/fieldEncryption.js';
import type { Ctx } from '../src/services/context.js';
import {
  requestPracticeExport,
  getPracticeExport,
} from '../src/services/practiceExport/practiceExportService.js';
import { runPendingExports } from '../src/services/practiceExport/practiceExportRunner.js';
import type { BenchDatabase } from './lib/benchDatabase.js';
import { benchDeps, benchPractice } from './lib/benchApp.js';
import { installSeedFunctions, insertClients, insertStaff } from './lib/seed.js';
import { insertClientKey, insertWeeklyHistory } from './lib/weeklyNotes.js';
import { log, round } from './lib/stats.js';

/**
 * Whole-practice export (issue 5 §8) at two practice sizes: N clients × 20 weekly attended
 * sessions, each with a signed SOAP note (real AES-GCM ciphertext with the client's key), and a
 * PHQ-9 every fourth session. Runs the real export job (claim, per-client read + audit, FHIR
 * NDJSON spool, one PDF per client, zip) and reports throughput and the process's peak RSS,
 * sampled every 20 ms, to show memory stays flat as the practice grows.
 */

const SESSIONS_PER_CLIENT = 20;
const CLINICIANS = 10;

export interface PracticeExportBenchOptions {
  sizes: number[];
}

const PHQ9 = [2, 1, 2, 1, 1, 1, 1, 0, 0];

async function seedPractice(
  su: pg.Client,
  practiceId: string,
  keys: KeyRing,
  label: string,
  n: number,
): Promise<void> {
  await installSeedFunctions(su);
  const staff = await insertStaff(su, practiceId, CLINICIANS, `exp${label}`, null);
  const clientIds = await insertClients(
    su,
    practiceId,
    n,
    staff.map((s) => s.id),
    Math.floor(Math.random() * 100_000),
  );
  const rows = await su.query<{ id: string; primary_clinician_id: string }>(
    'SELECT id, primary_clinician_id FROM clients WHERE id = ANY($1::uuid[])',
    [clientIds],
  );
  const practiceKey = keys.practiceKey(practiceId);
  const end = Date.now() - 2 * 86_400_000;
  for (const c of rows.rows) {
    await insertWeeklyHistory(su, {
      practiceId,
      clientId: c.id,
      clinicianId: c.primary_clinician_id,
      key: await insertClientKey(su, practiceId, practiceKey, c.id),
      sessions: SESSIONS_PER_CLIENT,
      end,
      facts: (start, stop) => ({
        serviceType: 'individual',
        start: start.toISOString(),
        end: stop.toISOString(),
        minutes: 53,
        modality: 'in_person',
        location: null,
        clientAtHome: false,
        placeOfService: '11',
        participants: [],
        interactiveComplexity: false,
        cpt: [{ code: '90834', units: 1, modifiers: [] }],
        cptSuggested: [{ code: '90834', units: 1, modifiers: [] }],
        cptReason: '53 minutes of psychotherapy',
        cptOverrideReason: null,
      }),
      phq9: { answers: Object.fromEntries(PHQ9.map((v, k) => [`q${k + 1}`, v])), total: 9 },
      addenda: false,
    });
  }
  await su.query('ANALYZE');
}

export async function runPracticeExportBench(bdb: BenchDatabase, opts: PracticeExportBenchOptions) {
  const deps = benchDeps(bdb, 6);
  const exportsDir = await mkdtemp(join(tmpdir(), 'casebook-bench-exports-'));
  deps.exportsDir = exportsDir;
  const su = new pg.Client({ connectionString: bdb.url });
  await su.connect();
  const results: Record<string, unknown>[] = [];
  try {
    for (const n of opts.sizes) {
      const { practiceId, label } = await benchPractice(
        deps,
        `Export Bench ${n}`,
        'bench horse battery staple 42',
      );
      const t0 = Date.now();
      await seedPractice(su, practiceId, deps.keys, label, n);
      log(
        `export: seeded ${n} clients × ${SESSIONS_PER_CLIENT} sessions in ${round((Date.now() - t0) / 1000, 1)} s`,
      );
      const owner = await su.query<{ id: string; email: string }>(
        "SELECT id, email FROM users WHERE practice_id = $1 AND 'owner' = ANY(roles)",
        [practiceId],
      );
      const ownerRow = owner.rows[0];
      if (!ownerRow) throw new Error('no owner');
      const ctx: Ctx = {
        ...deps,
        requestId: 'bench',
        ip: null,
        userAgent: 'casebook-bench',
        secure: false,
        actor: { userId: ownerRow.id, practiceId, roles: ['owner'] },
        actorLabel: ownerRow.email,
      };
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      let peakHeap = process.memoryUsage().heapUsed;
      const sampler = setInterval(() => {
        const u = process.memoryUsage();
        peakRss = Math.max(peakRss, u.rss);
        peakHeap = Math.max(peakHeap, u.heapUsed);
      }, 20);
      const started = Date.now();
      const job = await requestPracticeExport(ctx);
      await runPendingExports(deps, (err) => log(`export failed: ${String(err)}`));
      const seconds = (Date.now() - started) / 1000;
      clearInterval(sampler);
      const done = await getPracticeExport(ctx, job.id);
      if (done.status !== 'done') throw new Error(`export ended ${done.status}: ${done.error ?? ''}`);
      const size = (await stat(join(exportsDir, `${job.id}.zip`))).size;
      const r = {
        clients: n,
        sessionsPerClient: SESSIONS_PER_CLIENT,
        seconds: round(seconds, 2),
        clientsPerSecond: round(n / seconds, 1),
        resources: done.resourcesWritten,
        resourcesPerSecond: round(done.resourcesWritten / seconds, 0),
        archiveMB: round(size / 1e6, 2),
        mbPerSecond: round(size / 1e6 / seconds, 2),
        rssBeforeMB: round(rssBefore / 2 ** 20, 0),
        peakRssMB: round(peakRss / 2 ** 20, 0),
        peakRssGrowthMB: round((peakRss - rssBefore) / 2 ** 20, 0),
        peakHeapUsedMB: round(peakHeap / 2 ** 20, 0),
      };
      log(`export: ${JSON.stringify(r)}`);
      results.push(r);
      await rm(join(exportsDir, `${job.id}.zip`), { force: true });
    }
  } finally {
    await su.end();
    await deps.db.close();
    await rm(exportsDir, { recursive: true, force: true });
  }
  return { runs: results };
}
