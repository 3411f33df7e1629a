import { mkdtemp, rm, chmod, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embeddedServer.js';
import { migrate } from '../../src/db/migrate.js';
import { log } from './stats.js';

export interface BenchDatabase {
  /** Superuser URL of the migrated bench database (the schema owner; used for loading and EXPLAIN). */
  url: string;
  /** Where it runs, for the report. */
  where: string;
  serverVersion: string;
  /** Server CPU seconds (user+system, every backend) so far; null when the server is not ours to inspect. */
  serverCpuSeconds(): Promise<number | null>;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const CLK_TCK = 100;

/** Sums utime+stime of the postmaster and its children from /proc (Linux). */
async function processTreeCpu(postmasterPid: number): Promise<number> {
  let ticks = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      if (Number(entry) === postmasterPid || ppid === postmasterPid)
        ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended while we looked
    }
  }
  return ticks / CLK_TCK;
}

async function tune(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  // Load-friendly settings for the bench server only; queries are measured on the same settings.
  for (const s of [
    "shared_buffers = '1GB'",
    "max_wal_size = '8GB'",
    "maintenance_work_mem = '512MB'",
    "work_mem = '16MB'",
  ]) {
    await c.query(`ALTER SYSTEM SET ${s}`);
  }
  await c.end();
}

/**
 * A fresh, migrated database: on `serverUrl` (a superuser URL of an existing server, e.g. the
 * machine's PostgreSQL 15) when given, else on an embedded PostgreSQL in a temporary folder.
 */
export async function openBenchDatabase(serverUrl: string | undefined): Promise<BenchDatabase> {
  const name = `casebook_bench_${randomBytes(4).toString('hex')}`;
  if (serverUrl) {
    const admin = withDatabase(serverUrl, 'postgres');
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    const v = await c.query<{ server_version: string }>('SHOW server_version');
    await c.end();
    const url = withDatabase(serverUrl, name);
    await migrate(url);
    log(`bench database ${name} on ${new URL(serverUrl).host}`);
    return {
      url,
      where: `external server ${new URL(serverUrl).host}, database ${name}`,
      serverVersion: v.rows[0]?.server_version ?? '?',
      serverCpuSeconds: async () => null,
      drop: async () => {
        const d = new pg.Client({ connectionString: admin });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await d.end();
        log(`dropped ${name}`);
      },
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'casebook-bench-'));
  await chmod(dataDir, 0o755);
  let embedded: EmbeddedDatabase = await startEmbeddedDatabase(dataDir);
  await tune(embedded.url);
  await embedded.stop();
  embedded = await startEmbeddedDatabase(dataDir);
  const url = withDatabase(embedded.url, 'casebook');
  await migrate(url);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const v = await c.query<{ server_version: string }>('SHOW server_version');
  await c.end();
  const postmasterPid = async () =>
    Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  log(`embedded PostgreSQL ${v.rows[0]?.server_version} in ${dataDir}`);
  const running = embedded;
  return {
    url,
    where: `embedded PostgreSQL in ${dataDir} (shared_buffers 1GB, max_wal_size 8GB, work_mem 16MB)`,
    serverVersion: v.rows[0]?.server_version ?? '?',
    serverCpuSeconds: async () => processTreeCpu(await postmasterPid()),
    drop: async () => {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
      log(`stopped embedded PostgreSQL and removed ${dataDir}`);
    },
  };
}
