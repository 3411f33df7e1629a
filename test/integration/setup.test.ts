/**
 * First run on an empty database: migrations (safe when two processes start together), then
 * the set-up page creates the one practice and its owner, and never a second time.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { withDatabase } from '../support/globalDatabase.js';
import { openTestApp, type TestApp } from '../support/testApp.js';
import { isProblem, loginAttempt } from '../support/staffAgents.js';
import { shippedMigrations } from '../support/migrations.js';

// Named after the run's shared database, so the global teardown drops them with it.
const base = new URL(inject('databaseUrl')).pathname.slice(1);
const SETUP_DB = `${base}_setup`;
const MIGRATE_DB = `${base}_migrate`;

let admin: pg.Client;
let t: TestApp | undefined;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject('serverUrl') });
  await admin.connect();
  for (const name of [SETUP_DB, MIGRATE_DB]) await admin.query(`CREATE DATABASE ${name}`);
});
afterAll(async () => {
  await t?.close();
  for (const name of [SETUP_DB, MIGRATE_DB])
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

const OWNER = {
  email: 'founder@example.test',
  fullName: 'Frances Founder',
  password: 'copper kettle 9 mornings',
  credentials: 'LMFT',
};

describe('a fresh database', () => {
  it('migrates, needs set-up, and the first set-up wins while every other is refused with 409', async () => {
    const url = withDatabase(inject('serverUrl'), SETUP_DB);
    expect(await migrate(url)).toEqual(await shippedMigrations());
    expect(await migrate(url)).toEqual([]);
    t = await openTestApp(url);
    const app = t.app;

    expect((await app.inject({ url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true });

    // A weak owner password is refused and creates nothing.
    const weak = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { practiceName: 'First Practice', owner: { ...OWNER, password: 'password1234' } },
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json<{ errors: { path: string }[] }>().errors).toEqual([
      expect.objectContaining({ path: 'owner.password' }),
    ]);
    expect((await app.inject({ url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true });

    // Two set-ups at once (two browser tabs): exactly one practice is made.
    const attempt = (name: string, email: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: {
          practiceName: name,
          timeZone: 'America/Denver',
          kind: 'clinical',
          owner: { ...OWNER, email },
        },
      });
    const results = await Promise.all([
      attempt('First Practice', OWNER.email),
      attempt('Rival Practice', 'rival@example.test'),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const winner = results.find((r) => r.statusCode === 201);
    const loser = results.find((r) => r.statusCode === 409);
    expect(loser && isProblem(loser)).toBe(true);
    const practiceId = winner?.json<{ practiceId: string }>().practiceId;
    expect(practiceId).toMatch(/^[0-9a-f-]{36}$/);

    expect((await app.inject({ url: '/api/v1/setup' })).json()).toEqual({ needsSetup: false });
    const again = await attempt('Third Practice', 'third@example.test');
    expect(again.statusCode).toBe(409);
    expect(isProblem(again)).toBe(true);

    let ownerEmail = '';
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const practices = await db.query<{ id: string; time_zone: string }>(
        'SELECT id, time_zone FROM practices',
      );
      expect(practices.rows).toEqual([{ id: practiceId, time_zone: 'America/Denver' }]);
      const users = await db.query<{ email: string; roles: string[]; credentials: string }>(
        'SELECT email, roles, credentials FROM users',
      );
      expect(users.rows).toEqual([
        {
          email: expect.stringMatching(/^(founder|rival)@example\.test$/) as unknown,
          roles: ['owner', 'clinician'],
          credentials: 'LMFT',
        },
      ]);
      ownerEmail = users.rows[0]?.email ?? '';
      const audit = await db.query<{ action: string }>(
        'SELECT action FROM audit_events WHERE practice_id = $1 ORDER BY seq',
        [practiceId],
      );
      expect(audit.rows.map((r) => r.action)).toEqual(['practice.create', 'user.create']);
    } finally {
      await db.end();
    }

    const signIn = await loginAttempt(app, ownerEmail, OWNER.password, '10.8.0.1');
    expect(signIn.statusCode).toBe(200);
  });

  it('two migrations started together both succeed and apply each file once (advisory lock)', async () => {
    const url = withDatabase(inject('serverUrl'), MIGRATE_DB);
    const [a, b] = await Promise.all([migrate(url), migrate(url)]);
    expect([...a, ...b]).toEqual(await shippedMigrations());
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const applied = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(applied.rows.map((r) => r.name)).toEqual(await shippedMigrations());
      const tables = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_events'",
      );
      expect(tables.rows[0]?.n).toBe(1);
    } finally {
      await db.end();
    }
  });
});
