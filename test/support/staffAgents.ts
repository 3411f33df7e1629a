import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/http/app.js';
import { agentFor, login, PASSWORD, type Agent, type SeededPractice, type StaffKey } from './testApp.js';

export const STAFF_KEYS: readonly StaffKey[] = [
  'owner',
  'admin',
  'clinician',
  'otherClinician',
  'supervisor',
  'supervisee',
  'biller',
  'scheduler',
  'auditor',
];

/** Signs in every seeded user of a practice (one argon2 verification each). */
export async function loginStaff(app: App, practice: SeededPractice): Promise<Record<StaffKey, Agent>> {
  const out = {} as Record<StaffKey, Agent>;
  for (const key of STAFF_KEYS) out[key] = await login(app, practice.users[key].email);
  return out;
}

/**
 * A sign-in attempt from a chosen client address. Failed sign-ins are throttled per address
 * across the whole database, so tests that fail on purpose use an address of their own and
 * never slow down the other test files (which sign in from 127.0.0.1).
 */
export function loginAttempt(
  app: App,
  email: string,
  password: string,
  remoteAddress: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    payload: { email, password },
  });
}

/** Signs in (from a chosen address) and returns an agent for the session, whatever its stage. */
export async function startSession(
  app: App,
  email: string,
  remoteAddress = '127.0.0.1',
  password = PASSWORD,
): Promise<Agent & { stage: string }> {
  const res = await loginAttempt(app, email, password, remoteAddress);
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'cb_session');
  if (!c) throw new Error('no session cookie');
  const body = res.json<{ csrfToken: string; stage: string }>();
  return { ...agentFor(app, `cb_session=${c.value}`, body.csrfToken), stage: body.stage };
}

/** An agent that authenticates with a personal API token instead of a cookie. */
export function tokenAgent(app: App, secret: string): Agent {
  const request: Agent['request'] = (method, url, body, headers = {}) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${secret}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    } satisfies InjectOptions);
  return {
    csrf: '',
    cookie: '',
    request,
    get: (url, h) => request('GET', url, undefined, h),
    post: (url, body, h) => request('POST', url, body ?? {}, h),
    patch: (url, body, h) => request('PATCH', url, body, h),
    put: (url, body, h) => request('PUT', url, body, h),
    delete: (url, h) => request('DELETE', url, undefined, h),
  };
}

/** Problem documents are RFC 9457 application/problem+json with a status that matches. */
export function isProblem(res: LightMyRequestResponse): boolean {
  if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) return false;
  const body = res.json<{ status?: unknown; title?: unknown; type?: unknown }>();
  return body.status === res.statusCode && typeof body.title === 'string' && typeof body.type === 'string';
}
