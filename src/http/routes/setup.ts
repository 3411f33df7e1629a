import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import { createPracticeWithOwner, needsSetup } from '../../services/practiceSetup.js';
import { requestMeta } from '../authPlugin.js';
import { email, password, shortText, timeZone } from '../schemas.js';

export const setupBody = z
  .object({
    practiceName: shortText(200).min(1, 'Enter the practice name'),
    timeZone: timeZone.default('America/New_York'),
    kind: z.enum(['clinical', 'coaching']).default('clinical'),
    owner: z
      .object({
        email,
        fullName: shortText(200).min(1, 'Enter your name'),
        password,
        credentials: shortText(100).nullable().optional(),
        alsoClinician: z.boolean().default(true),
      })
      .strict(),
  })
  .strict();

export const setupRoutes: FastifyPluginAsyncZod<{ deps: AppDeps; authLimit: number }> = async (
  app,
  { deps, authLimit },
) => {
  app.get(
    '/api/v1/setup',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['setup'],
        summary: 'Whether this Casebook still needs its first practice',
        response: { 200: z.object({ needsSetup: z.boolean() }) },
      },
    },
    async () => ({ needsSetup: await needsSetup(deps) }),
  );
  app.post(
    '/api/v1/setup',
    {
      config: { auth: 'public', rateLimit: { max: authLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['setup'],
        summary: 'Create the first practice and its owner',
        body: setupBody,
        response: { 201: z.object({ practiceId: z.uuid() }) },
      },
    },
    async (req, reply) => {
      const { practiceId } = await createPracticeWithOwner(deps, requestMeta(req), req.body);
      return reply.status(201).send({ practiceId });
    },
  );
};
