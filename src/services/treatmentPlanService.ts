import * as repo from '../db/treatmentPlansRepo.js';
import type { PlanVersionRow } from '../db/treatmentPlansRepo.js';
import { diagnosesOfClient } from '../db/diagnosesRepo.js';
import { listUsers } from '../db/usersRepo.js';
import type { Tx } from '../db/database.js';
import { newId } from '../security/ids.js';
import { Conflict, Invalid, StaleVersion } from '../domain/errors.js';
import { isClinical } from '../domain/roles.js';
import { localDateOf } from '../domain/recurrence.js';
import {
  emptyPlanContent,
  structuralProblems,
  type GoalMeasure,
  type GoalStatus,
  type PlanContent,
  type ReviewState,
} from '../domain/treatmentPlan.js';
import { checkPlan, type PlanFinding } from '../domain/planCheck.js';
import { diffPlans, type PlanChange } from '../domain/planDiff.js';
import { daysUntil, reviewState } from '../domain/planReview.js';
import { decideClientAction } from '../security/accessPolicy.js';
import { accessFacts } from '../db/careTeamRepo.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';
import {
  authorizeVersion,
  openContent,
  PLAN_CATEGORY,
  sealContent,
  versionFacts,
  versionView,
  versionViews,
  type PlanVersionView,
} from './planAccess.js';

// Other plan modules (progress, notes) reach these through this service.
export { openContent, PLAN_CATEGORY, type PlanVersionView } from './planAccess.js';
import { practiceOf } from './noteService.js';

export interface TreatmentPlanView {
  clientId: string;
  planId: string | null;
  current: PlanVersionView | null;
  draft: PlanVersionView | null;
  review: { dueDate: string; state: ReviewState; daysUntilDue: number } | null;
  reviewDays: number;
  clinicians: { id: string; name: string; credentials: string | null }[];
  /** Whether this reader may change the plan (start, edit, sign, acknowledge): client.writeNotes. */
  canEdit: boolean;
}

/** Decided by the same policy as the writes, so the screen offers only what will work. */
async function mayWrite(tx: Tx, ctx: Ctx, clientId: string): Promise<boolean> {
  const { relation, settings } = await accessFacts(tx, clientId, ctx.actor.userId);
  return decideClientAction(ctx.actor, 'client.writeNotes', relation, settings).allowed;
}

async function clinicianChoices(tx: Tx): Promise<TreatmentPlanView['clinicians']> {
  return (await listUsers(tx))
    .filter((u) => u.active && isClinical(u.roles))
    .map((u) => ({ id: u.id, name: u.full_name, credentials: u.credentials }));
}

/** The client's plan: the latest signed version, the open draft if any, and where the review stands. */
export async function getTreatmentPlan(ctx: Ctx, clientId: string): Promise<TreatmentPlanView> {
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.view';
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', { action, category: PLAN_CATEGORY });
    const practice = await practiceOf(tx, ctx);
    const plan = await repo.getPlanOfClient(tx, clientId);
    const clinicians = await clinicianChoices(tx);
    const canEdit = await mayWrite(tx, ctx, clientId);
    const base = { clientId, reviewDays: practice.plan_review_days, clinicians, canEdit };
    await auditAs(tx, ctx, {
      action,
      category: PLAN_CATEGORY,
      clientId,
      entityType: plan ? 'treatment_plan' : 'client',
      entityId: plan?.id ?? clientId,
    });
    if (!plan) return { ...base, planId: null, current: null, draft: null, review: null };
    const { current, draft } = await repo.currentAndDraft(tx, plan.id);
    const key = await clientDataKey(tx, ctx, clientId);
    const views = await versionViews(
      tx,
      key,
      [current, draft].filter((r) => r !== undefined),
    );
    const today = localDateOf(ctx.clock(), practice.time_zone);
    return {
      ...base,
      planId: plan.id,
      current: views.find((v) => v.status === 'signed') ?? null,
      draft: views.find((v) => v.status === 'draft') ?? null,
      review: plan.review_due_date
        ? {
            dueDate: plan.review_due_date,
            state: reviewState(plan.review_due_date, today),
            daysUntilDue: daysUntil(plan.review_due_date, today),
          }
        : null,
    };
  });
}

/**
 * Starts the one open draft: a copy of the latest signed version (changing a signed plan makes a
 * new version), or an empty plan for the first. A second draft is refused with the open one's id.
 */
