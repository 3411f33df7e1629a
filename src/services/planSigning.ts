import * as repo from '../db/treatmentPlansRepo.js';
import { getUser, type UserRow } from '../db/usersRepo.js';
import type { Tx } from '../db/database.js';
import { newId } from '../security/ids.js';
import { Conflict, DomainError, Invalid, NotFound, Unauthorized } from '../domain/errors.js';
import { localDateOf } from '../domain/recurrence.js';
import {
  hashPlanVersion,
  type AcknowledgementMethod,
  type GoalStatus,
  type PlanContent,
} from '../domain/treatmentPlan.js';
import { checkPlan } from '../domain/planCheck.js';
import { reviewDueDate } from '../domain/planReview.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { clientDataKey } from './clientKeys.js';
import { practiceOf } from './noteService.js';
import {
  authorizeVersion,
  openAck,
  openContent,
  sealAck,
  sealContent,
  versionFacts,
  versionView,
  PLAN_CATEGORY,
  type AcknowledgementView,
  type PlanVersionView,
} from './planAccess.js';
import { referenceProblems, staleDraft } from './treatmentPlanService.js';

/** The same window notes use: the signer proved who they are moments before. */
const REAUTH_WINDOW_MS = 5 * 60_000;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const MAX_SIGNATURE_PNG_BYTES = 200_000;

function requireRecentReauth(ctx: Ctx, now: Date): void {
  const at = ctx.reauthenticatedAt;
  if (!at || now.getTime() - at.getTime() > REAUTH_WINDOW_MS)
    throw new Unauthorized('Confirm your password or authentication code to sign', { reauth: true });
}

export interface PlanSigner {
  userId: string;
  name: string;
  credentials: string | null;
  licenseNumber: string | null;
}

async function activeSigner(tx: Tx, userId: string): Promise<PlanSigner> {
  const u: UserRow | undefined = await getUser(tx, userId);
  if (!u?.active) throw new Unauthorized();
  return { userId: u.id, name: u.full_name, credentials: u.credentials, licenseNumber: u.license_number };
}

interface Signing {
  versionId: string;
  planId: string;
  clientId: string;
  versionNo: number;
  basedOn: string | null;
  content: PlanContent;
  signer: PlanSigner;
  at: Date;
}

/** The review due date and the hash a signature stores; the content is re-sealed exactly as checked. */
async function signatureOf(tx: Tx, ctx: Ctx, s: Signing, key: Buffer) {
  const practice = await practiceOf(tx, ctx);
  const reviewDue = reviewDueDate(localDateOf(s.at, practice.time_zone), practice.plan_review_days);
  const contentHash = hashPlanVersion({
    versionId: s.versionId,
    planId: s.planId,
    clientId: s.clientId,
    versionNo: s.versionNo,
    basedOn: s.basedOn,
    content: s.content,
    signedAt: s.at.toISOString(),
    signer: { name: s.signer.name, credentials: s.signer.credentials, licenseNumber: s.signer.licenseNumber },
  });
  return {
    contentEnc: sealContent(key, s.versionId, s.content),
    at: s.at,
    userId: s.signer.userId,
    name: s.signer.name,
    credentials: s.signer.credentials,
    licenseNumber: s.signer.licenseNumber,
    contentHash,
    reviewDueDate: reviewDue,
  };
}

/**
 * Signs a draft after re-authentication. Refused (422, with the findings) while the plan check
 * finds anything; the signature and the SHA-256 of the content are stored, and from then on the
 * database refuses any change to the version. The review falls due the practice's interval later.
 */
