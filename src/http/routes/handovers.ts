import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as handovers from '../../services/handoverService.js';
import { HANDOVER_NOTE_MAX } from '../../domain/handoverSummary.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, ifMatchVersion } from '../schemas.js';

const person = z.object({ id: z.string(), name: z.string() });

export const handoverMeta = z.object({
  id: z.string(),
  clientId: z.string(),
  from: person.nullable(),
  to: person,
  createdBy: person,
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  superseded: z.boolean(),
  hasNote: z.boolean(),
});

const sessionLine = z.object({
  date: z.string(),
  time: z.string(),
  service: z.string(),
  clinician: z.string(),
});

/** The stored snapshot; its shape is the domain's HandoverSummary (format 1). */
export const handoverSummary = z.object({
  format: z.number(),
  takenAt: z.string(),
  today: z.string(),
  diagnoses: z.array(
    z.object({
      code: z.string(),
      description: z.string(),
      rank: z.enum(['Primary', 'Secondary']),
      onsetDate: z.string().nullable(),
    }),
  ),
  plan: z
    .object({
      versionNo: z.number(),
      signed: z.string(),
      reviewDueDate: z.string().nullable(),
      reviewState: z.enum(['current', 'due_soon', 'overdue']).nullable(),
      goals: z.array(
        z.object({
          number: z.number(),
          statement: z.string(),
          status: z.string(),
          latestRating: z.object({ date: z.string(), rating: z.string() }).nullable(),
        }),
      ),
    })
    .nullable(),
  draftPlanPending: z.boolean(),
  recentSessions: z.array(sessionLine.extend({ attendance: z.string(), note: z.string() })),
  measures: z.array(
    z.object({
      instrument: z.string(),
      name: z.string(),
      date: z.string(),
      total: z.number(),
      maxTotal: z.number(),
      band: z.string(),
      previous: z.object({ date: z.string(), total: z.number() }).nullable(),
      change: z.number().nullable(),
      direction: z.enum(['fewer_symptoms', 'more_symptoms', 'unchanged']).nullable(),
    }),
  ),
  risk: z.object({
    openAlerts: z.array(z.object({ raisedOn: z.string(), description: z.string() })),
    annotations: z.array(z.object({ date: z.string(), text: z.string() })),
  }),
  openItems: z.object({
    notesToWrite: z.array(
      z.object({
        date: z.string(),
        clinician: z.string(),
        state: z.string(),
        dueOn: z.string().nullable(),
        overdue: z.boolean(),
      }),
    ),
    unsignedNotes: z.array(z.object({ date: z.string(), status: z.string(), author: z.string() })),
    awaitingCosign: z.array(
      z.object({ date: z.string(), author: z.string(), cosigner: z.string().nullable() }),
    ),
    planReview: z
      .object({ dueDate: z.string(), state: z.enum(['current', 'due_soon', 'overdue']) })
      .nullable(),
    upcomingSessions: z.array(sessionLine),
    recordRequests: z.array(
      z.object({ kind: z.string(), receivedOn: z.string(), dueOn: z.string(), overdue: z.boolean() }),
    ),
  }),
});

export const handoverView = handoverMeta.extend({
  client: z.object({ code: z.string(), displayName: z.string() }),
  note: z.string().nullable(),
  summary: handoverSummary,
  canAcknowledge: z.boolean(),
});

export const newHandoverBody = z
  .object({
    toClinicianId: z.uuid('Choose the clinician taking over'),
    note: z.string().trim().max(HANDOVER_NOTE_MAX).nullable().optional(),
    removePrevious: z.boolean().optional(),
  })
  .strict();

const clientParam = z.object({ clientId: z.uuid() }).strict();
const tags = ['hand-overs'];

export const handoverRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/api/v1/clients/:clientId/handovers',
    {
      schema: {
        tags,
        summary:
          'Hand the client to another clinician: changes the primary clinician and stores the hand-over summary (If-Match: client version; audited)',
        params: clientParam,
        body: newHandoverBody,
        response: { 201: handoverMeta },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await handovers.createHandover(
            ctxOf(req, deps),
            req.params.clientId,
            ifMatchVersion(req),
            req.body,
          ),
        ),
  );

  app.get(
    '/api/v1/clients/:clientId/handovers',
    {
      schema: {
        tags,
        summary: "A client's hand-over history, newest first (audited)",
        params: clientParam,
        querystring: z.object({ cursor: z.string().min(1).max(500).optional() }).strict(),
        response: { 200: z.object({ items: z.array(handoverMeta), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => handovers.listClientHandovers(ctxOf(req, deps), req.params.clientId, req.query.cursor),
  );

  app.get(
    '/api/v1/handovers',
    {
      schema: {
        tags,
        summary: 'Hand-overs the signed-in clinician has still to read (pending=me)',
        querystring: z.object({ pending: z.literal('me') }).strict(),
        response: {
          200: z.object({
            items: z.array(handoverMeta.extend({ clientCode: z.string(), displayName: z.string() })),
          }),
        },
      },
    },
    async (req) => handovers.pendingHandovers(ctxOf(req, deps)),
  );

  app.get(
    '/api/v1/handovers/:id',
    {
      schema: {
        tags,
        summary: 'One hand-over: the summary as it was at hand-over time, and the note (audited view)',
        params: idParam,
        response: { 200: handoverView },
      },
    },
    async (req) => handovers.getHandover(ctxOf(req, deps), req.params.id),
  );

  app.post(
    '/api/v1/handovers/:id/acknowledge',
    {
      schema: {
        tags,
        summary: '"I have read this hand-over" (the receiving clinician only; idempotent; audited)',
        params: idParam,
        response: { 200: handoverMeta },
      },
    },
    async (req) => handovers.acknowledgeHandover(ctxOf(req, deps), req.params.id),
  );
};
