/**
 * The audit trail is append-only and hash-chained per practice. Here someone with a SQL prompt
 * as the table owner gets past the append-only triggers (session_replication_role = replica)
 * and edits, deletes or inserts rows; GET /api/v1/audit/verify must notice and name the first
 * bad row. Each tampering case has a practice of its own so the cases cannot interfere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { withTransaction } from '../../src/db/database.js';
import { verifyAllChains } from '../../src/services/auditVerifyAll.js';
import {
  login,
  NEW_CLIENT,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { openTableOwner } from '../support/tableOwner.js';

let t: TestApp;
let db: pg.Client;

interface Chain {
  practice: SeededPractice;
  owner: Agent;
  rows: { seq: number; id: string; hash: Buffer }[];
}

interface Verification {
  ok: boolean;
  rowsChecked: number;
  firstBadSeq: number | null;
  firstBadId: string | null;
  problem: string | null;
}

/** A practice with a dozen or so audit rows: set-up, sign-in, a client created, viewed and edited. */
async function practiceWithHistory(): Promise<Chain> {
  const practice = await seedPractice(t.deps);
  const owner = await login(t.app, practice.users.owner.email);
  const clinician = await login(t.app, practice.users.clinician.email);
  const c = (await clinician.post('/api/v1/clients', NEW_CLIENT)).json<{ id: string }>();
  await clinician.get(`/api/v1/clients/${c.id}`);
  await clinician.patch(`/api/v1/clients/${c.id}`, { pronouns: 'she/her' }, { 'if-match': '"1"' });
  await clinician.get(`/api/v1/clients/${c.id}/background`);
  return { practice, owner, rows: await chainRows(practice.practiceId) };
}

async function chainRows(practiceId: string) {
  const r = await db.query<{ seq: number; id: string; hash: Buffer }>(
    'SELECT seq::int AS seq, id, hash FROM audit_events WHERE practice_id = $1 ORDER BY seq',
    [practiceId],
  );
  return r.rows;
}

async function verify(chain: Chain): Promise<Verification> {
  const res = await chain.owner.get('/api/v1/audit/verify');
  expect(res.statusCode).toBe(200);
  return res.json<Verification>();
}

