import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import { releaseRecords } from '../../services/releaseService.js';
import * as disclosures from '../../services/disclosureService.js';
import { ctxOf } from '../authPlugin.js';
import { isoDate } from '../schemas.js';
import { disclosureView, outsideDisclosureBody, releaseBody } from './consentSchemas.js';

const tags = ['releases'];
const clientParam = z.object({ clientId: z.uuid() }).strict();

/** Releases to outside parties, the disclosure log and the accounting of disclosures. */
export const releaseRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/api/v1/clients/:clientId/releases',
    {
      schema: {
        tags,
        summary:
          'Release records to another party under an authorization or legal basis: responds with the file (FHIR bundle or PDF) and the Casebook-Disclosure-Id header; refused with 422 and `reasons` when no valid authorization allows it',
        params: clientParam,
        body: releaseBody,
      },
    },
    async (req, reply) => {
      const f = await releaseRecords(ctxOf(req, deps), req.params.clientId, req.body);
      return reply
        .type(f.contentType)
        .header('content-disposition', `attachment; filename="${f.filename}"`)
        .header('casebook-disclosure-id', f.disclosureId)
        .header('cache-control', 'no-store')
        .send(f.body);
    },
  );

  app.get(
    '/api/v1/clients/:clientId/disclosures',
    {
      schema: {
        tags,
        summary: "A client's disclosure log, newest first, by cursor (audited)",
        params: clientParam,
        querystring: z
          .object({
            cursor: z.string().max(200).optional(),
            limit: z.coerce.number().int().min(1).max(200).optional(),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(disclosureView), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => disclosures.listDisclosures(ctxOf(req, deps), req.params.clientId, req.query),
  );

  app.post(
    '/api/v1/clients/:clientId/disclosures',
    {
      schema: {
        tags,
        summary: 'Record a release made outside Casebook (paper, phone, fax), gated like a release made here',
        params: clientParam,
        body: outsideDisclosureBody,
        response: { 201: disclosureView },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await disclosures.recordOutsideDisclosure(ctxOf(req, deps), req.params.clientId, req.body)),
  );

  for (const format of ['pdf', 'csv'] as const)
    app.get(
      `/api/v1/clients/:clientId/accounting-of-disclosures.${format}`,
      {
        schema: {
          tags,
          summary: `Accounting of disclosures (45 CFR 164.528) as ${format.toUpperCase()}: default the six years up to today; from/to for a shorter period`,
          params: clientParam,
          querystring: z.object({ from: isoDate.optional(), to: isoDate.optional() }).strict(),
        },
      },
      async (req, reply) => {
        const f = await disclosures.accountingOfDisclosures(ctxOf(req, deps), req.params.clientId, {
          ...req.query,
          format,
        });
        return reply
          .type(f.contentType)
          .header('content-disposition', `attachment; filename="${f.filename}"`)
          .send(f.body);
      },
    );
};
