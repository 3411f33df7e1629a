import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as notes from '../../services/noteService.js';
import * as signing from '../../services/noteSigning.js';
import { MODALITIES } from '../../domain/cptTimeRule.js';
import { NOTE_KINDS, PROGRESS_FORMATS, templateDefinitionSchema } from '../../domain/noteTemplates.js';
import { ctxOf } from '../authPlugin.js';
import { reauthFields, signingCtx } from '../inlineReauth.js';
import {
  idParam,
  ifMatchVersion,
  isoDate,
  isoDateTime,
  optionalText,
  shortText,
  withEtag,
} from '../schemas.js';
import { cptOverride } from './sessions.js';
import { goalProgressSave } from '../../domain/goalProgress.js';

const signatureView = z.object({
  userId: z.string(),
  name: z.string(),
  credentials: z.string().nullable(),
  licenseNumber: z.string().nullable(),
  signedAt: z.string(),
});
const cptCodeView = z.object({ code: z.string(), units: z.number(), modifiers: z.array(z.string()) });
export const sessionFactsView = z.object({
  serviceType: z.string().nullable(),
  start: z.string().nullable(),
  end: z.string().nullable(),
  minutes: z.number().nullable(),
  modality: z.string().nullable(),
  location: z.string().nullable(),
  clientAtHome: z.boolean(),
  placeOfService: z.string().nullable(),
  participants: z.array(z.string()),
  interactiveComplexity: z.boolean(),
  cpt: z.array(cptCodeView),
  cptSuggested: z.array(cptCodeView),
  cptReason: z.string(),
  cptOverrideReason: z.string().nullable(),
});
export const noteView = z.object({
  id: z.string(),
  clientId: z.string(),
  sessionId: z.string().nullable(),
  authorId: z.string(),
  authorName: z.string(),
  kind: z.enum(NOTE_KINDS),
  format: z.enum(PROGRESS_FORMATS).nullable(),
  templateKey: z.string(),
  templateVersion: z.number(),
  // The template definition and the content follow the template's own schema (see the template API).
  template: templateDefinitionSchema,
  status: z.enum(['draft', 'awaiting_cosign', 'returned', 'signed']),
  dateOfService: z.string(),
  sessionFacts: sessionFactsView,
  diagnoses: z.array(z.object({ code: z.string(), title: z.string() })),
  content: z.record(z.string(), z.unknown()),
  copiedFields: z.array(z.string()),
  dueAt: z.string().nullable(),
  lateEntry: z.boolean(),
  requiresCosign: z.boolean(),
  cosignerId: z.string().nullable(),
  signature: signatureView.nullable(),
  cosignature: signatureView.nullable(),
  returned: z.object({ at: z.string(), byUserId: z.string(), comments: z.string() }).nullable(),
  contentHash: z.string().nullable(),
  history: z.array(
    z.object({
      act: z.string(),
      name: z.string(),
      credentials: z.string().nullable(),
      at: z.string(),
      comments: z.string().nullable(),
    }),
  ),
  addenda: z.array(
    z.object({
      id: z.string(),
      authorId: z.string(),
      reason: z.string(),
      text: z.string(),
      signature: signatureView,
      contentHash: z.string(),
    }),
  ),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  can: z.object({
    edit: z.boolean(),
    sign: z.boolean(),
    cosign: z.boolean(),
    returnToAuthor: z.boolean(),
    addAddendum: z.boolean(),
  }),
});

const factsInput = z
  .object({
    start: isoDateTime.nullable(),
    end: isoDateTime.nullable(),
    modality: z.enum(MODALITIES).nullable(),
    location: optionalText(200),
    clientAtHome: z.boolean(),
    participants: z.array(shortText(100).min(1)).max(12),
    interactiveComplexity: z.boolean(),
    cptOverride,
  })
  .partial()
  .strict();

