/**
 * A plan-review note signed while the treatment plan is being edited or signed at the same
 * moment: the review's goal statuses reach the open draft or the signing is refused (409), never
 * dropped silently; and the two signings never deadlock into a 500. The interleavings are made
 * deterministic by holding a row lock with a separate table-owner connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { LightMyRequestResponse } from 'fastify';
import {
  login,
  openTestApp,
  PASSWORD,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { openTableOwner } from '../support/tableOwner.js';
import { newClient, startNote, type NoteView } from '../support/clinical.js';
import { signPlan } from '../support/goalProgressSeed.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;

const REVIEW_CONTENT = {
  goalsReviewed: 'Both goals and their objectives',
  overallProgress: 'some',
  progressSummary: 'Fewer panic attacks at work.',
  planChanges: 'Panic goal achieved.',
  continuedNeed: 'Mood goal not yet met.',
};

interface VersionJson {
  id: string;
  version: number;
  status: string;
  content: { strengths: string; goals: { id: string; status: string }[] } & Record<string, unknown>;
}

beforeAll(async () => {
  t = await openTestApp(undefined, { clock: () => new Date() });
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
});

afterAll(async () => {
  await db.end();
  await t.close();
});

/** A client with a signed two-goal plan, an open draft of it, and a plan-review note marking goal 0 achieved. */
async function setUp() {
  const clientId = (await newClient(clinician)).id;
  const plan = await signPlan(clinician, clientId, [
    { statement: 'Reduce depressive symptoms' },
    { statement: 'Fewer panic attacks at work' },
  ]);
  const started = await clinician.post(`/api/v1/clients/${clientId}/treatment-plan/draft`, {});
  expect(started.statusCode, started.body).toBe(201);
  const draft = started.json<VersionJson>();
  const note = await startNote(clinician, { clientId, kind: 'plan_review', dateOfService: '2026-04-01' });
  const saved = await clinician.put(
    `/api/v1/notes/${note.id}/draft`,
    {
      content: REVIEW_CONTENT,
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: plan.goals.map((g, i) => ({
          goalId: g.id,
          scale: 'five_point',
          rating: 4,
          newStatus: i === 0 ? 'achieved' : null,
        })),
      },
    },
    { 'if-match': `"${note.version}"` },
  );
  expect(saved.statusCode, saved.body).toBe(200);
  return { clientId, plan, draft, note: saved.json<NoteView>() };
}

function signReview(note: { id: string; version: number }) {
  return clinician.post(
    `/api/v1/notes/${note.id}/sign`,
    { password: PASSWORD },
    { 'if-match': `"${note.version}"` },
  );
}

function signPlanVersion(v: { id: string; version: number }) {
  return clinician.post(
    `/api/v1/treatment-plan-versions/${v.id}/sign`,
    { password: PASSWORD },
    { 'if-match': `"${v.version}"` },
  );
}

async function getVersion(id: string): Promise<VersionJson> {
  const res = await clinician.get(`/api/v1/treatment-plan-versions/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<VersionJson>();
}

/**
 * Waits until `n` application connections are queued on a row lock with a query matching `like`
 * (or, with `orClient`, on the client or signer row, which a write or a signing locks first).
 */
async function waitForLockWaiters(like: string, n: number, orClient = false): Promise<void> {
  const patterns = orClient
    ? [like, '%FROM clients WHERE id = $1 FOR NO KEY UPDATE', '%FROM users WHERE id = $1 FOR UPDATE']
    : [like];
  for (let waited = 0; ; waited += 20) {
    const r = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = 'casebook' AND wait_event_type = 'Lock' AND query LIKE ANY($1::text[])`,
      [patterns],
    );
    if ((r.rows[0]?.n ?? 0) >= n) return;
    if (waited > 10_000) {
      const w = await db.query<{ q: string }>(
        `SELECT wait_event_type || ' ' || left(query, 120) AS q FROM pg_stat_activity
          WHERE application_name = 'casebook' AND state <> 'idle'`,
      );
      throw new Error(`never saw ${n} request(s) waiting on ${like}: ${w.rows.map((x) => x.q).join(' | ')}`);
    }
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function holding<T>(lockSql: string, params: unknown[], run: (holder: pg.Client) => Promise<T>) {
  const holder = await openTableOwner();
  try {
    await holder.query('BEGIN');
    await holder.query(lockSql, params);
    return await run(holder);
  } finally {
    await holder.query('ROLLBACK').catch(() => undefined);
    await holder.end();
  }
}

async function planVersionCount(clientId: string): Promise<number> {
  const r = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM treatment_plan_versions WHERE client_id = $1',
    [clientId],
  );
  return r.rows[0]?.n ?? -1;
}

const LOCK_VERSION = 'SELECT id FROM treatment_plan_versions WHERE id = $1 FOR UPDATE';
const LOCK_PLAN = 'SELECT id FROM treatment_plans WHERE client_id = $1 FOR UPDATE';

