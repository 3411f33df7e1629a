import type {
  PlanContent,
  PlanGoal,
  PlanIntervention,
  PlanObjective,
  PlanProblem,
} from '../../../../src/domain/treatmentPlan.js';

/*
 * Editing a plan's content. Every item carries its own id (kept from version to version), so the
 * ids double as React keys and focus survives a reorder. Operations are pure: each returns a new
 * content object and leaves the old one as it was.
 */

export type NewId = () => string;
const uuid: NewId = () => crypto.randomUUID();

export function newProblem(newId: NewId = uuid): PlanProblem {
  return { id: newId(), statement: '', diagnosisIds: [] };
}

export function newGoal(problemIds: string[], newId: NewId = uuid): PlanGoal {
  return {
    id: newId(),
    problemIds,
    statement: '',
    measuredBy: '',
    baseline: '',
    target: '',
    targetDate: null,
    status: 'proposed',
    measure: null,
    objectives: [],
    interventions: [],
  };
}

export function newObjective(newId: NewId = uuid): PlanObjective {
  return { id: newId(), statement: '', measure: '', targetDate: null, status: 'proposed' };
}

export function newIntervention(clinicianId: string | null, newId: NewId = uuid): PlanIntervention {
  return {
    id: newId(),
    modality: 'cbt',
    description: '',
    frequency: '',
    responsibleClinicianId: clinicianId,
  };
}

/** The list with the item at `index` moved by one place; unchanged at either end. */
export function moveItem<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  const next = [...list];
  if (to < 0 || to >= list.length || index < 0 || index >= list.length) return next;
  const [item] = next.splice(index, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

export function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** Removes a problem and every goal's link to it (a goal never points at a problem that is gone). */
export function removeProblem(c: PlanContent, index: number): PlanContent {
  const gone = c.problems[index]?.id;
  return {
    ...c,
    problems: removeAt(c.problems, index),
    goals: c.goals.map((g) =>
      g.problemIds.includes(gone ?? '') ? { ...g, problemIds: g.problemIds.filter((p) => p !== gone) } : g,
    ),
  };
}

/** Adds or takes away one problem from a goal's links, keeping the plan's problem order. */
export function toggleGoalProblem(c: PlanContent, goal: PlanGoal, problemId: string, on: boolean): PlanGoal {
  const wanted = new Set(goal.problemIds);
  if (on) wanted.add(problemId);
  else wanted.delete(problemId);
  return { ...goal, problemIds: c.problems.map((p) => p.id).filter((id) => wanted.has(id)) };
}

/** True when two contents say the same thing (the unsaved-changes test). */
export function sameContent(a: PlanContent, b: PlanContent): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A number typed in a field, or null while empty or not a whole number. */
export function wholeNumberOrNull(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

/** "Goal 2", "Goal 2, objective 1", for headings and finding messages. */
export function goalLabel(index: number): string {
  return `Goal ${index + 1}`;
}

export interface TextLine {
  fieldId: string;
  label: string;
  text: string;
}

/**
 * The free text typed here that differs from the saved version, labelled for the conflict notice's
 * "Copy my text": nothing is merged, so this is what the user may want to keep.
 */
export function unsavedTexts(local: PlanContent, saved: PlanContent): TextLine[] {
  const out: TextLine[] = [];
  const push = (fieldId: string, label: string, mine: string, theirs: string | undefined) => {
    if (mine.trim() !== '' && mine !== (theirs ?? '')) out.push({ fieldId, label, text: mine });
  };
  const savedProblems = new Map(saved.problems.map((p) => [p.id, p]));
  local.problems.forEach((p, i) =>
    push(`problems.${i}.statement`, `Problem ${i + 1}`, p.statement, savedProblems.get(p.id)?.statement),
  );
  const savedGoals = new Map(saved.goals.map((g) => [g.id, g]));
  local.goals.forEach((g, i) => {
    const s = savedGoals.get(g.id);
    const at = `goals.${i}`;
    const name = `Goal ${i + 1}`;
    push(`${at}.statement`, `${name}: statement`, g.statement, s?.statement);
    push(`${at}.measuredBy`, `${name}: how measured`, g.measuredBy, s?.measuredBy);
    push(`${at}.baseline`, `${name}: baseline`, g.baseline, s?.baseline);
    push(`${at}.target`, `${name}: target`, g.target, s?.target);
    const so = new Map((s?.objectives ?? []).map((o) => [o.id, o]));
    g.objectives.forEach((o, j) => {
      push(
        `${at}.objectives.${j}.statement`,
        `${name}, objective ${j + 1}`,
        o.statement,
        so.get(o.id)?.statement,
      );
      push(
        `${at}.objectives.${j}.measure`,
        `${name}, objective ${j + 1}: how measured`,
        o.measure,
        so.get(o.id)?.measure,
      );
    });
    const sv = new Map((s?.interventions ?? []).map((v) => [v.id, v]));
    g.interventions.forEach((v, j) =>
      push(
        `${at}.interventions.${j}.description`,
        `${name}, intervention ${j + 1}`,
        v.description,
        sv.get(v.id)?.description,
      ),
    );
  });
  push('strengths', 'Strengths', local.strengths, saved.strengths);
  push('barriers', 'Barriers', local.barriers, saved.barriers);
  push('dischargeCriteria', 'Discharge criteria', local.dischargeCriteria, saved.dischargeCriteria);
  return out;
}
