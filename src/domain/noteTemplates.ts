import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

// Psychotherapy (process) notes are not a kind here: they live in their own store (45 CFR
// 164.501) and always use PSYCHOTHERAPY_TEMPLATE.
export const NOTE_KINDS = ['progress', 'intake', 'plan_review', 'contact', 'crisis', 'discharge'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/** The printed title of each kind of note. */
export const NOTE_KIND_TITLES: Readonly<Record<NoteKind, string>> = {
  progress: 'Progress note',
  intake: 'Intake assessment',
  plan_review: 'Treatment plan review',
  contact: 'Contact note',
  crisis: 'Crisis note',
  discharge: 'Discharge summary',
};

export const PROGRESS_FORMATS = ['soap', 'dap', 'birp', 'girp', 'pirp', 'narrative'] as const;
export type ProgressFormat = (typeof PROGRESS_FORMATS)[number];

export const FIELD_KINDS = [
  'text',
  'longText',
  'singleChoice',
  'multipleChoice',
  'checklist',
  'scale',
  'date',
  'number',
  'riskAssessment',
  'mentalStatusExam',
  'interventions',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export const RISK_LEVELS = ['none', 'low', 'moderate', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_LABELS: Readonly<Record<RiskLevel, string>> = {
  none: 'None',
  low: 'Low',
  moderate: 'Moderate',
  high: 'High',
};

export const RISK_ITEMS = ['suicidalIdeation', 'homicidalIdeation', 'selfHarm'] as const;
export type RiskItem = (typeof RISK_ITEMS)[number];
export const RISK_ITEM_LABELS: Readonly<Record<RiskItem, string>> = {
  suicidalIdeation: 'Suicidal ideation',
  homicidalIdeation: 'Homicidal ideation',
  selfHarm: 'Self-harm',
};

export const MSE_DOMAINS = [
  'appearance',
  'behavior',
  'speech',
  'mood',
  'affect',
  'thoughtProcess',
  'thoughtContent',
  'perception',
  'cognition',
  'insight',
  'judgment',
] as const;
export type MseDomain = (typeof MSE_DOMAINS)[number];
export const MSE_DOMAIN_LABELS: Readonly<Record<MseDomain, string>> = {
  appearance: 'Appearance',
  behavior: 'Behavior',
  speech: 'Speech',
  mood: 'Mood',
  affect: 'Affect',
  thoughtProcess: 'Thought process',
  thoughtContent: 'Thought content',
  perception: 'Perception',
  cognition: 'Cognition',
  insight: 'Insight',
  judgment: 'Judgment',
};

// Suggestions only: each domain is free text, so the clinician can pick, combine or write their own.
export const MSE_OPTIONS: Readonly<Record<MseDomain, readonly string[]>> = {
  appearance: ['Well groomed', 'Appropriately dressed', 'Casually dressed', 'Disheveled', 'Poor hygiene'],
  behavior: [
    'Cooperative',
    'Engaged',
    'Good eye contact',
    'Poor eye contact',
    'Restless',
    'Agitated',
    'Psychomotor slowing',
    'Guarded',
    'Withdrawn',
  ],
  speech: ['Normal rate and volume', 'Rapid', 'Pressured', 'Slow', 'Soft', 'Loud', 'Monotone', 'Slurred'],
  mood: ['Euthymic', 'Depressed', 'Anxious', 'Irritable', 'Angry', 'Elevated'],
  affect: [
    'Congruent with mood',
    'Full range',
    'Constricted',
    'Blunted',
    'Flat',
    'Labile',
    'Tearful',
    'Incongruent with mood',
  ],
  thoughtProcess: [
    'Logical and goal-directed',
    'Circumstantial',
    'Tangential',
    'Flight of ideas',
    'Loose associations',
    'Thought blocking',
  ],
  thoughtContent: [
    'Unremarkable',
    'No delusions',
    'Preoccupations',
    'Obsessions',
    'Ruminations',
    'Hopelessness',
    'Paranoid ideation',
    'Delusions',
  ],
  perception: [
    'No hallucinations reported or observed',
    'Auditory hallucinations',
    'Visual hallucinations',
    'Depersonalization',
    'Derealization',
  ],
  cognition: [
    'Alert and oriented x4',
    'Attention intact',
    'Distractible',
    'Memory intact',
    'Memory impaired',
    'Disoriented',
  ],
  insight: ['Good', 'Fair', 'Limited', 'Poor'],
  judgment: ['Good', 'Fair', 'Limited', 'Poor'],
};

/** A pick-list entry: `value` is stored in the note, `label` is shown. */
export interface ChoiceOption {
  readonly value: string;
  readonly label: string;
}

// Values are stored in notes, so entries may be added but never renamed or removed.
export const INTERVENTION_OPTIONS: readonly ChoiceOption[] = [
  { value: 'cognitive_restructuring', label: 'Cognitive restructuring' },
  { value: 'behavioral_activation', label: 'Behavioral activation' },
  { value: 'exposure', label: 'Exposure' },
  { value: 'motivational_interviewing', label: 'Motivational interviewing' },
  { value: 'dbt_skills', label: 'DBT skills training' },
  { value: 'act', label: 'Acceptance and commitment (ACT) techniques' },
  { value: 'mindfulness', label: 'Mindfulness' },
  { value: 'grounding', label: 'Grounding techniques' },
  { value: 'relaxation_training', label: 'Relaxation training' },
  { value: 'psychoeducation', label: 'Psychoeducation' },
  { value: 'safety_planning', label: 'Safety planning' },
  { value: 'problem_solving', label: 'Problem solving' },
  { value: 'solution_focused', label: 'Solution-focused questioning' },
  { value: 'communication_skills', label: 'Communication skills training' },
  { value: 'role_play', label: 'Role play' },
  { value: 'emdr', label: 'EMDR' },
  { value: 'family_systems', label: 'Family systems interventions' },
  { value: 'play_therapy', label: 'Play therapy' },
  { value: 'supportive_counseling', label: 'Supportive counseling' },
];

// ---------------------------------------------------------------------------------------------
// Template model
// ---------------------------------------------------------------------------------------------

interface FieldBase {
  readonly id: string;
  readonly label: string;
  readonly required: boolean;
  readonly help?: string;
}
export type TextFieldDef = FieldBase & { readonly kind: 'text' };
export type LongTextFieldDef = FieldBase & { readonly kind: 'longText' };
export type SingleChoiceFieldDef = FieldBase & {
  readonly kind: 'singleChoice';
  readonly options: readonly ChoiceOption[];
};
export type MultipleChoiceFieldDef = FieldBase & {
  readonly kind: 'multipleChoice';
  readonly options: readonly ChoiceOption[];
};
export type ChecklistFieldDef = FieldBase & {
  readonly kind: 'checklist';
  readonly items: readonly ChoiceOption[];
};
export type ScaleFieldDef = FieldBase & {
  readonly kind: 'scale';
  readonly min: number;
  readonly max: number;
  readonly minLabel?: string;
  readonly maxLabel?: string;
};
export type DateFieldDef = FieldBase & { readonly kind: 'date' };
export type NumberFieldDef = FieldBase & {
  readonly kind: 'number';
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
};
export type RiskAssessmentFieldDef = FieldBase & { readonly kind: 'riskAssessment' };
export type MentalStatusExamFieldDef = FieldBase & { readonly kind: 'mentalStatusExam' };
export type InterventionsFieldDef = FieldBase & { readonly kind: 'interventions' };

export type FieldDef =
  | TextFieldDef
  | LongTextFieldDef
  | SingleChoiceFieldDef
  | MultipleChoiceFieldDef
  | ChecklistFieldDef
  | ScaleFieldDef
  | DateFieldDef
  | NumberFieldDef
  | RiskAssessmentFieldDef
  | MentalStatusExamFieldDef
  | InterventionsFieldDef;

export interface TemplateSection {
  readonly id: string;
  readonly title: string;
  readonly help?: string;
  readonly fields: readonly FieldDef[];
}

export interface TemplateDefinition {
  readonly key: string;
  readonly name: string;
  readonly kind: NoteKind;
  readonly format: ProgressFormat | null;
  readonly version: number;
  readonly sections: readonly TemplateSection[];
}

/** The fixed template of the separately stored psychotherapy (process) notes. */
export interface PsychotherapyTemplate extends Omit<TemplateDefinition, 'kind' | 'format'> {
  readonly kind: 'psychotherapy';
  readonly format: null;
}

/** Anything whose fields can be filled in: a note template or the psychotherapy-note template. */
export type AnyTemplate = TemplateDefinition | PsychotherapyTemplate;

// ---------------------------------------------------------------------------------------------
// Content model
// ---------------------------------------------------------------------------------------------

export interface RiskAssessmentValue {
  // null: not yet assessed in this draft; signing requires a level when the block is required.
  suicidalIdeation: RiskLevel | null;
  homicidalIdeation: RiskLevel | null;
  selfHarm: RiskLevel | null;
  safetyPlan: string;
  notes: string;
}
export type MentalStatusExamValue = Record<MseDomain, string>;
export interface InterventionsValue {
  selected: string[];
  other: string;
}

/** What each field kind stores; the empty value is the one named first (or `null`). */
export interface FieldValueByKind {
  text: string; // '' when empty
  longText: string; // '' when empty
  singleChoice: string | null; // an option value
  multipleChoice: string[]; // option values, each at most once
  checklist: string[]; // the values of the ticked items
  scale: number | null; // an integer from min to max
  date: string | null; // YYYY-MM-DD
  number: number | null;
  riskAssessment: RiskAssessmentValue;
  mentalStatusExam: MentalStatusExamValue;
  interventions: InterventionsValue;
}
export type FieldValue = FieldValueByKind[FieldKind];
export type NoteContent = Record<string, FieldValue>;

export interface Problem {
  path: string;
  message: string;
}

export const TEXT_MAX_LENGTH = 20_000;
export const LONG_TEXT_MAX_LENGTH = 100_000;

// ---------------------------------------------------------------------------------------------
// Template definition schema (template builder)
// ---------------------------------------------------------------------------------------------

export const FIELD_ID_PATTERN = /^[a-z][a-zA-Z0-9_]{0,39}$/;
export const TEMPLATE_KEY_PATTERN = /^[a-z][a-z0-9_.-]{0,79}$/;
export const OPTION_VALUE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,59}$/;
export const BUILT_IN_KEY_PREFIX = 'builtin.';
export const MAX_SECTIONS = 30;
export const MAX_FIELDS = 200;

const idSchema = z
  .string()
  .regex(FIELD_ID_PATTERN, 'Start with a lower-case letter, then up to 39 letters, digits or underscores');
const labelSchema = z.string().trim().min(1, 'Enter a label').max(200, 'Use at most 200 characters');
const helpSchema = z.string().trim().max(1000, 'Use at most 1,000 characters').optional();

const optionListSchema = z
  .array(
    z.strictObject({
      value: z
        .string()
        .regex(OPTION_VALUE_PATTERN, 'Use lower-case letters, digits, "_" or "-" (at most 60 characters)'),
      label: labelSchema,
    }),
  )
  .min(1, 'Add at least one option')
  .max(100, 'Use at most 100 options')
  .superRefine((options, ctx) => {
    const values = new Set<string>();
    const labels = new Set<string>();
    options.forEach((o, i) => {
      if (values.has(o.value))
        ctx.addIssue({ code: 'custom', path: [i, 'value'], message: 'This value is used twice' });
      const label = o.label.toLowerCase();
      if (labels.has(label))
        ctx.addIssue({ code: 'custom', path: [i, 'label'], message: 'This label is used twice' });
      values.add(o.value);
      labels.add(label);
    });
  });

const fieldBase = { id: idSchema, label: labelSchema, required: z.boolean(), help: helpSchema };
const boundSchema = z.number().min(-1_000_000_000).max(1_000_000_000);

const fieldDefSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ ...fieldBase, kind: z.literal('text') }),
    z.strictObject({ ...fieldBase, kind: z.literal('longText') }),
    z.strictObject({ ...fieldBase, kind: z.literal('singleChoice'), options: optionListSchema }),
    z.strictObject({ ...fieldBase, kind: z.literal('multipleChoice'), options: optionListSchema }),
    z.strictObject({ ...fieldBase, kind: z.literal('checklist'), items: optionListSchema }),
    z
      .strictObject({
        ...fieldBase,
        kind: z.literal('scale'),
        min: z.int().min(-1000).max(1000),
        max: z.int().min(-1000).max(1000),
        minLabel: labelSchema.optional(),
        maxLabel: labelSchema.optional(),
      })
      .refine((f) => f.min < f.max, { path: ['max'], message: 'The highest value must be above the lowest' })
      .refine((f) => f.max - f.min <= 100, { path: ['max'], message: 'A scale can have at most 101 points' }),
    z.strictObject({ ...fieldBase, kind: z.literal('date') }),
    z
      .strictObject({
        ...fieldBase,
        kind: z.literal('number'),
        min: boundSchema.optional(),
        max: boundSchema.optional(),
        integer: z.boolean().optional(),
      })
      .refine((f) => f.min === undefined || f.max === undefined || f.min <= f.max, {
        path: ['max'],
        message: 'The highest value must not be below the lowest',
      }),
    z.strictObject({ ...fieldBase, kind: z.literal('riskAssessment') }),
    z.strictObject({ ...fieldBase, kind: z.literal('mentalStatusExam') }),
    z.strictObject({ ...fieldBase, kind: z.literal('interventions') }),
  ],
  { error: () => `Choose a field kind: ${FIELD_KINDS.join(', ')}` },
);

