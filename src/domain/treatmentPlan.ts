import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './noteContentHash.js';
import { SERVICE_TYPES } from './cptTimeRule.js';

// The content of one treatment plan version. A draft may be incomplete (empty strings, no
// dates): checkPlan (planCheck.ts) says what is missing, and signing waits until nothing is.
// Ids of problems, goals, objectives and interventions are made by the client (UUIDs) and stay
// the same from one version to the next, so history can say "goal 2's target date changed".

import {
  GOAL_INSTRUMENT_MAX,
  GOAL_INSTRUMENTS,
  GOAL_STATUSES,
  INTERVENTION_MODALITIES,
} from './planVocabulary.js';

export {
  GOAL_INSTRUMENT_LABELS,
  GOAL_INSTRUMENT_MAX,
  GOAL_INSTRUMENTS,
  GOAL_STATUS_LABELS,
  GOAL_STATUSES,
  INTERVENTION_MODALITIES,
  INTERVENTION_MODALITY_LABELS,
  type GoalInstrument,
  type GoalStatus,
  type InterventionModality,
} from './planVocabulary.js';

const text = (max: number) => z.string().trim().max(max);
const planDate = z.iso.date('Use the form YYYY-MM-DD').refine((d) => d >= '0001-01-01', 'Use a real date');

export const goalMeasureSchema = z
  .object({
    instrument: z.enum(GOAL_INSTRUMENTS),
    /** The goal is met when the total score is below this number. */
    below: z.number().int().min(1).max(81),
  })
  .strict()
  .refine((m) => m.below <= GOAL_INSTRUMENT_MAX[m.instrument] + 1, {
    message: 'The target is beyond the highest score this measure can give',
    path: ['below'],
  });

export const problemSchema = z
  .object({
    id: z.uuid(),
    statement: text(2000).default(''),
    /** Ids of rows in the client's diagnosis list (client_diagnoses). */
    diagnosisIds: z.array(z.uuid()).max(20).default([]),
  })
  .strict();

export const objectiveSchema = z
  .object({
    id: z.uuid(),
    statement: text(2000).default(''),
    /** How the objective is measured, in words ("3 of 4 weeks, by self-report log"). */
    measure: text(1000).default(''),
    targetDate: planDate.nullable().default(null),
    status: z.enum(GOAL_STATUSES).default('proposed'),
  })
  .strict();

export const interventionSchema = z
  .object({
    id: z.uuid(),
    modality: z.enum(INTERVENTION_MODALITIES),
    description: text(2000).default(''),
    frequency: text(200).default(''),
    responsibleClinicianId: z.uuid().nullable().default(null),
  })
  .strict();

export const goalSchema = z
  .object({
    id: z.uuid(),
    problemIds: z.array(z.uuid()).max(20).default([]),
    statement: text(2000).default(''),
    measuredBy: text(1000).default(''),
    baseline: text(1000).default(''),
    target: text(1000).default(''),
    targetDate: planDate.nullable().default(null),
    status: z.enum(GOAL_STATUSES).default('proposed'),
    measure: goalMeasureSchema.nullable().default(null),
    objectives: z.array(objectiveSchema).max(30).default([]),
    interventions: z.array(interventionSchema).max(30).default([]),
  })
  .strict();

export const servicePlanSchema = z
  .object({
    sessionType: z.enum(SERVICE_TYPES).nullable().default(null),
    minutes: z.number().int().min(1).max(480).nullable().default(null),
    frequency: text(200).default(''),
    expectedDuration: text(200).default(''),
  })
  .strict();

/** Everything a plan version says. Unknown fields are refused (strict), so nothing is silently dropped. */
export const planContentSchema = z
  .object({
    problems: z.array(problemSchema).max(30).default([]),
    goals: z.array(goalSchema).max(30).default([]),
    servicePlan: servicePlanSchema.default({
      sessionType: null,
      minutes: null,
      frequency: '',
      expectedDuration: '',
    }),
    strengths: text(4000).default(''),
    barriers: text(4000).default(''),
    dischargeCriteria: text(4000).default(''),
  })
  .strict();

