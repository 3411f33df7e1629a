import { readdir } from 'node:fs/promises';

/** The migration files the code ships, in the order they apply. */
export async function shippedMigrations(): Promise<string[]> {
  return (await readdir(new URL('../../src/db/migrations/', import.meta.url)))
    .filter((f) => f.endsWith('.sql'))
    .sort();
}
