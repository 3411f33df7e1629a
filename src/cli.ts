import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { openRuntime } from './runtime.js';
import { buildApp } from './http/app.js';
import { migrate } from './db/migrate.js';
import { startEmbeddedDatabase } from './db/embeddedServer.js';
import { createPracticeWithOwner } from './services/practiceSetup.js';
import { loadDemoPractice } from './demo/demoPractice.js';
import { verifyAllChains } from './services/auditVerifyAll.js';
import { backupDatabase, restoreDatabase } from './db/backup.js';
import { DomainError } from './domain/errors.js';
import { startHousekeeping } from './jobs/housekeeping.js';
import { startPracticeExportRunner } from './services/practiceExport/practiceExportRunner.js';
import { exportPracticeToFile } from './services/practiceExport/cliExport.js';

const USAGE = `casebook <command>

  serve                         start the web app and API (default)
  migrate                       apply database migrations and exit
  create-owner --practice NAME --email EMAIL --name FULL_NAME [--time-zone TZ]
                                create a practice and its owner (password from CASEBOOK_OWNER_PASSWORD or prompt)
  demo                          load the fictional demo practice
  audit verify                  check every practice's audit hash chain
  backup --out FILE             write a logical backup (Casebook's own streamed format)
  restore --in FILE             load a dump into an empty data folder / database
  export --out FILE.zip [--practice ID]
                                export every client record but psychotherapy notes (FHIR NDJSON + PDFs)

Environment: PORT, HOST, CASEBOOK_DATA_DIR, DATABASE_URL, CASEBOOK_MASTER_KEY, CASEBOOK_PUBLIC_URL, LOG_LEVEL`;

const CLI_META = { requestId: 'cli', ip: null, userAgent: 'casebook-cli', secure: false };

