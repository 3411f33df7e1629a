import type { z } from 'zod';
import { BundleUnreadable, extValue, isPsychotherapyNote, parseAs, type Entry } from './importCommon.js';
import {
  bundleShape,
  conditionShape,
  patientShape,
  practitionerShape,
  type FhirPatient,
} from './importShapes.js';
import { calendarDay, readDocuments, type ImportDocument } from './importDocuments.js';
import { readMeasures, type ImportMeasure } from './importMeasures.js';

// A FHIR R4 Bundle (Casebook's own export, or another system's using the same standard
// resources) read into what one new client record will hold. Pure: no database, no catalog;
// the service checks codes and writes. Anything not understood is listed, never guessed at.

export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

export interface ImportDiagnosis {
  sourceId: string | null;
  code: string;
  description: string;
  rank: 'primary' | 'secondary';
  status: 'active' | 'resolved' | 'rule_out' | 'entered_in_error';
  onsetDate: string | null;
  resolvedDate: string | null;
  comment: string | null;
}

export interface FhirImportPlan {
  sourceSystem: string;
  /** A create-client body, checked by the caller with the API's create-client schema. */
  client: Record<string, unknown> & { legalFirstName: string; legalLastName: string; dateOfBirth: string };
  /** A Casebook record number from the source, if it had one. */
  clientCode: string | null;
  diagnoses: ImportDiagnosis[];
  documents: ImportDocument[];
  measures: ImportMeasure[];
  warnings: string[];
  /** Resources refused and not imported: psychotherapy notes. */
  refused: string[];
  skipped: { resourceType: string; count: number }[];
}

/** Practitioner names by "Practitioner/<id>", for authors and signers the bundle names only by reference. */
export function practitionerNames(entries: Entry[]): Map<string, string> {
  const names = new Map<string, string>();
  entries.forEach((r, i) => {
    if (r.resourceType !== 'Practitioner' || !r.id) return;
    const p = parseAs(practitionerShape, r, `bundle.entry.${i}.resource`);
    const n = p.name?.[0];
    const name = n?.text ?? [...(n?.given ?? []), n?.family].filter(Boolean).join(' ');
    const cred = p.qualification?.[0]?.code.text;
    if (name) names.set(`Practitioner/${r.id}`, cred ? `${name}, ${cred}` : name);
  });
  return names;
}

/** Reads and checks a bundle; throws BundleUnreadable for one that cannot become a client record. */
export function readBundle(input: unknown): FhirImportPlan {
  const bundle = parseAs(bundleShape, input, 'bundle');
  const entries = bundle.entry.map((e) => e.resource);
  const warnings: string[] = [];
  const refused: string[] = [];
  const patients = entries.flatMap((r, i) => (r.resourceType === 'Patient' ? [i] : []));
  if (patients.length !== 1)
    throw new BundleUnreadable('The bundle must hold exactly one Patient', [
      { path: 'bundle.entry', message: `Found ${patients.length} Patient resources` },
    ]);
  const pi = patients[0] ?? 0;
  const patient = parseAs(patientShape, entries[pi], `bundle.entry.${pi}.resource`);
  const names = practitionerNames(entries);
  const consumed = new Set<number>([pi]);

  const diagnoses: ImportDiagnosis[] = [];
  entries.forEach((r, i) => {
    if (r.resourceType !== 'Condition') return;
    consumed.add(i);
    if (isPsychotherapyNote(r)) {
      refused.push(`Condition ${r.id ?? i}: labelled psychotherapy note`);
      return;
    }
    const d = readCondition(parseAs(conditionShape, r, `bundle.entry.${i}.resource`), warnings);
    if (d) diagnoses.push(d);
  });
  fixPrimaries(diagnoses, warnings);

  const docs = readDocuments(entries, names, consumed, refused, warnings);
  const measures = readMeasures(entries, consumed, warnings);
  const supporting = new Set([
    'Organization',
    'Practitioner',
    'PractitionerRole',
    'Composition',
    'Provenance',
  ]);
  const skippedCounts = new Map<string, number>();
  entries.forEach((r, i) => {
    if (consumed.has(i) || supporting.has(r.resourceType)) return;
    if (isPsychotherapyNote(r)) refused.push(`${r.resourceType} ${r.id ?? i}: labelled psychotherapy note`);
    else skippedCounts.set(r.resourceType, (skippedCounts.get(r.resourceType) ?? 0) + 1);
  });
  const org = entries.find((r) => r.resourceType === 'Organization') as { name?: unknown } | undefined;
  const source = bundle.meta?.source ?? (typeof org?.name === 'string' ? org.name : null) ?? 'another system';
  return {
    sourceSystem: source.slice(0, 200),
    client: clientBody(patient, warnings),
    clientCode: clientCodeOf(patient),
    diagnoses,
    documents: docs,
    measures,
    warnings,
    refused,
    skipped: [...skippedCounts].map(([resourceType, count]) => ({ resourceType, count })),
  };
}

