import { isReleaseKind, type ConsentKind } from './consents.js';
import { Invalid } from './errors.js';
import type { ReleaseCategory } from './releaseScope.js';

/** Who receives released records (164.508(c)(1)(iii)). */
export interface Recipient {
  type: 'person' | 'organization';
  name: string;
  /** Address, phone, fax or e-mail: how the recipient is reached. */
  contact: string;
}

export interface NewConsentInput {
  kind: ConsentKind;
  categories?: ReleaseCategory[] | undefined;
  part2?: boolean | undefined;
  recipient?: Recipient | undefined;
  purpose?: string | undefined;
  notes?: string | undefined;
  recordsFrom?: string | undefined;
  recordsTo?: string | undefined;
  effectiveOn?: string | undefined;
  expiresOn?: string | undefined;
  expiryEvent?: string | undefined;
  signedOn: string;
  signer: 'client' | 'guardian';
  signerName: string;
  signerRelationship?: string | undefined;
  signatureMethod: 'typed' | 'drawn' | 'paper';
  /** Base64 PNG drawn on screen (signatureMethod 'drawn'), without a data: prefix. */
  signaturePng?: string | undefined;
}

export const MAX_SIGNATURE_PNG_BYTES = 200 * 1024;
export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The consent as it will be stored, after the kind's rules: what is not the kind's is dropped. */
export interface CheckedConsent extends NewConsentInput {
  categories: ReleaseCategory[];
  part2: boolean;
  effectiveOn: string;
  signaturePngBytes: Buffer | null;
}

/**
 * Checks a new consent against the rules of its kind and today's date (practice-local). Every
 * problem is reported at once, each naming its field, as a 422.
 */
export function checkConsent(input: NewConsentInput, today: string): CheckedConsent {
  const errors: { path: string; message: string }[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });
  const release = isReleaseKind(input.kind);
  const effectiveOn = input.effectiveOn ?? input.signedOn;
  let categories: ReleaseCategory[] = [];

  if (input.signedOn > today) err('signedOn', 'The signature date cannot be in the future');
  if (effectiveOn < input.signedOn)
    err('effectiveOn', 'A consent takes effect on or after the day it is signed');
  if (input.expiresOn && input.expiresOn < effectiveOn)
    err('expiresOn', 'The expiry date must be on or after the date it takes effect');
  if (input.recordsFrom && input.recordsTo && input.recordsFrom > input.recordsTo)
    err('recordsTo', 'The end of the records period must be on or after its start');
  if (input.signer === 'guardian' && !input.signerRelationship?.trim())
    err('signerRelationship', 'Say how the guardian or representative is related to the client');

  let png: Buffer | null = null;
  if (input.signatureMethod === 'drawn') {
    if (!input.signaturePng) err('signaturePng', 'Draw the signature, or choose a typed signature');
    else {
      png = Buffer.from(input.signaturePng, 'base64');
      if (png.length > MAX_SIGNATURE_PNG_BYTES || !png.subarray(0, 8).equals(PNG_MAGIC)) {
        err('signaturePng', 'The drawn signature must be a PNG image of at most 200 kB');
        png = null;
      }
    }
  }

  if (release) {
    if (!input.recipient?.name.trim())
      err('recipient.name', 'Name the person or organization who will receive the records');
    if (!input.recipient?.contact.trim())
      err('recipient.contact', "Give the recipient's address, phone or fax");
    if (!input.purpose?.trim())
      err('purpose', 'State the purpose of the release (or "at the request of the individual")');
    if (!input.expiresOn && !input.expiryEvent?.trim())
      err('expiresOn', 'An authorization needs an expiry date or an expiry event');
    if (input.kind === 'psychotherapy_note_authorization') {
      const others = (input.categories ?? []).filter((c) => c !== 'psychotherapy_notes');
      if (others.length > 0)
        err(
          'categories',
          'A psychotherapy-note authorization covers psychotherapy notes only; record a separate release for the rest',
        );
      categories = ['psychotherapy_notes'];
    } else {
      categories = [...new Set(input.categories ?? [])];
      if (categories.includes('psychotherapy_notes'))
        err('categories', 'Psychotherapy notes need their own psychotherapy-note authorization');
      if (categories.length === 0) err('categories', 'Choose what may be released');
    }
  } else if ((input.categories?.length ?? 0) > 0 || input.recipient || input.part2) {
    err('kind', 'A consent to care releases nothing: record a release of information for that');
  }

  if (errors.length > 0) throw new Invalid('Some fields need attention.', errors);
  return {
    ...input,
    categories,
    part2: release ? (input.part2 ?? false) : false,
    effectiveOn,
    signaturePngBytes: png,
  };
}
