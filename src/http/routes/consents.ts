import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as consents from '../../services/consentService.js';
import * as documents from '../../services/consentDocuments.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, ifMatchVersion, withEtag } from '../schemas.js';
import {
  consentList,
  consentView,
  newConsentBody,
  part2NoticeView,
  revokeBody,
  scanView,
} from './consentSchemas.js';

const tags = ['consents'];
const clientParam = z.object({ clientId: z.uuid() }).strict();
const SCAN_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];

/** Consents and authorizations, their printable form and signed scans; the Part 2 flag and notice. */
export const consentRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  // Scans arrive as the raw file with its own Content-Type (this plugin only).
  app.addContentTypeParser(
    SCAN_TYPES,
    { parseAs: 'buffer', bodyLimit: documents.MAX_SCAN_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.get(
    '/api/v1/clients/:clientId/consents',
    {
      schema: {
        tags,
        summary: "A client's consents and authorizations with their status today (audited)",
        params: clientParam,
        response: { 200: consentList },
      },
    },
    async (req) => consents.listConsents(ctxOf(req, deps), req.params.clientId),
  );

  app.post(
    '/api/v1/clients/:clientId/consents',
    {
      schema: {
        tags,
        summary:
          'Record a signed consent or authorization (never edited afterwards; revocation is the only change)',
        params: clientParam,
        body: newConsentBody,
        response: { 201: consentView },
      },
    },
    async (req, reply) => {
      const view = await consents.recordConsent(ctxOf(req, deps), req.params.clientId, req.body);
      return reply.status(201).send(withEtag(reply, view));
    },
  );

  app.post(
    '/api/v1/consents/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a consent from a date on (If-Match: version; once)',
        params: idParam,
        body: revokeBody,
        response: { 200: consentView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await consents.revokeConsent(ctxOf(req, deps), req.params.id, ifMatchVersion(req), req.body),
      ),
  );

  app.get(
    '/api/v1/consents/:id/form.pdf',
    {
      schema: {
        tags,
        summary:
          'The consent or authorization as a PDF (blank=true: with empty signature lines, to sign on paper)',
        params: idParam,
        querystring: z.object({ blank: z.enum(['true', 'false']).optional() }).strict(),
      },
    },
    async (req, reply) => {
      const { filename, stream } = await documents.printAuthorization(ctxOf(req, deps), req.params.id, {
        blank: req.query.blank === 'true',
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(stream);
    },
  );

  app.get(
    '/api/v1/consents/:id/scans',
    {
      schema: {
        tags,
        summary: 'Signed scans attached to a consent',
        params: idParam,
        response: { 200: z.object({ items: z.array(scanView) }) },
      },
    },
    async (req) => documents.listScans(ctxOf(req, deps), req.params.id),
  );

  app.post(
    '/api/v1/consents/:id/scans',
    {
      bodyLimit: documents.MAX_SCAN_BYTES,
      schema: {
        tags,
        summary:
          'Attach a signed scan: the raw file as the body, Content-Type application/pdf, image/png or image/jpeg, at most 10 MB (encrypted at rest)',
        params: idParam,
        response: { 201: scanView },
      },
    },
    async (req, reply) => {
      const type =
        String(req.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim() ?? '';
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return reply.status(201).send(await documents.uploadScan(ctxOf(req, deps), req.params.id, type, body));
    },
  );

  app.get(
    '/api/v1/consents/:id/scans/:scanId',
    {
      schema: {
        tags,
        summary: 'Download a signed scan (audited)',
        params: z.object({ id: z.uuid(), scanId: z.uuid() }).strict(),
      },
    },
    async (req, reply) => {
      const f = await documents.downloadScan(ctxOf(req, deps), req.params.id, req.params.scanId);
      return reply
        .type(f.mediaType)
        .header('content-disposition', `attachment; filename="${f.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .send(f.bytes);
    },
  );

  app.put(
    '/api/v1/clients/:clientId/part2',
    {
      schema: {
        tags,
        summary: "Mark the client's record as holding 42 CFR Part 2 records (If-Match: client version)",
        params: clientParam,
        body: z.object({ holdsPart2Records: z.boolean() }).strict(),
        response: { 200: z.object({ holdsPart2Records: z.boolean(), clientVersion: z.number() }) },
      },
    },
    async (req) =>
      consents.setPart2Flag(
        ctxOf(req, deps),
        req.params.clientId,
        ifMatchVersion(req),
        req.body.holdsPart2Records,
      ),
  );

  app.get(
    '/api/v1/settings/part2-notice',
    {
      schema: {
        tags,
        summary: 'The 42 CFR Part 2 redisclosure notice printed on Part 2 releases',
        response: { 200: part2NoticeView },
      },
    },
    async (req, reply) => withEtag(reply, await documents.getPart2Notice(ctxOf(req, deps))),
  );

  app.put(
    '/api/v1/settings/part2-notice',
    {
      schema: {
        tags,
        summary:
          'Set the Part 2 redisclosure notice; null restores the default (owner/admin; If-Match: practice version)',
        body: z
          .object({ notice: z.string().trim().min(20, 'The notice is too short').max(4000).nullable() })
          .strict(),
        response: { 200: part2NoticeView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await documents.setPart2NoticeSetting(ctxOf(req, deps), ifMatchVersion(req), req.body.notice),
      ),
  );
};
