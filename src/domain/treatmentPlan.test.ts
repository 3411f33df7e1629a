import { describe, expect, it } from 'vitest';
import {
  emptyPlanContent,
  hashPlanVersion,
  planContentSchema,
  structuralProblems,
  type PlanContent,
} from './treatmentPlan.js';
import { checkPlan } from './planCheck.js';
import { diffPlans } from './planDiff.js';
import { daysUntil, measureGoalProgress, reviewDueDate, reviewState } from './planReview.js';

const P1 = '00000000-0000-4000-8000-000000000001';
const G1 = '00000000-0000-4000-8000-000000000002';
const O1 = '00000000-0000-4000-8000-000000000003';
const I1 = '00000000-0000-4000-8000-000000000004';
const G2 = '00000000-0000-4000-8000-000000000005';
const D1 = '00000000-0000-4000-8000-000000000006';

/** A plan that passes every check. */
function completePlan(): PlanContent {
  return planContentSchema.parse({
    problems: [{ id: P1, statement: 'Panic attacks keep the client from work', diagnosisIds: [D1] }],
    goals: [
      {
        id: G1,
        problemIds: [P1],
        statement: 'Return to work full time',
        measuredBy: 'Days at work per week',
        baseline: '0 days',
        target: '5 days a week',
        targetDate: '2026-06-30',
        status: 'active',
        objectives: [
          {
            id: O1,
            statement: 'Practise breathing daily',
            measure: 'Log, 6 of 7 days',
            targetDate: '2026-04-30',
          },
        ],
        interventions: [
          { id: I1, modality: 'cbt', description: 'Interoceptive exposure', frequency: 'Weekly' },
        ],
      },
    ],
    servicePlan: {
      sessionType: 'individual',
      minutes: 53,
      frequency: 'Weekly',
      expectedDuration: '16 weeks',
    },
    strengths: 'Motivated',
    barriers: 'Shift work',
    dischargeCriteria: 'Working full time for 4 weeks with no panic attacks',
  });
}

function kinds(c: PlanContent): string[] {
  return checkPlan(c).map((f) => f.kind);
}

describe('plan content schema', () => {
  it('fills defaults and refuses unknown fields and impossible targets', () => {
    expect(emptyPlanContent().goals).toEqual([]);
    expect(planContentSchema.safeParse({ extra: 1 }).success).toBe(false);
    expect(planContentSchema.safeParse({ goals: [{ id: G1, colour: 'red' }] }).success).toBe(false);
    const over = { goals: [{ id: G1, measure: { instrument: 'phq9', below: 29 } }] };
    expect(planContentSchema.safeParse(over).success).toBe(false);
    const ok = { goals: [{ id: G1, measure: { instrument: 'pcl5', below: 33 } }] };
    expect(planContentSchema.safeParse(ok).success).toBe(true);
  });

  it('reports duplicate ids and goals pointing at problems not in the plan', () => {
    const c = completePlan();
    expect(structuralProblems(c)).toEqual([]);
    const bad = planContentSchema.parse({
      ...c,
      goals: [{ ...c.goals[0], id: P1, problemIds: [G2] }],
    });
    expect(structuralProblems(bad).map((p) => p.path)).toEqual([
      'content.goals.0.id',
      'content.goals.0.problemIds.0',
    ]);
  });
});