export async function signVersion(
  ctx: Ctx,
  versionId: string,
  expectedVersion: number,
): Promise<PlanVersionView> {
  const now = ctx.clock();
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.sign';
    const { row, key } = await authorizeVersion(tx, ctx, versionId, 'client.writeNotes', action, true);
    requireRecentReauth(ctx, now);
    if (row.status !== 'draft') throw new Conflict('This version is already signed');
    if (row.version !== expectedVersion) throw staleDraft(row, await versionView(tx, key, row), action);
    const content = openContent(key, row);
    const problems = await referenceProblems(tx, row.client_id, content);
    if (problems.length > 0) throw new Invalid('Some parts of the plan are not valid', problems);
    const findings = checkPlan(content);
    if (findings.length > 0)
      throw new DomainError(
        'The plan is not ready to sign: see what is missing',
        422,
        'Unprocessable Content',
        {
          errors: findings.map((f) => ({ path: `content.${f.path}`, message: f.message })),
          findings,
        },
      );
    const signer = await activeSigner(tx, ctx.actor.userId);
    const sig = await signatureOf(
      tx,
      ctx,
      {
        versionId: row.id,
        planId: row.plan_id,
        clientId: row.client_id,
        versionNo: row.version_no,
        basedOn: row.based_on,
        content,
        signer,
        at: now,
      },
      key,
    );
    if (!(await repo.markSigned(tx, row.id, expectedVersion, sig))) throw staleDraft(row, null, action);
    await repo.setCurrentVersion(tx, row.plan_id, row.id, sig.reviewDueDate);
    const due = sig.reviewDueDate;
    await auditAs(tx, ctx, {
      ...versionFacts(action, row),
      details: { versionNo: row.version_no, reviewDueDate: due },
    });
    const signed = await repo.getVersion(tx, row.id);
    if (!signed) throw new Error('signed version vanished');
    return versionView(tx, key, signed);
  });
}

export interface NewAcknowledgement {
  typedName: string;
  acknowledgedOn: string;
  method: AcknowledgementMethod;
  /** Base64 PNG drawn on a touch screen, without a data: prefix. */
  signaturePng?: string | undefined;
}

/** Records the client's acknowledgement of a signed version (append-only; name and drawing encrypted). */
export async function recordAcknowledgement(
  ctx: Ctx,
  versionId: string,
  input: NewAcknowledgement,
): Promise<AcknowledgementView> {
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.acknowledge';
    const { row, key } = await authorizeVersion(tx, ctx, versionId, 'client.writeNotes', action);
    if (row.status !== 'signed') throw new Conflict('The client acknowledges a signed plan; sign it first');
    const practice = await practiceOf(tx, ctx);
    if (input.acknowledgedOn > localDateOf(ctx.clock(), practice.time_zone))
      throw new Invalid('The acknowledgement cannot be dated in the future', [
        { path: 'acknowledgedOn', message: 'Use today or an earlier date' },
      ]);
    let png: Buffer | null = null;
    if (input.signaturePng !== undefined) {
      png = Buffer.from(input.signaturePng, 'base64');
      if (png.length > MAX_SIGNATURE_PNG_BYTES || !png.subarray(0, 8).equals(PNG_MAGIC))
        throw new Invalid('The drawn signature must be a PNG image of at most 200 kB', [
          { path: 'signaturePng', message: 'Not a PNG image, or too large' },
        ]);
    }
    const id = newId();
    await repo.insertAcknowledgement(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      clientId: row.client_id,
      versionId: row.id,
      typedNameEnc: sealAck(key, id, 'typed_name', input.typedName),
      acknowledgedOn: input.acknowledgedOn,
      method: input.method,
      signaturePngEnc: png ? sealAck(key, id, 'signature_png', png.toString('base64')) : null,
      recordedBy: ctx.actor.userId,
      recordedAt: ctx.clock(),
    });
    await auditAs(tx, ctx, {
      ...versionFacts(action, row),
      details: { method: input.method, drawn: png !== null, acknowledgementId: id },
    });
    const view = (await versionView(tx, key, row)).acknowledgements.find((a) => a.id === id);
    if (!view) throw new Error('acknowledgement vanished');
    return view;
  });
}

