import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readBundle } from './importBundle.js';
import { BundleUnreadable } from './importCommon.js';
import { detach, narrativeText } from './importDocuments.js';
import { chartBundle } from './chartBundle.js';
import {
  chartExportFixture,
  ADDENDUM_TEXT,
  NOTE1_ASSESSMENT,
} from '../../../test/support/chartExportFixture.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const LOINC = 'http://loinc.org';

/** A bundle from "another system": standard resources only, no Casebook extensions. */
function foreignBundle(extra: object[] = []) {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    meta: { source: 'Other EHR' },
    entry: [
      {
        resource: {
          resourceType: 'Patient',
          id: 'p1',
          name: [
            { use: 'official', family: 'Nguyen', given: ['Linh'] },
            { use: 'usual', given: ['Lin'] },
          ],
          birthDate: '1985-07-01',
          gender: 'female',
          telecom: [
            { system: 'phone', value: '555-010-7777', use: 'home' },
            { system: 'email', value: 'linh@example.test' },
          ],
          address: [{ line: ['1 Oak St'], city: 'Austin', state: 'TX', postalCode: '78701', country: 'USA' }],
        },
      },
      {
        resource: {
          resourceType: 'Practitioner',
          id: 'dr1',
          name: [{ given: ['Ada'], family: 'Stone' }],
          qualification: [{ code: { text: 'PhD' } }],
        },
      },
      {
        resource: {
          resourceType: 'Condition',
          id: 'c1',
          clinicalStatus: { coding: [{ code: 'active' }] },
          code: {
            coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'f43.10', display: 'PTSD' }],
          },
        },
      },
      {
        resource: {
          resourceType: 'Condition',
          id: 'c2',
          code: { coding: [{ system: 'http://snomed.info/sct', code: '1' }], text: 'Snomed only' },
        },
      },
      {
        resource: {
          resourceType: 'DocumentReference',
          id: 'd1',
          type: { coding: [{ system: LOINC, code: '11506-3' }] },
          date: '2024-03-01T15:00:00Z',
          author: [{ reference: 'Practitioner/dr1' }],
          content: [{ attachment: { contentType: 'text/plain', data: b64('Session went well.') } }],
          context: { encounter: [{ reference: 'Encounter/e1' }] },
        },
      },
      {
        resource: {
          resourceType: 'Observation',
          id: 'o1',
          code: { coding: [{ system: LOINC, code: '44261-6' }] },
          effectiveDateTime: '2024-03-01T15:00:00Z',
          valueQuantity: { value: 14 },
        },
      },
      { resource: { resourceType: 'Encounter', id: 'e1' } },
      { resource: { resourceType: 'MedicationStatement', id: 'm1' } },
      ...extra.map((resource) => ({ resource })),
    ],
  };
}

describe('readBundle: another system’s bundle', () => {
  it('maps Patient, ICD-10-CM Conditions, notes and totals; lists what it skips', () => {
    const plan = readBundle(foreignBundle());
    expect(plan.sourceSystem).toBe('Other EHR');
    expect(plan.client).toMatchObject({
      legalFirstName: 'Linh',
      legalLastName: 'Nguyen',
      preferredName: 'Lin',
      dateOfBirth: '1985-07-01',
      sex: 'female',
      phones: [{ kind: 'home', number: '555-010-7777', mayLeaveMessage: false }],
      email: 'linh@example.test',
      address: { line1: '1 Oak St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' },
    });
    expect(plan.diagnoses).toEqual([
      expect.objectContaining({ code: 'F43.10', rank: 'primary', status: 'active', sourceId: 'c1' }),
    ]);
    expect(plan.warnings).toEqual([expect.stringContaining('has no ICD-10-CM code')]);
    expect(plan.documents).toEqual([
      expect.objectContaining({
        kind: 'note',
        text: 'Session went well.',
        authorName: 'Ada Stone, PhD',
        loincCode: '11506-3',
        serviceDate: '2024-03-01',
      }),
    ]);
    // The kept resource names the author and drops the encounter (neither is imported).
    expect(plan.documents[0]?.resources[0]).toMatchObject({ author: [{ display: 'Ada Stone, PhD' }] });
    expect(JSON.stringify(plan.documents[0]?.resources)).not.toContain('Encounter/');
    expect(plan.measures).toEqual([
      {
        sourceId: 'o1',
        instrument: 'phq9',
        administeredAt: '2024-03-01T15:00:00.000Z',
        answers: {},
        complete: false,
        reportedTotal: 14,
      },
    ]);
    expect(plan.skipped).toEqual([
      { resourceType: 'Encounter', count: 1 },
      { resourceType: 'MedicationStatement', count: 1 },
    ]);
  });

  it('refuses psychotherapy-note resources and reports them', () => {
    const pn = {
      resourceType: 'DocumentReference',
      id: 'pn',
      meta: { security: [{ code: 'PSYTHPN' }] },
      content: [{ attachment: { contentType: 'text/plain', data: b64('private') } }],
    };
    const plan = readBundle(
      foreignBundle([pn, { resourceType: 'Basic', id: 'b', meta: { security: [{ code: 'PSYTHPN' }] } }]),
    );
    expect(plan.refused).toHaveLength(2);
    expect(JSON.stringify(plan.documents)).not.toContain('private');
  });

  it('refuses bundles it cannot read with BundleUnreadable only', () => {
    expect(() => readBundle({ resourceType: 'Patient' })).toThrow(BundleUnreadable);
    const twoPatients = foreignBundle([{ resourceType: 'Patient', birthDate: '1990-01-01' }]);
    expect(() => readBundle(twoPatients)).toThrow(/exactly one Patient/);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (junk) => {
        try {
          readBundle(junk);
          return false;
        } catch (err) {
          return err instanceof BundleUnreadable;
        }
      }),
    );
  });
});

describe('readBundle: Casebook’s own export', () => {
  it('reads the fixture chart’s notes, addendum, plan and scored measures', () => {
    const plan = readBundle(chartBundle(chartExportFixture()));
    const text = plan.documents.map((d) => d.text).join('\n');
    expect(text).toContain(NOTE1_ASSESSMENT);
    expect(text).toContain(ADDENDUM_TEXT);
    const addendum = plan.documents.find((d) => d.kind === 'addendum');
    expect(plan.documents.some((d) => d.sourceId === addendum?.parentSourceId && d.kind === 'note')).toBe(
      true,
    );
    expect(plan.documents.filter((d) => d.kind === 'plan').length).toBeGreaterThan(0);
    expect(plan.documents.filter((d) => d.signerName).length).toBe(
      plan.documents.filter((d) => d.signedAt).length,
    );
    expect(plan.measures.length).toBeGreaterThan(0);
    expect(plan.measures.every((m) => m.complete)).toBe(true);
    expect(plan.refused).toEqual([]);
  });
});

describe('helpers', () => {
  it('turns narrative into lines and people into names', () => {
    expect(narrativeText('<div><p><b>Goal</b></p><ul><li>Sleep &amp; rest</li></ul></div>')).toBe(
      'Goal\n• Sleep & rest',
    );
    expect(
      detach(
        { who: { reference: 'Practitioner/x' }, c: { reference: 'Condition/y', display: 'Dx' } },
        new Map([['Practitioner/x', 'Dr X']]),
      ),
    ).toEqual({
      who: { display: 'Dr X' },
      c: { display: 'Dx' },
    });
  });
});