const SEX: Record<string, 'female' | 'male' | 'intersex' | 'unknown'> = {
  female: 'female',
  male: 'male',
  intersex: 'intersex',
  unknown: 'unknown',
};
const PHONE_KIND: Record<string, 'mobile' | 'home' | 'work' | 'other'> = {
  mobile: 'mobile',
  home: 'home',
  work: 'work',
};

const CLIENT_CODE_SYSTEM = 'https://fhir.casebook.dev/NamingSystem/client-code';
const CLIENT_CODE = /^C-[2-9A-HJKMNP-Z]{6}$/;

/** The record number another Casebook gave the client, kept when the new practice does not use it. */
function clientCodeOf(p: FhirPatient): string | null {
  const ids = (p as { identifier?: { system?: unknown; value?: unknown }[] }).identifier ?? [];
  const v = ids.find((x) => x.system === CLIENT_CODE_SYSTEM)?.value;
  return typeof v === 'string' && CLIENT_CODE.test(v) ? v : null;
}

function clientBody(p: FhirPatient, warnings: string[]): FhirImportPlan['client'] {
  const official =
    p.name?.find((n) => n.use === 'official') ?? p.name?.find((n) => n.use !== 'usual') ?? p.name?.[0];
  const usual = p.name?.find((n) => n.use === 'usual' && n !== official);
  const s = (name: string) => {
    const v = extValue(p.extension, name);
    return typeof v === 'string' && v.trim() ? v.trim() : null;
  };
  const recordedSex = s('recorded-sex');
  const sex = (recordedSex && SEX[recordedSex]) ?? (p.gender ? (SEX[p.gender] ?? null) : null);
  if (p.gender === 'other' && !recordedSex)
    warnings.push('Patient gender "other" was not mapped to a sex; check the record');
  const phones = (p.telecom ?? [])
    .filter((t) => t.system === 'phone' && t.value)
    .slice(0, 5)
    .map((t) => ({
      kind: PHONE_KIND[t.use ?? ''] ?? 'other',
      number: t.value ?? '',
      mayLeaveMessage: false,
    }));
  const a = p.address?.[0];
  let country = (a?.country ?? 'US').toUpperCase();
  if (country === 'USA') country = 'US';
  if (a && country.length !== 2) {
    warnings.push(`Address country "${a.country ?? ''}" is not a two-letter code; US was used`);
    country = 'US';
  }
  const lang = p.communication?.[0]?.language;
  const contacts = ((p as { contact?: unknown[] }).contact ?? []).slice(0, 20).flatMap((raw) => {
    const k = raw as {
      name?: { text?: string; given?: string[]; family?: string };
      relationship?: { text?: string; coding?: { code?: string }[] }[];
      telecom?: { system?: string; value?: string }[];
    };
    const name = k.name?.text ?? [...(k.name?.given ?? []), k.name?.family].filter(Boolean).join(' ');
    if (!name) return [];
    const rel = k.relationship?.find((x) => x.text)?.text ?? 'Contact';
    return [
      {
        name,
        relationship: rel,
        phone: k.telecom?.find((t) => t.system === 'phone')?.value ?? null,
        email: k.telecom?.find((t) => t.system === 'email')?.value ?? null,
        isEmergency: Boolean(k.relationship?.some((x) => x.coding?.some((c) => c.code === 'C'))),
        mayContact: false,
      },
    ];
  });
  return {
    legalFirstName: official?.given?.[0] ?? '',
    legalLastName: official?.family ?? '',
    preferredName: usual?.given?.[0] ?? null,
    pronouns: s('pronouns'),
    dateOfBirth: p.birthDate,
    genderIdentity: s('gender-identity'),
    sex,
    phones,
    email: p.telecom?.find((t) => t.system === 'email')?.value ?? null,
    address: a
      ? {
          line1: a.line?.[0] ?? '',
          ...(a.line?.[1] ? { line2: a.line[1] } : {}),
          city: a.city ?? '',
          state: a.state ?? '',
          postalCode: a.postalCode ?? '',
          country,
        }
      : null,
    preferredLanguage: lang?.text ?? lang?.coding?.[0]?.display ?? null,
    referralSource: s('referral-source'),
    intakeDate: s('intake-date'),
    contacts,
  };
}

