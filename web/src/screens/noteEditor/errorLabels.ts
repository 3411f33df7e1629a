import type { TemplateDefinition } from '../../../../src/domain/noteTemplates.js';
import type { NoteOptions } from '../../api/notesApi.js';

const FIXED: Record<string, string> = {
  'sessionFacts.start': 'Session times',
  'sessionFacts.end': 'Session end',
  'sessionFacts.cptOverride': 'CPT override',
  'sessionFacts.modality': 'Modality',
  'sessionFacts.location': 'Location',
  'sessionFacts.participants': 'Participants',
  diagnosisCodes: 'Diagnoses',
  dateOfService: 'Date of service',
};

const MEMBERS: Record<string, string> = {
  safetyPlan: 'safety plan',
  notes: 'notes',
  selected: '',
  other: 'other',
};

/** Labels for the error summary's links: the field (and part of it) each problem belongs to. */
export function errorLabels(
  keys: readonly string[],
  template: TemplateDefinition,
  options: NoteOptions,
): Record<string, string> {
  const fields = template.sections.flatMap((s) => s.fields);
  const out: Record<string, string> = {};
  for (const key of keys) {
    const fixed = FIXED[key];
    if (fixed) {
      out[key] = fixed;
      continue;
    }
    const [head, fieldId, member] = key.split('.');
    if (head !== 'content') continue;
    const field = fields.find((f) => f.id === fieldId);
    if (!field) continue;
    const part =
      member === undefined
        ? ''
        : (options.riskItems.find((i) => i.value === member)?.label ??
          options.mseDomains.find((d) => d.domain === member)?.label ??
          MEMBERS[member] ??
          member);
    out[key] = part ? `${field.label} – ${part.toLowerCase()}` : field.label;
  }
  return out;
}
