import { ext, LOINC, type Resource } from './fhirCommon.js';

// A canonical, comparable form of the clinical content of a chart export: demographics,
// conditions, goals, note texts and observations, with no ids, no export times and in a fixed
// order. An import round trip (export → import into another practice → export) must give the
// same value: that is how the importer proves it loses nothing.

export interface ClinicalContent {
  patient: {
    family: string;
    given: string[];
    birthDate: string;
    gender: string | null;
    recordNumber: string | null;
  } | null;
  conditions: {
    code: string;
    display: string;
    status: string;
    onset: string | null;
    abatement: string | null;
  }[];
  goals: { description: string; lifecycleStatus: string; targets: string[] }[];
  notes: { date: string; type: string; appends: boolean; text: string }[];
  observations: { code: string; date: string; value: string }[];
}

type AnyRecord = Record<string, unknown>;
const arr = (v: unknown): AnyRecord[] => (Array.isArray(v) ? (v as AnyRecord[]) : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function extValue(r: AnyRecord, name: string): unknown {
  const e = arr(r.extension).find((x) => x.url === ext(name));
  if (!e) return undefined;
  const key = Object.keys(e).find((k) => k.startsWith('value'));
  return key ? e[key] : undefined;
}

function firstCode(c: unknown, preferSystem?: string): string {
  const codings = arr((c as AnyRecord | undefined)?.coding);
  const pick = codings.find((x) => x.system === preferSystem) ?? codings[0];
  return pick
    ? `${str(pick.system) ?? ''}|${str(pick.code) ?? ''}`
    : (str((c as AnyRecord | undefined)?.text) ?? '');
}

function decode(data: unknown): string {
  return typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : '';
}

const isPsychotherapy = (r: AnyRecord) =>
  arr((r.meta as AnyRecord | undefined)?.security).some((s) => s.code === 'PSYTHPN');

function value(o: AnyRecord): string {
  const q = o.valueQuantity as AnyRecord | undefined;
  if (q) return String(q.value);
  if (o.valueCodeableConcept) return firstCode(o.valueCodeableConcept, LOINC);
  for (const k of ['valueInteger', 'valueString', 'valueBoolean']) {
    const v = o[k];
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return String(v);
  }
  return o.hasMember ? `members:${arr(o.hasMember).length}` : '';
}

const byJson = <T>(a: T, b: T) => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The clinical content of a Bundle (or of the resources of one chart, e.g. NDJSON lines). */
export function clinicalContent(input: { entry?: { resource?: Resource }[] } | Resource[]): ClinicalContent {
  const resources = (Array.isArray(input) ? input : (input.entry ?? []).map((e) => e.resource)).filter(
    (r): r is Resource => r !== undefined,
  ) as unknown as AnyRecord[];
  const of = (t: string) => resources.filter((r) => r.resourceType === t);

  const p = of('Patient')[0];
  const official = p ? (arr(p.name).find((n) => n.use === 'official') ?? arr(p.name)[0]) : undefined;
  const patient = p
    ? {
        family: str(official?.family) ?? '',
        given: arr(official?.given) as unknown as string[],
        birthDate: str(p.birthDate) ?? '',
        gender: str(p.gender),
        recordNumber: str(arr(p.identifier)[0]?.value),
      }
    : null;

  const conditions = of('Condition')
    .map((c) => ({
      code: firstCode(c.code),
      display: str((c.code as AnyRecord).text) ?? '',
      status:
        str(extValue(c, 'diagnosis-status')) ??
        `${firstCode(c.clinicalStatus)}/${firstCode(c.verificationStatus)}`,
      onset: str(c.onsetDateTime),
      abatement: str(c.abatementDateTime),
    }))
    .sort(byJson);

  const goals = of('Goal')
    .map((g) => ({
      description: str((g.description as AnyRecord).text) ?? '',
      lifecycleStatus: str(g.lifecycleStatus) ?? '',
      targets: arr(g.target)
        .map((t) => {
          const q = t.detailQuantity as AnyRecord | undefined;
          const detail = q ? `${str(q.comparator) ?? ''}${String(q.value)}` : (str(t.detailString) ?? '');
          return `${t.measure ? firstCode(t.measure) : ''} ${detail} due ${str(t.dueDate) ?? '-'}`.trim();
        })
        .sort(),
    }))
    .sort(byJson);

  const notes = of('DocumentReference')
    .filter((d) => !isPsychotherapy(d))
    .map((d) => {
      const text = arr(d.content)
        .map((c) => c.attachment as AnyRecord)
        .find((a) => str(a.contentType)?.startsWith('text/plain'));
      return {
        date: str(extValue(d, 'date-of-service')) ?? (str(d.date) ?? '').slice(0, 10),
        type: firstCode(d.type, LOINC),
        appends: arr(d.relatesTo).some((x) => x.code === 'appends'),
        text: decode(text?.data),
      };
    })
    .sort(byJson);

  const observations = of('Observation')
    .map((o) => ({
      code: firstCode(o.code, LOINC),
      date: str(o.effectiveDateTime) ?? '',
      value: value(o),
    }))
    .sort(byJson);

  return { patient, conditions, goals, notes, observations };
}
