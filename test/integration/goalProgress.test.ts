/**
 * Progress on treatment-plan goals in every session: ratings saved with the note's draft (same
 * If-Match version), refused for goals not on the plan, frozen by the database once the note is
 * signed; a signed plan-review note makes a new plan version with its statuses (refused when the
 * plan changed meanwhile); the trend joins ratings with measure-based progress; access is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  login,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import { newClient, signNote, startNote, SOAP_CONTENT, type NoteView } from '../support/clinical.js';
import { givePhq9, signPlan, type SeededPlan } from '../support/goalProgressSeed.js';

const DAY = 86_400_000;
let now = new Date();
let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let other: Agent;
let clientId: string;
let plan: SeededPlan;
// Goal 0 is measured by the PHQ-9 (below 10), goal 1 by a target, goal 2 is already achieved.
const [MEASURED, TARGETED, ACHIEVED] = [0, 1, 2];
const COMMENT = 'Used the breathing plan at work twice this week';

const REVIEW_CONTENT = {
  goalsReviewed: 'Both active goals and their objectives',
  overallProgress: 'some',
  progressSummary: 'PHQ-9 fell from 21 to 15; panic log shows fewer attacks.',
  planChanges: 'Goal 2 achieved; the rest continues.',
  continuedNeed: 'Mood goal not yet met.',
};

interface GoalProgressJson {
  applies: boolean;
  editable: boolean;
  planReview: boolean;
  planVersionId: string | null;
  planChanged: boolean;
  goals: {
    goalId: string;
    statement: string;
    rating: {
      scale: string;
      rating: number | null;
      label: string;
      comment: string;
      newStatus: string | null;
    } | null;
  }[];
}

interface TrendJson {
  planVersionId: string | null;
  goals: {
    goalId: string;
    ratings: {
      noteId: string;
      dateOfService: string;
      rating: number | null;
      progress: number | null;
      comment: string;
    }[];
    measureProgress: {
      baseline: number | null;
      latest: number | null;
      fractionToTarget: number | null;
      met: boolean;
    } | null;
    measurePoints: { total: number; progress: number | null }[];
  }[];
}

function goalId(i: number): string {
  const g = plan.goals[i];
  if (!g) throw new Error(`no goal ${i}`);
  return g.id;
}

async function progressOf(agent: Agent, noteId: string): Promise<GoalProgressJson> {
  const res = await agent.get(`/api/v1/notes/${noteId}/goal-progress`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<GoalProgressJson>();
}

async function storedRatings(noteId: string) {
  const r = await db.query<{
    goal_id: string;
    rating: number | null;
    comment_enc: Buffer | null;
    new_status: string | null;
  }>(
    'SELECT goal_id, rating, comment_enc, new_status FROM note_goal_ratings WHERE note_id = $1 ORDER BY goal_id',
    [noteId],
  );
  return r.rows;
}

async function noteVersion(noteId: string): Promise<number | undefined> {
  const r = await db.query<{ version: number }>('SELECT version FROM notes WHERE id = $1', [noteId]);
  return r.rows[0]?.version;
}

function putDraft(agent: Agent, note: { id: string; version: number }, body: unknown) {
  return agent.put(`/api/v1/notes/${note.id}/draft`, body, { 'if-match': `"${note.version}"` });
}

/** Autosaves the draft (body may carry goalProgress) and returns the note as stored. */
async function saveWith(note: { id: string; version: number }, body: unknown): Promise<NoteView> {
  const res = await putDraft(clinician, note, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NoteView>();
}

async function progressNote(agent: Agent = clinician, dateOfService = '2026-03-02'): Promise<NoteView> {
  return startNote(agent, { clientId, dateOfService });
}

beforeAll(async () => {
  t = await openTestApp(undefined, { clock: () => now });
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  other = await login(t.app, p.users.otherClinician.email);
  clientId = (await newClient(clinician)).id;
  plan = await signPlan(clinician, clientId, [
    { statement: 'Reduce depressive symptoms', measure: { instrument: 'phq9', below: 10 } },
    { statement: 'Fewer panic attacks at work' },
    { statement: 'Return to the gym', status: 'achieved' },
  ]);
  await givePhq9(clinician, clientId, 21, new Date(now.getTime() - 30 * DAY));
  await givePhq9(clinician, clientId, 15, new Date(now.getTime() - DAY));
});

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('ratings on a progress note', () => {
  it('lists the active goals of the signed plan, unrated, for a new draft', async () => {
    const note = await progressNote();
    const gp = await progressOf(clinician, note.id);
    expect(gp).toMatchObject({
      applies: true,
      editable: true,
      planReview: false,
      planVersionId: plan.versionId,
    });
    expect(gp.goals.map((g) => g.goalId)).toEqual([goalId(MEASURED), goalId(TARGETED)]);
    expect(gp.goals.every((g) => g.rating === null)).toBe(true);
  });

  it('saves ratings with the draft, bumps its version, encrypts the comment and audits', async () => {
    const note = await progressNote();
    const res = await putDraft(clinician, note, {
      content: SOAP_CONTENT,
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: [
          { goalId: goalId(MEASURED), scale: 'five_point', rating: 3, comment: COMMENT },
          { goalId: goalId(TARGETED), scale: 'zero_to_ten', rating: 7 },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<NoteView>().version).toBe(note.version + 1);
    const gp = await progressOf(clinician, note.id);
    expect(gp.goals.map((g) => g.rating)).toEqual([
      {
        scale: 'five_point',
        rating: 3,
        label: 'Some progress',
        progress: 0.5,
        comment: COMMENT,
        newStatus: null,
      },
      { scale: 'zero_to_ten', rating: 7, label: '7 of 10', progress: 0.7, comment: '', newStatus: null },
    ]);
    const raw = await storedRatings(note.id);
    expect(raw).toHaveLength(2);
    const bytes = raw.map((r) => r.comment_enc?.toString('latin1') ?? '').join('');
    expect(bytes).not.toContain('breathing');
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.find((a) => a.action === 'note.goal_ratings.save')).toMatchObject({
      category: 'progress_note',
      client_id: clientId,
      entity_id: note.id,
      outcome: 'success',
    });
    expect(JSON.stringify(audit)).not.toContain('breathing');
  });

  it('replaces the ratings: a goal left out of the next save is no longer rated', async () => {
    let note = await progressNote();
    note = await saveWith(note, {
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: [
          { goalId: goalId(MEASURED), scale: 'five_point', rating: 2 },
          { goalId: goalId(TARGETED), scale: 'five_point', rating: 4 },
        ],
      },
    });
    await saveWith(note, {
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: [{ goalId: goalId(TARGETED), scale: 'five_point', rating: 5 }],
      },
    });
    const gp = await progressOf(clinician, note.id);
    expect(gp.goals.map((g) => g.rating?.label ?? 'not rated')).toEqual(['not rated', 'Met']);
  });

  it('refuses with 422 a goal not on the plan, or not active, and writes nothing', async () => {
    const note = await progressNote();
    for (const id of ['6f1d9a55-0000-4000-8000-000000000001', goalId(ACHIEVED)]) {
      const res = await putDraft(clinician, note, {
        content: SOAP_CONTENT,
        goalProgress: {
          planVersionId: plan.versionId,
          ratings: [
            { goalId: goalId(MEASURED), scale: 'five_point', rating: 3 },
            { goalId: id, scale: 'five_point', rating: 3 },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([
        'goalProgress.ratings.1.goalId',
      ]);
    }
    expect(await storedRatings(note.id)).toEqual([]);
    expect(await noteVersion(note.id)).toBe(note.version);
  });

  it('refuses a rating off its scale and a new status outside a plan review (422)', async () => {
    const note = await progressNote();
    const offScale = await putDraft(clinician, note, {
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: [{ goalId: goalId(MEASURED), scale: 'zero_to_ten', rating: 11 }],
      },
    });
    expect(offScale.statusCode, offScale.body).toBe(422);
    const status = await putDraft(clinician, note, {
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: [{ goalId: goalId(MEASURED), scale: 'five_point', rating: 5, newStatus: 'achieved' }],
      },
    });
    expect(status.statusCode, status.body).toBe(422);
    expect(status.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'goalProgress.ratings.0.newStatus',
    );
    const unknownField = await putDraft(clinician, note, {
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: [{ goalId: goalId(MEASURED), scale: 'five_point', stars: 5 }],
      },
    });
    expect(unknownField.statusCode, unknownField.body).toBe(400);
    expect(await storedRatings(note.id)).toEqual([]);
  });

  it('refuses a stale save (412) and ratings for another plan version (409), keeping what was stored', async () => {
    let note = await progressNote();
    note = await saveWith(note, {
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: [{ goalId: goalId(MEASURED), scale: 'five_point', rating: 2 }],
      },
    });
    const stale = await putDraft(
      clinician,
      { id: note.id, version: note.version - 1 },
      {
        goalProgress: {
          planVersionId: plan.versionId,
          ratings: [{ goalId: goalId(MEASURED), scale: 'five_point', rating: 5 }],
        },
      },
    );
    expect(stale.statusCode, stale.body).toBe(412);
    const otherVersion = await putDraft(clinician, note, {
      goalProgress: {
        planVersionId: '6f1d9a55-0000-4000-8000-000000000002',
        ratings: [{ goalId: goalId(MEASURED), scale: 'five_point', rating: 5 }],
      },
    });
    expect(otherVersion.statusCode, otherVersion.body).toBe(409);
    expect((await storedRatings(note.id)).map((r) => r.rating)).toEqual([2]);
  });

  it('refuses ratings on a note that does not rate goals (intake), 422', async () => {
    const intake = await startNote(clinician, { clientId, kind: 'intake', dateOfService: '2026-03-02' });
    const res = await putDraft(clinician, intake, {
      goalProgress: { planVersionId: plan.versionId, ratings: [] },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect((await progressOf(clinician, intake.id)).applies).toBe(false);
  });
});

describe('once the note is signed', () => {
  let signed: NoteView;

  beforeAll(async () => {
    const note = await progressNote(clinician, '2026-03-09');
    const saved = await saveWith(note, {
      content: SOAP_CONTENT,
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: [
          { goalId: goalId(MEASURED), scale: 'five_point', rating: 3, comment: COMMENT },
          { goalId: goalId(TARGETED), scale: 'zero_to_ten', rating: 6 },
        ],
      },
    });
    signed = await signNote(clinician, saved);
  });

  it('shows the ratings read-only, and refuses a change through the API (409)', async () => {
    const gp = await progressOf(clinician, signed.id);
    expect(gp.editable).toBe(false);
    expect(gp.goals.map((g) => g.rating?.rating)).toEqual([3, 6]);
    const res = await putDraft(clinician, signed, {
      goalProgress: { planVersionId: plan.versionId, ratings: [] },
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(await storedRatings(signed.id)).toHaveLength(2);
  });

  it('refuses any change even from the table owner at a SQL prompt', async () => {
    await expect(
      db.query('UPDATE note_goal_ratings SET rating = 1 WHERE note_id = $1', [signed.id]),
    ).rejects.toThrow(/signed/);
    await expect(db.query('DELETE FROM note_goal_ratings WHERE note_id = $1', [signed.id])).rejects.toThrow(
      /signed/,
    );
    await expect(
      db.query(
        `INSERT INTO note_goal_ratings (practice_id, client_id, note_id, goal_id, plan_version_id, scale, rating)
         VALUES ($1, $2, $3, $4, $5, 'five_point', 1)`,
        [p.practiceId, clientId, signed.id, goalId(ACHIEVED), plan.versionId],
      ),
    ).rejects.toThrow(/signed/);
    expect((await storedRatings(signed.id)).map((r) => r.rating).sort()).toEqual([3, 6]);
  });

  it('puts the signed ratings and the PHQ-9 progress on the trend, drafts left out, audited', async () => {
    const res = await clinician.get(`/api/v1/clients/${clientId}/goal-progress`);
    expect(res.statusCode, res.body).toBe(200);
    const trend = res.json<TrendJson>();
    expect(trend.planVersionId).toBe(plan.versionId);
    expect(trend.goals.map((g) => g.goalId)).toEqual(plan.goals.map((g) => g.id));
    const [measured, targeted, achieved] = trend.goals;
    // Only the signed note: the drafts above (and their ratings) are their author's alone.
    expect(measured?.ratings).toEqual([
      expect.objectContaining({
        noteId: signed.id,
        dateOfService: '2026-03-09',
        rating: 3,
        progress: 0.5,
        comment: COMMENT,
      }),
    ]);
    expect(targeted?.ratings.map((r) => r.progress)).toEqual([0.6]);
    expect(achieved?.ratings).toEqual([]);
    // Baseline 21, target below 10: 15 is half way.
    expect(measured?.measureProgress).toMatchObject({
      baseline: 21,
      latest: 15,
      fractionToTarget: 0.5,
      met: false,
    });
    expect(measured?.measurePoints.map((m) => [m.total, m.progress])).toEqual([
      [21, 0],
      [15, 0.5],
    ]);
    expect(targeted?.measureProgress).toBeNull();
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'goal_progress.view',
        category: 'treatment_plan',
        client_id: clientId,
        outcome: 'success',
      }),
    ]);
  });
});

