/**
 * Every audited action writes exactly the expected rows, in the same request: action, data
 * category, outcome, client, actor, address and the request id the response carried, and
 * details that never hold narrative (names, background text, reasons, search terms).
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
import { loginAttempt } from '../support/staffAgents.js';
import { auditRowsOf, openTableOwner, type AuditRowView } from '../support/tableOwner.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
const agents = {} as Record<StaffKey, Agent>;
let clientId = '';
let grantId = '';

// Distinctive strings that must never reach the audit trail.
const FIRST = 'Xanthippe';
const LAST = 'Quillfeather';
const NARRATIVE = 'Nightmares about the 2019 flood; takes sertraline 50mg';
const REASON = 'Client phoned in crisis, primary clinician on leave';
const PHONE = '555-013-7788';
const SECRETS = [FIRST, LAST, NARRATIVE, 'sertraline', REASON, PHONE, '1987-06-05', 'quillf'];

type Expected = Partial<
  Pick<
    AuditRowView,
    'action' | 'category' | 'outcome' | 'client_id' | 'entity_type' | 'entity_id' | 'details'
  >
>;

interface Step {
  name: string;
  actor: StaffKey | null;
  run: () => Promise<LightMyRequestResponse>;
  status: number;
  rows: () => Expected[];
}

const STEPS: Step[] = [
  {
    name: 'create a client',
    actor: 'clinician',
    run: () =>
      agents.clinician.post('/api/v1/clients', {
        ...NEW_CLIENT,
        legalFirstName: FIRST,
        legalLastName: LAST,
        dateOfBirth: '1987-06-05',
        phones: [{ kind: 'home', number: PHONE, mayLeaveMessage: false }],
      }),
    status: 201,
    rows: () => [
      {
        action: 'client.create',
        category: 'demographics',
        outcome: 'success',
        client_id: clientId,
        entity_type: 'client',
        entity_id: clientId,
        details: {},
      },
      {
        action: 'care_team.add',
        category: 'care_team',
        client_id: clientId,
        entity_type: 'user',
        entity_id: p.users.clinician.id,
        details: { primary: true },
      },
    ],
  },
  {
    name: 'view the client',
    actor: 'clinician',
    run: () => agents.clinician.get(`/api/v1/clients/${clientId}`),
    status: 200,
    rows: () => [
      {
        action: 'client.view',
        category: 'demographics',
        client_id: clientId,
        details: { grounds: 'care_team' },
      },
    ],
  },
  {
    name: 'search the list by name',
    actor: 'clinician',
    run: () => agents.clinician.post('/api/v1/clients/search', { search: `${FIRST.toLowerCase()} quillf` }),
    status: 200,
    rows: () => [
      {
        action: 'client.list',
        category: 'demographics',
        client_id: null,
        details: { results: 1, searched: true },
      },
    ],
  },
  {
    name: 'edit demographics',
    actor: 'clinician',
    run: () =>
      agents.clinician.patch(
        `/api/v1/clients/${clientId}`,
        { pronouns: 'she/her', preferredName: 'Xan' },
        { 'if-match': '"1"' },
      ),
    status: 200,
    rows: () => [
      {
        action: 'client.update',
        category: 'demographics',
        client_id: clientId,
        details: { fields: 'preferredName,pronouns' },
      },
    ],
  },
  {
    name: 'write the background',
    actor: 'clinician',
    run: () =>
      agents.clinician.patch(
        `/api/v1/clients/${clientId}/background`,
        { medications: NARRATIVE, presenting_concerns: NARRATIVE },
        { 'if-match': '"1"' },
      ),
    status: 200,
    rows: () => [
      {
        action: 'background.update',
        category: 'background',
        client_id: clientId,
        entity_type: 'client_background',
        details: { fields: 'presenting_concerns,medications' },
      },
    ],
  },
  {
    name: 'read the background',
    actor: 'clinician',
    run: () => agents.clinician.get(`/api/v1/clients/${clientId}/background`),
    status: 200,
    rows: () => [
      {
        action: 'background.view',
        category: 'background',
        client_id: clientId,
        details: { grounds: 'care_team' },
      },
    ],
  },
  {
    name: 'a biller is refused the background',
    actor: 'biller',
    run: () => agents.biller.get(`/api/v1/clients/${clientId}/background`),
    status: 403,
    rows: () => [
      {
        action: 'client.readBackground',
        category: 'background',
        outcome: 'denied',
        client_id: clientId,
        details: {},
      },
    ],
  },
  {
    name: 'change the care team',
    actor: 'clinician',
    run: () =>
      agents.clinician.put(
        `/api/v1/clients/${clientId}/care-team`,
        { primaryClinicianId: p.users.clinician.id, memberIds: [p.users.supervisee.id] },
        { 'if-match': '"2"' },
      ),
    status: 200,
    rows: () => [
      {
        action: 'care_team.add',
        category: 'care_team',
        client_id: clientId,
        entity_id: p.users.supervisee.id,
      },
    ],
  },
  {
    name: 'discharge',
    actor: 'clinician',
    run: () =>
      agents.clinician.post(
        `/api/v1/clients/${clientId}/status`,
        { status: 'discharged', reason: REASON },
        { 'if-match': '"3"' },
      ),
    status: 200,
    rows: () => [
      {
        action: 'client.discharge',
        category: 'demographics',
        client_id: clientId,
        details: { from: 'active', to: 'discharged' },
      },
    ],
  },
  {
    name: 'reactivate',
    actor: 'clinician',
    run: () =>
      agents.clinician.post(
        `/api/v1/clients/${clientId}/status`,
        { status: 'active' },
        { 'if-match': '"4"' },
      ),
    status: 200,
    rows: () => [{ action: 'client.reactivate', details: { from: 'discharged', to: 'active' } }],
  },
  {
    name: 'break the glass',
    actor: 'otherClinician',
    run: () => agents.otherClinician.post(`/api/v1/clients/${clientId}/break-glass`, { reason: REASON }),
    status: 201,
    rows: () => [
      {
        action: 'break_glass.open',
        category: 'break_glass',
        client_id: clientId,
        details: { minutes: 60, reasonLength: REASON.length },
      },
    ],
  },
  {
    name: 'view through break-glass',
    actor: 'otherClinician',
    run: () => agents.otherClinician.get(`/api/v1/clients/${clientId}/background`),
    status: 200,
    rows: () => [{ action: 'background.view', client_id: clientId, details: { grounds: 'break_glass' } }],
  },
  {
    name: 'review the break-glass',
    actor: 'owner',
    run: () => agents.owner.post(`/api/v1/break-glass/${grantId}/review`),
    status: 200,
    rows: () => [
      {
        action: 'break_glass.review',
        category: 'break_glass',
        client_id: clientId,
        entity_type: 'break_glass',
        entity_id: grantId,
      },
    ],
  },
  {
    name: 'change a setting',
    actor: 'owner',
    run: () =>
      agents.owner.patch(
        '/api/v1/practice/settings',
        { privacyMode: true, breakGlassMinutes: 30 },
        { 'if-match': '"1"' },
      ),
    status: 200,
    rows: () => [
      {
        action: 'settings.update',
        category: 'settings',
        details: { setting: 'privacyMode', from: false, to: true },
      },
      {
        action: 'settings.update',
        category: 'settings',
        details: { setting: 'breakGlassMinutes', from: 60, to: 30 },
      },
    ],
  },
  {
    name: 'add a user',
    actor: 'admin',
    run: () =>
      agents.admin.post('/api/v1/users', {
        email: `hire-${p.practiceId.slice(-6)}@example.test`,
        fullName: 'Hana Hire',
        roles: ['scheduler'],
      }),
    status: 201,
    rows: () => [
      { action: 'user.create', category: 'user', entity_type: 'user', details: { roles: 'scheduler' } },
    ],
  },
  {
    name: 'change a role',
    actor: 'admin',
    run: () =>
      agents.admin.patch(
        `/api/v1/users/${p.users.biller.id}`,
        { roles: ['biller', 'scheduler'] },
        { 'if-match': '"1"' },
      ),
    status: 200,
    rows: () => [
      {
        action: 'user.role_change',
        category: 'user',
        entity_id: p.users.biller.id,
        details: { from: 'biller', to: 'biller,scheduler' },
      },
    ],
  },
  {
    name: 'create an API token',
    actor: 'clinician',
    run: () => agents.clinician.post('/api/v1/me/tokens', { name: 'export script', scope: 'read' }),
    status: 201,
    rows: () => [{ action: 'api_token.create', category: 'api_token', details: { scope: 'read' } }],
  },
  {
    name: 'read the audit report',
    actor: 'auditor',
    run: () => agents.auditor.get('/api/v1/audit/events?category=background'),
    status: 200,
    rows: () => [{ action: 'audit.report', category: 'audit', details: { sort: 'time', filtered: true } }],
  },
  {
    name: 'a failed sign-in',
    actor: 'scheduler',
    run: () => loginAttempt(t.app, p.users.scheduler.email, 'wrong password entirely', '10.4.0.1'),
    status: 401,
    rows: () => [
      {
        action: 'login',
        category: 'authentication',
        outcome: 'failure',
        details: { reason: 'bad_password' },
      },
    ],
  },
  {
    name: 'sign out',
    actor: 'supervisor',
    run: () => agents.supervisor.post('/api/v1/auth/logout'),
    status: 200,
    rows: () => [{ action: 'logout', category: 'authentication', details: { sessionsEnded: 1 } }],
  },
];

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  for (const k of [
    'owner',
    'admin',
    'clinician',
    'otherClinician',
    'supervisor',
    'biller',
    'auditor',
  ] as const)
    agents[k] = await login(t.app, p.users[k].email);
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('each action writes exactly its audit rows', () => {
  for (const step of STEPS) {
    it(step.name, async () => {
      const res = await step.run();
      expect(res.statusCode, res.body).toBe(step.status);
      if (step.name === 'create a client') clientId = res.json<{ id: string }>().id;
      if (step.name === 'break the glass') {
        const g = await db.query<{ id: string }>('SELECT id FROM break_glass_grants WHERE client_id = $1', [
          clientId,
        ]);
        grantId = g.rows[0]?.id ?? '';
      }
      const requestId = res.headers['x-request-id'];
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const rows = await auditRowsOf(db, requestId);
      expect(rows.map((r) => ({ ...r }))).toEqual(
        step.rows().map((e): unknown => expect.objectContaining(e)),
      );
      for (const r of rows) {
        expect(r).toMatchObject({
          practice_id: p.practiceId,
          request_id: requestId,
          ip: expect.any(String) as unknown,
          user_agent: 'lightMyRequest',
        });
        if (step.actor) expect(r.actor_user_id).toBe(p.users[step.actor].id);
        expect(r.outcome).toBe(step.rows()[0]?.outcome ?? 'success');
      }
    });
  }
});

describe('the trail as a whole', () => {
  it('never holds a name, narrative, reason, phone, date of birth or search term, in any column', async () => {
    const dump = await db.query<{ t: string }>(
      'SELECT to_jsonb(e)::text AS t FROM audit_events e WHERE practice_id = $1',
      [p.practiceId],
    );
    expect(dump.rows.length).toBeGreaterThan(STEPS.length);
    const all = dump.rows
      .map((r) => r.t)
      .join('\n')
      .toLowerCase();
    for (const s of SECRETS) expect(all).not.toContain(s.toLowerCase());
  });

  it('still verifies, row for row', async () => {
    const n = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_events WHERE practice_id = $1',
      [p.practiceId],
    );
    const res = await agents.auditor.get('/api/v1/audit/verify');
    expect(res.json()).toEqual({
      ok: true,
      rowsChecked: n.rows[0]?.n,
      firstBadSeq: null,
      firstBadId: null,
      problem: null,
    });
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'audit.verify', category: 'audit', outcome: 'success' }),
    ]);
  });
});