const sectionSchema = z.strictObject({
  id: idSchema,
  title: labelSchema,
  help: helpSchema,
  fields: z.array(fieldDefSchema).min(1, 'Add at least one field').max(MAX_FIELDS),
});

/** The shape a template must have, as sent by the template builder. */
export const templateDefinitionSchema: z.ZodType<TemplateDefinition> = z
  .strictObject({
    key: z
      .string()
      .regex(
        TEMPLATE_KEY_PATTERN,
        'Start with a lower-case letter, then lower-case letters, digits, ".", "_" or "-"',
      ),
    name: labelSchema,
    kind: z.enum(NOTE_KINDS),
    format: z.enum(PROGRESS_FORMATS).nullable(),
    version: z.int().min(1),
    sections: z
      .array(sectionSchema)
      .min(1, 'Add at least one section')
      .max(MAX_SECTIONS, `Use at most ${MAX_SECTIONS} sections`),
  })
  .superRefine((t, ctx) => {
    if (t.kind === 'progress' && t.format === null) {
      ctx.addIssue({ code: 'custom', path: ['format'], message: 'A progress-note template needs a format' });
    }
    if (t.kind !== 'progress' && t.format !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['format'],
        message: 'Only progress-note templates have a format',
      });
    }
    const sectionIds = new Set<string>();
    const fieldIds = new Set<string>();
    let fieldCount = 0;
    t.sections.forEach((s, si) => {
      if (sectionIds.has(s.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sections', si, 'id'],
          message: 'Another section has this id',
        });
      }
      sectionIds.add(s.id);
      s.fields.forEach((f, fi) => {
        if (fieldIds.has(f.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'fields', fi, 'id'],
            message: 'Another field has this id',
          });
        }
        fieldIds.add(f.id);
        fieldCount++;
      });
    });
    if (fieldCount > MAX_FIELDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['sections'],
        message: `Use at most ${MAX_FIELDS} fields in all`,
      });
    }
  });

