/**
 * Personal API tokens: shown once, stored only as a hash, scoped, revocable, last use recorded.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  login,
  NEW_CLIENT,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { isProblem, tokenAgent } from '../support/staffAgents.js';
import { auditRowsOf, clientFingerprint, countRows, openTableOwner } from '../support/tableOwner.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let clientId: string;

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  clientId = (await clinician.post('/api/v1/clients', NEW_CLIENT)).json<{ id: string }>().id;
});
afterAll(async () => {
  await db.end();
  await t.close();
});

async function newToken(scope: 'read' | 'read-write', agent = clinician) {
  const res = await agent.post('/api/v1/me/tokens', { name: `script ${scope}`, scope });
  expect(res.statusCode).toBe(201);
  return res.json<{ token: { id: string; prefix: string; lastUsedAt: string | null }; secret: string }>();
}

describe('personal API tokens', () => {
  it('shows the secret once and stores only its SHA-256', async () => {
    const created = await newToken('read');
    expect(created.secret).toMatch(/^cb_[A-Za-z0-9_-]{40,}$/);
    expect(created.token.prefix).toBe(created.secret.slice(0, 9));
    const row = await db.query<{ dump: string; hash: Buffer }>(
      'SELECT to_jsonb(t)::text AS dump, token_hash AS hash FROM api_tokens t WHERE id = $1',
      [created.token.id],
    );
    expect(row.rows[0]?.hash.equals(createHash('sha256').update(created.secret).digest())).toBe(true);
    expect(row.rows[0]?.dump).not.toContain(created.secret.slice(9));
    const list = await clinician.get('/api/v1/me/tokens');
    expect(list.body).not.toContain(created.secret.slice(9));
  });

  it('a read token can GET but every write is refused with 403, audited as the token, and writes nothing', async () => {
    const { secret, token } = await newToken('read');
    const bot = tokenAgent(t.app, secret);
    const get = await bot.get(`/api/v1/clients/${clientId}`);
    expect(get.statusCode).toBe(200);
    expect(await auditRowsOf(db, get.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'client.view',
        actor_token_id: token.id,
        actor_user_id: p.users.clinician.id,
      }),
    ]);
    expect((await bot.get('/api/v1/clients')).statusCode).toBe(200);
    expect((await bot.get(`/api/v1/clients/${clientId}/background`)).statusCode).toBe(200);

    const before = await clientFingerprint(db, clientId);
    const counts = await countRows(db, p.practiceId, ['clients', 'break_glass_grants']);
    const writes = [
      await bot.post('/api/v1/clients', NEW_CLIENT),
      await bot.patch(`/api/v1/clients/${clientId}`, { pronouns: 'she/her' }, { 'if-match': '"1"' }),
      await bot.patch(`/api/v1/clients/${clientId}/background`, { allergies: 'Bees' }, { 'if-match': '"1"' }),
      await bot.post(`/api/v1/clients/${clientId}/status`, { status: 'discharged' }, { 'if-match': '"1"' }),
      await bot.put(
        `/api/v1/clients/${clientId}/care-team`,
        { primaryClinicianId: p.users.clinician.id, memberIds: [] },
        { 'if-match': '"1"' },
      ),
    ];
    for (const res of writes) {
      expect(res.statusCode, res.body).toBe(403);
      expect(isProblem(res)).toBe(true);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({ outcome: 'denied', actor_token_id: token.id }),
      ]);
    }
    expect(await clientFingerprint(db, clientId)).toBe(before);
    expect(await countRows(db, p.practiceId, ['clients', 'break_glass_grants'])).toEqual(counts);
  });

  it('a read token of an owner cannot change settings or users', async () => {
    const owner = await login(t.app, p.users.owner.email);
    const { secret } = await newToken('read', owner);
    const bot = tokenAgent(t.app, secret);
    const settings = await bot.get('/api/v1/practice/settings');
    expect(settings.statusCode).toBe(200);
    expect(
      (
        await bot.patch(
          '/api/v1/practice/settings',
          { name: 'Token was here' },
          { 'if-match': String(settings.headers.etag) },
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await bot.post('/api/v1/users', {
          email: `tok-${p.practiceId}@example.test`,
          fullName: 'Via Token',
          roles: ['biller'],
        })
      ).statusCode,
    ).toBe(403);
    expect((await bot.get('/api/v1/audit/events')).statusCode).toBe(200);
  });

  it('a read-write token can write, needs no CSRF token, but cannot mint or revoke tokens', async () => {
    const { secret, token } = await newToken('read-write');
    const bot = tokenAgent(t.app, secret);
    const created = await bot.post('/api/v1/clients', NEW_CLIENT);
    expect(created.statusCode).toBe(201);
    expect((await bot.post('/api/v1/me/tokens', { name: 'child', scope: 'read' })).statusCode).toBe(401);
    expect((await bot.delete(`/api/v1/me/tokens/${token.id}`)).statusCode).toBe(401);
  });

  it('records the last use', async () => {
    const { secret, token } = await newToken('read');
    const lastUsed = async () =>
      (
        await db.query<{ t: Date | null }>('SELECT last_used_at AS t FROM api_tokens WHERE id = $1', [
          token.id,
        ])
      ).rows[0]?.t;
    expect(await lastUsed()).toBeNull();
    expect((await tokenAgent(t.app, secret).get('/api/v1/clients')).statusCode).toBe(200);
    expect(await lastUsed()).toBeInstanceOf(Date);
    const listed = (await clinician.get('/api/v1/me/tokens')).json<{
      items: { id: string; lastUsedAt: string | null }[];
    }>();
    expect(listed.items.find((i) => i.id === token.id)?.lastUsedAt).toEqual(expect.any(String));
  });

  it('a revoked token gets 401 at once', async () => {
    const { secret, token } = await newToken('read-write');
    const bot = tokenAgent(t.app, secret);
    expect((await bot.get('/api/v1/clients')).statusCode).toBe(200);
    const revoke = await clinician.delete(`/api/v1/me/tokens/${token.id}`);
    expect(revoke.statusCode).toBe(200);
    expect(await auditRowsOf(db, revoke.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'api_token.revoke', entity_id: token.id }),
    ]);
    const res = await bot.get('/api/v1/clients');
    expect(res.statusCode).toBe(401);
    expect(isProblem(res)).toBe(true);
    // Revoking again, or someone else's token, is 404.
    expect((await clinician.delete(`/api/v1/me/tokens/${token.id}`)).statusCode).toBe(404);
  });

  it('another user cannot revoke my token', async () => {
    const { secret, token } = await newToken('read');
    const other = await login(t.app, p.users.otherClinician.email);
    expect((await other.delete(`/api/v1/me/tokens/${token.id}`)).statusCode).toBe(404);
    expect((await tokenAgent(t.app, secret).get('/api/v1/clients')).statusCode).toBe(200);
  });

  it('a token of a deactivated user, and a made-up token, get 401', async () => {
    const biller = await login(t.app, p.users.biller.email);
    const { secret } = await newToken('read', biller);
    await db.query('UPDATE users SET active = false WHERE id = $1', [p.users.biller.id]);
    try {
      expect((await tokenAgent(t.app, secret).get('/api/v1/clients')).statusCode).toBe(401);
    } finally {
      await db.query('UPDATE users SET active = true WHERE id = $1', [p.users.biller.id]);
    }
    expect((await tokenAgent(t.app, `cb_${'A'.repeat(43)}`).get('/api/v1/clients')).statusCode).toBe(401);
    expect((await tokenAgent(t.app, 'not-a-token').get('/api/v1/clients')).statusCode).toBe(401);
  });
});
