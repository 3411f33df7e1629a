import { z } from 'zod';
import {
  AMENDMENT_TARGETS,
  COPY_FORMATS,
  DELIVERY_METHODS,
  DENIAL_BASES,
  RECEIVED_VIA,
  REQUESTERS,
  STATEMENT_KINDS,
} from '../../domain/recordRequests.js';
import { isoDate, shortText } from '../schemas.js';
import { reauthFields } from '../inlineReauth.js';

// Shapes of the copy-request and amendment-request API (routes in recordRequests.ts).

const dueState = z.enum(['closed', 'on_track', 'due_soon', 'overdue']);
const letter = (what: string) => z.string().trim().min(3, what).max(20_000);

export const copyRequestView = z.object({
  id: z.string(),
  clientId: z.string(),
  receivedOn: z.string(),
  receivedVia: z.enum(RECEIVED_VIA),
  format: z.enum(COPY_FORMATS),
  delivery: z.enum(DELIVERY_METHODS),
  requester: z.enum(REQUESTERS),
  representative: z.object({ name: z.string(), relationship: z.string() }).nullable(),
  dueOn: z.string(),
  extendedDueOn: z.string().nullable(),
  extensionReason: z.string().nullable(),
  extendedBy: z.string().nullable(),
  effectiveDueOn: z.string(),
  dueState,
  status: z.enum(['open', 'fulfilled']),
  copyProducedAt: z.string().nullable(),
  fulfilledOn: z.string().nullable(),
  fulfilledBy: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  version: z.number(),
});

export const amendmentView = z.object({
  id: z.string(),
  clientId: z.string(),
  receivedOn: z.string(),
  target: z.object({ kind: z.enum(AMENDMENT_TARGETS), id: z.string().nullable() }),
  change: z.string(),
  reason: z.string(),
  dueOn: z.string(),
  extendedDueOn: z.string().nullable(),
  extensionReason: z.string().nullable(),
  extendedBy: z.string().nullable(),
  effectiveDueOn: z.string(),
  dueState,
  status: z.enum(['open', 'accepted', 'denied']),
  decidedOn: z.string().nullable(),
  decidedBy: z.string().nullable(),
  addendumId: z.string().nullable(),
  correction: z.string().nullable(),
  correctionRef: z.string().nullable(),
  denialBasis: z.enum(DENIAL_BASES).nullable(),
  denialText: z.string().nullable(),
  statements: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(STATEMENT_KINDS),
      receivedOn: z.string(),
      text: z.string(),
      recordedBy: z.string(),
      recordedAt: z.string(),
    }),
  ),
  version: z.number(),
});

export const clientRequests = z.object({
  today: z.string(),
  copies: z.array(copyRequestView),
  amendments: z.array(amendmentView),
});

export const requestsDueView = z.object({
  today: z.string(),
  items: z.array(
    z.object({
      kind: z.enum(['copy', 'amendment']),
      id: z.string(),
      client: z.object({ id: z.string(), clientCode: z.string(), name: z.string() }),
      receivedOn: z.string(),
      effectiveDueOn: z.string(),
      extended: z.boolean(),
      dueState,
    }),
  ),
});

export const newCopyRequestBody = z
  .object({
    receivedOn: isoDate,
    receivedVia: z.enum(RECEIVED_VIA),
    format: z.enum(COPY_FORMATS),
    delivery: z.enum(DELIVERY_METHODS),
    requester: z.enum(REQUESTERS),
    representative: z
      .object({
        name: shortText(200).min(1, 'Enter the representative’s name'),
        relationship: shortText(200).min(1, 'Say how they represent the client'),
      })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

export const extensionBody = z
  .object({
    newDueOn: isoDate,
    reason: letter('Give the reason for the extension, as written to the client'),
  })
  .strict();

export const newAmendmentBody = z
  .object({
    receivedOn: isoDate,
    target: z.object({ kind: z.enum(AMENDMENT_TARGETS), id: z.uuid().nullable().optional() }).strict(),
    change: letter('Describe the change the client asks for'),
    reason: z.string().trim().max(20_000),
  })
  .strict();

export const acceptBody = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('addendum'),
      text: letter('Write the addendum'),
      ...reauthFields,
    })
    .strict(),
  z
    .object({
      kind: z.literal('correction'),
      text: letter('Describe the correction made'),
      correctionRef: z.uuid().nullable().optional(),
    })
    .strict(),
]);

export const denyBody = z
  .object({
    basis: z.enum(DENIAL_BASES),
    text: letter('Write the denial letter'),
  })
  .strict();

export const statementBody = z
  .object({
    kind: z.enum(STATEMENT_KINDS),
    receivedOn: isoDate,
    text: letter('Write the statement'),
  })
  .strict();

export const copyBody = z.object({ format: z.enum(['pdf', 'fhir']) }).strict();
