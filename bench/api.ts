import pg from 'pg';
import { withTransaction, type Queryable } from '../src/db/database.js';
import { listClients, type ListFilter } from '../src/db/clientsRepo.js';
import { insertUser } from '../src/db/usersRepo.js';
import { hashPassword } from '../src/security/passwords.js';
import { newId } from '../src/security/ids.js';
import { buildApp } from '../src/http/app.js';
import type { BenchDatabase } from './lib/benchDatabase.js';
import { summarizePlan } from './lib/explain.js';
import { installSeedFunctions, insertClients, insertStaff, LAST_NAMES } from './lib/seed.js';
import { log, round } from './lib/stats.js';
import { call, login, measure, type Agent } from './lib/httpAgent.js';
import { benchDeps, benchPractice } from './lib/benchApp.js';

/**
 * The HTTP app end to end (Fastify inject: no socket, so process CPU is the server's work):
 * real login, open a record (which writes its audit row), create a client, search the list.
 */

const PASSWORD = 'bench horse battery staple 42';
const CLIENTS = 10_000;
const CLINICIANS = 24;

export interface ApiBenchOptions {
  reps: number;
}

function newClientBody(i: number) {
  return {
    legalFirstName: 'Jordan',
    legalLastName: `Rivera${i}`,
    preferredName: 'Jo',
    pronouns: 'they/them',
    dateOfBirth: '1991-04-12',
    phones: [{ kind: 'mobile', number: '(555) 010-2233', mayLeaveMessage: true }],
    email: 'jordan.rivera@example.test',
    contacts: [
      {
        name: 'Pat Rivera',
        relationship: 'Parent',
        phone: '555-010-9999',
        isEmergency: true,
        mayContact: true,
      },
    ],
  };
}