async function serve(): Promise<void> {
  const config = loadConfig();
  const rt = await openRuntime(config, (m) => console.log(m));
  const app = await buildApp(
    { ...rt.deps, publicUrl: config.publicUrl ?? `http://localhost:${config.port}` },
    { logLevel: config.logLevel },
  );
  const stopHousekeeping = startHousekeeping(rt.deps, (err) =>
    app.log.error({ err: { type: (err as Error).name } }, 'housekeeping failed'),
  );
  const stopExportRunner = startPracticeExportRunner(rt.deps, (err) =>
    app.log.error({ err: { type: (err as Error).name } }, 'practice export failed'),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then stopping PostgreSQL`);
    stopHousekeeping();
    stopExportRunner();
    await app.close(); // stops accepting, waits for in-flight requests
    await rt.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await rt.close();
    throw err;
  }
  const shown = address.replace('127.0.0.1', 'localhost');
  console.log(`\nCasebook is running at ${shown}\n`);
  console.log(`  First run: open ${shown} and create your practice and owner account.`);
  console.log(`  API docs:  ${shown}/api/docs`);
  console.log(`  Data:      ${rt.embedded ? config.dataDir : 'external PostgreSQL (DATABASE_URL)'}`);
  console.log('  Stop with Ctrl+C.\n');
}

async function readPassword(): Promise<string> {
  if (process.env.CASEBOOK_OWNER_PASSWORD) return process.env.CASEBOOK_OWNER_PASSWORD;
  const { createInterface } = await import('node:readline/promises');
  const { Writable } = await import('node:stream');
  // Typed characters go to a stream that discards them, so the password is not echoed.
  const silent = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  process.stdout.write('Owner password (12+ characters, not shown): ');
  const answer = await rl.question('');
  rl.close();
  process.stdout.write('\n');
  return answer;
}

async function withRuntime<T>(fn: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const rt = await openRuntime(loadConfig());
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', sub] = argv;
  const { values } = parseArgs({
    args: argv.slice(command === 'audit' ? 2 : 1),
    options: {
      practice: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      'time-zone': { type: 'string' },
      out: { type: 'string' },
      in: { type: 'string' },
    },
    strict: true,
  });
  switch (command) {
    case 'serve':
      await serve();
      return -1;
    case 'migrate': {
      const config = loadConfig();
      if (config.databaseUrl)
        console.log(`Applied: ${(await migrate(config.databaseUrl)).join(', ') || 'nothing (up to date)'}`);
      else await withRuntime(async () => console.log('Embedded database is up to date'));
      return 0;
    }
    case 'create-owner': {
      if (!values.practice || !values.email || !values.name) {
        console.error('create-owner needs --practice, --email and --name');
        return 2;
      }
      const password = await readPassword();
      const practice = values.practice;
      const email = values.email;
      const name = values.name;
      const r = await withRuntime((rt) =>
        createPracticeWithOwner(
          rt.deps,
          CLI_META,
          {
            practiceName: practice,
            timeZone: values['time-zone'] ?? 'America/New_York',
            kind: 'clinical',
            owner: { email, fullName: name, password, alsoClinician: true },
          },
          true,
        ),
      );
      console.log(`Created practice ${r.practiceId} with owner ${email}`);
      return 0;
    }
    case 'demo': {
      const logins = await withRuntime((rt) => loadDemoPractice(rt.deps));
      console.log('Demo practice loaded. Sign in with any of:');
      for (const l of logins) console.log(`  ${l.role.padEnd(22)} ${l.email}`);
      console.log(`Password for every demo account: ${logins[0]?.password ?? ''}`);
      return 0;
    }
    case 'audit': {
      if (sub !== 'verify') break;
      const results = await withRuntime((rt) => verifyAllChains(rt.deps));
      let bad = 0;
      if (results.length === 0) console.log('No audit trail yet: no practice has been set up.');
      for (const r of results) {
        if (r.ok) console.log(`ok    practice ${r.practiceId}: ${r.rowsChecked} rows`);
        else {
          bad++;
          console.log(
            `FAIL  practice ${r.practiceId}: row ${r.firstBadSeq ?? '?'} (${r.firstBadId ?? 'head'}): ${r.problem ?? ''}`,
          );
        }
      }
      return bad ? 1 : 0;
    }
    case 'backup': {
      if (!values.out) {
        console.error('backup needs --out FILE');
        return 2;
      }
      const out = values.out;
      const started = Date.now();
      const summary = await withRuntime((rt) => backupDatabase(rt.databaseUrl, out));
      const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
      console.log(
        `Backup written to ${out}: ${Object.keys(summary.rows).length} tables, ${total} rows, ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
      // The master key is deliberately not in the backup (see src/db/backup.ts).
      const config = loadConfig();
      console.log(
        `The master key is NOT in the backup. Keep a copy of ${config.masterKeyBase64 ? 'CASEBOOK_MASTER_KEY' : `${config.dataDir}/master.key`} ` +
          'somewhere safe and separate: without it the clinical narrative in this backup cannot be read.',
      );
      return 0;
    }
    case 'export': {
      if (!values.out) {
        console.error('export needs --out FILE.zip');
        return 2;
      }
      const out = values.out;
      const started = Date.now();
      const r = await withRuntime((rt) =>
        exportPracticeToFile(rt.deps, {
          practiceId: values.practice,
          out,
          onProgress: (p) =>
            process.stderr.write(
              `exported ${p.clientsDone}/${p.clientsTotal} clients, ${(p.bytes / 1e6).toFixed(1)} MB\n`,
            ),
        }),
      );
      console.log(
        `Export of practice ${r.practiceId} written to ${out}: ${r.clientsDone} clients, ${r.resources} FHIR resources, ` +
          `${r.bytes} bytes, ${((Date.now() - started) / 1000).toFixed(1)} s.\nSHA-256 ${r.sha256}\n` +
          'It holds protected health information: keep it encrypted and delete it when no longer needed.',
      );
      return 0;
    }
    case 'restore': {
      if (!values.in) {
        console.error('restore needs --in FILE');
        return 2;
      }
      const file = values.in;
      const config = loadConfig();
      const started = Date.now();
      const embedded = config.databaseUrl ? null : await startEmbeddedDatabase(config.dataDir);
      let summary: Awaited<ReturnType<typeof restoreDatabase>>;
      try {
        summary = await restoreDatabase(config.databaseUrl ?? embedded?.url ?? '', file);
      } finally {
        await embedded?.stop();
      }
      const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
      console.log(
        `Restore complete: ${Object.keys(summary.rows).length} tables, ${total} rows, ${((Date.now() - started) / 1000).toFixed(1)} s, into ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir}.`,
      );
      for (const c of summary.auditChains) {
        console.log(
          c.ok
            ? `ok    audit chain of practice ${c.practiceId}: ${c.rowsChecked} rows`
            : `WARNING audit chain of practice ${c.practiceId} does not verify: ${c.problem ?? ''}`,
        );
      }
      const keyFile = `${config.dataDir}/master.key`;
      const hasKey = Boolean(config.masterKeyBase64) || (await import('node:fs')).existsSync(keyFile);
      console.log(
        hasKey
          ? 'Make sure the master key in use is the one from the backed-up installation: with any other key the clinical narrative cannot be read.'
          : `Before starting Casebook, put the master key of the backed-up installation in ${keyFile} (chmod 600) or set CASEBOOK_MASTER_KEY. ` +
              'Otherwise a new key is generated and the restored clinical narrative cannot be read.',
      );
      return 0;
    }
  }
  console.log(USAGE);
  return command === 'help' || command === '--help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(
      err instanceof DomainError
        ? `${err.title}: ${err.message}`
        : err instanceof Error
          ? err.message
          : String(err),
    );
    process.exit(1);
  },
);
