import type {
  ChoiceOption,
  FieldDef,
  FieldKind,
  NoteKind,
  ProgressFormat,
  TemplateDefinition,
  TemplateSection,
} from '../../../../src/domain/noteTemplates.js';

/*
 * The template builder edits a draft that is looser than a TemplateDefinition: numbers are the
 * text typed so far, and each id remembers whether the user chose it (else it follows the label).
 * Every list item has a `uid` so React keeps focus and state on reorder.
 */

export interface DraftOption {
  uid: string;
  value: string;
  valueTouched: boolean;
  label: string;
}

export interface DraftField {
  uid: string;
  kind: FieldKind;
  id: string;
  idTouched: boolean;
  label: string;
  required: boolean;
  help: string;
  options: DraftOption[];
  min: string;
  max: string;
  minLabel: string;
  maxLabel: string;
  integer: boolean;
}

export interface DraftSection {
  uid: string;
  id: string;
  idTouched: boolean;
  title: string;
  help: string;
  fields: DraftField[];
}

export interface DraftTemplate {
  key: string;
  name: string;
  kind: NoteKind;
  format: ProgressFormat | null;
  sections: DraftSection[];
}

// Kinds whose fields carry a pick list ("items" for a checklist, "options" otherwise).
export const CHOICE_KINDS: readonly FieldKind[] = ['singleChoice', 'multipleChoice', 'checklist'];
// Kinds that stand for a fixed block of questions and have no settings of their own.
export const BLOCK_KINDS: readonly FieldKind[] = ['riskAssessment', 'mentalStatusExam', 'interventions'];

let uidCounter = 0;
export function newUid(): string {
  uidCounter += 1;
  return `u${uidCounter}`;
}

