import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new empty data folder PostgreSQL's unprivileged user can enter. */
export async function tempDataDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

function cliEnv(dataDir: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CASEBOOK_DATA_DIR: dataDir, ...extra };
  delete env.DATABASE_URL;
  if (!extra.CASEBOOK_MASTER_KEY) delete env.CASEBOOK_MASTER_KEY;
  return env;
}

/** Starts the real `casebook` command on an embedded data folder. */
export function startCli(dataDir: string, args: string[], extra: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: cliEnv(dataDir, extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the real `casebook` command to completion; returns its exit code and all it printed. */
export function runCli(
  dataDir: string,
  args: string[],
  extra: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = startCli(dataDir, args, extra);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}
