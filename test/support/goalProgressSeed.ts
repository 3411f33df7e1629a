import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { PASSWORD, type Agent } from './testApp.js';

// A signed treatment plan made through the API, as the plan screens would: a draft, its
// content, then the clinician's signature after re-authentication. Used by the goal-progress tests.

export interface SeededGoal {
  id: string;
  statement: string;
}

export interface SeededPlan {
  versionId: string;
  goals: SeededGoal[];
}

export interface GoalSeed {
  statement: string;
  measure?: { instrument: 'phq9' | 'gad7' | 'pcl5'; below: number } | null;
  status?: string;
}

function goalContent(problemId: string, g: GoalSeed, id: string) {
  return {
    id,
    problemIds: [problemId],
    statement: g.statement,
    measuredBy: g.measure ? 'Questionnaire score' : 'Self-report log reviewed in session',
    baseline: 'Current level at intake',
    target: g.measure ? '' : 'Reached on 4 of 5 weeks',
    targetDate: '2027-06-30',
    status: g.status ?? 'active',
    measure: g.measure ?? null,
    objectives: [],
    interventions: [
      { id: randomUUID(), modality: 'cbt', description: 'Thought records and exposure', frequency: 'Weekly' },
    ],
  };
}

/** Starts (or continues) a draft of the client's plan with these goals and signs it. */
export async function signPlan(
  agent: Agent,
  clientId: string,
  goals: GoalSeed[],
  keepIds: string[] = [],
  password = PASSWORD,
): Promise<SeededPlan> {
  const started = await agent.post(`/api/v1/clients/${clientId}/treatment-plan/draft`, {});
  expect(started.statusCode, started.body).toBe(201);
  const draft = started.json<{ id: string; version: number }>();
  const problemId = randomUUID();
  const seeded = goals.map((g, i) => ({ id: keepIds[i] ?? randomUUID(), statement: g.statement }));
  const content = {
    problems: [
      { id: problemId, statement: 'Panic attacks and low mood limit work and sleep', diagnosisIds: [] },
    ],
    goals: goals.map((g, i) => goalContent(problemId, g, seeded[i]?.id ?? randomUUID())),
    servicePlan: {
      sessionType: 'individual',
      minutes: 50,
      frequency: 'Weekly',
      expectedDuration: '16 weeks',
    },
    strengths: 'Motivated, supportive partner',
    barriers: 'Shift work',
    dischargeCriteria: 'Goals met and kept for a month',
  };
  const saved = await agent.put(
    `/api/v1/treatment-plan-versions/${draft.id}`,
    { content },
    {
      'if-match': `"${draft.version}"`,
    },
  );
  expect(saved.statusCode, saved.body).toBe(200);
  const version = saved.json<{ version: number }>().version;
  const signed = await agent.post(
    `/api/v1/treatment-plan-versions/${draft.id}/sign`,
    { password },
    { 'if-match': `"${version}"` },
  );
  expect(signed.statusCode, signed.body).toBe(200);
  return { versionId: draft.id, goals: seeded };
}

/** PHQ-9 answers adding up to `total` (each item 0..3), with the difficulty question answered. */
export function phq9Answers(total: number): Record<string, number> {
  const answers: Record<string, number> = {};
  let left = total;
  for (let i = 1; i <= 9; i++) {
    // Item 9 stays at zero so no risk alert is raised.
    const v = i === 9 ? 0 : Math.min(3, left);
    answers[`q${i}`] = v;
    left -= v;
  }
  if (left !== 0) throw new Error(`PHQ-9 total ${total} needs item 9`);
  return { ...answers, difficulty: 1 };
}

/** Records a PHQ-9 given in session at the given time. */
export async function givePhq9(agent: Agent, clientId: string, total: number, at: Date): Promise<void> {
  const res = await agent.post(`/api/v1/clients/${clientId}/measures`, {
    instrument: 'phq9',
    answers: phq9Answers(total),
    administeredAt: at.toISOString(),
  });
  expect(res.statusCode, res.body).toBe(201);
}
