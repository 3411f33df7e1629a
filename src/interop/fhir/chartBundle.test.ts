import { beforeAll, describe, expect, it } from 'vitest';
import { chartBundle, chartResources, type Bundle } from './chartBundle.js';
import { clinicalContent } from './clinicalContent.js';
import { ext, type Resource } from './fhirCommon.js';
import {
  ADDENDUM_TEXT,
  chartExportFixture,
  CORRECTION_TEXT,
  DENIAL_TEXT,
  DISAGREEMENT_TEXT,
  IDS,
  NOTE1_ASSESSMENT,
  PSYCHOTHERAPY_TEXT,
  withPsychotherapyNote,
} from '../../../test/support/chartExportFixture.js';
import {
  bundleResources,
  danglingReferences,
  describeProblems,
  validateFhirBundle,
  validateFhirResource,
} from '../../../test/support/fhirValidation.js';

// The FHIR mapping of a hand-built chart: every resource valid for both validators, no dangling
// reference, the codes the format documents, Part 2 labels and psychotherapy-note handling.

let bundle: Bundle;
let resources: Resource[];
const of = (t: string) => resources.filter((r) => r.resourceType === t);
const byId = (t: string, id: string): Resource => {
  const r = resources.find((x) => x.resourceType === t && x.id === id);
  if (!r) throw new Error(`${t}/${id} missing`);
  return r;
};
/** The value at a path of keys and array indexes inside FHIR JSON (undefined when absent). */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const k of path)
    v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}
const refs = (v: unknown) => (v as { reference: string }[]).map((r) => r.reference);
const decode = (s: string) => Buffer.from(s, 'base64').toString('utf8');

beforeAll(() => {
  validateFhirResource({ resourceType: 'Basic', id: 'warm-up', code: { text: 'x' } });
  bundle = chartBundle(chartExportFixture());
  resources = bundleResources(bundle) as Resource[];
}, 60_000);

