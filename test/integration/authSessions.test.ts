/**
 * Signed-in browser sessions: idle time-out, absolute lifetime, log out, sign out everywhere,
 * and CSRF protection of every state-changing request made with the cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  agentFor,
  login,
  NEW_CLIENT,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { isProblem } from '../support/staffAgents.js';
import { auditRowsOf, clientFingerprint, countRows, openTableOwner } from '../support/tableOwner.js';

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

function tokenOf(agent: Agent): string {
  return agent.cookie.replace(/^cb_session=/, '');
}
/** Moves a session's clock fields as the table owner (the session is found by its user and newest). */
async function latestSession(userId: string): Promise<string> {
  const r = await db.query<{ id: string }>(
    'SELECT id FROM auth_sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1',
    [userId],
  );
  const id = r.rows[0]?.id;
  if (!id) throw new Error('no session');
  return id;
}

describe('idle time-out', () => {
  it('after idle_timeout_minutes without activity: 401 idle_timeout, session revoked, session.timeout audited', async () => {
    const agent = await login(t.app, p.users.clinician.email);
    expect((await agent.get('/api/v1/clients')).statusCode).toBe(200);
    const sid = await latestSession(p.users.clinician.id);
    await db.query("UPDATE auth_sessions SET last_seen_at = now() - interval '16 minutes' WHERE id = $1", [
      sid,
    ]);

    const res = await agent.get('/api/v1/clients');
    expect(res.statusCode).toBe(401);
    expect(isProblem(res)).toBe(true);
    expect(res.json()).toMatchObject({ reason: 'idle_timeout' });
    expect(res.cookies.find((c) => c.name === 'cb_session')?.value).toBe('');
    const rows = await auditRowsOf(db, res.headers['x-request-id']);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'session.timeout',
        category: 'authentication',
        outcome: 'success',
        actor_user_id: p.users.clinician.id,
        details: { idleMinutes: 15 },
      }),
    ]);
    const s = await db.query<{ revoked: boolean }>(
      'SELECT revoked_at IS NOT NULL AS revoked FROM auth_sessions WHERE id = $1',
      [sid],
    );
    expect(s.rows[0]?.revoked).toBe(true);
    // The cookie stays dead even once the clock would allow it again.
    await db.query('UPDATE auth_sessions SET last_seen_at = now() WHERE id = $1', [sid]);
    expect((await agent.get('/api/v1/clients')).statusCode).toBe(401);
  });

  it('uses the practice setting, not the default', async () => {
    const owner = await login(t.app, p.users.owner.email);
    const etag = String((await owner.get('/api/v1/practice/settings')).headers.etag);
    expect(
      (await owner.patch('/api/v1/practice/settings', { idleTimeoutMinutes: 30 }, { 'if-match': etag }))
        .statusCode,
    ).toBe(200);
    try {
      const agent = await login(t.app, p.users.supervisor.email);
      const sid = await latestSession(p.users.supervisor.id);
      await db.query("UPDATE auth_sessions SET last_seen_at = now() - interval '20 minutes' WHERE id = $1", [
        sid,
      ]);
      expect((await agent.get('/api/v1/clients')).statusCode).toBe(200);
      await db.query("UPDATE auth_sessions SET last_seen_at = now() - interval '31 minutes' WHERE id = $1", [
        sid,
      ]);
      const res = await agent.get('/api/v1/clients');
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ reason: 'idle_timeout' });
    } finally {
      const now = String((await owner.get('/api/v1/practice/settings')).headers.etag);
      await owner.patch('/api/v1/practice/settings', { idleTimeoutMinutes: 15 }, { 'if-match': now });
    }
  });

  it('activity keeps the session alive, but reading /auth/me (a passive poll) does not', async () => {
    const agent = await login(t.app, p.users.supervisee.email);
    const sid = await latestSession(p.users.supervisee.id);
    const seen = async () =>
      (
        await db.query<{ s: Date }>('SELECT last_seen_at AS s FROM auth_sessions WHERE id = $1', [sid])
      ).rows[0]?.s.getTime();
    await db.query("UPDATE auth_sessions SET last_seen_at = now() - interval '10 minutes' WHERE id = $1", [
      sid,
    ]);
    const stale = await seen();
    const me = await agent.get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(await seen()).toBe(stale);
    expect((await agent.post('/api/v1/auth/keepalive')).statusCode).toBe(200);
    expect(await seen()).toBeGreaterThan((stale ?? 0) + 9 * 60_000);
  });
});

describe('absolute lifetime', () => {
  it('a session past expires_at is refused with 401 expired, however active', async () => {
    const agent = await login(t.app, p.users.biller.email);
    const sid = await latestSession(p.users.biller.id);
    const life = await db.query<{ hours: number }>(
      'SELECT extract(epoch FROM expires_at - created_at)::int / 3600 AS hours FROM auth_sessions WHERE id = $1',
      [sid],
    );
    expect(life.rows[0]?.hours).toBe(12);
    await db.query(
      "UPDATE auth_sessions SET expires_at = now() - interval '1 second', last_seen_at = now() WHERE id = $1",
      [sid],
    );
    const res = await agent.get('/api/v1/clients');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ reason: 'expired' });
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'session.expired', actor_user_id: p.users.biller.id }),
    ]);
  });
});

