import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../services/context.js';
import * as auth from '../../services/authService.js';
import * as mfa from '../../services/mfaService.js';
import * as passwords from '../../services/passwordService.js';
import { toSettings } from '../../services/settingsService.js';
import { toStaff } from '../../services/staffService.js';
import { browserOf, clearSessionCookie, requestMeta, setSessionCookie } from '../authPlugin.js';
import { email, ok, password } from '../schemas.js';
import { ROLES } from '../../domain/roles.js';

const stage = z.enum(['mfa_challenge', 'mfa_enrolment', 'full']);
const code = z.string().trim().min(6).max(20);

export const meSchema = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    fullName: z.string(),
    roles: z.array(z.enum(ROLES)),
    credentials: z.string().nullable(),
    licenseNumber: z.string().nullable(),
    mfaEnabled: z.boolean(),
  }),
  practice: z.object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(['clinical', 'coaching']),
    timeZone: z.string(),
    idleTimeoutMinutes: z.number(),
    mfaRequired: z.boolean(),
    privacyMode: z.boolean(),
    adminsSeeAllClients: z.boolean(),
  }),
  session: z.object({
    stage,
    idleExpiresAt: z.string(),
    expiresAt: z.string(),
    idleTimeoutSeconds: z.number(),
    /** The server's clock, so a browser with a wrong clock can still count down correctly. */
    serverTime: z.string(),
  }),
  csrfToken: z.string(),
});

function me(r: auth.ResolvedSession, idleExpiresAt = r.idleExpiresAt): z.infer<typeof meSchema> {
  const staff = toStaff(r.user);
  const settings = toSettings(r.practice);
  return {
    user: {
      id: staff.id,
      email: staff.email,
      fullName: staff.fullName,
      roles: staff.roles,
      credentials: staff.credentials,
      licenseNumber: staff.licenseNumber,
      mfaEnabled: staff.mfaEnabled,
    },
    practice: {
      id: settings.id,
      name: settings.name,
      kind: settings.kind,
      timeZone: settings.timeZone,
      idleTimeoutMinutes: settings.idleTimeoutMinutes,
      mfaRequired: settings.mfaRequired,
      privacyMode: settings.privacyMode,
      adminsSeeAllClients: settings.adminsSeeAllClients,
    },
    session: {
      stage: r.session.stage,
      idleExpiresAt: idleExpiresAt.toISOString(),
      expiresAt: r.session.expires_at.toISOString(),
      idleTimeoutSeconds: settings.idleTimeoutMinutes * 60,
      serverTime: new Date().toISOString(),
    },
    csrfToken: r.session.csrf_token,
  };
}

export const authRoutes: FastifyPluginAsyncZod<{ deps: AppDeps; authLimit: number }> = async (
  app,
  { deps, authLimit },
) => {
  const limited = { max: authLimit, timeWindow: '1 minute' };

  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: 'public', rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; the answer says whether a second step follows',
        body: z.object({ email, password }).strict(),
        response: { 200: z.object({ stage, csrfToken: z.string() }) },
      },
    },
    async (req, reply) => {
      const r = await auth.login(deps, requestMeta(req), req.body.email, req.body.password);
      setSessionCookie(req, reply, r.sessionToken);
      return { stage: r.stage, csrfToken: r.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/mfa',
    {
      config: { auth: 'mfa', rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'Second sign-in step: TOTP or recovery code',
        body: z.object({ code }).strict(),
        response: { 200: z.object({ stage }) },
      },
    },
    async (req) => {
      await auth.completeMfaChallenge(deps, requestMeta(req), browserOf(req), req.body.code);
      return { stage: 'full' as const };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { auth: 'mfa', passive: true },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in, the practice, and session timing',
        response: { 200: meSchema },
      },
    },
    async (req) => me(browserOf(req)),
  );

  app.post(
    '/api/v1/auth/keepalive',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'Counts as activity for the idle time-out',
        response: { 200: z.object({ idleExpiresAt: z.string(), serverTime: z.string() }) },
      },
    },
    async (req) => ({
      idleExpiresAt: (await auth.keepAlive(deps, browserOf(req))).toISOString(),
      serverTime: new Date().toISOString(),
    }),
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { auth: 'mfa' }, schema: { tags: ['auth'], response: { 200: ok } } },
    async (req, reply) => {
      await auth.logout(deps, requestMeta(req), browserOf(req), false);
      clearSessionCookie(reply);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/auth/logout-everywhere',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'End every session of this user',
        response: { 200: z.object({ sessionsEnded: z.number() }) },
      },
    },
    async (req, reply) => {
      const n = await auth.logout(deps, requestMeta(req), browserOf(req), true);
      clearSessionCookie(reply);
      return { sessionsEnded: n };
    },
  );

  app.post(
    '/api/v1/auth/reauth',
    {
      config: { auth: 'session', rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'Re-authenticate with password or MFA code before a sensitive act',
        body: z.union([z.object({ password }).strict(), z.object({ code }).strict()]),
        response: { 200: z.object({ validUntil: z.string() }) },
      },
    },
    async (req) => {
      const body = req.body;
      const until = await auth.reauthenticate(
        deps,
        requestMeta(req),
        browserOf(req),
        'password' in body ? { password: body.password } : { code: body.code },
      );
      return { validUntil: until.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/mfa/enrolment',
    {
      config: { auth: 'mfa' },
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment: secret, otpauth URI and QR code',
        response: {
          200: z.object({ secret: z.string(), otpauthUri: z.string(), qrCodeDataUrl: z.string() }),
        },
      },
    },
    async (req) => mfa.startMfaEnrolment(deps, browserOf(req)),
  );

  app.post(
    '/api/v1/auth/mfa/enrolment/confirm',
    {
      config: { auth: 'mfa', rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'Confirm enrolment with a first code; returns 10 recovery codes once',
        body: z.object({ code }).strict(),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
      },
    },
    async (req) => ({
      recoveryCodes: await mfa.confirmMfaEnrolment(deps, requestMeta(req), browserOf(req), req.body.code),
    }),
  );

  app.post(
    '/api/v1/auth/mfa/disable',
    {
      config: { auth: 'session', rateLimit: limited },
      schema: { tags: ['auth'], body: z.object({ password }).strict(), response: { 200: ok } },
    },
    async (req) => {
      await mfa.disableMfa(deps, requestMeta(req), browserOf(req), req.body.password);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/auth/set-password',
    {
      config: { auth: 'public', rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'Set a password through a one-time link',
        body: z.object({ token: z.string().min(20).max(100), password }).strict(),
        response: { 200: ok },
      },
    },
    async (req) => {
      await passwords.setPasswordWithToken(deps, requestMeta(req), req.body.token, req.body.password);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { auth: 'session', rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'Change your password',
        body: z.object({ currentPassword: password, newPassword: password }).strict(),
        response: { 200: ok },
      },
    },
    async (req) => {
      await passwords.changePassword(
        deps,
        requestMeta(req),
        browserOf(req),
        req.body.currentPassword,
        req.body.newPassword,
      );
      return { ok: true as const };
    },
  );
};
