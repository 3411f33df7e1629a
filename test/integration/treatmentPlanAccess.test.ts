/**
 * Who may change a treatment plan, as the plan view tells the screen (`canEdit`): decided by the
 * same policy as the writes (client.writeNotes), so a reader who may only read — a supervisor
 * reading a supervisee's client, an owner when the practice lets owners see all clients, a
 * clinician under emergency (break-glass) access — is never offered a write that would be refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  login,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, countRows, openTableOwner } from '../support/tableOwner.js';
import { clientWithSignedPlan, startDraft } from '../support/treatmentPlans.js';
import type { TreatmentPlanView } from '../../src/services/treatmentPlanService.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let supervisee: Agent;
let clientId = '';
let v1Id = '';

const TABLES = ['treatment_plans', 'treatment_plan_versions', 'plan_acknowledgements'] as const;

beforeAll(async () => {
  t = await openTestApp(undefined, { clock: () => new Date('2026-01-15T16:00:00Z') });
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  supervisee = await login(t.app, p.users.supervisee.email);
  const made = await clientWithSignedPlan(supervisee, p.users.supervisee.id);
  clientId = made.clientId;
  v1Id = made.v1.id;
  // Owners and admins see every client in this practice (read, never write notes).
  const owner = await login(t.app, p.users.owner.email);
  const current = await owner.get('/api/v1/practice/settings');
  const res = await owner.patch(
    '/api/v1/practice/settings',
    { adminsSeeAllClients: true },
    { 'if-match': String(current.headers.etag) },
  );
  expect(res.statusCode, res.body).toBe(200);
});

afterAll(async () => {
  await db.end();
  await t.close();
});

async function planAs(agent: Agent): Promise<TreatmentPlanView> {
  const res = await agent.get(`/api/v1/clients/${clientId}/treatment-plan`);
  expect(res.statusCode, res.body).toBe(200);
  expect(await auditRowsOf(db, res.headers['x-request-id'])).toMatchObject([
    { action: 'treatment_plan.view', outcome: 'success', client_id: clientId },
  ]);
  return res.json<TreatmentPlanView>();
}

describe('canEdit on the plan view', () => {
  it('is true for the clinician on the care team, who can start a draft', async () => {
    expect((await planAs(supervisee)).canEdit).toBe(true);
  });

  it('is false for read-only readers, whose writes are refused, audited, and write nothing', async () => {
    const glass = await login(t.app, p.users.otherClinician.email);
    const granted = await glass.post(`/api/v1/clients/${clientId}/break-glass`, {
      reason: 'Client in crisis and the primary clinician is unreachable',
    });
    expect(granted.statusCode, granted.body).toBe(201);
    const readers = {
      supervisor: await login(t.app, p.users.supervisor.email),
      owner: await login(t.app, p.users.owner.email),
      breakGlass: glass,
    };
    const before = await countRows(db, p.practiceId, TABLES);
    for (const [who, agent] of Object.entries(readers)) {
      const plan = await planAs(agent);
      expect(plan.canEdit, who).toBe(false);
      expect(plan.current?.id, who).toBe(v1Id);
      const write = await agent.post(`/api/v1/clients/${clientId}/treatment-plan/draft`, {});
      expect(write.statusCode, `${who} ${write.body}`).toBe(403);
      expect(await auditRowsOf(db, write.headers['x-request-id'])).toMatchObject([
        { action: 'treatment_plan.draft_start', outcome: 'denied', category: 'treatment_plan' },
      ]);
      const ack = await agent.post(`/api/v1/treatment-plan-versions/${v1Id}/acknowledgements`, {
        typedName: 'Jordan Client',
        acknowledgedOn: '2026-01-15',
        method: 'in_person',
      });
      expect(ack.statusCode, `${who} ${ack.body}`).toBe(403);
    }
    expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
  });

  it('stays true for the care team while a draft is open, and false for the supervisor', async () => {
    const draft = await startDraft(supervisee, clientId);
    const mine = await planAs(supervisee);
    expect(mine).toMatchObject({ canEdit: true, draft: { id: draft.id }, current: { id: v1Id } });
    const supervisor = await login(t.app, p.users.supervisor.email);
    const theirs = await planAs(supervisor);
    expect(theirs).toMatchObject({ canEdit: false, current: { id: v1Id } });
  });
});
