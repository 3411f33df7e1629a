import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { KeyRing, encryptField, newDataKey, wrapDataKey } from '../src/security/fieldEncryption.js';
import { hashPassword } from '../src/security/passwords.js';
import { newId } from '../src/security/ids.js';
import { blindTokens } from '../src/domain/searchTokens.js';
import { buildApp, type App } from '../src/http/app.js';
import type { BenchDatabase } from './lib/benchDatabase.js';
import { installSeedFunctions, insertClients, insertStaff } from './lib/seed.js';
import { log, round } from './lib/stats.js';
import { call, login, measure, type Agent } from './lib/httpAgent.js';
import { benchDeps, benchPractice } from './lib/benchApp.js';

/**
 * Notes at scale (issue 3): 100 clinicians, 10,000 clients, N signed notes spread over three
 * years with real AES-GCM ciphertext and ~150 blind-index words each (Zipf-like frequencies, plus
 * words every note has). Measures note search through the HTTP app (each search writes its audit
 * row) and signing throughput (sign = one request after a re-authentication, as in the editor).
 */

const PASSWORD = 'bench horse battery staple 42';
const CLIENTS = 10_000;
const CLINICIANS = 100;
const VOCABULARY = 6_000;
const WORDS_PER_NOTE = 150;
const DAYS = 3 * 365;

export interface NotesBenchOptions {
  notes: number;
  reps: number;
}

/** A deterministic vocabulary: 'w0' is in every note, then falling frequencies (rank r has ~1/r weight). */
function vocabulary(): string[] {
  return Array.from({ length: VOCABULARY }, (_, i) => `word${i}`);
}

