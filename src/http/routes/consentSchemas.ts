import { z } from 'zod';
import { CONSENT_KINDS, DISCLOSURE_FORMATS, LEGAL_BASES } from '../../domain/consents.js';
import { MAX_SIGNATURE_PNG_BYTES } from '../../domain/consentInput.js';
import { RELEASE_CATEGORIES } from '../../domain/releaseScope.js';
import { isoDate } from '../schemas.js';

// Request and response shapes of the consent, release and disclosure routes.

const category = z.enum(RELEASE_CATEGORIES);
const text = (max: number) => z.string().trim().max(max);

export const recipient = z
  .object({
    type: z.enum(['person', 'organization']),
    name: text(200),
    contact: text(500),
  })
  .strict();

export const newConsentBody = z
  .object({
    kind: z.enum(CONSENT_KINDS),
    categories: z.array(category).max(RELEASE_CATEGORIES.length).optional(),
    part2: z.boolean().optional(),
    recipient: recipient.optional(),
    purpose: text(1000).optional(),
    notes: text(2000).optional(),
    recordsFrom: isoDate.optional(),
    recordsTo: isoDate.optional(),
    effectiveOn: isoDate.optional(),
    expiresOn: isoDate.optional(),
    expiryEvent: text(300).optional(),
    signedOn: isoDate,
    signer: z.enum(['client', 'guardian']),
    signerName: text(200).min(1, 'Type the name of the person who signed'),
    signerRelationship: text(200).optional(),
    signatureMethod: z.enum(['typed', 'drawn', 'paper']),
    signaturePng: z
      .string()
      .max(Math.ceil(MAX_SIGNATURE_PNG_BYTES / 3) * 4 + 4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Base64 PNG without a data: prefix')
      .optional(),
  })
  .strict();

export const consentView = z.object({
  id: z.string(),
  kind: z.enum(CONSENT_KINDS),
  kindLabel: z.string(),
  status: z.enum(['active', 'expired', 'revoked', 'not_yet_effective']),
  categories: z.array(category),
  part2: z.boolean(),
  recipient: recipient.nullable(),
  purpose: z.string().nullable(),
  notes: z.string().nullable(),
  recordsFrom: z.string().nullable(),
  recordsTo: z.string().nullable(),
  effectiveOn: z.string(),
  expiresOn: z.string().nullable(),
  expiryEvent: z.string().nullable(),
  signedOn: z.string(),
  signer: z.enum(['client', 'guardian']),
  signerName: z.string(),
  signerRelationship: z.string().nullable(),
  signatureMethod: z.enum(['typed', 'drawn', 'paper']),
  recordedBy: z.object({ id: z.string(), name: z.string() }),
  recordedAt: z.string(),
  revokedOn: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revocationNote: z.string().nullable(),
  scanCount: z.number(),
  version: z.number(),
});

export const consentList = z.object({
  items: z.array(consentView),
  holdsPart2Records: z.boolean(),
  clientVersion: z.number(),
  today: z.string(),
  can: z.object({
    record: z.array(z.enum(CONSENT_KINDS)),
    release: z.boolean(),
    readDisclosures: z.boolean(),
    setPart2: z.boolean(),
  }),
});

export const revokeBody = z.object({ revokedOn: isoDate, note: text(1000).optional() }).strict();

export const scanView = z.object({
  id: z.string(),
  mediaType: z.enum(['application/pdf', 'image/png', 'image/jpeg']),
  byteSize: z.number(),
  sha256: z.string(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});

const releaseFields = {
  authorizationId: z.uuid().optional(),
  legalBasis: z
    .enum(LEGAL_BASES)
    .exclude(['authorization'])
    .optional()
    .describe(
      "Without an authorization. 'individual_request' is refused (422): the client's own copy is made under Record requests → copy of the record",
    ),
  recipient: recipient.optional(),
  categories: z.array(category).min(1, 'Choose at least one category').max(RELEASE_CATEGORIES.length),
  from: isoDate.optional(),
  to: isoDate.optional(),
  purpose: text(1000)
    .optional()
    .describe(
      "Required with a legal basis. Ignored under an authorization: the disclosure log records the authorization's own purpose",
    ),
};

export const releaseBody = z
  .object({ ...releaseFields, format: z.enum(['fhir', 'pdf']) })
  .strict()
  .refine((b) => (b.authorizationId === undefined) !== (b.legalBasis === undefined), {
    message: 'Give either an authorization or a legal basis',
    path: ['authorizationId'],
  });

export const outsideDisclosureBody = z
  .object({
    ...releaseFields,
    on: isoDate,
    format: z.enum(DISCLOSURE_FORMATS).exclude(['fhir']),
    description: text(500).min(1, 'Describe what was released'),
  })
  .strict()
  .refine((b) => (b.authorizationId === undefined) !== (b.legalBasis === undefined), {
    message: 'Give either an authorization or a legal basis',
    path: ['authorizationId'],
  });

export const disclosureView = z.object({
  id: z.string(),
  disclosedOn: z.string(),
  recipient,
  categories: z.array(category),
  description: z.string(),
  purpose: z.string(),
  basis: z.enum(LEGAL_BASES),
  basisLabel: z.string(),
  consentId: z.string().nullable(),
  accountable: z.boolean(),
  format: z.enum(DISCLOSURE_FORMATS),
  channel: z.enum(['casebook', 'outside']),
  recordsFrom: z.string().nullable(),
  recordsTo: z.string().nullable(),
  part2: z.boolean(),
  contentSha256: z.string().nullable(),
  releasedBy: z.string(),
  recordedAt: z.string(),
});

export const part2NoticeView = z.object({
  notice: z.string(),
  isDefault: z.boolean(),
  defaultNotice: z.string(),
  version: z.number(),
});
