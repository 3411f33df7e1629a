/**
 * TOTP two-step sign-in: enrolment, the challenge at sign-in, no replay of a code, one-time
 * recovery codes, a practice that requires MFA, and re-authentication with password or code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { currentTotp } from '../../src/security/totp.js';
import {
  login,
  openTestApp,
  PASSWORD,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { isProblem, startSession } from '../support/staffAgents.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let strict: SeededPractice;

const STEP_MS = 30_000;

/**
 * A code for the earliest time step the server still accepts (one step of drift) that is newer
 * than the last step used. Waits out the last two seconds of a step so the code cannot age
 * out between making it and sending it.
 */
async function nextCode(secret: string, lastStep: number | null): Promise<{ code: string; step: number }> {
  while (Date.now() % STEP_MS > STEP_MS - 2_000) await new Promise((r) => setTimeout(r, 250));
  const current = Math.floor(Date.now() / STEP_MS);
  const step = Math.max(current - 1, (lastStep ?? -Infinity) + 1);
  if (step > current + 1) throw new Error('used every acceptable step already');
  return { code: currentTotp(secret, step * STEP_MS + 1_000), step };
}

interface Enrolled {
  email: string;
  secret: string;
  recoveryCodes: string[];
  lastStep: number;
}

async function enrol(agent: Agent, email: string): Promise<Enrolled> {
  const start = await agent.post('/api/v1/auth/mfa/enrolment');
  expect(start.statusCode).toBe(200);
  const { secret, otpauthUri, qrCodeDataUrl } = start.json<{
    secret: string;
    otpauthUri: string;
    qrCodeDataUrl: string;
  }>();
  expect(otpauthUri).toContain(`secret=${secret}`);
  expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
  const now = Date.now();
  const live = new Set([-1, 0, 1].map((d) => currentTotp(secret, now + d * STEP_MS)));
  const wrong = ['000000', '111111', '222222', '333333'].find((c) => !live.has(c)) ?? '444444';
  const bad = await agent.post('/api/v1/auth/mfa/enrolment/confirm', { code: wrong });
  expect(bad.statusCode).toBe(422);
  const { code, step } = await nextCode(secret, null);
  const ok = await agent.post('/api/v1/auth/mfa/enrolment/confirm', { code });
  expect(ok.statusCode).toBe(200);
  const recoveryCodes = ok.json<{ recoveryCodes: string[] }>().recoveryCodes;
  expect(await auditRowsOf(db, ok.headers['x-request-id'])).toEqual([
    expect.objectContaining({ action: 'mfa.enrol', category: 'mfa', outcome: 'success' }),
  ]);
  return { email, secret, recoveryCodes, lastStep: step };
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  [p, strict] = await Promise.all([seedPractice(t.deps), seedPractice(t.deps)]);
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('MFA enrolment and sign-in', () => {
  let u: Enrolled;
  let full: Agent | undefined;
  beforeAll(async () => {
    const agent = await login(t.app, p.users.clinician.email);
    u = await enrol(agent, p.users.clinician.email);
  });

  it('stores 10 recovery codes hashed and the TOTP secret encrypted', async () => {
    expect(u.recoveryCodes).toHaveLength(10);
    expect(new Set(u.recoveryCodes).size).toBe(10);
    const codes = await db.query<{ code_hash: string }>(
      'SELECT code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL',
      [p.users.clinician.id],
    );
    expect(codes.rows).toHaveLength(10);
    for (const r of codes.rows) {
      expect(r.code_hash).toMatch(/^\$argon2id\$/);
      for (const c of u.recoveryCodes) expect(r.code_hash).not.toContain(c);
    }
    const user = await db.query<{ dump: string; secret: Buffer }>(
      'SELECT to_jsonb(x)::text AS dump, mfa_secret AS secret FROM users x WHERE id = $1',
      [p.users.clinician.id],
    );
    expect(user.rows[0]?.secret.toString('latin1')).not.toContain(u.secret);
    expect(user.rows[0]?.dump).not.toContain(u.secret);
  });

  it('sign-in then stops at the code; every other route is 401 until it is given; a replayed code is refused', async () => {
    const s = await startSession(t.app, u.email, '10.3.0.1');
    expect(s.stage).toBe('mfa_challenge');
    const blocked = await s.get('/api/v1/clients');
    expect(blocked.statusCode).toBe(401);
    expect(isProblem(blocked)).toBe(true);
    expect(blocked.json()).toMatchObject({ reason: 'mfa_challenge' });
    expect((await s.get('/api/v1/auth/me')).json()).toMatchObject({ session: { stage: 'mfa_challenge' } });
    // Enrolling a new secret from the challenge stage would skip the challenge.
    expect((await s.post('/api/v1/auth/mfa/enrolment')).statusCode).toBe(401);
    expect((await s.post('/api/v1/auth/mfa/enrolment/confirm', { code: '123456' })).statusCode).toBe(401);

    // The code used to confirm enrolment has been spent.
    const replay = await s.post('/api/v1/auth/mfa', {
      code: currentTotp(u.secret, u.lastStep * STEP_MS + 1_000),
    });
    expect(replay.statusCode).toBe(401);
    expect(await auditRowsOf(db, replay.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'login.mfa', outcome: 'failure' }),
    ]);

    const next = await nextCode(u.secret, u.lastStep);
    const ok = await s.post('/api/v1/auth/mfa', { code: next.code });
    expect(ok.statusCode).toBe(200);
    u.lastStep = next.step;
    expect(await auditRowsOf(db, ok.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'login.mfa', outcome: 'success', details: { method: 'totp' } }),
    ]);
    expect((await s.get('/api/v1/clients')).statusCode).toBe(200);
    full = s;

    // The same code on another sign-in is refused.
    const other = await startSession(t.app, u.email, '10.3.0.2');
    expect((await other.post('/api/v1/auth/mfa', { code: next.code })).statusCode).toBe(401);
    expect((await other.get('/api/v1/clients')).statusCode).toBe(401);
  });

  it('re-authentication with a fresh TOTP code works once; the code cannot be replayed', async () => {
    if (!full) throw new Error('needs the signed-in session of the previous test');
    const next = await nextCode(u.secret, u.lastStep);
    const ok = await full.post('/api/v1/auth/reauth', { code: next.code });
    expect(ok.statusCode).toBe(200);
    u.lastStep = next.step;
    expect(await auditRowsOf(db, ok.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'reauth', outcome: 'success', details: { method: 'code' } }),
    ]);
    expect((await full.post('/api/v1/auth/reauth', { code: next.code })).statusCode).toBe(401);
  });

  it('a recovery code works once', async () => {
    const code = u.recoveryCodes[0] ?? '';
    const s1 = await startSession(t.app, u.email, '10.3.0.3');
    const ok = await s1.post('/api/v1/auth/mfa', { code: code.toUpperCase() });
    expect(ok.statusCode).toBe(200);
    expect(await auditRowsOf(db, ok.headers['x-request-id'])).toEqual([
      expect.objectContaining({ details: { method: 'recovery' } }),
    ]);
    const s2 = await startSession(t.app, u.email, '10.3.0.4');
    expect((await s2.post('/api/v1/auth/mfa', { code })).statusCode).toBe(401);
    const left = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL',
      [p.users.clinician.id],
    );
    expect(left.rows[0]?.n).toBe(9);
  });

  it('five wrong codes lock the account and end the waiting session', async () => {
    const s = await startSession(t.app, p.users.clinician.email, '10.3.0.5');
    await db.query('UPDATE users SET failed_logins = 0 WHERE id = $1', [p.users.clinician.id]);
    for (let i = 0; i < 5; i++)
      expect((await s.post('/api/v1/auth/mfa', { code: '999999' })).statusCode).toBe(401);
    const state = await db.query<{ locked: boolean }>(
      'SELECT locked_until > now() AS locked FROM users WHERE id = $1',
      [p.users.clinician.id],
    );
    expect(state.rows[0]?.locked).toBe(true);
    expect((await s.post('/api/v1/auth/mfa', { code: u.recoveryCodes[1] ?? '' })).statusCode).toBe(401);
    await db.query('UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE id = $1', [
      p.users.clinician.id,
    ]);
  });
});

