import { describe, expect, it } from 'vitest';
import { emptyPlanContent, type PlanContent } from '../../../../src/domain/treatmentPlan.js';
import { checkPlan } from '../../../../src/domain/planCheck.js';
import {
  ADD_GOAL,
  ADD_PROBLEM,
  addInterventionName,
  contentErrors,
  fieldForFinding,
  findingErrors,
  findingsSummary,
} from './planFindings.js';
import { newGoal, newIntervention, newProblem } from './planDraft.js';

let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

function planWithOneGoal(): PlanContent {
  const c = emptyPlanContent();
  const p = newProblem(id);
  return { ...c, problems: [p], goals: [newGoal([p.id], id)] };
}

describe('fieldForFinding', () => {
  it('points a field path at that field', () => {
    expect(fieldForFinding('goals.1.targetDate', planWithOneGoal())).toBe('goals.1.targetDate');
  });
  it('points an empty plan at "add a problem", and no goals at "add a goal"', () => {
    const empty = emptyPlanContent();
    expect(fieldForFinding('problems', empty)).toBe(ADD_PROBLEM);
    expect(fieldForFinding('goals', empty)).toBe(ADD_PROBLEM);
    expect(fieldForFinding('goals', { ...empty, problems: [newProblem(id)] })).toBe(ADD_GOAL);
  });
  it('points a goal without interventions at its add button', () => {
    expect(fieldForFinding('goals.0.interventions', planWithOneGoal())).toBe(addInterventionName(0));
  });
  it('points an incomplete intervention at the first empty part', () => {
    const c = planWithOneGoal();
    const g = c.goals[0];
    if (!g) throw new Error('no goal');
    const v = newIntervention(null, id);
    const withOne = { ...c, goals: [{ ...g, interventions: [v] }] };
    expect(fieldForFinding('goals.0.interventions.0', withOne)).toBe('goals.0.interventions.0.description');
    const described = { ...c, goals: [{ ...g, interventions: [{ ...v, description: 'Exposure' }] }] };
    expect(fieldForFinding('goals.0.interventions.0', described)).toBe('goals.0.interventions.0.frequency');
  });
  it('points the service plan at its first empty field', () => {
    const c = planWithOneGoal();
    expect(fieldForFinding('servicePlan', c)).toBe('servicePlan.sessionType');
    const typed: PlanContent = {
      ...c,
      servicePlan: { ...c.servicePlan, sessionType: 'individual', minutes: 53 },
    };
    expect(fieldForFinding('servicePlan', typed)).toBe('servicePlan.frequency');
  });
});

describe('findingErrors', () => {
  it('puts each finding of the real check beside a control, one message per control', () => {
    const c = planWithOneGoal();
    const findings = checkPlan(c);
    const errors = findingErrors(findings, c);
    expect(errors['goals.0.targetDate']).toMatch(/not time-bound/);
    expect(errors['goals.0.target']).toMatch(/not measurable/);
    expect(errors[addInterventionName(0)]).toMatch(/no intervention/);
    expect(errors['dischargeCriteria']).toMatch(/discharge/);
    expect(Object.keys(errors).length).toBeLessThanOrEqual(findings.length);
  });
});

describe('contentErrors', () => {
  it('drops the content prefix of server paths and keeps the first message', () => {
    expect(
      contentErrors([
        { path: 'content.goals.0.statement', message: 'Too long' },
        { path: 'content.goals.0.statement', message: 'Second' },
        { path: 'content', message: 'Whole' },
      ]),
    ).toEqual({ 'goals.0.statement': 'Too long', content: 'Whole' });
  });
});

describe('findingsSummary', () => {
  it('counts in words', () => {
    expect(findingsSummary(0)).toMatch(/ready to sign/);
    expect(findingsSummary(1)).toBe('1 thing to fix before the plan can be signed');
    expect(findingsSummary(3)).toBe('3 things to fix before the plan can be signed');
  });
});