/** Checks a template from the builder, giving every problem with its path (e.g. "sections.0.fields.2.id"). */
export function validateTemplateDefinition(
  def: unknown,
): { ok: true; value: TemplateDefinition } | { ok: false; errors: Problem[] } {
  const result = templateDefinitionSchema.safeParse(def);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: problemsFromIssues(result.error.issues) };
}

/** Zod issues as path/message pairs; an unknown key is reported at its own path. */
function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ path: [...base, k].join('.'), message: issue.message }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
}

// ---------------------------------------------------------------------------------------------
// Content: empty values, draft schema, completeness at signing
// ---------------------------------------------------------------------------------------------

function fieldsOf(t: AnyTemplate): FieldDef[] {
  return t.sections.flatMap((s) => s.fields);
}

function emptyRisk(): RiskAssessmentValue {
  return { suicidalIdeation: null, homicidalIdeation: null, selfHarm: null, safetyPlan: '', notes: '' };
}

function emptyMse(): MentalStatusExamValue {
  return {
    appearance: '',
    behavior: '',
    speech: '',
    mood: '',
    affect: '',
    thoughtProcess: '',
    thoughtContent: '',
    perception: '',
    cognition: '',
    insight: '',
    judgment: '',
  };
}

function emptyValue(f: FieldDef): FieldValue {
  switch (f.kind) {
    case 'text':
    case 'longText':
      return '';
    case 'multipleChoice':
    case 'checklist':
      return [];
    case 'singleChoice':
    case 'scale':
    case 'date':
    case 'number':
      return null;
    case 'riskAssessment':
      return emptyRisk();
    case 'mentalStatusExam':
      return emptyMse();
    case 'interventions':
      return { selected: [], other: '' };
  }
}

/** A blank note for the template: every field present with its empty value. */
export function emptyContent(t: AnyTemplate): NoteContent {
  const content: NoteContent = {};
  for (const f of fieldsOf(t)) content[f.id] = emptyValue(f);
  return content;
}

const textValue = z.string().max(TEXT_MAX_LENGTH, 'Use at most 20,000 characters');
const longTextValue = z.string().max(LONG_TEXT_MAX_LENGTH, 'Use at most 100,000 characters');
const INTERVENTION_VALUES = new Set(INTERVENTION_OPTIONS.map((o) => o.value));

