import { resolve } from 'node:path';

/** Everything Casebook reads from the environment, parsed once at the edge. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Optional: a non-superuser login for the application pool (member of casebook_app). */
  appDatabaseUrl: string | undefined;
  masterKeyBase64: string | undefined;
  publicUrl: string | undefined;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be 0-65535, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.CASEBOOK_DATA_DIR ?? './casebook-data'),
    databaseUrl: env.DATABASE_URL || undefined,
    appDatabaseUrl: env.CASEBOOK_APP_DATABASE_URL || undefined,
    masterKeyBase64: env.CASEBOOK_MASTER_KEY || undefined,
    publicUrl: env.CASEBOOK_PUBLIC_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