describe('chart bundle', () => {
  it('is a document whose every resource passes both validators, with no dangling reference', () => {
    const problems = validateFhirBundle(bundle);
    expect(problems, describeProblems(problems)).toEqual([]);
    expect(bundle.type).toBe('document');
    expect(bundle.entry[0]?.resource.resourceType).toBe('Composition');
    expect(danglingReferences(resources)).toEqual([]);
    const fullUrls = bundle.entry.map((e) => e.fullUrl);
    expect(new Set(fullUrls).size).toBe(fullUrls.length);
  });

  it('uses the Casebook ids and gives the same bundle twice', () => {
    expect(byId('Patient', IDS.client).birthDate).toBe('1990-04-12');
    expect(of('Encounter').map((e) => e.id)).toEqual([IDS.session1, IDS.session2]);
    expect(chartBundle(chartExportFixture())).toEqual(bundle);
  });

  it('maps sessions to Encounters with class, CPT type and period', () => {
    const office = byId('Encounter', IDS.session1);
    const video = byId('Encounter', IDS.session2);
    expect(at(office, 'class', 'code')).toBe('AMB');
    expect(at(video, 'class', 'code')).toBe('VR');
    expect(at(office, 'type', 0, 'coding', 0)).toMatchObject({
      system: 'http://www.ama-assn.org/go/cpt',
      code: '90837',
    });
    expect(at(video, 'type', 0, 'extension')).toContainEqual({ url: ext('cpt-modifier'), valueCode: '95' });
    expect(office.period).toEqual({ start: '2026-10-05T15:02:00.000Z', end: '2026-10-05T15:55:00.000Z' });
    expect(office.status).toBe('finished');
  });

  it('maps diagnoses to problem-list Conditions in ICD-10-CM', () => {
    const gad = byId('Condition', IDS.dxF41);
    expect(at(gad, 'code', 'coding', 0)).toEqual({
      system: 'http://hl7.org/fhir/sid/icd-10-cm',
      code: 'F41.1',
      display: 'Generalized anxiety disorder',
    });
    expect(at(gad, 'category', 0, 'coding', 0, 'code')).toBe('problem-list-item');
    expect(at(gad, 'clinicalStatus', 'coding', 0, 'code')).toBe('active');
    const resolved = byId('Condition', IDS.dxF32);
    expect(at(resolved, 'clinicalStatus', 'coding', 0, 'code')).toBe('resolved');
    expect(resolved.abatementDateTime).toBe('2026-10-30');
  });

  it('leaves the clinical status off a diagnosis entered in error (and it still validates)', () => {
    const chart = chartExportFixture();
    const dx = chart.diagnoses[0];
    if (!dx) throw new Error('fixture');
    dx.status = 'entered_in_error';
    const cond = chartResources(chart).find((r) => r.id === IDS.dxF41);
    expect(cond?.clinicalStatus).toBeUndefined();
    expect(at(cond, 'verificationStatus', 'coding', 0, 'code')).toBe('entered-in-error');
    expect(cond && validateFhirResource(cond)).toEqual([]);
  });

  it('maps plan versions to CarePlans with narrative and Goals with measure targets', () => {
    const current = byId('CarePlan', IDS.planV2);
    expect(current).toMatchObject({ status: 'active', intent: 'plan' });
    expect(at(current, 'category', 0, 'coding', 0, 'code')).toBe('assess-plan');
    expect(at(current, 'text', 'div')).toContain('Reduce anxiety to a manageable level');
    expect(current.replaces).toEqual([{ reference: `CarePlan/${IDS.planV1}` }]);
    expect(byId('CarePlan', IDS.planV1).status).toBe('revoked');
    const goals = refs(current.goal).map((r) => byId('Goal', r.slice(5)));
    const goal = goals.find((g) => at(g, 'category', 0, 'coding', 0, 'code') === 'goal');
    expect(goal?.lifecycleStatus).toBe('active');
    expect(at(goal, 'target', 0)).toMatchObject({
      measure: { coding: [{ system: 'http://loinc.org', code: '44261-6' }] },
      detailQuantity: { value: 5, comparator: '<' },
      dueDate: '2027-03-01',
    });
    expect(goal?.addresses).toEqual([{ reference: `Condition/${IDS.dxF41}` }]);
    const stored = (current.extension as { url: string; valueString?: string }[]).find(
      (e) => e.url === ext('plan-content'),
    );
    expect(JSON.parse(stored?.valueString ?? '')).toEqual(chartExportFixture().planVersions[1]?.content);
  });

  it('carries each note as readable text and its structured fields, with addendum and signatures', () => {
    const doc = byId('DocumentReference', IDS.note1);
    expect(at(doc, 'type', 'coding', 0)).toMatchObject({ system: 'http://loinc.org', code: '11506-3' });
    expect(at(doc, 'context', 'encounter')).toEqual([{ reference: `Encounter/${IDS.session1}` }]);
    expect(doc.authenticator).toEqual({ reference: `Practitioner/${IDS.sam}` });
    expect(decode(at(doc, 'content', 0, 'attachment', 'data') as string)).toContain(NOTE1_ASSESSMENT);
    const json = JSON.parse(decode(at(doc, 'content', 1, 'attachment', 'data') as string)) as {
      content: unknown;
    };
    expect(json.content).toEqual(chartExportFixture().notes[0]?.content);
    const addendum = byId('DocumentReference', IDS.addendum);
    expect(addendum.relatesTo).toEqual([
      { code: 'appends', target: { reference: `DocumentReference/${IDS.note1}` } },
    ]);
    expect(decode(at(addendum, 'content', 0, 'attachment', 'data') as string)).toContain(ADDENDUM_TEXT);
    const prov = of('Provenance').find((x) => refs(x.target)[0] === `DocumentReference/${IDS.note1}`);
    expect([
      at(prov, 'agent', 0, 'type', 'coding', 0, 'code'),
      at(prov, 'agent', 1, 'type', 'coding', 0, 'code'),
    ]).toEqual(['author', 'verifier']);
    expect(at(prov, 'signature', 0, 'extension')).toContainEqual({
      url: ext('content-hash'),
      valueString: `sha256:${'01'.repeat(32)}`,
    });
    expect(at(prov, 'signature', 1, 'who', 'reference')).toBe(`Practitioner/${IDS.dana}`);
  });

  it('carries amendment requests with their decision and statements, linked to the disputed record', () => {
    const onNote = byId('DocumentReference', IDS.amendNote);
    expect(onNote.status).toBe('current');
    expect(onNote.type).toEqual({ text: 'Amendment request' });
    expect(onNote.subject).toEqual({ reference: `Patient/${IDS.client}` });
    expect(onNote.date).toBe('2026-11-02T15:00:00.000Z');
    expect(onNote.relatesTo).toEqual([
      { code: 'appends', target: { reference: `DocumentReference/${IDS.note1}` } },
    ]);
    const text = decode(at(onNote, 'content', 0, 'attachment', 'data') as string);
    expect(text).toContain('Denied because: Accurate and complete');
    expect(text).toContain(DENIAL_TEXT);
    expect(text).toContain(`Statement of disagreement (client), received 2026-11-02`);
    expect(text).toContain(DISAGREEMENT_TEXT);
    const onDx = byId('DocumentReference', IDS.amendDiagnosis);
    expect(onDx.relatesTo).toBeUndefined();
    expect(at(onDx, 'context', 'related', 0, 'reference')).toBe(`Condition/${IDS.dxF41}`);
    expect(decode(at(onDx, 'content', 0, 'attachment', 'data') as string)).toContain(CORRECTION_TEXT);
    const sections = at(bundle.entry[0]?.resource, 'section') as { title: string; entry: unknown }[];
    expect(sections.find((x) => x.title === 'Amendment requests')?.entry).toEqual([
      { reference: `DocumentReference/${IDS.amendNote}` },
      { reference: `DocumentReference/${IDS.amendDiagnosis}` },
    ]);
    expect(refs(sections.find((x) => x.title === 'Progress notes')?.entry)).not.toContain(
      `DocumentReference/${IDS.amendNote}`,
    );
    // A request about a note the chart does not carry names no note (the loader leaves it out anyway).
    const chart = chartExportFixture();
    chart.notes = chart.notes.filter((n) => n.id !== IDS.note1);
    const dangling = danglingReferences(bundleResources(chartBundle(chart)));
    expect(dangling.filter((x) => x.includes(IDS.amendNote))).toEqual([]);
  });

  it('maps a measure to a QuestionnaireResponse and survey Observations with the instrument LOINC codes', () => {
    const panel = byId('Observation', IDS.measure);
    expect(at(panel, 'code', 'coding', 0)).toMatchObject({ system: 'http://loinc.org', code: '44249-1' });
    expect(at(panel, 'category', 0, 'coding', 0, 'code')).toBe('survey');
    const members = refs(panel.hasMember);
    expect(members).toHaveLength(11);
    const total = byId('Observation', (members[0] ?? '').slice(12));
    expect(at(total, 'code', 'coding', 0, 'code')).toBe('44261-6');
    expect(at(total, 'valueQuantity', 'value')).toBe(9);
    const qr = byId('QuestionnaireResponse', IDS.measure);
    expect(qr.item).toHaveLength(10);
    expect(at(qr, 'item', 8, 'linkId')).toBe('q9');
    expect(byId('Flag', IDS.alert).status).toBe('inactive');
  });

  it('labels nothing as Part 2 without a notice, and everything of the record with one', () => {
    expect(JSON.stringify(bundle)).not.toContain('"ETH"');
    const chart = {
      ...chartExportFixture(),
      part2Notice: '42 CFR part 2 prohibits unauthorized disclosure of these records.',
    };
    const p2 = chartBundle(chart);
    const rs = bundleResources(p2) as Resource[];
    for (const r of rs.filter((x) => !['Organization', 'Practitioner'].includes(x.resourceType)))
      expect(
        r.meta?.security?.map((s) => s.code),
        `${r.resourceType}/${r.id}`,
      ).toContain('ETH');
    expect(at(rs[0], 'section', 0, 'title')).toBe('42 CFR Part 2 notice');
    expect(at(rs[0], 'section', 0, 'text', 'div')).toContain(
      '42 CFR part 2 prohibits unauthorized disclosure',
    );
    const problems = validateFhirBundle(p2);
    expect(problems, describeProblems(problems)).toEqual([]);
  });

  it('carries a psychotherapy note only when the chart holds one, labelled PSYTHPN', () => {
    const pn = chartBundle(withPsychotherapyNote(chartExportFixture()));
    expect(at(bundleResources(pn)[0], 'confidentiality')).toBe('R');
    const doc = bundleResources(pn).find((r) => r.id === IDS.psychotherapyNote) as Resource;
    expect(doc.meta?.security?.map((s) => s.code)).toEqual(['PSYTHPN', 'R']);
    expect(JSON.stringify(pn)).toContain(Buffer.from(PSYCHOTHERAPY_TEXT).toString('base64'));
    expect(validateFhirResource(doc)).toEqual([]);
  });

  it('keeps only the identifying fields of a chart without demographics', () => {
    const chart = chartExportFixture();
    chart.client = {
      ...chart.client,
      demographicsIncluded: false,
      sex: null,
      phones: [],
      email: null,
      address: null,
      status: null,
      careTeam: [],
      preferredName: null,
      pronouns: null,
      genderIdentity: null,
      preferredLanguage: null,
      referralSource: null,
      intakeDate: null,
      primaryClinicianId: null,
    };
    chart.contacts = [];
    const p = chartResources(chart).find((r) => r.resourceType === 'Patient') as Record<string, unknown>;
    expect(Object.keys(p).sort()).toEqual([
      'birthDate',
      'id',
      'identifier',
      'managingOrganization',
      'name',
      'resourceType',
    ]);
  });

  it('gives the whole-practice export the same resources without Composition, none dangling', () => {
    const rs = chartResources(chartExportFixture());
    expect(rs.some((r) => r.resourceType === 'Composition' || r.resourceType === 'Bundle')).toBe(false);
    expect(danglingReferences(rs as never)).toEqual([]);
    expect(rs.length).toBe(resources.length - 1);
  });
});

