/**
 * Accounts made by an owner/admin get a one-time set-password link: single use, expiring,
 * replaced by a newer link, and the password policy (length, common passwords, own name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { App } from '../../src/http/app.js';
import {
  login,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { isProblem, loginAttempt } from '../support/staffAgents.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let admin: Agent;

const GOOD = 'lantern orchard quietly 7 rivers';

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  admin = await login(t.app, p.users.admin.email);
});
afterAll(async () => {
  await db.end();
  await t.close();
});

function tokenFrom(url: string): string {
  const m = /#token=([A-Za-z0-9_-]+)$/.exec(url);
  if (!m?.[1]) throw new Error(`no token in ${url}`);
  return m[1];
}

async function newUser(label: string): Promise<{ id: string; email: string; token: string }> {
  const email = `${label}-${p.practiceId.slice(-8)}@example.test`;
  const res = await admin.post('/api/v1/users', {
    email,
    fullName: 'Robin Newcomer',
    roles: ['clinician'],
    credentials: 'LPC',
  });
  expect(res.statusCode).toBe(201);
  const body = res.json<{ user: { id: string; hasPassword: boolean }; setPasswordLink: { url: string } }>();
  expect(body.user.hasPassword).toBe(false);
  // The secret travels in the fragment, so it never reaches a server log or a Referer header.
  expect(body.setPasswordLink.url).toMatch(/^http:\/\/casebook\.test\/set-password#token=/);
  return { id: body.user.id, email, token: tokenFrom(body.setPasswordLink.url) };
}

function setPassword(app: App, token: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/v1/auth/set-password', payload: { token, password } });
}

describe('set-password links', () => {
  it('a new account cannot sign in before it has a password', async () => {
    const u = await newUser('before');
    expect((await loginAttempt(t.app, u.email, GOOD, '10.2.0.1')).statusCode).toBe(401);
    const row = await db.query<{ dump: string }>(
      'SELECT to_jsonb(x)::text AS dump FROM password_tokens x WHERE user_id = $1',
      [u.id],
    );
    expect(row.rows[0]?.dump).not.toContain(u.token);
  });

  it('refuses weak passwords with a 422 field error and keeps the link usable', async () => {
    const u = await newUser('policy');
    const cases: [string, RegExp][] = [
      ['short pass', /at least 12/],
      ['Password1234', /too common/],
      ['letmein12345!', /too common/],
      ['aaaaaaaaaaaaaaaa', /too few characters|too common/],
      [`robin${'x'.repeat(3)} newcomer garden`, /name or email/],
    ];
    for (const [pw, message] of cases) {
      const res = await setPassword(t.app, u.token, pw);
      expect(res.statusCode, pw).toBe(422);
      expect(isProblem(res)).toBe(true);
      const errors = res.json<{ errors: { path: string; message: string }[] }>().errors;
      expect(errors).toEqual([{ path: 'password', message: expect.stringMatching(message) as unknown }]);
    }
    const used = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM password_tokens WHERE user_id = $1 AND used_at IS NOT NULL',
      [u.id],
    );
    expect(used.rows[0]?.n).toBe(0);
    expect((await setPassword(t.app, u.token, GOOD)).statusCode).toBe(200);
  });

  it('works once: sets the password, audits, and the same link is then refused', async () => {
    const u = await newUser('once');
    const res = await setPassword(t.app, u.token, GOOD);
    expect(res.statusCode).toBe(200);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'password.set',
        category: 'account',
        actor_user_id: u.id,
        entity_id: u.id,
      }),
    ]);
    expect((await loginAttempt(t.app, u.email, GOOD, '10.2.0.2')).statusCode).toBe(200);
    const again = await setPassword(t.app, u.token, 'another fine 9 passphrase');
    expect(again.statusCode).toBe(422);
    expect(again.json<{ errors: { path: string }[] }>().errors).toEqual([
      expect.objectContaining({ path: 'token' }),
    ]);
    expect((await loginAttempt(t.app, u.email, 'another fine 9 passphrase', '10.2.0.3')).statusCode).toBe(
      401,
    );
  });

  it('an expired link is refused', async () => {
    const u = await newUser('expired');
    await db.query("UPDATE password_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1", [
      u.id,
    ]);
    const res = await setPassword(t.app, u.token, GOOD);
    expect(res.statusCode).toBe(422);
    const hasPassword = await db.query<{ set: boolean }>(
      'SELECT password_hash IS NOT NULL AS set FROM users WHERE id = $1',
      [u.id],
    );
    expect(hasPassword.rows[0]?.set).toBe(false);
  });

  it('a newer link replaces the older one; setting a password ends existing sessions', async () => {
    const u = await newUser('newer');
    expect((await setPassword(t.app, u.token, GOOD)).statusCode).toBe(200);
    const session = await login(t.app, u.email, GOOD);
    const first = await admin.post(`/api/v1/users/${u.id}/password-link`);
    const second = await admin.post(`/api/v1/users/${u.id}/password-link`);
    const oldToken = tokenFrom(first.json<{ setPasswordLink: { url: string } }>().setPasswordLink.url);
    const newToken = tokenFrom(second.json<{ setPasswordLink: { url: string } }>().setPasswordLink.url);
    expect((await setPassword(t.app, oldToken, 'orchard lantern 8 quietly')).statusCode).toBe(422);
    expect((await setPassword(t.app, newToken, 'orchard lantern 8 quietly')).statusCode).toBe(200);
    expect((await session.get('/api/v1/clients')).statusCode).toBe(401);
  });

  it('a made-up link is refused the same way', async () => {
    const res = await setPassword(t.app, 'x'.repeat(43), GOOD);
    expect(res.statusCode).toBe(422);
    expect(isProblem(res)).toBe(true);
  });
});

describe('changing your password', () => {
  it('needs the current password and applies the same policy', async () => {
    const u = await newUser('change');
    expect((await setPassword(t.app, u.token, GOOD)).statusCode).toBe(200);
    const agent = await login(t.app, u.email, GOOD);
    const wrong = await agent.post('/api/v1/auth/password', {
      currentPassword: 'not it at all',
      newPassword: 'meadow copper 5 whistle',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json<{ errors: { path: string }[] }>().errors).toEqual([
      expect.objectContaining({ path: 'currentPassword' }),
    ]);
    const common = await agent.post('/api/v1/auth/password', {
      currentPassword: GOOD,
      newPassword: 'Password1234',
    });
    expect(common.statusCode).toBe(422);
    expect(common.json<{ errors: { path: string }[] }>().errors).toEqual([
      expect.objectContaining({ path: 'newPassword' }),
    ]);
    const ok = await agent.post('/api/v1/auth/password', {
      currentPassword: GOOD,
      newPassword: 'meadow copper 5 whistle',
    });
    expect(ok.statusCode).toBe(200);
    expect((await loginAttempt(t.app, u.email, 'meadow copper 5 whistle', '10.2.0.4')).statusCode).toBe(200);
    expect((await loginAttempt(t.app, u.email, GOOD, '10.2.0.5')).statusCode).toBe(401);
  });
});
