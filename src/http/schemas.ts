import { z } from 'zod';
import { ROLES } from '../domain/roles.js';
import { PreconditionRequired, Invalid } from '../domain/errors.js';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const email = z.string().trim().toLowerCase().email('Enter a valid email address').max(254);
export const password = z.string().min(1, 'Enter a password').max(256);
export const idParam = z.object({ id: z.uuid() }).strict();
export const role = z.enum(ROLES);
export const isoDate = z.iso.date('Use the form YYYY-MM-DD');
export const shortText = (max = 200) => z.string().trim().max(max);
export const optionalText = (max = 200) => z.string().trim().max(max).nullable().optional().transform((v) => (v === '' ? null : v));
export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'Unknown time zone');

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .passthrough();

export const ok = z.object({ ok: z.literal(true) });

/** The version an update was based on, from If-Match ("3" or W/"3"). */
export function ifMatchVersion(req: FastifyRequest): number {
  const h = req.headers['if-match'];
  if (h === undefined) throw new PreconditionRequired();
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(String(h).trim());
  if (!m) throw new Invalid('If-Match must hold the version you read, e.g. "3"', [{ path: 'If-Match', message: 'Not a version' }]);
  return Number(m[1]);
}

export function withEtag<T extends { version: number }>(reply: FastifyReply, body: T): T {
  reply.header('etag', `"${body.version}"`);
  return body;
}
