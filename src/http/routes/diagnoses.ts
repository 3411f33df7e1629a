import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as diagnoses from '../../services/diagnosisService.js';
import { DIAGNOSIS_RANKS, DIAGNOSIS_STATUSES } from '../../domain/diagnosisRules.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, ifMatchVersion, isoDate, optionalText, withEtag } from '../schemas.js';

export const diagnosisView = z.object({
  id: z.string(),
  clientId: z.string(),
  code: z.string(),
  description: z.string(),
  rank: z.enum(DIAGNOSIS_RANKS),
  status: z.enum(DIAGNOSIS_STATUSES),
  onsetDate: z.string().nullable(),
  resolvedDate: z.string().nullable(),
  // Left out for readers who may see codes but not narrative (billing).
  comment: z.string().nullable().optional(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const diagnosisList = z.object({
  items: z.array(diagnosisView),
  /** Whether the reader may add and change diagnoses (the care team's clinicians). */
  canEdit: z.boolean(),
});

export const diagnosisVersionView = z.object({
  version: z.number(),
  code: z.string(),
  rank: z.enum(DIAGNOSIS_RANKS),
  status: z.enum(DIAGNOSIS_STATUSES),
  onsetDate: z.string().nullable(),
  resolvedDate: z.string().nullable(),
  changedFields: z.array(z.string()),
  changedBy: z.object({ id: z.string(), name: z.string() }),
  changedAt: z.string(),
});

export const diagnosisHistoryView = z.object({
  diagnosis: diagnosisView,
  versions: z.array(diagnosisVersionView),
});

const clientParam = z.object({ clientId: z.uuid() }).strict();
const comment = optionalText(2000);

export const newDiagnosisBody = z
  .object({
    code: z.string().trim().min(1, 'Choose a code').max(10),
    rank: z.enum(DIAGNOSIS_RANKS).default('secondary'),
    // Entered in error is a correction of an existing entry, never how one starts.
    status: z.enum(['active', 'resolved', 'rule_out']).default('active'),
    onsetDate: isoDate.nullable().default(null),
    resolvedDate: isoDate.nullable().default(null),
    comment,
  })
  .strict();

export const diagnosisChangeBody = z
  .object({
    rank: z.enum(DIAGNOSIS_RANKS).optional(),
    status: z.enum(DIAGNOSIS_STATUSES).optional(),
    onsetDate: isoDate.nullable().optional(),
    resolvedDate: isoDate.nullable().optional(),
    comment,
  })
  .strict();

export const diagnosisRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/clients/:clientId/diagnoses',
    {
      schema: {
        tags: ['diagnoses'],
        summary: "A client's diagnoses, every status (billing sees codes without comments; audited)",
        params: clientParam,
        response: { 200: diagnosisList },
      },
    },
    async (req) => diagnoses.listDiagnoses(ctxOf(req, deps), req.params.clientId),
  );

  app.post(
    '/api/v1/clients/:clientId/diagnoses',
    {
      schema: {
        tags: ['diagnoses'],
        summary: 'Add a billable ICD-10-CM code; a new active primary demotes the current one',
        params: clientParam,
        body: newDiagnosisBody,
        response: { 201: diagnosisView },
      },
    },
    async (req, reply) => {
      const { comment: text, ...rest } = req.body;
      const d = await diagnoses.addDiagnosis(ctxOf(req, deps), req.params.clientId, {
        ...rest,
        comment: text ?? null,
      });
      reply.header('etag', `"${d.version}"`);
      return reply.status(201).send(d);
    },
  );

  app.patch(
    '/api/v1/diagnoses/:id',
    {
      schema: {
        tags: ['diagnoses'],
        summary: 'Change rank, status, dates or comment (If-Match: version; a stale copy gets 412)',
        params: idParam,
        body: diagnosisChangeBody,
        response: { 200: diagnosisView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await diagnoses.updateDiagnosis(ctxOf(req, deps), req.params.id, ifMatchVersion(req), req.body),
      ),
  );

  app.get(
    '/api/v1/diagnoses/:id/history',
    {
      schema: {
        tags: ['diagnoses'],
        summary: 'Every version of a diagnosis: what changed, who, when (audited)',
        params: idParam,
        response: { 200: diagnosisHistoryView },
      },
    },
    async (req) => diagnoses.diagnosisHistory(ctxOf(req, deps), req.params.id),
  );
};
