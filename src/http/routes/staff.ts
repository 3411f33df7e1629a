import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as staff from '../../services/staffService.js';
import { ctxOf } from '../authPlugin.js';
import { email, idParam, ifMatchVersion, optionalText, role, shortText, withEtag } from '../schemas.js';

const staffView = z.object({
  id: z.uuid(),
  email: z.string(),
  fullName: z.string(),
  roles: z.array(role),
  credentials: z.string().nullable(),
  licenseNumber: z.string().nullable(),
  supervisorId: z.uuid().nullable(),
  active: z.boolean(),
  mfaEnabled: z.boolean(),
  hasPassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  version: z.number(),
});
const link = z.object({ url: z.string(), expiresAt: z.string() });
const roles = z
  .array(role)
  .min(1, 'Choose at least one role')
  .max(7)
  .refine((r) => new Set(r).size === r.length, 'Roles repeat');

export const staffRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Staff of the practice',
        response: { 200: z.object({ items: z.array(staffView) }) },
      },
    },
    async (req) => ({
      items: await staff.listStaff(ctxOf(req, deps)),
    }),
  );
  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Add a user (owner/admin); returns a one-time set-password link',
        body: z
          .object({
            email,
            fullName: shortText(200).min(1, 'Enter a name'),
            roles,
            credentials: optionalText(100),
            licenseNumber: optionalText(100),
            supervisorId: z.uuid().nullable().optional(),
          })
          .strict(),
        response: { 201: z.object({ user: staffView, setPasswordLink: link }) },
      },
    },
    async (req, reply) => reply.status(201).send(await staff.createStaff(ctxOf(req, deps), req.body)),
  );
  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary:
          'Change profile, roles or activation (If-Match: version). Users are deactivated, never deleted.',
        params: idParam,
        body: z
          .object({
            fullName: shortText(200).min(1).optional(),
            roles: roles.optional(),
            credentials: optionalText(100),
            licenseNumber: optionalText(100),
            supervisorId: z.uuid().nullable().optional(),
            active: z.boolean().optional(),
          })
          .strict(),
        response: { 200: staffView },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await staff.updateStaff(ctxOf(req, deps), req.params.id, ifMatchVersion(req), req.body),
      ),
  );
  app.post(
    '/api/v1/users/:id/password-link',
    {
      schema: {
        tags: ['users'],
        summary: 'Issue a new one-time set-password link',
        params: idParam,
        response: { 200: z.object({ setPasswordLink: link }) },
      },
    },
    async (req) => staff.resetStaffPasswordLink(ctxOf(req, deps), req.params.id),
  );
};
