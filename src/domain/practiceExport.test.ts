import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildManifest, clientPdfName, isResourceTypeName, practiceExportScope } from './practiceExport.js';

describe('practiceExportScope', () => {
  it('covers every category but psychotherapy notes, for the practice export purpose', () => {
    const scope = practiceExportScope();
    expect(scope.purpose).toBe('practice_export');
    expect(scope.categories.has('psychotherapy_notes')).toBe(false);
    expect([...scope.categories].sort()).toEqual(
      ['billing', 'demographics', 'diagnoses', 'measures', 'plans', 'progress_notes'].sort(),
    );
    expect(scope.from).toBeUndefined();
    expect(scope.to).toBeUndefined();
  });
});

describe('clientPdfName', () => {
  const id = '0190a0b0-0000-7000-8000-000000000001';
  it('uses the client code, made safe for a file name', () => {
    expect(clientPdfName({ id, clientCode: 'C-0042' }, () => false)).toBe('pdf/C-0042.pdf');
    expect(clientPdfName({ id, clientCode: '../../etc/passwd' }, () => false)).toBe('pdf/etc_passwd.pdf');
  });
  it('falls back to the id when the code has nothing usable or is taken', () => {
    expect(clientPdfName({ id, clientCode: '///' }, () => false)).toBe(`pdf/${id}.pdf`);
    expect(clientPdfName({ id, clientCode: 'C-1' }, (n) => n === 'pdf/C-1.pdf')).toBe(`pdf/${id}.pdf`);
  });
  it('never leaves the pdf/ folder whatever the code holds', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (code) => {
        const name = clientPdfName({ id, clientCode: code }, () => false);
        expect(name).toMatch(/^pdf\/[A-Za-z0-9-][A-Za-z0-9._-]*\.pdf$/);
        expect(name).not.toContain('..');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isResourceTypeName', () => {
  it('accepts FHIR type names only', () => {
    expect(isResourceTypeName('Patient')).toBe(true);
    expect(isResourceTypeName('../Patient')).toBe(false);
    expect(isResourceTypeName('patient')).toBe(false);
    expect(isResourceTypeName('')).toBe(false);
  });
});

describe('buildManifest', () => {
  it('is a Bulk Data style manifest with outputs sorted by type', () => {
    const m = buildManifest({
      transactionTime: new Date('2026-11-27T12:00:00Z'),
      exportId: null,
      practiceId: 'p',
      clients: 2,
      outputs: [
        { type: 'Patient', url: 'fhir/Patient.ndjson', count: 2 },
        { type: 'Encounter', url: 'fhir/Encounter.ndjson', count: 5 },
      ],
      pdfs: 2,
      skipped: [],
    });
    expect(m).toMatchObject({
      transactionTime: '2026-11-27T12:00:00.000Z',
      requiresAccessToken: false,
      output: [
        { type: 'Encounter', url: 'fhir/Encounter.ndjson', count: 5 },
        { type: 'Patient', url: 'fhir/Patient.ndjson', count: 2 },
      ],
      error: [],
    });
  });
});
