/**
 * Sign-in: one generic refusal whatever went wrong, lockout after repeated bad passwords,
 * throttling per account and per address. Every failing attempt here comes from an address of
 * its own (see loginAttempt), because failures are throttled across the whole database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { LightMyRequestResponse } from 'fastify';
import {
  login,
  openTestApp,
  PASSWORD,
  seedPractice,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { isProblem, loginAttempt } from '../support/staffAgents.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import { SIGN_IN_FAILED, LOCK_AFTER_FAILURES } from '../../src/services/authService.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
const NIL_PRACTICE = '00000000-0000-0000-0000-000000000000';

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
});
afterAll(async () => {
  await db.end();
  await t.close();
});

/** The part of a refusal an attacker could compare: everything but the per-request id. */
function visible(res: LightMyRequestResponse) {
  const { requestId, ...rest } = res.json<Record<string, unknown>>();
  expect(requestId).toBe(res.headers['x-request-id']);
  return {
    status: res.statusCode,
    type: res.headers['content-type'],
    body: rest,
    cookie: res.headers['set-cookie'] ?? null,
  };
}

async function sessionsOf(userId: string): Promise<number> {
  return (
    (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM auth_sessions WHERE user_id = $1', [
        userId,
      ])
    ).rows[0]?.n ?? -1
  );
}

describe('sign-in', () => {
  it('succeeds with the right password: session cookie, CSRF token, audit row', async () => {
    const res = await loginAttempt(t.app, p.users.biller.email.toUpperCase(), PASSWORD, '10.1.0.1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ stage: 'full', csrfToken: expect.any(String) as unknown });
    const cookie = res.cookies.find((c) => c.name === 'cb_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    const rows = await auditRowsOf(db, res.headers['x-request-id']);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'login',
        category: 'authentication',
        outcome: 'success',
        actor_user_id: p.users.biller.id,
        ip: '10.1.0.1',
      }),
    ]);
    // The session token is stored only as a hash.
    const raw = await db.query<{ t: string }>(
      'SELECT to_jsonb(s)::text AS t FROM auth_sessions s WHERE user_id = $1',
      [p.users.biller.id],
    );
    for (const r of raw.rows) expect(r.t).not.toContain(cookie?.value ?? '@@');
  });

  it('gives the same answer for an unknown email, a wrong password, a deactivated user and a locked account', async () => {
    const admin = await login(t.app, p.users.admin.email);
    const sched = p.users.scheduler;
    const v = (await db.query<{ version: number }>('SELECT version FROM users WHERE id = $1', [sched.id]))
      .rows[0]?.version;
    expect(
      (await admin.patch(`/api/v1/users/${sched.id}`, { active: false }, { 'if-match': `"${v}"` }))
        .statusCode,
    ).toBe(200);
    await db.query("UPDATE users SET locked_until = now() + interval '10 minutes' WHERE id = $1", [
      p.users.auditor.id,
    ]);

    const unknown = await loginAttempt(t.app, `nobody-${p.practiceId}@example.test`, PASSWORD, '10.1.0.2');
    const wrong = await loginAttempt(t.app, p.users.supervisor.email, 'not the password at all', '10.1.0.2');
    const deactivated = await loginAttempt(t.app, sched.email, PASSWORD, '10.1.0.2');
    const locked = await loginAttempt(t.app, p.users.auditor.email, PASSWORD, '10.1.0.2');

    const expected = visible(unknown);
    expect(expected.status).toBe(401);
    expect(expected.body).toMatchObject({ detail: SIGN_IN_FAILED, status: 401 });
    expect(isProblem(unknown)).toBe(true);
    for (const res of [wrong, deactivated, locked]) expect(visible(res)).toEqual(expected);
    for (const u of [sched.id, p.users.auditor.id]) expect(await sessionsOf(u)).toBe(0);

    // The audit trail knows why, even though the answer does not say.
    const reason = async (res: LightMyRequestResponse) =>
      (await auditRowsOf(db, res.headers['x-request-id'])).map((r) => [
        r.practice_id,
        r.outcome,
        r.details.reason,
      ]);
    expect(await reason(unknown)).toEqual([[NIL_PRACTICE, 'failure', 'unknown_account']]);
    expect(await reason(wrong)).toEqual([[p.practiceId, 'failure', 'bad_password']]);
    expect(await reason(deactivated)).toEqual([[p.practiceId, 'failure', 'deactivated']]);
    expect(await reason(locked)).toEqual([[p.practiceId, 'failure', 'locked']]);
  });
});

