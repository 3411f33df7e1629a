import { mkdir, readFile, writeFile, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from './config.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embeddedServer.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/database.js';
import { ensureAppLogin } from './db/appRole.js';
import { KeyRing } from './security/fieldEncryption.js';
import type { AppDeps } from './services/context.js';
import { icd10OnDemand } from './services/codeSets.js';

export interface Runtime {
  deps: AppDeps;
  databaseUrl: string;
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

/** The master key from CASEBOOK_MASTER_KEY, or generated once into the data folder with 0600 permissions. */
export async function loadMasterKey(config: Config): Promise<Buffer> {
  if (config.masterKeyBase64) {
    const key = Buffer.from(config.masterKeyBase64, 'base64');
    if (key.length !== 32) throw new Error('CASEBOOK_MASTER_KEY must be the base64 of 32 random bytes');
    return key;
  }
  const file = join(config.dataDir, 'master.key');
  await mkdir(config.dataDir, { recursive: true });
  try {
    const mode = (await stat(file)).mode & 0o777;
    if (mode & 0o077) throw new Error(`${file} must not be readable by others (chmod 600)`);
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const key = randomBytes(32);
    await writeFile(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    return key;
  }
}

/** A secret generated once into the data folder with 0600 permissions. */
async function dataFolderSecret(config: Config, name: string): Promise<string> {
  const file = join(config.dataDir, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const secret = randomBytes(24).toString('base64url');
    await writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

/**
 * The URL the application pool uses: its own non-superuser login role. With the embedded
 * server Casebook creates it; with an external server the operator gives
 * CASEBOOK_APP_DATABASE_URL, or the pool falls back to SET ROLE on the owner's connection.
 */
async function appPoolUrl(
  config: Config,
  ownerUrl: string,
  embedded: boolean,
  log: (msg: string) => void,
): Promise<string> {
  if (embedded) return ensureAppLogin(ownerUrl, await dataFolderSecret(config, 'pg-app-password'));
  if (config.appDatabaseUrl) return config.appDatabaseUrl;
  log(
    'Warning: CASEBOOK_APP_DATABASE_URL is not set; the application pool uses the schema owner with SET ROLE casebook_app. See docs/operator-guide.md.',
  );
  return ownerUrl;
}

/** Opens the store (embedded unless DATABASE_URL), migrates it, and assembles the app's dependencies. */
export async function openRuntime(
  config: Config,
  log: (msg: string) => void = () => undefined,
): Promise<Runtime> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    log(`Starting the embedded PostgreSQL in ${config.dataDir}`);
    embedded = await startEmbeddedDatabase(config.dataDir);
    url = embedded.url;
  }
  try {
    const applied = await migrate(url);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
    const keys = new KeyRing(await loadMasterKey(config));
    const db = openDatabase(await appPoolUrl(config, url, embedded !== null, log), 10, (err) =>
      log(`Database connection lost (${(err as { code?: string }).code ?? err.name}); it will be replaced`),
    );
    const deps: AppDeps = {
      db,
      keys,
      publicUrl: config.publicUrl,
      icd10: icd10OnDemand(),
      clock: () => new Date(),
      exportsDir: join(config.dataDir, 'exports'),
    };
    return {
      deps,
      databaseUrl: url,
      embedded,
      close: async () => {
        await db.close();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