describe('log out', () => {
  it('ends this session only; the cookie no longer works', async () => {
    const a = await login(t.app, p.users.scheduler.email);
    const b = await login(t.app, p.users.scheduler.email);
    const res = await a.post('/api/v1/auth/logout');
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'cb_session')?.value).toBe('');
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'logout', details: { sessionsEnded: 1 } }),
    ]);
    expect((await a.get('/api/v1/clients')).statusCode).toBe(401);
    expect((await b.get('/api/v1/clients')).statusCode).toBe(200);
  });

  it('sign out everywhere ends every session of the user and no one else’s', async () => {
    const u = p.users.otherClinician;
    const sessions = [await login(t.app, u.email), await login(t.app, u.email), await login(t.app, u.email)];
    const bystander = await login(t.app, p.users.clinician.email);
    const res = await sessions[0]?.post('/api/v1/auth/logout-everywhere');
    expect(res?.statusCode).toBe(200);
    expect(res?.json()).toEqual({ sessionsEnded: 3 });
    for (const s of sessions) expect((await s.get('/api/v1/clients')).statusCode).toBe(401);
    const open = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NULL',
      [u.id],
    );
    expect(open.rows[0]?.n).toBe(0);
    expect((await bystander.get('/api/v1/clients')).statusCode).toBe(200);
  });
});

describe('CSRF', () => {
  let agent: Agent;
  let clientId: string;
  beforeAll(async () => {
    agent = await login(t.app, p.users.clinician.email);
    clientId = (await agent.post('/api/v1/clients', NEW_CLIENT)).json<{ id: string }>().id;
  });

  /** A cookie-authenticated request with no CSRF header, or a wrong one. */
  function send(
    csrf: string | null,
    method: 'POST' | 'PATCH' | 'PUT',
    url: string,
    body: unknown,
    extra: Record<string, string> = {},
  ) {
    return t.app.inject({
      method,
      url,
      headers: {
        cookie: agent.cookie,
        'content-type': 'application/json',
        ...(csrf === null ? {} : { 'x-csrf-token': csrf }),
        ...extra,
      },
      payload: JSON.stringify(body),
    });
  }

  for (const [label, csrf] of [
    ['no x-csrf-token', null],
    ['a wrong x-csrf-token', 'not-the-token-0123456789'],
  ] as const) {
    it(`cookie requests with ${label} are refused with 403 and write nothing`, async () => {
      const counts = await countRows(db, p.practiceId, ['clients', 'api_tokens', 'break_glass_grants']);
      const before = await clientFingerprint(db, clientId);
      const v1 = { 'if-match': '"1"' };
      const responses = [
        await send(csrf, 'POST', '/api/v1/clients', NEW_CLIENT),
        await send(csrf, 'PATCH', `/api/v1/clients/${clientId}`, { pronouns: 'he/him' }, v1),
        await send(csrf, 'PATCH', `/api/v1/clients/${clientId}/background`, { allergies: 'Latex' }, v1),
        await send(csrf, 'POST', `/api/v1/clients/${clientId}/status`, { status: 'discharged' }, v1),
        await send(
          csrf,
          'PUT',
          `/api/v1/clients/${clientId}/care-team`,
          { primaryClinicianId: p.users.clinician.id, memberIds: [p.users.supervisee.id] },
          v1,
        ),
        await send(csrf, 'POST', `/api/v1/clients/${clientId}/break-glass`, {
          reason: 'Testing the CSRF wall here',
        }),
        await send(csrf, 'POST', '/api/v1/me/tokens', { name: 'csrf', scope: 'read-write' }),
        await send(csrf, 'POST', '/api/v1/auth/logout', {}),
      ];
      for (const res of responses) {
        expect(res.statusCode, res.body).toBe(403);
        expect(isProblem(res)).toBe(true);
        expect(res.json<{ detail: string }>().detail).toMatch(/CSRF/);
      }
      expect(await clientFingerprint(db, clientId)).toBe(before);
      expect(await countRows(db, p.practiceId, ['clients', 'api_tokens', 'break_glass_grants'])).toEqual(
        counts,
      );
      // The refused logout did not end the session.
      expect((await agent.get('/api/v1/clients')).statusCode).toBe(200);
    });
  }

  it('the CSRF token of another session does not work', async () => {
    const other = await login(t.app, p.users.clinician.email);
    const mixed = agentFor(t.app, agent.cookie, other.csrf);
    const res = await mixed.post('/api/v1/clients', NEW_CLIENT);
    expect(res.statusCode).toBe(403);
    expect(tokenOf(mixed)).toBe(tokenOf(agent));
  });

  it('safe methods need no token, and the right token is accepted', async () => {
    const get = await t.app.inject({
      method: 'GET',
      url: `/api/v1/clients/${clientId}`,
      headers: { cookie: agent.cookie },
    });
    expect(get.statusCode).toBe(200);
    expect(
      (await agent.patch(`/api/v1/clients/${clientId}`, { pronouns: 'he/him' }, { 'if-match': '"1"' }))
        .statusCode,
    ).toBe(200);
  });
});
