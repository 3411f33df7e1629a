import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as templates from '../../services/templateService.js';
import { NOTE_KINDS, PROGRESS_FORMATS, templateDefinitionSchema } from '../../domain/noteTemplates.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, ifMatchVersion } from '../schemas.js';

export const practiceTemplateView = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  kind: z.enum(NOTE_KINDS),
  format: z.enum(PROGRESS_FORMATS).nullable(),
  currentVersion: z.number(),
  archived: z.boolean(),
  updatedAt: z.string(),
  definition: templateDefinitionSchema,
});

export const templateCatalogView = z.object({
  builtIn: z.array(templateDefinitionSchema),
  practice: z.array(practiceTemplateView),
});

// The definition is checked in the service, so every problem comes back as a 422 with its path.
const definitionBody = z.record(z.string(), z.unknown());

/** Note templates: built-in and practice templates with versions. */
export const templateRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/note-templates',
    {
      schema: {
        tags: ['note templates'],
        summary: 'Built-in templates and the practice templates (current version of each)',
        response: { 200: templateCatalogView },
      },
    },
    async (req) => templates.listNoteTemplates(ctxOf(req, deps)),
  );

  app.get(
    '/api/v1/note-templates/:id/versions/:version',
    {
      schema: {
        tags: ['note templates'],
        summary: 'One saved version of a practice template (notes keep the version they were written with)',
        params: z.object({ id: z.uuid(), version: z.coerce.number().int().min(1).max(1_000_000) }).strict(),
        response: { 200: templateDefinitionSchema },
      },
    },
    async (req) => templates.noteTemplateVersion(ctxOf(req, deps), req.params.id, req.params.version),
  );

  app.post(
    '/api/v1/note-templates',
    {
      schema: {
        tags: ['note templates'],
        summary:
          'Add a practice template (owner, admin or supervisor); the server sets its key and version 1',
        body: z.object({ definition: definitionBody }).strict(),
        response: { 201: practiceTemplateView },
      },
    },
    async (req, reply) => {
      const created = await templates.createNoteTemplate(ctxOf(req, deps), req.body.definition);
      reply.header('etag', `"${created.currentVersion}"`);
      return reply.status(201).send(created);
    },
  );

  app.put(
    '/api/v1/note-templates/:id',
    {
      schema: {
        tags: ['note templates'],
        summary: 'Save a change as a new version, or archive (If-Match: current version; stale gets 412)',
        params: idParam,
        body: z.object({ definition: definitionBody, archived: z.boolean().optional() }).strict(),
        response: { 200: practiceTemplateView },
      },
    },
    async (req, reply) => {
      const updated = await templates.updateNoteTemplate(
        ctxOf(req, deps),
        req.params.id,
        ifMatchVersion(req),
        req.body,
      );
      reply.header('etag', `"${updated.currentVersion}"`);
      return updated;
    },
  );
};
