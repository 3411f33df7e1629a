import type { PlanContent, PlanGoal } from './treatmentPlan.js';

export const PLAN_FINDING_KINDS = [
  'empty_plan',
  'no_goals',
  'missing_statement',
  'not_measurable',
  'not_time_bound',
  'not_tied_to_problem',
  'no_intervention',
  'objective_not_measurable',
  'objective_not_time_bound',
  'problem_without_goal',
  'service_plan_incomplete',
  'no_discharge_criteria',
] as const;
export type PlanFindingKind = (typeof PLAN_FINDING_KINDS)[number];

/** Something that keeps a plan from being signed, said in plain words. Paths are relative to the content. */
export interface PlanFinding {
  kind: PlanFindingKind;
  path: string;
  message: string;
  goalId?: string;
}

/** Goals finished or dropped are history: they need no intervention, nor a future date. */
const CLOSED = new Set(['achieved', 'partly_achieved', 'not_achieved', 'discontinued']);

function goalName(g: PlanGoal, i: number): string {
  const s = g.statement.trim();
  return s ? `Goal ${i + 1} (“${s.length > 60 ? `${s.slice(0, 57)}…` : s}”)` : `Goal ${i + 1}`;
}

/**
 * What a plan lacks before it can be signed: every goal measurable (a measure or a target), time-bound
 * (a target date) and tied to a problem; every objective with a measure and a date; a service plan.
 */
export function checkPlan(c: PlanContent): PlanFinding[] {
  const out: PlanFinding[] = [];
  if (c.problems.length === 0 && c.goals.length === 0) {
    out.push({
      kind: 'empty_plan',
      path: 'problems',
      message: 'The plan is empty: add at least one problem and a goal for it.',
    });
  } else if (c.goals.length === 0) {
    out.push({ kind: 'no_goals', path: 'goals', message: 'Add at least one goal for the problems listed.' });
  }
  c.problems.forEach((p, i) => {
    if (!p.statement.trim())
      out.push({
        kind: 'missing_statement',
        path: `problems.${i}.statement`,
        message: `Problem ${i + 1} has no statement: describe the problem in the client's terms.`,
      });
    if (c.goals.length > 0 && !c.goals.some((g) => g.problemIds.includes(p.id)))
      out.push({
        kind: 'problem_without_goal',
        path: `problems.${i}`,
        message: `Problem ${i + 1} has no goal: add a goal for it, or remove the problem.`,
      });
  });
  const problemIds = new Set(c.problems.map((p) => p.id));
  c.goals.forEach((g, i) => out.push(...goalFindings(g, i, problemIds)));
  const sp = c.servicePlan;
  if (!sp.sessionType || !sp.minutes || !sp.frequency.trim() || !sp.expectedDuration.trim())
    out.push({
      kind: 'service_plan_incomplete',
      path: 'servicePlan',
      message:
        'The service plan is incomplete: give the session type, length in minutes, how often, and for how long.',
    });
  if (!c.dischargeCriteria.trim())
    out.push({
      kind: 'no_discharge_criteria',
      path: 'dischargeCriteria',
      message: 'Say when treatment will be complete (discharge criteria).',
    });
  return out;
}

function goalFindings(g: PlanGoal, i: number, problemIds: Set<string>): PlanFinding[] {
  const out: PlanFinding[] = [];
  const name = goalName(g, i);
  const at = (kind: PlanFinding['kind'], path: string, message: string) =>
    out.push({ kind, path: `goals.${i}${path}`, message, goalId: g.id });
  if (!g.statement.trim())
    at('missing_statement', '.statement', `${name} has no statement: say what the client will achieve.`);
  if (!g.measure && !g.target.trim())
    at(
      'not_measurable',
      '.target',
      `${name} is not measurable: give a target (what success looks like) or measure it with a questionnaire score.`,
    );
  if (!g.targetDate)
    at('not_time_bound', '.targetDate', `${name} is not time-bound: give the date it should be reached by.`);
  if (!g.problemIds.some((id) => problemIds.has(id)))
    at(
      'not_tied_to_problem',
      '.problemIds',
      `${name} is not tied to a problem: choose the problem it addresses.`,
    );
  if (!CLOSED.has(g.status) && g.interventions.length === 0)
    at(
      'no_intervention',
      '.interventions',
      `${name} has no intervention: say how treatment will work towards it.`,
    );
  g.objectives.forEach((o, j) => {
    const oname = `Objective ${i + 1}.${j + 1}`;
    if (!o.statement.trim())
      at(
        'missing_statement',
        `.objectives.${j}.statement`,
        `${oname} has no statement: say what the client will do.`,
      );
    if (!o.measure.trim())
      at(
        'objective_not_measurable',
        `.objectives.${j}.measure`,
        `${oname} is not measurable: say how it will be measured.`,
      );
    if (!o.targetDate)
      at(
        'objective_not_time_bound',
        `.objectives.${j}.targetDate`,
        `${oname} is not time-bound: give the date it should be reached by.`,
      );
  });
  g.interventions.forEach((v, j) => {
    if (!v.description.trim() || !v.frequency.trim())
      at(
        'missing_statement',
        `.interventions.${j}`,
        `Intervention ${i + 1}.${j + 1} needs a description and how often it happens.`,
      );
  });
  return out;
}