const STATUSES = new Set(['active', 'resolved', 'rule_out', 'entered_in_error']);

function readCondition(c: z.infer<typeof conditionShape>, warnings: string[]): ImportDiagnosis | null {
  const coding = c.code?.coding?.find((x) => x.system === ICD10CM && x.code);
  if (!coding?.code) {
    warnings.push(
      `Condition ${c.id ?? ''} "${c.code?.text ?? 'no text'}" has no ICD-10-CM code and was not imported`.replace(
        '  ',
        ' ',
      ),
    );
    return null;
  }
  const clinical = c.clinicalStatus?.coding?.[0]?.code;
  const verification = c.verificationStatus?.coding?.[0]?.code;
  const ours = extValue(c.extension, 'diagnosis-status');
  const status: ImportDiagnosis['status'] =
    typeof ours === 'string' && STATUSES.has(ours)
      ? (ours as ImportDiagnosis['status'])
      : verification === 'entered-in-error'
        ? 'entered_in_error'
        : verification === 'provisional' || verification === 'differential'
          ? 'rule_out'
          : clinical === 'resolved' || clinical === 'inactive' || clinical === 'remission'
            ? 'resolved'
            : 'active';
  const rank = extValue(c.extension, 'diagnosis-rank') === 'primary' ? 'primary' : 'secondary';
  return {
    sourceId: c.id ?? null,
    code: coding.code.trim().toUpperCase(),
    description: coding.display ?? c.code?.text ?? coding.code,
    rank,
    status,
    // Only a day that exists on the calendar: '2026-13-45' passes the dateTime pattern, not PostgreSQL.
    onsetDate: calendarDay(c.onsetDateTime?.slice(0, 10)),
    resolvedDate: status === 'resolved' ? calendarDay(c.abatementDateTime?.slice(0, 10)) : null,
    comment: c.note?.[0]?.text ?? null,
  };
}

/** One active primary at most (Casebook's rule): later ones become secondary, with a warning. */
function fixPrimaries(ds: ImportDiagnosis[], warnings: string[]): void {
  let seen = false;
  for (const d of ds) {
    if (d.rank !== 'primary' || d.status !== 'active') continue;
    if (seen) {
      d.rank = 'secondary';
      warnings.push(
        `Diagnosis ${d.code} was a second active primary diagnosis; it was imported as secondary`,
      );
    }
    seen = true;
  }
  if (!seen) {
    const first = ds.find((d) => d.status === 'active');
    if (first && !ds.some((d) => d.rank === 'primary')) first.rank = 'primary';
  }
}
