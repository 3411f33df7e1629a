import pg from 'pg';
import { newId } from '../src/security/ids.js';
import { withTransaction } from '../src/db/database.js';
import type { Ctx } from '../src/services/context.js';
import { loadChartForExport } from '../src/services/chartExport/loadChart.js';
import { chartBundle } from '../src/interop/fhir/chartBundle.js';
import { sealContent } from '../src/services/planAccess.js';
import { planContentSchema } from '../src/domain/treatmentPlan.js';
import { RELEASE_CATEGORIES } from '../src/domain/releaseScope.js';
import { validateFhirBundle } from '../test/support/fhirValidation.js';
import type { BenchDatabase } from './lib/benchDatabase.js';
import { benchDeps, benchPractice } from './lib/benchApp.js';
import { installSeedFunctions, insertClients, insertStaff } from './lib/seed.js';
import { insertClientKey, insertWeeklyHistory, WEEK } from './lib/weeklyNotes.js';
import { log, nowMs, round, summarize } from './lib/stats.js';

/**
 * The FHIR chart export of one client (issue 5 §3): a client with N weekly attended sessions,
 * each with a signed SOAP note (real AES-GCM ciphertext with the client's key) and every fourth
 * an addendum and a PHQ-9, two diagnoses and a signed treatment plan. Times loadChartForExport
 * (one transaction, all categories but psychotherapy notes), chartBundle and JSON serialisation,
 * each and together, over `reps` runs; reports bytes, resources and peak RSS, and validates the
 * bundle once with both FHIR validators.
 */

export interface FhirExportBenchOptions {
  sessions: number;
  reps: number;
}

async function seedClient(su: pg.Client, practiceId: string, deps: ReturnType<typeof benchDeps>, n: number) {
  await installSeedFunctions(su);
  const staff = await insertStaff(su, practiceId, 2, `fhir${Date.now() % 100000}`, null);
  const [clientId] = await insertClients(
    su,
    practiceId,
    1,
    staff.map((s) => s.id),
    7,
  );
  if (!clientId) throw new Error('no client');
  const clin = (
    await su.query<{ c: string }>('SELECT primary_clinician_id AS c FROM clients WHERE id = $1', [clientId])
  ).rows[0]?.c;
  if (!clin) throw new Error('no clinician');
  const key = await insertClientKey(su, practiceId, deps.keys.practiceKey(practiceId), clientId);
  const dx = [newId(), newId()];
  await su.query(
    `INSERT INTO client_diagnoses (id, practice_id, client_id, code, description, rank, status, created_by, updated_by)
     VALUES ($1, $3, $4, 'F41.1', 'Generalized anxiety disorder', 'primary', 'active', $5, $5),
            ($2, $3, $4, 'F32.0', 'Major depressive disorder, single episode, mild', 'secondary', 'active', $5, $5)`,
    [dx[0], dx[1], practiceId, clientId, clin],
  );
  const planId = newId();
  const versionId = newId();
  const goal = newId();
  const content = planContentSchema.parse({
    problems: [{ id: newId(), statement: 'Worry keeps the client from work', diagnosisIds: [dx[0]] }],
    goals: [
      {
        id: goal,
        statement: 'Reduce worry to a manageable level',
        target: 'PHQ-9 below 5',
        targetDate: '2027-06-30',
        status: 'active',
        measure: { instrument: 'phq9', below: 5 },
        objectives: [{ id: newId(), statement: 'Thought record three times a week', status: 'active' }],
        interventions: [
          { id: newId(), modality: 'cbt', description: 'Cognitive restructuring', frequency: 'Weekly' },
        ],
      },
    ],
  });
  const signedAt = new Date(Date.now() - (n + 1) * WEEK);
  await su.query('BEGIN');
  await su.query(
    `INSERT INTO treatment_plans (id, practice_id, client_id, current_version_id, review_due_date, created_by)
     VALUES ($1, $2, $3, $4, '2027-06-30', $5)`,
    [planId, practiceId, clientId, versionId, clin],
  );
  await su.query(
    `INSERT INTO treatment_plan_versions (id, practice_id, plan_id, client_id, version_no, status, content_enc,
        created_by, signed_at, signed_by, signer_name, signer_credentials, content_hash, review_due_date)
     VALUES ($1, $2, $3, $4, 1, 'signed', $5, $6, $7, $6, 'Bench Clinician', 'LCSW', $8, '2027-06-30')`,
    [
      versionId,
      practiceId,
      planId,
      clientId,
      sealContent(key, versionId, content),
      clin,
      signedAt,
      'ab'.repeat(32),
    ],
  );
  await su.query('COMMIT');

  await insertWeeklyHistory(su, {
    practiceId,
    clientId,
    clinicianId: clin,
    key,
    sessions: n,
    end: Date.now() - 2 * 86_400_000,
    facts: (start, stop) => ({
      serviceType: 'individual',
      start: start.toISOString(),
      end: stop.toISOString(),
      minutes: 53,
      modality: 'in_person',
      placeOfService: '11',
      participants: ['Client'],
      cpt: [{ code: '90834', units: 1, modifiers: [] }],
    }),
    phq9: {
      answers: { q1: 1, q2: 1, q3: 2, q4: 1, q5: 1, q6: 1, q7: 1, q8: 0, q9: 0, difficulty: 1 },
      total: 8,
    },
    addenda: true,
  });
  await su.query('ANALYZE');
  return { clientId, clinicianId: clin };
}

