import { RELEASE_CATEGORIES, type ExportScope } from './releaseScope.js';

/** Days a finished whole-practice archive stays on the server before housekeeping deletes it. */
export const PRACTICE_EXPORT_RETENTION_DAYS = 7;

/** Everything a practice holds about its clients except psychotherapy notes, all dates. */
export function practiceExportScope(): ExportScope {
  return {
    categories: new Set(RELEASE_CATEGORIES.filter((c) => c !== 'psychotherapy_notes')),
    purpose: 'practice_export',
  };
}

/**
 * Resource types that describe the practice rather than one client (staff, the practice
 * itself): every client's chart refers to them, the archive holds each of them once.
 */
export const PRACTICE_LEVEL_TYPES: ReadonlySet<string> = new Set([
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'Device',
]);

/** A FHIR resource type name, checked before it becomes part of a file name. */
export function isResourceTypeName(type: string): boolean {
  return /^[A-Z][A-Za-z]{1,63}$/.test(type);
}

/**
 * The archive entry of a client's PDF: the client code (never a name), made safe for a file
 * name; the client id when the code has nothing usable. Codes are unique per practice, and a
 * safe-name collision falls back to the id too (`taken`).
 */
export function clientPdfName(
  client: { id: string; clientCode: string },
  taken: (name: string) => boolean,
): string {
  const safe = client.clientCode
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '_')
    .slice(0, 80)
    .replace(/^[._]+/, '')
    .replace(/\.+$/, '');
  const byCode = safe ? `pdf/${safe}.pdf` : null;
  return byCode && !taken(byCode) ? byCode : `pdf/${client.id}.pdf`;
}

export interface ManifestOutput {
  type: string;
  url: string;
  count: number;
}

/**
 * The archive's manifest, shaped like a FHIR Bulk Data export manifest (transactionTime,
 * request, requiresAccessToken, output[], error[]) with Casebook's own additions under
 * `extension`. `url` is the entry's path inside the archive.
 */
export function buildManifest(m: {
  transactionTime: Date;
  exportId: string | null;
  practiceId: string;
  clients: number;
  outputs: ManifestOutput[];
  pdfs: number;
  /** Clients whose record could not be read (e.g. erased at retention expiry). */
  skipped: { clientId: string; reason: string }[];
}): Record<string, unknown> {
  return {
    transactionTime: m.transactionTime.toISOString(),
    request: 'casebook:practice-export',
    requiresAccessToken: false,
    output: [...m.outputs].sort((a, b) => a.type.localeCompare(b.type)),
    error: [],
    extension: {
      'casebook-format': 'practice-export/1',
      exportId: m.exportId,
      practiceId: m.practiceId,
      clients: m.clients,
      documents: { type: 'application/pdf', url: 'pdf/', count: m.pdfs },
      excluded: ['psychotherapy_notes'],
      skippedClients: m.skipped,
      documentation: 'docs/export-format.md#whole-practice-export',
    },
  };
}

export const ARCHIVE_README = `Casebook whole-practice export
==============================

This archive holds every client record of the practice except psychotherapy notes
(which HIPAA keeps apart from the record and which never leave Casebook in an export).

  manifest.json             what the archive holds, like a FHIR Bulk Data export manifest:
                            transactionTime, and output[] with type, url (path in this zip)
                            and count (lines) of each NDJSON file
  fhir/<Type>.ndjson        FHIR R4 resources, one JSON resource per line (Bulk Data style).
                            Practitioner and Organization appear once, not per client.
  pdf/<client code>.pdf     one readable chart per client, named by client code (or id),
                            never by name

The format is described in Casebook's docs/export-format.md, section
"Whole-practice export". This archive contains protected health information: keep it
encrypted at rest and delete copies you no longer need.
`;
