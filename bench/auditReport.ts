import pg from 'pg';
import { openDatabase, withTransaction, type Database, type Queryable } from '../src/db/database.js';
import {
  insertAuditEvent,
  queryAuditEvents,
  verifyAuditChain,
  type AuditQuery,
} from '../src/db/auditRepo.js';
import { newId } from '../src/security/ids.js';
import type { BenchDatabase } from './lib/benchDatabase.js';
import { summarizePlan, type PlanSummary } from './lib/explain.js';
import { installSeedFunctions, insertClients, insertPracticeRow, insertStaff } from './lib/seed.js';
import { log, nowMs, round, runConcurrent, summarize, timed, type Summary } from './lib/stats.js';

/**
 * The audit report at scale: N chained audit rows for one practice (plus other practices' rows
 * interleaved), then every report shape through the real repository function, as the
 * application role under row-level security.
 */

// ~20 actions over 12 categories, weighted roughly as a group practice's day looks.
const ACTIONS: { action: string; category: string; weight: number; client: boolean }[] = [
  { action: 'client.view', category: 'demographics', weight: 28, client: true },
  { action: 'client.list', category: 'demographics', weight: 8, client: false },
  { action: 'client.update', category: 'demographics', weight: 3, client: true },
  { action: 'client.create', category: 'demographics', weight: 1, client: true },
  { action: 'background.view', category: 'background', weight: 8, client: true },
  { action: 'background.update', category: 'background', weight: 2, client: true },
  { action: 'note.view', category: 'progress_note', weight: 15, client: true },
  { action: 'note.create', category: 'progress_note', weight: 4, client: true },
  { action: 'note.sign', category: 'progress_note', weight: 3, client: true },
  { action: 'psychotherapy_note.view', category: 'psychotherapy_note', weight: 1, client: true },
  { action: 'plan.view', category: 'plan', weight: 4, client: true },
  { action: 'plan.update', category: 'plan', weight: 1, client: true },
  { action: 'billing.view', category: 'billing', weight: 3, client: true },
  { action: 'claim.create', category: 'billing', weight: 1, client: true },
  { action: 'care_team.add', category: 'care_team', weight: 0.5, client: true },
  { action: 'auth.login', category: 'authentication', weight: 6, client: false },
  { action: 'auth.logout', category: 'authentication', weight: 3, client: false },
  { action: 'auth.login_failed', category: 'authentication', weight: 0.5, client: false },
  { action: 'settings.update', category: 'settings', weight: 0.2, client: false },
  { action: 'audit.report', category: 'audit', weight: 0.5, client: false },
  { action: 'break_glass.open', category: 'break_glass', weight: 0.1, client: true },
  { action: 'chart.export', category: 'export', weight: 0.3, client: true },
];

const USERS = 100;
const CLIENTS = 10_000;
const OTHER_PRACTICES = 4;
const OTHER_SHARE = 0.025; // each other practice gets 2.5 % as many rows as the main one
const CHUNK = 100_000;
const SPAN_DAYS = 730;

export interface AuditBenchOptions {
  rows: number;
  reps: number;
  /** After the measured run, try the recommended indexes / time-sort rewrite on the same data. */
}

interface CaseResult {
  name: string;
  query: Omit<AuditQuery, 'limit' | 'after'>;
  first: Summary & { rows: number; plan: PlanSummary };
  deep: (Summary & { rows: number; offset: number; plan: PlanSummary }) | null;
  planText?: string;
}

function lut(weights: number[], size = 1000): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  weights.forEach((w, i) => {
    const k = Math.max(1, Math.round((w / total) * size));
    for (let j = 0; j < k; j++) out.push(i + 1);
  });
  return out;
}