function pickListValue(options: readonly ChoiceOption[]): z.ZodType<string> {
  const values = new Set(options.map((o) => o.value));
  return z.string().refine((v) => values.has(v), 'Choose one of the listed options');
}

function distinctList(item: z.ZodType<string>): z.ZodType<string[]> {
  return z.array(item).refine((a) => new Set(a).size === a.length, 'Choose each option only once');
}

const riskLevelValue = z.enum(RISK_LEVELS, { error: () => 'Choose none, low, moderate or high' }).nullable();
const riskValue: z.ZodType<RiskAssessmentValue> = z.strictObject({
  suicidalIdeation: riskLevelValue.default(null),
  homicidalIdeation: riskLevelValue.default(null),
  selfHarm: riskLevelValue.default(null),
  safetyPlan: textValue.default(''),
  notes: textValue.default(''),
});
const mseValue: z.ZodType<MentalStatusExamValue> = z.strictObject({
  appearance: textValue.default(''),
  behavior: textValue.default(''),
  speech: textValue.default(''),
  mood: textValue.default(''),
  affect: textValue.default(''),
  thoughtProcess: textValue.default(''),
  thoughtContent: textValue.default(''),
  perception: textValue.default(''),
  cognition: textValue.default(''),
  insight: textValue.default(''),
  judgment: textValue.default(''),
});
const interventionsValue: z.ZodType<InterventionsValue> = z.strictObject({
  selected: distinctList(
    z.string().refine((v) => INTERVENTION_VALUES.has(v), 'Choose an intervention from the list'),
  ).default(() => []),
  other: textValue.default(''),
});

// The shape one field's value may take in a draft; blank values are allowed here.
function draftValueSchema(f: FieldDef): z.ZodType<FieldValue> {
  switch (f.kind) {
    case 'text':
      return textValue;
    case 'longText':
      return longTextValue;
    case 'singleChoice':
      return pickListValue(f.options).nullable();
    case 'multipleChoice':
      return distinctList(pickListValue(f.options));
    case 'checklist':
      return distinctList(pickListValue(f.items));
    case 'scale':
      return z
        .int('Choose a whole number on the scale')
        .min(f.min, `Choose ${f.min} to ${f.max}`)
        .max(f.max, `Choose ${f.min} to ${f.max}`)
        .nullable();
    case 'date':
      return z.iso
        .date('Use the form YYYY-MM-DD')
        .refine((d) => d >= '0001-01-01', 'Use a real date')
        .nullable();
    case 'number': {
      let n = f.integer === true ? z.int('Enter a whole number') : z.number('Enter a number');
      if (f.min !== undefined) n = n.min(f.min, `Enter at least ${f.min}`);
      if (f.max !== undefined) n = n.max(f.max, `Enter at most ${f.max}`);
      return n.nullable();
    }
    case 'riskAssessment':
      return riskValue;
    case 'mentalStatusExam':
      return mseValue;
    case 'interventions':
      return interventionsValue;
  }
}

/**
 * The schema a draft's content must match: only this template's field ids, each of its kind's
 * shape. Drafts may be incomplete, so a missing field is filled with its empty value.
 */
export function contentSchemaFor(t: AnyTemplate): z.ZodType<NoteContent> {
  const shape: Record<string, z.ZodType<FieldValue>> = {};
  for (const f of fieldsOf(t)) shape[f.id] = draftValueSchema(f).default(() => emptyValue(f));
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? 'This template has no such field' : undefined),
  });
}

function isBlank(s: string): boolean {
  return s.trim() === '';
}

// Lower-cases the label's first letter for use inside a sentence, leaving acronyms ("DBT") alone.
function inSentence(label: string): string {
  const [first = '', second = ''] = label;
  return second !== '' && second === second.toLowerCase() ? first.toLowerCase() + label.slice(1) : label;
}

function textOf(v: FieldValue | undefined): string {
  return typeof v === 'string' ? v : '';
}
function listOf(v: FieldValue | undefined): string[] {
  return Array.isArray(v) ? v : [];
}
function numberOf(v: FieldValue | undefined): number | null {
  return typeof v === 'number' ? v : null;
}
function riskOf(v: FieldValue | undefined): RiskAssessmentValue {
  return v !== null && typeof v === 'object' && 'suicidalIdeation' in v ? v : emptyRisk();
}
function mseOf(v: FieldValue | undefined): MentalStatusExamValue {
  return v !== null && typeof v === 'object' && 'appearance' in v ? v : emptyMse();
}
function interventionsOf(v: FieldValue | undefined): InterventionsValue {
  return v !== null && typeof v === 'object' && 'selected' in v ? v : { selected: [], other: '' };
}

function isRiskRaised(r: RiskAssessmentValue): boolean {
  return RISK_ITEMS.some((item) => r[item] !== null && r[item] !== 'none');
}

/** True when the field holds nothing the clinician entered. */
function isEmptyValue(f: FieldDef, v: FieldValue | undefined): boolean {
  switch (f.kind) {
    case 'text':
    case 'longText':
      return isBlank(textOf(v));
    case 'singleChoice':
    case 'date':
      return textOf(v) === '';
    case 'multipleChoice':
    case 'checklist':
      return listOf(v).length === 0;
    case 'scale':
    case 'number':
      return numberOf(v) === null;
    case 'riskAssessment': {
      const r = riskOf(v);
      return RISK_ITEMS.every((item) => r[item] === null) && isBlank(r.safetyPlan) && isBlank(r.notes);
    }
    case 'mentalStatusExam': {
      const m = mseOf(v);
      return MSE_DOMAINS.every((d) => isBlank(m[d]));
    }
    case 'interventions': {
      const i = interventionsOf(v);
      return i.selected.length === 0 && isBlank(i.other);
    }
  }
}

