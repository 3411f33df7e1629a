/**
 * HTTP hygiene: security headers, HSTS only under HTTPS, a request id on every response,
 * problem documents for malformed input, health checks, and the OpenAPI document.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../support/globalDatabase.js';
import {
  login,
  NEW_CLIENT,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { isProblem } from '../support/staffAgents.js';

let t: TestApp;
let p: SeededPractice;
let clinician: Agent;

beforeAll(async () => {
  t = await openTestApp();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
});
afterAll(async () => t.close());

/** Every route the route modules declare, read from their source: [method, fastify path]. */
async function declaredRoutes(): Promise<[string, string][]> {
  const dir = fileURLToPath(new URL('../../src/http/routes/', import.meta.url));
  const out: [string, string][] = [];
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.ts')) continue;
    const text = await readFile(dir + file, 'utf8');
    for (const m of text.matchAll(/app\.(get|post|patch|put|delete)\(\s*'([^']+)'/g))
      out.push([(m[1] ?? '').toUpperCase(), m[2] ?? '']);
  }
  return out;
}

describe('security headers', () => {
  it('are on API answers, problems and health checks alike', async () => {
    for (const res of [
      await clinician.get('/api/v1/clients'),
      await t.app.inject({ url: '/api/v1/nope' }),
      await t.app.inject({ url: '/healthz' }),
    ]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      // Plain HTTP: no HSTS (a browser would pin HTTPS for a host that may not have it).
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('HSTS and Secure cookies under HTTPS (behind a trusted proxy)', async () => {
    process.env.CASEBOOK_TRUST_PROXY = '1';
    const https = await openTestApp();
    delete process.env.CASEBOOK_TRUST_PROXY;
    try {
      const res = await https.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: p.users.biller.email, password: 'correct horse battery staple 42' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
      expect(res.cookies.find((c) => c.name === 'cb_session')).toMatchObject({
        secure: true,
        httpOnly: true,
        sameSite: 'Strict',
      });
      // Without the proxy's word, the same app answers plain HTTP without HSTS.
      expect(
        (await https.app.inject({ url: '/healthz' })).headers['strict-transport-security'],
      ).toBeUndefined();
    } finally {
      await https.close();
    }
  });
});

describe('request ids', () => {
  it('every response carries a fresh x-request-id, and problems repeat it', async () => {
    const responses = [
      await t.app.inject({ url: '/healthz' }),
      await t.app.inject({ url: '/api/v1/clients' }),
      await clinician.get('/api/v1/clients'),
      await clinician.post('/api/v1/clients', { nope: true }),
      await t.app.inject({ url: '/api/v1/nothing-here' }),
      await t.app.inject({ url: '/api/openapi.json' }),
    ];
    const ids = responses.map((r) => r.headers['x-request-id']);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of responses.filter((x) => x.statusCode >= 400))
      expect(r.json<{ requestId: string }>().requestId).toBe(r.headers['x-request-id']);
  });

  it('a client cannot choose the request id', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'attacker-chosen' } });
    expect(res.headers['x-request-id']).not.toBe('attacker-chosen');
  });
});

