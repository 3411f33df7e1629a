import type { ChartExport, ChartSignature } from '../../services/chartExport/chartExportTypes.js';
import { printedTime } from '../../domain/printedTime.js';
import { RELEASE_CATEGORY_LABELS, type ReleaseCategory } from '../../domain/releaseScope.js';
import type { SignatureBlock } from '../notePdf.js';

// How the chart's values read on paper: names, times in the practice's zone, what the release is.

/** Legal name, with the preferred name when it differs. */
export function clientName(chart: ChartExport): string {
  const c = chart.client;
  const legal = `${c.legalFirstName} ${c.legalLastName}`;
  return c.preferredName && c.preferredName !== c.legalFirstName
    ? `${legal} (preferred name: ${c.preferredName})`
    : legal;
}

export function shortClientName(chart: ChartExport): string {
  return `${chart.client.legalFirstName} ${chart.client.legalLastName}`;
}

/** An instant as printed: '2026-11-27 14:05 EST' in the practice's time zone. */
export function when(chart: ChartExport, iso: string): string {
  return printedTime(new Date(iso), chart.practice.timeZone);
}

/** 'Dana Reyes, LCSW' for a clinician id; the id itself if the clinician is not in the export. */
export function clinicianName(chart: ChartExport, id: string | null): string {
  if (id === null) return '—';
  const c = chart.clinicians.find((x) => x.id === id);
  if (!c) return id;
  return c.credentials ? `${c.name}, ${c.credentials}` : c.name;
}

export function signatureBlock(
  chart: ChartExport,
  s: ChartSignature,
  role: SignatureBlock['role'],
): SignatureBlock {
  return {
    name: s.name,
    credentials: s.credentials,
    licenseNumber: s.licenseNumber,
    signedAt: when(chart, s.signedAt),
    role,
  };
}

/** The hash as stored, named by its algorithm. */
export function hashLabel(hash: string): string {
  return hash.includes(':') ? hash : `sha256:${hash}`;
}

export function inScope(chart: ChartExport, category: ReleaseCategory): boolean {
  return chart.scope.categories.includes(category);
}

export function purposeLabel(chart: ChartExport): string {
  switch (chart.scope.purpose) {
    case 'release':
      return 'Release of information to another provider';
    case 'client_copy':
      return "The client's copy of their own record (right of access, 45 CFR 164.524)";
    case 'practice_export':
      return 'Export of the practice’s records';
  }
}

export function recipientLabel(chart: ChartExport): string {
  if (chart.scope.recipient) return chart.scope.recipient;
  return chart.scope.purpose === 'client_copy' ? shortClientName(chart) : chart.practice.name;
}

/** 'All dates on record', 'From 2026-01-01', '2026-01-01 to 2026-06-30'. */
export function periodLabel(chart: ChartExport): string {
  const { from, to } = chart.scope;
  if (from && to) return `${from} to ${to}`;
  if (from) return `From ${from} to the date prepared`;
  if (to) return `From the start of the record to ${to}`;
  return 'All dates on record';
}

/** The categories released, in the standard order, by name. */
export function includedCategories(chart: ChartExport): string[] {
  return (Object.keys(RELEASE_CATEGORY_LABELS) as ReleaseCategory[])
    .filter((c) => inScope(chart, c))
    .map((c) => RELEASE_CATEGORY_LABELS[c]);
}

/** 'SOAP', 'DAP' ... or 'Narrative'. */
export function formatLabel(format: string | null): string {
  if (format === null) return '';
  return format === 'narrative' ? 'Narrative' : format.toUpperCase();
}

/** 'No-show' for 'no_show': the stored word, readable. */
export function words(value: string): string {
  const s = value.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
