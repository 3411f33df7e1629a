import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { PASSWORD, type Agent } from './testApp.js';
import { newClient } from './clinical.js';
import type { PlanContentInput } from '../../src/domain/treatmentPlan.js';
import type { PlanVersionView } from '../../src/services/treatmentPlanService.js';

// Treatment plans through the API, for the plan test files.

export const GOAL_TEXT = 'Return to work full time without panic attacks';

export function planIds() {
  return { problem: randomUUID(), goal: randomUUID(), objective: randomUUID(), intervention: randomUUID() };
}

export function completeContent(
  k: ReturnType<typeof planIds>,
  clinicianId: string,
  diagnosisIds: string[] = [],
): PlanContentInput & { goals: NonNullable<PlanContentInput['goals']> } {
  return {
    problems: [{ id: k.problem, statement: 'Panic attacks keep the client from work', diagnosisIds }],
    goals: [
      {
        id: k.goal,
        problemIds: [k.problem],
        statement: GOAL_TEXT,
        measuredBy: 'Days at work per week',
        baseline: '0 days',
        target: '5 days a week',
        targetDate: '2026-06-30',
        status: 'active',
        measure: { instrument: 'phq9', below: 10 },
        objectives: [
          {
            id: k.objective,
            statement: 'Practise breathing daily',
            measure: 'Log',
            targetDate: '2026-04-30',
          },
        ],
        interventions: [
          {
            id: k.intervention,
            modality: 'cbt',
            description: 'Interoceptive exposure',
            frequency: 'Weekly',
            responsibleClinicianId: clinicianId,
          },
        ],
      },
    ],
    servicePlan: {
      sessionType: 'individual',
      minutes: 53,
      frequency: 'Weekly',
      expectedDuration: '16 weeks',
    },
    strengths: 'Supportive partner',
    barriers: 'Shift work',
    dischargeCriteria: 'Working full time for four weeks',
  };
}

export async function startDraft(agent: Agent, clientId: string): Promise<PlanVersionView> {
  const res = await agent.post(`/api/v1/clients/${clientId}/treatment-plan/draft`, {});
  expect(res.statusCode, res.body).toBe(201);
  return res.json<PlanVersionView>();
}

export async function saveDraft(agent: Agent, v: { id: string; version: number }, content: PlanContentInput) {
  return agent.put(`/api/v1/treatment-plan-versions/${v.id}`, { content }, { 'if-match': `"${v.version}"` });
}

export async function signPlan(agent: Agent, v: { id: string; version: number }) {
  return agent.post(
    `/api/v1/treatment-plan-versions/${v.id}/sign`,
    { password: PASSWORD },
    { 'if-match': `"${v.version}"` },
  );
}

/** A client on the clinician's caseload with one diagnosis and a signed v1. */
export async function clientWithSignedPlan(
  clinician: Agent,
  clinicianId: string,
): Promise<{
  clientId: string;
  v1: PlanVersionView;
  k: ReturnType<typeof planIds>;
}> {
  const clientId = (await newClient(clinician)).id;
  const dx = await clinician.post(`/api/v1/clients/${clientId}/diagnoses`, {
    code: 'F41.0',
    rank: 'primary',
  });
  expect(dx.statusCode, dx.body).toBe(201);
  const k = planIds();
  const draft = await startDraft(clinician, clientId);
  const saved = await saveDraft(
    clinician,
    draft,
    completeContent(k, clinicianId, [dx.json<{ id: string }>().id]),
  );
  expect(saved.statusCode, saved.body).toBe(200);
  const signed = await signPlan(clinician, saved.json<PlanVersionView>());
  expect(signed.statusCode, signed.body).toBe(200);
  return { clientId, v1: signed.json<PlanVersionView>(), k };
}
