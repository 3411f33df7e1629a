import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as measureLinks from '../../services/measureLinkService.js';
import type { InstrumentId } from '../../domain/measures.js';
import { LINK_EXPIRY_MAX_HOURS, LINK_EXPIRY_MIN_HOURS, LINK_STATUSES } from '../../domain/measureLinks.js';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ctxOf, requestMeta } from '../authPlugin.js';
import { problemHandler } from '../problem.js';
import { idParam } from '../schemas.js';

const instrument = z.enum(['phq9', 'gad7', 'pcl5'] as const satisfies readonly InstrumentId[]);

export const measureLinkView = z.object({
  id: z.uuid(),
  clientId: z.uuid(),
  instrument,
  instrumentName: z.string(),
  status: z.enum(LINK_STATUSES),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.uuid(),
});
export const measureLinkCreated = z.object({ link: measureLinkView, url: z.string() });
export const measureLinkList = z.object({ items: z.array(measureLinkView) });

const option = z.object({ value: z.number(), label: z.string() });
/** Everything the public page gets: the form and the link's end. No names, codes or ids. */
export const publicQuestionnaireView = z.object({
  title: z.string(),
  shortName: z.string(),
  instructions: z.string(),
  items: z.array(z.object({ id: z.string(), number: z.number(), text: z.string() })),
  options: z.array(option),
  difficulty: z.object({ id: z.string(), text: z.string(), options: z.array(option) }).nullable(),
  copyright: z.string(),
  expiresAt: z.string(),
});
export const questionnaireSubmitted = z.object({ received: z.literal(true) });

// A malformed token is refused by the service with the same 404 as any other; only absurd sizes stop here.
const token = z.string().max(1000);
const answers = z
  .record(z.string().max(40), z.number().int().min(0).max(10))
  .refine((a) => Object.keys(a).length <= 40, {
    message: 'Too many answers',
  });

/** Clinician side (signed in) and the public, token-only side of one-time questionnaire links. */
export const questionnaireLinkRoutes: FastifyPluginAsyncZod<{ deps: AppDeps; publicLimit: number }> = async (
  app,
  { deps, publicLimit },
) => {
  app.post(
    '/api/v1/measure-links',
    {
      schema: {
        tags: ['outcome measures'],
        summary: 'Make a one-time questionnaire link for a client; the URL is shown only in this response',
        body: z
          .object({
            clientId: z.uuid(),
            instrument,
            expiresInHours: z.number().int().min(LINK_EXPIRY_MIN_HOURS).max(LINK_EXPIRY_MAX_HOURS).optional(),
          })
          .strict(),
        response: { 201: measureLinkCreated },
      },
    },
    async (req, reply) => {
      const base = deps.publicUrl ?? `${req.protocol}://${req.host}`;
      return reply.status(201).send(await measureLinks.createMeasureLink(ctxOf(req, deps), base, req.body));
    },
  );

  app.get(
    '/api/v1/measure-links',
    {
      schema: {
        tags: ['outcome measures'],
        summary: "A client's questionnaire links, newest first, with their state",
        querystring: z.object({ clientId: z.uuid() }).strict(),
        response: { 200: measureLinkList },
      },
    },
    async (req) => ({ items: await measureLinks.listMeasureLinks(ctxOf(req, deps), req.query.clientId) }),
  );

  app.post(
    '/api/v1/measure-links/:id/revoke',
    {
      schema: {
        tags: ['outcome measures'],
        summary: 'Stop an unused questionnaire link from working',
        params: idParam,
        response: { 200: measureLinkView },
      },
    },
    async (req) => measureLinks.revokeMeasureLink(ctxOf(req, deps), req.params.id),
  );

  // Public: the token is the only credential. No session is read, so there is nothing for CSRF to ride on.
  const limited = { max: publicLimit, timeWindow: '1 minute' };
  /** A refused body that still names a link (say, with a clientId added) is audited against that link. */
  const auditedRefusal =
    (step: 'open' | 'submit') =>
    (err: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
      const sent = (req.body as { token?: unknown } | undefined)?.token;
      const audited =
        hasZodFastifySchemaValidationErrors(err) && typeof sent === 'string' && sent.length <= 1000
          ? measureLinks.auditRefusedRequest(deps, requestMeta(req), sent, step)
          : Promise.resolve();
      // The 400 goes out either way; a failed audit write becomes the 500 it is.
      audited.then(
        () => problemHandler(err, req, reply),
        (auditErr: unknown) => problemHandler(auditErr as FastifyError, req, reply),
      );
    };

  app.post(
    '/api/v1/public/questionnaire/open',
    {
      config: { auth: 'public', rateLimit: limited },
      schema: {
        tags: ['public questionnaire'],
        summary: 'The questionnaire behind a one-time link (no sign-in)',
        security: [],
        body: z.object({ token }).strict(),
        response: { 200: publicQuestionnaireView },
      },
      errorHandler: auditedRefusal('open'),
    },
    async (req) => measureLinks.openQuestionnaire(deps, requestMeta(req), req.body.token),
  );

  app.post(
    '/api/v1/public/questionnaire/submit',
    {
      config: { auth: 'public', rateLimit: limited },
      schema: {
        tags: ['public questionnaire'],
        summary: 'Send the answers through a one-time link; the link is used up (no sign-in)',
        security: [],
        body: z.object({ token, answers }).strict(),
        response: { 201: questionnaireSubmitted },
      },
      errorHandler: auditedRefusal('submit'),
    },
    async (req, reply) => {
      await measureLinks.submitQuestionnaire(deps, requestMeta(req), req.body.token, req.body.answers);
      return reply.status(201).send({ received: true as const });
    },
  );
};
