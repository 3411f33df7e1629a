import * as repo from '../db/goalProgressRepo.js';
import type { GoalRatingRow } from '../db/goalProgressRepo.js';
import * as plansRepo from '../db/treatmentPlansRepo.js';
import { listAdministrations } from '../db/measuresRepo.js';
import type { NoteRow } from '../db/notesRepo.js';
import { getUser } from '../db/usersRepo.js';
import type { Tx } from '../db/database.js';
import { decryptField, encryptField } from '../security/fieldEncryption.js';
import { Conflict, Invalid, Unauthorized } from '../domain/errors.js';
import {
  GOAL_RATING_KINDS,
  measureProgressSeries,
  ratingLabel,
  ratingProblems,
  ratingProgress,
  type GoalProgressSave,
  type RatingScale,
} from '../domain/goalProgress.js';
import { measureGoalProgress, type GoalProgress } from '../domain/planReview.js';
import {
  GOAL_STATUS_LABELS,
  type GoalMeasure,
  type GoalStatus,
  type PlanContent,
  type PlanGoal,
} from '../domain/treatmentPlan.js';
import type { GoalRatingForHash } from '../domain/noteContentHash.js';
import { localDateOf } from '../domain/recurrence.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { clientDataKey } from './clientKeys.js';
import { authorizeNote, practiceOf } from './noteService.js';
import { authorizeClientFor } from './clientService.js';
import { activeGoals } from './treatmentPlanService.js';
import { openContent, PLAN_CATEGORY } from './planAccess.js';
import { reviseGoalStatuses } from './planSigning.js';

// Progress on plan goals, rated in progress and plan-review notes. Ratings are saved with the
// note's draft (same transaction, same If-Match version), frozen with the note by the database,
// and a signed plan-review note turns its new goal statuses into a new signed plan version.

const TABLE = 'note_goal_ratings';
const NOTE_CATEGORY = 'progress_note' as const;

function rowKey(noteId: string, goalId: string): string {
  return `${noteId}/${goalId}`;
}

function sealComment(key: Buffer, noteId: string, goalId: string, comment: string): Buffer | null {
  return comment === '' ? null : encryptField(key, TABLE, rowKey(noteId, goalId), 'comment', comment);
}

function openComment(key: Buffer, row: Pick<GoalRatingRow, 'note_id' | 'goal_id' | 'comment_enc'>): string {
  return row.comment_enc
    ? decryptField(key, TABLE, rowKey(row.note_id, row.goal_id), 'comment', row.comment_enc)
    : '';
}

function ratesGoals(kind: string): boolean {
  return (GOAL_RATING_KINDS as readonly string[]).includes(kind);
}

export interface RatingView {
  scale: RatingScale;
  rating: number | null;
  label: string;
  /** 0–1 for charting; null when not rated. */
  progress: number | null;
  comment: string;
  newStatus: GoalStatus | null;
}

function ratingView(key: Buffer, row: GoalRatingRow): RatingView {
  return {
    scale: row.scale,
    rating: row.rating,
    label: ratingLabel(row.scale, row.rating),
    progress: ratingProgress(row.scale, row.rating),
    comment: openComment(key, row),
    newStatus: row.new_status as GoalStatus | null,
  };
}

/**
 * Draft-save hook (noteService.saveDraft): replaces the note's ratings. The caller has locked the
 * note, checked its version and that the actor is its author with client.writeNotes.
 */