export type PlanContent = z.infer<typeof planContentSchema>;
/** What a client may send: every field with a default may be left out. */
export type PlanContentInput = z.input<typeof planContentSchema>;
export type PlanProblem = z.infer<typeof problemSchema>;
export type PlanGoal = z.infer<typeof goalSchema>;
export type PlanObjective = z.infer<typeof objectiveSchema>;
export type PlanIntervention = z.infer<typeof interventionSchema>;
export type GoalMeasure = z.infer<typeof goalMeasureSchema>;
export type ServicePlan = z.infer<typeof servicePlanSchema>;

/** A new, empty plan: what the first draft starts from. */
export function emptyPlanContent(): PlanContent {
  return planContentSchema.parse({});
}

export const PLAN_VERSION_STATUSES = ['draft', 'signed'] as const;
export type PlanVersionStatus = (typeof PLAN_VERSION_STATUSES)[number];

export const ACKNOWLEDGEMENT_METHODS = ['in_person', 'remote'] as const;
export type AcknowledgementMethod = (typeof ACKNOWLEDGEMENT_METHODS)[number];

/** Review state of a signed plan: due_soon within REVIEW_DUE_SOON_DAYS of the due date, overdue after it. */
export const REVIEW_STATES = ['current', 'due_soon', 'overdue'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const REVIEW_DUE_SOON_DAYS = 14;
export const DEFAULT_PLAN_REVIEW_DAYS = 90;
export const PLAN_REVIEW_DAYS_MIN = 7;
export const PLAN_REVIEW_DAYS_MAX = 365;

/**
 * References inside a plan that must hold before it can even be saved: ids unique, goals point
 * at problems of this plan. (Diagnosis and clinician ids are checked against the database.)
 */
export function structuralProblems(c: PlanContent): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  const claim = (id: string, path: string) => {
    if (seen.has(id)) out.push({ path, message: 'This id is used twice in the plan' });
    seen.add(id);
  };
  c.problems.forEach((p, i) => claim(p.id, `content.problems.${i}.id`));
  const problemIds = new Set(c.problems.map((p) => p.id));
  c.goals.forEach((g, i) => {
    claim(g.id, `content.goals.${i}.id`);
    g.problemIds.forEach((pid, j) => {
      if (!problemIds.has(pid))
        out.push({ path: `content.goals.${i}.problemIds.${j}`, message: 'No such problem in this plan' });
    });
    g.objectives.forEach((o, j) => claim(o.id, `content.goals.${i}.objectives.${j}.id`));
    g.interventions.forEach((v, j) => claim(v.id, `content.goals.${i}.interventions.${j}.id`));
  });
  return out;
}

/** What a plan signature covers; only these members count, so extra columns never change the hash. */
export interface SignedPlanForHash {
  versionId: string;
  planId: string;
  clientId: string;
  versionNo: number;
  basedOn: string | null;
  content: PlanContent;
  signedAt: string;
  signer: { name: string; credentials: string | null; licenseNumber: string | null };
}

// The prefix names what was hashed, so a plan hash can never equal a note's.
const PLAN_HASH_PREFIX = 'casebook-treatment-plan-v1\n';

/** SHA-256 (lowercase hex) of a signed plan version, over its canonical JSON (RFC 8785 key order). */
export function hashPlanVersion(s: SignedPlanForHash): string {
  const hashed: SignedPlanForHash = {
    versionId: s.versionId,
    planId: s.planId,
    clientId: s.clientId,
    versionNo: s.versionNo,
    basedOn: s.basedOn,
    content: s.content,
    signedAt: s.signedAt,
    signer: s.signer,
  };
  return createHash('sha256')
    .update(PLAN_HASH_PREFIX + canonicalJson(hashed), 'utf8')
    .digest('hex');
}
