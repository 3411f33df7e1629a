/**
 * Rules that keep management honest: an admin cannot widen their own access, a practice always
 * keeps an active owner, and database-enforced rules answer 4xx, never 500.
 */
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
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let owner: Agent;
let admin: Agent;

async function versionOf(agent: Agent, userId: string): Promise<number> {
  const users = (await agent.get('/api/v1/users')).json<{ items: { id: string; version: number }[] }>().items;
  const u = users.find((x) => x.id === userId);
  if (!u) throw new Error('user not listed');
  return u.version;
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  owner = await login(t.app, p.users.owner.email);
  admin = await login(t.app, p.users.admin.email);
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('an admin', () => {
  it('cannot turn on "admins see all clients"; the owner can', async () => {
    const etag = String((await admin.get('/api/v1/practice/settings')).headers.etag);
    const refused = await admin.patch(
      '/api/v1/practice/settings',
      { adminsSeeAllClients: true },
      { 'if-match': etag },
    );
    expect(refused.statusCode).toBe(403);
    expect((await auditRowsOf(db, refused.headers['x-request-id'])).map((r) => r.outcome)).toEqual([
      'denied',
    ]);
    expect((await admin.get('/api/v1/practice/settings')).headers.etag).toBe(etag);
    const done = await owner.patch(
      '/api/v1/practice/settings',
      { adminsSeeAllClients: true },
      { 'if-match': etag },
    );
    expect(done.statusCode).toBe(200);
  });

  it('cannot add roles to themselves', async () => {
    const v = await versionOf(admin, p.users.admin.id);
    const res = await admin.patch(
      `/api/v1/users/${p.users.admin.id}`,
      { roles: ['admin', 'auditor'] },
      { 'if-match': `"${v}"` },
    );
    expect(res.statusCode).toBe(403);
    expect(await versionOf(admin, p.users.admin.id)).toBe(v);
  });
});

describe('the last owner', () => {
  it('cannot give up the owner role or be deactivated while no other owner is active', async () => {
    const v = await versionOf(owner, p.users.owner.id);
    const drop = await owner.patch(
      `/api/v1/users/${p.users.owner.id}`,
      { roles: ['admin'] },
      { 'if-match': `"${v}"` },
    );
    expect(drop.statusCode).toBe(422);
    expect(await versionOf(owner, p.users.owner.id)).toBe(v);

    // With a second owner, the first may step down.
    const av = await versionOf(owner, p.users.admin.id);
    expect(
      (
        await owner.patch(
          `/api/v1/users/${p.users.admin.id}`,
          { roles: ['owner', 'admin'] },
          { 'if-match': `"${av}"` },
        )
      ).statusCode,
    ).toBe(200);
    expect(
      (await owner.patch(`/api/v1/users/${p.users.owner.id}`, { roles: ['admin'] }, { 'if-match': `"${v}"` }))
        .statusCode,
    ).toBe(200);
  });
});

describe('database rules answer 4xx', () => {
  it('a break-glass reason of ten UTF-16 units but five characters is refused with 400', async () => {
    const clinician = await login(t.app, p.users.clinician.email);
    const other = await login(t.app, p.users.otherClinician.email);
    const c = (await other.post('/api/v1/clients', NEW_CLIENT)).json<{ id: string }>();
    const res = await clinician.post(`/api/v1/clients/${c.id}/break-glass`, { reason: '😀😀😀😀😀' });
    expect(res.statusCode).toBe(400);
    const ok = await clinician.post(`/api/v1/clients/${c.id}/break-glass`, {
      reason: 'Crisis call while the treating clinician is away',
    });
    expect(ok.statusCode).toBe(201);
  });

  it('two concurrent creations of one email give one 201 and one 409', async () => {
    const body = { email: 'twin@example.test', fullName: 'Twin Person', roles: ['biller'] };
    const codes = (await Promise.all([owner.post('/api/v1/users', body), owner.post('/api/v1/users', body)]))
      .map((r) => r.statusCode)
      .sort();
    expect(codes).toEqual([201, 409]);
  });

  it('counts unreviewed emergency accesses for owners and admins only, and audits the list', async () => {
    const count = await owner.get('/api/v1/break-glass/unreviewed-count');
    expect(count.statusCode).toBe(200);
    expect(count.json<{ count: number }>().count).toBeGreaterThan(0);
    expect(
      (await (await login(t.app, p.users.clinician.email)).get('/api/v1/break-glass/unreviewed-count'))
        .statusCode,
    ).toBe(403);
    const list = await owner.get('/api/v1/break-glass?unreviewed=true');
    expect((await auditRowsOf(db, list.headers['x-request-id'])).map((r) => r.action)).toEqual([
      'break_glass.list',
    ]);
  });

  it('reviews an emergency access by id however many there are', async () => {
    const list = (await owner.get('/api/v1/break-glass?unreviewed=true')).json<{ items: { id: string }[] }>()
      .items;
    expect(list.length).toBeGreaterThan(0);
    const id = list[0]?.id ?? '';
    const res = await owner.post(`/api/v1/break-glass/${id}/review`);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ id: string; reviewedAt: string | null }>()).toMatchObject({
      id,
      reviewedAt: expect.any(String) as unknown,
    });
    expect((await owner.post(`/api/v1/break-glass/${id}/review`)).statusCode).toBe(404);
  });
});