describe('checkPlan', () => {
  it('finds nothing in a complete plan', () => {
    expect(checkPlan(completePlan())).toEqual([]);
  });

  it('explains an empty plan', () => {
    expect(kinds(emptyPlanContent())).toEqual([
      'empty_plan',
      'service_plan_incomplete',
      'no_discharge_criteria',
    ]);
  });

  it('explains a goal that is not measurable, not time-bound and not tied to a problem', () => {
    const c = completePlan();
    const goal = { ...c.goals[0], target: '  ', measure: null, targetDate: null, problemIds: [] };
    const findings = checkPlan({ ...c, goals: [goal] });
    expect(findings.map((f) => f.kind)).toEqual([
      'problem_without_goal',
      'not_measurable',
      'not_time_bound',
      'not_tied_to_problem',
    ]);
    expect(findings.find((f) => f.kind === 'not_measurable')).toMatchObject({
      goalId: G1,
      path: 'goals.0.target',
    });
    expect(findings.find((f) => f.kind === 'not_time_bound')?.message).toContain(
      'Goal 1 (“Return to work full time”)',
    );
  });

  it('accepts a questionnaire score in place of a written target', () => {
    const c = completePlan();
    const goal = { ...c.goals[0], target: '', measure: { instrument: 'phq9' as const, below: 10 } };
    expect(checkPlan({ ...c, goals: [goal] })).toEqual([]);
  });

  it('checks objectives, interventions, statements and the service plan', () => {
    const c = completePlan();
    const g = c.goals[0];
    const goal = {
      ...g,
      statement: '',
      objectives: [{ ...g.objectives[0], statement: '', measure: '', targetDate: null }],
      interventions: [{ ...g.interventions[0], frequency: '' }],
    };
    expect(kinds({ ...c, goals: [goal], servicePlan: { ...c.servicePlan, minutes: null } })).toEqual([
      'missing_statement',
      'missing_statement',
      'objective_not_measurable',
      'objective_not_time_bound',
      'missing_statement',
      'service_plan_incomplete',
    ]);
  });

  it('asks for an intervention only while a goal is open, and for a goal for every problem', () => {
    const c = completePlan();
    const open = { ...c.goals[0], interventions: [] };
    expect(kinds({ ...c, goals: [open] })).toEqual(['no_intervention']);
    expect(kinds({ ...c, goals: [{ ...open, status: 'achieved' }] })).toEqual([]);
    expect(kinds({ ...c, goals: [] })).toEqual(['no_goals']);
  });
});

describe('diffPlans', () => {
  it('finds nothing between equal plans', () => {
    expect(diffPlans(completePlan(), completePlan())).toEqual([]);
  });

  it('describes changed fields, added and removed items in words', () => {
    const before = completePlan();
    const g = before.goals[0];
    const after: PlanContent = {
      ...before,
      goals: [
        {
          ...g,
          targetDate: '2026-08-31',
          status: 'partly_achieved',
          measure: { instrument: 'gad7', below: 5 },
          objectives: [],
          interventions: [{ ...g.interventions[0], responsibleClinicianId: G2 }],
        },
        { ...g, id: G2, statement: 'Sleep 7 hours', objectives: [], interventions: [] },
      ],
      dischargeCriteria: '',
    };
    const changes = diffPlans(before, after, { clinicians: { [G2]: 'Dr Lee' } });
    expect(changes).toEqual([
      {
        path: 'goals.0.targetDate',
        label: 'Goal 1 “Return to work full time”: target date',
        before: '2026-06-30',
        after: '2026-08-31',
      },
      {
        path: 'goals.0.status',
        label: 'Goal 1 “Return to work full time”: status',
        before: 'Active',
        after: 'Partly achieved',
      },
      {
        path: 'goals.0.measure',
        label: 'Goal 1 “Return to work full time”: measured by score',
        before: null,
        after: 'GAD-7 below 5',
      },
      {
        path: 'goals.0.objectives.0',
        label: 'Goal 1 “Return to work full time”, objective 1 removed',
        before: 'Practise breathing daily',
        after: null,
      },
      {
        path: 'goals.0.interventions.0.responsibleClinicianId',
        label: 'Goal 1 “Return to work full time”, intervention 1: responsible clinician',
        before: null,
        after: 'Dr Lee',
      },
      { path: 'goals.1', label: 'Goal 2 “Sleep 7 hours” added', before: null, after: 'Sleep 7 hours' },
      {
        path: 'dischargeCriteria',
        label: 'Discharge criteria',
        before: 'Working full time for 4 weeks with no panic attacks',
        after: null,
      },
    ]);
  });

  it('names diagnoses and problems, and reports removed problems', () => {
    const before = completePlan();
    const after = { ...before, problems: [{ ...before.problems[0], diagnosisIds: [] }] };
    expect(diffPlans(before, after, { diagnoses: { [D1]: 'F41.0 Panic disorder' } })).toEqual([
      {
        path: 'problems.0.diagnosisIds',
        label: 'Problem 1 “Panic attacks keep the client from work”: diagnoses',
        before: 'F41.0 Panic disorder',
        after: null,
      },
    ]);
    expect(diffPlans(before, { ...before, problems: [] })[0]).toMatchObject({
      label: 'Problem 1 “Panic attacks keep the client from work” removed',
      after: null,
    });
  });
});

