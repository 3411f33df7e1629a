import { useEffect, useState } from 'react';
import type { NoteKind, ProgressFormat } from '../../../../src/domain/noteTemplates.js';
import { templatesApi, type NoteOptions } from '../../api/templatesApi.js';

// The pick lists change only with a server release, so one fetch per page load serves every screen.
let cached: Promise<NoteOptions> | null = null;

function load(): Promise<NoteOptions> {
  cached ??= templatesApi.noteOptions().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

/** Interventions, MSE domains, risk levels and service types, labelled by the server; null until loaded. */
export function useNoteOptions(): NoteOptions | null {
  const [options, setOptions] = useState<NoteOptions | null>(null);
  useEffect(() => {
    let live = true;
    load()
      .then((o) => live && setOptions(o))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return options;
}

// Typed against the server's kinds and formats, so a new one fails the build until it has a name here.
export const NOTE_KIND_LABELS: Readonly<Record<NoteKind, string>> = {
  progress: 'Progress note',
  intake: 'Intake assessment',
  plan_review: 'Treatment plan review',
  contact: 'Contact note',
  crisis: 'Crisis note',
  discharge: 'Discharge summary',
};

export const FORMAT_LABELS: Readonly<Record<ProgressFormat, string>> = {
  soap: 'SOAP',
  dap: 'DAP',
  birp: 'BIRP',
  girp: 'GIRP',
  pirp: 'PIRP',
  narrative: 'Narrative',
};

export const NOTE_KIND_CHOICES = Object.entries(NOTE_KIND_LABELS).map(([value, label]) => ({
  value: value as NoteKind,
  label,
}));
export const FORMAT_CHOICES = Object.entries(FORMAT_LABELS).map(([value, label]) => ({
  value: value as ProgressFormat,
  label,
}));

/** "plan_review" -> "Plan review": for a value this build has no name for. */
export function humanize(value: string): string {
  const s = value
    .replace(/[_.]/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function labelIn(
  list: readonly { value: string; label: string }[] | undefined,
  value: string,
): string {
  return list?.find((o) => o.value === value)?.label ?? humanize(value);
}

/** "Progress note (SOAP)", "Intake assessment". */
export function noteTitle(kind: NoteKind, format: ProgressFormat | null): string {
  return format ? `${NOTE_KIND_LABELS[kind]} (${FORMAT_LABELS[format]})` : NOTE_KIND_LABELS[kind];
}
