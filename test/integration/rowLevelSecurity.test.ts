/**
 * Row-level security as the second wall: even a query the application never meant to send,
 * run on the application's own pool (role casebook_app), cannot see or change another
 * practice's rows, and the role cannot switch the wall off or rewrite the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { inject } from 'vitest';
import { withTransaction, type Database, type Tx } from '../../src/db/database.js';
import {
  login,
  NEW_CLIENT,
  openTestApp,
  seedPractice,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { openTableOwner } from '../support/tableOwner.js';

/** The tenant tables of the foundation; later migrations add more, found from the catalogue below. */
const FOUNDATION_TABLES = [
  'users',
  'password_tokens',
  'recovery_codes',
  'auth_sessions',
  'api_tokens',
  'clients',
  'client_contacts',
  'client_keys',
  'client_backgrounds',
  'care_team_members',
  'break_glass_grants',
  'audit_events',
] as const;

let t: TestApp;
/** Every table casebook_app can read that has a practice_id column (from the catalogue). */
let tenantTables: string[] = [];
let owner: pg.Client;
let a: SeededPractice;
let b: SeededPractice;
let clientA: string;
let clientB: string;

/** Runs fn on the app's pool as casebook_app; returns the PostgreSQL error code it failed with. */
async function failureCode(
  practiceId: string | null,
  fn: (tx: Tx) => Promise<unknown>,
): Promise<string | undefined> {
  try {
    await withTransaction(t.deps.db, practiceId, fn);
  } catch (err) {
    return (err as { code?: string }).code ?? 'no-code';
  }
  return undefined;
}

