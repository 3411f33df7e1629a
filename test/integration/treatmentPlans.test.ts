/**
 * Treatment plans: versions (a signed plan changes only through a new version), history with
 * differences, the check that refuses an unready plan, signing with re-authentication, the
 * client's acknowledgement (review deadlines: treatmentPlanReviews.test.ts), and the
 * rules around them: stale saves write nothing, a signed version cannot be changed even with a
 * SQL prompt, narrative is ciphertext, refusals are audited.
 */
import { randomUUID } from 'node:crypto';
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
import { auditRowsOf, countRows, openTableOwner } from '../support/tableOwner.js';
import { newClient } from '../support/clinical.js';
import {
  clientWithSignedPlan as signedPlanFor,
  completeContent as planContent,
  GOAL_TEXT,
  planIds,
  saveDraft as save,
  signPlan as sign,
  startDraft,
} from '../support/treatmentPlans.js';
import type { PlanVersionView, TreatmentPlanView } from '../../src/services/treatmentPlanService.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let now = new Date('2026-01-15T16:00:00Z');

const TABLES = ['treatment_plans', 'treatment_plan_versions', 'plan_acknowledgements'] as const;

function ids() {
  return planIds();
}

function completeContent(k: ReturnType<typeof planIds>, diagnosisIds: string[] = []) {
  return planContent(k, p.users.clinician.id, diagnosisIds);
}

function clientWithSignedPlan() {
  return signedPlanFor(clinician, p.users.clinician.id);
}

beforeAll(async () => {
  t = await openTestApp(undefined, { clock: () => now });
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
});

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('versions and history', () => {
  it('signs v1, copies it into a draft v2, signs v2 and shows the differences', async () => {
    now = new Date('2026-01-15T16:00:00Z');
    const { clientId, v1, k } = await clientWithSignedPlan();
    expect(v1).toMatchObject({ versionNo: 1, status: 'signed', reviewDueDate: '2026-04-15' });
    expect(v1.signature).toMatchObject({ name: 'Casey Clinician', credentials: 'LCSW' });
    expect(v1.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const v2 = await startDraft(clinician, clientId);
    expect(v2).toMatchObject({ versionNo: 2, status: 'draft', basedOnVersionId: v1.id, basedOnVersionNo: 1 });
    expect(v2.content).toEqual(v1.content);
    const again = await clinician.post(`/api/v1/clients/${clientId}/treatment-plan/draft`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json<{ draftId: string }>().draftId).toBe(v2.id);

    const content = v1.content;
    const changed = {
      ...content,
      goals: [{ ...content.goals[0], targetDate: '2026-08-31' }],
      strengths: 'Supportive partner; regular exercise',
    };
    const saved = await save(clinician, v2, changed);
    expect(saved.statusCode, saved.body).toBe(200);
    const plan = (
      await clinician.get(`/api/v1/clients/${clientId}/treatment-plan`)
    ).json<TreatmentPlanView>();
    expect(plan.current?.id).toBe(v1.id);
    expect(plan.draft?.id).toBe(v2.id);
    expect(plan.review).toEqual({ dueDate: '2026-04-15', state: 'current', daysUntilDue: 90 });

    now = new Date('2026-02-01T16:00:00Z');
    const signed = await sign(clinician, saved.json<PlanVersionView>());
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json<PlanVersionView>().reviewDueDate).toBe('2026-05-02');

    const versions = await clinician.get(`/api/v1/clients/${clientId}/treatment-plan/versions`);
    expect(versions.json<{ items: { versionNo: number; status: string }[] }>().items).toMatchObject([
      { versionNo: 2, status: 'signed' },
      { versionNo: 1, status: 'signed' },
    ]);
    const changes = await clinician.get(`/api/v1/treatment-plan-versions/${v2.id}/changes`);
    expect(changes.statusCode, changes.body).toBe(200);
    expect(changes.json()).toEqual({
      versionId: v2.id,
      versionNo: 2,
      previous: { id: v1.id, versionNo: 1 },
      changes: [
        {
          path: 'goals.0.targetDate',
          label: `Goal 1 “${GOAL_TEXT}”: target date`,
          before: '2026-06-30',
          after: '2026-08-31',
        },
        {
          path: 'strengths',
          label: 'Strengths',
          before: 'Supportive partner',
          after: 'Supportive partner; regular exercise',
        },
      ],
    });
    const first = await clinician.get(`/api/v1/treatment-plan-versions/${v1.id}/changes`);
    expect(first.json<{ previous: unknown; changes: unknown[] }>().previous).toBeNull();
    expect(k.goal).toBe(v1.content.goals[0]?.id);

    const audit = await auditRowsOf(db, changes.headers['x-request-id']);
    expect(audit).toMatchObject([
      { action: 'treatment_plan.changes', category: 'treatment_plan', client_id: clientId },
    ]);
  });
});

