/**
 * The operator's path: `casebook create-owner` on a fresh embedded data folder, then `serve`
 * (reusing the same key and database), a sign-in over real HTTP, and a clean stop on SIGTERM.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDataDir } from '../support/cli.js';

const PASSWORD = 'harbor lantern meadow 91';
let dir: string;

beforeAll(async () => {
  dir = await tempDataDir('casebook-cli-');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('casebook command', () => {
  it('creates the owner, serves on the same data, and stops PostgreSQL cleanly on SIGTERM', async () => {
    const created = await runCli(
      dir,
      [
        'create-owner',
        '--practice',
        'Harbor Counseling',
        '--email',
        'owner@harbor.example.org',
        '--name',
        'Rae Harbor',
      ],
      {
        CASEBOOK_OWNER_PASSWORD: PASSWORD,
      },
    );
    expect(created.code, created.out).toBe(0);
    expect(created.out).toMatch(/Created practice [0-9a-f-]{36} with owner owner@harbor.example.org/);
    expect((await stat(join(dir, 'master.key'))).mode & 0o777).toBe(0o600);
    const key = await readFile(join(dir, 'master.key'), 'utf8');

    const server = startCli(dir, ['serve'], { PORT: '0', LOG_LEVEL: 'warn' });
    let out = '';
    server.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const address = await new Promise<string>((resolve, reject) => {
      server.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Casebook is running at (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      server.on('close', () => reject(new Error(`serve exited early: ${out}`)));
    });
    const exited = new Promise<number | null>((resolve) => server.on('close', resolve));
    try {
      expect(await (await fetch(`${address}/api/v1/setup`)).json()).toEqual({ needsSetup: false });
      const login = await fetch(`${address}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@harbor.example.org', password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      expect(await readFile(join(dir, 'master.key'), 'utf8')).toBe(key);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: finishing requests in flight, then stopping PostgreSQL');
    // PostgreSQL removes its pid file only on a clean shutdown.
    await expect(stat(join(dir, 'pg', 'postmaster.pid'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 90_000);

  it('refuses an unknown command with the usage text', async () => {
    const r = await runCli(dir, ['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('casebook <command>');
  });
});