beforeAll(async () => {
  t = await openTestApp();
  owner = await openTableOwner();
  const tables = await owner.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND has_table_privilege('casebook_app', c.oid, 'SELECT')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'practice_id' AND NOT a.attisdropped)
      ORDER BY 1`,
  );
  tenantTables = tables.rows.map((x) => x.table);
  [a, b] = await Promise.all([seedPractice(t.deps), seedPractice(t.deps)]);
  const [ca, cb] = await Promise.all([
    login(t.app, a.users.clinician.email),
    login(t.app, b.users.clinician.email),
  ]);
  clientA = (await ca.post('/api/v1/clients', NEW_CLIENT)).json<{ id: string }>().id;
  clientB = (await cb.post('/api/v1/clients', { ...NEW_CLIENT, contacts: NEW_CLIENT.contacts })).json<{
    id: string;
  }>().id;
  // Give B a row in every table it can have one in quickly: a session, a token, a grant.
  const tok = await cb.post('/api/v1/me/tokens', { name: 'script', scope: 'read' });
  expect(tok.statusCode).toBe(201);
  const other = await login(t.app, b.users.otherClinician.email);
  expect(
    (await other.post(`/api/v1/clients/${clientB}/break-glass`, { reason: 'Crisis call, primary away' }))
      .statusCode,
  ).toBe(201);
});
afterAll(async () => {
  await owner.end();
  await t.close();
});

describe('the application pool', () => {
  it('runs as casebook_app, which neither owns the tables nor bypasses RLS', async () => {
    const r = await withTransaction(
      t.deps.db,
      a.practiceId,
      async (tx) =>
        (
          await tx.query<{ role: string; bypass: boolean; superuser: boolean }>(
            'SELECT current_user AS role, r.rolbypassrls AS bypass, r.rolsuper AS superuser FROM pg_roles r WHERE r.rolname = current_user',
          )
        ).rows[0],
    );
    expect(r).toEqual({ role: 'casebook_app', bypass: false, superuser: false });
    const owners = await owner.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'casebook_app'",
    );
    expect(owners.rows[0]?.n).toBe(0);
  });

  it('every table casebook_app can read that holds practice rows has RLS enabled with a policy', async () => {
    const r = await owner.query<{ table: string; rls: boolean; policies: number }>(
      `SELECT c.relname AS table, c.relrowsecurity AS rls,
              (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname) AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'practice_id' AND NOT a.attisdropped)
               OR c.relname = 'practices')
          AND has_table_privilege('casebook_app', c.oid, 'SELECT')
        ORDER BY 1`,
    );
    const found = r.rows.map((x) => x.table);
    for (const table of [...FOUNDATION_TABLES, 'practices']) expect(found, table).toContain(table);
    for (const row of r.rows)
      expect(row, row.table).toMatchObject({ rls: true, policies: expect.any(Number) as unknown });
    for (const row of r.rows) expect(row.policies, row.table).toBeGreaterThan(0);
  });

  it('connects as a login role that stays bound by RLS and the audit triggers even after RESET ROLE', async () => {
    const app = new pg.Client({ connectionString: inject('appDatabaseUrl') });
    await app.connect();
    try {
      await app.query('RESET ROLE');
      const who = await app.query<{ super: boolean; bypass: boolean }>(
        'SELECT rolsuper AS super, rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user',
      );
      expect(who.rows[0]).toEqual({ super: false, bypass: false });
      await app.query("SELECT set_config('casebook.practice_id', $1, false)", [a.practiceId]);
      const seen = await app.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM clients WHERE practice_id = $1',
        [b.practiceId],
      );
      expect(seen.rows[0]?.n).toBe(0);
      await expect(app.query('SET ROLE postgres')).rejects.toMatchObject({ code: '42501' });
      await expect(app.query("UPDATE audit_events SET action = 'x'")).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await app.end();
    }
  });

  it('refuses to run a transaction on a connection that is not casebook_app (fails closed)', async () => {
    // A pool without the SET ROLE step stands for a connection whose SET ROLE failed.
    const raw = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    const unguarded: Database = { pool: raw, close: () => raw.end() };
    try {
      await expect(
        withTransaction(unguarded, a.practiceId, (tx) => tx.query('SELECT count(*) FROM clients')),
      ).rejects.toThrow(/not running as casebook_app/);
    } finally {
      await unguarded.close();
    }
  });
});

describe('scoped to practice A', () => {
  it('sees none of practice B’s rows in any tenant table, though they exist', async () => {
    for (const table of tenantTables) {
      const seen = await withTransaction(t.deps.db, a.practiceId, async (tx) => {
        const r = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${table} WHERE practice_id = $1`,
          [b.practiceId],
        );
        return r.rows[0]?.n;
      });
      expect(seen, table).toBe(0);
    }
    // Not vacuous: B has rows in the tables that matter most.
    for (const table of [
      'users',
      'clients',
      'client_backgrounds',
      'care_team_members',
      'break_glass_grants',
      'api_tokens',
      'audit_events',
    ]) {
      const r = await owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE practice_id = $1`,
        [b.practiceId],
      );
      expect(r.rows[0]?.n, table).toBeGreaterThan(0);
    }
    const practices = await withTransaction(
      t.deps.db,
      a.practiceId,
      async (tx) => (await tx.query<{ id: string }>('SELECT id FROM practices')).rows,
    );
    expect(practices).toEqual([{ id: a.practiceId }]);
  });

  it('a raw SELECT of practice B’s client by id returns nothing', async () => {
    const rows = await withTransaction(
      t.deps.db,
      a.practiceId,
      async (tx) => (await tx.query<{ id: string }>('SELECT id FROM clients WHERE id = $1', [clientB])).rows,
    );
    expect(rows).toEqual([]);
  });

  it('UPDATE and DELETE of B’s rows touch nothing', async () => {
    const before = (
      await owner.query('SELECT to_jsonb(c)::text AS j FROM clients c WHERE id = $1', [clientB])
    ).rows[0] as { j: string };
    const counts = await withTransaction(t.deps.db, a.practiceId, async (tx) => ({
      update: (await tx.query("UPDATE clients SET legal_last_name = 'Hijacked' WHERE id = $1", [clientB]))
        .rowCount,
      updateAll: (
        await tx.query("UPDATE users SET full_name = 'Hijacked' WHERE practice_id = $1", [b.practiceId])
      ).rowCount,
      delete: (await tx.query('DELETE FROM care_team_members WHERE client_id = $1', [clientB])).rowCount,
    }));
    expect(counts).toEqual({ update: 0, updateAll: 0, delete: 0 });
    const after = (await owner.query('SELECT to_jsonb(c)::text AS j FROM clients c WHERE id = $1', [clientB]))
      .rows[0] as { j: string };
    expect(after.j).toBe(before.j);
    const team = await owner.query('SELECT 1 FROM care_team_members WHERE client_id = $1', [clientB]);
    expect(team.rowCount).toBe(1);
  });

  it('INSERT of a row for practice B fails', async () => {
    const code = await failureCode(a.practiceId, (tx) =>
      tx.query(
        `INSERT INTO clients (id, practice_id, client_code, legal_first_name, legal_last_name, date_of_birth)
         VALUES (gen_random_uuid(), $1, 'C-ZZZZZZ', 'Smuggled', 'In', '1990-01-01')`,
        [b.practiceId],
      ),
    );
    expect(code).toBe('42501');
    const auditCode = await failureCode(a.practiceId, (tx) =>
      tx.query(
        `INSERT INTO audit_events (id, practice_id, seq, action, category, outcome, prev_hash, hash)
         VALUES (gen_random_uuid(), $1, 0, 'forged', 'audit', 'success', '', '')`,
        [b.practiceId],
      ),
    );
    expect(auditCode).toBe('42501');
    const smuggled = await owner.query("SELECT 1 FROM clients WHERE legal_first_name = 'Smuggled'");
    expect(smuggled.rowCount).toBe(0);
  });

  it('moving A’s own row into practice B fails and leaves it in A', async () => {
    const code = await failureCode(a.practiceId, (tx) =>
      tx.query('UPDATE clients SET practice_id = $2 WHERE id = $1', [clientA, b.practiceId]),
    );
    expect(code).toBe('42501');
    const r = await owner.query<{ practice_id: string }>('SELECT practice_id FROM clients WHERE id = $1', [
      clientA,
    ]);
    expect(r.rows[0]?.practice_id).toBe(a.practiceId);
  });
});

describe('with no practice set', () => {
  it('every tenant table returns nothing, in a transaction and outside one', async () => {
    for (const table of tenantTables) {
      const n = await withTransaction(
        t.deps.db,
        null,
        async (tx) => (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n,
      );
      expect(n, table).toBe(0);
    }
    const client = await t.deps.db.pool.connect();
    try {
      const role = await client.query<{ r: string }>('SELECT current_user AS r');
      expect(role.rows[0]?.r).toBe('casebook_app');
      const n = await client.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM clients)::int + (SELECT count(*) FROM practices)::int AS n',
      );
      expect(n.rows[0]?.n).toBe(0);
    } finally {
      client.release();
    }
  });
});

describe('casebook_app cannot switch the wall off', () => {
  it('SET row_security = off makes RLS-governed queries fail instead of bypassing', async () => {
    const code = await failureCode(a.practiceId, async (tx) => {
      await tx.query('SET LOCAL row_security = off');
      return tx.query('SELECT count(*) FROM clients');
    });
    expect(code).toBe('42501');
  });

  it('cannot disable triggers, disable RLS or drop a policy', async () => {
    expect(
      await failureCode(a.practiceId, (tx) => tx.query('SET LOCAL session_replication_role = replica')),
    ).toBe('42501');
    expect(
      await failureCode(a.practiceId, (tx) => tx.query('ALTER TABLE clients DISABLE ROW LEVEL SECURITY')),
    ).toBe('42501');
    expect(await failureCode(a.practiceId, (tx) => tx.query('DROP POLICY tenant ON clients'))).toBe('42501');
    expect(
      await failureCode(a.practiceId, (tx) => tx.query('ALTER TABLE audit_events DISABLE TRIGGER USER')),
    ).toBe('42501');
  });

  it('cannot UPDATE, DELETE or TRUNCATE audit_events, nor touch the chain heads', async () => {
    const before = await owner.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_events WHERE practice_id = $1',
      [a.practiceId],
    );
    expect(await failureCode(a.practiceId, (tx) => tx.query("UPDATE audit_events SET action = 'x'"))).toBe(
      '42501',
    );
    expect(await failureCode(a.practiceId, (tx) => tx.query('DELETE FROM audit_events'))).toBe('42501');
    expect(await failureCode(a.practiceId, (tx) => tx.query('TRUNCATE audit_events'))).toBe('42501');
    expect(
      await failureCode(a.practiceId, (tx) => tx.query('UPDATE audit_chain_heads SET last_seq = 0')),
    ).toBe('42501');
    // It may read its own chain head (audit_verify runs with its rights), and no other.
    const heads = await withTransaction(t.deps.db, a.practiceId, async (tx) =>
      (await tx.query<{ practice_id: string }>('SELECT practice_id FROM audit_chain_heads')).rows.map(
        (r) => r.practice_id,
      ),
    );
    expect(heads).toEqual([a.practiceId]);
    const after = await owner.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_events WHERE practice_id = $1',
      [a.practiceId],
    );
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('cannot hard-delete clinical records', async () => {
    for (const table of ['clients', 'client_backgrounds', 'client_keys', 'users', 'break_glass_grants']) {
      expect(await failureCode(a.practiceId, (tx) => tx.query(`DELETE FROM ${table}`)), table).toBe('42501');
    }
  });

  it('a forged audit insert is re-chained by the trigger, so the chain still verifies', async () => {
    await withTransaction(t.deps.db, a.practiceId, (tx) =>
      tx.query(
        `INSERT INTO audit_events (id, practice_id, seq, occurred_at, action, category, outcome, prev_hash, hash)
         VALUES (gen_random_uuid(), $1, 1, '2001-01-01', 'forged', 'audit', 'success', '\\x00', '\\x00')`,
        [a.practiceId],
      ),
    );
    const r = await owner.query<{ seq: number; occurred_at: Date; hash: Buffer }>(
      "SELECT seq::int AS seq, occurred_at, hash FROM audit_events WHERE practice_id = $1 AND action = 'forged'",
      [a.practiceId],
    );
    const row = r.rows[0];
    expect(row?.seq).toBeGreaterThan(1);
    expect(row?.occurred_at.getUTCFullYear()).toBeGreaterThan(2001);
    expect(row?.hash.length).toBe(32);
    const auditor = await login(t.app, a.users.auditor.email);
    expect((await auditor.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });
});