async function load(su: pg.Client, rows: number) {
  await installSeedFunctions(su);
  const practiceId = newId();
  await insertPracticeRow(su, practiceId, 'Bench Practice');
  const staff = await insertStaff(su, practiceId, USERS, 'main', null);
  const clinicians = staff.filter((_, i) => (i + 1) % 25 !== 1).map((s) => s.id);
  const clients = await insertClients(su, practiceId, CLIENTS, clinicians, 0);
  const others: { id: string; users: { id: string; email: string }[]; clients: string[] }[] = [];
  for (let p = 0; p < OTHER_PRACTICES; p++) {
    const id = newId();
    await insertPracticeRow(su, id, `Other Practice ${p}`);
    const users = await insertStaff(su, id, 10, `o${p}`, null);
    others.push({
      id,
      users,
      clients: await insertClients(
        su,
        id,
        500,
        users.map((u) => u.id),
        CLIENTS + p * 1000,
      ),
    });
  }
  // Activity per user is skewed: a few heavy users, a long tail.
  const userLut = lut(Array.from({ length: USERS }, (_, i) => 1 / (1 + i) ** 0.8));
  const actionLut = lut(ACTIONS.map((a) => a.weight));
  const arrays = [
    ACTIONS.map((a) => a.action),
    ACTIONS.map((a) => a.category),
    ACTIONS.map((a) => a.client),
    actionLut,
  ];
  const otherLut = lut(Array.from({ length: 10 }, () => 1));

  const big = rows >= 3_000_000;
  let dropped: { name: string; def: string }[] = [];
  if (big) {
    // For multi-million loads, build the secondary indexes once at the end (as a restore would).
    const r = await su.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_events'
          AND indexname NOT IN ('audit_events_pkey', 'audit_events_id_key')`,
    );
    dropped = r.rows.map((x) => ({ name: x.indexname, def: x.indexdef }));
    for (const d of dropped) await su.query(`DROP INDEX ${d.name}`);
  }
  await su.query("SET session_replication_role = 'replica'");
  const end = Date.now() - 3_600_000;
  const start = end - SPAN_DAYS * 86_400_000;
  const chunks = Math.max(1, Math.ceil(rows / CHUNK));
  const t0 = nowMs();
  let loaded = 0;
  let otherLoaded = 0;
  for (let k = 0; k < chunks; k++) {
    const n = Math.min(CHUNK, rows - loaded);
    const from = new Date(start + ((end - start) * k) / chunks);
    const to = new Date(start + ((end - start) * (k + 1)) / chunks);
    await su.query('SELECT bench_audit_chunk($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)', [
      practiceId,
      n,
      from,
      to,
      staff.map((s) => s.id),
      staff.map((s) => s.email),
      userLut,
      clients,
      ...arrays,
    ]);
    for (const o of others) {
      otherLoaded += Math.max(1, Math.round(n * OTHER_SHARE));
      await su.query('SELECT bench_audit_chunk($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)', [
        o.id,
        Math.max(1, Math.round(n * OTHER_SHARE)),
        from,
        to,
        o.users.map((s) => s.id),
        o.users.map((s) => s.email),
        otherLut,
        o.clients,
        ...arrays,
      ]);
    }
    loaded += n;
    if (k % 10 === 9 || k === chunks - 1)
      log(`audit load: ${loaded.toLocaleString('en-US')} rows, ${round((nowMs() - t0) / 1000, 1)} s`);
  }
  await su.query("SET session_replication_role = 'origin'");
  const loadSeconds = (nowMs() - t0) / 1000;
  let indexSeconds = 0;
  if (dropped.length) {
    const ti = nowMs();
    await su.query("SET maintenance_work_mem = '512MB'");
    await su.query('SET max_parallel_maintenance_workers = 1');
    for (const d of dropped) await su.query(d.def);
    indexSeconds = (nowMs() - ti) / 1000;
    log(`rebuilt ${dropped.length} audit indexes in ${round(indexSeconds, 1)} s`);
  }
  const tv = nowMs();
  await su.query('VACUUM (ANALYZE) audit_events');
  await su.query('ANALYZE');
  const vacuumSeconds = (nowMs() - tv) / 1000;
  const totalRows = loaded + otherLoaded;
  return { practiceId, staff, clients, loadSeconds, indexSeconds, vacuumSeconds, totalRows, start, end };
}

/** The SQL and parameters queryAuditEvents would send, without sending them. */
async function captureSql(practiceId: string, q: AuditQuery): Promise<{ sql: string; params: unknown[] }> {
  let out: { sql: string; params: unknown[] } | undefined;
  const fake = {
    query: async (sql: string, params: unknown[]) => {
      out = { sql, params };
      return { rows: [] };
    },
  } as unknown as Queryable;
  await queryAuditEvents(fake, practiceId, q);
  if (!out) throw new Error('queryAuditEvents sent nothing');
  return out;
}

async function inPractice<T>(
  db: Database,
  practiceId: string,
  fn: (tx: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return withTransaction(db, practiceId, async (tx) => {
    await tx.query("SET LOCAL statement_timeout = '120s'");
    return fn(tx);
  });
}

async function explain(
  db: Database,
  practiceId: string,
  q: AuditQuery,
  format: 'JSON' | 'TEXT' = 'JSON',
): Promise<unknown> {
  const { sql, params } = await captureSql(practiceId, q);
  return inPractice(db, practiceId, async (tx) => {
    const r = await tx.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT ${format}) ${sql}`,
      params,
    );
    return format === 'JSON'
      ? r.rows[0]?.['QUERY PLAN']
      : r.rows.map((x) => String(x['QUERY PLAN'])).join('\n');
  });
}

