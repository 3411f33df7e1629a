/**
 * Access matrix over HTTP: every role × every client route × target, with the exact status,
 * proof that a refused request wrote nothing (the client's full stored state is unchanged)
 * and that it left exactly one audit row with outcome 'denied'. Allowed requests are audited
 * as 'success'; allowed writes change the record and allowed reads do not.
 *
 * Targets (each a client created through the API by its clinician):
 *   A = Casey Clinician's client (care team: clinician, primary)
 *   B = Oli Other's client (care team: otherClinician, primary)
 *   S = Sid Supervisee's client (care team: supervisee, primary; Sam Supervisor supervises Sid)
 *   X = a client of ANOTHER practice
 * "Own client" is A for clinician, B for otherClinician and S for supervisee.
 * The supervisor and supervisee have roles supervisor+clinician and clinician.
 *
 * Routes: get = GET /api/v1/clients/:id            patch = PATCH /api/v1/clients/:id
 *         bg = GET /api/v1/clients/:id/background  bgPatch = PATCH /api/v1/clients/:id/background
 *         status = POST /api/v1/clients/:id/status team = PUT /api/v1/clients/:id/care-team
 *         glass = POST /api/v1/clients/:id/break-glass
 *
 * adminsSeeAllClients OFF (the default)
 * role            target  get patch bg  bgPatch status team glass | list (GET /api/v1/clients)
 * owner           A,B,S   403 403   403 403     403    403  403   | 200, no clients
 * admin           A,B,S   403 403   403 403     403    403  403   | 200, no clients
 * clinician       A       200 200   200 200     200    200  403   | 200, A only
 * clinician       B,S     403 403   403 403     403    403  201   |
 * otherClinician  B       200 200   200 200     200    200  403   | 200, B only
 * otherClinician  A,S     403 403   403 403     403    403  201   |
 * supervisor      S       200 403   200 403     403    403  201   | 200, S only (supervisee's)
 * supervisor      A,B     403 403   403 403     403    403  201   |
 * supervisee      S       200 200   200 200     200    200  403   | 200, S only
 * supervisee      A,B     403 403   403 403     403    403  201   |
 * biller          A,B,S   200 403   403 403     403    403  403   | 200, A B S (all of the practice)
 * scheduler       A,B,S   200 200   403 403     403    403  403   | 200, A B S (all of the practice)
 * auditor         A,B,S   403 403   403 403     403    403  403   | 403
 * every role      X       404 404   404 404     404    404  404   | X never listed
 *
 * adminsSeeAllClients ON
 * owner, admin    A,B,S   200 200   200 403     200    200  403   | 200, A B S
 * owner, admin    X       404 404   404 404     404    404  404   | X never listed
 *
 * Each list is also compared, id for id over every page, with the rule computed from the
 * database (care team, supervisees' care teams, whole practice, or nothing).
 *
 * Practice management (users, settings, audit report, break-glass review):
 * route                                    owner admin clinician otherCl supervisor supervisee biller scheduler auditor
 * POST  /api/v1/users                      201   201   403       403     403        403        403    403       403
 * PATCH /api/v1/users/:id                  200   200   403       403     403        403        403    403       403
 * POST  /api/v1/users/:id/password-link    200   200   403       403     403        403        403    403       403
 * PATCH /api/v1/practice/settings          200   200   403       403     403        403        403    403       403
 * GET   /api/v1/break-glass                200   200   403       403     403        403        403    403       403
 * GET   /api/v1/audit/events               200   403   403       403     403        403        403    403       200
 * plus: an admin cannot issue a password link for, deactivate, or promote to, an owner (403).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { LightMyRequestResponse } from 'fastify';
import {
  login,
  NEW_CLIENT,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type StaffKey,
  type TestApp,
} from '../support/testApp.js';
import { isProblem, loginStaff, STAFF_KEYS } from '../support/staffAgents.js';
import { auditRowsOf, clientFingerprint, openTableOwner } from '../support/tableOwner.js';

type Route = 'get' | 'patch' | 'bg' | 'bgPatch' | 'status' | 'team' | 'glass';
type Target = 'A' | 'B' | 'S' | 'X';
const ROUTES: Route[] = ['get', 'patch', 'bg', 'bgPatch', 'status', 'team', 'glass'];
const WRITES = new Set<Route>(['patch', 'bgPatch', 'status', 'team', 'glass']);

const NONE = '403 403 403 403 403 403 403';
const FOREIGN = '404 404 404 404 404 404 404';
const OWN = '200 200 200 200 200 200 403';
const OUTSIDE = '403 403 403 403 403 403 201';

/** The table in the header comment, as data: role → target → statuses in ROUTES order. */
const MATRIX_OFF: Record<StaffKey, Record<Target, string>> = {
  owner: { A: NONE, B: NONE, S: NONE, X: FOREIGN },
  admin: { A: NONE, B: NONE, S: NONE, X: FOREIGN },
  clinician: { A: OWN, B: OUTSIDE, S: OUTSIDE, X: FOREIGN },
  otherClinician: { A: OUTSIDE, B: OWN, S: OUTSIDE, X: FOREIGN },
  supervisor: { A: OUTSIDE, B: OUTSIDE, S: '200 403 200 403 403 403 201', X: FOREIGN },
  supervisee: { A: OUTSIDE, B: OUTSIDE, S: OWN, X: FOREIGN },
  biller: {
    A: '200 403 403 403 403 403 403',
    B: '200 403 403 403 403 403 403',
    S: '200 403 403 403 403 403 403',
    X: FOREIGN,
  },
  scheduler: {
    A: '200 200 403 403 403 403 403',
    B: '200 200 403 403 403 403 403',
    S: '200 200 403 403 403 403 403',
    X: FOREIGN,
  },
  auditor: { A: NONE, B: NONE, S: NONE, X: FOREIGN },
};
const MANAGER_ON = '200 200 200 403 200 200 403';
const MATRIX_ON: Partial<Record<StaffKey, Record<Target, string>>> = {
  owner: { A: MANAGER_ON, B: MANAGER_ON, S: MANAGER_ON, X: FOREIGN },
  admin: { A: MANAGER_ON, B: MANAGER_ON, S: MANAGER_ON, X: FOREIGN },
};

