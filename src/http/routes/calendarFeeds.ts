import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as calendarFeeds from '../../services/calendarFeedService.js';
import { ctxOf, requestMeta } from '../authPlugin.js';

export const calendarFeedStatusView = z.object({ active: z.boolean(), createdAt: z.string().nullable() });
export const calendarFeedCreated = z.object({ url: z.string() });

// Calendar apps poll a feed every few minutes at most; anything faster is someone guessing URLs.
const FEED_RATE_LIMIT = { max: 60, timeWindow: '1 minute' };

/** Per-clinician iCalendar feed at a secret URL. */
export const calendarFeedRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/account/calendar-feed',
    {
      schema: {
        tags: ['account'],
        summary: 'Whether you have a calendar feed, and since when',
        response: { 200: calendarFeedStatusView },
      },
    },
    async (req) => calendarFeeds.calendarFeedStatus(ctxOf(req, deps)),
  );

  app.post(
    '/api/v1/account/calendar-feed',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['account'],
        summary: 'Make a new secret calendar feed URL (any earlier one stops working); shown once',
        response: { 201: calendarFeedCreated },
      },
    },
    async (req, reply) => {
      const base = deps.publicUrl ?? `${req.protocol}://${req.host}`;
      return reply.status(201).send(await calendarFeeds.createCalendarFeed(ctxOf(req, deps), base));
    },
  );

  app.delete(
    '/api/v1/account/calendar-feed',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['account'],
        summary: 'Stop your calendar feed',
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await calendarFeeds.revokeCalendarFeed(ctxOf(req, deps));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/calendar/:file',
    {
      config: { auth: 'public', rateLimit: FEED_RATE_LIMIT },
      schema: {
        tags: ['account'],
        summary: "A clinician's sessions as iCalendar (the secret file name is the credential)",
        params: z.object({ file: z.string().max(200) }).strict(),
      },
    },
    async (req, reply) => {
      const body = await calendarFeeds.renderCalendarFeed(deps, requestMeta(req), req.params.file);
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'no-store').send(body);
    },
  );
};
