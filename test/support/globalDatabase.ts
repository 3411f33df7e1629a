import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embeddedServer.js';
import { migrate } from '../../src/db/migrate.js';
import { ensureAppLogin } from '../../src/db/appRole.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated database for this run: on TEST_DATABASE_URL's server when set, else an embedded one. */
    databaseUrl: string;
    /** The same database through the application's non-superuser login role. */
    appDatabaseUrl: string;
    /** A URL to the same server's maintenance database, for tests that need a database of their own. */
    serverUrl: string;
  }
}

let embedded: EmbeddedDatabase | undefined;
let dataDir: string | undefined;
let dropUrl: { server: string; name: string } | undefined;

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function setup(project: TestProject): Promise<void> {
  let serverUrl: string;
  if (process.env.TEST_DATABASE_URL) {
    serverUrl = withDatabase(process.env.TEST_DATABASE_URL, 'postgres');
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'casebook-test-'));
    await chmod(dataDir, 0o755);
    embedded = await startEmbeddedDatabase(dataDir);
    serverUrl = withDatabase(embedded.url, 'postgres');
  }
  const name = `casebook_test_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  dropUrl = { server: serverUrl, name };
  const databaseUrl = withDatabase(serverUrl, name);
  await migrate(databaseUrl);
  project.provide('databaseUrl', databaseUrl);
  project.provide('appDatabaseUrl', await ensureAppLogin(databaseUrl, randomBytes(18).toString('base64url')));
  project.provide('serverUrl', serverUrl);
}

export async function teardown(): Promise<void> {
  if (dropUrl && process.env.TEST_DATABASE_URL) {
    const client = new pg.Client({ connectionString: dropUrl.server });
    await client.connect();
    // Drop every database this run made (the shared one and any made by tests for themselves).
    const dbs = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'casebook_test_%' AND datname LIKE $1",
      [`${dropUrl.name}%`],
    );
    for (const d of dbs.rows) await client.query(`DROP DATABASE IF EXISTS ${d.datname} WITH (FORCE)`);
    await client.end();
  }
  await embedded?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
