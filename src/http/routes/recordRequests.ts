import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as copies from '../../services/copyRequestService.js';
import * as amendments from '../../services/amendmentService.js';
import * as tracker from '../../services/recordRequestService.js';
import { produceClientCopy } from '../../services/clientCopyService.js';
import { ctxOf } from '../authPlugin.js';
import { signingCtx } from '../inlineReauth.js';
import { idParam, ifMatchVersion, withEtag } from '../schemas.js';
import {
  acceptBody,
  amendmentView,
  clientRequests,
  copyBody,
  copyRequestView,
  denyBody,
  extensionBody,
  newAmendmentBody,
  newCopyRequestBody,
  requestsDueView,
  statementBody,
} from './recordRequestSchemas.js';

const clientParam = z.object({ clientId: z.uuid() }).strict();
const tags = ['record requests'];

/** The client's copy requests (164.524) and amendment requests (164.526). */
export const recordRequestRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/clients/:clientId/record-requests',
    {
      schema: {
        tags,
        summary: "A client's copy and amendment requests with their deadlines (care team, owner/admin)",
        params: clientParam,
        response: { 200: clientRequests },
      },
    },
    async (req) => tracker.listClientRequests(ctxOf(req, deps), req.params.clientId),
  );

  app.get(
    '/api/v1/record-requests/due',
    {
      schema: {
        tags,
        summary: 'Open copy and amendment requests due within 7 days or overdue (own clients for clinicians)',
        response: { 200: requestsDueView },
      },
    },
    async (req) => tracker.requestsDue(ctxOf(req, deps)),
  );

  app.post(
    '/api/v1/clients/:clientId/record-requests',
    {
      schema: {
        tags,
        summary: 'Record a request for a copy of the record; due 30 days after receipt (front desk may)',
        params: clientParam,
        body: newCopyRequestBody,
        response: { 201: copyRequestView },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          withEtag(reply, await copies.createCopyRequest(ctxOf(req, deps), req.params.clientId, req.body)),
        ),
  );

  app.post(
    '/api/v1/record-requests/:id/extension',
    {
      schema: {
        tags,
        summary: 'Extend once, by at most 30 days, within the first 30 days (If-Match)',
        params: idParam,
        body: extensionBody,
        response: { 200: copyRequestView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await copies.extendCopyRequest(ctxOf(req, deps), req.params.id, ifMatchVersion(req), req.body),
      ),
  );

  app.post(
    '/api/v1/record-requests/:id/copy',
    {
      schema: {
        tags,
        summary:
          "Produce the client's copy (PDF or FHIR R4 Bundle): everything but psychotherapy notes; recorded as a disclosure to the individual",
        description: 'Only while the request is open: a fulfilled request answers 409.',
        params: idParam,
        body: copyBody,
      },
    },
    async (req, reply) => {
      const copy = await produceClientCopy(ctxOf(req, deps), req.params.id, req.body.format);
      return reply
        .type(copy.contentType)
        .header('content-disposition', `attachment; filename="${copy.filename}"`)
        .header('cache-control', 'no-store')
        .send(copy.body);
    },
  );

  app.post(
    '/api/v1/record-requests/:id/fulfil',
    {
      schema: {
        tags,
        summary: 'Mark the copy request fulfilled today, after the copy was produced (If-Match)',
        params: idParam,
        response: { 200: copyRequestView },
      },
    },
    async (req, reply) =>
      withEtag(reply, await copies.fulfilCopyRequest(ctxOf(req, deps), req.params.id, ifMatchVersion(req))),
  );

  app.post(
    '/api/v1/clients/:clientId/amendments',
    {
      schema: {
        tags,
        summary:
          'Record a request to amend a signed note, the plan, a diagnosis or demographics; due in 60 days',
        params: clientParam,
        body: newAmendmentBody,
        response: { 201: amendmentView },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          withEtag(
            reply,
            await amendments.createAmendmentRequest(ctxOf(req, deps), req.params.clientId, req.body),
          ),
        ),
  );

  app.post(
    '/api/v1/amendments/:id/extension',
    {
      schema: {
        tags,
        summary: 'Extend once, by at most 30 days, within the first 60 days (If-Match)',
        params: idParam,
        body: extensionBody,
        response: { 200: amendmentView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await amendments.extendAmendmentRequest(
          ctxOf(req, deps),
          req.params.id,
          ifMatchVersion(req),
          req.body,
        ),
      ),
  );

  app.post(
    '/api/v1/amendments/:id/accept',
    {
      schema: {
        tags,
        summary:
          'Accept: a signed addendum on the note (re-authentication) or the correction made to another record (If-Match)',
        params: idParam,
        body: acceptBody,
        response: { 200: amendmentView },
      },
    },
    async (req, reply) => {
      const version = ifMatchVersion(req);
      if (req.body.kind === 'addendum') {
        const { text, kind, ...credentials } = req.body;
        const ctx = await signingCtx(req, deps, credentials);
        return withEtag(reply, await amendments.acceptAmendment(ctx, req.params.id, version, { kind, text }));
      }
      return withEtag(
        reply,
        await amendments.acceptAmendment(ctxOf(req, deps), req.params.id, version, req.body),
      );
    },
  );

  app.post(
    '/api/v1/amendments/:id/deny',
    {
      schema: {
        tags,
        summary: 'Deny on a 164.526 ground with the letter sent to the client (If-Match)',
        params: idParam,
        body: denyBody,
        response: { 200: amendmentView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await amendments.denyAmendment(ctxOf(req, deps), req.params.id, ifMatchVersion(req), req.body),
      ),
  );

  app.post(
    '/api/v1/amendments/:id/statements',
    {
      schema: {
        tags,
        summary: "Add the client's statement of disagreement with a denial, or the practice's rebuttal",
        params: idParam,
        body: statementBody,
        response: { 201: amendmentView },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await amendments.addAmendmentStatement(ctxOf(req, deps), req.params.id, req.body)),
  );

  app.get(
    '/api/v1/notes/:id/amendments',
    {
      schema: {
        tags,
        summary: 'Amendment requests about a note, with decisions and statements (whoever may read the note)',
        params: idParam,
        response: { 200: z.object({ items: z.array(amendmentView) }) },
      },
    },
    async (req) => tracker.amendmentsOfNote(ctxOf(req, deps), req.params.id),
  );
};