/** List: status, and which of the targets appear. */
const LIST_OFF: Record<StaffKey, { status: number; sees: Target[] }> = {
  owner: { status: 200, sees: [] },
  admin: { status: 200, sees: [] },
  clinician: { status: 200, sees: ['A'] },
  otherClinician: { status: 200, sees: ['B'] },
  supervisor: { status: 200, sees: ['S'] },
  supervisee: { status: 200, sees: ['S'] },
  biller: { status: 200, sees: ['A', 'B', 'S'] },
  scheduler: { status: 200, sees: ['A', 'B', 'S'] },
  auditor: { status: 403, sees: [] },
};

const POLICY_ACTION: Record<Route, { action: string; category: string }> = {
  get: { action: 'client.readDemographics', category: 'demographics' },
  patch: { action: 'client.updateDemographics', category: 'demographics' },
  bg: { action: 'client.readBackground', category: 'background' },
  bgPatch: { action: 'client.updateBackground', category: 'background' },
  status: { action: 'client.changeStatus', category: 'demographics' },
  team: { action: 'client.manageCareTeam', category: 'care_team' },
  glass: { action: 'client.breakGlass', category: 'break_glass' },
};
const SUCCESS_ACTIONS: Record<Route, string[]> = {
  get: ['client.view'],
  patch: ['client.update'],
  bg: ['background.view'],
  bgPatch: ['background.update'],
  status: ['client.deactivate'],
  team: ['care_team.add'],
  glass: ['break_glass.open'],
};

let t: TestApp;
let db: pg.Client;
let home: SeededPractice;
let away: SeededPractice;
let agents: Record<StaffKey, Agent>;
let awayClinician: Agent;
const shared = {} as Record<Target, string>;

const TARGET_OWNER: Record<Exclude<Target, 'X'>, StaffKey> = {
  A: 'clinician',
  B: 'otherClinician',
  S: 'supervisee',
};