/** The drawn signature of an acknowledgement, as base64 PNG. */
export async function acknowledgementSignature(
  ctx: Ctx,
  acknowledgementId: string,
): Promise<{ png: string }> {
  return inPractice(ctx, async (tx) => {
    const action = 'treatment_plan.acknowledgement_signature';
    const ack = await repo.getAcknowledgement(tx, acknowledgementId);
    if (!ack) throw new NotFound('Acknowledgement');
    const { row, key } = await authorizeVersion(tx, ctx, ack.version_id, 'client.readNotes', action);
    const enc = await repo.acknowledgementSignature(tx, ack.id);
    if (!enc) throw new NotFound('Drawn signature');
    await auditAs(tx, ctx, { ...versionFacts(action, row), details: { acknowledgementId: ack.id } });
    return { png: openAck(key, ack.id, 'signature_png', enc) };
  });
}

/**
 * For a signed plan-review note: makes a new signed version of the client's plan with the goal
 * statuses changed, and restarts the review interval. Runs in the caller's transaction (the
 * caller has authorized client.writeNotes and re-authenticated). An open draft gets the same
 * statuses so signing it later does not undo them. Returns null when the client has no signed plan.
 */
export async function reviseGoalStatuses(
  tx: Tx,
  ctx: Ctx,
  clientId: string,
  changes: readonly { goalId: string; status: GoalStatus }[],
  signer: PlanSigner,
): Promise<PlanVersionView | null> {
  const plan = await repo.getPlanOfClient(tx, clientId, true);
  if (!plan) return null;
  const { current, draft } = await repo.currentAndDraft(tx, plan.id);
  if (!current) return null;
  const key = await clientDataKey(tx, ctx, clientId);
  const apply = (c: PlanContent, strict: boolean): PlanContent => {
    const byId = new Map(changes.map((x) => [x.goalId, x.status]));
    if (strict) {
      const unknown = changes.filter((x) => !c.goals.some((g) => g.id === x.goalId));
      if (unknown.length > 0)
        throw new Invalid(
          'Some goals are not in the current plan',
          unknown.map((u) => ({ path: `goals.${u.goalId}`, message: 'No such goal in the signed plan' })),
        );
    }
    return { ...c, goals: c.goals.map((g) => ({ ...g, status: byId.get(g.id) ?? g.status })) };
  };
  const content = apply(openContent(key, current), true);
  if (draft) {
    // The plan row is locked, so no draft save can start now; one that committed before is seen
    // by re-reading the draft after locking it. Its statuses must never be dropped silently.
    await repo.lockVersion(tx, draft.id);
    const open = await repo.getVersion(tx, draft.id);
    const saved =
      open?.status === 'draft' &&
      (await repo.updateDraft(
        tx,
        open.id,
        open.version,
        sealContent(key, open.id, apply(openContent(key, open), false)),
      ));
    if (!saved)
      throw new Conflict('The plan draft changed while this review was signed. Sign the review again.', {
        draftChanged: true,
      });
  }
  const id = newId();
  const versionNo = await repo.nextVersionNo(tx, plan.id);
  const sig = await signatureOf(
    tx,
    ctx,
    {
      versionId: id,
      planId: plan.id,
      clientId,
      versionNo,
      basedOn: current.id,
      content,
      signer,
      at: ctx.clock(),
    },
    key,
  );
  await repo.insertSigned(tx, {
    id,
    practiceId: ctx.actor.practiceId,
    planId: plan.id,
    clientId,
    versionNo,
    basedOn: current.id,
    ...sig,
  });
  await repo.setCurrentVersion(tx, plan.id, id, sig.reviewDueDate);
  const due = sig.reviewDueDate;
  await auditAs(tx, ctx, {
    action: 'treatment_plan.goal_statuses',
    category: PLAN_CATEGORY,
    clientId,
    entityType: 'treatment_plan_version',
    entityId: id,
    details: { versionNo, goals: changes.length, reviewDueDate: due },
  });
  const signed = await repo.getVersion(tx, id);
  if (!signed) throw new Error('revised version vanished');
  return versionView(tx, key, signed);
}
