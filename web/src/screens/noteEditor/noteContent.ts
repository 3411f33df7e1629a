import type {
  FieldDef,
  RiskAssessmentValue,
  TemplateDefinition,
} from '../../../../src/domain/noteTemplates.js';
import type { NoteOptions } from '../../api/notesApi.js';

/** A note's content as the API carries it: one value per template field id. */
export type Content = Record<string, unknown>;

export interface InterventionsValue {
  selected: string[];
  other: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function textOf(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function listOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function numberOf(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const LEVELS = new Set(['none', 'low', 'moderate', 'high']);
type Level = RiskAssessmentValue['suicidalIdeation'];

function levelOf(v: unknown): Level {
  return typeof v === 'string' && LEVELS.has(v) ? (v as Level) : null;
}

export function riskOf(v: unknown): RiskAssessmentValue {
  const r = isRecord(v) ? v : {};
  return {
    suicidalIdeation: levelOf(r.suicidalIdeation),
    homicidalIdeation: levelOf(r.homicidalIdeation),
    selfHarm: levelOf(r.selfHarm),
    safetyPlan: textOf(r.safetyPlan),
    notes: textOf(r.notes),
  };
}

/** Mental status exam: free text per domain (the domains come from the note options). */
export function mseOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) out[k] = textOf(x);
  return out;
}

export function interventionsOf(v: unknown): InterventionsValue {
  const r = isRecord(v) ? v : {};
  return { selected: listOf(r.selected), other: textOf(r.other) };
}

/** True when any risk level is above none: a safety plan is then required to sign. */
export function isRiskRaised(r: RiskAssessmentValue, items: NoteOptions['riskItems']): boolean {
  return items.some((i) => r[i.value] !== null && r[i.value] !== 'none');
}

function labelsOf(options: readonly { value: string; label: string }[], values: readonly string[]): string[] {
  // A value no longer offered (an older template) is shown as stored rather than hidden.
  return values.map((v) => options.find((o) => o.value === v)?.label ?? v);
}

const blank = (s: string) => s.trim() === '';

/** The field's value as plain text for reading, or '' when nothing was entered. */
export function valueText(f: FieldDef, v: unknown, options: NoteOptions): string {
  switch (f.kind) {
    case 'text':
    case 'longText':
    case 'date':
      return textOf(v).trim();
    case 'number':
      return numberOf(v) === null ? '' : String(numberOf(v));
    case 'singleChoice':
      return textOf(v) === '' ? '' : labelsOf(f.options, [textOf(v)]).join('');
    case 'multipleChoice':
      return labelsOf(f.options, listOf(v)).join('; ');
    case 'checklist':
      return labelsOf(f.items, listOf(v)).join('; ');
    case 'scale': {
      const n = numberOf(v);
      if (n === null) return '';
      const low = f.minLabel === undefined ? `${f.min}` : `${f.min} = ${f.minLabel}`;
      const high = f.maxLabel === undefined ? `${f.max}` : `${f.max} = ${f.maxLabel}`;
      return `${n} (scale ${low} to ${high})`;
    }
    case 'riskAssessment': {
      const r = riskOf(v);
      const assessed = options.riskItems.some((i) => r[i.value] !== null);
      if (!assessed && blank(r.safetyPlan) && blank(r.notes)) return '';
      const lines = options.riskItems.map((i) => {
        const level = r[i.value];
        const label = level === null ? 'Not assessed' : labelsOf(options.riskLevels, [level]).join('');
        return `${i.label}: ${label}`;
      });
      if (!blank(r.safetyPlan)) lines.push(`Safety plan: ${r.safetyPlan.trim()}`);
      if (!blank(r.notes)) lines.push(`Notes: ${r.notes.trim()}`);
      return lines.join('\n');
    }
    case 'mentalStatusExam': {
      const m = mseOf(v);
      return options.mseDomains
        .filter((d) => !blank(m[d.domain] ?? ''))
        .map((d) => `${d.label}: ${(m[d.domain] ?? '').trim()}`)
        .join('\n');
    }
    case 'interventions': {
      const i = interventionsOf(v);
      const parts = labelsOf(options.interventions, i.selected);
      if (!blank(i.other)) parts.push(`Other: ${i.other.trim()}`);
      return parts.join('; ');
    }
  }
}

export interface ReadLine {
  fieldId: string;
  label: string;
  text: string;
}

/**
 * The note as labelled text, section by section: optional fields left empty are omitted and a
 * required one reads "Not documented" (as on the PDF).
 */
export function readableSections(
  t: TemplateDefinition,
  content: Content,
  options: NoteOptions,
): { title: string; lines: ReadLine[] }[] {
  return t.sections
    .map((s) => ({
      title: s.title,
      lines: s.fields.flatMap((f): ReadLine[] => {
        const text = valueText(f, content[f.id], options);
        if (text === '') return f.required ? [{ fieldId: f.id, label: f.label, text: 'Not documented' }] : [];
        return [{ fieldId: f.id, label: f.label, text }];
      }),
    }))
    .filter((s) => s.lines.length > 0);
}

/** The fields whose local value differs from the stored one, as text the user can copy. */
export function changedFieldTexts(
  t: TemplateDefinition,
  local: Content,
  stored: Content,
  options: NoteOptions,
): ReadLine[] {
  return t.sections.flatMap((s) =>
    s.fields
      .filter((f) => JSON.stringify(local[f.id] ?? null) !== JSON.stringify(stored[f.id] ?? null))
      .map((f) => ({ fieldId: f.id, label: f.label, text: valueText(f, local[f.id], options) })),
  );
}
