/** Hourly clean-up: long-ended browser sessions and old throttling rows go; live ones stay. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { withTransaction } from '../../src/db/database.js';
import { pruneEndedAuthSessions } from '../../src/db/authSessionsRepo.js';
import { pruneLoginAttempts } from '../../src/db/loginAttemptsRepo.js';
import { login, openTestApp, seedPractice, type SeededPractice, type TestApp } from '../support/testApp.js';
import { openTableOwner } from '../support/tableOwner.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('housekeeping', () => {
  it('deletes sessions that ended over a day ago, in every practice, and keeps live ones', async () => {
    const live = await login(t.app, p.users.biller.email);
    await login(t.app, p.users.scheduler.email);
    await db.query("UPDATE auth_sessions SET revoked_at = now() - interval '2 days' WHERE user_id = $1", [
      p.users.scheduler.id,
    ]);
    const pruned = await withTransaction(t.deps.db, null, pruneEndedAuthSessions);
    expect(pruned).toBeGreaterThanOrEqual(1);
    const left = await db.query('SELECT 1 FROM auth_sessions WHERE user_id = $1', [p.users.scheduler.id]);
    expect(left.rowCount).toBe(0);
    expect((await live.get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('deletes throttling rows older than the window it is given', async () => {
    await db.query(
      "INSERT INTO login_attempts (email, ip, succeeded, attempted_at) VALUES ('old@example.test', '10.9.9.9', false, now() - interval '3 days')",
    );
    await withTransaction(t.deps.db, null, (tx) => pruneLoginAttempts(tx, 2));
    expect((await db.query("SELECT 1 FROM login_attempts WHERE email = 'old@example.test'")).rowCount).toBe(
      0,
    );
  });
});
