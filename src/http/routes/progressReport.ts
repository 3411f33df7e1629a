import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import { printProgressReport } from '../../services/progressReportService.js';
import { ctxOf } from '../authPlugin.js';

// Dates are checked by the service (reportPeriod), so a bad one is a 422 naming the field.
const reportDate = z.string().max(20);

/** A client's progress report as PDF. */
export const progressReportRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/clients/:clientId/progress-report.pdf',
    {
      schema: {
        tags: ['treatment plans'],
        summary:
          'Progress report PDF for a period (from/to, practice-local dates, default the last 90 days, at most 2 years): plan and goal status, measures over time, attendance. Audited as a print.',
        params: z.object({ clientId: z.uuid() }).strict(),
        querystring: z.object({ from: reportDate.optional(), to: reportDate.optional() }).strict(),
      },
    },
    async (req, reply) => {
      const { filename, stream } = await printProgressReport(
        ctxOf(req, deps),
        req.params.clientId,
        req.query,
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(stream);
    },
  );
};
