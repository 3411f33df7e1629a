import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as exportsService from '../../services/practiceExport/practiceExportService.js';
import { runPendingExports } from '../../services/practiceExport/practiceExportRunner.js';
import { ctxOf } from '../authPlugin.js';
import { idParam } from '../schemas.js';

const exportView = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'expired']),
  requestedAt: z.string(),
  requestedBy: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  clientsTotal: z.number().nullable(),
  clientsDone: z.number(),
  resourcesWritten: z.number(),
  bytes: z.number(),
  sha256: z.string().nullable(),
  error: z.string().nullable(),
});

const TAG = ['practice export'];

/** Whole-practice export (owner only): start, follow, download, cancel. */
export const practiceExportRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/api/v1/practice/exports',
    {
      schema: {
        tags: TAG,
        summary:
          'Start an export of every client record except psychotherapy notes (FHIR NDJSON per resource type plus one PDF per client, in one zip). Owner only; audited. 409 while another export is in progress.',
        body: z.object({}).strict().optional(),
        response: { 202: exportView },
      },
    },
    async (req, reply) => {
      const job = await exportsService.requestPracticeExport(ctxOf(req, deps));
      // Start at once in this process; the background runner of any process would also claim it.
      void runPendingExports(deps, (err) =>
        req.log.error({ err: { type: (err as Error).name } }, 'practice export failed'),
      ).catch(() => undefined);
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/api/v1/practice/exports',
    {
      schema: {
        tags: TAG,
        summary: 'Exports of this practice, newest first (owner only)',
        querystring: z
          .object({
            cursor: z.string().max(500).optional(),
            limit: z.coerce.number().int().min(1).max(100).optional(),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(exportView), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => exportsService.listPracticeExports(ctxOf(req, deps), req.query),
  );

  app.get(
    '/api/v1/practice/exports/:id',
    {
      // The progress page polls this: not activity that keeps an idle session alive.
      config: { passive: true },
      schema: {
        tags: TAG,
        summary: 'One export: status and progress (clients done of total, bytes written)',
        params: idParam,
        response: { 200: exportView },
      },
    },
    async (req) => exportsService.getPracticeExport(ctxOf(req, deps), req.params.id),
  );

  app.post(
    '/api/v1/practice/exports/:id/cancel',
    {
      schema: {
        tags: TAG,
        summary: 'Cancel an export that has not finished (owner only; audited)',
        params: idParam,
        body: z.object({}).strict().optional(),
        response: { 200: exportView },
      },
    },
    async (req) => exportsService.cancelPracticeExport(ctxOf(req, deps), req.params.id),
  );

  app.get(
    '/api/v1/practice/exports/:id/download',
    {
      schema: {
        tags: TAG,
        summary:
          'Download a finished export (zip, streamed). Content-Length and the SHA-256 of the file (X-Content-SHA256, hex; Repr-Digest) are sent. Each download is audited.',
        params: idParam,
      },
    },
    async (req, reply) => {
      const d = await exportsService.openPracticeExportDownload(ctxOf(req, deps), req.params.id);
      return reply
        .type('application/zip')
        .header('content-length', d.size)
        .header('x-content-sha256', d.sha256)
        .header('repr-digest', `sha-256=:${Buffer.from(d.sha256, 'hex').toString('base64')}:`)
        .header('content-disposition', `attachment; filename="${d.filename}"`)
        .send(d.stream);
    },
  );
};