describe('re-authentication', () => {
  it('with the password: 200 and a validity window; a wrong password is 401 and audited', async () => {
    const agent = await login(t.app, p.users.supervisor.email);
    const ok = await agent.post('/api/v1/auth/reauth', { password: PASSWORD });
    expect(ok.statusCode).toBe(200);
    const until = new Date(ok.json<{ validUntil: string }>().validUntil).getTime();
    expect(until).toBeGreaterThan(Date.now());
    expect(await auditRowsOf(db, ok.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'reauth', outcome: 'success', details: { method: 'password' } }),
    ]);
    const bad = await agent.post('/api/v1/auth/reauth', { password: 'definitely not it' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ reauth: true });
    expect(await auditRowsOf(db, bad.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'reauth', outcome: 'failure' }),
    ]);
    // A failed re-authentication does not sign the user out.
    expect((await agent.get('/api/v1/clients')).statusCode).toBe(200);
  });

  it('a user without MFA cannot re-authenticate with a code', async () => {
    const agent = await login(t.app, p.users.supervisee.email);
    const res = await agent.post('/api/v1/auth/reauth', { code: '123456' });
    expect(res.statusCode).toBe(401);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'reauth', outcome: 'failure' }),
    ]);
  });

  it('five wrong passwords lock the account and end the session, as at sign-in', async () => {
    const u = p.users.biller;
    const agent = await login(t.app, u.email);
    for (let i = 0; i < 5; i++)
      expect((await agent.post('/api/v1/auth/reauth', { password: `guess number ${i}` })).statusCode).toBe(
        401,
      );
    const state = await db.query<{ locked: boolean }>(
      'SELECT locked_until > now() AS locked FROM users WHERE id = $1',
      [u.id],
    );
    expect(state.rows[0]?.locked).toBe(true);
    expect((await agent.get('/api/v1/clients')).statusCode).toBe(401);
    expect((await agent.post('/api/v1/auth/reauth', { password: PASSWORD })).statusCode).toBe(401);
  });
});