/** A cursor `offset` rows into the report (or as deep as the report goes), taken with the repository's own SQL. */
async function deepCursor(
  db: Database,
  practiceId: string,
  q: AuditQuery,
): Promise<{ after: AuditQuery['after']; offset: number } | null> {
  const { sql, params } = await captureSql(practiceId, { ...q, limit: 1 });
  for (const offset of [100_000, 10_000, 1_000, 100]) {
    const deepSql = sql.replace(/LIMIT (\$\d+)\s*$/, (_m, p: string) => `OFFSET ${offset} LIMIT ${p}`);
    const row = await inPractice(
      db,
      practiceId,
      async (tx) =>
        (await tx.query<{ sort_value: string | null; at_micros: string; seq: number }>(deepSql, params))
          .rows[0],
    );
    if (row) return { after: { value: row.sort_value, atMicros: row.at_micros, seq: row.seq }, offset };
  }
  return null;
}

async function timeQuery(
  db: Database,
  practiceId: string,
  q: AuditQuery,
  reps: number,
): Promise<Summary & { rows: number }> {
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < reps; i++) {
    const { ms, value } = await inPractice(db, practiceId, (tx) =>
      timed(() => queryAuditEvents(tx, practiceId, q)),
    );
    rows = value.length;
    samples.push(ms);
    // A query that takes seconds tells its story in a few runs; spare the shared machine.
    if (i === 1 && samples.every((s) => s > 300)) break;
  }
  return { ...summarize(samples), rows };
}

async function runCase(
  db: Database,
  practiceId: string,
  name: string,
  query: CaseResult['query'],
  reps: number,
): Promise<CaseResult> {
  const q: AuditQuery = { ...query, limit: 51 };
  // One warm-up, then EXPLAIN (ANALYZE) of the same statement, then the timed runs.
  await inPractice(db, practiceId, (tx) => queryAuditEvents(tx, practiceId, q));
  const firstPlan = summarizePlan(await explain(db, practiceId, q));
  const first = { ...(await timeQuery(db, practiceId, q, reps)), plan: firstPlan };
  const cursor = await deepCursor(db, practiceId, q);
  let deep: CaseResult['deep'] = null;
  let planText: string | undefined;
  if (cursor) {
    const dq = { ...q, after: cursor.after };
    const deepPlan = summarizePlan(await explain(db, practiceId, dq));
    deep = { ...(await timeQuery(db, practiceId, dq, reps)), offset: cursor.offset, plan: deepPlan };
    if (deepPlan.flags.length) planText = String(await explain(db, practiceId, dq, 'TEXT'));
  }
  if (firstPlan.flags.length) planText = String(await explain(db, practiceId, q, 'TEXT'));
  const flag = [...firstPlan.flags, ...(deep?.plan.flags ?? [])].length ? '  <-- FLAGGED' : '';
  log(
    `${name.padEnd(44)} first p50 ${first.p50} p95 ${first.p95} ms | deep p50 ${deep?.p50 ?? '-'} p95 ${deep?.p95 ?? '-'} ms | ${firstPlan.auditAccess.join(', ')}${flag}`,
  );
  return { name, query, first, deep, ...(planText ? { planText } : {}) };
}