describe('access', () => {
  it('refuses the trend and a note’s ratings to a clinician without access, audited as denied', async () => {
    const trend = await other.get(`/api/v1/clients/${clientId}/goal-progress`);
    expect(trend.statusCode, trend.body).toBe(403);
    expect(trend.body).not.toContain('depressive');
    expect(await auditRowsOf(db, trend.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'goal_progress.view',
        category: 'treatment_plan',
        outcome: 'denied',
      }),
    ]);
    const note = await progressNote();
    const read = await other.get(`/api/v1/notes/${note.id}/goal-progress`);
    expect(read.statusCode, read.body).toBe(403);
    expect((await auditRowsOf(db, read.headers['x-request-id']))[0]).toMatchObject({ outcome: 'denied' });
  });

  it('refuses ratings from someone who is not the draft’s author, writing nothing', async () => {
    const note = await progressNote();
    const owner = await login(t.app, p.users.owner.email);
    const res = await putDraft(owner, note, {
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: [{ goalId: goalId(MEASURED), scale: 'five_point', rating: 1 }],
      },
    });
    expect([403, 404]).toContain(res.statusCode);
    expect(await storedRatings(note.id)).toEqual([]);
    expect((await auditRowsOf(db, res.headers['x-request-id']))[0]).toMatchObject({ outcome: 'denied' });
  });
});

