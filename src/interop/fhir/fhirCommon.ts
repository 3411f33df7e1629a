import { createHash } from 'node:crypto';

// Shared pieces of the FHIR R4 mapping (docs/export-format.md): the one base URL under which
// every Casebook-specific extension, code system and identifier system lives, references,
// codings, narrative and the security labels.

/**
 * The Casebook namespace. Extensions are `${CASEBOOK_FHIR}/StructureDefinition/<name>`, code
 * systems `${CASEBOOK_FHIR}/CodeSystem/<name>`, identifier systems
 * `${CASEBOOK_FHIR}/NamingSystem/<name>`; bundle entries' fullUrl is `${CASEBOOK_FHIR}/<Type>/<id>`
 * so the relative references inside resolve within the bundle. A namespace, not a server.
 */
export const CASEBOOK_FHIR = 'https://fhir.casebook.dev';
export const ext = (name: string) => `${CASEBOOK_FHIR}/StructureDefinition/${name}`;
export const codeSystem = (name: string) => `${CASEBOOK_FHIR}/CodeSystem/${name}`;
export const namingSystem = (name: string) => `${CASEBOOK_FHIR}/NamingSystem/${name}`;

export const LOINC = 'http://loinc.org';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const CPT = 'http://www.ama-assn.org/go/cpt';
export const UCUM = 'http://unitsofmeasure.org';
export const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const POS = 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set';
export const SIGNATURE_TYPE = 'urn:iso-astm:E1762-95:2013';

/** A FHIR resource as plain JSON. */
export interface Resource {
  resourceType: string;
  id: string;
  meta?: { security?: Coding[]; [k: string]: unknown };
  [key: string]: unknown;
}

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Reference {
  reference?: string;
  display?: string;
}

export interface Extension {
  url: string;
  [value: string]: unknown;
}

export const ref = (type: string, id: string, display?: string): Reference =>
  display ? { reference: `${type}/${id}`, display } : { reference: `${type}/${id}` };

export const concept = (system: string, code: string, display?: string, text?: string): CodeableConcept => ({
  coding: [display ? { system, code, display } : { system, code }],
  ...(text !== undefined ? { text } : {}),
});

/** A stable UUID made from parts (a re-export makes the same id): for resources Casebook has no row for. */
export function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // Shaped as a version-8 (custom) UUID so it is a valid id and a valid urn:uuid.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16] ?? '0', 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => ESCAPES[c] ?? c);

/** Generated narrative: a title and paragraphs (or list items), as XHTML FHIR accepts. */
export function narrative(parts: { h?: string; p?: string[]; li?: string[] }[]): {
  status: 'generated';
  div: string;
} {
  const body = parts
    .map((x) => {
      let out = x.h ? `<p><b>${escapeXml(x.h)}</b></p>` : '';
      for (const p of x.p ?? []) if (p.trim()) out += `<p>${escapeXml(p)}</p>`;
      if (x.li && x.li.length > 0) out += `<ul>${x.li.map((l) => `<li>${escapeXml(l)}</li>`).join('')}</ul>`;
      return out;
    })
    .join('');
  return {
    status: 'generated',
    div: `<div xmlns="http://www.w3.org/1999/xhtml">${body || '<p>(none)</p>'}</div>`,
  };
}

/** Sensitivity ETH (substance use information) and confidentiality R: resources of a Part 2 record. */
export const PART2_LABELS: Coding[] = [
  { system: ACT_CODE, code: 'ETH', display: 'substance abuse information sensitivity' },
  { system: CONFIDENTIALITY, code: 'R', display: 'restricted' },
];

/** Psychotherapy note information sensitivity plus confidentiality R. */
export const PSYCHOTHERAPY_LABELS: Coding[] = [
  { system: ACT_CODE, code: 'PSYTHPN', display: 'psychotherapy note information sensitivity' },
  { system: CONFIDENTIALITY, code: 'R', display: 'restricted' },
];

/** Adds security labels to a resource's meta (no duplicates). */
export function label(r: Resource, labels: Coding[]): Resource {
  const have = r.meta?.security ?? [];
  const add = labels.filter((l) => !have.some((h) => h.system === l.system && h.code === l.code));
  if (add.length > 0) r.meta = { ...(r.meta ?? {}), security: [...have, ...add] };
  return r;
}

export const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Drops undefined, null, empty strings and empty arrays/objects, so no element is present but empty. */
export function prune<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map((v) => prune(v as unknown)).filter((v) => !isEmpty(v)) as T;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v as unknown);
      if (!isEmpty(p)) out[k] = p;
    }
    return out as T;
  }
  return value;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}