function fieldProblems(f: FieldDef, v: FieldValue | undefined): Problem[] {
  const label = inSentence(f.label);
  const problem = (message: string, member?: string): Problem => ({
    path: member === undefined ? f.id : `${f.id}.${member}`,
    message,
  });
  switch (f.kind) {
    case 'riskAssessment': {
      const r = riskOf(v);
      const problems: Problem[] = [];
      // A partly assessed block is as incomplete as a missing one, even when the block is optional.
      const anyLevel = RISK_ITEMS.some((item) => r[item] !== null);
      if (f.required || anyLevel) {
        for (const item of RISK_ITEMS) {
          if (r[item] === null) {
            problems.push(problem(`Choose a level for ${RISK_ITEM_LABELS[item].toLowerCase()}`, item));
          }
        }
      }
      if (isRiskRaised(r) && isBlank(r.safetyPlan)) {
        problems.push(problem('A safety plan is required when any risk is above none', 'safetyPlan'));
      }
      return problems;
    }
    case 'mentalStatusExam': {
      if (!f.required) return [];
      const m = mseOf(v);
      return MSE_DOMAINS.filter((d) => isBlank(m[d])).map((d) =>
        problem(`Mental status exam: describe ${MSE_DOMAIN_LABELS[d].toLowerCase()}`, d),
      );
    }
    case 'checklist': {
      // A required checklist is an attestation: every item must be ticked.
      if (!f.required) return [];
      const ticked = new Set(listOf(v));
      return f.items.filter((i) => !ticked.has(i.value)).map((i) => problem(`Confirm: ${i.label}`));
    }
    case 'text':
    case 'longText':
    case 'date':
    case 'number':
      return f.required && isEmptyValue(f, v) ? [problem(`Enter the ${label}`)] : [];
    case 'singleChoice':
      return f.required && isEmptyValue(f, v) ? [problem(`Choose the ${label}`)] : [];
    case 'multipleChoice':
      return f.required && isEmptyValue(f, v) ? [problem(`Choose at least one option for the ${label}`)] : [];
    case 'scale':
      return f.required && isEmptyValue(f, v) ? [problem(`Choose a rating for the ${label}`)] : [];
    case 'interventions':
      return f.required && isEmptyValue(f, v)
        ? [problem('Choose at least one intervention or describe what you did', 'selected')]
        : [];
  }
}

/**
 * What stops the note being signed: content of the wrong shape, required fields left blank, and
 * a risk above none without a safety plan. Empty when the note may be signed.
 */
export function completenessProblems(t: AnyTemplate, content: NoteContent): Problem[] {
  const parsed = contentSchemaFor(t).safeParse(content);
  if (!parsed.success) return problemsFromIssues(parsed.error.issues);
  return fieldsOf(t).flatMap((f) => fieldProblems(f, parsed.data[f.id]));
}

// ---------------------------------------------------------------------------------------------
// Rendering and copy-forward
// ---------------------------------------------------------------------------------------------

export interface RenderedLine {
  fieldId: string;
  label: string;
  text: string;
}
export interface RenderedSection {
  title: string;
  lines: RenderedLine[];
}

const NOT_DOCUMENTED = 'Not documented';

function labelsOf(options: readonly ChoiceOption[], values: readonly string[]): string[] {
  // A value no longer in the list (an older template version) is shown as stored rather than hidden.
  return values.map((v) => options.find((o) => o.value === v)?.label ?? v);
}

function renderValue(f: FieldDef, v: FieldValue | undefined): string {
  switch (f.kind) {
    case 'text':
    case 'longText':
    case 'date':
      return textOf(v).trim();
    case 'number':
      return String(numberOf(v));
    case 'singleChoice':
      return labelsOf(f.options, [textOf(v)]).join('');
    case 'multipleChoice':
      return labelsOf(f.options, listOf(v)).join('; ');
    case 'checklist':
      return labelsOf(f.items, listOf(v)).join('; ');
    case 'scale': {
      const low = f.minLabel === undefined ? `${f.min}` : `${f.min} = ${f.minLabel}`;
      const high = f.maxLabel === undefined ? `${f.max}` : `${f.max} = ${f.maxLabel}`;
      return `${numberOf(v)} (scale ${low} to ${high})`;
    }
    case 'riskAssessment': {
      const r = riskOf(v);
      const lines = RISK_ITEMS.map(
        (item) =>
          `${RISK_ITEM_LABELS[item]}: ${r[item] === null ? 'Not assessed' : RISK_LEVEL_LABELS[r[item]]}`,
      );
      if (!isBlank(r.safetyPlan)) lines.push(`Safety plan: ${r.safetyPlan.trim()}`);
      if (!isBlank(r.notes)) lines.push(`Notes: ${r.notes.trim()}`);
      return lines.join('\n');
    }
    case 'mentalStatusExam': {
      const m = mseOf(v);
      return MSE_DOMAINS.filter((d) => !isBlank(m[d]))
        .map((d) => `${MSE_DOMAIN_LABELS[d]}: ${m[d].trim()}`)
        .join('\n');
    }
    case 'interventions': {
      const i = interventionsOf(v);
      const parts = labelsOf(INTERVENTION_OPTIONS, i.selected);
      if (!isBlank(i.other)) parts.push(`Other: ${i.other.trim()}`);
      return parts.join('; ');
    }
  }
}

/**
 * The note as labelled plain text for display and PDF. Empty optional fields and sections left
 * with nothing to show are omitted; an empty required field reads "Not documented".
 */
export function renderSections(t: AnyTemplate, content: NoteContent): RenderedSection[] {
  return t.sections
    .map((s) => ({
      title: s.title,
      lines: s.fields.flatMap((f): RenderedLine[] => {
        const v = content[f.id];
        if (isEmptyValue(f, v))
          return f.required ? [{ fieldId: f.id, label: f.label, text: NOT_DOCUMENTED }] : [];
        return [{ fieldId: f.id, label: f.label, text: renderValue(f, v) }];
      }),
    }))
    .filter((s) => s.lines.length > 0);
}

// Risk and mental status describe the client as seen in THIS session. Carrying them forward
// would put last week's findings into a note that attests they were assessed today, which is
// both clinically unsafe and the "cloned note" pattern auditors flag, so they always start blank.
const REASSESSED_EACH_TIME: ReadonlySet<FieldKind> = new Set(['riskAssessment', 'mentalStatusExam']);

