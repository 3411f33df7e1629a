import type {
  ChartExport,
  ChartGoalRating,
  ChartPlanVersion,
} from '../../services/chartExport/chartExportTypes.js';
import {
  GOAL_INSTRUMENT_LABELS,
  GOAL_STATUS_LABELS,
  INTERVENTION_MODALITY_LABELS,
  type GoalStatus,
  type PlanGoal,
  type PlanObjective,
} from '../../domain/treatmentPlan.js';
import { INSTRUMENTS } from '../../domain/measureInstruments.js';
import { SERVICE_TYPE_LABELS } from '../../domain/sessionLabels.js';
import {
  codeSystem,
  concept,
  derivedId,
  ext,
  LOINC,
  namingSystem,
  narrative,
  prune,
  ref,
  type Resource,
} from './fhirCommon.js';
import { signatureProvenance } from './provenance.js';

// Treatment plan versions as CarePlan, their goals and objectives as Goal, goal ratings as
// Observation. Each signed version is one CarePlan (id = the version's id); a later version
// `replaces` the one before. Goal ids are derived from the version and the goal, since the
// same goal appears in every version.

const ACHIEVEMENT = 'http://terminology.hl7.org/CodeSystem/goal-achievement';

export const goalResourceId = (versionId: string, goalId: string) => derivedId('Goal', versionId, goalId);

function lifecycle(status: GoalStatus): { lifecycleStatus: string; achievementStatus?: object } {
  const ours = { system: codeSystem('goal-status'), code: status, display: GOAL_STATUS_LABELS[status] };
  const with_ = (code: string | null) => ({
    coding: [...(code ? [{ system: ACHIEVEMENT, code }] : []), ours],
    text: GOAL_STATUS_LABELS[status],
  });
  switch (status) {
    case 'proposed':
      return { lifecycleStatus: 'proposed' };
    case 'active':
      return { lifecycleStatus: 'active', achievementStatus: with_('in-progress') };
    case 'achieved':
      return { lifecycleStatus: 'completed', achievementStatus: with_('achieved') };
    case 'partly_achieved':
      return { lifecycleStatus: 'completed', achievementStatus: with_(null) };
    case 'not_achieved':
      return { lifecycleStatus: 'completed', achievementStatus: with_('not-achieved') };
    case 'discontinued':
      return { lifecycleStatus: 'cancelled', achievementStatus: with_(null) };
  }
}

function goalResource(
  chart: ChartExport,
  v: ChartPlanVersion,
  id: string,
  item: PlanGoal | PlanObjective,
  conditions: string[],
  parentId: string | null,
): Resource {
  const isGoal = 'objectives' in item;
  const measure = isGoal ? item.measure : null;
  const targets: object[] = [];
  if (measure) {
    const total = INSTRUMENTS[measure.instrument].loinc.total;
    targets.push({
      measure: concept(LOINC, total, `${GOAL_INSTRUMENT_LABELS[measure.instrument]} total score`),
      detailQuantity: { value: measure.below, comparator: '<' },
      dueDate: item.targetDate ?? undefined,
    });
  }
  // gol-1: a target with a detail names its measure; words are measured as the plan says.
  if (isGoal && item.target)
    targets.push({
      measure: { text: item.measuredBy || 'As described in the goal' },
      detailString: item.target,
      dueDate: item.targetDate ?? undefined,
    });
  else if (!isGoal && item.measure)
    targets.push({ measure: { text: item.measure }, dueDate: item.targetDate ?? undefined });
  else if (!measure && item.targetDate) targets.push({ dueDate: item.targetDate });
  return prune({
    resourceType: 'Goal',
    id,
    ...lifecycle(item.status),
    category: [
      concept(codeSystem('goal-level'), isGoal ? 'goal' : 'objective', isGoal ? 'Goal' : 'Objective'),
    ],
    description: { text: item.statement || '(no statement)' },
    subject: ref('Patient', chart.client.id),
    startDate: v.signature.signedAt.slice(0, 10),
    target: targets,
    statusDate: v.signature.signedAt.slice(0, 10),
    expressedBy: ref('Practitioner', v.signature.userId),
    addresses: conditions.map((c) => ref('Condition', c)),
    extension: [
      { url: ext('plan-item-id'), valueString: item.id },
      parentId ? { url: ext('objective-of'), valueReference: ref('Goal', parentId) } : null,
      isGoal && item.measuredBy ? { url: ext('goal-measured-by'), valueString: item.measuredBy } : null,
      isGoal && item.baseline ? { url: ext('goal-baseline'), valueString: item.baseline } : null,
    ],
  });
}

