import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  actorFor,
  resolveApiToken,
  resolveAuthSession,
  type ResolvedSession,
} from '../services/authService.js';
import type { AppDeps, Ctx, RequestMeta } from '../services/context.js';
import { Forbidden, Unauthorized } from '../domain/errors.js';
import { safeEqual } from '../security/secrets.js';
import type { Actor } from '../security/accessPolicy.js';

export const SESSION_COOKIE = 'cb_session';

/** public: anyone; mfa: a browser session at any sign-in stage; session: a full browser session; user: session or API token. */
export type AuthLevel = 'public' | 'mfa' | 'session' | 'user';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthLevel;
    /** Reading this route does not count as activity for the idle time-out. */
    passive?: boolean;
  }
  interface FastifyRequest {
    browser: ResolvedSession | null;
    token: { actor: Actor; label: string } | null;
  }
}

export function requestMeta(req: FastifyRequest): RequestMeta {
  return {
    requestId: req.id,
    ip: req.ip ?? null,
    userAgent: req.headers['user-agent'] ?? null,
    secure: req.protocol === 'https',
  };
}

/** The explicit context for a use case, from whoever is signed in. */
export function ctxOf(req: FastifyRequest, deps: AppDeps): Ctx {
  const meta = requestMeta(req);
  if (req.browser && req.browser.session.stage === 'full') {
    return {
      ...deps,
      ...meta,
      actor: actorFor(req.browser),
      actorLabel: req.browser.user.email,
      reauthenticatedAt: req.browser.session.reauthenticated_at,
    };
  }
  if (req.token) return { ...deps, ...meta, actor: req.token.actor, actorLabel: req.token.label };
  throw new Unauthorized();
}

export function browserOf(req: FastifyRequest): ResolvedSession {
  if (!req.browser) throw new Unauthorized();
  return req.browser;
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: req.protocol === 'https',
    maxAge: 12 * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Resolves the caller on every /api request and enforces the route's auth level and CSRF. */
export function registerAuth(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('browser', null);
  app.decorateRequest('token', null);
  app.addHook('preHandler', async (req, reply) => {
    const level = req.routeOptions.config.auth ?? (req.url.startsWith('/api/v1/') ? 'user' : 'public');
    // Public routes (sign-in, set-up, static files) never act through a session: leave it untouched.
    if (level === 'public') return;
    const bearer = /^Bearer (cb_[A-Za-z0-9_-]{20,})$/.exec(req.headers.authorization ?? '')?.[1];
    const cookie = req.cookies[SESSION_COOKIE];
    if (bearer) {
      req.token = await resolveApiToken(deps, bearer);
      if (!req.token) throw new Unauthorized('API token not valid or revoked');
    } else if (cookie) {
      const found = await resolveAuthSession(
        deps,
        requestMeta(req),
        cookie,
        !req.routeOptions.config.passive,
      );
      if (found.ok) req.browser = found.value;
      else if (found.reason !== 'missing') clearSessionCookie(reply);
      if (!found.ok) {
        throw new Unauthorized(
          found.reason === 'idle_timeout'
            ? 'You were signed out after a period of inactivity.'
            : 'Sign in to continue',
          { reason: found.reason },
        );
      }
      // Browser requests that change state must carry the session's CSRF token.
      if (UNSAFE.has(req.method)) {
        const sent = req.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !safeEqual(sent, found.value.session.csrf_token))
          throw new Forbidden('Missing or wrong CSRF token. Reload the page.');
      }
    }
    if (level === 'user' && req.token) return;
    if (!req.browser) throw new Unauthorized();
    if (level === 'mfa') return;
    if (req.browser.session.stage !== 'full') {
      throw new Unauthorized(
        req.browser.session.stage === 'mfa_challenge'
          ? 'Enter your authentication code'
          : 'Set up two-step sign-in first',
        { reason: req.browser.session.stage },
      );
    }
  });
}