export async function saveNoteGoalRatings(
  tx: Tx,
  ctx: Ctx,
  row: NoteRow,
  key: Buffer,
  save: GoalProgressSave,
): Promise<void> {
  if (!ratesGoals(row.kind))
    throw new Invalid('This kind of note does not rate treatment-plan goals', [
      { path: 'goalProgress', message: 'Only progress and plan-review notes rate goals' },
    ]);
  const plan = await plansRepo.getPlanOfClient(tx, row.client_id);
  if (!plan?.current_version_id) {
    if (save.ratings.length > 0)
      throw new Invalid('This client has no signed treatment plan', [
        { path: 'goalProgress.ratings', message: 'There are no plan goals to rate' },
      ]);
  } else if (plan.current_version_id !== save.planVersionId)
    throw new Conflict(
      'The treatment plan was changed after these goals were loaded. Reload the note to rate the current goals.',
      { planChanged: true, currentPlanVersionId: plan.current_version_id },
    );
  const goals = await activeGoals(tx, ctx, row.client_id);
  const problems = ratingProblems(save.ratings, new Set(goals.map((g) => g.id)), row.kind === 'plan_review');
  if (problems.length > 0) throw new Invalid('Some goal ratings are not valid', problems);
  await repo.replaceRatings(
    tx,
    row.id,
    save.ratings.map((r) => ({
      practiceId: row.practice_id,
      clientId: row.client_id,
      noteId: row.id,
      goalId: r.goalId,
      planVersionId: save.planVersionId,
      scale: r.scale,
      rating: r.rating,
      commentEnc: sealComment(key, row.id, r.goalId, r.comment),
      newStatus: r.newStatus,
    })),
  );
  await auditAs(tx, ctx, {
    action: 'note.goal_ratings.save',
    category: NOTE_CATEGORY,
    clientId: row.client_id,
    entityType: 'note',
    entityId: row.id,
    details: {
      goals: save.ratings.length,
      rated: save.ratings.filter((r) => r.rating !== null).length,
      statusChanges: save.ratings.filter((r) => r.newStatus !== null).length,
    },
  });
}

/**
 * Signing hook (noteSigning.signNote, same transaction, after re-authentication): a plan-review
 * note makes a new signed plan version with its goal statuses and a new review date. Refused
 * with 409 when the plan changed after the review rated it; nothing is merged.
 */
export async function applyPlanReviewOnSigning(tx: Tx, ctx: Ctx, row: NoteRow): Promise<void> {
  if (row.kind !== 'plan_review') return;
  const plan = await plansRepo.getPlanOfClient(tx, row.client_id, true);
  if (!plan?.current_version_id) return;
  const ratings = await repo.ratingsOfNote(tx, row.id);
  if (ratings.some((r) => r.plan_version_id !== plan.current_version_id))
    throw new Conflict(
      'The treatment plan was changed after this review rated its goals. Open the goals in the note again, check them against the current plan, then sign.',
      { planChanged: true, currentPlanVersionId: plan.current_version_id },
    );
  const me = await getUser(tx, ctx.actor.userId);
  if (!me?.active) throw new Unauthorized();
  const changes = ratings.flatMap((r) =>
    r.new_status ? [{ goalId: r.goal_id, status: r.new_status as GoalStatus }] : [],
  );
  const revised = await reviseGoalStatuses(tx, ctx, row.client_id, changes, {
    userId: me.id,
    name: me.full_name,
    credentials: me.credentials,
    licenseNumber: me.license_number,
  });
  await auditAs(tx, ctx, {
    action: 'note.plan_review.apply',
    category: NOTE_CATEGORY,
    clientId: row.client_id,
    entityType: 'note',
    entityId: row.id,
    details: { planVersionId: revised?.id ?? null, statusChanges: changes.length },
  });
}

export interface NoteGoalView {
  goalId: string;
  statement: string;
  status: GoalStatus;
  targetDate: string | null;
  measure: GoalMeasure | null;
  problems: string[];
  rating: RatingView | null;
}

export interface NoteGoalProgressView {
  noteId: string;
  /** False for kinds of note that do not rate goals (intake, contact…). */
  applies: boolean;
  planReview: boolean;
  /** Ratings can still change (a draft or returned note, viewed by its author). */
  editable: boolean;
  /** The signed plan version the goals come from; what a save sends back. */
  planVersionId: string | null;
  /** The stored ratings were made against an earlier plan version than the current one. */
  planChanged: boolean;
  goals: NoteGoalView[];
}

