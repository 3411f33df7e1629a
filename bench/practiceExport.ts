import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { encryptField, newDataKey, wrapDataKey, type KeyRing } from '../src/security/fieldEncryption.js';
import { newId } from '../src/security/ids.js';
import type { Ctx } from '../src/services/context.js';
import {
  requestPracticeExport,
  getPracticeExport,
} from '../src/services/practiceExport/practiceExportService.js';
import { runPendingExports } from '../src/services/practiceExport/practiceExportRunner.js';
import type { BenchDatabase } from './lib/benchDatabase.js';
import { benchDeps, benchPractice } from './lib/benchApp.js';
import { installSeedFunctions, insertClients, insertStaff } from './lib/seed.js';
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
const WEEK = 7 * 86_400_000;

export interface PracticeExportBenchOptions {
  sizes: number[];
}

const SOAP = {
  subjective:
    'Reports sleeping five to six hours a night, worry about work deadlines most days, and two arguments with a partner this week.',
  objective:
    'Arrived on time, casually dressed, speech normal rate and volume, affect anxious and congruent.',
  assessment:
    'Anxiety symptoms persist with partial progress toward goal 1; uses breathing skills twice a day.',
  clientResponse: 'Engaged with the thought record and identified two automatic thoughts about failure.',
  risk: { suicidalIdeation: 'none', homicidalIdeation: 'none', selfHarm: 'none', safetyPlan: '', notes: '' },
  interventions: { selected: ['cognitive_restructuring'], other: '' },
  plan: 'Continue weekly CBT; review thought records next session and introduce graded exposure.',
  homework: 'Two thought records before the next session.',
  nextAppointment: 'Next week, same time',
};
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
    const key = newDataKey();
    await su.query('INSERT INTO client_keys (client_id, practice_id, wrapped_key) VALUES ($1, $2, $3)', [
      c.id,
      practiceId,
      wrapDataKey(practiceKey, c.id, key),
    ]);
    const s = { id: [] as string[], start: [] as Date[], end: [] as Date[] };
    const note = { id: [] as string[], session: [] as string[], date: [] as string[], enc: [] as Buffer[] };
    const note2 = { facts: [] as string[], signed: [] as Date[], hash: [] as string[] };
    const m = { id: [] as string[], at: [] as Date[], session: [] as string[], enc: [] as Buffer[] };
    for (let i = 0; i < SESSIONS_PER_CLIENT; i++) {
      const start = new Date(end - (SESSIONS_PER_CLIENT - i) * WEEK);
      const stop = new Date(start.getTime() + 53 * 60_000);
      const sid = newId();
      s.id.push(sid);
      s.start.push(start);
      s.end.push(stop);
      const nid = newId();
      const content = JSON.stringify({ ...SOAP, plan: `${SOAP.plan} Session ${i + 1}.` });
      note.id.push(nid);
      note.session.push(sid);
      note.date.push(start.toISOString().slice(0, 10));
      note.enc.push(encryptField(key, 'notes', nid, 'content', content));
      note2.facts.push(
        JSON.stringify({
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
      );
      note2.signed.push(new Date(stop.getTime() + 3_600_000));
      note2.hash.push(createHash('sha256').update(content).digest('hex'));
      if (i % 4 === 0) {
        const mid = newId();
        m.id.push(mid);
        m.at.push(start);
        m.session.push(sid);
        const answers = Object.fromEntries(PHQ9.map((v, k) => [`q${k + 1}`, v]));
        m.enc.push(encryptField(key, 'measure_administrations', mid, 'answers', JSON.stringify(answers)));
      }
    }
    const clin = c.primary_clinician_id;
    await su.query(
      `INSERT INTO sessions (id, practice_id, clinician_id, service_type, scheduled_start, scheduled_end,
                             actual_start, actual_end, modality, place_of_service, created_by)
       SELECT x.id, $1, $2, 'individual', x.s, x.e, x.s, x.e, 'in_person', '11', $2
         FROM unnest($3::uuid[], $4::timestamptz[], $5::timestamptz[]) AS x(id, s, e)`,
      [practiceId, clin, s.id, s.start, s.end],
    );
    await su.query(
      `INSERT INTO session_clients (practice_id, session_id, client_id, clinician_id, starts_at, attendance, note_state)
       SELECT $1, x.id, $2, $3, x.s, 'attended', 'signed' FROM unnest($4::uuid[], $5::timestamptz[]) AS x(id, s)`,
      [practiceId, c.id, clin, s.id, s.start],
    );
    await su.query(
      `INSERT INTO notes (id, practice_id, client_id, session_id, author_id, caseload_id, kind, format, template_key,
                          template_version, status, date_of_service, session_facts, diagnosis_codes, content_enc,
                          signed_at, signed_by, signer_name, signer_credentials, content_hash)
       SELECT x.id, $1, $2, x.sid, $3, $3, 'progress', 'soap', 'builtin.progress.soap', 1, 'signed', x.d::date,
              x.f::jsonb, '{F41.1}', x.enc, x.signed, $3, 'Bench Clinician', 'LCSW', x.h
         FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::bytea[], $9::timestamptz[], $10::text[])
              AS x(id, sid, d, f, enc, signed, h)`,
      [
        practiceId,
        c.id,
        clin,
        note.id,
        note.session,
        note.date,
        note2.facts,
        note.enc,
        note2.signed,
        note2.hash,
      ],
    );
    await su.query(
      `INSERT INTO measure_administrations (id, practice_id, client_id, instrument, version, administered_at, source,
                                            session_id, answers_enc, total, band, recorded_by)
       SELECT x.id, $1, $2, 'phq9', 'en-1', x.at, 'clinician', x.sid, x.enc, 9, 'mild', $3
         FROM unnest($4::uuid[], $5::timestamptz[], $6::uuid[], $7::bytea[]) AS x(id, at, sid, enc)`,
      [practiceId, c.id, clin, m.id, m.at, m.session, m.enc],
    );
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
