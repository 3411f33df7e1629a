import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as psychotherapyNotes from '../../services/psychotherapyNoteService.js';
import { FIELD_KINDS } from '../../domain/noteTemplates.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, ifMatchVersion, isoDate, withEtag } from '../schemas.js';

/** The fixed psychotherapy-note template (free-text fields only, so no field carries options). */
export const psychotherapyTemplateView = z.object({
  key: z.string(),
  name: z.string(),
  kind: z.literal('psychotherapy'),
  format: z.null(),
  version: z.number(),
  sections: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        help: z.string().optional(),
        fields: z
          .array(
            z.object({
              id: z.string(),
              label: z.string(),
              kind: z.enum(FIELD_KINDS),
              required: z.boolean(),
              help: z.string().optional(),
            }),
          )
          .readonly(),
      }),
    )
    .readonly(),
});

export const psychotherapyNoteView = z.object({
  id: z.string(),
  clientId: z.string(),
  sessionId: z.string().nullable(),
  authorId: z.string(),
  // Labelled on every response so no screen or export can mistake it for part of the record.
  category: z.literal('psychotherapy_note'),
  template: psychotherapyTemplateView,
  dateOfService: z.string(),
  content: z.record(z.string(), z.unknown()),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const psychotherapyNotePage = z.object({
  items: z.array(psychotherapyNoteView),
  nextCursor: z.string().nullable(),
});

const content = z.record(z.string(), z.unknown());

export const psychotherapyNoteRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/api/v1/psychotherapy-notes',
    {
      schema: {
        tags: ['psychotherapy notes'],
        summary: 'Write a psychotherapy (process) note; only you will ever be able to read it',
        body: z
          .object({
            clientId: z.uuid(),
            sessionId: z.uuid().nullable().default(null),
            dateOfService: isoDate,
            content: content.default(() => ({})),
          })
          .strict(),
        response: { 201: psychotherapyNoteView },
      },
    },
    async (req, reply) => {
      const note = await psychotherapyNotes.createPsychotherapyNote(ctxOf(req, deps), req.body);
      reply.header('etag', `"${note.version}"`);
      return reply.status(201).send(note);
    },
  );

  app.get(
    '/api/v1/psychotherapy-notes',
    {
      schema: {
        tags: ['psychotherapy notes'],
        summary: 'Your own psychotherapy notes about a client, newest first (audited)',
        querystring: z
          .object({
            clientId: z.uuid(),
            cursor: z.string().max(500).optional(),
            limit: z.coerce.number().int().min(1).max(100).default(50),
          })
          .strict(),
        response: { 200: psychotherapyNotePage },
      },
    },
    async (req) => psychotherapyNotes.listPsychotherapyNotes(ctxOf(req, deps), req.query),
  );

  app.get(
    '/api/v1/psychotherapy-notes/:id',
    {
      schema: {
        tags: ['psychotherapy notes'],
        summary: 'Read one of your psychotherapy notes (anyone else gets 404; audited)',
        params: idParam,
        response: { 200: psychotherapyNoteView },
      },
    },
    async (req, reply) =>
      withEtag(reply, await psychotherapyNotes.getPsychotherapyNote(ctxOf(req, deps), req.params.id)),
  );

  app.put(
    '/api/v1/psychotherapy-notes/:id',
    {
      schema: {
        tags: ['psychotherapy notes'],
        summary: 'Change one of your psychotherapy notes (If-Match: version; a stale copy gets 412)',
        params: idParam,
        body: z
          .object({
            content: content.optional(),
            dateOfService: isoDate.optional(),
            sessionId: z.uuid().nullable().optional(),
          })
          .strict(),
        response: { 200: psychotherapyNoteView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await psychotherapyNotes.updatePsychotherapyNote(
          ctxOf(req, deps),
          req.params.id,
          ifMatchVersion(req),
          req.body,
        ),
      ),
  );
};
