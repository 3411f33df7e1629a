import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as clients from '../../services/clientService.js';
import * as clientList from '../../services/clientListService.js';
import * as careTeam from '../../services/careTeamService.js';
import * as background from '../../services/backgroundService.js';
import { breakGlass } from '../../services/breakGlassService.js';
import { BACKGROUND_FIELDS } from '../../db/clientBackgroundRepo.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, ifMatchVersion, isoDate, optionalText, shortText, withEtag } from '../schemas.js';

const phone = z
  .object({
    kind: z.enum(['mobile', 'home', 'work', 'other']),
    number: z
      .string()
      .trim()
      .regex(/^[+()\d\s.-]{7,25}$/, 'Enter a phone number'),
    mayLeaveMessage: z.boolean().default(false),
  })
  .strict();
const address = z
  .object({
    line1: shortText(200).min(1, 'Enter the street address'),
    line2: shortText(200).optional(),
    city: shortText(100).min(1, 'Enter the city'),
    state: shortText(50),
    postalCode: shortText(20),
    country: shortText(2).default('US'),
  })
  .strict();
const contactInput = z
  .object({
    name: shortText(200).min(1, 'Enter the contact name'),
    relationship: shortText(100).min(1, 'Enter the relationship'),
    phone: optionalText(40),
    email: z
      .string()
      .trim()
      .email('Enter a valid email')
      .max(254)
      .nullable()
      .optional()
      .or(z.literal('').transform(() => null)),
    isEmergency: z.boolean().default(false),
    mayContact: z.boolean().default(false),
    notes: optionalText(500),
  })
  .strict();
const pastDate = isoDate.refine(
  (d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10),
  'Date must be between 1900 and today',
);

const demographicsFields = {
  legalFirstName: shortText(100).min(1, 'Enter the legal first name'),
  legalLastName: shortText(100).min(1, 'Enter the legal last name'),
  preferredName: optionalText(100),
  pronouns: optionalText(50),
  dateOfBirth: pastDate,
  genderIdentity: optionalText(100),
  sex: z.enum(['female', 'male', 'intersex', 'unknown']).nullable().optional(),
  phones: z.array(phone).max(5),
  email: z
    .string()
    .trim()
    .email('Enter a valid email')
    .max(254)
    .nullable()
    .optional()
    .or(z.literal('').transform(() => null)),
  address: address.nullable().optional(),
  preferredLanguage: optionalText(50),
  referralSource: optionalText(200),
  intakeDate: isoDate.nullable().optional(),
  contacts: z.array(contactInput).max(20),
};

/** The create-client body; CSV imports validate each row with it too. */
export const createBody = z
  .object({
    ...demographicsFields,
    phones: demographicsFields.phones.default([]),
    contacts: demographicsFields.contacts.default([]),
    primaryClinicianId: z.uuid().nullable().optional(),
  })
  .strict();
const updateBody = z.object(demographicsFields).partial().strict();