describe('malformed input gets a problem document, never a 500', () => {
  const post = (payload: string, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: { cookie: clinician.cookie, 'x-csrf-token': clinician.csrf, 'content-type': contentType },
      payload,
    });

  it('a body over the limit: 413', async () => {
    const res = await post(JSON.stringify({ ...NEW_CLIENT, referralSource: 'x'.repeat(300 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(isProblem(res)).toBe(true);
  });

  it('invalid JSON: 400', async () => {
    const res = await post('{"legalFirstName": "Jo",');
    expect(res.statusCode).toBe(400);
    expect(isProblem(res)).toBe(true);
    expect(res.json<{ detail: string }>().detail).toBe('The request body is not valid JSON.');
  });

  it('an unknown field: 400 naming it', async () => {
    const res = await post(JSON.stringify({ ...NEW_CLIENT, favouriteColour: 'teal' }));
    expect(res.statusCode).toBe(400);
    expect(isProblem(res)).toBe(true);
    expect(JSON.stringify(res.json())).toContain('favouriteColour');
  });

  it('a missing or wrong field: 400 with the field path', async () => {
    const res = await post(JSON.stringify({ ...NEW_CLIENT, dateOfBirth: '12/04/1991' }));
    expect(res.statusCode).toBe(400);
    const errors = res.json<{ errors: { path: string; message: string }[] }>().errors;
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors)
      expect(e).toEqual({ path: 'body.dateOfBirth', message: expect.any(String) as unknown });
  });

  it('a prototype-pollution body: 400', async () => {
    const res = await post('{"__proto__": {"admin": true}, "legalFirstName": "Jo"}');
    expect(res.statusCode).toBe(400);
    expect(isProblem(res)).toBe(true);
  });

  it('an unsupported media type: 415', async () => {
    const res = await post('<client/>', 'application/xml');
    expect(res.statusCode).toBe(415);
    expect(isProblem(res)).toBe(true);
  });

  it('a NUL character anywhere (body, query, nested): 400, where PostgreSQL would have failed', async () => {
    const cases = [
      await post(JSON.stringify({ ...NEW_CLIENT, legalFirstName: 'Jo\u0000' })),
      await post(
        JSON.stringify({ ...NEW_CLIENT, contacts: [{ name: 'Pat\u0000', relationship: 'Parent' }] }),
      ),
      await clinician.post('/api/v1/clients/search', { search: 'Ri\u0000' }),
      await clinician.get('/api/v1/clients?status=active%00'),
    ];
    for (const res of cases) {
      expect(res.statusCode).toBe(400);
      expect(isProblem(res)).toBe(true);
    }
    expect(cases[1]?.json<{ errors: { path: string }[] }>().errors).toEqual([
      { path: 'body.contacts.0.name', message: expect.any(String) as unknown },
    ]);
  });

  it('half of a surrogate pair in a JSON string (jsonb cannot store it): 400, and a whole pair is fine', async () => {
    const address = { line1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701' };
    const broken = await post(JSON.stringify({ ...NEW_CLIENT, address: { ...address, country: '\ud800' } }));
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('body.address.country');
    const whole = await post(
      JSON.stringify({ ...NEW_CLIENT, preferredName: 'Jo 😀', address: { ...address, country: 'US' } }),
    );
    expect(whole.statusCode).toBe(201);
  });

  it('refuses search text in a URL (it belongs in the POST body): 400', async () => {
    const res = await clinician.get('/api/v1/clients?search=Rivera');
    expect(res.statusCode).toBe(400);
    expect(isProblem(res)).toBe(true);
  });

  it('a date PostgreSQL cannot store (year 0): 400', async () => {
    const res = await post(JSON.stringify({ ...NEW_CLIENT, intakeDate: '0000-03-01' }));
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { path: string }[] }>().errors).toEqual([
      expect.objectContaining({ path: 'body.intakeDate' }),
    ]);
  });

  it('a forged list cursor: 422', async () => {
    for (const c of [['a\u0000', '01a21cbe-4eb5-7120-a6a3-26ff319c170e'], ['a', '-'.repeat(36)], ['a']]) {
      const res = await clinician.get(
        `/api/v1/clients?cursor=${Buffer.from(JSON.stringify(c)).toString('base64url')}`,
      );
      expect(res.statusCode, JSON.stringify(c)).toBe(422);
      expect(isProblem(res)).toBe(true);
    }
  });

  it('an unknown API path: 404 problem when signed in, 401 before (the API map is not for strangers)', async () => {
    const res = await clinician.get('/api/v1/no/such/thing');
    expect(res.statusCode).toBe(404);
    expect(isProblem(res)).toBe(true);
    const anonymous = await t.app.inject({ url: '/api/v1/no/such/thing' });
    expect(anonymous.statusCode).toBe(401);
    expect(isProblem(anonymous)).toBe(true);
  });
});

describe('health', () => {
  it('/healthz says the process is up; /readyz that the database answers', async () => {
    const h = await t.app.inject({ url: '/healthz' });
    expect([h.statusCode, h.json()]).toEqual([200, { status: 'ok' }]);
    const r = await t.app.inject({ url: '/readyz' });
    expect([r.statusCode, r.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('/readyz is 503 when the database does not answer, while /healthz stays 200', async () => {
    const down = await openTestApp(withDatabase(inject('serverUrl'), 'casebook_no_such_database'));
    try {
      const r = await down.app.inject({ url: '/readyz' });
      expect([r.statusCode, r.json()]).toEqual([503, { status: 'unavailable' }]);
      expect((await down.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await down.close();
    }
  });
});

describe('API description', () => {
  it('/api/openapi.json is OpenAPI 3.1 and lists every /api/v1 route with its method', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\.1\./);
    const routes = (await declaredRoutes()).filter(([, path]) => path.startsWith('/api/v1/'));
    expect(routes.length).toBeGreaterThan(25);
    for (const [method, path] of routes) {
      expect(t.app.hasRoute({ method, url: path }), `${method} ${path} is served`).toBe(true);
      const openapiPath = path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(
        doc.paths[openapiPath]?.[method.toLowerCase()],
        `${method} ${openapiPath} documented`,
      ).toBeDefined();
    }
  });

  it('/api/docs serves an HTML page', async () => {
    let res = await t.app.inject({ url: '/api/docs' });
    if (res.statusCode >= 300 && res.statusCode < 400)
      res = await t.app.inject({ url: String(res.headers.location).replace(/^\.\//, '/api/docs/') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
  });
});
