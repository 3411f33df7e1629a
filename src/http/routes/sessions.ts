import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as sessions from '../../services/sessionService.js';
import { ATTENDANCE } from '../../services/sessionService.js';
import { MODALITIES, SERVICE_TYPES, isKnownCptCode } from '../../domain/cptTimeRule.js';
import { ctxOf } from '../authPlugin.js';
import {
  idParam,
  ifMatchVersion,
  isoDate,
  isoDateTime,
  optionalText,
  shortText,
  withEtag,
} from '../schemas.js';

const cptCode = z
  .object({
    code: z.string().refine(isKnownCptCode, 'Not a psychotherapy CPT code Casebook knows'),
    units: z.number().int().min(1).max(12),
    modifiers: z.array(z.string().regex(/^[A-Z0-9]{2}$/, 'Two letters or digits')).max(4),
  })
  .strict();
export const cptOverride = z
  .object({
    codes: z.array(cptCode).min(1).max(4),
    reason: shortText(500).min(3, 'Give the reason for overriding the suggested code'),
  })
  .strict()
  .nullable();

const cptCodeView = z.object({ code: z.string(), units: z.number(), modifiers: z.array(z.string()) });
export const sessionView = z.object({
  id: z.string(),
  clinicianId: z.string(),
  clinicianName: z.string(),
  seriesId: z.string().nullable(),
  serviceType: z.enum(SERVICE_TYPES),
  scheduledStart: z.string(),
  scheduledEnd: z.string(),
  actualStart: z.string().nullable(),
  actualEnd: z.string().nullable(),
  minutes: z.number().nullable(),
  modality: z.enum(MODALITIES),
  location: z.string().nullable(),
  clientAtHome: z.boolean(),
  placeOfService: z.string(),
  otherParticipants: z.array(z.string()),
  interactiveComplexity: z.boolean(),
  cpt: z.object({
    suggested: z.object({ codes: z.array(cptCodeView), placeOfService: z.string(), reason: z.string() }),
    override: z.array(cptCodeView).nullable(),
    overrideReason: z.string().nullable(),
    codes: z.array(cptCodeView),
  }),
  cancelledAt: z.string().nullable(),
  version: z.number(),
  clients: z.array(
    z.object({
      clientId: z.string(),
      clientCode: z.string(),
      displayName: z.string(),
      attendance: z.enum(ATTENDANCE),
      cancellationReason: z.string().nullable(),
      noteDueAt: z.string().nullable(),
      noteState: z.string(),
      noteId: z.string().nullable(),
    }),
  ),
});

const participants = z.array(shortText(100).min(1)).max(12);
const localStart = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Use the form YYYY-MM-DDTHH:mm (practice local time)');

const scheduleBody = z
  .object({
    clientIds: z.array(z.uuid()).min(1).max(15),
    clinicianId: z.uuid(),
    serviceType: z.enum(SERVICE_TYPES),
    startLocal: localStart,
    durationMinutes: z.number().int().min(5).max(480),
    modality: z.enum(MODALITIES),
    location: optionalText(200),
    clientAtHome: z.boolean().default(false),
    otherParticipants: participants.default([]),
    recurrence: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }).strict(),
        z
          .object({
            kind: z.enum(['weekly', 'every_other_week']),
            count: z.number().int().min(1).max(104).optional(),
            until: isoDate.optional(),
          })
          .strict()
          .refine(
            (r) => r.count !== undefined || r.until !== undefined,
            'Give a number of sessions or an end date',
          ),
      ])
      .default({ kind: 'none' }),
    allowOverlap: z.boolean().default(false),
  })
  .strict();

const updateBody = z
  .object({
    serviceType: z.enum(SERVICE_TYPES),
    scheduledStart: isoDateTime,
    scheduledEnd: isoDateTime,
    actualStart: isoDateTime.nullable(),
    actualEnd: isoDateTime.nullable(),
    modality: z.enum(MODALITIES),
    location: optionalText(200),
    clientAtHome: z.boolean(),
    otherParticipants: participants,
    interactiveComplexity: z.boolean(),
    cptOverride,
    allowOverlap: z.boolean(),
  })
  .partial()
  .strict();

export const sessionRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/api/v1/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Book a session or a weekly / every-other-week series (409 lists double bookings)',
        body: scheduleBody,
        response: { 201: z.object({ sessions: z.array(sessionView) }) },
      },
    },
    async (req, reply) => {
      const created = await sessions.scheduleSessions(ctxOf(req, deps), {
        ...req.body,
        location: req.body.location ?? null,
      });
      return reply.status(201).send({ sessions: created });
    },
  );

  app.get(
    '/api/v1/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Calendar: sessions starting in [from, to), for one clinician or the practice',
        querystring: z
          .object({
            from: isoDateTime,
            to: isoDateTime,
            clinicianId: z.union([z.uuid(), z.literal('all')]).optional(),
          })
          .strict(),
        response: { 200: z.object({ sessions: z.array(sessionView) }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, deps);
      const clinicianId =
        req.query.clinicianId === 'all' ? null : (req.query.clinicianId ?? ctx.actor.userId);
      return {
        sessions: await sessions.calendar(ctx, {
          from: new Date(req.query.from),
          to: new Date(req.query.to),
          clinicianId,
        }),
      };
    },
  );

  app.get(
    '/api/v1/sessions/:id',
    {
      schema: { tags: ['sessions'], summary: 'One session', params: idParam, response: { 200: sessionView } },
    },
    async (req, reply) => withEtag(reply, await sessions.getSession(ctxOf(req, deps), req.params.id)),
  );

  app.patch(
    '/api/v1/sessions/:id',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Change times, modality, place, participants or the CPT override (If-Match)',
        params: idParam,
        body: updateBody,
        response: { 200: sessionView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await sessions.updateSession(ctxOf(req, deps), req.params.id, ifMatchVersion(req), req.body),
      ),
  );

  app.put(
    '/api/v1/sessions/:id/attendance/:clientId',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Record attendance for one client (a cancellation needs its reason)',
        params: z.object({ id: z.uuid(), clientId: z.uuid() }).strict(),
        body: z.object({ attendance: z.enum(ATTENDANCE), reason: optionalText(500) }).strict(),
        response: { 200: sessionView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await sessions.recordAttendance(ctxOf(req, deps), req.params.id, req.params.clientId, {
          attendance: req.body.attendance,
          reason: req.body.reason ?? null,
        }),
      ),
  );
};