/** Word ranks for one note: three words every note has, then a Zipf-like draw without repeats. */
function noteWordRanks(rand: () => number): number[] {
  const picked = new Set<number>([0, 1, 2]);
  while (picked.size < WORDS_PER_NOTE) {
    // Inverse-CDF of a 1/r distribution over [3, VOCABULARY): r = 3 * (V/3)^u.
    const r = Math.floor(3 * Math.pow(VOCABULARY / 3, rand()));
    if (r < VOCABULARY) picked.add(r);
  }
  return [...picked];
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function copyEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

async function loadNotes(
  su: pg.Client,
  practiceId: string,
  keys: KeyRing,
  clients: { id: string; clinician: string; name: string }[],
  total: number,
): Promise<void> {
  const words = vocabulary();
  const tokenOf = blindTokens(keys.searchKey(practiceId), words);
  const practiceKey = keys.practiceKey(practiceId);
  const dataKeys = new Map<string, Buffer>();
  const keyRows: string[] = [];
  for (const c of clients) {
    const k = newDataKey();
    dataKeys.set(c.id, k);
    keyRows.push(`${c.id}\t${practiceId}\t\\\\x${wrapDataKey(practiceKey, c.id, k).toString('hex')}\n`);
  }
  await pipeline(
    Readable.from(keyRows),
    su.query(copyFrom('COPY client_keys (client_id, practice_id, wrapped_key) FROM STDIN')),
  );
  // The token indexes are built once after the load, from their own definitions (faster than per row).
  const gin = await su.query<{ def: string; name: string }>(
    "SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'notes' AND indexdef LIKE '%USING gin%'",
  );
  for (const g of gin.rows) await su.query(`DROP INDEX ${g.name}`);
  const rand = mulberry32(42);
  const perClient = Math.max(1, Math.round(total / clients.length));
  const start = Date.now() - DAYS * 86_400_000;
  const filler =
    'Client reported on the week, practiced the skills discussed and described progress. '.repeat(12);
  function* rows(): Generator<string> {
    let n = 0;
    for (const c of clients) {
      const key = dataKeys.get(c.id) ?? newDataKey();
      for (let i = 0; i < perClient && n < total; i++, n++) {
        const id = newId();
        const day = new Date(start + Math.floor(((i + rand()) / perClient) * DAYS) * 86_400_000);
        const ranks = noteWordRanks(rand);
        const content = JSON.stringify({ narrative: `${ranks.map((r) => words[r]).join(' ')} ${filler}` });
        const enc = encryptField(key, 'notes', id, 'content', content);
        const tokens = `{${ranks.map((r) => tokenOf[r]).join(',')}}`;
        const date = day.toISOString().slice(0, 10);
        const signed = new Date(day.getTime() + 20 * 3_600_000).toISOString();
        yield (
          [
            id,
            practiceId,
            c.id,
            c.clinician,
            c.clinician,
            'progress',
            'narrative',
            'builtin.progress.narrative',
            '1',
            'signed',
            date,
            '{}',
            '{F41.1}',
            `\\\\x${enc.toString('hex')}`,
            tokens,
            signed,
            c.clinician,
            copyEscape(c.name),
            'LCSW',
            randomBytes(32).toString('hex'),
          ].join('\t') + '\n'
        );
      }
    }
  }
  const t0 = Date.now();
  await pipeline(
    Readable.from(rows()),
    su.query(
      copyFrom(`COPY notes (id, practice_id, client_id, author_id, caseload_id, kind, format, template_key, template_version, status,
        date_of_service, session_facts, diagnosis_codes, content_enc, search_tokens, signed_at, signed_by, signer_name,
        signer_credentials, content_hash) FROM STDIN`),
    ),
  );
  log(`notes: ${total} notes loaded in ${round((Date.now() - t0) / 1000, 1)} s`);
  const t1 = Date.now();
  for (const g of gin.rows) await su.query(g.def);
  // Every table, not only notes: freshly loaded clients, keys and care teams without statistics
  // gave plans ~20x slower until autovacuum caught up (seen at 100k: 140 ms, then 8 ms).
  await su.query('VACUUM ANALYZE');
  log(`notes: search index built and analyzed in ${round((Date.now() - t1) / 1000, 1)} s`);
}

export async function runNotesBench(bdb: BenchDatabase, opts: NotesBenchOptions) {
  const deps = benchDeps(bdb, 12);
  const db = deps.db;
  const { practiceId, label } = await benchPractice(deps, 'Notes Bench', PASSWORD);
  const keys = deps.keys;
  const su = new pg.Client({ connectionString: bdb.url });
  // A failed COPY surfaces through its promise; don't let the connection's own error event crash the run.
  su.on('error', (err) => log(`notes: loader connection: ${err.message}`));
  await su.connect();
  await installSeedFunctions(su);
  const hash = await hashPassword(PASSWORD);
  await insertStaff(su, practiceId, CLINICIANS, `notes${label}`, hash);
  const clinicians = (
    await su.query<{ id: string; email: string; full_name: string }>(
      "SELECT id, email, full_name FROM users WHERE practice_id = $1 AND roles = ARRAY['clinician'] ORDER BY email",
      [practiceId],
    )
  ).rows;
  const clientIds = await insertClients(
    su,
    practiceId,
    CLIENTS,
    clinicians.map((c) => c.id),
    90_000,
  );
  const owners = await su.query<{ id: string; primary_clinician_id: string }>(
    'SELECT id, primary_clinician_id FROM clients WHERE id = ANY($1::uuid[])',
    [clientIds],
  );
  const nameOf = new Map(clinicians.map((c) => [c.id, c.full_name]));
  const clients = owners.rows.map((r) => ({
    id: r.id,
    clinician: r.primary_clinician_id,
    name: nameOf.get(r.primary_clinician_id) ?? 'Clinician',
  }));
  await loadNotes(su, practiceId, keys, clients, opts.notes);
  const size = await su.query<{ heap: string; toast: string; gin: string }>(
    `SELECT pg_size_pretty(pg_relation_size('notes')) AS heap,
            pg_size_pretty(pg_total_relation_size('notes') - pg_relation_size('notes') - pg_indexes_size('notes')) AS toast,
            pg_size_pretty(pg_relation_size('notes_caseload_search_idx')) AS gin`,
  );
  await su.end();

  const app: App = await buildApp(deps, { webDist: null, logLevel: 'warn', authRateLimit: 1_000_000 });
  await app.ready();
  const agents: Agent[] = [];
  for (const c of clinicians.slice(0, 8)) agents.push(await login(app, c.email, PASSWORD));
  const agent = (w: number): Agent => agents[w % agents.length] ?? agents[0];
  const caseload = new Map<string, string[]>();
  for (const c of clients) caseload.set(c.clinician, [...(caseload.get(c.clinician) ?? []), c.id]);
  const clientOf = (w: number, i: number) => {
    const ids = caseload.get(clinicians[w % 8]?.id ?? '') ?? [];
    return ids[i % ids.length] ?? '';
  };
  const result: Record<string, unknown> = {
    notes: opts.notes,
    clients: CLIENTS,
    clinicians: CLINICIANS,
    caseloadNotes: Math.round(opts.notes / CLINICIANS),
    sizes: size.rows[0],
  };

  // ---- search: word frequencies from very common (every note) to rare
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  const cases: { name: string; body: (w: number, i: number) => Record<string, unknown> }[] = [
    { name: 'word in every note', body: () => ({ text: 'word0' }) },
    { name: 'all words common (3 words in every note)', body: () => ({ text: 'word0 word1 word2' }) },
    { name: 'common word (~10% of notes)', body: () => ({ text: 'word4' }) },
    { name: 'medium word (~1%)', body: () => ({ text: 'word400' }) },
    { name: 'rare word (~0.1%)', body: () => ({ text: 'word4500' }) },
    { name: 'common + rare word', body: () => ({ text: 'word0 word4500' }) },
    { name: 'one client, common word', body: (w, i) => ({ text: 'word4', clientId: clientOf(w, i) }) },
    { name: 'last 90 days, no words', body: () => ({ from: since }) },
    { name: 'last 90 days + medium word', body: () => ({ from: since, text: 'word400' }) },
  ];
  const search: Record<string, unknown> = {};
  for (const c of cases) {
    log(`notes: search — ${c.name}`);
    for (let i = 0; i < 3; i++) await call(app, agent(0), 'POST', '/api/v1/notes/search', c.body(0, i));
    const single = await measure(bdb, opts.reps, 1, async (_w, i) => {
      await call(app, agent(0), 'POST', '/api/v1/notes/search', c.body(0, i));
    });
    const eight = await measure(bdb, opts.reps * 4, 8, async (w, i) => {
      await call(app, agent(w), 'POST', '/api/v1/notes/search', c.body(w, i));
    });
    const hits = JSON.parse(await call(app, agent(0), 'POST', '/api/v1/notes/search', c.body(0, 0))) as {
      items: unknown[];
    };
    search[c.name] = { firstPageHits: hits.items.length, single, concurrent8: eight };
  }
  result.search = search;

  // ---- sign: drafts prepared first, then only the sign requests are timed (re-authenticated once)
  const signCount = opts.reps * 8;
  const drafts: { id: string; version: number; w: number }[] = [];
  for (let i = 0; i < signCount; i++) {
    const w = i % 8;
    const note = JSON.parse(
      await call(
        app,
        agent(w),
        'POST',
        '/api/v1/notes',
        { clientId: clientOf(w, i), kind: 'progress', format: 'narrative', dateOfService: '2026-11-20' },
        201,
      ),
    ) as { id: string; version: number; content: Record<string, unknown> };
    const filled = JSON.parse(
      await call(
        app,
        agent(w),
        'PUT',
        `/api/v1/notes/${note.id}/draft`,
        { content: narrativeContent(note.content) },
        200,
        { 'if-match': `"${note.version}"` },
      ),
    ) as { version: number };
    drafts.push({ id: note.id, version: filled.version, w });
  }
  for (let w = 0; w < 8; w++)
    await call(app, agent(w), 'POST', '/api/v1/auth/reauth', { password: PASSWORD });
  const byWorker = (w: number) => drafts.filter((d) => d.w === w);
  const queues = Array.from({ length: 8 }, (_, w) => byWorker(w));
  const half = Math.floor(signCount / 16);
  log('notes: sign (1 at a time)');
  const sign1 = await measure(bdb, half, 1, async (_w, i) => {
    const d = queues[i % 8]?.pop();
    if (!d) throw new Error('out of drafts');
    await call(app, agent(d.w), 'POST', `/api/v1/notes/${d.id}/sign`, {}, 200, {
      'if-match': `"${d.version}"`,
    });
  });
  log('notes: sign (8 concurrent)');
  const sign8 = await measure(bdb, signCount - half, 8, async (w) => {
    const d = queues[w]?.pop();
    if (!d) return;
    await call(app, agent(d.w), 'POST', `/api/v1/notes/${d.id}/sign`, {}, 200, {
      'if-match': `"${d.version}"`,
    });
  });
  result.sign = { single: sign1, concurrent8: sign8 };
  await app.close();
  await db.close();
  return result;
}

/** Fills every text field of the built-in narrative template with a plausible paragraph. */
function narrativeContent(empty: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(empty)) {
    if (typeof v === 'string') out[k] = `Client described the week and practiced grounding skills (${k}).`;
    else if (k === 'risk')
      out[k] = {
        suicidalIdeation: 'none',
        homicidalIdeation: 'none',
        selfHarm: 'none',
        safetyPlan: '',
        notes: '',
      };
    else if (k === 'interventions') out[k] = { selected: ['psychoeducation'], other: '' };
    else out[k] = v;
  }
  return out;
}