export async function runFhirExportBench(bdb: BenchDatabase, opts: FhirExportBenchOptions) {
  const deps = benchDeps(bdb, 2);
  const su = new pg.Client({ connectionString: bdb.url });
  await su.connect();
  try {
    const { practiceId } = await benchPractice(deps, 'FHIR Export Bench', 'bench horse battery staple 42');
    const t0 = Date.now();
    const { clientId, clinicianId } = await seedClient(su, practiceId, deps, opts.sessions);
    log(`fhir: seeded 1 client × ${opts.sessions} sessions in ${round((Date.now() - t0) / 1000, 1)} s`);
    const ctx: Ctx = {
      ...deps,
      requestId: 'bench',
      ip: null,
      userAgent: 'casebook-bench',
      secure: false,
      actor: { userId: clinicianId, practiceId, roles: ['clinician'] },
      actorLabel: 'bench',
    };
    const scope = {
      categories: new Set(RELEASE_CATEGORIES.filter((c) => c !== 'psychotherapy_notes')),
      purpose: 'release' as const,
    };
    const load: number[] = [];
    const map: number[] = [];
    const serialise: number[] = [];
    const total: number[] = [];
    let bytes = 0;
    let resources = 0;
    let bundle: ReturnType<typeof chartBundle> | null = null;
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
    for (let i = 0; i < opts.reps + 1; i++) {
      const a = nowMs();
      const chart = await withTransaction(deps.db, practiceId, (tx) =>
        loadChartForExport(tx, ctx, clientId, scope),
      );
      const b = nowMs();
      bundle = chartBundle(chart);
      const c = nowMs();
      const json = JSON.stringify(bundle);
      const d = nowMs();
      if (i === 0) continue; // warm-up
      load.push(b - a);
      map.push(c - b);
      serialise.push(d - c);
      total.push(d - a);
      bytes = Buffer.byteLength(json);
      resources = bundle.entry.length;
    }
    clearInterval(sampler);
    const v0 = nowMs();
    const problems = bundle ? validateFhirBundle(bundle) : [];
    const result = {
      sessions: opts.sessions,
      notes: opts.sessions,
      reps: opts.reps,
      loadMs: summarize(load),
      bundleMs: summarize(map),
      jsonMs: summarize(serialise),
      totalMs: summarize(total),
      bytes,
      megabytes: round(bytes / 1e6, 2),
      resources,
      rssBeforeMB: round(rssBefore / 2 ** 20, 0),
      peakRssMB: round(peakRss / 2 ** 20, 0),
      validationErrors: problems.length,
      validationSeconds: round((nowMs() - v0) / 1000, 1),
    };
    log(`fhir: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await su.end();
    await deps.db.close();
  }
}
