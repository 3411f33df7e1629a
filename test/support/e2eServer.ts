import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { buildApp, type App } from '../../src/http/app.js';
import { KeyRing } from '../../src/security/fieldEncryption.js';
import type { AppDeps } from '../../src/services/context.js';
import { withDatabase } from './globalDatabase.js';
import { icd10OnDemand } from '../../src/services/codeSets.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface E2eServer {
  baseUrl: string;
  /** This walkthrough's own database (as its owner), for looking behind the app. */
  databaseUrl: string;
  app: App;
  logs: string[];
  close(): Promise<void>;
}

/**
 * An empty Casebook for a browser walkthrough: a database of its own on the run's server
 * (named after the run's database so the global teardown drops it too), migrated, and the
 * real app serving the built web app on a free port.
 */
export async function startE2eServer(serverUrl: string, runDatabaseUrl: string): Promise<E2eServer> {
  if (!existsSync(`${WEB_DIST}index.html`))
    throw new Error('web/dist is missing: run `npm run build:web` first');
  const runName = new URL(runDatabaseUrl).pathname.slice(1);
  const name = `${runName}_e2e_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  await migrate(url);

  const db = openDatabase(url, 5);
  const deps: AppDeps = {
    db,
    keys: new KeyRing(randomBytes(32)),
    publicUrl: undefined,
    icd10: icd10OnDemand(),
    clock: () => new Date(),
    // Whole-practice export archives: a folder of this server's own, removed on close.
    exportsDir: await mkdtemp(join(tmpdir(), 'casebook-e2e-exports-')),
  };
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const app = await buildApp(deps, { logLevel: 'info', logStream, webDist: WEB_DIST, authRateLimit: 1000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    databaseUrl: url,
    app,
    logs,
    close: async () => {
      await app.close();
      await db.close();
      if (deps.exportsDir) await rm(deps.exportsDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await c.end();
    },
  };
}