/**
 * "Start from last note": a new note prefilled from the previous note of the same template, and
 * the ids of the fields copied so the editor can mark them until edited. Values that no longer
 * fit the template (an older version) are left blank.
 */
export function copyForward(
  t: AnyTemplate,
  previous: NoteContent,
): { content: NoteContent; copiedFieldIds: string[] } {
  const content = emptyContent(t);
  const copiedFieldIds: string[] = [];
  for (const f of fieldsOf(t)) {
    if (REASSESSED_EACH_TIME.has(f.kind) || !Object.hasOwn(previous, f.id)) continue;
    const parsed = draftValueSchema(f).safeParse(previous[f.id]);
    if (!parsed.success || isEmptyValue(f, parsed.data)) continue;
    content[f.id] = parsed.data;
    copiedFieldIds.push(f.id);
  }
  return { content, copiedFieldIds };
}

// ---------------------------------------------------------------------------------------------
// Built-in templates
// ---------------------------------------------------------------------------------------------

function helpPart(help: string | undefined): { help?: string } {
  return help === undefined ? {} : { help };
}
function text(id: string, label: string, required: boolean, help?: string): TextFieldDef {
  return { id, label, kind: 'text', required, ...helpPart(help) };
}
function longText(id: string, label: string, required: boolean, help?: string): LongTextFieldDef {
  return { id, label, kind: 'longText', required, ...helpPart(help) };
}
function singleChoice(
  id: string,
  label: string,
  required: boolean,
  options: readonly ChoiceOption[],
  help?: string,
): SingleChoiceFieldDef {
  return { id, label, kind: 'singleChoice', required, options, ...helpPart(help) };
}
function section(id: string, title: string, fields: readonly FieldDef[], help?: string): TemplateSection {
  return { id, title, fields, ...helpPart(help) };
}

const RISK_FIELD: RiskAssessmentFieldDef = {
  id: 'risk',
  label: 'Risk assessment',
  kind: 'riskAssessment',
  required: true,
  help: 'Suicidal and homicidal ideation and self-harm as assessed today; a safety plan when any is above none',
};
const MSE_FIELD: MentalStatusExamFieldDef = {
  id: 'mse',
  label: 'Mental status exam',
  kind: 'mentalStatusExam',
  required: true,
};
const INTERVENTIONS_FIELD: InterventionsFieldDef = {
  id: 'interventions',
  label: 'Interventions used',
  kind: 'interventions',
  required: true,
  help: 'The specific techniques used this session, not only a label such as "supportive therapy"',
};
const interventionDetail = (required: boolean): LongTextFieldDef =>
  longText(
    'interventionDetail',
    'Intervention details',
    required,
    'What you did and how: skills practised, topics explored, tools used',
  );
const CLIENT_RESPONSE = longText(
  'clientResponse',
  'Client response and progress',
  true,
  'How the client responded to the interventions and progress toward treatment-plan goals; measure scores are good evidence',
);
const PLAN_FIELDS: readonly FieldDef[] = [
  longText('plan', 'Plan', true, 'Next steps, referrals and any change to treatment'),
  longText('homework', 'Homework', false, 'What the client agreed to practise before the next session'),
  text('nextAppointment', 'Next appointment', false, 'For example "Weekly; next on Tuesday at 10:00"'),
];
const PLAN_SECTION = section('plan', 'Plan', PLAN_FIELDS);
const RISK_SECTION = section('risk', 'Risk assessment', [RISK_FIELD]);
const RESPONSE_SECTION = section('response', 'Response', [CLIENT_RESPONSE]);
const INTERVENTION_SECTION = section('intervention', 'Intervention', [
  INTERVENTIONS_FIELD,
  interventionDetail(true),
]);

const PROGRESS_TEMPLATE_NAMES: Readonly<Record<ProgressFormat, string>> = {
  soap: 'Progress note (SOAP)',
  dap: 'Progress note (DAP)',
  birp: 'Progress note (BIRP)',
  girp: 'Progress note (GIRP)',
  pirp: 'Progress note (PIRP)',
  narrative: 'Progress note (narrative)',
};

// The same fact has the same field id in every format (interventions, clientResponse, risk,
// plan …): the format only regroups them (standards §7.1).
const PROGRESS_SECTIONS: Readonly<Record<ProgressFormat, readonly TemplateSection[]>> = {
  soap: [
    section('subjective', 'Subjective', [
      longText(
        'subjective',
        "Client's report",
        true,
        "Symptoms, events since the last session and concerns, in the client's words where useful",
      ),
    ]),
    section('objective', 'Objective', [
      longText(
        'objective',
        "Clinician's observations",
        true,
        'Appearance, affect, behavior, engagement, measure scores and homework completion',
      ),
    ]),
    section('assessment', 'Assessment', [
      longText(
        'assessment',
        'Clinical assessment',
        true,
        'Your interpretation: symptoms and functional impairment that make treatment necessary, diagnostic impressions',
      ),
      CLIENT_RESPONSE,
      RISK_FIELD,
    ]),
    section('plan', 'Plan', [INTERVENTIONS_FIELD, interventionDetail(false), ...PLAN_FIELDS]),
  ],
  dap: [
    section('data', 'Data', [
      longText(
        'data',
        'Session data',
        true,
        "The client's report and your observations: symptoms, events, presentation, measure scores",
      ),
      INTERVENTIONS_FIELD,
      interventionDetail(false),
    ]),
    section('assessment', 'Assessment', [
      longText(
        'assessment',
        'Clinical assessment',
        true,
        'Your interpretation: symptoms and functional impairment that make treatment necessary, diagnostic impressions',
      ),
      CLIENT_RESPONSE,
      RISK_FIELD,
    ]),
    PLAN_SECTION,
  ],
  birp: [
    section('behavior', 'Behavior', [
      longText(
        'behavior',
        'Client presentation and behavior',
        true,
        'How the client presented and the problems they reported, including symptoms and functional impairment',
      ),
    ]),
    INTERVENTION_SECTION,
    RESPONSE_SECTION,
    RISK_SECTION,
    PLAN_SECTION,
  ],
  girp: [
    section('goal', 'Goal', [
      longText(
        'goals',
        'Treatment-plan goals addressed',
        true,
        'The goals and objectives from the treatment plan that this session worked on',
      ),
    ]),
    INTERVENTION_SECTION,
    RESPONSE_SECTION,
    RISK_SECTION,
    PLAN_SECTION,
  ],
  pirp: [
    section('problem', 'Problem', [
      longText(
        'problem',
        'Problem addressed',
        true,
        'The presenting problem worked on this session, with current symptoms and functional impairment',
      ),
    ]),
    INTERVENTION_SECTION,
    RESPONSE_SECTION,
    RISK_SECTION,
    PLAN_SECTION,
  ],
  narrative: [
    section('session', 'Session', [
      longText(
        'narrative',
        'Session narrative',
        true,
        "What the session addressed, the client's presentation and report, and your assessment",
      ),
    ]),
    section('intervention', 'Intervention', [INTERVENTIONS_FIELD, interventionDetail(false)]),
    RESPONSE_SECTION,
    RISK_SECTION,
    PLAN_SECTION,
  ],
};