async function createTarget(target: Target): Promise<string> {
  const agent = target === 'X' ? awayClinician : agents[TARGET_OWNER[target]];
  const res = await agent.post('/api/v1/clients', { ...NEW_CLIENT, legalLastName: `Target${target}` });
  if (res.statusCode !== 201)
    throw new Error(`could not create target ${target}: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

function send(
  agent: Agent,
  route: Route,
  target: Target,
  clientId: string,
  stored: string,
): Promise<LightMyRequestResponse> {
  const s = JSON.parse(stored) as {
    client: { version: number; primary_clinician_id: string };
    background: { version: number };
  };
  const v = { 'if-match': `"${s.client.version}"` };
  const base = `/api/v1/clients/${clientId}`;
  const extraMember = (target === 'X' ? away : home).users.supervisor.id;
  switch (route) {
    case 'get':
      return agent.get(base);
    case 'patch':
      return agent.patch(base, { pronouns: 'xe/xem', preferredName: 'Changed' }, v);
    case 'bg':
      return agent.get(`${base}/background`);
    case 'bgPatch':
      return agent.patch(
        `${base}/background`,
        { allergies: 'Penicillin' },
        { 'if-match': `"${s.background.version}"` },
      );
    case 'status':
      return agent.post(`${base}/status`, { status: 'inactive', reason: 'Moved away' }, v);
    case 'team':
      return agent.put(
        `${base}/care-team`,
        { primaryClinicianId: s.client.primary_clinician_id, memberIds: [extraMember] },
        v,
      );
    case 'glass':
      return agent.post(`${base}/break-glass`, {
        reason: 'Client in crisis and the primary clinician is unreachable',
      });
  }
}

async function checkCase(role: StaffKey, target: Target, route: Route, expected: number): Promise<void> {
  // Allowed writes change the record, so each gets a fresh target; everything else shares one.
  const clientId = expected < 300 && WRITES.has(route) ? await createTarget(target) : shared[target];
  const before = await clientFingerprint(db, clientId);
  const res = await send(agents[role], route, target, clientId, before);
  expect(res.statusCode, res.body).toBe(expected);
  const after = await clientFingerprint(db, clientId);
  const rows = await auditRowsOf(db, res.headers['x-request-id']);
  const actor = { practice_id: home.practiceId, actor_user_id: home.users[role].id };
  if (expected >= 400) {
    expect(isProblem(res)).toBe(true);
    expect(after).toBe(before);
    expect(rows).toEqual([
      expect.objectContaining({
        ...actor,
        ...POLICY_ACTION[route],
        outcome: 'denied',
        client_id: target === 'X' ? null : clientId,
        entity_id: clientId,
      }),
    ]);
  } else {
    expect(rows.map((r) => r.action)).toEqual(SUCCESS_ACTIONS[route]);
    for (const r of rows) expect(r).toMatchObject({ ...actor, outcome: 'success', client_id: clientId });
    if (WRITES.has(route)) expect(after).not.toBe(before);
    else expect(after).toBe(before);
  }
}

/** Every id the list shows this agent, over all pages. */
async function listAll(
  agent: Agent,
): Promise<{ status: number; ids: string[]; res: LightMyRequestResponse }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let first: LightMyRequestResponse | undefined;
  for (let page = 0; page < 50; page++) {
    const res = await agent.get(
      `/api/v1/clients?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    first ??= res;
    if (res.statusCode !== 200) return { status: res.statusCode, ids, res };
    const body = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
    ids.push(...body.items.map((i) => i.id));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  if (!first) throw new Error('no list response');
  return { status: 200, ids, res: first };
}

/** What the rule says this role's list holds, computed from the database. */
async function expectedList(role: StaffKey, adminsSeeAll: boolean): Promise<string[]> {
  const all = async () =>
    (
      await db.query<{ id: string }>('SELECT id FROM clients WHERE practice_id = $1', [home.practiceId])
    ).rows.map((r) => r.id);
  const teamOf = async (userIds: string[]) =>
    (
      await db.query<{ id: string }>(
        'SELECT DISTINCT client_id AS id FROM care_team_members WHERE practice_id = $1 AND user_id = ANY($2::uuid[])',
        [home.practiceId, userIds],
      )
    ).rows.map((r) => r.id);
  const u = home.users;
  switch (role) {
    case 'owner':
    case 'admin':
      return adminsSeeAll ? all() : [];
    case 'biller':
    case 'scheduler':
      return all();
    case 'auditor':
      return [];
    case 'supervisor':
      return teamOf([u.supervisor.id, u.supervisee.id]);
    case 'clinician':
    case 'otherClinician':
    case 'supervisee':
      return teamOf([u[role].id]);
  }
}

async function checkList(
  role: StaffKey,
  expected: { status: number; sees: Target[] },
  adminsSeeAll: boolean,
) {
  const { status, ids, res } = await listAll(agents[role]);
  expect(status).toBe(expected.status);
  const rows = await auditRowsOf(db, res.headers['x-request-id']);
  if (status !== 200) {
    expect(isProblem(res)).toBe(true);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'client.list',
        outcome: 'denied',
        actor_user_id: home.users[role].id,
      }),
    ]);
    return;
  }
  expect(rows).toEqual([
    expect.objectContaining({ action: 'client.list', outcome: 'success', practice_id: home.practiceId }),
  ]);
  for (const target of ['A', 'B', 'S', 'X'] as const) {
    expect(ids.includes(shared[target]), `${role} list shows ${target}`).toBe(expected.sees.includes(target));
  }
  expect([...ids].sort()).toEqual((await expectedList(role, adminsSeeAll)).sort());
  expect(new Set(ids).size).toBe(ids.length);
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  [home, away] = await Promise.all([seedPractice(t.deps), seedPractice(t.deps)]);
  agents = await loginStaff(t.app, home);
  awayClinician = await login(t.app, away.users.clinician.email);
  for (const target of ['A', 'B', 'S', 'X'] as const) shared[target] = await createTarget(target);
});
afterAll(async () => {
  await db.end();
  await t.close();
});

