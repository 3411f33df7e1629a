import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as goalProgress from '../../services/goalProgressService.js';
import { GOAL_STATUSES, GOAL_INSTRUMENTS } from '../../domain/treatmentPlan.js';
import { RATING_SCALES } from '../../domain/goalProgress.js';
import { ctxOf } from '../authPlugin.js';
import { idParam } from '../schemas.js';

const goalMeasureView = z.object({ instrument: z.enum(GOAL_INSTRUMENTS), below: z.number() }).nullable();

export const ratingView = z.object({
  scale: z.enum(RATING_SCALES),
  rating: z.number().nullable(),
  label: z.string(),
  progress: z.number().nullable(),
  comment: z.string(),
  newStatus: z.enum(GOAL_STATUSES).nullable(),
});

export const noteGoalProgressView = z.object({
  noteId: z.string(),
  applies: z.boolean(),
  planReview: z.boolean(),
  editable: z.boolean(),
  planVersionId: z.string().nullable(),
  planChanged: z.boolean(),
  goals: z.array(
    z.object({
      goalId: z.string(),
      statement: z.string(),
      status: z.enum(GOAL_STATUSES),
      targetDate: z.string().nullable(),
      measure: goalMeasureView,
      problems: z.array(z.string()),
      rating: ratingView.nullable(),
    }),
  ),
});

export const clientGoalProgressView = z.object({
  clientId: z.string(),
  planVersionId: z.string().nullable(),
  goals: z.array(
    z.object({
      goalId: z.string(),
      statement: z.string(),
      status: z.enum(GOAL_STATUSES),
      targetDate: z.string().nullable(),
      measure: goalMeasureView,
      ratings: z.array(ratingView.extend({ noteId: z.string(), dateOfService: z.string() })),
      measureProgress: z
        .object({
          baseline: z.number().nullable(),
          latest: z.number().nullable(),
          latestDate: z.string().nullable(),
          target: z.number(),
          met: z.boolean(),
          fractionToTarget: z.number().nullable(),
        })
        .nullable(),
      measurePoints: z.array(
        z.object({ date: z.string(), total: z.number(), progress: z.number().nullable() }),
      ),
    }),
  ),
});

/** Goal ratings are written with the note's draft (PUT /api/v1/notes/:id/draft, field goalProgress). */
export const goalProgressRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/notes/:id/goal-progress',
    {
      schema: {
        tags: ['notes'],
        summary: "The treatment-plan goals a progress or plan-review note rates, with the note's ratings",
        params: idParam,
        response: { 200: noteGoalProgressView },
      },
    },
    async (req) => goalProgress.getNoteGoalProgress(ctxOf(req, deps), req.params.id),
  );

  app.get(
    '/api/v1/clients/:clientId/goal-progress',
    {
      schema: {
        tags: ['treatment plans'],
        summary: "Each goal of the client's plan: ratings over time and measure-based progress",
        params: z.object({ clientId: z.uuid() }).strict(),
        response: { 200: clientGoalProgressView },
      },
    },
    async (req) => goalProgress.getClientGoalProgress(ctxOf(req, deps), req.params.clientId),
  );
};