async function insertCost(
  db: Database,
  bdb: BenchDatabase,
  practiceId: string,
  users: { id: string; email: string }[],
  clients: string[],
  writers: number,
  total: number,
) {
  const cpu0 = process.cpuUsage();
  const db0 = await bdb.serverCpuSeconds();
  const { latencies, wallMs } = await runConcurrent(total, writers, async (w, i) => {
    const u = users[(w * 31 + i) % users.length] ?? users[0];
    await withTransaction(db, practiceId, (tx) =>
      insertAuditEvent(tx, {
        practiceId,
        actorUserId: u?.id ?? null,
        actorTokenId: null,
        actorLabel: u?.email ?? null,
        action: 'client.view',
        category: 'demographics',
        clientId: clients[i % clients.length] ?? null,
        entityType: 'client',
        entityId: clients[i % clients.length] ?? null,
        outcome: 'success',
        ip: '127.0.0.1',
        userAgent: 'casebook-bench',
        requestId: newId(),
        details: { grounds: 'care_team' },
      }),
    );
  });
  const cpu = process.cpuUsage(cpu0);
  const db1 = await bdb.serverCpuSeconds();
  return {
    writers,
    transactions: total,
    perSecond: round((total / wallMs) * 1000, 1),
    wallMsPerRow: round(wallMs / total),
    latency: summarize(latencies),
    nodeCpuMsPerRow: round((cpu.user + cpu.system) / 1000 / total),
    dbCpuMsPerRow: db0 !== null && db1 !== null ? round(((db1 - db0) * 1000) / total) : null,
  };
}