function planNarrative(chart: ChartExport, v: ChartPlanVersion) {
  const c = v.content;
  const dx = new Map(chart.diagnoses.map((d) => [d.id, `${d.code} ${d.description}`]));
  const sp = c.servicePlan;
  return narrative([
    {
      h: `Treatment plan, version ${v.versionNo}, signed ${v.signature.signedAt.slice(0, 10)} by ${v.signature.name}`,
    },
    {
      h: 'Problems',
      li: c.problems.map((p) => {
        const codes = p.diagnosisIds.map((id) => dx.get(id)).filter((x) => x);
        return codes.length > 0 ? `${p.statement} (${codes.join('; ')})` : p.statement;
      }),
    },
    ...c.goals.map((g, i) => ({
      h: `Goal ${i + 1}: ${g.statement} [${GOAL_STATUS_LABELS[g.status]}]`,
      li: [
        ...(g.targetDate ? [`Target date: ${g.targetDate}`] : []),
        ...(g.measuredBy ? [`Measured by: ${g.measuredBy}`] : []),
        ...(g.baseline ? [`Baseline: ${g.baseline}`] : []),
        ...(g.target ? [`Target: ${g.target}`] : []),
        ...(g.measure ? [`${GOAL_INSTRUMENT_LABELS[g.measure.instrument]} below ${g.measure.below}`] : []),
        ...g.objectives.map(
          (o, j) =>
            `Objective ${i + 1}.${j + 1}: ${o.statement} [${GOAL_STATUS_LABELS[o.status]}]` +
            (o.measure ? `; measured by ${o.measure}` : '') +
            (o.targetDate ? `; target ${o.targetDate}` : ''),
        ),
        ...g.interventions.map(
          (x) =>
            `Intervention: ${INTERVENTION_MODALITY_LABELS[x.modality]}` +
            (x.description ? ` — ${x.description}` : '') +
            (x.frequency ? ` (${x.frequency})` : ''),
        ),
      ],
    })),
    {
      h: 'Services',
      li: [
        ...(sp.sessionType ? [`Session type: ${SERVICE_TYPE_LABELS[sp.sessionType]}`] : []),
        ...(sp.minutes ? [`Minutes: ${sp.minutes}`] : []),
        ...(sp.frequency ? [`Frequency: ${sp.frequency}`] : []),
        ...(sp.expectedDuration ? [`Expected duration: ${sp.expectedDuration}`] : []),
      ],
    },
    { h: 'Strengths', p: [c.strengths] },
    { h: 'Barriers', p: [c.barriers] },
    { h: 'Discharge criteria', p: [c.dischargeCriteria] },
  ]);
}

