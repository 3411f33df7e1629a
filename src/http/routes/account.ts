import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as tokens from '../../services/apiTokenService.js';
import { ctxOf } from '../authPlugin.js';
import { idParam, ok, shortText } from '../schemas.js';

const tokenView = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scope: z.enum(['read', 'read-write']),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const accountRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/me/tokens',
    {
      schema: {
        tags: ['account'],
        summary: 'Your personal API tokens',
        response: { 200: z.object({ items: z.array(tokenView) }) },
      },
    },
    async (req) => ({
      items: await tokens.listApiTokens(ctxOf(req, deps)),
    }),
  );
  app.post(
    '/api/v1/me/tokens',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['account'],
        summary: 'Create a personal API token; the secret is shown once',
        body: z
          .object({ name: shortText(100).min(1, 'Name the token'), scope: z.enum(['read', 'read-write']) })
          .strict(),
        response: { 201: z.object({ token: tokenView, secret: z.string() }) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await tokens.createApiToken(ctxOf(req, deps), req.body.name, req.body.scope)),
  );
  app.delete(
    '/api/v1/me/tokens/:id',
    { config: { auth: 'session' }, schema: { tags: ['account'], params: idParam, response: { 200: ok } } },
    async (req) => {
      await tokens.revokeApiToken(ctxOf(req, deps), req.params.id);
      return { ok: true as const };
    },
  );
};
