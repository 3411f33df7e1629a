import type { Modality } from '../../../../src/domain/cptTimeRule.js';
import type { TemplateDefinition } from '../../../../src/domain/noteTemplates.js';
import type { DraftSave, NoteView, SessionFactsInput } from '../../api/notesApi.js';
import type { DraftPart } from './autosaveController.js';
import type { Content } from './noteContent.js';
import { toLocalInput as isoToZonedLocal, zonedLocalToIso } from '../../components/practiceTime.js';

export interface OverrideCodeDraft {
  code: string;
  units: string;
  modifiers: string;
}

/** The session facts as the form holds them: text as typed, times on the practice clock. */
export interface FactsDraft {
  startLocal: string;
  endLocal: string;
  modality: Modality | '';
  location: string;
  clientAtHome: boolean;
  participantsText: string;
  interactiveComplexity: boolean;
  override: { codes: OverrideCodeDraft[]; reason: string } | null;
}

export interface Diagnosis {
  code: string;
  title: string;
}

/** What the editor holds locally; the server's copy is the NoteView it last answered with. */
export interface NoteDraft {
  content: Content;
  facts: FactsDraft;
  diagnoses: Diagnosis[];
  dateOfService: string;
  copiedFields: string[];
}

function codeDraft(c: { code: string; units: number; modifiers: string[] }): OverrideCodeDraft {
  return { code: c.code, units: String(c.units), modifiers: c.modifiers.join(', ') };
}

export function draftFromNote(note: NoteView, timeZone: string): NoteDraft {
  const f = note.sessionFacts;
  return {
    content: note.content,
    facts: {
      startLocal: isoToZonedLocal(f.start, timeZone),
      endLocal: isoToZonedLocal(f.end, timeZone),
      modality: (f.modality ?? '') as Modality | '',
      location: f.location ?? '',
      clientAtHome: f.clientAtHome,
      participantsText: f.participants.join(', '),
      interactiveComplexity: f.interactiveComplexity,
      override:
        f.cptOverrideReason !== null ? { codes: f.cpt.map(codeDraft), reason: f.cptOverrideReason } : null,
    },
    diagnoses: note.diagnoses,
    dateOfService: note.dateOfService,
    copiedFields: note.copiedFields,
  };
}

/** An override ready to send, or the reason it is not yet (it is then left out of the save). */
export function overrideInput(
  o: NonNullable<FactsDraft['override']>,
): { ok: true; value: NonNullable<SessionFactsInput['cptOverride']> } | { ok: false; message: string } {
  const codes = o.codes.filter((c) => c.code.trim() !== '');
  if (codes.length === 0) return { ok: false, message: 'Enter at least one CPT code' };
  const value = [];
  for (const c of codes) {
    const units = Number(c.units);
    if (!Number.isInteger(units) || units < 1 || units > 12)
      return { ok: false, message: `Enter 1 to 12 units for ${c.code.trim()}` };
    const modifiers = c.modifiers
      .split(/[\s,]+/)
      .map((m) => m.trim().toUpperCase())
      .filter((m) => m !== '');
    if (modifiers.some((m) => !/^[A-Z0-9]{2}$/.test(m)))
      return { ok: false, message: 'A modifier is two letters or digits, e.g. 95' };
    value.push({ code: c.code.trim(), units, modifiers });
  }
  if (o.reason.trim().length < 3) return { ok: false, message: 'Give the reason for overriding the code' };
  return { ok: true, value: { codes: value, reason: o.reason.trim() } };
}

export function participantsOf(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** The session facts as the API takes them; an override still being written is not sent. */
export function factsInput(f: FactsDraft, timeZone: string): SessionFactsInput {
  const input: SessionFactsInput = {
    start: f.startLocal ? zonedLocalToIso(f.startLocal, timeZone) : null,
    end: f.endLocal ? zonedLocalToIso(f.endLocal, timeZone) : null,
    modality: f.modality === '' ? null : f.modality,
    location: f.location.trim() === '' ? null : f.location.trim(),
    clientAtHome: f.clientAtHome,
    participants: participantsOf(f.participantsText),
    interactiveComplexity: f.interactiveComplexity,
  };
  if (f.override === null) input.cptOverride = null;
  else {
    const o = overrideInput(f.override);
    if (o.ok) input.cptOverride = o.value;
  }
  return input;
}

/** The body of an autosave holding only the parts that changed. */
export function saveBody(
  draft: NoteDraft,
  parts: readonly DraftPart[],
  opts: { timeZone: string; standalone: boolean },
): DraftSave {
  const body: DraftSave = {};
  for (const part of parts) {
    switch (part) {
      case 'content':
        body.content = draft.content;
        break;
      case 'sessionFacts':
        body.sessionFacts = factsInput(draft.facts, opts.timeZone);
        break;
      case 'diagnosisCodes':
        body.diagnosisCodes = draft.diagnoses.map((d) => d.code);
        break;
      case 'dateOfService':
        // A session's note takes its date from the session; only a standalone note sets it.
        if (opts.standalone && /^\d{4}-\d{2}-\d{2}$/.test(draft.dateOfService))
          body.dateOfService = draft.dateOfService;
        break;
      case 'copiedFields':
        body.copiedFields = draft.copiedFields;
        break;
      case 'goalProgress':
        // The goal ratings live in their own section's state; the editor adds them to the body.
        break;
    }
  }
  return body;
}

/** A field edited by hand is no longer "copied from the last note". */
export function withoutCopiedMark(draft: NoteDraft, fieldId: string): NoteDraft {
  return draft.copiedFields.includes(fieldId)
    ? { ...draft, copiedFields: draft.copiedFields.filter((f) => f !== fieldId) }
    : draft;
}

/**
 * Where a problem reported by the server is shown: the key of the control it belongs to, so
 * "content.risk.safetyPlan" lands on the safety plan and "diagnosisCodes.2" on the picker.
 */
export function errorKey(path: string, template: TemplateDefinition): string {
  const [head = '', second = '', third] = path.split('.');
  switch (head) {
    case 'content': {
      const field = template.sections.flatMap((s) => s.fields).find((f) => f.id === second);
      if (!field) return 'content';
      const grouped =
        field.kind === 'riskAssessment' ||
        field.kind === 'mentalStatusExam' ||
        field.kind === 'interventions';
      return grouped && third !== undefined ? `content.${second}.${third}` : `content.${second}`;
    }
    case 'sessionFacts':
      return second === '' ? 'sessionFacts.start' : `sessionFacts.${second}`;
    case 'diagnosisCodes':
      return 'diagnosisCodes';
    default:
      return path;
  }
}

/** Problems keyed by control; two problems on one control are read together. */
export function errorsByControl(
  problems: readonly { path: string; message: string }[],
  template: TemplateDefinition,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) {
    const key = errorKey(p.path, template);
    out[key] = out[key] ? `${out[key]}; ${p.message}` : p.message;
  }
  return out;
}
