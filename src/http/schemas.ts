import { z } from 'zod';
import { ROLES } from '../domain/roles.js';
import { PreconditionRequired, Invalid } from '../domain/errors.js';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const email = z.string().trim().toLowerCase().email('Enter a valid email address').max(254);
export const password = z.string().min(1, 'Enter a password').max(256);
export const idParam = z.object({ id: z.uuid() }).strict();
export const role = z.enum(ROLES);
// PostgreSQL has no year 0, so '0000-…' (which the ISO pattern allows) would fail in the database.
export const isoDate = z.iso
  .date('Use the form YYYY-MM-DD')
  .refine((d) => d >= '0001-01-01', 'Use a real date');
/** An instant with an offset, normalised to UTC (PostgreSQL refuses offsets beyond ±15:59 and year 0). */
export const isoDateTime = z.iso
  .datetime({ offset: true, message: 'Use an ISO 8601 time with an offset, e.g. 2025-01-31T09:00:00Z' })
  .refine((s) => {
    const d = new Date(s);
    return !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999;
  }, 'Time out of range')
  .transform((s) => new Date(s).toISOString());

// NUL, or half of a UTF-16 surrogate pair: PostgreSQL text and jsonb can store neither.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path of the first string (or key) holding a character PostgreSQL cannot store, or null.
 * No field has a use for them, so requests carrying one are refused at the edge.
 * Iterative, so a deeply nested body cannot exhaust the stack.
 */
export function firstUnstorablePath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) break;
    const [v, path] = next;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return path;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, path ? `${path}.${i}` : String(i)]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const child = path ? `${path}.${k}` : k;
        if (UNSTORABLE.test(k)) return child;
        stack.push([item, child]);
      }
    }
  }
  return null;
}
export const shortText = (max = 200) => z.string().trim().max(max);
export const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));
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
  if (!m)
    throw new Invalid('If-Match must hold the version you read, e.g. "3"', [
      { path: 'If-Match', message: 'Not a version' },
    ]);
  return Number(m[1]);
}

export function withEtag<T extends { version: number }>(reply: FastifyReply, body: T): T {
  reply.header('etag', `"${body.version}"`);
  return body;
}
