/**
 * Property tests: random and mutated JSON bodies (and query strings) never get a 5xx, every
 * 4xx is an RFC 9457 problem document, and a refused request never leaves a partial write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type pg from 'pg';
import {
  login,
  NEW_CLIENT,
  openTestApp,
  PASSWORD,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import {
  anyValue,
  bodies,
  expectWellFormed,
  nastyString,
  payloadOf,
  type Body,
} from '../support/fuzzBodies.js';
import { clientFingerprint, openTableOwner } from '../support/tableOwner.js';

const RUNS = 60;

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let admin: Agent;
let owner: Agent;
let clientId: string;

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  [clinician, admin, owner] = [
    await login(t.app, p.users.clinician.email),
    await login(t.app, p.users.admin.email),
    await login(t.app, p.users.owner.email),
  ];
  clientId = (await clinician.post('/api/v1/clients', NEW_CLIENT)).json<{ id: string }>().id;
});
afterAll(async () => {
  await db.end();
  await t.close();
});

function send(
  agent: Agent,
  method: 'POST' | 'PATCH',
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method,
    url,
    headers: {
      cookie: agent.cookie,
      'x-csrf-token': agent.csrf,
      'content-type': 'application/json',
      ...headers,
    },
    payload: payloadOf(body),
  });
}

async function counts(sql: string, params: unknown[]): Promise<Record<string, number>> {
  const r = await db.query<Record<string, number>>(sql, params);
  const row = r.rows[0];
  if (!row) throw new Error('no counts');
  return row;
}

const CLIENT_COUNTS = `SELECT
  (SELECT count(*)::int FROM clients WHERE practice_id = $1) AS clients,
  (SELECT count(*)::int FROM client_contacts WHERE practice_id = $1) AS contacts,
  (SELECT count(*)::int FROM client_keys WHERE practice_id = $1) AS keys,
  (SELECT count(*)::int FROM client_backgrounds WHERE practice_id = $1) AS backgrounds,
  (SELECT count(*)::int FROM care_team_members WHERE practice_id = $1) AS team,
  (SELECT count(*)::int FROM audit_events WHERE practice_id = $1 AND action = 'client.create' AND outcome = 'success') AS audited`;

// ------------------------------------------------------------------ properties

const VALID_CLIENT: Body = {
  ...NEW_CLIENT,
  genderIdentity: 'non-binary',
  sex: 'unknown',
  address: { line1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
  preferredLanguage: 'en',
  referralSource: 'Self',
  intakeDate: '2024-03-01',
};

describe('random bodies never give a 5xx or a partial write', () => {
  it('POST /api/v1/clients', async () => {
    await fc.assert(
      fc.asyncProperty(bodies(VALID_CLIENT), async (body) => {
        const before = await counts(CLIENT_COUNTS, [p.practiceId]);
        const res = await send(clinician, 'POST', '/api/v1/clients', body);
        expectWellFormed(res, body);
        const after = await counts(CLIENT_COUNTS, [p.practiceId]);
        if (res.statusCode === 201) {
          const created = res.json<{ contacts: unknown[] }>();
          expect(after).toEqual({
            clients: (before.clients ?? 0) + 1,
            contacts: (before.contacts ?? 0) + created.contacts.length,
            keys: (before.keys ?? 0) + 1,
            backgrounds: (before.backgrounds ?? 0) + 1,
            team: (before.team ?? 0) + 1,
            audited: (before.audited ?? 0) + 1,
          });
        } else {
          expect(after).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('PATCH /api/v1/clients/:id', async () => {
    const base: Body = { ...VALID_CLIENT, pronouns: 'she/her' };
    delete base.legalFirstName;
    await fc.assert(
      fc.asyncProperty(bodies(base), async (body) => {
        const before = await clientFingerprint(db, clientId);
        const version = (JSON.parse(before) as { client: { version: number } }).client.version;
        const res = await send(clinician, 'PATCH', `/api/v1/clients/${clientId}`, body, {
          'if-match': `"${version}"`,
        });
        expectWellFormed(res, body);
        const after = await clientFingerprint(db, clientId);
        if (res.statusCode === 200) {
          expect((JSON.parse(after) as { client: { version: number } }).client.version).toBe(version + 1);
          expect(res.json<{ version: number }>().version).toBe(version + 1);
        } else {
          expect(after).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('PATCH /api/v1/clients/:id/background', async () => {
    const base: Body = {
      presenting_concerns: 'Low mood',
      medications: 'None',
      allergies: 'Pollen',
      substance_use: 'Social drinking',
    };
    await fc.assert(
      fc.asyncProperty(bodies(base), async (body) => {
        const before = await clientFingerprint(db, clientId);
        const version = (JSON.parse(before) as { background: { version: number } }).background.version;
        const res = await send(clinician, 'PATCH', `/api/v1/clients/${clientId}/background`, body, {
          'if-match': `"${version}"`,
        });
        expectWellFormed(res, body);
        const after = await clientFingerprint(db, clientId);
        if (res.statusCode === 200)
          expect((JSON.parse(after) as { background: { version: number } }).background.version).toBe(
            version + 1,
          );
        else expect(after).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /api/v1/users', async () => {
    let n = 0;
    const USER_COUNTS = `SELECT (SELECT count(*)::int FROM users WHERE practice_id = $1) AS users,
      (SELECT count(*)::int FROM password_tokens WHERE practice_id = $1) AS links,
      (SELECT count(*)::int FROM audit_events WHERE practice_id = $1 AND action = 'user.create' AND outcome = 'success') AS audited`;
    await fc.assert(
      fc.asyncProperty(
        fc.constant(null).chain(() => {
          n++;
          return bodies({
            email: `fuzz-${n}-${p.practiceId.slice(-8)}@example.test`,
            fullName: 'Fuzz Person',
            roles: ['clinician'],
            credentials: 'LCSW',
            licenseNumber: '123',
            supervisorId: p.users.supervisor.id,
          });
        }),
        async (body) => {
          const before = await counts(USER_COUNTS, [p.practiceId]);
          const res = await send(admin, 'POST', '/api/v1/users', body);
          expectWellFormed(res, body);
          const after = await counts(USER_COUNTS, [p.practiceId]);
          if (res.statusCode === 201)
            expect(after).toEqual({
              users: (before.users ?? 0) + 1,
              links: (before.links ?? 0) + 1,
              audited: (before.audited ?? 0) + 1,
            });
          else expect(after).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('PATCH /api/v1/practice/settings', async () => {
    const base: Body = {
      name: 'Fuzzed Practice',
      timeZone: 'America/Chicago',
      kind: 'clinical',
      idleTimeoutMinutes: 20,
      privacyMode: false,
      breakGlassMinutes: 45,
    };
    await fc.assert(
      fc.asyncProperty(bodies(base), async (body) => {
        const before = await db.query<{ j: string; version: number }>(
          'SELECT to_jsonb(x)::text AS j, version FROM practices x WHERE id = $1',
          [p.practiceId],
        );
        const row = before.rows[0];
        if (!row) throw new Error('no practice');
        const res = await send(owner, 'PATCH', '/api/v1/practice/settings', body, {
          'if-match': `"${row.version}"`,
        });
        expectWellFormed(res, body);
        const after = await db.query<{ j: string; version: number }>(
          'SELECT to_jsonb(x)::text AS j, version FROM practices x WHERE id = $1',
          [p.practiceId],
        );
        if (res.statusCode === 200) expect(after.rows[0]?.version).toBe(row.version + 1);
        else expect(after.rows[0]?.j).toBe(row.j);
      }),
      { numRuns: RUNS },
    );
    // Whatever the fuzzing did, the owner's session still works (no stage or role change leaked in).
    expect((await owner.get('/api/v1/practice/settings')).statusCode).toBe(200);
  });

  it('POST /api/v1/auth/login', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        bodies({ email: p.users.scheduler.email, password: 'a wrong password here' }),
        async (body) => {
          n++;
          const sessions = await counts(
            'SELECT count(*)::int AS n FROM auth_sessions WHERE practice_id = $1',
            [p.practiceId],
          );
          // Each attempt from its own address, so these failures throttle nobody else.
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            remoteAddress: `10.7.${n >> 8}.${n & 255}`,
            headers: { 'content-type': 'application/json' },
            payload: payloadOf(body),
          });
          expectWellFormed(res, body);
          expect(res.statusCode).not.toBe(200);
          expect(
            await counts('SELECT count(*)::int AS n FROM auth_sessions WHERE practice_id = $1', [
              p.practiceId,
            ]),
          ).toEqual(sessions);
        },
      ),
      { numRuns: RUNS },
    );
    await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [
      p.users.scheduler.id,
    ]);
  });

  it('POST /api/v1/setup (already set up)', async () => {
    const base: Body = {
      practiceName: 'Second Practice',
      timeZone: 'America/Chicago',
      kind: 'coaching',
      owner: {
        email: `setup-${p.practiceId}@example.test`,
        fullName: 'Sally Setup',
        password: PASSWORD,
        alsoClinician: true,
      },
    };
    await fc.assert(
      fc.asyncProperty(bodies(base), async (body) => {
        const before = await counts(
          'SELECT (SELECT count(*)::int FROM practices) AS practices, (SELECT count(*)::int FROM users) AS users',
          [],
        );
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/setup',
          remoteAddress: '10.7.255.1',
          headers: { 'content-type': 'application/json' },
          payload: payloadOf(body),
        });
        expectWellFormed(res, body);
        expect(res.statusCode).not.toBe(201);
        const after = await counts(
          'SELECT (SELECT count(*)::int FROM practices) AS practices, (SELECT count(*)::int FROM users) AS users',
          [],
        );
        // Other test files add practices concurrently, so compare only this file's possible writes.
        const mine = await db.query('SELECT 1 FROM users WHERE email = $1', [
          `setup-${p.practiceId}@example.test`,
        ]);
        expect(mine.rowCount).toBe(0);
        expect(after.practices).toBeGreaterThanOrEqual(before.practices ?? 0);
      }),
      { numRuns: Math.round(RUNS / 2) },
    );
  });
});

describe('random query strings never give a 5xx', () => {
  const cursorish = fc.oneof(
    nastyString,
    fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url')),
    fc.tuple(anyValue, anyValue).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  );
  const query = (keys: string[]) =>
    fc.dictionary(
      fc.constantFrom(...keys, 'unknown'),
      fc.oneof(nastyString.map(String), cursorish, fc.integer().map(String)),
      { maxKeys: 4 },
    );

  for (const [url, keys, agent] of [
    [
      '/api/v1/clients',
      ['search', 'status', 'clinicianId', 'sort', 'direction', 'cursor', 'limit'],
      () => clinician,
    ],
    [
      '/api/v1/audit/events',
      [
        'from',
        'to',
        'userId',
        'clientId',
        'action',
        'category',
        'outcome',
        'sort',
        'direction',
        'cursor',
        'limit',
      ],
      () => owner,
    ],
  ] as const) {
    it(`GET ${url}`, async () => {
      await fc.assert(
        fc.asyncProperty(query([...keys]), async (q) => {
          const res = await agent().get(`${url}?${new URLSearchParams(q).toString()}`);
          expectWellFormed(res, q);
        }),
        { numRuns: RUNS },
      );
    });
  }
});
