/**
 * The JSON logs never contain PHI, passwords, tokens or cookies. A realistic sequence runs
 * against an app whose every log line is captured, then the log is searched for each secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentFor,
  login,
  NEW_CLIENT,
  openTestApp,
  PASSWORD,
  seedPractice,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { loginAttempt, tokenAgent } from '../support/staffAgents.js';

let t: TestApp;
let p: SeededPractice;

const NAME = { first: 'Ottoline', last: 'Vanderhoeven' };
const EMAIL = 'ottoline.v@example.test';
const PHONE = '555-014-9182';
const BACKGROUND = 'Hears voices at night since the accident; lorazepam 1mg';
const WRONG_PASSWORD = 'purple-elephant-wrong-guess-77';
const NEW_PASSWORD = 'violet harbour 3 lanterns';

beforeAll(async () => {
  t = await openTestApp();
  p = await seedPractice(t.deps);
});
afterAll(async () => t.close());

describe('logs', () => {
  it('hold requests and statuses but no PHI, passwords, tokens or cookies', async () => {
    const secrets: string[] = [
      NAME.first,
      NAME.last,
      EMAIL,
      PHONE,
      '1979-02-28',
      BACKGROUND,
      'lorazepam',
      PASSWORD,
      WRONG_PASSWORD,
      NEW_PASSWORD,
    ];

    // Sign in with a password (the cookie and CSRF token are secrets too).
    const res = await loginAttempt(t.app, p.users.clinician.email, PASSWORD, '10.6.0.1');
    const cookie = res.cookies.find((c) => c.name === 'cb_session')?.value ?? '';
    const csrf = res.json<{ csrfToken: string }>().csrfToken;
    secrets.push(cookie, csrf);
    const clinician = agentFor(t.app, `cb_session=${cookie}`, csrf);
    await loginAttempt(t.app, p.users.clinician.email, WRONG_PASSWORD, '10.6.0.2');

    // A client with a distinctive name, found by a search, with a background.
    const created = await clinician.post('/api/v1/clients', {
      ...NEW_CLIENT,
      legalFirstName: NAME.first,
      legalLastName: NAME.last,
      email: EMAIL,
      dateOfBirth: '1979-02-28',
      phones: [{ kind: 'mobile', number: PHONE, mayLeaveMessage: true }],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect(
      (await clinician.post('/api/v1/clients/search', { search: NAME.last })).json<{
        items: unknown[];
      }>().items,
    ).toHaveLength(1);
    expect((await clinician.post('/api/v1/clients/search', { search: PHONE })).statusCode).toBe(200);
    expect(
      (
        await clinician.patch(
          `/api/v1/clients/${id}/background`,
          { presenting_concerns: BACKGROUND },
          { 'if-match': '"1"' },
        )
      ).statusCode,
    ).toBe(200);
    // A refused edit that carries PHI in its body (invalid date), and one with an unknown field.
    expect(
      (
        await clinician.patch(
          `/api/v1/clients/${id}`,
          { legalLastName: NAME.last, dateOfBirth: `${NAME.first}-1979` },
          { 'if-match': '"1"' },
        )
      ).statusCode,
    ).toBe(400);
    expect(
      (await clinician.patch(`/api/v1/clients/${id}`, { [NAME.first]: NAME.last }, { 'if-match': '"1"' }))
        .statusCode,
    ).toBe(400);

    // An API token, used for a read.
    const token = await clinician.post('/api/v1/me/tokens', { name: 'reporting', scope: 'read' });
    const secret = token.json<{ secret: string }>().secret;
    secrets.push(secret);
    expect((await tokenAgent(t.app, secret).get(`/api/v1/clients/${id}`)).statusCode).toBe(200);
    // A bad token is logged no more than a good one.
    const fake = `cb_${'Z'.repeat(43)}`;
    secrets.push(fake);
    expect((await tokenAgent(t.app, fake).get('/api/v1/clients')).statusCode).toBe(401);

    // A new user's one-time link, used to set a password.
    const admin = await login(t.app, p.users.admin.email);
    const made = await admin.post('/api/v1/users', {
      email: `logs-${p.practiceId.slice(-6)}@example.test`,
      fullName: 'Linus Logless',
      roles: ['biller'],
    });
    const link =
      /#token=(.+)$/.exec(made.json<{ setPasswordLink: { url: string } }>().setPasswordLink.url)?.[1] ?? '';
    secrets.push(link);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/set-password',
          payload: { token: link, password: NEW_PASSWORD },
        })
      ).statusCode,
    ).toBe(200);

    const log = t.logs.join('');
    // Not vacuous: the requests were logged, by path and status.
    expect(log).toContain('/api/v1/clients');
    expect(log).toContain('"statusCode":400');
    expect(t.logs.length).toBeGreaterThan(20);
    for (const s of secrets) {
      expect(s.length).toBeGreaterThan(5);
      expect(log, `log leaks ${s.slice(0, 12)}…`).not.toContain(s);
    }
    expect(log.toLowerCase()).not.toContain(NAME.last.toLowerCase());
    expect(log).not.toMatch(/search=/);
  });
});