function goalView(g: PlanGoal, problems: Map<string, string>, rating: RatingView | null): NoteGoalView {
  return {
    goalId: g.id,
    statement: g.statement,
    status: g.status,
    targetDate: g.targetDate,
    measure: g.measure,
    problems: g.problemIds.map((id) => problems.get(id) ?? '').filter((s) => s !== ''),
    rating,
  };
}

async function planContentOf(tx: Tx, key: Buffer, versionId: string): Promise<PlanContent | null> {
  const v = await plansRepo.getVersion(tx, versionId);
  return v ? openContent(key, v) : null;
}

/**
 * The goals a note rates, with its ratings. A note still being written lists the active goals of
 * the current signed plan; a signed one lists the goals of the plan version it rated.
 */
export async function getNoteGoalProgress(ctx: Ctx, noteId: string): Promise<NoteGoalProgressView> {
  return inPractice(ctx, async (tx) => {
    const action = 'note.goal_ratings.view';
    const { row, key } = await authorizeNote(tx, ctx, noteId, action);
    const editable =
      (row.status === 'draft' || row.status === 'returned') && row.author_id === ctx.actor.userId;
    const base = { noteId: row.id, planReview: row.kind === 'plan_review', editable };
    if (!ratesGoals(row.kind))
      return { ...base, applies: false, editable: false, planVersionId: null, planChanged: false, goals: [] };
    const ratings = await repo.ratingsOfNote(tx, row.id);
    const byGoal = new Map(ratings.map((r) => [r.goal_id, ratingView(key, r)]));
    const plan = await plansRepo.getPlanOfClient(tx, row.client_id);
    const ratedVersion = ratings[0]?.plan_version_id ?? null;
    const versionId = editable ? (plan?.current_version_id ?? null) : ratedVersion;
    const content = versionId ? await planContentOf(tx, key, versionId) : null;
    const problems = new Map((content?.problems ?? []).map((p) => [p.id, p.statement]));
    const goals = (content?.goals ?? [])
      .filter((g) => g.status === 'proposed' || g.status === 'active' || byGoal.has(g.id))
      .map((g) => goalView(g, problems, byGoal.get(g.id) ?? null));
    await auditAs(tx, ctx, {
      action,
      category: NOTE_CATEGORY,
      clientId: row.client_id,
      entityType: 'note',
      entityId: row.id,
      details: { goals: goals.length, rated: ratings.length },
    });
    return {
      ...base,
      applies: true,
      planVersionId: versionId,
      planChanged: editable && ratedVersion !== null && ratedVersion !== versionId,
      goals,
    };
  });
}

export interface TrendRating extends RatingView {
  noteId: string;
  dateOfService: string;
}

export interface GoalTrendView {
  goalId: string;
  statement: string;
  status: GoalStatus;
  targetDate: string | null;
  measure: GoalMeasure | null;
  ratings: TrendRating[];
  /** For a goal measured by a questionnaire: progress from the client's scores. */
  measureProgress: GoalProgress | null;
  measurePoints: { date: string; total: number; progress: number | null }[];
}

export interface ClientGoalProgressView {
  clientId: string;
  planVersionId: string | null;
  goals: GoalTrendView[];
}

/**
 * Each goal of the client's current signed plan with its ratings over time (signed notes only)
 * and, for a goal measured by a questionnaire, the progress its scores show.
 */