const progressTemplates: TemplateDefinition[] = PROGRESS_FORMATS.map((format) => ({
  key: `${BUILT_IN_KEY_PREFIX}progress.${format}`,
  name: PROGRESS_TEMPLATE_NAMES[format],
  kind: 'progress',
  format,
  version: 1,
  sections: PROGRESS_SECTIONS[format],
}));

const intakeTemplate: TemplateDefinition = {
  key: `${BUILT_IN_KEY_PREFIX}intake`,
  name: 'Intake assessment',
  kind: 'intake',
  format: null,
  version: 1,
  sections: [
    section('presenting', 'Presenting problem', [
      longText('presentingProblem', 'Presenting problem', true, 'Why the client is seeking help now'),
      longText(
        'historyOfPresentingProblem',
        'History of presenting problem',
        true,
        'Onset, duration, course, triggers, and the effect on daily functioning',
      ),
      text('referralSource', 'Referral source', false),
    ]),
    section('history', 'History', [
      longText(
        'psychiatricHistory',
        'Psychiatric history',
        true,
        'Earlier diagnoses, treatment, hospitalisations, psychiatric medication',
      ),
      longText('medicalHistory', 'Medical history', true, 'Conditions, current medication, allergies'),
      longText('familyHistory', 'Family history', false, 'Mental health and substance use in the family'),
      longText(
        'socialHistory',
        'Social history',
        true,
        'Family and relationships, education, work, housing, culture, legal matters',
      ),
      longText(
        'substanceUseHistory',
        'Substance use history',
        true,
        'Alcohol, drugs and tobacco: past and current',
      ),
      longText('traumaHistory', 'Trauma history', false),
      longText('strengths', 'Strengths and supports', false),
    ]),
    section('mse', 'Mental status exam', [MSE_FIELD]),
    section('risk', 'Risk assessment', [RISK_FIELD]),
    section('impressions', 'Diagnostic impressions', [
      longText(
        'diagnosticImpressions',
        'Diagnostic impressions',
        true,
        'Your formulation and the reasoning behind the diagnoses recorded on this note',
      ),
    ]),
    section('recommendations', 'Recommendations', [
      longText(
        'recommendations',
        'Recommendations',
        true,
        'Recommended treatment (type, frequency), referrals, and the first steps agreed',
      ),
      longText('clientGoals', "Client's goals for treatment", false, "In the client's own words"),
      text('nextAppointment', 'Next appointment', false),
    ]),
  ],
};

const planReviewTemplate: TemplateDefinition = {
  key: `${BUILT_IN_KEY_PREFIX}plan_review`,
  name: 'Treatment plan review',
  kind: 'plan_review',
  format: null,
  version: 1,
  sections: [
    section('review', 'Progress review', [
      longText('goalsReviewed', 'Goals reviewed', true, 'The treatment-plan goals and objectives reviewed'),
      singleChoice('overallProgress', 'Overall progress', true, [
        { value: 'goals_met', label: 'Goals met' },
        { value: 'significant', label: 'Significant improvement' },
        { value: 'some', label: 'Some improvement' },
        { value: 'none', label: 'No change' },
        { value: 'worse', label: 'Worse' },
      ]),
      longText(
        'progressSummary',
        'Progress toward each goal',
        true,
        'Evidence of progress for each goal; measure scores where you have them',
      ),
    ]),
    section('changes', 'Changes to the plan', [
      longText(
        'planChanges',
        'Changes to goals, objectives or interventions',
        true,
        'Write "No changes" if the plan continues as it is',
      ),
      longText(
        'continuedNeed',
        'Continued need for treatment',
        true,
        'Why treatment remains necessary, or why it can end',
      ),
      {
        id: 'clientParticipation',
        label: 'Client participation',
        kind: 'checklist',
        required: false,
        items: [
          { value: 'took_part', label: 'The client took part in this review' },
          { value: 'agrees', label: 'The client agrees with the updated plan' },
        ],
      },
      { id: 'nextReviewDate', label: 'Next review due', kind: 'date', required: false },
    ]),
    section('risk', 'Risk assessment', [{ ...RISK_FIELD, required: false }]),
  ],
};