describe('signing', () => {
  it('refuses to sign while the check finds anything, and keeps the draft a draft', async () => {
    const clientId = (await newClient(clinician)).id;
    const draft = await startDraft(clinician, clientId);
    const check = await clinician.get(`/api/v1/treatment-plan-versions/${draft.id}/check`);
    expect(check.json<{ findings: { kind: string }[] }>().findings.map((f) => f.kind)).toEqual([
      'empty_plan',
      'service_plan_incomplete',
      'no_discharge_criteria',
    ]);
    const k = ids();
    const content = completeContent(k);
    const noDate = { ...content, goals: [{ ...content.goals[0], targetDate: null, problemIds: [] }] };
    const saved = (await save(clinician, draft, noDate)).json<PlanVersionView>();
    const res = await sign(clinician, saved);
    expect(res.statusCode, res.body).toBe(422);
    const body = res.json<{ findings: { kind: string; goalId?: string }[]; errors: { path: string }[] }>();
    expect(body.findings.map((f) => f.kind)).toEqual([
      'problem_without_goal',
      'not_time_bound',
      'not_tied_to_problem',
    ]);
    expect(body.findings[1]?.goalId).toBe(k.goal);
    expect(body.errors.map((e) => e.path)).toContain('content.goals.0.targetDate');
    const row = await db.query('SELECT status, signed_at FROM treatment_plan_versions WHERE id = $1', [
      draft.id,
    ]);
    expect(row.rows[0]).toEqual({ status: 'draft', signed_at: null });
  });

  it('asks for re-authentication, and a wrong password signs nothing', async () => {
    // A fresh sign-in: the shared agent re-authenticated moments ago when it signed.
    const clinician = await login(t.app, p.users.clinician.email);
    const clientId = (await newClient(clinician)).id;
    const draft = await startDraft(clinician, clientId);
    const saved = (await save(clinician, draft, completeContent(ids()))).json<PlanVersionView>();
    const bare = await clinician.post(
      `/api/v1/treatment-plan-versions/${saved.id}/sign`,
      {},
      { 'if-match': `"${saved.version}"` },
    );
    expect(bare.statusCode).toBe(401);
    expect(bare.json<{ reauth: boolean }>().reauth).toBe(true);
    const wrong = await clinician.post(
      `/api/v1/treatment-plan-versions/${saved.id}/sign`,
      { password: 'not the password' },
      { 'if-match': `"${saved.version}"` },
    );
    expect(wrong.statusCode).toBe(401);
    const row = await db.query('SELECT status FROM treatment_plan_versions WHERE id = $1', [saved.id]);
    expect(row.rows[0]).toEqual({ status: 'draft' });
  });

  it('refuses a diagnosis that is not on this client’s list', async () => {
    const other = await clientWithSignedPlan();
    const otherDx = other.v1.content.problems[0].diagnosisIds;
    const clientId = (await newClient(clinician)).id;
    const draft = await startDraft(clinician, clientId);
    const res = await save(clinician, draft, completeContent(ids(), otherDx));
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json<{ errors: { path: string }[] }>().errors).toEqual([
      { path: 'content.problems.0.diagnosisIds.0', message: "Not a diagnosis on this client's list" },
    ]);
  });
});

