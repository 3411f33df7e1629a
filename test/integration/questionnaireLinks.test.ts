/**
 * One-time questionnaire links: a clinician sends one, the client answers without signing in.
 * The token opens one form for one client once; every way a link can be dead looks the same and
 * reveals nothing; the token itself is never stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { LightMyRequestResponse } from 'fastify';
import {
  login,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { isProblem } from '../support/staffAgents.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import { clientNamed, newClient, type ClientView } from '../support/clinical.js';
import { bodies, expectWellFormed, payloadOf } from '../support/fuzzBodies.js';

let now = new Date();
let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let biller: Agent;
let clientA: ClientView;
let clientB: ClientView;

const HOUR = 3_600_000;
const PHQ9_ALL_ONES = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`q${i + 1}`, 1]));

interface Created {
  link: { id: string; status: string; expiresAt: string; clientId: string; instrument: string };
  url: string;
}

async function createLink(
  clientId: string,
  instrument = 'phq9',
  extra: Record<string, unknown> = {},
): Promise<Created & { token: string }> {
  const res = await clinician.post('/api/v1/measure-links', { clientId, instrument, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json<Created>();
  const token = new URL(body.url).hash.slice(1);
  return { ...body, token };
}

/** The client's browser: no cookie, no CSRF header, its own address. */
function publicPost(path: 'open' | 'submit', body: unknown, remoteAddress = '198.51.100.7') {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/public/questionnaire/${path}`,
    headers: { 'content-type': 'application/json', 'user-agent': 'ClientPhone/1.0' },
    payload: JSON.stringify(body),
    remoteAddress,
  });
}

/** Nothing about the client, the practice or the staff, and no id of any kind. */
function expectNothingLeaked(res: LightMyRequestResponse): void {
  // A problem's requestId (the x-request-id of this very request) is the one id allowed.
  const parsed = res.json<Record<string, unknown>>();
  delete parsed.requestId;
  const body = JSON.stringify(parsed);
  for (const word of [
    clientA.legalFirstName,
    clientA.legalLastName,
    clientA.clientCode,
    clientA.id,
    clientB.id,
    p.practiceId,
    'Practice ',
    'Casey',
    'Clinician',
    p.users.clinician.id,
  ])
    expect(body).not.toContain(word);
  expect(body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
}

/** The single answer every dead link gets. */
function expectDeadLink(res: LightMyRequestResponse): void {
  expect(res.statusCode, res.body).toBe(404);
  expect(isProblem(res)).toBe(true);
  const body = res.json<Record<string, unknown>>();
  expect(body.detail).toBe('This link is no longer valid');
  expect(Object.keys(body).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
  expectNothingLeaked(res);
}

async function administrationsOf(clientId: string) {
  const r = await db.query<{
    id: string;
    source: string;
    link_id: string | null;
    total: number;
    band: string;
  }>(
    'SELECT id, source, link_id, total, band FROM measure_administrations WHERE client_id = $1 ORDER BY created_at',
    [clientId],
  );
  return r.rows;
}

async function linkRow(id: string) {
  const r = await db.query<{ used_at: Date | null; token_hash: Buffer }>(
    'SELECT used_at, token_hash FROM measure_links WHERE id = $1',
    [id],
  );
  return r.rows[0];
}

beforeAll(async () => {
  t = await openTestApp(undefined, { clock: () => now });
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  biller = await login(t.app, p.users.biller.email);
  clientA = await newClient(clinician, clientNamed('Wilhelmina', 'Applegarth'));
  clientB = await newClient(clinician, clientNamed('Bartholomew', 'Brightwater'));
});

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('sending a link', () => {
  it('shows the URL once with the token in the fragment, stores only its SHA-256, and audits', async () => {
    const res = await clinician.post('/api/v1/measure-links', { clientId: clientA.id, instrument: 'gad7' });
    expect(res.statusCode, res.body).toBe(201);
    const { link, url } = res.json<Created>();
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe('http://casebook.test/questionnaire');
    const token = parsed.hash.slice(1);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.status).toBe('open');
    // Default expiry: 72 hours from the (injected) clock.
    expect(new Date(link.expiresAt).getTime() - now.getTime()).toBe(72 * HOUR);

    const row = await linkRow(link.id);
    expect(row?.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    const stored = await db.query<{ t: string }>(
      'SELECT to_jsonb(l)::text AS t FROM measure_links l WHERE id = $1',
      [link.id],
    );
    expect(stored.rows[0]?.t).not.toContain(token);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'measure_link.create',
        category: 'outcome_measure',
        client_id: clientA.id,
        actor_user_id: p.users.clinician.id,
        entity_id: link.id,
        details: { instrument: 'gad7', expiresInHours: 72 },
      }),
    ]);
    expect(JSON.stringify(await auditRowsOf(db, res.headers['x-request-id']))).not.toContain(token);
  });

  it('refuses an expiry over 14 days, an unknown instrument and extra fields; nothing is written', async () => {
    const before = await db.query('SELECT count(*)::int AS n FROM measure_links WHERE practice_id = $1', [
      p.practiceId,
    ]);
    for (const body of [
      { clientId: clientA.id, instrument: 'phq9', expiresInHours: 14 * 24 + 1 },
      { clientId: clientA.id, instrument: 'phq9', expiresInHours: 0 },
      { clientId: clientA.id, instrument: 'bdi2' },
      { clientId: clientA.id, instrument: 'phq9', token: 'mine' },
    ]) {
      const res = await clinician.post('/api/v1/measure-links', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const after = await db.query('SELECT count(*)::int AS n FROM measure_links WHERE practice_id = $1', [
      p.practiceId,
    ]);
    expect(after.rows).toEqual(before.rows);
  });

  it('takes client.writeNotes: a biller is refused and the refusal audited', async () => {
    const res = await biller.post('/api/v1/measure-links', { clientId: clientA.id, instrument: 'phq9' });
    expect(res.statusCode).toBe(403);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'measure_link.create',
        category: 'outcome_measure',
        outcome: 'denied',
      }),
    ]);
  });
});

describe('answering through a link', () => {
  it('opens only the form, then stores a scored administration from client_link and uses the link up', async () => {
    const { link, token } = await createLink(clientA.id);
    const opened = await publicPost('open', { token });
    expect(opened.statusCode, opened.body).toBe(200);
    const form = opened.json<{
      title: string;
      items: { id: string }[];
      options: unknown[];
      expiresAt: string;
    }>();
    expect(form.title).toContain('PHQ-9');
    expect(form.items.map((i) => i.id)).toEqual(Object.keys(PHQ9_ALL_ONES));
    expect(form.options).toHaveLength(4);
    expect(form.expiresAt).toBe(link.expiresAt);
    expectNothingLeaked(opened);
    expect(opened.cookies).toEqual([]);
    expect(await auditRowsOf(db, opened.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'measure_link.open',
        category: 'outcome_measure',
        client_id: clientA.id,
        actor_user_id: null,
        actor_label: 'Client (questionnaire link)',
        outcome: 'success',
      }),
    ]);

    const submitted = await publicPost('submit', {
      token,
      answers: { ...PHQ9_ALL_ONES, q9: 2, difficulty: 1 },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    expect(submitted.json()).toEqual({ received: true });
    expectNothingLeaked(submitted);

    const rows = await administrationsOf(clientA.id);
    expect(rows).toEqual([expect.objectContaining({ source: 'client_link', link_id: link.id, total: 10 })]);
    expect((await linkRow(link.id))?.used_at?.getTime()).toBe(now.getTime());
    // Item 9 above zero raises the risk alert, whoever filled in the form.
    const alerts = await db.query('SELECT kind FROM risk_alerts WHERE administration_id = $1', [rows[0]?.id]);
    expect(alerts.rows).toEqual([{ kind: 'phq9_item9' }]);
    const audit = await auditRowsOf(db, submitted.headers['x-request-id']);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'measure_link.submit',
        outcome: 'success',
        client_id: clientA.id,
        entity_id: link.id,
        details: { instrument: 'phq9', administrationId: rows[0]?.id },
      }),
      expect.objectContaining({
        action: 'risk_alert.raise',
        category: 'risk_alert',
        outcome: 'success',
        client_id: clientA.id,
        actor_user_id: null,
        actor_label: 'Client (questionnaire link)',
        entity_type: 'risk_alert',
      }),
    ]);

    // The token never reaches the server's logs (it travels in bodies, never in URLs).
    expect(t.logs.join('\n')).not.toContain(token);

    const listed = await clinician.get(`/api/v1/measure-links?clientId=${clientA.id}`);
    expect(listed.statusCode).toBe(200);
    const mine = listed
      .json<{ items: { id: string; status: string }[] }>()
      .items.find((l) => l.id === link.id);
    expect(mine?.status).toBe('used');
  });

  it('refuses an incomplete form with 422 naming the items, writes nothing, and keeps the link usable', async () => {
    const { link, token } = await createLink(clientB.id);
    const partial: Record<string, number> = { ...PHQ9_ALL_ONES };
    delete partial.q4;
    delete partial.q9;
    const res = await publicPost('submit', { token, answers: { ...partial, q2: 7 } });
    expect(res.statusCode, res.body).toBe(422);
    const paths = res
      .json<{ errors: { path: string }[] }>()
      .errors.map((e) => e.path)
      .sort();
    expect(paths).toEqual(['answers.q2', 'answers.q4', 'answers.q9']);
    expectNothingLeaked(res);
    expect(await administrationsOf(clientB.id)).toEqual([]);
    expect((await linkRow(link.id))?.used_at).toBeNull();
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'measure_link.submit', outcome: 'failure', client_id: clientB.id }),
    ]);
    const retry = await publicPost('submit', { token, answers: PHQ9_ALL_ONES });
    expect(retry.statusCode, retry.body).toBe(201);
    expect(await administrationsOf(clientB.id)).toHaveLength(1);
  });

  it("cannot choose the client: extra fields are 400 and the answers land on the link's own client", async () => {
    const { token, link } = await createLink(clientA.id, 'gad7');
    const before = await administrationsOf(clientB.id);
    const gad7 = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`q${i + 1}`, 0]));
    for (const body of [
      { token, answers: gad7, clientId: clientB.id },
      { token, answers: gad7, instrument: 'phq9' },
      { token, answers: gad7, linkId: link.id },
    ]) {
      const res = await publicPost('submit', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expectNothingLeaked(res);
      // The attempt is on record against the link's own client.
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({
          action: 'measure_link.submit',
          outcome: 'denied',
          client_id: clientA.id,
          entity_id: link.id,
          details: { instrument: 'gad7', reason: 'bad_request' },
        }),
      ]);
    }
    const extraOpen = await publicPost('open', { token, clientId: clientB.id });
    expect(extraOpen.statusCode).toBe(400);
    expect(await administrationsOf(clientB.id)).toEqual(before);
    expect((await linkRow(link.id))?.used_at).toBeNull();
    const ok = await publicPost('submit', { token, answers: gad7 });
    expect(ok.statusCode).toBe(201);
    const a = await administrationsOf(clientA.id);
    expect(a.find((r) => r.link_id === link.id)).toEqual(expect.objectContaining({ source: 'client_link' }));
    expect(await administrationsOf(clientB.id)).toEqual(before);
  });

  it('two concurrent submits: exactly one is saved, the other is refused like any dead link', async () => {
    const { link, token } = await createLink(clientB.id);
    // Hold the link's row so both submits get past every check and queue on the final UPDATE.
    const holder = await openTableOwner();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM measure_links WHERE id = $1 FOR UPDATE', [link.id]);
      const racing = Promise.all([
        publicPost('submit', { token, answers: PHQ9_ALL_ONES }),
        publicPost('submit', { token, answers: { ...PHQ9_ALL_ONES, q1: 3 } }),
      ]);
      for (let waited = 0; ; waited += 20) {
        const r = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE application_name = 'casebook' AND wait_event_type = 'Lock' AND query LIKE 'UPDATE measure_links%'`,
        );
        if ((r.rows[0]?.n ?? 0) >= 2) break;
        if (waited > 10_000) throw new Error('the two submits never met at the UPDATE');
        await new Promise((done) => setTimeout(done, 20));
      }
      await holder.query('COMMIT');
      const results = await racing;
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 404]);
      const loser = results.find((r) => r.statusCode === 404);
      if (!loser) throw new Error('no loser');
      expectDeadLink(loser);
      expect(await auditRowsOf(db, loser.headers['x-request-id'])).toEqual([
        expect.objectContaining({
          outcome: 'denied',
          details: { instrument: 'phq9', reason: 'used_concurrently' },
        }),
      ]);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    const rows = (await administrationsOf(clientB.id)).filter((r) => r.link_id === link.id);
    expect(rows).toHaveLength(1);
  });
});

