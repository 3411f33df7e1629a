import type { PlanContent } from '../../../../src/domain/treatmentPlan.js';
import type { PlanFinding } from '../../../../src/domain/planCheck.js';

/*
 * The check's findings name a place in the content ("goals.1.targetDate", or a whole part such as
 * "servicePlan" or "goals.0.interventions"). The editor needs the one control to focus and to mark:
 * these functions turn a finding's path into the field name the editor gave that control.
 */

/** Field names of the buttons that add an item: the control for "this list is empty". */
export const ADD_PROBLEM = 'add-problem';
export const ADD_GOAL = 'add-goal';
export const addInterventionName = (goalIndex: number) => `goals.${goalIndex}.add-intervention`;

const SERVICE_FIELDS = ['sessionType', 'minutes', 'frequency', 'expectedDuration'] as const;

/** The field name (as the editor names its controls) a finding's path points at. */
export function fieldForFinding(path: string, content: PlanContent): string {
  if (path === 'problems') return ADD_PROBLEM;
  if (path === 'goals') return content.problems.length === 0 ? ADD_PROBLEM : ADD_GOAL;
  if (/^problems\.\d+$/.test(path)) return content.goals.length > 0 ? ADD_GOAL : `${path}.statement`;
  if (path === 'servicePlan') {
    const sp = content.servicePlan;
    const empty = SERVICE_FIELDS.find((f) => {
      const v = sp[f];
      return v === null || (typeof v === 'string' && v.trim() === '');
    });
    return `servicePlan.${empty ?? 'sessionType'}`;
  }
  const interventions = /^goals\.(\d+)\.interventions$/.exec(path);
  if (interventions) return addInterventionName(Number(interventions[1]));
  const intervention = /^goals\.(\d+)\.interventions\.(\d+)$/.exec(path);
  if (intervention) {
    const v = content.goals[Number(intervention[1])]?.interventions[Number(intervention[2])];
    return `${path}.${v && v.description.trim() !== '' ? 'frequency' : 'description'}`;
  }
  return path;
}

/** Findings as field errors beside the controls (the first finding wins where two point at one control). */
export function findingErrors(
  findings: readonly PlanFinding[],
  content: PlanContent,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of findings) {
    const name = fieldForFinding(f.path, content);
    out[name] ??= f.message;
  }
  return out;
}

/** Server field errors ("content.goals.0.statement") as editor field names ("goals.0.statement"). */
export function contentErrors(errors: readonly { path: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const name = e.path.replace(/^content\./, '');
    out[name] ??= e.message;
  }
  return out;
}

/** A one-line heading for the check panel. */
export function findingsSummary(count: number): string {
  if (count === 0)
    return 'The plan is ready to sign: every goal is measurable, time-bound and tied to a problem.';
  return count === 1
    ? '1 thing to fix before the plan can be signed'
    : `${count} things to fix before the plan can be signed`;
}
