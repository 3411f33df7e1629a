import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { openBenchDatabase } from './lib/benchDatabase.js';
import { log, round } from './lib/stats.js';
import { runAuditBench } from './auditReport.js';
import { runApiBench } from './api.js';
import { runNotesBench } from './notes.js';
import { runPracticeExportBench } from './practiceExport.js';
import { runFhirExportBench } from './fhirExport.js';

/**
 * `npm run bench -- [--only audit|api|notes] [--scale 1m|10m|<rows>] [--notes 100k|1m] [--reps 20] [--database-url postgres://...] [--keep]`
 *
 * Without --database-url the benchmarks run on a throw-away embedded PostgreSQL under /tmp;
 * with it they create (and at the end drop) a casebook_bench_* database on that server.
 */
const BENCHES = ['audit', 'api', 'notes', 'export', 'fhir'] as const;
type BenchName = (typeof BENCHES)[number];

function parseScale(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`--scale: expected e.g. 1m, 10m, 250k or a number, got ${s}`);
  const unit = m[2]?.toLowerCase() === 'm' ? 1_000_000 : m[2]?.toLowerCase() === 'k' ? 1_000 : 1;
  return Math.round(Number(m[1]) * unit);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      scale: { type: 'string', default: '1m' },
      reps: { type: 'string', default: '20' },
      'database-url': { type: 'string' },
      keep: { type: 'boolean', default: false },
      notes: { type: 'string', default: '100k' },
      'export-sizes': { type: 'string', default: '50,200' },
      'fhir-sessions': { type: 'string', default: '200' },
    },
  });
  const only = (values.only ? values.only.split(',') : ['audit', 'api']) as BenchName[];
  for (const o of only)
    if (!BENCHES.includes(o))
      throw new Error(`--only: unknown benchmark ${o} (known: ${BENCHES.join(', ')})`);
  const rows = parseScale(values.scale);
  const reps = Number(values.reps);
  const started = new Date();
  const bdb = await openBenchDatabase(values['database-url'] ?? process.env.BENCH_DATABASE_URL);
  const results: Record<string, unknown> = {
    date: started.toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGB: round(totalmem() / 2 ** 30, 1),
      node: process.version,
    },
    database: { where: bdb.where, version: bdb.serverVersion },
    options: { only, rows, reps },
  };
  try {
    if (only.includes('audit')) results.audit = await runAuditBench(bdb, { rows, reps });
    if (only.includes('api')) results.api = await runApiBench(bdb, { reps });
    if (only.includes('notes'))
      results.notes = await runNotesBench(bdb, { notes: parseScale(values.notes), reps });
    if (only.includes('export'))
      results.export = await runPracticeExportBench(bdb, {
        sizes: values['export-sizes'].split(',').map(parseScale),
      });
    if (only.includes('fhir'))
      results.fhir = await runFhirExportBench(bdb, { sessions: parseScale(values['fhir-sessions']), reps });
  } catch (err) {
    // Keep whatever finished (stderr has every case as it ran) and say why the rest is missing.
    results.error = err instanceof Error ? err.message : String(err);
    process.exitCode = 1;
  } finally {
    if (!values.keep) await bdb.drop();
  }
  const seconds = round((Date.now() - started.getTime()) / 1000, 1);
  results.seconds = seconds;
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const scale = `${only.includes('audit') ? `-${values.scale}` : ''}${only.includes('notes') ? `-notes${values.notes}` : ''}`;
  const file = new URL(
    `./results/${only.join('+')}${scale}-${started.toISOString().slice(0, 16).replace(/[:T]/g, '')}.json`,
    import.meta.url,
  );
  await writeFile(file, JSON.stringify(results, null, 2) + '\n');
  log(`wrote ${file.pathname} (${seconds} s)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