export async function runApiBench(bdb: BenchDatabase, opts: ApiBenchOptions) {
  const deps = benchDeps(bdb, 10);
  const db = deps.db;
  const { practiceId, label } = await benchPractice(deps, 'API Bench', PASSWORD);
  const hash = await hashPassword(PASSWORD);
  const su = new pg.Client({ connectionString: bdb.url });
  await su.connect();
  await installSeedFunctions(su);
  const staff = await insertStaff(su, practiceId, CLINICIANS, `api${label}`, hash);
  const clinicianIds = (
    await su.query<{ id: string; email: string }>(
      "SELECT id, email FROM users WHERE practice_id = $1 AND 'clinician' = ANY(roles) ORDER BY email",
      [practiceId],
    )
  ).rows;
  const t0 = Date.now();
  const clientIds = await insertClients(
    su,
    practiceId,
    CLIENTS,
    clinicianIds.map((c) => c.id),
    50_000,
  );
  await su.query('ANALYZE');
  await su.end();
  log(
    `api: practice with ${staff.length} staff and ${clientIds.length} clients seeded in ${Date.now() - t0} ms`,
  );
  const schedulerEmail = `scheduler-${label}@bench.test`;
  await withTransaction(db, practiceId, (tx) =>
    insertUser(tx, {
      id: newId(),
      practiceId,
      email: schedulerEmail,
      fullName: 'Sky Scheduler',
      roles: ['scheduler'],
      credentials: null,
      licenseNumber: null,
      supervisorId: null,
      passwordHash: hash,
    }),
  );
  // Each clinician's own clients (primary = care team), for record opens that are allowed.
  const caseload = new Map<string, string[]>();
  {
    const r = await withTransaction(db, practiceId, (tx) =>
      tx.query<{ id: string; primary_clinician_id: string }>('SELECT id, primary_clinician_id FROM clients'),
    );
    for (const row of r.rows)
      caseload.set(row.primary_clinician_id, [...(caseload.get(row.primary_clinician_id) ?? []), row.id]);
  }

  const app = await buildApp(deps, { webDist: null, logLevel: 'warn', authRateLimit: 1_000_000 });
  await app.ready();
  const reps = opts.reps;
  const result: Record<string, unknown> = { clients: CLIENTS, clinicians: clinicianIds.length };

  // ---- login (argon2id dominated)
  log('api: login');
  const loginEmails = clinicianIds.map((c) => c.email);
  await login(app, loginEmails[0] ?? schedulerEmail, PASSWORD);
  const login1 = await measure(
    bdb,
    reps,
    1,
    async (_w, i) => void (await login(app, loginEmails[i % loginEmails.length] ?? schedulerEmail, PASSWORD)),
  );
  const login8 = await measure(
    bdb,
    reps * 2,
    8,
    async (w, i) =>
      void (await login(app, loginEmails[(w + i) % loginEmails.length] ?? schedulerEmail, PASSWORD)),
  );
  result.login = [login1, login8];
  log(
    `api: login 1: p50 ${login1.latency.p50} p95 ${login1.latency.p95} ms; 8: p95 ${login8.latency.p95} ms, ${login8.perSecond}/s`,
  );

  // Sessions: one per clinician (8 concurrent workers use 8 different clinicians) and a scheduler.
  const agents = await Promise.all(clinicianIds.slice(0, 8).map((c) => login(app, c.email, PASSWORD)));
  const ownClients = clinicianIds.slice(0, 8).map((c) => caseload.get(c.id) ?? []);
  const scheduler = await login(app, schedulerEmail, PASSWORD);
  const agent = (w: number): Agent => agents[w % agents.length] ?? scheduler;
  const clientOf = (w: number, i: number): string => {
    const own = ownClients[w % ownClients.length] ?? [];
    return own[(i * 7919) % own.length] ?? '';
  };

  // ---- open a client record (one audited view = one chained audit row)
  log('api: open record');
  for (let i = 0; i < 20; i++) await call(app, agent(0), 'GET', `/api/v1/clients/${clientOf(0, i)}`);
  const memory = {
    rssMB: round(process.memoryUsage().rss / 2 ** 20, 1),
    heapUsedMB: round(process.memoryUsage().heapUsed / 2 ** 20, 1),
  };
  const open1 = await measure(
    bdb,
    reps * 10,
    1,
    async (_w, i) => void (await call(app, agent(0), 'GET', `/api/v1/clients/${clientOf(0, i)}`)),
  );
  const open8 = await measure(
    bdb,
    reps * 20,
    8,
    async (w, i) => void (await call(app, agent(w), 'GET', `/api/v1/clients/${clientOf(w, i)}`)),
  );
  result.openRecord = [open1, open8];
  log(
    `api: open record 1: p50 ${open1.latency.p50} p95 ${open1.latency.p95} ms, ${open1.serverCpuMsPerRequest} ms node CPU + ${open1.dbCpuMsPerRequest} ms db CPU; 8: p95 ${open8.latency.p95} ms, ${open8.perSecond}/s`,
  );

  // ---- create a client (client, key, background, contact, care team, 2 audit rows)
  log('api: create client');
  const create1 = await measure(
    bdb,
    reps * 5,
    1,
    async (_w, i) => void (await call(app, agent(0), 'POST', '/api/v1/clients', newClientBody(i), 201)),
  );
  const create8 = await measure(
    bdb,
    reps * 10,
    8,
    async (w, i) => void (await call(app, agent(w), 'POST', '/api/v1/clients', newClientBody(1000 + i), 201)),
  );
  result.createClient = [create1, create8];
  log(
    `api: create 1: p50 ${create1.latency.p50} p95 ${create1.latency.p95} ms; 8: p95 ${create8.latency.p95} ms, ${create8.perSecond}/s`,
  );

  // ---- client list: search by name prefix (scheduler sees all 10,000; a clinician sees a caseload)
  log('api: client list search');
  const prefixes = LAST_NAMES.flatMap((n) => [n.slice(0, 2), n.slice(0, 3)]);
  const q = (i: number) => ({ search: prefixes[(i * 37) % prefixes.length] ?? 'sm', limit: 25 });
  const searchAll1 = await measure(
    bdb,
    reps * 10,
    1,
    async (_w, i) => void (await call(app, scheduler, 'POST', '/api/v1/clients/search', q(i))),
  );
  const searchAll8 = await measure(
    bdb,
    reps * 20,
    8,
    async (_w, i) => void (await call(app, scheduler, 'POST', '/api/v1/clients/search', q(i))),
  );
  const searchOwn1 = await measure(
    bdb,
    reps * 10,
    1,
    async (_w, i) => void (await call(app, agent(0), 'POST', '/api/v1/clients/search', q(i))),
  );
  const listAll1 = await measure(
    bdb,
    reps * 5,
    1,
    async () => void (await call(app, scheduler, 'GET', '/api/v1/clients?limit=25')),
  );
  result.clientList = {
    searchAllClients: [searchAll1, searchAll8],
    searchOwnCaseload: [searchOwn1],
    firstPageNoSearch: [listAll1],
  };
  log(
    `api: search (all 10k) 1: p95 ${searchAll1.latency.p95} ms; 8: p95 ${searchAll8.latency.p95} ms; own caseload p95 ${searchOwn1.latency.p95} ms; unfiltered page p95 ${listAll1.latency.p95} ms`,
  );

  // ---- plans of the list query, captured from the repository and EXPLAINed as the app role
  const plans: Record<string, unknown> = {};
  const listCases: [string, ListFilter][] = [
    [
      'search "sm", all clients',
      { practiceId, search: 'sm', careTeamOf: null, sort: 'name', direction: 'asc', limit: 26 },
    ],
    [
      'search "garc", all clients',
      { practiceId, search: 'garc', careTeamOf: null, sort: 'name', direction: 'asc', limit: 26 },
    ],
    [
      'search "sm", clinician caseload',
      {
        practiceId,
        search: 'sm',
        careTeamOf: [clinicianIds[0]?.id ?? ''],
        sort: 'name',
        direction: 'asc',
        limit: 26,
      },
    ],
    [
      'no search, all clients, sort name',
      { practiceId, careTeamOf: null, sort: 'name', direction: 'asc', limit: 26 },
    ],
    [
      'no search, all clients, sort created desc',
      { practiceId, careTeamOf: null, sort: 'created', direction: 'desc', limit: 26 },
    ],
  ];
  for (const [name, f] of listCases) {
    let captured: { sql: string; params: unknown[] } | undefined;
    const fake = {
      query: async (sql: string, params: unknown[]) => {
        captured = { sql, params };
        return { rows: [] };
      },
    } as unknown as Queryable;
    await listClients(fake, f);
    if (!captured) continue;
    const { sql, params } = captured;
    const json = await withTransaction(
      db,
      practiceId,
      async (tx) =>
        (await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params))
          .rows[0]?.['QUERY PLAN'],
    );
    plans[name] = summarizePlan(json);
  }
  result.clientListPlans = plans;

  result.memoryAfterWarmup = memory;
  await app.close();
  await db.close();
  return result;
}