describe('a plan-review note signed while the plan draft is saved', () => {
  it('applies its statuses to the draft as saved in between (the draft moved on meanwhile)', async () => {
    const { plan, draft, note } = await setUp();
    const review = await holding(LOCK_VERSION, [draft.id], async (holder) => {
      // The review reads the draft, then queues on the draft's row, which the holder has.
      const signing = signReview(note);
      await waitForLockWaiters('SELECT 1 FROM treatment_plan_versions%', 1);
      // Meanwhile an autosave of the draft commits (a new version of the same content).
      await holder.query('UPDATE treatment_plan_versions SET version = version + 1 WHERE id = $1', [
        draft.id,
      ]);
      await holder.query('COMMIT');
      return signing;
    });
    expect(review.statusCode, review.body).toBe(200);
    const after = await getVersion(draft.id);
    expect(after.status).toBe('draft');
    expect(after.version).toBe(draft.version + 2);
    expect(after.content.goals.map((g) => [g.id, g.status])).toEqual([
      [plan.goals[0]?.id, 'achieved'],
      [plan.goals[1]?.id, 'active'],
    ]);
  });

  it('keeps both the autosave’s edit and the statuses when the two requests race', async () => {
    const { clientId, plan, draft, note } = await setUp();
    const edited = { ...draft.content, strengths: 'Motivated; back at the gym' };
    const [saved, review] = await holding(LOCK_PLAN, [clientId], async (holder) => {
      const saving = clinician.put(
        `/api/v1/treatment-plan-versions/${draft.id}`,
        { content: edited },
        { 'if-match': `"${draft.version}"` },
      );
      await waitForLockWaiters('%FROM treatment_plans%', 1);
      const signing = signReview(note);
      await waitForLockWaiters('%FROM treatment_plans%', 2, true);
      await holder.query('COMMIT');
      return Promise.all([saving, signing]);
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(review.statusCode, review.body).toBe(200);
    const after = await getVersion(draft.id);
    expect(after.content.strengths).toBe('Motivated; back at the gym');
    expect(after.content.goals.map((g) => [g.id, g.status])).toEqual([
      [plan.goals[0]?.id, 'achieved'],
      [plan.goals[1]?.id, 'active'],
    ]);
  });

  it('is refused (409) and changes nothing when the draft is gone by the time it is locked', async () => {
    const { clientId, draft, note } = await setUp();
    const before = await planVersionCount(clientId);
    const review = await holding(LOCK_VERSION, [draft.id], async (holder) => {
      const signing = signReview(note);
      await waitForLockWaiters('SELECT 1 FROM treatment_plan_versions%', 1);
      await holder.query('DELETE FROM treatment_plan_versions WHERE id = $1', [draft.id]);
      await holder.query('COMMIT');
      return signing;
    });
    expect(review.statusCode, review.body).toBe(409);
    expect(review.headers['content-type']).toContain('application/problem+json');
    expect(await planVersionCount(clientId)).toBe(before - 1);
    const n = await db.query<{ status: string }>('SELECT status FROM notes WHERE id = $1', [note.id]);
    expect(n.rows[0]?.status).not.toBe('signed');
  });
});

describe('a plan-review note and the plan draft signed at the same moment', () => {
  async function race(reviewFirst: boolean): Promise<{
    review: LightMyRequestResponse;
    planSign: LightMyRequestResponse;
    draftId: string;
  }> {
    const { clientId, draft, note } = await setUp();
    return holding(LOCK_PLAN, [clientId], async (holder) => {
      const first = reviewFirst ? signReview(note) : signPlanVersion(draft);
      await waitForLockWaiters('%treatment_plans%', 1);
      const second = reviewFirst ? signPlanVersion(draft) : signReview(note);
      await waitForLockWaiters('%treatment_plans%', 2, true);
      await holder.query('COMMIT');
      const [a, b] = await Promise.all([first, second]);
      return reviewFirst
        ? { review: a, planSign: b, draftId: draft.id }
        : { review: b, planSign: a, draftId: draft.id };
    });
  }

  it('review first: the review signs, the plan signing is refused as stale (412), no 500', async () => {
    const { review, planSign, draftId } = await race(true);
    expect(review.statusCode, review.body).toBe(200);
    expect(planSign.statusCode, planSign.body).toBe(412);
    expect((await getVersion(draftId)).content.goals[0]?.status).toBe('achieved');
  });

  it('plan first: the plan signs, the review is refused (409, plan changed), no 500', async () => {
    const { review, planSign } = await race(false);
    expect(planSign.statusCode, planSign.body).toBe(200);
    expect(review.statusCode, review.body).toBe(409);
    expect(review.json<{ planChanged?: boolean }>().planChanged).toBe(true);
  });
});