function statusesOf(row: string): number[] {
  return row.split(' ').map(Number);
}

describe('client routes with adminsSeeAllClients off', () => {
  for (const role of STAFF_KEYS) {
    describe(role, () => {
      it(`list: ${LIST_OFF[role].status}, sees ${LIST_OFF[role].sees.join(' ') || 'none'}`, async () => {
        await checkList(role, LIST_OFF[role], false);
      });
      for (const target of ['A', 'B', 'S', 'X'] as const) {
        const expected = statusesOf(MATRIX_OFF[role][target]);
        ROUTES.forEach((route, i) => {
          const status = expected[i] ?? 0;
          it(`${route} on ${target} → ${status}`, async () => {
            await checkCase(role, target, route, status);
          });
        });
      }
    });
  }
});

describe('client routes with adminsSeeAllClients on', () => {
  beforeAll(async () => {
    const current = await agents.owner.get('/api/v1/practice/settings');
    const res = await agents.owner.patch(
      '/api/v1/practice/settings',
      { adminsSeeAllClients: true },
      { 'if-match': String(current.headers.etag) },
    );
    if (res.statusCode !== 200) throw new Error(`could not turn the setting on: ${res.body}`);
  });
  for (const role of ['owner', 'admin'] as const) {
    describe(role, () => {
      it('list: 200, sees A B S', async () => {
        await checkList(role, { status: 200, sees: ['A', 'B', 'S'] }, true);
      });
      for (const target of ['A', 'B', 'S', 'X'] as const) {
        const expected = statusesOf(MATRIX_ON[role]?.[target] ?? '');
        ROUTES.forEach((route, i) => {
          const status = expected[i] ?? 0;
          it(`${route} on ${target} → ${status}`, async () => {
            await checkCase(role, target, route, status);
          });
        });
      }
    });
  }
  it('the setting does not change what a clinician or the front office may do', async () => {
    await checkCase('clinician', 'B', 'get', 403);
    await checkCase('biller', 'A', 'bg', 403);
    await checkCase('scheduler', 'S', 'bgPatch', 403);
    await checkCase('auditor', 'A', 'get', 403);
  });
});

describe('references across practices', () => {
  it('a care team cannot take a user of another practice; nothing is written', async () => {
    const id = shared.A;
    const before = await clientFingerprint(db, id);
    const res = await agents.clinician.put(
      `/api/v1/clients/${id}/care-team`,
      { primaryClinicianId: home.users.clinician.id, memberIds: [away.users.clinician.id] },
      { 'if-match': '"1"' },
    );
    expect(res.statusCode).toBe(422);
    expect(res.json<{ errors: { path: string }[] }>().errors).toEqual([
      expect.objectContaining({ path: 'memberIds' }),
    ]);
    expect(await clientFingerprint(db, id)).toBe(before);
  });

  it('a new client cannot name another practice’s clinician as primary; no row is made', async () => {
    const count = async () =>
      (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM clients WHERE practice_id = $1', [
          home.practiceId,
        ])
      ).rows[0]?.n;
    const before = await count();
    const res = await agents.scheduler.post('/api/v1/clients', {
      ...NEW_CLIENT,
      primaryClinicianId: away.users.clinician.id,
    });
    expect(res.statusCode).toBe(422);
    expect(await count()).toBe(before);
  });
});