function words(label: string): string[] {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** "Mood today (0-10)" -> "moodToday010": a field id as the server accepts it (FIELD_ID_PATTERN). */
export function camelId(label: string, fallback = 'field'): string {
  const w = words(label);
  let id = w.map((x, i) => (i === 0 ? x : x.charAt(0).toUpperCase() + x.slice(1))).join('');
  if (!/^[a-z]/.test(id)) id = id ? `${fallback}${id.charAt(0).toUpperCase()}${id.slice(1)}` : fallback;
  return id.slice(0, 36);
}

/** "Much better!" -> "much_better": an option value as the server accepts it (OPTION_VALUE_PATTERN). */
export function optionValue(label: string): string {
  return words(label).join('_').slice(0, 56) || 'option';
}

/** The base itself, or base2, base3, … — whichever is not taken. */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

export function allFieldIds(t: DraftTemplate, except?: string): Set<string> {
  return new Set(
    t.sections
      .flatMap((s) => s.fields)
      .filter((f) => f.uid !== except)
      .map((f) => f.id),
  );
}

function sectionIds(t: DraftTemplate, except?: string): Set<string> {
  return new Set(t.sections.filter((s) => s.uid !== except).map((s) => s.id));
}

export function emptyTemplate(): DraftTemplate {
  return { key: 'practice.new', name: '', kind: 'progress', format: 'soap', sections: [] };
}

export function newSection(t: DraftTemplate): DraftSection {
  const title = `Section ${t.sections.length + 1}`;
  return {
    uid: newUid(),
    id: uniqueName(camelId(title, 'section'), sectionIds(t)),
    idTouched: false,
    title,
    help: '',
    fields: [],
  };
}

const DEFAULT_LABELS: Readonly<Record<FieldKind, string>> = {
  text: 'Short answer',
  longText: 'Notes',
  singleChoice: 'Choose one',
  multipleChoice: 'Choose any',
  checklist: 'Checklist',
  scale: 'Rating',
  date: 'Date',
  number: 'Number',
  riskAssessment: 'Risk assessment',
  mentalStatusExam: 'Mental status exam',
  interventions: 'Interventions used',
};

export function newField(t: DraftTemplate, kind: FieldKind): DraftField {
  const label = DEFAULT_LABELS[kind];
  const first = newOption([], 'Option 1');
  const options = CHOICE_KINDS.includes(kind) ? [first, newOption([first], 'Option 2')] : [];
  return {
    uid: newUid(),
    kind,
    id: uniqueName(camelId(label), allFieldIds(t)),
    idTouched: false,
    label,
    required: false,
    help: '',
    options,
    min: kind === 'scale' ? '0' : '',
    max: kind === 'scale' ? '10' : '',
    minLabel: '',
    maxLabel: '',
    integer: false,
  };
}

export function newOption(existing: readonly DraftOption[], label: string): DraftOption {
  return {
    uid: newUid(),
    value: uniqueName(optionValue(label), new Set(existing.map((o) => o.value))),
    valueTouched: false,
    label,
  };
}

/** Moves the item at `index` one place up (-1) or down (+1); out-of-range moves change nothing. */
export function move<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  const copy = [...list];
  const item = copy[index];
  if (item === undefined || to < 0 || to >= copy.length) return copy;
  copy.splice(index, 1);
  copy.splice(to, 0, item);
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Edits that keep generated ids in step with their labels
// ---------------------------------------------------------------------------------------------

export function renameSection(t: DraftTemplate, uid: string, title: string): DraftTemplate {
  return {
    ...t,
    sections: t.sections.map((s) =>
      s.uid !== uid
        ? s
        : {
            ...s,
            title,
            id: s.idTouched ? s.id : uniqueName(camelId(title, 'section'), sectionIds(t, uid)),
          },
    ),
  };
}

export function updateField(
  t: DraftTemplate,
  uid: string,
  change: (f: DraftField) => DraftField,
): DraftTemplate {
  return {
    ...t,
    sections: t.sections.map((s) => ({ ...s, fields: s.fields.map((f) => (f.uid === uid ? change(f) : f)) })),
  };
}

export function relabelField(t: DraftTemplate, uid: string, label: string): DraftTemplate {
  const taken = allFieldIds(t, uid);
  return updateField(t, uid, (f) => ({
    ...f,
    label,
    id: f.idTouched ? f.id : uniqueName(camelId(label), taken),
  }));
}

export function relabelOption(f: DraftField, uid: string, label: string): DraftField {
  const others = f.options.filter((o) => o.uid !== uid);
  return {
    ...f,
    options: f.options.map((o) =>
      o.uid !== uid
        ? o
        : {
            ...o,
            label,
            value: o.valueTouched
              ? o.value
              : uniqueName(optionValue(label), new Set(others.map((x) => x.value))),
          },
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Draft <-> definition
// ---------------------------------------------------------------------------------------------

function toNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function optionsOf(f: DraftField): ChoiceOption[] {
  return f.options.map((o) => ({ value: o.value, label: o.label.trim() }));
}

function fieldDef(f: DraftField): FieldDef {
  const base = {
    id: f.id,
    label: f.label.trim(),
    required: f.required,
    ...(f.help.trim() ? { help: f.help.trim() } : {}),
  };
  switch (f.kind) {
    case 'singleChoice':
    case 'multipleChoice':
      return { ...base, kind: f.kind, options: optionsOf(f) };
    case 'checklist':
      return { ...base, kind: 'checklist', items: optionsOf(f) };
    case 'scale':
      return {
        ...base,
        kind: 'scale',
        min: toNumber(f.min) ?? Number.NaN,
        max: toNumber(f.max) ?? Number.NaN,
        ...(f.minLabel.trim() ? { minLabel: f.minLabel.trim() } : {}),
        ...(f.maxLabel.trim() ? { maxLabel: f.maxLabel.trim() } : {}),
      };
    case 'number': {
      const min = toNumber(f.min);
      const max = toNumber(f.max);
      return {
        ...base,
        kind: 'number',
        ...(min !== undefined ? { min } : {}),
        ...(max !== undefined ? { max } : {}),
        ...(f.integer ? { integer: true } : {}),
      };
    }
    case 'text':
    case 'longText':
    case 'date':
    case 'riskAssessment':
    case 'mentalStatusExam':
    case 'interventions':
      return { ...base, kind: f.kind };
  }
}

/** The definition to send; `version` is the one this save will create. */
export function toDefinition(t: DraftTemplate, version: number): TemplateDefinition {
  const sections: TemplateSection[] = t.sections.map((s) => ({
    id: s.id,
    title: s.title.trim(),
    ...(s.help.trim() ? { help: s.help.trim() } : {}),
    fields: s.fields.map(fieldDef),
  }));
  return {
    key: t.key,
    name: t.name.trim(),
    kind: t.kind,
    format: t.kind === 'progress' ? t.format : null,
    version,
    sections,
  };
}

function draftOptions(list: readonly ChoiceOption[]): DraftOption[] {
  return list.map((o) => ({ uid: newUid(), value: o.value, valueTouched: true, label: o.label }));
}

function draftField(f: FieldDef): DraftField {
  const d: DraftField = {
    uid: newUid(),
    kind: f.kind,
    id: f.id,
    // A saved id stays put: notes written with the template store their answers under it.
    idTouched: true,
    label: f.label,
    required: f.required,
    help: f.help ?? '',
    options: [],
    min: '',
    max: '',
    minLabel: '',
    maxLabel: '',
    integer: false,
  };
  switch (f.kind) {
    case 'singleChoice':
    case 'multipleChoice':
      return { ...d, options: draftOptions(f.options) };
    case 'checklist':
      return { ...d, options: draftOptions(f.items) };
    case 'scale':
      return {
        ...d,
        min: String(f.min),
        max: String(f.max),
        minLabel: f.minLabel ?? '',
        maxLabel: f.maxLabel ?? '',
      };
    case 'number':
      return {
        ...d,
        min: f.min === undefined ? '' : String(f.min),
        max: f.max === undefined ? '' : String(f.max),
        integer: f.integer ?? false,
      };
    case 'text':
    case 'longText':
    case 'date':
    case 'riskAssessment':
    case 'mentalStatusExam':
    case 'interventions':
      return d;
  }
}

export function fromDefinition(def: TemplateDefinition): DraftTemplate {
  return {
    key: def.key,
    name: def.name,
    kind: def.kind,
    format: def.format,
    sections: def.sections.map((s) => ({
      uid: newUid(),
      id: s.id,
      idTouched: true,
      title: s.title,
      help: s.help ?? '',
      fields: s.fields.map(draftField),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Checks before sending (the server checks everything again and has the last word)
// ---------------------------------------------------------------------------------------------

function isNumberText(text: string, integer: boolean): boolean {
  const n = toNumber(text);
  return n !== undefined && (!integer || Number.isInteger(n));
}

/** Problems the browser can see without asking the server, keyed by the same paths the server uses. */
export function draftProblems(t: DraftTemplate): Record<string, string> {
  const out: Record<string, string> = {};
  if (!t.name.trim()) out.name = 'Enter a name for the template';
  if (t.sections.length === 0) out.sections = 'Add at least one section';
  t.sections.forEach((s, si) => {
    const sp = `sections.${si}`;
    if (!s.title.trim()) out[`${sp}.title`] = 'Enter a section title';
    if (s.fields.length === 0) out[`${sp}.fields`] = 'Add at least one field';
    s.fields.forEach((f, fi) => {
      const fp = `${sp}.fields.${fi}`;
      if (!f.label.trim()) out[`${fp}.label`] = 'Enter a label';
      if (CHOICE_KINDS.includes(f.kind)) {
        const listKey = f.kind === 'checklist' ? 'items' : 'options';
        if (f.options.length === 0) out[`${fp}.${listKey}`] = 'Add at least one option';
        f.options.forEach((o, oi) => {
          if (!o.label.trim()) out[`${fp}.${listKey}.${oi}.label`] = 'Enter the option text';
        });
      }
      if (f.kind === 'scale') {
        if (!isNumberText(f.min, true)) out[`${fp}.min`] = 'Enter the lowest value as a whole number';
        if (!isNumberText(f.max, true)) out[`${fp}.max`] = 'Enter the highest value as a whole number';
      }
      if (f.kind === 'number') {
        if (f.min.trim() && !isNumberText(f.min, false))
          out[`${fp}.min`] = 'Enter a number or leave it empty';
        if (f.max.trim() && !isNumberText(f.max, false))
          out[`${fp}.max`] = 'Enter a number or leave it empty';
      }
    });
  });
  return out;
}

/** A server error path ("definition.sections.1.fields.0.id", "body.definition.name") as a draft path. */
export function draftPath(serverPath: string): string {
  return serverPath.replace(/^(body\.)?definition\.?/, '');
}

/** Words for an error path in the summary: "Section 2 › field 1 (Mood) › id". */
export function describePath(t: DraftTemplate, path: string): string {
  const parts = path.split('.');
  if (parts[0] !== 'sections') {
    const top: Record<string, string> = { name: 'Template name', kind: 'Kind', format: 'Format', key: 'Key' };
    return top[parts[0] ?? ''] ?? 'Template';
  }
  const si = Number(parts[1]);
  const s = t.sections[si];
  if (!s) return 'Sections';
  const where = [`Section ${si + 1}${s.title.trim() ? ` (${s.title.trim()})` : ''}`];
  if (parts[2] !== 'fields') {
    where.push(parts[2] === 'id' ? 'id' : parts[2] === 'title' ? 'title' : (parts[2] ?? ''));
    return where.filter(Boolean).join(' › ');
  }
  const fi = Number(parts[3]);
  const f = s.fields[fi];
  if (!f) return `${where[0] ?? ''} › fields`;
  where.push(`field ${fi + 1}${f.label.trim() ? ` (${f.label.trim()})` : ''}`);
  const rest = parts.slice(4);
  if (rest[0] === 'options' || rest[0] === 'items') {
    where.push(rest.length > 1 ? `option ${Number(rest[1]) + 1}${rest[2] ? ` ${rest[2]}` : ''}` : 'options');
  } else if (rest[0]) {
    const names: Record<string, string> = {
      id: 'id',
      label: 'label',
      help: 'help text',
      min: 'lowest value',
      max: 'highest value',
      minLabel: 'lowest label',
      maxLabel: 'highest label',
      kind: 'kind',
    };
    where.push(names[rest[0]] ?? rest[0]);
  }
  return where.join(' › ');
}

/** The field kinds offered by "Add field", in the order a template author thinks of them. */
export const FIELD_KIND_CHOICES: readonly { value: FieldKind; label: string }[] = [
  { value: 'text', label: 'Text (one line)' },
  { value: 'longText', label: 'Long text' },
  { value: 'singleChoice', label: 'Single choice' },
  { value: 'multipleChoice', label: 'Multiple choice' },
  { value: 'checklist', label: 'Checklist' },
  { value: 'scale', label: 'Scale' },
  { value: 'date', label: 'Date' },
  { value: 'number', label: 'Number' },
  { value: 'riskAssessment', label: 'Risk assessment block' },
  { value: 'mentalStatusExam', label: 'Mental status exam block' },
  { value: 'interventions', label: 'Interventions block' },
];
