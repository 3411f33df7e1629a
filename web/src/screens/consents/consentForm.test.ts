import { describe, expect, it } from 'vitest';
import { blankConsent, consentInput } from './consentForm.js';

const TODAY = '2026-11-27';

describe('consentInput', () => {
  it('asks for the recipient, purpose, expiry and categories of a release, each by field', () => {
    const r = consentInput({ ...blankConsent('release_of_information', TODAY), signerName: 'Jo' }, TODAY);
    expect(r.errors && Object.keys(r.errors).sort()).toEqual(
      ['categories', 'expiresOn', 'purpose', 'recipient.contact', 'recipient.name'].sort(),
    );
  });
  it('builds a release body, keeping psychotherapy-note authorizations to their one category', () => {
    const r = consentInput(
      {
        ...blankConsent('psychotherapy_note_authorization', TODAY),
        categories: ['psychotherapy_notes', 'billing'],
        recipientName: 'Dr Lee',
        recipientContact: 'fax 555',
        purpose: 'Second opinion',
        expiresOn: '2027-01-01',
        signerName: 'Jo',
      },
      TODAY,
    );
    expect(r.input).toMatchObject({
      categories: ['psychotherapy_notes'],
      recipient: { name: 'Dr Lee' },
      expiresOn: '2027-01-01',
    });
  });
  it('sends no release fields for a consent to care and needs a guardian relationship and a drawing when chosen', () => {
    const care = consentInput(
      { ...blankConsent('telehealth', TODAY), signerName: 'Jo', recipientName: 'x' },
      TODAY,
    );
    expect(care.input).toEqual({
      kind: 'telehealth',
      signedOn: TODAY,
      signer: 'client',
      signerName: 'Jo',
      signatureMethod: 'typed',
    });
    const g = consentInput(
      {
        ...blankConsent('treatment', TODAY),
        signerName: 'Pat',
        signer: 'guardian',
        signatureMethod: 'drawn',
        signedOn: '2026-11-28',
      },
      TODAY,
    );
    expect(g.errors && Object.keys(g.errors).sort()).toEqual([
      'signaturePng',
      'signedOn',
      'signerRelationship',
    ]);
  });
});
