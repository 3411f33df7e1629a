import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { shippedMigrations } from '../support/migrations.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli, tempDataDir } from '../support/cli.js';
import { backupDatabase, restoreDatabase } from '../../src/db/backup.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { DEMO_PASSWORD, DEMO_STAFF, loadDemoPractice } from '../../src/demo/demoPractice.js';
import { DEMO_CLIENTS } from '../../src/demo/demoClients.js';
import { KeyRing } from '../../src/security/fieldEncryption.js';
import { login } from '../../src/services/authService.js';
import { verifyNoteIntegrity } from '../../src/services/noteSigning.js';
import { getBackground } from '../../src/services/backgroundService.js';
import type { AppDeps, Ctx } from '../../src/services/context.js';
import { withDatabase } from '../support/globalDatabase.js';
import { icd10OnDemand } from '../../src/services/codeSets.js';

const META = { requestId: 'test', ip: '127.0.0.1', userAgent: 'vitest', secure: false };
const base = new URL(inject('databaseUrl')).pathname.slice(1);
const masterKey = randomBytes(32);
let dir: string;
let srcUrl: string;
let dstUrl: string;
let src: Database;
let backupFile: string;
let made: Awaited<ReturnType<typeof backupDatabase>>;

async function createDatabase(suffix: string): Promise<string> {
  const name = `${base}_${suffix}`;
  const c = new pg.Client({ connectionString: inject('serverUrl') });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return withDatabase(inject('serverUrl'), name);
}

/** Runs queries as the URL's own user (the schema owner: no row-level security in the way). */
async function asOwner<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Every row of every table (schema_migrations included), as text, in primary-key order. */
async function snapshot(url: string): Promise<Record<string, string[]>> {
  return asOwner(url, async (c) => {
    const tables = await c.query<{ name: string; pk: string[] | null }>(
      `SELECT t.relname::text AS name,
              (SELECT array_agg(a.attname::text ORDER BY k.i) FROM pg_index x
                 CROSS JOIN unnest(x.indkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n
                WHERE x.indrelid = t.oid AND x.indisprimary) AS pk
         FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND t.relkind = 'r' ORDER BY 1`,
    );
    const out: Record<string, string[]> = {};
    for (const t of tables.rows) {
      const order = t.pk ? t.pk.map((k) => `"${k}"`).join(', ') : '1';
      const cols = t.name === 'schema_migrations' ? 'name' : `x::text`;
      out[t.name] = (
        await c.query<{ r: string }>(`SELECT ${cols} AS r FROM "${t.name}" x ORDER BY ${order}`)
      ).rows.map((r) => r.r);
    }
    const seq = await c.query<{ r: string }>(
      "SELECT sequencename::text || '=' || coalesce(last_value::text, 'null') AS r FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
    );
    out['(sequences)'] = seq.rows.map((r) => r.r);
    return out;
  });
}

async function publicTableCount(url: string): Promise<number> {
  return asOwner(url, async (c) =>
    Number(
      (await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'"))
        .rows[0]?.n,
    ),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'casebook-backup-test-'));
  srcUrl = await createDatabase('bk_src');
  dstUrl = await createDatabase('bk_dst');
  await migrate(srcUrl);
  src = openDatabase(srcUrl, 3);
  const deps: AppDeps = {
    db: src,
    keys: new KeyRing(masterKey),
    publicUrl: 'http://casebook.test',
    icd10: icd10OnDemand(),
    clock: () => new Date(),
  };
  // Practice, staff, clients with backgrounds and contacts, audit rows: all through the services.
  await loadDemoPractice(deps);
  // Sign-ins add sessions, throttling rows (an identity sequence) and a second audit chain
  // (attempts on unknown accounts). Marcus signing in rewrites his row after Jamie's, so a
  // plain table scan would list the supervisee before her supervisor.
  await login(deps, META, 'marcus.whitfield@riverbend.example.org', DEMO_PASSWORD);
  await login(deps, META, 'nobody@riverbend.example.org', 'wrong password here').catch(() => undefined);
  backupFile = join(dir, 'casebook.backup');
  made = await backupDatabase(srcUrl, backupFile);
}, 60_000);

