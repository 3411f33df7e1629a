import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as annotations from '../../services/annotationService.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, isoDate, ok } from '../schemas.js';

export const annotationView = z.object({
  id: z.string(),
  date: z.string(),
  text: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
});

export const annotationList = z.object({ items: z.array(annotationView) });

export const newAnnotationBody = z
  .object({
    date: isoDate,
    text: z.string().trim().min(1, 'Write what happened').max(500),
  })
  .strict();

const clientParam = z.object({ clientId: z.uuid() }).strict();

export const annotationRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/clients/:clientId/annotations',
    {
      schema: {
        tags: ['chart annotations'],
        summary: "A client's chart annotations, ordered by date (audited)",
        params: clientParam,
        response: { 200: annotationList },
      },
    },
    async (req) => annotations.listAnnotations(ctxOf(req, deps), req.params.clientId),
  );

  app.post(
    '/api/v1/clients/:clientId/annotations',
    {
      schema: {
        tags: ['chart annotations'],
        summary: 'Annotate the charts and timeline on a date, e.g. "medication changed"',
        params: clientParam,
        body: newAnnotationBody,
        response: { 201: annotationView },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await annotations.addAnnotation(ctxOf(req, deps), req.params.clientId, req.body)),
  );

  app.post(
    '/api/v1/annotations/:id/withdraw',
    {
      schema: {
        tags: ['chart annotations'],
        summary: 'Take an annotation off the charts (it stays in the record; audited)',
        params: idParam,
        response: { 200: ok },
      },
    },
    async (req) => {
      await annotations.withdrawAnnotation(ctxOf(req, deps), req.params.id);
      return { ok: true as const };
    },
  );
};