describe('clinicalContent', () => {
  it('extracts demographics, conditions, goals, note texts and observations without ids or export times', () => {
    const c = clinicalContent(bundle);
    expect(c.patient).toEqual({
      family: 'Morgan',
      given: ['Alex'],
      birthDate: '1990-04-12',
      gender: 'female',
      recordNumber: 'C-0042',
    });
    expect(c.conditions.map((x) => x.code)).toEqual([
      'http://hl7.org/fhir/sid/icd-10-cm|F32.0',
      'http://hl7.org/fhir/sid/icd-10-cm|F41.1',
    ]);
    expect(c.goals).toHaveLength(4);
    expect(c.notes.find((n) => n.appends)?.text).toContain(ADDENDUM_TEXT);
    expect(c.notes.some((n) => n.text.includes(NOTE1_ASSESSMENT))).toBe(true);
    expect(c.observations.find((o) => o.code === 'http://loinc.org|44261-6')?.value).toBe('9');
    const later = chartExportFixture();
    later.exportedAt = '2027-01-01T00:00:00.000Z';
    expect(clinicalContent(chartBundle(later))).toEqual(c);
    expect(clinicalContent(chartResources(later))).toEqual(c);
  });

  it('changes when a note text changes', () => {
    const chart = chartExportFixture();
    const n = chart.notes[1];
    if (!n) throw new Error('fixture');
    n.text = 'Different words';
    expect(clinicalContent(chartBundle(chart))).not.toEqual(clinicalContent(bundle));
  });
});