afterAll(async () => {
  await src?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('round-trips every table byte for byte, keeps the audit chain valid and the narrative readable', async () => {
    const physical = await asOwner(srcUrl, async (c) =>
      (await c.query<{ email: string }>('SELECT email FROM users ORDER BY ctid')).rows.map((r) => r.email),
    );
    expect(physical.indexOf('jamie.lindqvist@riverbend.example.org')).toBeLessThan(
      physical.indexOf('marcus.whitfield@riverbend.example.org'),
    );

    expect(((await stat(backupFile)).mode & 0o777).toString(8)).toBe('600');
    expect(made.rows.clients).toBe(25);
    expect(made.rows.login_attempts).toBe(2);

    const restored = await restoreDatabase(dstUrl, backupFile);
    expect(restored.migrations).toEqual(await shippedMigrations());
    expect(restored.auditChains).toHaveLength(2);
    for (const chain of restored.auditChains) expect(chain).toMatchObject({ ok: true, problem: null });

    const before = await snapshot(srcUrl);
    const after = await snapshot(dstUrl);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before))
      expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
    expect(before.clients).toHaveLength(25);
    expect(before.audit_events?.length).toBeGreaterThan(100);
    expect(before['(sequences)']).toEqual(['login_attempts_id_seq=2']);

    // audit_verify in the restored database, for every chain.
    const verified = await asOwner(
      dstUrl,
      async (c) =>
        (
          await c.query<{ ok: boolean; n: string }>(
            'SELECT v.ok, v.rows_checked AS n FROM audit_chain_heads h CROSS JOIN LATERAL audit_verify(h.practice_id) v',
          )
        ).rows,
    );
    expect(verified.length).toBe(2);
    expect(verified.every((v) => v.ok && Number(v.n) > 0)).toBe(true);

    // The same master key reads the restored narrative through the services; the chain keeps growing correctly.
    const dst = openDatabase(dstUrl, 2);
    try {
      const priya = DEMO_STAFF.find((s) => s.key === 'priya');
      const ids = await asOwner(dstUrl, async (c) => {
        const u = await c.query<{ id: string; practice_id: string }>(
          'SELECT id, practice_id FROM users WHERE email = $1',
          [priya?.email],
        );
        const cl = await c.query<{ id: string }>(
          "SELECT id FROM clients WHERE legal_first_name = 'Mei-Ling'",
        );
        return { user: u.rows[0], client: cl.rows[0]?.id ?? '' };
      });
      if (!ids.user) throw new Error('restored user missing');
      const ctx: Ctx = {
        db: dst,
        keys: new KeyRing(masterKey),
        publicUrl: undefined,
        icd10: icd10OnDemand(),
        clock: () => new Date(),
        ...META,
        actor: { userId: ids.user.id, practiceId: ids.user.practice_id, roles: ['clinician'] },
        actorLabel: priya?.email ?? '',
      };
      const background = await getBackground(ctx, ids.client);
      expect(background.presenting_concerns).toBe(
        DEMO_CLIENTS.find((c) => c.demographics.legalFirstName === 'Mei-Ling')?.background
          .presenting_concerns,
      );
      // Signed notes come back byte for byte: their content hashes still verify.
      const signedNote = await asOwner(
        dstUrl,
        async (c) =>
          (
            await c.query<{ id: string }>(
              "SELECT id FROM notes WHERE client_id = $1 AND status = 'signed' ORDER BY date_of_service LIMIT 1",
              [ids.client],
            )
          ).rows[0]?.id,
      );
      if (!signedNote) throw new Error('the demo has no signed note for this client');
      expect((await verifyNoteIntegrity(ctx, signedNote)).intact).toBe(true);
      const wrongKey: Ctx = { ...ctx, keys: new KeyRing(randomBytes(32)) };
      await expect(getBackground(wrongKey, ids.client)).rejects.toThrow();
      const again = await asOwner(
        dstUrl,
        async (c) =>
          (await c.query<{ ok: boolean }>('SELECT ok FROM audit_verify($1)', [ids.user?.practice_id])).rows[0]
            ?.ok,
      );
      expect(again).toBe(true);
    } finally {
      await dst.close();
    }
  });

  it('refuses to restore into a database that holds data, and changes nothing there', async () => {
    const file = join(dir, 'refuse.backup');
    await backupDatabase(srcUrl, file);
    const before = await snapshot(srcUrl);
    await expect(restoreDatabase(srcUrl, file)).rejects.toThrow(/not empty/);
    expect(await snapshot(srcUrl)).toEqual(before);
  });

  it('refuses a damaged, tampered, truncated, foreign or newer file and writes nothing', async () => {
    const good = await readFile(backupFile);
    const plain = gunzipSync(good).toString('utf8');
    const lines = plain.split('\n');
    const header = JSON.parse(lines[0] ?? '{}') as { migrations: string[] };
    const tamperedRow = plain.replace('Vasquez-Moreno', 'Vasquez-Morena');
    expect(tamperedRow).not.toBe(plain);
    const flipped = Buffer.from(good);
    const at = Math.floor(flipped.length / 2);
    flipped[at] = (flipped[at] ?? 0) ^ 0xff;
    const cases: [string, Buffer, RegExp][] = [
      ['truncated', good.subarray(0, Math.floor(good.length * 0.6)), /damaged or incomplete/],
      ['one byte flipped', flipped, /./],
      ['a row edited, gzip intact', gzipSync(tamperedRow), /checksum does not match/],
      ['trailer removed', gzipSync(lines.slice(0, -2).join('\n') + '\n'), /damaged or incomplete/],
      ['not a backup', gzipSync('hello\n'), /damaged or incomplete|not a Casebook backup/],
      ['not gzip', Buffer.from('{"format":"casebook-backup"}\n'), /damaged or incomplete/],
      [
        'from a newer Casebook',
        gzipSync(
          [
            JSON.stringify({ ...header, migrations: [...header.migrations, '9999_future.sql'] }),
            ...lines.slice(1),
          ].join('\n'),
        ),
        /newer Casebook/,
      ],
    ];
    const target = await createDatabase('bk_bad');
    for (const [what, bytes, message] of cases) {
      const file = join(dir, `bad-${what.replace(/\W+/g, '-')}.backup`);
      await writeFile(file, bytes);
      await expect(restoreDatabase(target, file), what).rejects.toThrow(message);
      expect(await publicTableCount(target), what).toBe(0);
    }
    // The same empty database then takes the good file: the failures left no trace.
    await restoreDatabase(target, backupFile);
    expect((await snapshot(target)).clients).toHaveLength(25);
  });

  it('runs end to end through the casebook command with embedded data folders', async () => {
    const a = await tempDataDir('casebook-cli-a-');
    const b = await tempDataDir('casebook-cli-b-');
    const file = join(dir, 'cli.backup');
    const cli = (dataDir: string, ...args: string[]) => runCli(dataDir, args);
    try {
      const demo = await cli(a, 'demo');
      expect(demo.code, demo.out).toBe(0);
      expect(demo.out).toContain(DEMO_PASSWORD);
      const backup = await cli(a, 'backup', '--out', file);
      expect(backup.code, backup.out).toBe(0);
      expect(backup.out).toContain('master key is NOT in the backup');
      const restore = await cli(b, 'restore', '--in', file);
      expect(restore.code, restore.out).toBe(0);
      expect(restore.out).toMatch(/ok {4}audit chain of practice .*: \d+ rows/);
      expect(restore.out).toContain('Before starting Casebook, put the master key');
      await copyFile(join(a, 'master.key'), join(b, 'master.key'));
      const verify = await cli(b, 'audit', 'verify');
      expect(verify.code).toBe(0);
      expect(verify.out).toMatch(/^ok {4}practice .*: \d+ rows$/m);
      expect(verify.out).not.toContain('FAIL');
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  }, 90_000);
});