const contactTemplate: TemplateDefinition = {
  key: `${BUILT_IN_KEY_PREFIX}contact`,
  name: 'Contact or collateral note',
  kind: 'contact',
  format: null,
  version: 1,
  sections: [
    section(
      'contact',
      'Contact',
      [
        singleChoice('contactType', 'Type of contact', true, [
          { value: 'phone', label: 'Phone call' },
          { value: 'video', label: 'Video call' },
          { value: 'in_person', label: 'In person' },
          { value: 'message', label: 'Email or message' },
          { value: 'letter', label: 'Letter or fax' },
          { value: 'no_show', label: 'No-show' },
          { value: 'late_cancel', label: 'Late cancellation' },
        ]),
        singleChoice('contactWith', 'Contact with', true, [
          { value: 'client', label: 'Client' },
          { value: 'family', label: 'Family member' },
          { value: 'guardian', label: 'Parent or guardian' },
          { value: 'provider', label: 'Other provider' },
          { value: 'school', label: 'School' },
          { value: 'agency', label: 'Agency or payer' },
          { value: 'other', label: 'Other' },
        ]),
        text('contactName', 'Name and role of the person contacted', false),
        {
          id: 'releaseConfirmed',
          label: 'Release of information',
          kind: 'checklist',
          required: false,
          items: [{ value: 'release_on_file', label: 'A release of information covers this contact' }],
        },
      ],
      'Also used for no-shows and late cancellations: record the outreach made',
    ),
    section('summary', 'Summary', [
      longText('summary', 'Summary', true, 'What was discussed or what happened, and any information shared'),
      longText('followUp', 'Follow-up', false),
    ]),
    section('risk', 'Risk assessment', [{ ...RISK_FIELD, required: false }]),
  ],
};

const crisisTemplate: TemplateDefinition = {
  key: `${BUILT_IN_KEY_PREFIX}crisis`,
  name: 'Crisis note',
  kind: 'crisis',
  format: null,
  version: 1,
  sections: [
    section('situation', 'Situation', [
      longText(
        'situation',
        'Crisis situation',
        true,
        'What happened, the precipitating events, and how the client presented',
      ),
    ]),
    section('assessment', 'Assessment', [
      RISK_FIELD,
      longText(
        'riskFactors',
        'Risk and protective factors',
        true,
        'Means, intent, plan, history, supports and reasons for living',
      ),
      { ...MSE_FIELD, required: false },
    ]),
    section('intervention', 'Intervention', [
      INTERVENTIONS_FIELD,
      longText(
        'actionsTaken',
        'Actions taken',
        true,
        'De-escalation, safety planning, means restriction, people and services contacted',
      ),
    ]),
    section('outcome', 'Outcome', [
      singleChoice('disposition', 'Outcome', true, [
        { value: 'community_safety_plan', label: 'Remained in the community with a safety plan' },
        { value: 'voluntary_admission', label: 'Voluntary hospital admission' },
        { value: 'involuntary_evaluation', label: 'Involuntary evaluation' },
        { value: 'emergency_services', label: 'Emergency services called' },
        { value: 'crisis_team', label: 'Referred to a crisis team' },
        { value: 'other', label: 'Other' },
      ]),
      longText(
        'notifications',
        'Notifications made',
        false,
        'Family, emergency services, duty to warn or protect',
      ),
      longText('followUp', 'Follow-up plan', true),
    ]),
  ],
};

const dischargeTemplate: TemplateDefinition = {
  key: `${BUILT_IN_KEY_PREFIX}discharge`,
  name: 'Discharge summary',
  kind: 'discharge',
  format: null,
  version: 1,
  sections: [
    section('treatment', 'Course of treatment', [
      singleChoice('dischargeReason', 'Reason for discharge', true, [
        { value: 'goals_met', label: 'Treatment goals met' },
        { value: 'client_choice', label: 'Client chose to end treatment' },
        { value: 'transfer', label: 'Transferred to another provider' },
        { value: 'level_of_care', label: 'Referred to a different level of care' },
        { value: 'no_return', label: 'Client stopped attending' },
        { value: 'other', label: 'Other' },
      ]),
      text('dischargeReasonDetail', 'Details of the reason', false),
      longText(
        'treatmentSummary',
        'Summary of treatment',
        true,
        'Dates, services provided, main interventions and the client’s engagement',
      ),
    ]),
    section('outcome', 'Outcome', [
      longText('goalOutcomes', 'Progress on treatment goals', true, 'For each goal, with measure scores'),
      longText('conditionAtDischarge', 'Condition at discharge', true, 'Symptoms, functioning and prognosis'),
      RISK_FIELD,
    ]),
    section('aftercare', 'Aftercare', [
      longText(
        'aftercare',
        'Aftercare recommendations',
        true,
        'Relapse prevention, crisis resources, and what to do if difficulties return',
      ),
      longText('referrals', 'Referrals', false),
    ]),
  ],
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// Built-ins are shared by every request, so they are frozen. Once a note has been signed against
// a template version, that version's fields must never change: edit by adding a new version.
export const BUILT_IN_TEMPLATES: readonly TemplateDefinition[] = deepFreeze([
  ...progressTemplates,
  intakeTemplate,
  planReviewTemplate,
  contactTemplate,
  crisisTemplate,
  dischargeTemplate,
]);

export const PSYCHOTHERAPY_TEMPLATE: PsychotherapyTemplate = deepFreeze({
  key: `${BUILT_IN_KEY_PREFIX}psychotherapy`,
  name: 'Psychotherapy note',
  kind: 'psychotherapy',
  format: null,
  version: 1,
  sections: [
    section(
      'process',
      'Process note',
      [
        longText('processNote', 'Impressions of the session', true),
        longText('hypotheses', 'Hypotheses and themes to explore', false),
      ],
      'Your own analysis of the conversation only. Times, modality, diagnosis, symptoms, risk, plan and progress belong in the progress note.',
    ),
  ],
});

const BUILT_IN_BY_KEY: ReadonlyMap<string, TemplateDefinition> = new Map(
  BUILT_IN_TEMPLATES.map((t) => [t.key, t]),
);

/** The built-in template with this key, or undefined. */
export function builtInTemplate(key: string): TemplateDefinition | undefined {
  return BUILT_IN_BY_KEY.get(key);
}

/** The built-in template a new note of this kind starts from (SOAP when a progress note names no format). */
export function defaultTemplateKey(kind: NoteKind, format?: ProgressFormat | null): string {
  return kind === 'progress'
    ? `${BUILT_IN_KEY_PREFIX}progress.${format ?? 'soap'}`
    : `${BUILT_IN_KEY_PREFIX}${kind}`;
}
