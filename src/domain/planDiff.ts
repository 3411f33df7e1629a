import {
  GOAL_INSTRUMENT_LABELS,
  GOAL_STATUS_LABELS,
  INTERVENTION_MODALITY_LABELS,
  type GoalMeasure,
  type PlanContent,
  type PlanGoal,
  type PlanProblem,
} from './treatmentPlan.js';
import { SERVICE_TYPES } from './cptTimeRule.js';

/** One difference between two versions, in words a reader of the history understands. */
export interface PlanChange {
  path: string;
  label: string;
  before: string | null;
  after: string | null;
}

/** Display names for ids the plan refers to (diagnosis list rows, staff). Unknown ids show as "(unknown)". */
export interface PlanNames {
  diagnoses?: Readonly<Record<string, string>>;
  clinicians?: Readonly<Record<string, string>>;
}

type Text = string | null;

function short(s: string): string {
  const t = s.trim();
  return t.length > 50 ? `${t.slice(0, 47)}…` : t;
}

function titled(kind: string, n: number, statement: string): string {
  return statement.trim() ? `${kind} ${n} “${short(statement)}”` : `${kind} ${n}`;
}

function blank(s: string | null): Text {
  return s === null || s.trim() === '' ? null : s;
}

function measureText(m: GoalMeasure | null): Text {
  return m ? `${GOAL_INSTRUMENT_LABELS[m.instrument]} below ${m.below}` : null;
}

