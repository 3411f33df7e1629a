import pg from 'pg';

// Dates stay strings ('YYYY-MM-DD'): a date of birth has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

const APP_ROLE = 'casebook_app';

export type Queryable = Pick<pg.PoolClient, 'query'>;
export type Tx = pg.PoolClient;

export interface Database {
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * Opens the application's pool. Every connection switches to casebook_app, a role that owns
 * no table, so row-level security applies to everything the application does.
 */
export function openDatabase(
  url: string,
  max = 10,
  onError: (err: Error) => void = () => undefined,
): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'casebook' });
  pool.on('connect', (client) => {
    client.query("SET ROLE casebook_app; SET plan_cache_mode = 'force_custom_plan'").catch(() => undefined);
  });
  // An idle connection that dies (e.g. the server restarted) is replaced on next use; report it.
  pool.on('error', onError);
  return { pool, close: () => pool.end() };
}

/**
 * Runs fn in one transaction scoped to a practice: RLS sees only that practice's rows.
 * practiceId null is for the few pre-authentication steps that touch no tenant rows.
 */
export async function withTransaction<T>(
  db: Database,
  practiceId: string | null,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    const scoped = await client.query<{ role: string }>(
      "SELECT set_config('casebook.practice_id', $1, true), current_user AS role",
      [practiceId ?? ''],
    );
    // Fail closed: if SET ROLE did not take (say, the role is missing after a restore), the
    // connection would run as the schema owner, which row-level security does not restrict.
    if (scoped.rows[0]?.role !== APP_ROLE)
      throw new Error('The database connection is not running as casebook_app');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Runs fn inside a savepoint: if it throws, only its own statements are undone and the
 * transaction goes on (then the error is rethrown for the caller to judge).
 */
export async function withSavepoint<T>(tx: Tx, name: string, fn: () => Promise<T>): Promise<T> {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`bad savepoint name ${name}`);
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
}

/** Scopes an open transaction to the practice a pre-authentication lookup has just found. */
export async function scopeToPractice(tx: Queryable, practiceId: string): Promise<void> {
  await tx.query("SELECT set_config('casebook.practice_id', $1, true)", [practiceId]);
}

/** True when the database answers (readiness probe). */
export async function databaseAnswers(db: Database): Promise<boolean> {
  try {
    await db.pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