const contactView = z.object({
  id: z.uuid(),
  name: z.string(),
  relationship: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  isEmergency: z.boolean(),
  mayContact: z.boolean(),
  notes: z.string().nullable(),
});
const status = z.enum(['active', 'inactive', 'discharged']);
export const clientView = z.object({
  id: z.uuid(),
  clientCode: z.string(),
  legalFirstName: z.string(),
  legalLastName: z.string(),
  preferredName: z.string().nullable(),
  pronouns: z.string().nullable(),
  dateOfBirth: z.string(),
  genderIdentity: z.string().nullable(),
  sex: z.enum(['female', 'male', 'intersex', 'unknown']).nullable(),
  phones: z.array(z.object({ kind: z.string(), number: z.string(), mayLeaveMessage: z.boolean() })),
  email: z.string().nullable(),
  address: z
    .object({
      line1: z.string(),
      line2: z.string().optional(),
      city: z.string(),
      state: z.string(),
      postalCode: z.string(),
      country: z.string(),
    })
    .nullable(),
  preferredLanguage: z.string().nullable(),
  referralSource: z.string().nullable(),
  intakeDate: z.string().nullable(),
  status,
  statusReason: z.string().nullable(),
  primaryClinicianId: z.uuid().nullable(),
  contacts: z.array(contactView),
  careTeam: z.array(
    z.object({
      userId: z.uuid(),
      fullName: z.string(),
      credentials: z.string().nullable(),
      isPrimary: z.boolean(),
    }),
  ),
  access: z.object({
    grounds: z.string(),
    canEdit: z.boolean(),
    canSeeBackground: z.boolean(),
    canManageCareTeam: z.boolean(),
    canChangeStatus: z.boolean(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
const listItem = z.object({
  id: z.uuid(),
  clientCode: z.string(),
  displayName: z.string(),
  legalName: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  status,
  primaryClinicianName: z.string().nullable(),
  phone: z.string().nullable(),
});
const backgroundText = z.string().max(20_000);
const backgroundShape = Object.fromEntries(BACKGROUND_FIELDS.map((f) => [f, backgroundText])) as Record<
  (typeof BACKGROUND_FIELDS)[number],
  typeof backgroundText
>;
const backgroundView = z.object({
  ...backgroundShape,
  updatedAt: z.string(),
  updatedBy: z.uuid().nullable(),
  version: z.number(),
});

const listFilters = {
  status: status.optional(),
  clinicianId: z.uuid().optional(),
  sort: z.enum(['name', 'created', 'code', 'dob']).default('name'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
};
const listPage = z.object({
  items: z.array(listItem),
  nextCursor: z.string().nullable(),
  privacyMode: z.boolean(),
});

export const clientRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/clients',
    {
      schema: {
        tags: ['clients'],
        summary:
          'Client list, filtered and sorted (to search by name or other details, POST /api/v1/clients/search)',
        querystring: z.object(listFilters).strict(),
        response: { 200: listPage },
      },
    },
    async (req) => clientList.listClients(ctxOf(req, deps), req.query),
  );
  // Search text is PHI (a name, a date of birth, a phone number): it travels in the body, never
  // in a URL, where proxies and browser history would keep it.
  app.post(
    '/api/v1/clients/search',
    {
      schema: {
        tags: ['clients'],
        summary: 'Search clients by name, client code, date of birth (YYYY-MM-DD) or phone',
        body: z
          .object({
            ...listFilters,
            limit: listFilters.limit.pipe(z.number()),
            search: z.string().trim().max(100).optional(),
          })
          .strict(),
        response: { 200: listPage },
      },
    },
    async (req) => clientList.listClients(ctxOf(req, deps), req.body),
  );
  app.post(
    '/api/v1/clients',
    {
      schema: {
        tags: ['clients'],
        summary: 'Create a client',
        body: createBody,
        response: { 201: clientView },
      },
    },
    async (req, reply) => {
      const created = await clients.createClient(ctxOf(req, deps), req.body);
      reply.header('location', `/api/v1/clients/${created.id}`);
      return reply.status(201).send(withEtag(reply, created));
    },
  );
  app.get(
    '/api/v1/clients/:id',
    {
      schema: {
        tags: ['clients'],
        summary: 'A client record (audited view)',
        params: idParam,
        response: { 200: clientView },
      },
    },
    async (req, reply) => withEtag(reply, await clients.getClientRecord(ctxOf(req, deps), req.params.id)),
  );
  app.patch(
    '/api/v1/clients/:id',
    {
      schema: {
        tags: ['clients'],
        summary: 'Change demographics and contacts (If-Match: version; stale gives 412)',
        params: idParam,
        body: updateBody,
        response: { 200: clientView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await clients.updateClientDemographics(
          ctxOf(req, deps),
          req.params.id,
          ifMatchVersion(req),
          req.body,
        ),
      ),
  );
  app.post(
    '/api/v1/clients/:id/status',
    {
      schema: {
        tags: ['clients'],
        summary: 'Discharge, deactivate or reactivate (If-Match: version)',
        params: idParam,
        body: z.object({ status, reason: optionalText(500) }).strict(),
        response: { 200: clientView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await clients.changeClientStatus(
          ctxOf(req, deps),
          req.params.id,
          ifMatchVersion(req),
          req.body.status,
          req.body.reason ?? null,
        ),
      ),
  );
  app.put(
    '/api/v1/clients/:id/care-team',
    {
      schema: {
        tags: ['clients'],
        summary: 'Set the primary clinician and care team (If-Match: client version)',
        params: idParam,
        body: z.object({ primaryClinicianId: z.uuid(), memberIds: z.array(z.uuid()).max(20) }).strict(),
        response: { 200: clientView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await careTeam.setCareTeam(
          ctxOf(req, deps),
          req.params.id,
          ifMatchVersion(req),
          req.body.primaryClinicianId,
          req.body.memberIds,
        ),
      ),
  );
  app.get(
    '/api/v1/clients/:id/background',
    {
      schema: {
        tags: ['clients'],
        summary: 'Clinical background (encrypted at rest; audited view)',
        params: idParam,
        response: { 200: backgroundView },
      },
    },
    async (req, reply) => withEtag(reply, await background.getBackground(ctxOf(req, deps), req.params.id)),
  );
  app.patch(
    '/api/v1/clients/:id/background',
    {
      schema: {
        tags: ['clients'],
        summary: 'Change clinical background fields (If-Match: background version)',
        params: idParam,
        body: z.object(backgroundShape).partial().strict(),
        response: { 200: backgroundView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await background.updateBackground(ctxOf(req, deps), req.params.id, ifMatchVersion(req), req.body),
      ),
  );
  app.post(
    '/api/v1/clients/:id/break-glass',
    {
      schema: {
        tags: ['clients'],
        summary: 'Emergency access to a client outside your care team (reason required; time-boxed; alerted)',
        params: idParam,
        body: z
          .object({
            reason: z
              .string()
              .trim()
              .max(1000)
              .refine((r) => [...r].length >= 10, 'Explain the emergency in at least 10 characters'),
          })
          .strict(),
        response: { 201: z.object({ expiresAt: z.string() }) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await breakGlass(ctxOf(req, deps), req.params.id, req.body.reason)),
  );
};