describe('a practice that requires MFA', () => {
  it('puts users without MFA into enrolment at sign-in; nothing else works until they enrol', async () => {
    const owner = await login(t.app, strict.users.owner.email);
    const etag = String((await owner.get('/api/v1/practice/settings')).headers.etag);
    expect(
      (await owner.patch('/api/v1/practice/settings', { mfaRequired: true }, { 'if-match': etag }))
        .statusCode,
    ).toBe(200);

    const s = await startSession(t.app, strict.users.biller.email, '10.3.1.1');
    expect(s.stage).toBe('mfa_enrolment');
    for (const url of [
      '/api/v1/clients',
      '/api/v1/users',
      '/api/v1/practice/settings',
      '/api/v1/me/tokens',
    ]) {
      const res = await s.get(url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toMatchObject({ reason: 'mfa_enrolment' });
    }
    expect((await s.post('/api/v1/me/tokens', { name: 'sneaky', scope: 'read' })).statusCode).toBe(401);
    await enrol(s, strict.users.biller.email);
    expect((await s.get('/api/v1/clients')).statusCode).toBe(200);
    expect((await s.get('/api/v1/auth/me')).json()).toMatchObject({
      user: { mfaEnabled: true },
      session: { stage: 'full' },
    });
    // Turning MFA off is refused while the practice requires it.
    const off = await s.post('/api/v1/auth/mfa/disable', { password: PASSWORD });
    expect(off.statusCode).toBe(403);
    const still = await db.query<{ on: boolean }>(
      'SELECT mfa_enabled_at IS NOT NULL AS on FROM users WHERE id = $1',
      [strict.users.biller.id],
    );
    expect(still.rows[0]?.on).toBe(true);
  });
});