export async function startDraft(ctx: Ctx, clientId: string): Promise<PlanVersionView> {
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.draft_start';
    await authorizeClientFor(tx, ctx, clientId, 'client.writeNotes', { action, category: PLAN_CATEGORY });
    const plan =
      (await repo.getPlanOfClient(tx, clientId, true)) ??
      (await repo.insertPlan(tx, {
        id: newId(),
        practiceId: ctx.actor.practiceId,
        clientId,
        createdBy: ctx.actor.userId,
      }));
    const { current, draft } = await repo.currentAndDraft(tx, plan.id);
    if (draft)
      throw new Conflict('A draft of this plan is already open; continue it instead', { draftId: draft.id });
    const key = await clientDataKey(tx, ctx, clientId);
    const content = current ? openContent(key, current) : emptyPlanContent();
    const id = newId();
    await repo.insertDraft(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      planId: plan.id,
      clientId,
      versionNo: await repo.nextVersionNo(tx, plan.id),
      basedOn: current?.id ?? null,
      contentEnc: sealContent(key, id, content),
      createdBy: ctx.actor.userId,
    });
    const row = await repo.getVersion(tx, id);
    if (!row) throw new Error('draft vanished');
    await auditAs(tx, ctx, { ...versionFacts(action, row), details: { versionNo: row.version_no } });
    return versionView(tx, key, row);
  });
}

/** References the database must confirm: diagnoses on this client's list, clinicians of this practice. */
export async function referenceProblems(
  tx: Tx,
  clientId: string,
  c: PlanContent,
): Promise<{ path: string; message: string }[]> {
  const out = structuralProblems(c);
  const diagnosisIds = new Set(
    (await diagnosesOfClient(tx, clientId)).filter((d) => d.status !== 'entered_in_error').map((d) => d.id),
  );
  c.problems.forEach((p, i) =>
    p.diagnosisIds.forEach((d, j) => {
      if (!diagnosisIds.has(d))
        out.push({
          path: `content.problems.${i}.diagnosisIds.${j}`,
          message: "Not a diagnosis on this client's list",
        });
    }),
  );
  const clinicians = new Set((await clinicianChoices(tx)).map((u) => u.id));
  c.goals.forEach((g, i) =>
    g.interventions.forEach((v, j) => {
      if (v.responsibleClinicianId && !clinicians.has(v.responsibleClinicianId))
        out.push({
          path: `content.goals.${i}.interventions.${j}.responsibleClinicianId`,
          message: 'Choose an active clinician of the practice',
        });
    }),
  );
  return out;
}

export function staleDraft(
  row: PlanVersionRow,
  current: PlanVersionView | null,
  action: string,
): StaleVersion {
  return new StaleVersion(row.version, current, {
    action,
    category: PLAN_CATEGORY,
    clientId: row.client_id,
    entityType: 'treatment_plan_version',
    entityId: row.id,
  });
}

/** Saves the draft when the copy the caller read is still current; a stale copy is refused and nothing is written. */
export async function saveDraft(
  ctx: Ctx,
  versionId: string,
  expectedVersion: number,
  content: PlanContent,
): Promise<PlanVersionView> {
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.draft_save';
    const { row, key } = await authorizeVersion(tx, ctx, versionId, 'client.writeNotes', action, true);
    if (row.status !== 'draft')
      throw new Conflict('This version is signed; start a new version to change the plan');
    if (row.version !== expectedVersion) throw staleDraft(row, await versionView(tx, key, row), action);
    const problems = await referenceProblems(tx, row.client_id, content);
    if (problems.length > 0) throw new Invalid('Some parts of the plan are not valid', problems);
    if (!(await repo.updateDraft(tx, row.id, expectedVersion, sealContent(key, row.id, content))))
      throw staleDraft(row, null, action);
    const updated = await repo.getVersion(tx, row.id);
    if (!updated) throw new Error('draft vanished');
    await auditAs(tx, ctx, { ...versionFacts(action, updated), details: { versionNo: updated.version_no } });
    return versionView(tx, key, updated);
  });
}

/** Discards an open draft (never a signed version). */
export async function discardDraft(ctx: Ctx, versionId: string, expectedVersion: number): Promise<void> {
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.draft_discard';
    const { row, key } = await authorizeVersion(tx, ctx, versionId, 'client.writeNotes', action, true);
    if (row.status !== 'draft')
      throw new Conflict('A signed version is part of the record and cannot be discarded');
    if (row.version !== expectedVersion) throw staleDraft(row, await versionView(tx, key, row), action);
    if (!(await repo.deleteDraft(tx, row.id, expectedVersion))) throw staleDraft(row, null, action);
    await auditAs(tx, ctx, { ...versionFacts(action, row), details: { versionNo: row.version_no } });
  });
}

