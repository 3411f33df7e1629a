/**
 * Treatment plan reviews: the review due date from the practice's interval, due-soon and
 * overdue reviews on the clinician's dashboard under an injected clock, and the new signed
 * version a plan-review note makes when it changes goal statuses.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  login,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { newClient } from '../support/clinical.js';
import {
  clientWithSignedPlan as signedPlanFor,
  completeContent as planContent,
  GOAL_TEXT,
  planIds,
  saveDraft as save,
  signPlan as sign,
  startDraft,
} from '../support/treatmentPlans.js';
import { withTransaction } from '../../src/db/database.js';
import type { Ctx } from '../../src/services/context.js';
import { activeGoals } from '../../src/services/treatmentPlanService.js';
import { reviseGoalStatuses } from '../../src/services/planSigning.js';
import type { PlanVersionView, TreatmentPlanView } from '../../src/services/treatmentPlanService.js';

let t: TestApp;
let p: SeededPractice;
let clinician: Agent;
let now = new Date('2026-01-15T16:00:00Z');

function ids() {
  return planIds();
}

function completeContent(k: ReturnType<typeof planIds>, diagnosisIds: string[] = []) {
  return planContent(k, p.users.clinician.id, diagnosisIds);
}

function clientWithSignedPlan() {
  return signedPlanFor(clinician, p.users.clinician.id);
}

beforeAll(async () => {
  t = await openTestApp(undefined, { clock: () => now });
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
});

afterAll(async () => {
  await t.close();
});

describe('review deadlines', () => {
  it('shows due and overdue reviews on the clinician’s dashboard, by the injected clock', async () => {
    const supervisee = await login(t.app, p.users.supervisee.email);
    now = new Date('2026-01-10T16:00:00Z');
    const clientId = (await newClient(supervisee)).id;
    const draft = await startDraft(supervisee, clientId);
    const saved = (await save(supervisee, draft, completeContent(ids()))).json<PlanVersionView>();
    const signed = (await sign(supervisee, saved)).json<PlanVersionView>();
    expect(signed.reviewDueDate).toBe('2026-04-10');
    type Dash = {
      counts: { planReviewsDueSoon: number; planReviewsOverdue: number };
      planReviews: { clientId: string; state: string; daysUntilDue: number; versionId: string }[];
    };
    const dash = async () => (await supervisee.get('/api/v1/documentation/dashboard')).json<Dash>();

    now = new Date('2026-03-26T16:00:00Z'); // 15 days before: not yet
    expect((await dash()).planReviews).toEqual([]);
    now = new Date('2026-03-27T16:00:00Z'); // 14 days before: due soon
    expect((await dash()).planReviews).toMatchObject([
      { clientId, state: 'due_soon', daysUntilDue: 14, versionId: signed.id },
    ]);
    now = new Date('2026-04-11T16:00:00Z'); // the day after: overdue
    const overdue = await dash();
    expect(overdue.planReviews).toMatchObject([{ clientId, state: 'overdue', daysUntilDue: -1 }]);
    expect(overdue.counts).toMatchObject({ planReviewsDueSoon: 0, planReviewsOverdue: 1 });
    // Not on another clinician's dashboard.
    const other = (
      await (await login(t.app, p.users.otherClinician.email)).get('/api/v1/documentation/dashboard')
    ).json<Dash>();
    expect(other.planReviews.map((r) => r.clientId)).not.toContain(clientId);
    const plan = (
      await supervisee.get(`/api/v1/clients/${clientId}/treatment-plan`)
    ).json<TreatmentPlanView>();
    expect(plan.review).toEqual({ dueDate: '2026-04-10', state: 'overdue', daysUntilDue: -1 });

    // Signing a new version restarts the interval from the day it is signed.
    const v2 = await startDraft(supervisee, clientId);
    const v2Signed = await sign(supervisee, v2);
    expect(v2Signed.json<PlanVersionView>().reviewDueDate).toBe('2026-07-10');
    expect((await dash()).planReviews).toEqual([]);
  });

  it('uses the practice’s review interval', async () => {
    const owner = await login(t.app, p.users.owner.email);
    const s = await owner.get('/api/v1/practice/settings');
    expect(s.json<{ planReviewDays: number }>().planReviewDays).toBe(90);
    const bad = await owner.patch(
      '/api/v1/practice/settings',
      { planReviewDays: 3 },
      { 'if-match': s.headers.etag as string },
    );
    expect(bad.statusCode).toBe(400);
    const ok = await owner.patch(
      '/api/v1/practice/settings',
      { planReviewDays: 30 },
      { 'if-match': s.headers.etag as string },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    now = new Date('2026-01-15T16:00:00Z');
    const { v1 } = await clientWithSignedPlan();
    expect(v1.reviewDueDate).toBe('2026-02-14');
    const back = await owner.patch(
      '/api/v1/practice/settings',
      { planReviewDays: 90 },
      { 'if-match': ok.headers.etag as string },
    );
    expect(back.statusCode).toBe(200);
  });
});

describe('goal statuses from a plan review', () => {
  it('makes a new signed version with the new statuses, restarts the review, and updates the open draft', async () => {
    now = new Date('2026-01-15T16:00:00Z');
    const { clientId, v1, k } = await clientWithSignedPlan();
    const draft = await startDraft(clinician, clientId);
    const ctx: Ctx = {
      ...t.deps,
      requestId: 'plan-review-test',
      ip: null,
      userAgent: null,
      secure: false,
      actor: { userId: p.users.clinician.id, practiceId: p.practiceId, roles: ['clinician'] },
      actorLabel: 'test',
    };
    const signer = {
      userId: p.users.clinician.id,
      name: 'Casey Clinician',
      credentials: 'LCSW',
      licenseNumber: null,
    };
    now = new Date('2026-03-01T16:00:00Z');
    const before = await withTransaction(t.deps.db, p.practiceId, (tx) => activeGoals(tx, ctx, clientId));
    expect(before).toEqual([
      {
        id: k.goal,
        statement: GOAL_TEXT,
        status: 'active',
        measure: { instrument: 'phq9', below: 10 },
        targetDate: '2026-06-30',
        problems: ['Panic attacks keep the client from work'],
      },
    ]);
    const unknown = withTransaction(t.deps.db, p.practiceId, (tx) =>
      reviseGoalStatuses(tx, ctx, clientId, [{ goalId: randomUUID(), status: 'achieved' }], signer),
    );
    await expect(unknown).rejects.toThrow(/not in the current plan/);
    const revised = await withTransaction(t.deps.db, p.practiceId, (tx) =>
      reviseGoalStatuses(tx, ctx, clientId, [{ goalId: k.goal, status: 'achieved' }], signer),
    );
    expect(revised).toMatchObject({
      versionNo: 3,
      status: 'signed',
      basedOnVersionId: v1.id,
      reviewDueDate: '2026-05-30',
    });
    expect(revised?.content.goals[0]?.status).toBe('achieved');
    const plan = (
      await clinician.get(`/api/v1/clients/${clientId}/treatment-plan`)
    ).json<TreatmentPlanView>();
    expect(plan.current?.id).toBe(revised?.id);
    expect(plan.draft?.id).toBe(draft.id);
    expect(plan.draft?.content.goals[0]?.status).toBe('achieved');
    expect(await withTransaction(t.deps.db, p.practiceId, (tx) => activeGoals(tx, ctx, clientId))).toEqual(
      [],
    );
    const changes = await clinician.get(`/api/v1/treatment-plan-versions/${revised?.id ?? ''}/changes`);
    expect(changes.json<{ changes: unknown[] }>().changes).toEqual([
      { path: 'goals.0.status', label: `Goal 1 “${GOAL_TEXT}”: status`, before: 'Active', after: 'Achieved' },
    ]);
  });
});
