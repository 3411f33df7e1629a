import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as settings from '../../services/settingsService.js';
import * as breakGlass from '../../services/breakGlassService.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, ifMatchVersion, shortText, timeZone, withEtag } from '../schemas.js';
import { PLAN_REVIEW_DAYS_MAX, PLAN_REVIEW_DAYS_MIN } from '../../domain/treatmentPlan.js';

const settingsView = z.object({
  id: z.uuid(),
  name: z.string(),
  timeZone: z.string(),
  kind: z.enum(['clinical', 'coaching']),
  idleTimeoutMinutes: z.number(),
  mfaRequired: z.boolean(),
  privacyMode: z.boolean(),
  adminsSeeAllClients: z.boolean(),
  breakGlassMinutes: z.number(),
  noteDueHours: z.number(),
  noteReminderHours: z.number(),
  officePlaceOfService: z.string(),
  planReviewDays: z.number(),
  version: z.number(),
});
const grantView = z.object({
  id: z.uuid(),
  clientId: z.uuid(),
  clientCode: z.string(),
  userId: z.uuid(),
  userName: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  reviewedAt: z.string().nullable(),
});

export const settingsRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/practice/settings',
    { schema: { tags: ['settings'], response: { 200: settingsView } } },
    async (req, reply) => withEtag(reply, await settings.getSettings(ctxOf(req, deps))),
  );
  app.patch(
    '/api/v1/practice/settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change practice settings (owner/admin, If-Match: version)',
        body: z
          .object({
            name: shortText(200).min(1).optional(),
            timeZone: timeZone.optional(),
            kind: z.enum(['clinical', 'coaching']).optional(),
            idleTimeoutMinutes: z
              .number()
              .int()
              .min(5, 'At least 5 minutes')
              .max(60, 'At most 60 minutes')
              .optional(),
            mfaRequired: z.boolean().optional(),
            privacyMode: z.boolean().optional(),
            adminsSeeAllClients: z.boolean().optional(),
            breakGlassMinutes: z.number().int().min(5).max(480).optional(),
            noteDueHours: z.number().int().min(1).max(336).optional(),
            noteReminderHours: z.number().int().min(0).max(336).optional(),
            officePlaceOfService: z
              .string()
              .regex(/^[0-9]{2}$/, 'Two digits, e.g. 11 for office')
              .optional(),
            planReviewDays: z
              .number()
              .int()
              .min(PLAN_REVIEW_DAYS_MIN, `At least ${PLAN_REVIEW_DAYS_MIN} days`)
              .max(PLAN_REVIEW_DAYS_MAX, `At most ${PLAN_REVIEW_DAYS_MAX} days`)
              .optional(),
          })
          .strict(),
        response: { 200: settingsView },
      },
    },
    async (req, reply) =>
      withEtag(reply, await settings.updateSettings(ctxOf(req, deps), ifMatchVersion(req), req.body)),
  );
  app.get(
    '/api/v1/break-glass',
    {
      schema: {
        tags: ['settings'],
        summary: 'Emergency accesses for owner/admin review',
        querystring: z.object({ unreviewed: z.enum(['true', 'false']).default('false') }).strict(),
        response: { 200: z.object({ items: z.array(grantView) }) },
      },
    },
    async (req) => ({
      items: await breakGlass.listBreakGlass(ctxOf(req, deps), req.query.unreviewed === 'true'),
    }),
  );
  app.get(
    '/api/v1/break-glass/unreviewed-count',
    {
      config: { passive: true },
      schema: {
        tags: ['settings'],
        summary: 'How many emergency accesses wait for owner/admin review (no client data)',
        response: { 200: z.object({ count: z.number() }) },
      },
    },
    async (req) => ({ count: await breakGlass.unreviewedBreakGlassCount(ctxOf(req, deps)) }),
  );
  app.post(
    '/api/v1/break-glass/:id/review',
    { schema: { tags: ['settings'], params: idParam, response: { 200: grantView } } },
    async (req) => breakGlass.reviewBreakGlass(ctxOf(req, deps), req.params.id),
  );
};
