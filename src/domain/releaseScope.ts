/**
 * What a release of information may carry. An authorization lists the categories it covers;
 * an export is built for exactly one scope, so nothing outside it is ever read for the export.
 */
export const RELEASE_CATEGORIES = [
  'demographics',
  'diagnoses',
  'plans',
  'progress_notes',
  'measures',
  'billing',
  /** Only ever covered by a psychotherapy-note authorization, which covers nothing else. */
  'psychotherapy_notes',
] as const;
export type ReleaseCategory = (typeof RELEASE_CATEGORIES)[number];

export const RELEASE_CATEGORY_LABELS: Record<ReleaseCategory, string> = {
  demographics: 'Demographics',
  diagnoses: 'Diagnoses',
  plans: 'Treatment plans',
  progress_notes: 'Progress notes',
  measures: 'Outcome measures',
  billing: 'Billing',
  psychotherapy_notes: 'Psychotherapy notes',
};

/** The record set an export is built from. Dates are practice-local YYYY-MM-DD, inclusive. */
export interface ExportScope {
  categories: ReadonlySet<ReleaseCategory>;
  /** Sessions, notes, measures and plan versions dated inside the range; open ends mean all. */
  from?: string;
  to?: string;
  /** Set when the client's record holds 42 CFR Part 2 substance-use records. */
  part2Notice?: string;
  /** Who the export is for, printed on the cover and carried in Provenance. */
  purpose: 'release' | 'client_copy' | 'practice_export';
  recipient?: string;
}

/** Everything a client may see of their own record (45 CFR 164.524): all but psychotherapy notes. */
export function clientCopyScope(): ExportScope {
  return {
    categories: new Set(RELEASE_CATEGORIES.filter((c) => c !== 'psychotherapy_notes')),
    purpose: 'client_copy',
  };
}