export async function getClientGoalProgress(ctx: Ctx, clientId: string): Promise<ClientGoalProgressView> {
  return inPractice(ctx, async (tx) => {
    const action = 'goal_progress.view';
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', { action, category: PLAN_CATEGORY });
    const plan = await plansRepo.getPlanOfClient(tx, clientId);
    const key = await clientDataKey(tx, ctx, clientId);
    const content = plan?.current_version_id ? await planContentOf(tx, key, plan.current_version_id) : null;
    const goals = content?.goals ?? [];
    const ratings = goals.length > 0 ? await repo.signedRatingsOfClient(tx, clientId) : [];
    const scores = goals.some((g) => g.measure) ? await listAdministrations(tx, clientId) : [];
    const practice = await practiceOf(tx, ctx);
    await auditAs(tx, ctx, {
      action,
      category: PLAN_CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { goals: goals.length, ratings: ratings.length },
    });
    return {
      clientId,
      planVersionId: plan?.current_version_id ?? null,
      goals: goals.map((g) => {
        const measured = g.measure
          ? scores
              .filter((s) => s.instrument === g.measure?.instrument)
              .map((s) => ({ date: localDateOf(s.administered_at, practice.time_zone), total: s.total }))
          : [];
        return {
          goalId: g.id,
          statement: g.statement,
          status: g.status,
          targetDate: g.targetDate,
          measure: g.measure,
          ratings: ratings
            .filter((r) => r.goal_id === g.id)
            .map((r) => ({ noteId: r.note_id, dateOfService: r.date_of_service, ...ratingView(key, r) })),
          measureProgress: g.measure ? measureGoalProgress(g, measured) : null,
          measurePoints: g.measure ? measureProgressSeries(g.measure, measured) : [],
        };
      }),
    };
  });
}

/**
 * The note's ratings as its signature hash covers them (comments opened), in the caller's
 * transaction; [] for a note without ratings, which keeps its hash as it was before ratings existed.
 * Null when a comment no longer opens (its ciphertext was altered or moved from another row):
 * the note cannot match its signature, and the caller says so rather than failing.
 */
export async function goalRatingsForHash(
  tx: Tx,
  noteId: string,
  key: Buffer,
): Promise<GoalRatingForHash[] | null> {
  const ratings = await repo.ratingsOfNote(tx, noteId);
  const hashed: GoalRatingForHash[] = [];
  for (const r of ratings) {
    let comment: string;
    try {
      comment = openComment(key, r);
    } catch {
      // AES-GCM refuses a blob altered, or sealed for another note or goal (the AAD names both).
      return null;
    }
    hashed.push({
      goalId: r.goal_id,
      planVersionId: r.plan_version_id,
      scale: r.scale,
      rating: r.rating,
      comment,
      newStatus: r.new_status,
    });
  }
  return hashed;
}

/** One rated goal as a signed note prints it. */
export interface PrintedGoalRating {
  statement: string;
  rating: string;
  comment: string;
  /** Plan-review notes only: the status the review gave the goal ('Unchanged' when none). */
  newStatus: string | null;
}

/**
 * The ratings of a note with their goals' statements, in plan order, for the note's print. Read in
 * the caller's transaction and covered by its audit row; two queries whatever the number of goals.
 */
export async function goalRatingsForPrint(tx: Tx, row: NoteRow, key: Buffer): Promise<PrintedGoalRating[]> {
  if (!ratesGoals(row.kind)) return [];
  const ratings = await repo.ratingsOfNote(tx, row.id);
  const first = ratings[0];
  if (!first) return [];
  // One save rates one plan version, so every rating of a note names the same one.
  const content = await planContentOf(tx, key, first.plan_version_id);
  const goals = content?.goals ?? [];
  const order = new Map(goals.map((g, i) => [g.id, i]));
  const statement = new Map(goals.map((g) => [g.id, g.statement]));
  return [...ratings]
    .sort((a, b) => (order.get(a.goal_id) ?? goals.length) - (order.get(b.goal_id) ?? goals.length))
    .map((r) => ({
      statement: statement.get(r.goal_id) ?? 'A goal no longer on the treatment plan',
      rating: ratingLabel(r.scale, r.rating),
      comment: openComment(key, r),
      newStatus:
        row.kind === 'plan_review'
          ? r.new_status
            ? GOAL_STATUS_LABELS[r.new_status as GoalStatus]
            : 'Unchanged'
          : null,
    }));
}