export async function getVersion(ctx: Ctx, versionId: string): Promise<PlanVersionView> {
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.version_view';
    const { row, key } = await authorizeVersion(tx, ctx, versionId, 'client.readNotes', action);
    await auditAs(tx, ctx, { ...versionFacts(action, row), details: { versionNo: row.version_no } });
    return versionView(tx, key, row);
  });
}

/** What keeps a version from being signed, in plain words (empty when it is ready). */
export async function checkVersion(ctx: Ctx, versionId: string): Promise<{ findings: PlanFinding[] }> {
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.check';
    const { row, key } = await authorizeVersion(tx, ctx, versionId, 'client.readNotes', action);
    const findings = checkPlan(openContent(key, row));
    await auditAs(tx, ctx, { ...versionFacts(action, row), details: { findings: findings.length } });
    return { findings };
  });
}

export interface VersionSummary {
  id: string;
  versionNo: number;
  status: 'draft' | 'signed';
  createdAt: string;
  signedAt: string | null;
  signerName: string | null;
  reviewDueDate: string | null;
  acknowledged: boolean;
}

export async function listVersions(ctx: Ctx, clientId: string): Promise<{ items: VersionSummary[] }> {
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.versions';
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', { action, category: PLAN_CATEGORY });
    const plan = await repo.getPlanOfClient(tx, clientId);
    const rows = plan ? await repo.listVersions(tx, plan.id) : [];
    await auditAs(tx, ctx, {
      action,
      category: PLAN_CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { count: rows.length },
    });
    return {
      items: rows.map((r) => ({
        id: r.id,
        versionNo: r.version_no,
        status: r.status,
        createdAt: r.created_at.toISOString(),
        signedAt: r.signed_at?.toISOString() ?? null,
        signerName: r.signer_name,
        reviewDueDate: r.review_due_date,
        acknowledged: r.acknowledged,
      })),
    };
  });
}

export interface PlanChanges {
  versionId: string;
  versionNo: number;
  previous: { id: string; versionNo: number } | null;
  changes: PlanChange[];
}

/** The differences between a version and the signed one it was based on (or the one before it). */
export async function versionChanges(ctx: Ctx, versionId: string): Promise<PlanChanges> {
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.changes';
    const { row, key } = await authorizeVersion(tx, ctx, versionId, 'client.readNotes', action);
    const previous = await repo.previousVersion(tx, row);
    const after = openContent(key, row);
    const before = previous ? openContent(key, previous) : emptyPlanContent();
    const diagnoses = Object.fromEntries(
      (await diagnosesOfClient(tx, row.client_id)).map((d) => [d.id, `${d.code} ${d.description}`]),
    );
    const clinicians = Object.fromEntries((await listUsers(tx)).map((u) => [u.id, u.full_name]));
    await auditAs(tx, ctx, { ...versionFacts(action, row), details: { versionNo: row.version_no } });
    return {
      versionId: row.id,
      versionNo: row.version_no,
      previous: previous ? { id: previous.id, versionNo: previous.version_no } : null,
      changes: diffPlans(before, after, { diagnoses, clinicians }),
    };
  });
}

export interface ActiveGoal {
  id: string;
  statement: string;
  status: GoalStatus;
  measure: GoalMeasure | null;
  targetDate: string | null;
  problems: string[];
}

/**
 * The goals of the client's latest signed plan that are still being worked on (proposed or active),
 * for a progress note. The caller has already authorized and audits its own use. [] without a plan.
 */
export async function activeGoals(tx: Tx, ctx: Ctx, clientId: string): Promise<ActiveGoal[]> {
  const plan = await repo.getPlanOfClient(tx, clientId);
  if (!plan) return [];
  const { current } = await repo.currentAndDraft(tx, plan.id);
  if (!current) return [];
  const content = openContent(await clientDataKey(tx, ctx, clientId), current);
  const problems = new Map(content.problems.map((p) => [p.id, p.statement]));
  return content.goals
    .filter((g) => g.status === 'proposed' || g.status === 'active')
    .map((g) => ({
      id: g.id,
      statement: g.statement,
      status: g.status,
      measure: g.measure,
      targetDate: g.targetDate,
      problems: g.problemIds.map((id) => problems.get(id) ?? '').filter((s) => s !== ''),
    }));
}
