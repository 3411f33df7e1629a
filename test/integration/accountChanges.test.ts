/**
 * Changing your own credentials: a wrong current password counts toward lockout and is
 * audited; a new password ends your other sessions; replacing an authenticator needs a fresh
 * re-authentication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { currentTotp } from '../../src/security/totp.js';
import {
  login,
  openTestApp,
  PASSWORD,
  seedPractice,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('password change', () => {
  it('refuses a wrong current password with a field error, audits it and counts it toward lockout', async () => {
    const agent = await login(t.app, p.users.biller.email);
    const res = await agent.post('/api/v1/auth/password', {
      currentPassword: 'not my password at all',
      newPassword: 'a brand new passphrase 7',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('currentPassword');
    const rows = await auditRowsOf(db, res.headers['x-request-id']);
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([['password.change', 'failure']]);
    const u = await db.query<{ failed_logins: number }>('SELECT failed_logins FROM users WHERE id = $1', [
      p.users.biller.id,
    ]);
    expect(u.rows[0]?.failed_logins).toBe(1);
  });

  it('locks the account and ends its sessions after five wrong current passwords', async () => {
    const agent = await login(t.app, p.users.auditor.email);
    let last = 0;
    for (let i = 0; i < 5; i++) {
      last = (
        await agent.post('/api/v1/auth/password', {
          currentPassword: `wrong guess number ${i}`,
          newPassword: 'a brand new passphrase 7',
        })
      ).statusCode;
    }
    expect(last).toBe(401);
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(401);
    await expect(login(t.app, p.users.auditor.email)).rejects.toThrow(/401/);
  });

  it('ends the other sessions of the user but keeps the one that changed it', async () => {
    const here = await login(t.app, p.users.scheduler.email);
    const elsewhere = await login(t.app, p.users.scheduler.email);
    const res = await here.post('/api/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'lantern orchard violet 88',
    });
    expect(res.statusCode).toBe(200);
    expect((await here.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/v1/auth/me')).statusCode).toBe(401);
    await expect(login(t.app, p.users.scheduler.email)).rejects.toThrow(/401/);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: p.users.scheduler.email, password: 'lantern orchard violet 88' },
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('replacing an authenticator', () => {
  it('needs a fresh re-authentication once MFA is on', async () => {
    const agent = await login(t.app, p.users.otherClinician.email);
    const start = await agent.post('/api/v1/auth/mfa/enrolment');
    expect(start.statusCode).toBe(200);
    const { secret } = start.json<{ secret: string }>();
    expect(
      (await agent.post('/api/v1/auth/mfa/enrolment/confirm', { code: currentTotp(secret) })).statusCode,
    ).toBe(200);

    const again = await agent.post('/api/v1/auth/mfa/enrolment');
    expect(again.statusCode).toBe(403);
    expect(again.json<{ reason: string }>().reason).toBe('reauth_required');

    expect((await agent.post('/api/v1/auth/reauth', { password: PASSWORD })).statusCode).toBe(200);
    expect((await agent.post('/api/v1/auth/mfa/enrolment')).statusCode).toBe(200);
  });
});

describe('guessing the second factor', () => {
  it('is not reset by signing in with the password again: the fifth wrong code locks the account', async () => {
    const agent = await login(t.app, p.users.supervisee.email);
    const start = await agent.post('/api/v1/auth/mfa/enrolment');
    const { secret } = start.json<{ secret: string }>();
    expect(
      (await agent.post('/api/v1/auth/mfa/enrolment/confirm', { code: currentTotp(secret) })).statusCode,
    ).toBe(200);

    const live = new Set([-1, 0, 1, 2].map((d) => currentTotp(secret, Date.now() + d * 30_000)));
    const wrong = ['000000', '111111', '222222', '333333', '444444', '555555'].filter((c) => !live.has(c));
    const guess = async (code: string) => {
      const challenge = await login(t.app, p.users.supervisee.email);
      return (await challenge.post('/api/v1/auth/mfa', { code })).statusCode;
    };
    // Four wrong codes, each after a fresh (correct) password step, then a fifth.
    for (const code of wrong.slice(0, 4)) expect(await guess(code)).toBe(401);
    expect(await guess(wrong[4] ?? '666666')).toBe(401);
    const u = await db.query<{ locked: boolean }>(
      'SELECT locked_until > now() AS locked FROM users WHERE id = $1',
      [p.users.supervisee.id],
    );
    expect(u.rows[0]?.locked).toBe(true);
    // Now even the right password is refused.
    await expect(login(t.app, p.users.supervisee.email)).rejects.toThrow(/401/);
  });
});