describe('practice management: users, settings, audit report, break-glass review', () => {
  const MANAGERS = new Set<StaffKey>(['owner', 'admin']);
  const AUDIT_READERS = new Set<StaffKey>(['owner', 'auditor']);

  async function version(sql: string, id: string): Promise<number> {
    const r = await db.query<{ version: number }>(sql, [id]);
    const v = r.rows[0]?.version;
    if (v === undefined) throw new Error('row not found');
    return v;
  }
  const userVersion = (id: string) => version('SELECT version FROM users WHERE id = $1', id);
  const practiceVersion = () => version('SELECT version FROM practices WHERE id = $1', home.practiceId);

  async function expectDenied(res: LightMyRequestResponse, role: StaffKey, category: string) {
    expect(res.statusCode).toBe(403);
    expect(isProblem(res)).toBe(true);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        category,
        actor_user_id: home.users[role].id,
        practice_id: home.practiceId,
      }),
    ]);
  }

  for (const role of STAFF_KEYS) {
    const manager = MANAGERS.has(role);
    it(`${role}: users and settings ${manager ? 'managed' : 'refused'}, audit report ${AUDIT_READERS.has(role) ? 'read' : 'refused'}`, async () => {
      const a = agents[role];
      const usersBefore = (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE practice_id = $1', [
          home.practiceId,
        ])
      ).rows[0]?.n;
      const created = await a.post('/api/v1/users', {
        email: `new-${role}-${home.practiceId.slice(-6)}@example.test`,
        fullName: 'New Person',
        roles: ['biller'],
      });
      const usersAfter = (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE practice_id = $1', [
          home.practiceId,
        ])
      ).rows[0]?.n;
      if (manager) {
        expect(created.statusCode).toBe(201);
        expect(usersAfter).toBe((usersBefore ?? 0) + 1);
      } else {
        await expectDenied(created, role, 'user');
        expect(usersAfter).toBe(usersBefore);
      }

      const target = home.users.biller.id;
      const v = await userVersion(target);
      const patched = await a.patch(
        `/api/v1/users/${target}`,
        { credentials: `Set by ${role}` },
        { 'if-match': `"${v}"` },
      );
      if (manager) {
        expect(patched.statusCode).toBe(200);
        expect(await userVersion(target)).toBe(v + 1);
      } else {
        await expectDenied(patched, role, 'user');
        expect(await userVersion(target)).toBe(v);
      }

      const tokensBefore = (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM password_tokens WHERE user_id = $1', [
          target,
        ])
      ).rows[0]?.n;
      const link = await a.post(`/api/v1/users/${target}/password-link`);
      const tokensAfter = (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM password_tokens WHERE user_id = $1', [
          target,
        ])
      ).rows[0]?.n;
      if (manager) {
        expect(link.statusCode).toBe(200);
        expect(tokensAfter).toBe((tokensBefore ?? 0) + 1);
      } else {
        await expectDenied(link, role, 'user');
        expect(tokensAfter).toBe(tokensBefore);
      }

      const pv = await practiceVersion();
      const settings = await a.patch(
        '/api/v1/practice/settings',
        { name: `Renamed by ${role}` },
        { 'if-match': `"${pv}"` },
      );
      if (manager) {
        expect(settings.statusCode).toBe(200);
        expect(await practiceVersion()).toBe(pv + 1);
      } else {
        await expectDenied(settings, role, 'settings');
        expect(await practiceVersion()).toBe(pv);
      }

      const review = await a.get('/api/v1/break-glass');
      if (manager) expect(review.statusCode).toBe(200);
      else await expectDenied(review, role, 'break_glass');

      const report = await a.get('/api/v1/audit/events?limit=5');
      if (AUDIT_READERS.has(role)) {
        expect(report.statusCode).toBe(200);
        expect(report.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);
      } else {
        await expectDenied(report, role, 'audit');
      }
    });
  }

  it('an admin cannot take over or make an owner', async () => {
    const owner = home.users.owner.id;
    const tokens = async () =>
      (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM password_tokens WHERE user_id = $1', [
          owner,
        ])
      ).rows[0]?.n;
    const before = await tokens();
    // A set-password link for the owner would let the admin choose the owner's password.
    await expectDenied(await agents.admin.post(`/api/v1/users/${owner}/password-link`), 'admin', 'user');
    expect(await tokens()).toBe(before);

    const v = await userVersion(owner);
    await expectDenied(
      await agents.admin.patch(`/api/v1/users/${owner}`, { active: false }, { 'if-match': `"${v}"` }),
      'admin',
      'user',
    );
    const adminId = home.users.admin.id;
    const av = await userVersion(adminId);
    await expectDenied(
      await agents.admin.patch(
        `/api/v1/users/${adminId}`,
        { roles: ['admin', 'owner'] },
        { 'if-match': `"${av}"` },
      ),
      'admin',
      'user',
    );
    await expectDenied(
      await agents.admin.post('/api/v1/users', {
        email: `owner2-${home.practiceId.slice(-6)}@example.test`,
        fullName: 'Second Owner',
        roles: ['owner'],
      }),
      'admin',
      'user',
    );
    expect(await userVersion(owner)).toBe(v);
    expect(await userVersion(adminId)).toBe(av);
    // The owner may issue one for another owner-level account (itself included).
    expect((await agents.owner.post(`/api/v1/users/${owner}/password-link`)).statusCode).toBe(200);
  });
});