describe('a dead link', () => {
  it('expired (by the injected clock), used, revoked, forged and malformed all get the same 404', async () => {
    const expiring = await createLink(clientA.id, 'phq9', { expiresInHours: 1 });
    const used = await createLink(clientA.id);
    expect((await publicPost('submit', { token: used.token, answers: PHQ9_ALL_ONES })).statusCode).toBe(201);
    const revoked = await createLink(clientA.id);
    const rev = await clinician.post(`/api/v1/measure-links/${revoked.link.id}/revoke`);
    expect(rev.statusCode, rev.body).toBe(200);
    expect(rev.json<{ status: string }>().status).toBe('revoked');
    expect(await auditRowsOf(db, rev.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'measure_link.revoke',
        client_id: clientA.id,
        entity_id: revoked.link.id,
      }),
    ]);
    const againRevoke = await clinician.post(`/api/v1/measure-links/${used.link.id}/revoke`);
    expect(againRevoke.statusCode).toBe(409);

    // Still open one millisecond before its end, dead from that instant on.
    const start = now;
    now = new Date(new Date(expiring.link.expiresAt).getTime() - 1);
    expect((await publicPost('open', { token: expiring.token })).statusCode).toBe(200);
    now = new Date(expiring.link.expiresAt);
    try {
      const before = await administrationsOf(clientA.id);
      const cases: [string, string, string | null][] = [
        ['expired', expiring.token, 'expired'],
        ['used', used.token, 'used'],
        ['revoked', revoked.token, 'revoked'],
        ['forged', randomBytes(32).toString('base64url'), null],
        ['malformed', 'not-a-token', null],
        ['empty', '', null],
      ];
      const bodies: string[] = [];
      for (const [name, token, reason] of cases) {
        for (const path of ['open', 'submit'] as const) {
          const res = await publicPost(path, path === 'open' ? { token } : { token, answers: PHQ9_ALL_ONES });
          expectDeadLink(res);
          const seen = res.json<Record<string, unknown>>();
          delete seen.requestId;
          delete seen.instance;
          bodies.push(JSON.stringify(seen));
          const audit = await auditRowsOf(db, res.headers['x-request-id']);
          if (reason === null) expect(audit, name).toEqual([]);
          else
            expect(audit, name).toEqual([
              expect.objectContaining({
                action: `measure_link.${path}`,
                outcome: 'denied',
                client_id: clientA.id,
                details: { instrument: 'phq9', reason },
              }),
            ]);
        }
      }
      expect(new Set(bodies).size).toBe(1);
      expect(await administrationsOf(clientA.id)).toEqual(before);
    } finally {
      now = start;
    }
  });

  it('the list shows each state, judged by the clock', async () => {
    const list = async () => {
      const res = await clinician.get(`/api/v1/measure-links?clientId=${clientA.id}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({ action: 'measure_link.list', client_id: clientA.id, outcome: 'success' }),
      ]);
      const items = res.json<{ items: { status: string; expiresAt: string }[] }>().items;
      return items;
    };
    const shortest = (await list())
      .filter((l) => l.status === 'open')
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))[0];
    expect(shortest).toBeDefined();
    const start = now;
    now = new Date(new Date(shortest?.expiresAt ?? 0).getTime());
    try {
      expect(new Set((await list()).map((l) => l.status))).toEqual(
        new Set(['open', 'used', 'revoked', 'expired']),
      );
    } finally {
      now = start;
    }
  });

  it('a link cannot be reopened with SQL: the row changes only from open to used or revoked', async () => {
    const { link, token } = await createLink(clientA.id);
    expect((await publicPost('submit', { token, answers: PHQ9_ALL_ONES })).statusCode).toBe(201);
    await expect(
      db.query('UPDATE measure_links SET used_at = NULL WHERE id = $1', [link.id]),
    ).rejects.toThrow(/changes only from open/);
  });
});

describe('guessing tokens', () => {
  it('is rate-limited per address', async () => {
    const limited = await openTestApp(undefined, { authRateLimit: 3, clock: () => now });
    try {
      const guess = (remoteAddress: string) =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/public/questionnaire/open',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ token: randomBytes(32).toString('base64url') }),
          remoteAddress,
        });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await guess('203.0.113.50')).statusCode);
      expect(statuses).toEqual([404, 404, 404]);
      const blocked = await guess('203.0.113.50');
      expect(blocked.statusCode).toBe(429);
      expect(isProblem(blocked)).toBe(true);
      expect((await guess('203.0.113.51')).statusCode).toBe(404);
    } finally {
      await limited.close();
    }
  });
});

describe('random bodies', () => {
  it('never get a 5xx, always a problem document, and never use a link up with bad answers', async () => {
    const { link, token } = await createLink(clientB.id);
    const before = await administrationsOf(clientB.id);
    // Every answer is text: no handful of random changes can turn this into a complete form.
    const NOT_ANSWERS = Object.fromEntries(Object.keys(PHQ9_ALL_ONES).map((k) => [k, 'x']));
    await fc.assert(
      fc.asyncProperty(bodies({ token, answers: NOT_ANSWERS }), async (body) => {
        for (const path of ['open', 'submit'] as const) {
          const res = await t.app.inject({
            method: 'POST',
            url: `/api/v1/public/questionnaire/${path}`,
            headers: { 'content-type': 'application/json' },
            payload: payloadOf(body),
            remoteAddress: '198.51.100.99',
          });
          expectWellFormed(res, body);
        }
      }),
      { numRuns: 60 },
    );
    expect(await administrationsOf(clientB.id)).toEqual(before);
    expect((await linkRow(link.id))?.used_at).toBeNull();
  });
});