function serviceTypeText(t: (typeof SERVICE_TYPES)[number] | null): Text {
  return t ? t.replace(/_/g, ' ') : null;
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, { item: T; index: number }> {
  return new Map(items.map((item, index) => [item.id, { item, index }]));
}

/** Walks two lists matched by id: removed, then changed or added in the new order. */
function compareLists<T extends { id: string }>(
  before: readonly T[],
  after: readonly T[],
  describe: (item: T, index: number) => string,
  path: (index: number) => string,
  summary: (item: T) => string,
  fields: (b: T, a: T, label: string, path: string) => PlanChange[],
): PlanChange[] {
  const out: PlanChange[] = [];
  const afterIds = byId(after);
  const beforeIds = byId(before);
  before.forEach((b, i) => {
    if (!afterIds.has(b.id))
      out.push({ path: path(i), label: `${describe(b, i)} removed`, before: summary(b), after: null });
  });
  after.forEach((a, i) => {
    const old = beforeIds.get(a.id);
    if (!old) out.push({ path: path(i), label: `${describe(a, i)} added`, before: null, after: summary(a) });
    else out.push(...fields(old.item, a, describe(a, i), path(i)));
  });
  return out;
}

function field(out: PlanChange[], path: string, label: string, before: Text, after: Text): void {
  const b = blank(before);
  const a = blank(after);
  if (b !== a) out.push({ path, label, before: b, after: a });
}

function listText(ids: readonly string[], names: Readonly<Record<string, string>> | undefined): Text {
  if (ids.length === 0) return null;
  return ids.map((id) => names?.[id] ?? '(unknown)').join('; ');
}

/** The differences between two versions of a plan, for the history view. Items are matched by id. */
export function diffPlans(before: PlanContent, after: PlanContent, names: PlanNames = {}): PlanChange[] {
  const out: PlanChange[] = [];
  const problemName = (list: readonly PlanProblem[]) =>
    Object.fromEntries(list.map((p, i) => [p.id, titled('Problem', i + 1, p.statement)]));
  const problemsBefore = problemName(before.problems);
  const problemsAfter = problemName(after.problems);

  out.push(
    ...compareLists(
      before.problems,
      after.problems,
      (p, i) => titled('Problem', i + 1, p.statement),
      (i) => `problems.${i}`,
      (p) => p.statement,
      (b, a, label, path) => {
        const c: PlanChange[] = [];
        field(c, `${path}.statement`, `${label}: statement`, b.statement, a.statement);
        field(
          c,
          `${path}.diagnosisIds`,
          `${label}: diagnoses`,
          listText(b.diagnosisIds, names.diagnoses),
          listText(a.diagnosisIds, names.diagnoses),
        );
        return c;
      },
    ),
  );

  out.push(
    ...compareLists(
      before.goals,
      after.goals,
      (g, i) => titled('Goal', i + 1, g.statement),
      (i) => `goals.${i}`,
      (g) => g.statement,
      (b, a, label, path) => goalChanges(b, a, label, path, names, problemsBefore, problemsAfter),
    ),
  );

  const sb = before.servicePlan;
  const sa = after.servicePlan;
  field(
    out,
    'servicePlan.sessionType',
    'Service plan: session type',
    serviceTypeText(sb.sessionType),
    serviceTypeText(sa.sessionType),
  );
  field(
    out,
    'servicePlan.minutes',
    'Service plan: minutes',
    sb.minutes?.toString() ?? null,
    sa.minutes?.toString() ?? null,
  );
  field(out, 'servicePlan.frequency', 'Service plan: how often', sb.frequency, sa.frequency);
  field(
    out,
    'servicePlan.expectedDuration',
    'Service plan: expected duration',
    sb.expectedDuration,
    sa.expectedDuration,
  );
  field(out, 'strengths', 'Strengths', before.strengths, after.strengths);
  field(out, 'barriers', 'Barriers', before.barriers, after.barriers);
  field(out, 'dischargeCriteria', 'Discharge criteria', before.dischargeCriteria, after.dischargeCriteria);
  return out;
}

function goalChanges(
  b: PlanGoal,
  a: PlanGoal,
  label: string,
  path: string,
  names: PlanNames,
  problemsBefore: Record<string, string>,
  problemsAfter: Record<string, string>,
): PlanChange[] {
  const c: PlanChange[] = [];
  field(c, `${path}.statement`, `${label}: statement`, b.statement, a.statement);
  field(
    c,
    `${path}.problemIds`,
    `${label}: problems addressed`,
    listText(b.problemIds, problemsBefore),
    listText(a.problemIds, problemsAfter),
  );
  field(c, `${path}.measuredBy`, `${label}: how measured`, b.measuredBy, a.measuredBy);
  field(c, `${path}.baseline`, `${label}: baseline`, b.baseline, a.baseline);
  field(c, `${path}.target`, `${label}: target`, b.target, a.target);
  field(c, `${path}.targetDate`, `${label}: target date`, b.targetDate, a.targetDate);
  field(c, `${path}.status`, `${label}: status`, GOAL_STATUS_LABELS[b.status], GOAL_STATUS_LABELS[a.status]);
  field(c, `${path}.measure`, `${label}: measured by score`, measureText(b.measure), measureText(a.measure));
  c.push(
    ...compareLists(
      b.objectives,
      a.objectives,
      (_o, j) => `${label}, objective ${j + 1}`,
      (j) => `${path}.objectives.${j}`,
      (o) => o.statement,
      (ob, oa, ol, op) => {
        const oc: PlanChange[] = [];
        field(oc, `${op}.statement`, `${ol}: statement`, ob.statement, oa.statement);
        field(oc, `${op}.measure`, `${ol}: how measured`, ob.measure, oa.measure);
        field(oc, `${op}.targetDate`, `${ol}: target date`, ob.targetDate, oa.targetDate);
        field(
          oc,
          `${op}.status`,
          `${ol}: status`,
          GOAL_STATUS_LABELS[ob.status],
          GOAL_STATUS_LABELS[oa.status],
        );
        return oc;
      },
    ),
  );
  c.push(
    ...compareLists(
      b.interventions,
      a.interventions,
      (_v, j) => `${label}, intervention ${j + 1}`,
      (j) => `${path}.interventions.${j}`,
      (v) => `${INTERVENTION_MODALITY_LABELS[v.modality]}${v.description ? `: ${v.description}` : ''}`,
      (vb, va, vl, vp) => {
        const vc: PlanChange[] = [];
        field(
          vc,
          `${vp}.modality`,
          `${vl}: modality`,
          INTERVENTION_MODALITY_LABELS[vb.modality],
          INTERVENTION_MODALITY_LABELS[va.modality],
        );
        field(vc, `${vp}.description`, `${vl}: description`, vb.description, va.description);
        field(vc, `${vp}.frequency`, `${vl}: how often`, vb.frequency, va.frequency);
        field(
          vc,
          `${vp}.responsibleClinicianId`,
          `${vl}: responsible clinician`,
          vb.responsibleClinicianId ? (names.clinicians?.[vb.responsibleClinicianId] ?? '(unknown)') : null,
          va.responsibleClinicianId ? (names.clinicians?.[va.responsibleClinicianId] ?? '(unknown)') : null,
        );
        return vc;
      },
    ),
  );
  return c;
}