export async function runAuditBench(bdb: BenchDatabase, opts: AuditBenchOptions) {
  const su = new pg.Client({ connectionString: bdb.url, application_name: 'casebook-bench-load' });
  await su.connect();
  log(
    `audit: loading ${opts.rows.toLocaleString('en-US')} rows for one practice (+${OTHER_PRACTICES} other practices)`,
  );
  const L = await load(su, opts.rows);
  log(
    `audit: loaded in ${round(L.loadSeconds, 1)} s (${round(opts.rows / L.loadSeconds, 0)} rows/s); vacuum+analyze ${round(L.vacuumSeconds, 1)} s`,
  );
  const sizes = await su.query<{ name: string; bytes: number }>(
    `SELECT c.relname AS name, pg_relation_size(c.oid) AS bytes FROM pg_class c
      WHERE c.relname = 'audit_events' OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'audit_events'::regclass)
      ORDER BY 2 DESC`,
  );
  // Filter values chosen from the data: the median and the busiest user, a client with history, a month a year ago.
  const byUser = await su.query<{ actor_user_id: string; n: number }>(
    'SELECT actor_user_id, count(*)::int AS n FROM audit_events WHERE practice_id = $1 GROUP BY 1 ORDER BY 2 DESC',
    [L.practiceId],
  );
  const busiest = byUser.rows[0];
  const median = byUser.rows[Math.floor(byUser.rows.length / 2)];
  const client = L.clients[4321] ?? L.clients[0];
  if (!busiest || !median || !client) throw new Error('no data');
  await su.end();
  const from = new Date(L.end - 365 * 86_400_000).toISOString();
  const to = new Date(L.end - 335 * 86_400_000).toISOString();

  const db = openDatabase(bdb.url, 5);
  const cases: [string, CaseResult['query']][] = [];
  for (const sort of ['time', 'user', 'action', 'category', 'outcome', 'client'] as const) {
    for (const direction of ['desc', 'asc'] as const)
      cases.push([`sort ${sort} ${direction}`, { sort, direction }]);
  }
  const t = { sort: 'time', direction: 'desc' } as const;
  cases.push(
    ['filter time range (30 days, a year ago)', { ...t, from, to }],
    [`filter user (median, ${median.n} rows)`, { ...t, userId: median.actor_user_id }],
    [`filter user (busiest, ${busiest.n} rows)`, { ...t, userId: busiest.actor_user_id }],
    ['filter client', { ...t, clientId: client }],
    ['filter action note.sign', { ...t, action: 'note.sign' }],
    ['filter category billing', { ...t, category: 'billing' }],
    ['filter outcome denied', { ...t, outcome: 'denied' }],
    ['time range + user (median)', { ...t, from, to, userId: median.actor_user_id }],
    ['client + category demographics', { ...t, clientId: client, category: 'demographics' }],
    ['busiest user, sort action asc', { sort: 'action', direction: 'asc', userId: busiest.actor_user_id }],
    ['category billing, sort user asc', { sort: 'user', direction: 'asc', category: 'billing' }],
    ['time range, sort client desc', { sort: 'client', direction: 'desc', from, to }],
    ['outcome denied, sort user asc', { sort: 'user', direction: 'asc', outcome: 'denied' }],
  );
  const results: CaseResult[] = [];
  for (const [name, query] of cases) results.push(await runCase(db, L.practiceId, name, query, opts.reps));

  log('audit: audit_verify over the whole chain');
  // No statement timeout here: at 10M rows the walk takes minutes (it timed out at 120 s once).
  const verify = await withTransaction(db, L.practiceId, (tx) =>
    timed(() => verifyAuditChain(tx, L.practiceId)),
  );
  log(
    `audit: audit_verify ${verify.value.ok ? 'ok' : 'FAILED'} ${verify.value.rowsChecked} rows in ${round(verify.ms / 1000, 2)} s`,
  );
  if (!verify.value.ok) throw new Error(`bench chain does not verify: ${verify.value.problem}`);

  log('audit: insert cost, 1 writer');
  const insert1 = await insertCost(db, bdb, L.practiceId, L.staff, L.clients, 1, 1000);
  log(
    `audit: 1 writer ${insert1.perSecond}/s, ${insert1.wallMsPerRow} ms/row, p95 ${insert1.latency.p95} ms`,
  );
  const insert4 = await insertCost(db, bdb, L.practiceId, L.staff, L.clients, 4, 2000);
  log(
    `audit: 4 writers ${insert4.perSecond}/s, ${insert4.wallMsPerRow} ms/row, p95 ${insert4.latency.p95} ms`,
  );
  await db.close();

  return {
    rows: opts.rows,
    totalRowsAllPractices: L.totalRows,
    users: USERS,
    clients: CLIENTS,
    actions: ACTIONS.length,
    categories: new Set(ACTIONS.map((a) => a.category)).size,
    spanDays: SPAN_DAYS,
    load: {
      seconds: round(L.loadSeconds, 1),
      rowsPerSecond: Math.round(L.totalRows / L.loadSeconds),
      indexRebuildSeconds: round(L.indexSeconds, 1),
      vacuumAnalyzeSeconds: round(L.vacuumSeconds, 1),
    },
    sizesMB: Object.fromEntries(sizes.rows.map((s) => [s.name, round(Number(s.bytes) / 1048576, 1)])),
    cases: results,
    flagged: results
      .filter((r) => r.first.plan.flags.length || r.deep?.plan.flags.length)
      .map((r) => ({
        name: r.name,
        flags: [...r.first.plan.flags, ...(r.deep?.plan.flags ?? [])],
        plan: r.planText,
      })),
    verify: {
      ok: verify.value.ok,
      rows: verify.value.rowsChecked,
      seconds: round(verify.ms / 1000, 2),
      rowsPerSecond: Math.round(verify.value.rowsChecked / (verify.ms / 1000)),
    },
    insert: [insert1, insert4],
  };
}
