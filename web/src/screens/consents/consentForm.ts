import type { NewConsentInput } from '../../api/consentsApi.js';
import type { ConsentKind } from '../../../../src/domain/consents.js';
import type { ReleaseCategory } from '../../../../src/domain/releaseScope.js';

export interface ConsentForm {
  kind: ConsentKind;
  categories: ReleaseCategory[];
  part2: boolean;
  recipientType: 'person' | 'organization';
  recipientName: string;
  recipientContact: string;
  purpose: string;
  recordsFrom: string;
  recordsTo: string;
  effectiveOn: string;
  expiresOn: string;
  expiryEvent: string;
  signedOn: string;
  signer: 'client' | 'guardian';
  signerName: string;
  signerRelationship: string;
  signatureMethod: 'typed' | 'drawn' | 'paper';
  /** The drawn signature as a PNG data URL, or null. */
  drawing: string | null;
  notes: string;
}

export function blankConsent(kind: ConsentKind, today: string): ConsentForm {
  return {
    kind,
    categories: kind === 'psychotherapy_note_authorization' ? ['psychotherapy_notes'] : [],
    part2: false,
    recipientType: 'organization',
    recipientName: '',
    recipientContact: '',
    purpose: '',
    recordsFrom: '',
    recordsTo: '',
    effectiveOn: '',
    expiresOn: '',
    expiryEvent: '',
    signedOn: today,
    signer: 'client',
    signerName: '',
    signerRelationship: '',
    signatureMethod: 'typed',
    drawing: null,
    notes: '',
  };
}

export const isRelease = (kind: ConsentKind) =>
  kind === 'release_of_information' || kind === 'psychotherapy_note_authorization';

const PNG_PREFIX = 'data:image/png;base64,';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The form checked in the browser (the server checks again): the request body, or the errors to show. */
export function consentInput(
  f: ConsentForm,
  today: string,
): { input: NewConsentInput; errors: null } | { input: null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const release = isRelease(f.kind);
  if (!DATE.test(f.signedOn)) errors.signedOn = 'Enter the date it was signed';
  else if (f.signedOn > today) errors.signedOn = 'The signature date cannot be in the future';
  if (!f.signerName.trim()) errors.signerName = 'Type the name of the person who signed';
  if (f.signer === 'guardian' && !f.signerRelationship.trim())
    errors.signerRelationship = 'Say how the signer is related to the client';
  if (f.signatureMethod === 'drawn' && !f.drawing?.startsWith(PNG_PREFIX))
    errors.signaturePng = 'Draw the signature, or choose a typed signature';
  if (f.effectiveOn && f.effectiveOn < f.signedOn)
    errors.effectiveOn = 'It takes effect on or after the day it is signed';
  if (f.expiresOn && f.expiresOn < (f.effectiveOn || f.signedOn))
    errors.expiresOn = 'The expiry date must be on or after the date it takes effect';
  if (release) {
    if (!f.recipientName.trim()) errors['recipient.name'] = 'Name who will receive the records';
    if (!f.recipientContact.trim())
      errors['recipient.contact'] = "Give the recipient's address, phone or fax";
    if (!f.purpose.trim()) errors.purpose = 'State the purpose of the release';
    if (!f.expiresOn && !f.expiryEvent.trim()) errors.expiresOn = 'Give an expiry date or an expiry event';
    if (f.kind === 'release_of_information' && f.categories.length === 0)
      errors.categories = 'Choose what may be released';
    if (f.recordsFrom && f.recordsTo && f.recordsFrom > f.recordsTo)
      errors.recordsTo = 'The end of the period must be on or after its start';
  }
  if (Object.keys(errors).length > 0) return { input: null, errors };
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  const input: NewConsentInput = {
    kind: f.kind,
    signedOn: f.signedOn,
    signer: f.signer,
    signerName: f.signerName.trim(),
    signatureMethod: f.signatureMethod,
  };
  const set = <K extends keyof NewConsentInput>(k: K, v: NewConsentInput[K] | undefined) => {
    if (v !== undefined) input[k] = v;
  };
  set('signerRelationship', f.signer === 'guardian' ? opt(f.signerRelationship) : undefined);
  set('signaturePng', f.signatureMethod === 'drawn' ? f.drawing?.slice(PNG_PREFIX.length) : undefined);
  set('effectiveOn', opt(f.effectiveOn));
  set('expiresOn', opt(f.expiresOn));
  set('notes', opt(f.notes));
  if (release) {
    input.categories = f.kind === 'psychotherapy_note_authorization' ? ['psychotherapy_notes'] : f.categories;
    input.part2 = f.part2;
    input.recipient = {
      type: f.recipientType,
      name: f.recipientName.trim(),
      contact: f.recipientContact.trim(),
    };
    input.purpose = f.purpose.trim();
    set('expiryEvent', opt(f.expiryEvent));
    set('recordsFrom', opt(f.recordsFrom));
    set('recordsTo', opt(f.recordsTo));
  }
  return { input, errors: null };
}
