import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps, Ctx } from '../services/context.js';
import { reauthenticate } from '../services/authService.js';
import { browserOf, ctxOf, requestMeta } from './authPlugin.js';

/**
 * Signing acts (notes, addenda, co-signatures, treatment plans) accept the password or code
 * inline, or rely on a re-authentication moments ago (POST /api/v1/auth/reauth).
 */
export const reauthFields = {
  password: z.string().min(1).max(256).optional(),
  code: z
    .string()
    .regex(/^[0-9A-Za-z-]{6,20}$/)
    .optional(),
};

/** The request's context, re-authenticated now when the body carries a password or code. */
export async function signingCtx(
  req: FastifyRequest,
  deps: AppDeps,
  body: { password?: string | undefined; code?: string | undefined },
): Promise<Ctx> {
  const ctx = ctxOf(req, deps);
  if (body.password === undefined && body.code === undefined) return ctx;
  await reauthenticate(deps, requestMeta(req), browserOf(req), {
    password: body.password,
    code: body.password === undefined ? body.code : undefined,
  });
  return { ...ctx, reauthenticatedAt: deps.clock() };
}
