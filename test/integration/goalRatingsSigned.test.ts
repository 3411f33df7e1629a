/**
 * Goal ratings are part of the signed note: its SHA-256 covers them (so "Verify integrity"
 * catches a rating altered behind the trigger's back, and a co-signature checks them), and the
 * note's PDF prints them, read in the print's own transaction under its single audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  login,
  openTestApp,
  PASSWORD,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import {
  newClient,
  saveDraft,
  signNote,
  SOAP_CONTENT,
  startNote,
  type NoteView,
} from '../support/clinical.js';
import { signPlan, type SeededPlan } from '../support/goalProgressSeed.js';
import { pdfText } from '../support/pdfText.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let clientId: string;
let plan: SeededPlan;
const COMMENT = 'Went to the gym on three mornings';

interface IntegrityJson {
  intact: boolean;
  storedHash: string | null;
  computedHash: string | null;
}

function goal(i: number): { id: string; statement: string } {
  const g = plan.goals[i];
  if (!g) throw new Error(`no goal ${i}`);
  return g;
}

async function integrityOf(agent: Agent, noteId: string): Promise<IntegrityJson> {
  const res = await agent.get(`/api/v1/notes/${noteId}/integrity`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<IntegrityJson>();
}

/** Runs SQL as the table owner with the signed-note triggers out of the way: the attacker at a SQL prompt. */
async function tamper(sql: string, params: unknown[]): Promise<void> {
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

/** Autosaves a draft with content and goal ratings (the body DraftChanges does not type). */
async function saveWith(agent: Agent, note: NoteView, body: Record<string, unknown>): Promise<NoteView> {
  const res = await agent.put(`/api/v1/notes/${note.id}/draft`, body, { 'if-match': `"${note.version}"` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NoteView>();
}

/** A progress note rating the plan's goals, signed by `agent`. */
async function ratedNote(agent: Agent, forClient: string, forPlan: SeededPlan, day: string) {
  const note = await startNote(agent, { clientId: forClient, dateOfService: day });
  const saved = await saveWith(agent, note, {
    content: SOAP_CONTENT,
    goalProgress: {
      planVersionId: forPlan.versionId,
      ratings: [
        { goalId: forPlan.goals[1]?.id, scale: 'zero_to_ten', rating: 7 },
        { goalId: forPlan.goals[0]?.id, scale: 'five_point', rating: 3, comment: COMMENT },
      ],
    },
  });
  return signNote(agent, saved);
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  clientId = (await newClient(clinician)).id;
  plan = await signPlan(clinician, clientId, [
    { statement: 'Return to the gym twice a week' },
    { statement: 'Sleep seven hours on work nights' },
  ]);
});

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('the signature hash covers the goal ratings', () => {
  let signed: NoteView;

  beforeAll(async () => {
    signed = await ratedNote(clinician, clientId, plan, '2026-03-02');
  });

  it('verifies a signed note with ratings as intact', async () => {
    const report = await integrityOf(clinician, signed.id);
    expect(report).toMatchObject({ intact: true, storedHash: signed.contentHash });
    expect(report.computedHash).toBe(report.storedHash);
  });

  it('reports a mismatch when a rating is altered behind the trigger, and intact again once restored', async () => {
    const where = 'WHERE note_id = $1 AND goal_id = $2';
    await tamper(`UPDATE note_goal_ratings SET rating = 5 ${where}`, [signed.id, goal(0).id]);
    const altered = await integrityOf(clinician, signed.id);
    expect(altered.intact).toBe(false);
    expect(altered.storedHash).toBe(signed.contentHash);
    expect(altered.computedHash).not.toBe(altered.storedHash);

    await tamper(`UPDATE note_goal_ratings SET rating = 3 ${where}`, [signed.id, goal(0).id]);
    expect((await integrityOf(clinician, signed.id)).intact).toBe(true);
  });

  it('reports a mismatch when a rating is deleted or its comment swapped for another', async () => {
    const other = await ratedNote(clinician, clientId, plan, '2026-03-03');
    await tamper(
      `UPDATE note_goal_ratings SET comment_enc = (SELECT comment_enc FROM note_goal_ratings
         WHERE note_id = $2 AND goal_id = $3) WHERE note_id = $1 AND goal_id = $3`,
      [other.id, signed.id, goal(0).id],
    );
    // A comment sealed for another note does not open here: reported as a mismatch, not an error.
    expect(await integrityOf(clinician, other.id)).toMatchObject({ intact: false, computedHash: null });
    await tamper('DELETE FROM note_goal_ratings WHERE note_id = $1 AND goal_id = $2', [other.id, goal(0).id]);
    const deleted = await integrityOf(clinician, other.id);
    expect(deleted.intact).toBe(false);
    expect(deleted.computedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(deleted.computedHash).not.toBe(deleted.storedHash);
  });

  it('refuses the co-signature (409) while a rating differs from what the supervisee signed, then co-signs', async () => {
    const supervisee = await login(t.app, p.users.supervisee.email);
    const supervisor = await login(t.app, p.users.supervisor.email);
    const ownClient = (await newClient(supervisee)).id;
    const ownPlan = await signPlan(supervisee, ownClient, [
      { statement: 'Fewer panic attacks at work' },
      { statement: 'Call a friend each week' },
    ]);
    const waiting = await ratedNote(supervisee, ownClient, ownPlan, '2026-03-04');
    expect(waiting.status).toBe('awaiting_cosign');
    const cosign = () =>
      supervisor.post(
        `/api/v1/notes/${waiting.id}/cosign`,
        { password: PASSWORD },
        { 'if-match': `"${waiting.version}"` },
      );
    const where = 'WHERE note_id = $1 AND goal_id = $2';
    await tamper(`UPDATE note_goal_ratings SET rating = 1 ${where}`, [waiting.id, ownPlan.goals[0]?.id]);
    const refused = await cosign();
    expect(refused.statusCode, refused.body).toBe(409);
    const still = await db.query<{ status: string; cosigned_at: Date | null }>(
      'SELECT status, cosigned_at FROM notes WHERE id = $1',
      [waiting.id],
    );
    expect(still.rows).toEqual([{ status: 'awaiting_cosign', cosigned_at: null }]);
    await tamper(`UPDATE note_goal_ratings SET rating = 3 ${where}`, [waiting.id, ownPlan.goals[0]?.id]);
    const cosigned = await cosign();
    expect(cosigned.statusCode, cosigned.body).toBe(200);
    expect((await integrityOf(supervisor, waiting.id)).intact).toBe(true);
  });
});

describe('the note PDF prints the goal ratings', () => {
  it('prints each rated goal with its rating and comment, under the print’s single audit row', async () => {
    const note = await ratedNote(clinician, clientId, plan, '2026-03-09');
    const res = await clinician.get(`/api/v1/notes/${note.id}/pdf`);
    expect(res.statusCode, res.body).toBe(200);
    const text = pdfText(res.rawPayload);
    const heading = text.indexOf('Progress toward treatment-plan goals');
    expect(heading).toBeGreaterThan(-1);
    // Plan order, whatever order the ratings were saved in.
    const first = text.indexOf(`Goal 1. ${goal(0).statement}`);
    const second = text.indexOf(`Goal 2. ${goal(1).statement}`);
    expect(first).toBeGreaterThan(heading);
    expect(second).toBeGreaterThan(first);
    expect(text.slice(first, second)).toContain('Some progress');
    expect(text.slice(first, second)).toContain(COMMENT);
    expect(text.slice(second)).toContain('7 of 10');
    expect(text).not.toContain('New status');
    expect(text.indexOf('Electronically signed by')).toBeGreaterThan(second);
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.entity_id, a.outcome])).toEqual([
      ['note.print', note.id, 'success'],
    ]);
  });

  it('prints no goal section for a note without ratings', async () => {
    const note = await startNote(clinician, { clientId, dateOfService: '2026-03-10' });
    const signed = await signNote(clinician, await saveDraft(clinician, note, { content: SOAP_CONTENT }));
    const res = await clinician.get(`/api/v1/notes/${signed.id}/pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(pdfText(res.rawPayload)).not.toContain('Progress toward treatment-plan goals');
  });

  it('prints the new status of each goal on a plan-review note', async () => {
    const note = await startNote(clinician, { clientId, kind: 'plan_review', dateOfService: '2026-03-16' });
    const saved = await saveWith(clinician, note, {
      content: {
        goalsReviewed: 'Both goals',
        overallProgress: 'some',
        progressSummary: 'Gym three times most weeks.',
        planChanges: 'Gym goal achieved.',
        continuedNeed: 'Sleep goal not yet met.',
      },
      goalProgress: {
        planVersionId: plan.versionId,
        ratings: [
          { goalId: goal(0).id, scale: 'five_point', rating: 5, newStatus: 'achieved' },
          { goalId: goal(1).id, scale: 'five_point', rating: 2 },
        ],
      },
    });
    const signed = await signNote(clinician, saved);
    expect((await integrityOf(clinician, signed.id)).intact).toBe(true);
    const text = pdfText((await clinician.get(`/api/v1/notes/${signed.id}/pdf`)).rawPayload);
    const second = text.indexOf(`Goal 2. ${goal(1).statement}`);
    expect(text.indexOf(`Goal 1. ${goal(0).statement}`)).toBeGreaterThan(-1);
    expect(text.slice(0, second)).toMatch(/New status: ?\n?Achieved/);
    expect(text.slice(second)).toMatch(/New status: ?\n?Unchanged/);
    expect(text.slice(second)).toContain('No change');
  });
});