describe('review dates', () => {
  it('adds the interval in calendar days across months, years and leap days', () => {
    expect(reviewDueDate('2026-01-15', 90)).toBe('2026-04-15');
    expect(reviewDueDate('2027-12-01', 90)).toBe('2028-02-29');
    expect(reviewDueDate('2026-03-08', 1)).toBe('2026-03-09');
    expect(() => reviewDueDate('2026-01-15', 0)).toThrow(RangeError);
    expect(() => reviewDueDate('15/01/2026', 90)).toThrow(RangeError);
  });

  it('is current until 14 days before, due soon through the due date, overdue the day after', () => {
    expect(reviewState('2026-04-15', '2026-03-31')).toBe('current');
    expect(reviewState('2026-04-15', '2026-04-01')).toBe('due_soon');
    expect(reviewState('2026-04-15', '2026-04-15')).toBe('due_soon');
    expect(reviewState('2026-04-15', '2026-04-16')).toBe('overdue');
    expect(daysUntil('2026-04-15', '2026-04-20')).toBe(-5);
  });
});

describe('measureGoalProgress', () => {
  const goal = { measure: { instrument: 'phq9' as const, below: 10 } };

  it('is null for a goal without a measure, and empty without scores', () => {
    expect(measureGoalProgress({ measure: null }, [{ date: '2026-01-01', total: 5 }])).toBeNull();
    expect(measureGoalProgress(goal, [])).toEqual({
      baseline: null,
      latest: null,
      latestDate: null,
      target: 10,
      met: false,
      fractionToTarget: null,
    });
  });

  it('measures from the first score towards the target, in date order', () => {
    const p = measureGoalProgress(goal, [
      { date: '2026-02-01', total: 14 },
      { date: '2026-01-01', total: 19 },
    ]);
    expect(p).toEqual({
      baseline: 19,
      latest: 14,
      latestDate: '2026-02-01',
      target: 10,
      met: false,
      fractionToTarget: 0.5,
    });
  });

  it('is met only below the target, and never goes outside 0..1', () => {
    expect(
      measureGoalProgress(goal, [
        { date: '2026-01-01', total: 19 },
        { date: '2026-03-01', total: 10 },
      ]),
    ).toMatchObject({
      met: false,
      fractionToTarget: 0.9,
    });
    expect(
      measureGoalProgress(goal, [
        { date: '2026-01-01', total: 19 },
        { date: '2026-03-01', total: 9 },
      ]),
    ).toMatchObject({
      met: true,
      fractionToTarget: 1,
    });
    expect(
      measureGoalProgress(goal, [
        { date: '2026-01-01', total: 15 },
        { date: '2026-03-01', total: 22 },
      ]),
    ).toMatchObject({
      met: false,
      fractionToTarget: 0,
    });
    expect(
      measureGoalProgress(goal, [
        { date: '2026-01-01', total: 4 },
        { date: '2026-03-01', total: 12 },
      ]),
    ).toMatchObject({
      met: false,
      fractionToTarget: 0,
    });
  });
});

describe('hashPlanVersion', () => {
  const signed = {
    versionId: G1,
    planId: P1,
    clientId: O1,
    versionNo: 1,
    basedOn: null,
    content: completePlan(),
    signedAt: '2026-01-15T10:00:00.000Z',
    signer: { name: 'Dr Lee', credentials: 'PhD', licenseNumber: 'PSY 1' },
  };

  it('is a stable SHA-256 that changes with any word of the content', () => {
    const h = hashPlanVersion(signed);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashPlanVersion({ ...signed })).toBe(h);
    const edited = { ...signed.content, strengths: 'Motivated.' };
    expect(hashPlanVersion({ ...signed, content: edited })).not.toBe(h);
    expect(hashPlanVersion({ ...signed, versionNo: 2 })).not.toBe(h);
  });
});