export const noteRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/api/v1/notes',
    {
      schema: {
        tags: ['notes'],
        summary: 'Start a draft note, from a session or standalone; optionally from the last note',
        body: z
          .object({
            clientId: z.uuid(),
            sessionId: z.uuid().nullable().default(null),
            kind: z.enum(NOTE_KINDS),
            format: z.enum(PROGRESS_FORMATS).nullable().default(null),
            templateKey: z.string().max(100).nullable().default(null),
            dateOfService: isoDate.nullable().default(null),
            startFromLast: z.boolean().default(false),
          })
          .strict(),
        response: { 201: noteView },
      },
    },
    async (req, reply) => {
      const note = await notes.createNote(ctxOf(req, deps), req.body);
      reply.header('etag', `"${note.version}"`);
      return reply.status(201).send(note);
    },
  );

  app.get(
    '/api/v1/notes/:id',
    {
      schema: {
        tags: ['notes'],
        summary: 'Read a note (audited)',
        params: idParam,
        response: { 200: noteView },
      },
    },
    async (req, reply) => withEtag(reply, await notes.getNote(ctxOf(req, deps), req.params.id)),
  );

  app.put(
    '/api/v1/notes/:id/draft',
    {
      schema: {
        tags: ['notes'],
        summary: 'Autosave a draft (If-Match: version; an older copy is refused with 412, never merged)',
        params: idParam,
        body: z
          .object({
            content: z.record(z.string(), z.unknown()).optional(),
            sessionFacts: factsInput.optional(),
            diagnosisCodes: z.array(z.string().max(10)).max(12).optional(),
            dateOfService: isoDate.optional(),
            copiedFields: z.array(z.string().max(40)).max(200).optional(),
            goalProgress: goalProgressSave.optional(),
          })
          .strict(),
        response: { 200: noteView },
      },
    },
    async (req, reply) =>
      withEtag(reply, await notes.saveDraft(ctxOf(req, deps), req.params.id, ifMatchVersion(req), req.body)),
  );

  app.delete(
    '/api/v1/notes/:id',
    {
      schema: {
        tags: ['notes'],
        summary: 'Discard a draft that was never signed (If-Match)',
        params: idParam,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await notes.discardDraft(ctxOf(req, deps), req.params.id, ifMatchVersion(req));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/notes/:id/sign',
    {
      schema: {
        tags: ['notes'],
        summary: 'Sign (re-authentication: password or code here, or /auth/reauth moments before; If-Match)',
        params: idParam,
        body: z.object(reauthFields).strict(),
        response: { 200: noteView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await signing.signNote(await signingCtx(req, deps, req.body), req.params.id, ifMatchVersion(req)),
      ),
  );

  app.post(
    '/api/v1/notes/:id/cosign',
    {
      schema: {
        tags: ['notes'],
        summary: "Co-sign a supervisee's note (re-authentication; If-Match)",
        params: idParam,
        body: z.object(reauthFields).strict(),
        response: { 200: noteView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await signing.cosignNote(await signingCtx(req, deps, req.body), req.params.id, ifMatchVersion(req)),
      ),
  );

  app.post(
    '/api/v1/notes/:id/return',
    {
      schema: {
        tags: ['notes'],
        summary: 'Return a note to the supervisee with comments (If-Match)',
        params: idParam,
        body: z.object({ comments: shortText(5000).min(3, 'Say what needs changing') }).strict(),
        response: { 200: noteView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await signing.returnNote(ctxOf(req, deps), req.params.id, ifMatchVersion(req), req.body.comments),
      ),
  );

  app.post(
    '/api/v1/notes/:id/addenda',
    {
      schema: {
        tags: ['notes'],
        summary: 'Add a signed addendum to a signed note (re-authentication)',
        params: idParam,
        body: z
          .object({
            reason: shortText(300).min(3, 'Give the reason for the addendum'),
            text: z.string().trim().min(1, 'Write the addendum').max(20_000),
            ...reauthFields,
          })
          .strict(),
        response: { 201: noteView },
      },
    },
    async (req, reply) => {
      const { reason, text, ...credentials } = req.body;
      const note = await signing.addAddendum(await signingCtx(req, deps, credentials), req.params.id, {
        reason,
        text,
      });
      return reply.status(201).send(note);
    },
  );

  app.get(
    '/api/v1/notes/:id/integrity',
    {
      schema: {
        tags: ['notes'],
        summary: 'Verify integrity: recompute the SHA-256 of the note and its addenda',
        params: idParam,
        response: {
          200: z.object({
            noteId: z.string(),
            signed: z.boolean(),
            storedHash: z.string().nullable(),
            computedHash: z.string().nullable(),
            intact: z.boolean(),
            addenda: z.array(
              z.object({
                id: z.string(),
                storedHash: z.string(),
                computedHash: z.string(),
                intact: z.boolean(),
              }),
            ),
            checkedAt: z.string(),
          }),
        },
      },
    },
    async (req) => signing.verifyNoteIntegrity(ctxOf(req, deps), req.params.id),
  );
};