describe('plan-review note', () => {
  async function reviewDraft(statuses: Record<number, string>) {
    const note = await startNote(clinician, { clientId, kind: 'plan_review', dateOfService: '2026-04-01' });
    const gp = await progressOf(clinician, note.id);
    expect(gp.planReview).toBe(true);
    return saveWith(note, {
      content: REVIEW_CONTENT,
      goalProgress: {
        planVersionId: gp.planVersionId,
        ratings: gp.goals.map((g, i) => ({
          goalId: g.goalId,
          scale: 'five_point',
          rating: 4,
          newStatus: statuses[i] ?? null,
        })),
      },
    });
  }

  interface PlanJson {
    current: {
      id: string;
      versionNo: number;
      reviewDueDate: string;
      content: { goals: { id: string; status: string }[] };
    };
  }

  it('when signed, makes a new signed plan version with the new statuses and a new review date', async () => {
    const before = (await clinician.get(`/api/v1/clients/${clientId}/treatment-plan`)).json<PlanJson>();
    const draft = await reviewDraft({ 1: 'achieved' });
    now = new Date(now.getTime() + 30 * DAY);
    const res = await clinician.post(
      `/api/v1/notes/${draft.id}/sign`,
      { password: 'correct horse battery staple 42' },
      {
        'if-match': `"${draft.version}"`,
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    const after = (await clinician.get(`/api/v1/clients/${clientId}/treatment-plan`)).json<PlanJson>();
    expect(after.current.versionNo).toBe(before.current.versionNo + 1);
    expect(after.current.content.goals.map((g) => g.status)).toEqual(['active', 'achieved', 'achieved']);
    expect(after.current.reviewDueDate > before.current.reviewDueDate).toBe(true);
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['note.sign', 'treatment_plan.goal_statuses', 'note.plan_review.apply']),
    );
    plan = { ...plan, versionId: after.current.id };
  });

  it('refuses signing (409) when the plan changed after the review rated it, and changes nothing', async () => {
    const draft = await reviewDraft({ 0: 'achieved' });
    // Someone signs a new version of the plan meanwhile (same goals).
    const newer = await signPlan(
      clinician,
      clientId,
      [
        { statement: 'Reduce depressive symptoms', measure: { instrument: 'phq9', below: 10 } },
        { statement: 'Fewer panic attacks at work', status: 'achieved' },
        { statement: 'Return to the gym', status: 'achieved' },
      ],
      plan.goals.map((g) => g.id),
    );
    const res = await clinician.post(
      `/api/v1/notes/${draft.id}/sign`,
      { password: 'correct horse battery staple 42' },
      {
        'if-match': `"${draft.version}"`,
      },
    );
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json<{ detail: string }>().detail).toMatch(/plan was changed/);
    const noteRow = await db.query<{ status: string }>('SELECT status FROM notes WHERE id = $1', [draft.id]);
    expect(noteRow.rows[0]?.status).toBe('draft');
    const current = (await clinician.get(`/api/v1/clients/${clientId}/treatment-plan`)).json<PlanJson>();
    expect(current.current.id).toBe(newer.versionId);
    // The note now says its goals were rated against an older version.
    expect((await progressOf(clinician, draft.id)).planChanged).toBe(true);
  });
});