/** Runs SQL as the table owner with the append-only triggers out of the way. */
async function tamper(sql: string, params: unknown[] = []): Promise<void> {
  await db.query('BEGIN');
  try {
    await db.query('SET LOCAL session_replication_role = replica');
    await db.query(sql, params);
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
}

/**
 * Inserts a forged row after copying an existing one (source seq), with the given seq,
 * prev_hash and a backdated time, and a hash that is correct for its own content, as a careful
 * forger would compute it.
 */
async function forge(practiceId: string, from: number, seq: number, prevHash: Buffer): Promise<string> {
  const r = await db.query<{ id: string }>('SELECT gen_random_uuid() AS id');
  const id = r.rows[0]?.id ?? '';
  await tamper(
    `INSERT INTO audit_events (id, practice_id, seq, occurred_at, actor_user_id, actor_label, action, category, client_id,
            entity_type, entity_id, outcome, ip, user_agent, request_id, details, prev_hash, hash)
     SELECT $1, practice_id, $3, occurred_at - interval '1 day', actor_user_id, actor_label, 'client.view', category, client_id,
            entity_type, entity_id, 'success', ip, user_agent, 'forged', '{"grounds":"care_team"}', $4, '\\x00'
       FROM audit_events WHERE practice_id = $2 AND seq = $5`,
    [id, practiceId, seq, prevHash, from],
  );
  await tamper(
    `UPDATE audit_events e SET hash = sha256(e.prev_hash || convert_to(audit_canonical(e), 'UTF8')) WHERE id = $1`,
    [id],
  );
  return id;
}

function row(chain: Chain, seq: number) {
  const r = chain.rows.find((x) => x.seq === seq);
  if (!r) throw new Error(`no row ${seq}`);
  return r;
}

let chains: Chain[] = [];
/** Each test takes a practice of its own, all prepared together up front. */
function nextChain(): Chain {
  const c = chains.shift();
  if (!c) throw new Error('no prepared practice left');
  return c;
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  chains = await Promise.all(Array.from({ length: 9 }, () => practiceWithHistory()));
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('an untouched chain', () => {
  it('verifies, counting every row', async () => {
    const chain = nextChain();
    expect(chain.rows.length).toBeGreaterThanOrEqual(8);
    expect(chain.rows.map((r) => r.seq)).toEqual(chain.rows.map((_, i) => i + 1));
    expect(await verify(chain)).toEqual({
      ok: true,
      rowsChecked: chain.rows.length,
      firstBadSeq: null,
      firstBadId: null,
      problem: null,
    });
  });
});

describe('tampering as the table owner is detected', () => {
  const tampered: string[] = [];

  it('(a) editing a row’s details', async () => {
    const chain = nextChain();
    const target = row(chain, 5);
    await tamper(`UPDATE audit_events SET details = '{"grounds":"nothing to see"}' WHERE id = $1`, [
      target.id,
    ]);
    tampered.push(chain.practice.practiceId);
    expect(await verify(chain)).toMatchObject({
      ok: false,
      firstBadSeq: 5,
      firstBadId: target.id,
      problem: expect.stringMatching(/altered/) as unknown,
    });
  });

  it('(a′) editing any other field: an outcome, or a time', async () => {
    const chain = nextChain();
    await tamper(
      "UPDATE audit_events SET outcome = CASE outcome WHEN 'success' THEN 'denied' ELSE 'success' END WHERE id = $1",
      [row(chain, 4).id],
    );
    await tamper("UPDATE audit_events SET occurred_at = occurred_at - interval '1 hour' WHERE id = $1", [
      row(chain, 6).id,
    ]);
    tampered.push(chain.practice.practiceId);
    expect(await verify(chain)).toMatchObject({ ok: false, firstBadSeq: 4, firstBadId: row(chain, 4).id });
  });

  it('(b) deleting a middle row', async () => {
    const chain = nextChain();
    await tamper('DELETE FROM audit_events WHERE id = $1', [row(chain, 4).id]);
    tampered.push(chain.practice.practiceId);
    expect(await verify(chain)).toMatchObject({
      ok: false,
      firstBadSeq: 5,
      firstBadId: row(chain, 5).id,
      problem: expect.stringMatching(/jumps from 3 to 5/) as unknown,
    });
  });

  it('(c) deleting the newest row', async () => {
    const chain = nextChain();
    const newest = chain.rows[chain.rows.length - 1];
    if (!newest) throw new Error('empty chain');
    await tamper('DELETE FROM audit_events WHERE id = $1', [newest.id]);
    tampered.push(chain.practice.practiceId);
    expect(await verify(chain)).toMatchObject({
      ok: false,
      firstBadSeq: newest.seq,
      firstBadId: null,
      problem: expect.stringMatching(/newest rows removed/) as unknown,
    });
  });

  it('(d) inserting a backdated row after the newest, correctly hashed, without the trigger', async () => {
    const chain = nextChain();
    const newest = chain.rows[chain.rows.length - 1];
    if (!newest) throw new Error('empty chain');
    const forged = await forge(chain.practice.practiceId, 3, newest.seq + 1, newest.hash);
    tampered.push(chain.practice.practiceId);
    expect(await verify(chain)).toMatchObject({
      ok: false,
      firstBadSeq: newest.seq + 1,
      firstBadId: forged,
      problem: expect.stringMatching(/outside the audit trigger/) as unknown,
    });
  });

  it('(d′) inserting a row linked to an older row (out of order)', async () => {
    const chain = nextChain();
    const newest = chain.rows[chain.rows.length - 1];
    if (!newest) throw new Error('empty chain');
    const forged = await forge(chain.practice.practiceId, 3, newest.seq + 1, row(chain, 2).hash);
    tampered.push(chain.practice.practiceId);
    expect(await verify(chain)).toMatchObject({
      ok: false,
      firstBadSeq: newest.seq + 1,
      firstBadId: forged,
      problem: expect.stringMatching(/link to the previous row/) as unknown,
    });
  });

  it('(d″) inserting a row with a sequence number out of order', async () => {
    const chain = nextChain();
    const newest = chain.rows[chain.rows.length - 1];
    if (!newest) throw new Error('empty chain');
    const forged = await forge(chain.practice.practiceId, 3, newest.seq + 3, newest.hash);
    tampered.push(chain.practice.practiceId);
    expect(await verify(chain)).toMatchObject({
      ok: false,
      firstBadSeq: newest.seq + 3,
      firstBadId: forged,
      problem: expect.stringMatching(/sequence jumps/) as unknown,
    });
  });

  it('(e) replacing the newest row with a forged one that chains correctly', async () => {
    const chain = nextChain();
    const newest = chain.rows[chain.rows.length - 1];
    const before = chain.rows[chain.rows.length - 2];
    if (!newest || !before) throw new Error('short chain');
    await tamper('DELETE FROM audit_events WHERE id = $1', [newest.id]);
    const forged = await forge(chain.practice.practiceId, 3, newest.seq, before.hash);
    tampered.push(chain.practice.practiceId);
    expect(await verify(chain)).toMatchObject({
      ok: false,
      firstBadSeq: newest.seq,
      firstBadId: forged,
      problem: expect.stringMatching(/does not match the chain head/) as unknown,
    });
  });

  it('the verification itself is audited, and the operator check (casebook audit verify) agrees', async () => {
    expect(tampered).toHaveLength(8);
    const all = await verifyAllChains(t.deps);
    for (const id of tampered) expect(all.find((r) => r.practiceId === id)?.ok, id).toBe(false);
    const rows = await db.query<{ outcome: string }>(
      "SELECT outcome FROM audit_events WHERE practice_id = ANY($1::uuid[]) AND action = 'audit.verify'",
      [tampered],
    );
    // In (d) and (d′) the forged row holds the sequence number the record of the check needed,
    // so only the other six could record it; all eight still answered with the finding.
    expect(rows.rows.map((r) => r.outcome)).toEqual(Array.from({ length: 6 }, () => 'failure'));
  });
});

describe('without getting past the triggers', () => {
  it('even the table owner cannot UPDATE, DELETE or TRUNCATE audit rows', async () => {
    const practice = await seedPractice(t.deps);
    for (const sql of [
      "UPDATE audit_events SET action = 'x' WHERE practice_id = $1",
      'DELETE FROM audit_events WHERE practice_id = $1',
    ]) {
      await expect(db.query(sql, [practice.practiceId])).rejects.toThrow(/append-only/);
    }
    await expect(db.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
  });

  it('casebook_app is refused UPDATE, DELETE and TRUNCATE outright', async () => {
    const practice = await seedPractice(t.deps);
    for (const sql of [
      "UPDATE audit_events SET action = 'x'",
      'DELETE FROM audit_events',
      'TRUNCATE audit_events',
    ]) {
      await expect(
        withTransaction(t.deps.db, practice.practiceId, (tx) => tx.query(sql)),
      ).rejects.toMatchObject({ code: '42501' });
    }
    const owner = await login(t.app, practice.users.owner.email);
    expect((await owner.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });
});