describe('lockout', () => {
  it(`locks the account after ${LOCK_AFTER_FAILURES} bad passwords, refuses even the right one, and lifts when locked_until passes`, async () => {
    const u = p.users.otherClinician;
    for (let i = 1; i <= LOCK_AFTER_FAILURES; i++) {
      const res = await loginAttempt(t.app, u.email, `wrong password number ${i}`, '10.1.1.1');
      expect(res.statusCode).toBe(401);
    }
    const state = await db.query<{ failed_logins: number; locked: boolean }>(
      'SELECT failed_logins, locked_until > now() AS locked FROM users WHERE id = $1',
      [u.id],
    );
    expect(state.rows[0]).toEqual({ failed_logins: LOCK_AFTER_FAILURES, locked: true });

    const refused = await loginAttempt(t.app, u.email, PASSWORD, '10.1.1.2');
    expect(refused.statusCode).toBe(401);
    expect(refused.json<{ detail: string }>().detail).toBe(SIGN_IN_FAILED);
    expect(await sessionsOf(u.id)).toBe(0);

    // Time passes (as the table owner): the lock has expired.
    await db.query("UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1", [u.id]);
    const ok = await loginAttempt(t.app, u.email, PASSWORD, '10.1.1.3');
    expect(ok.statusCode).toBe(200);
    const after = await db.query<{ failed_logins: number; locked_until: Date | null }>(
      'SELECT failed_logins, locked_until FROM users WHERE id = $1',
      [u.id],
    );
    expect(after.rows[0]).toEqual({ failed_logins: 0, locked_until: null });
  });
});

describe('throttling', () => {
  it('per account name: after 10 failures in 15 minutes, 429 with Retry-After, even for an unknown name', async () => {
    const email = `ghost-${p.practiceId}@example.test`;
    for (let i = 0; i < 10; i++) {
      expect((await loginAttempt(t.app, email, `guess number ${i}`, `10.1.2.${i + 1}`)).statusCode).toBe(401);
    }
    const res = await loginAttempt(t.app, email, 'one more guess', '10.1.2.50');
    expect(res.statusCode).toBe(429);
    expect(isProblem(res)).toBe(true);
    expect(res.headers['retry-after']).toBe('900');
  });

  it('per address: after 30 failures from one address, that address is refused even with the right password', async () => {
    const ip = '10.1.3.3';
    // 29 earlier failures from this address (inserted directly to spare 29 argon2 runs), then one real one.
    await db.query(
      "INSERT INTO login_attempts (email, ip, succeeded) SELECT 'spray' || g || '@example.test', $1, false FROM generate_series(1, 29) g",
      [ip],
    );
    expect(
      (await loginAttempt(t.app, `spray-real-${p.practiceId}@example.test`, 'password spray', ip)).statusCode,
    ).toBe(401);
    const recorded = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM login_attempts WHERE ip = $1 AND NOT succeeded',
      [ip],
    );
    expect(recorded.rows[0]?.n).toBe(30);

    const before = await sessionsOf(p.users.supervisee.id);
    const refused = await loginAttempt(t.app, p.users.supervisee.email, PASSWORD, ip);
    expect(refused.statusCode).toBe(429);
    expect(isProblem(refused)).toBe(true);
    expect(await sessionsOf(p.users.supervisee.id)).toBe(before);
    // Another address is not affected.
    expect((await loginAttempt(t.app, p.users.supervisee.email, PASSWORD, '10.1.3.4')).statusCode).toBe(200);
  });

  it('the auth routes are rate limited per address per minute, answering with a problem document', async () => {
    const limited = await openTestApp(undefined, { authRateLimit: 2 });
    try {
      const send = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: '10.1.4.4',
          payload: {},
        });
      expect((await send()).statusCode).toBe(400);
      expect((await send()).statusCode).toBe(400);
      const third = await send();
      expect(third.statusCode).toBe(429);
      expect(isProblem(third)).toBe(true);
    } finally {
      await limited.close();
    }
  });
});