/** One signed plan version: the CarePlan, its Goals (goals then objectives) and its signature. */
export function planResources(
  chart: ChartExport,
  v: ChartPlanVersion,
  previous: ChartPlanVersion | null,
): Resource[] {
  const c = v.content;
  const exportedDx = new Set(chart.diagnoses.map((d) => d.id));
  const problemDx = new Map(c.problems.map((p) => [p.id, p.diagnosisIds.filter((d) => exportedDx.has(d))]));
  const goals: Resource[] = [];
  for (const g of c.goals) {
    const gid = goalResourceId(v.id, g.id);
    const dx = [...new Set(g.problemIds.flatMap((p) => problemDx.get(p) ?? []))];
    goals.push(goalResource(chart, v, gid, g, dx, null));
    for (const o of g.objectives) goals.push(goalResource(chart, v, goalResourceId(v.id, o.id), o, [], gid));
  }
  const activeStatus = v.current ? 'in-progress' : 'stopped';
  const carePlan = prune({
    resourceType: 'CarePlan',
    id: v.id,
    text: planNarrative(chart, v),
    identifier: [{ system: namingSystem('plan-version'), value: `${v.planId}/${v.versionNo}` }],
    replaces: previous ? [ref('CarePlan', previous.id)] : [],
    status: v.current ? 'active' : 'revoked',
    intent: 'plan',
    category: [concept('http://hl7.org/fhir/us/core/CodeSystem/careplan-category', 'assess-plan')],
    title: `Treatment plan v${v.versionNo}`,
    subject: ref('Patient', chart.client.id),
    period: { start: v.signature.signedAt, end: v.reviewDueDate },
    created: v.createdAt,
    author: ref('Practitioner', v.signature.userId),
    addresses: [...new Set(c.problems.flatMap((p) => problemDx.get(p.id) ?? []))].map((d) =>
      ref('Condition', d),
    ),
    goal: goals.map((g) => ref('Goal', g.id)),
    activity: c.goals.flatMap((g) =>
      g.interventions.map((x) => ({
        detail: {
          kind: 'ServiceRequest',
          code: concept(
            codeSystem('intervention-modality'),
            x.modality,
            INTERVENTION_MODALITY_LABELS[x.modality],
          ),
          goal: [ref('Goal', goalResourceId(v.id, g.id))],
          status: activeStatus,
          scheduledString: x.frequency || undefined,
          performer: x.responsibleClinicianId ? [ref('Practitioner', x.responsibleClinicianId)] : [],
          description: x.description || undefined,
          extension: [{ url: ext('plan-item-id'), valueString: x.id }],
        },
      })),
    ),
    extension: [
      { url: ext('plan-version-number'), valueInteger: v.versionNo },
      { url: ext('review-due-date'), valueDate: v.reviewDueDate },
      { url: ext('content-hash'), valueString: v.contentHash },
      // The whole signed content, so an import restores the plan exactly.
      { url: ext('plan-content'), valueString: JSON.stringify(c) },
      ...v.acknowledgements.map((a) => ({
        url: ext('plan-acknowledgement'),
        extension: [
          { url: 'typedName', valueString: a.typedName },
          { url: 'date', valueDate: a.acknowledgedOn },
          { url: 'method', valueCode: a.method },
          { url: 'drawnSignature', valueBoolean: a.hasDrawnSignature },
          { url: 'recordedBy', valueReference: ref('Practitioner', a.recordedBy) },
          { url: 'recordedAt', valueDateTime: a.recordedAt },
        ],
      })),
    ],
  });
  const provenance = signatureProvenance({
    id: derivedId('Provenance', 'CarePlan', v.id),
    target: ref('CarePlan', v.id),
    recorded: v.signature.signedAt,
    author: v.signature,
    authorHash: v.contentHash,
    cosigner: null,
  });
  return [carePlan, ...goals, provenance];
}

const SCALE_LABEL = { five_point: 'Goal progress rating (1-5)', zero_to_ten: 'Goal progress rating (0-10)' };

export function goalRatingObservation(
  chart: ChartExport,
  r: ChartGoalRating,
  exportedVersionIds: Set<string>,
): Resource {
  return prune({
    resourceType: 'Observation',
    id: derivedId('Observation', 'goal-rating', r.noteId, r.goalId),
    status: 'final',
    code: concept(codeSystem('goal-rating'), r.scale, SCALE_LABEL[r.scale]),
    subject: ref('Patient', chart.client.id),
    focus: exportedVersionIds.has(r.planVersionId)
      ? [ref('Goal', goalResourceId(r.planVersionId, r.goalId))]
      : [],
    effectiveDateTime: r.dateOfService,
    valueInteger: r.rating ?? undefined,
    dataAbsentReason:
      r.rating === null
        ? concept('http://terminology.hl7.org/CodeSystem/data-absent-reason', 'not-performed')
        : undefined,
    note: r.comment ? [{ text: r.comment }] : [],
    derivedFrom: [ref('DocumentReference', r.noteId)],
    extension: [
      { url: ext('plan-item-id'), valueString: r.goalId },
      { url: ext('plan-version-id'), valueString: r.planVersionId },
      r.goalStatement ? { url: ext('goal-statement'), valueString: r.goalStatement } : null,
      r.newStatus ? { url: ext('goal-new-status'), valueCode: r.newStatus } : null,
    ],
  });
}
