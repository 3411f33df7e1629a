import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as documentation from '../../services/documentationService.js';
import { NOTE_KINDS } from '../../domain/noteTemplates.js';
import { SERVICE_TYPES } from '../../domain/cptTimeRule.js';
import { ATTENDANCE } from '../../services/sessionService.js';
import { ctxOf } from '../authPlugin.js';
import { isoDate } from '../schemas.js';

const deadline = z.enum(['not_due', 'due_soon', 'overdue']);
const noteState = z.enum(['none', 'draft', 'awaiting_cosign', 'returned', 'signed']);

export const documentationCountsView = z.object({
  needsNote: z.number(),
  dueSoon: z.number(),
  overdue: z.number(),
  returned: z.number(),
  toCosign: z.number(),
  riskAlerts: z.number(),
});

export const cosignItemView = z.object({
  noteId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  clientId: z.string(),
  clientCode: z.string(),
  displayName: z.string(),
  dateOfService: z.string(),
  signedAt: z.string(),
  lateEntry: z.boolean(),
});

export const documentationDashboardView = z.object({
  now: z.string(),
  policy: z.object({ noteDueHours: z.number(), reminderHoursBefore: z.number() }),
  counts: documentationCountsView.extend({
    drafts: z.number(),
    awaitingCosign: z.number(),
    planReviewsDueSoon: z.number(),
    planReviewsOverdue: z.number(),
  }),
  needsNote: z.array(
    z.object({
      sessionId: z.string(),
      clientId: z.string(),
      clientCode: z.string(),
      displayName: z.string(),
      serviceType: z.enum(SERVICE_TYPES),
      start: z.string(),
      end: z.string(),
      attendance: z.enum(ATTENDANCE),
      noteDueAt: z.string(),
      deadline,
      overdueFor: z.string().nullable(),
      noteId: z.string().nullable(),
      noteState,
      shortNoteOnly: z.boolean(),
    }),
  ),
  drafts: z.array(
    z.object({
      noteId: z.string(),
      clientId: z.string(),
      clientCode: z.string(),
      displayName: z.string(),
      kind: z.enum(NOTE_KINDS),
      dateOfService: z.string(),
      updatedAt: z.string(),
      dueAt: z.string().nullable(),
      deadline,
    }),
  ),
  returned: z.array(
    z.object({
      noteId: z.string(),
      clientId: z.string(),
      clientCode: z.string(),
      displayName: z.string(),
      dateOfService: z.string(),
      returnedAt: z.string(),
    }),
  ),
  awaitingCosign: z.array(
    z.object({
      noteId: z.string(),
      clientCode: z.string(),
      displayName: z.string(),
      dateOfService: z.string(),
      signedAt: z.string(),
      cosignerName: z.string().nullable(),
    }),
  ),
  toCosign: z.array(cosignItemView),
  planReviews: z.array(
    z.object({
      clientId: z.string(),
      clientCode: z.string(),
      displayName: z.string(),
      planId: z.string(),
      versionId: z.string(),
      versionNo: z.number(),
      reviewDueDate: z.string(),
      state: z.enum(['due_soon', 'overdue']),
      daysUntilDue: z.number(),
    }),
  ),
  riskAlerts: z.array(
    z.object({
      alertId: z.string(),
      clientId: z.string(),
      clientCode: z.string(),
      displayName: z.string(),
      kind: z.enum(['phq9_item9']),
      itemValue: z.number(),
      raisedAt: z.string(),
    }),
  ),
});

export const cosignQueueView = z.object({ items: z.array(cosignItemView) });

export const complianceView = z.object({
  from: z.string(),
  to: z.string(),
  clinicians: z.array(
    z.object({
      clinicianId: z.string(),
      clinicianName: z.string(),
      sessions: z.number(),
      signed: z.number(),
      signedOnTime: z.number(),
      overdue: z.number(),
      shareOnTime: z.number().nullable(),
      medianHoursToSign: z.number().nullable(),
    }),
  ),
});

/** Documentation dashboard, co-signature queue and compliance. */
export const documentationRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/documentation/dashboard',
    {
      schema: {
        tags: ['documentation'],
        summary:
          "Sessions needing a note, drafts, returned notes and co-signatures (one's own; a supervisee's for their supervisor; anyone's for an owner)",
        querystring: z.object({ clinicianId: z.uuid().optional() }).strict(),
        response: { 200: documentationDashboardView },
      },
    },
    async (req) => documentation.documentationDashboard(ctxOf(req, deps), req.query.clinicianId),
  );

  app.get(
    '/api/v1/documentation/counts',
    {
      // Polled by the navigation badge: must not keep an idle sign-in alive.
      config: { passive: true },
      schema: {
        tags: ['documentation'],
        summary: 'Counts for the navigation badge (no client data)',
        response: { 200: documentationCountsView },
      },
    },
    async (req) => documentation.documentationCounts(ctxOf(req, deps)),
  );

  app.get(
    '/api/v1/documentation/cosign-queue',
    {
      schema: {
        tags: ['documentation'],
        summary: 'Notes waiting for my co-signature',
        response: { 200: cosignQueueView },
      },
    },
    async (req) => ({ items: await documentation.cosignQueue(ctxOf(req, deps)) }),
  );

  app.get(
    '/api/v1/documentation/compliance',
    {
      schema: {
        tags: ['documentation'],
        summary:
          'Documentation timeliness per clinician for sessions between two practice-local dates (owners; supervisors for their supervisees)',
        querystring: z.object({ from: isoDate, to: isoDate }).strict(),
        response: { 200: complianceView },
      },
    },
    async (req) => documentation.complianceReport(ctxOf(req, deps), req.query),
  );
};
