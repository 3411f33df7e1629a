import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as auditService from '../../services/auditService.js';
import { AUDIT_SORT_COLUMNS, type AuditSortColumn } from '../../db/auditRepo.js';
import { ctxOf } from '../authPlugin.js';
import { isoDateTime } from '../schemas.js';

const sortKeys = Object.keys(AUDIT_SORT_COLUMNS) as [AuditSortColumn, ...AuditSortColumn[]];
const filters = {
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  userId: z.uuid().optional(),
  clientId: z.uuid().optional(),
  action: z.string().max(60).optional(),
  category: z.string().max(40).optional(),
  outcome: z.enum(['success', 'denied', 'failure']).optional(),
  sort: z.enum(sortKeys).default('time'),
  direction: z.enum(['asc', 'desc']).default('desc'),
};
const eventView = z.object({
  id: z.uuid(),
  seq: z.number(),
  occurredAt: z.string(),
  actorUserId: z.uuid().nullable(),
  actorTokenId: z.uuid().nullable(),
  actor: z.string().nullable(),
  action: z.string(),
  category: z.string(),
  clientId: z.uuid().nullable(),
  clientCode: z.string().nullable(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const auditRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/audit/events',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit report (auditor, owner): filter, sort by any column, page by cursor',
        querystring: z
          .object({
            ...filters,
            cursor: z.string().max(500).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(eventView), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => auditService.auditReport(ctxOf(req, deps), req.query),
  );
  app.get(
    '/api/v1/audit/events.csv',
    {
      schema: {
        tags: ['audit'],
        summary: 'The filtered audit report as CSV (streamed)',
        querystring: z.object(filters).strict(),
      },
    },
    async (req, reply) => {
      const gen = auditService.auditCsv(ctxOf(req, deps), req.query);
      // Pull the first chunk before answering, so a refusal becomes a problem response, not a broken download.
      const first = await gen.next();
      const rest = async function* () {
        if (!first.done) yield first.value;
        yield* gen;
      };
      reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="casebook-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        );
      return reply.send(Readable.from(rest()));
    },
  );
  app.get(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: "Check the practice's hash chain and name the first bad row",
        response: {
          200: z.object({
            ok: z.boolean(),
            rowsChecked: z.number(),
            firstBadSeq: z.number().nullable(),
            firstBadId: z.string().nullable(),
            problem: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => auditService.verifyChain(ctxOf(req, deps)),
  );
};
