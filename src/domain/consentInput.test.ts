import { describe, expect, it } from 'vitest';
import { checkConsent, type NewConsentInput } from './consentInput.js';
import { Invalid } from './errors.js';

const TODAY = '2026-11-27';
const base: NewConsentInput = {
  kind: 'release_of_information',
  categories: ['demographics'],
  recipient: { type: 'person', name: 'Dr Lee', contact: 'fax 555-0100' },
  purpose: 'Continuity of care',
  expiresOn: '2027-11-27',
  signedOn: TODAY,
  signer: 'client',
  signerName: 'Jordan Rivera',
  signatureMethod: 'typed',
};
const pathsOf = (input: NewConsentInput) => {
  try {
    checkConsent(input, TODAY);
    return [];
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    return (e.extra.errors as { path: string }[]).map((x) => x.path);
  }
};

describe('checkConsent', () => {
  it('accepts a complete release and takes effect on the signing day by default', () => {
    const c = checkConsent(base, TODAY);
    expect(c).toMatchObject({
      effectiveOn: TODAY,
      categories: ['demographics'],
      part2: false,
      signaturePngBytes: null,
    });
  });
  it('refuses a future signature, an expiry before the start, and a reversed records period', () => {
    expect(pathsOf({ ...base, signedOn: '2026-11-28', effectiveOn: '2026-11-28' })).toEqual(['signedOn']);
    expect(pathsOf({ ...base, effectiveOn: '2026-12-01', expiresOn: '2026-11-30' })).toEqual(['expiresOn']);
    expect(pathsOf({ ...base, recordsFrom: '2026-05-01', recordsTo: '2026-04-01' })).toEqual(['recordsTo']);
  });
  it('needs a recipient, purpose, expiry and categories for a release; never psychotherapy notes in it', () => {
    expect(
      pathsOf({ ...base, recipient: undefined, purpose: ' ', expiresOn: undefined, categories: [] }),
    ).toEqual(['recipient.name', 'recipient.contact', 'purpose', 'expiresOn', 'categories']);
    expect(pathsOf({ ...base, categories: ['demographics', 'psychotherapy_notes'] })).toEqual(['categories']);
    expect(pathsOf({ ...base, expiresOn: undefined, expiryEvent: 'End of treatment' })).toEqual([]);
  });
  it('keeps a psychotherapy-note authorization to psychotherapy notes only', () => {
    expect(
      pathsOf({ ...base, kind: 'psychotherapy_note_authorization', categories: ['progress_notes'] }),
    ).toEqual(['categories']);
    expect(
      checkConsent({ ...base, kind: 'psychotherapy_note_authorization', categories: [] }, TODAY).categories,
    ).toEqual(['psychotherapy_notes']);
  });
  it('a consent to care releases nothing; a guardian needs a relationship; a drawing must be a PNG', () => {
    const care = {
      kind: 'treatment' as const,
      signedOn: TODAY,
      signer: 'client' as const,
      signerName: 'Jo',
      signatureMethod: 'typed' as const,
    };
    expect(pathsOf({ ...care, categories: ['billing'] })).toEqual(['kind']);
    expect(pathsOf({ ...care, signer: 'guardian' })).toEqual(['signerRelationship']);
    expect(
      pathsOf({ ...care, signatureMethod: 'drawn', signaturePng: Buffer.from('GIF89a').toString('base64') }),
    ).toEqual(['signaturePng']);
    expect(pathsOf({ ...care, signatureMethod: 'drawn' })).toEqual(['signaturePng']);
  });
});