describe('integrity', () => {
  it('refuses a stale save with 412 and writes nothing', async () => {
    const clientId = (await newClient(clinician)).id;
    const draft = await startDraft(clinician, clientId);
    const first = await save(clinician, draft, completeContent(ids()));
    expect(first.statusCode).toBe(200);
    const before = await db.query<{ content_enc: Buffer; version: number }>(
      'SELECT content_enc, version FROM treatment_plan_versions WHERE id = $1',
      [draft.id],
    );
    const stale = await save(clinician, draft, { strengths: 'An older copy' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json<{ currentVersion: number }>().currentVersion).toBe(2);
    const after = await db.query('SELECT content_enc, version FROM treatment_plan_versions WHERE id = $1', [
      draft.id,
    ]);
    expect(after.rows).toEqual(before.rows);
    const missing = await clinician.put(`/api/v1/treatment-plan-versions/${draft.id}`, { content: {} });
    expect(missing.statusCode).toBe(428);
  });

  it('refuses unknown fields with 400 and writes nothing', async () => {
    const clientId = (await newClient(clinician)).id;
    const draft = await startDraft(clinician, clientId);
    const k = ids();
    const content = completeContent(k);
    for (const body of [
      { content: { ...content, colour: 'red' } },
      { content: { ...content, goals: [{ ...content.goals[0], priority: 1 }] } },
      { content, signedBy: p.users.owner.id },
    ]) {
      const res = await clinician.put(`/api/v1/treatment-plan-versions/${draft.id}`, body, {
        'if-match': '"1"',
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const row = await db.query('SELECT version FROM treatment_plan_versions WHERE id = $1', [draft.id]);
    expect(row.rows[0]).toEqual({ version: 1 });
  });

  it('keeps a signed version as it was, even for the table owner with a SQL prompt', async () => {
    const { v1 } = await clientWithSignedPlan();
    await expect(
      db.query("UPDATE treatment_plan_versions SET review_due_date = '2030-01-01' WHERE id = $1", [v1.id]),
    ).rejects.toThrow(/signed and cannot be changed/);
    await expect(
      db.query("UPDATE treatment_plan_versions SET content_enc = '\\x00' WHERE id = $1", [v1.id]),
    ).rejects.toThrow(/signed/);
    await expect(db.query('DELETE FROM treatment_plan_versions WHERE id = $1', [v1.id])).rejects.toThrow(
      /signed/,
    );
    const put = await save(clinician, v1, { strengths: 'rewritten' });
    expect(put.statusCode).toBe(409);
    const del = await clinician.delete(`/api/v1/treatment-plan-versions/${v1.id}`, {
      'if-match': `"${v1.version}"`,
    });
    expect(del.statusCode).toBe(409);
    const row = await db.query<{ content_hash: string }>(
      'SELECT content_hash FROM treatment_plan_versions WHERE id = $1',
      [v1.id],
    );
    expect(row.rows[0]?.content_hash).toBe(v1.contentHash);
  });

  it('stores the plan and the acknowledgement as ciphertext', async () => {
    const { v1 } = await clientWithSignedPlan();
    const ack = await clinician.post(`/api/v1/treatment-plan-versions/${v1.id}/acknowledgements`, {
      typedName: 'Jordan Rivera',
      acknowledgedOn: '2026-02-01',
      method: 'in_person',
    });
    expect(ack.statusCode, ack.body).toBe(201);
    const raw = await db.query<{ content_enc: Buffer }>(
      'SELECT content_enc FROM treatment_plan_versions WHERE id = $1',
      [v1.id],
    );
    const text = raw.rows[0].content_enc.toString('latin1');
    for (const plain of ['Return to work', 'Panic attacks', 'Supportive partner', 'Interoceptive'])
      expect(text).not.toContain(plain);
    const rawAck = await db.query<{ typed_name_enc: Buffer }>(
      'SELECT typed_name_enc FROM plan_acknowledgements WHERE version_id = $1',
      [v1.id],
    );
    expect(rawAck.rows[0].typed_name_enc.toString('latin1')).not.toContain('Jordan');
  });
});

describe('acknowledgement', () => {
  // The smallest valid PNG: signature, IHDR, IDAT, IEND of a 1x1 image.
  const PNG =
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

  it('records a signed version’s acknowledgement with a drawn signature, never a draft’s', async () => {
    now = new Date('2026-02-01T16:00:00Z');
    const { clientId, v1 } = await clientWithSignedPlan();
    const draft = await startDraft(clinician, clientId);
    const onDraft = await clinician.post(`/api/v1/treatment-plan-versions/${draft.id}/acknowledgements`, {
      typedName: 'Jordan Rivera',
      acknowledgedOn: '2026-02-01',
      method: 'remote',
    });
    expect(onDraft.statusCode).toBe(409);
    const future = await clinician.post(`/api/v1/treatment-plan-versions/${v1.id}/acknowledgements`, {
      typedName: 'Jordan Rivera',
      acknowledgedOn: '2026-03-01',
      method: 'remote',
    });
    expect(future.statusCode).toBe(422);
    const notPng = await clinician.post(`/api/v1/treatment-plan-versions/${v1.id}/acknowledgements`, {
      typedName: 'Jordan Rivera',
      acknowledgedOn: '2026-02-01',
      method: 'in_person',
      signaturePng: Buffer.from('GIF89a not a png').toString('base64'),
    });
    expect(notPng.statusCode).toBe(422);
    const none = await db.query(
      'SELECT count(*)::int AS n FROM plan_acknowledgements WHERE version_id = $1',
      [v1.id],
    );
    expect(none.rows[0]).toEqual({ n: 0 });

    const res = await clinician.post(`/api/v1/treatment-plan-versions/${v1.id}/acknowledgements`, {
      typedName: 'Jordan Rivera',
      acknowledgedOn: '2026-02-01',
      method: 'in_person',
      signaturePng: PNG,
    });
    expect(res.statusCode, res.body).toBe(201);
    const ack = res.json<{
      id: string;
      hasDrawnSignature: boolean;
      typedName: string;
      recordedByName: string;
    }>();
    expect(ack).toMatchObject({
      typedName: 'Jordan Rivera',
      hasDrawnSignature: true,
      recordedByName: 'Casey Clinician',
    });
    const drawn = await clinician.get(`/api/v1/treatment-plan-acknowledgements/${ack.id}/signature`);
    expect(drawn.json<{ png: string }>().png).toBe(PNG);
    const version = (await clinician.get(`/api/v1/treatment-plan-versions/${v1.id}`)).json<PlanVersionView>();
    expect(version.acknowledgements.map((a) => a.id)).toEqual([ack.id]);
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit).toMatchObject([
      { action: 'treatment_plan.acknowledge', category: 'treatment_plan', client_id: clientId },
    ]);
    await expect(db.query('DELETE FROM plan_acknowledgements WHERE id = $1', [ack.id])).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('access', () => {
  it('refuses the scheduler, the biller and a clinician not on the care team, audits each, writes nothing', async () => {
    const { clientId, v1 } = await clientWithSignedPlan();
    const before = await countRows(db, p.practiceId, TABLES);
    for (const key of ['scheduler', 'biller', 'otherClinician'] as const) {
      const agent = await login(t.app, p.users[key].email);
      const reads = [
        await agent.get(`/api/v1/clients/${clientId}/treatment-plan`),
        await agent.get(`/api/v1/treatment-plan-versions/${v1.id}`),
      ];
      for (const res of reads) {
        expect(res.statusCode, `${key} ${res.body}`).toBe(403);
        expect(res.body).not.toContain('Return to work');
        const audit = await auditRowsOf(db, res.headers['x-request-id']);
        expect(audit).toMatchObject([{ outcome: 'denied', category: 'treatment_plan', client_id: clientId }]);
      }
      const write = await agent.post(`/api/v1/clients/${clientId}/treatment-plan/draft`, {});
      expect(write.statusCode).toBe(403);
      expect(await auditRowsOf(db, write.headers['x-request-id'])).toMatchObject([
        { action: 'treatment_plan.draft_start', outcome: 'denied', category: 'treatment_plan' },
      ]);
    }
    expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
  });

  it('answers 404 for a version that does not exist, and audits every successful read', async () => {
    const missing = await clinician.get(`/api/v1/treatment-plan-versions/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    const { clientId } = await clientWithSignedPlan();
    const res = await clinician.get(`/api/v1/clients/${clientId}/treatment-plan`);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toMatchObject([
      { action: 'treatment_plan.view', outcome: 'success', category: 'treatment_plan', client_id: clientId },
    ]);
  });
});
