import { z } from 'zod';
import { measureGoalProgress } from './planReview.js';
import { GOAL_STATUSES, type GoalMeasure } from './treatmentPlan.js';

// Progress on treatment-plan goals, rated in each progress note: a five-point judgement
// (regressed … met) or a 0–10 number, with a short comment. For a chart both map onto one
// 0–1 "progress" value, so ratings on either scale and measure-based progress share an axis.

export const RATING_SCALES = ['five_point', 'zero_to_ten'] as const;
export type RatingScale = (typeof RATING_SCALES)[number];

export const RATING_SCALE_LABELS: Record<RatingScale, string> = {
  five_point: 'Regressed … met',
  zero_to_ten: '0 to 10',
};

/** The five-point scale, stored as 1..5 in this order. */
export const FIVE_POINT_LEVELS = [
  { value: 1, label: 'Regressed' },
  { value: 2, label: 'No change' },
  { value: 3, label: 'Some progress' },
  { value: 4, label: 'Significant progress' },
  { value: 5, label: 'Met' },
] as const;

/** Note kinds that rate goals: progress notes, and plan-review notes (which also set statuses). */
export const GOAL_RATING_KINDS = ['progress', 'plan_review'] as const;

export const MAX_GOAL_COMMENT = 500;

export const goalRatingInput = z
  .object({
    goalId: z.uuid(),
    scale: z.enum(RATING_SCALES),
    /** 1..5 on the five-point scale, 0..10 on the other; null = not rated (a comment or status alone). */
    rating: z.number().int().nullable().default(null),
    comment: z.string().trim().max(MAX_GOAL_COMMENT).default(''),
    /** Plan-review notes only: the goal's status once the note is signed. */
    newStatus: z.enum(GOAL_STATUSES).nullable().default(null),
  })
  .strict();

/** What a draft save carries: every rating of the note (replacing what was stored) and the plan version rated. */
export const goalProgressSave = z
  .object({
    planVersionId: z.uuid(),
    ratings: z.array(goalRatingInput).max(30),
  })
  .strict();

export type GoalRatingInput = z.infer<typeof goalRatingInput>;
export type GoalProgressSave = z.infer<typeof goalProgressSave>;
export type GoalProgressSaveInput = z.input<typeof goalProgressSave>;

/** Whether `rating` is a value of `scale`. */
export function isRatingOnScale(scale: RatingScale, rating: number): boolean {
  if (!Number.isInteger(rating)) return false;
  return scale === 'five_point' ? rating >= 1 && rating <= 5 : rating >= 0 && rating <= 10;
}

/** The words for a rating: "Some progress", "7 of 10". */
export function ratingLabel(scale: RatingScale, rating: number | null): string {
  if (rating === null) return 'Not rated';
  if (scale === 'zero_to_ten') return `${rating} of 10`;
  return FIVE_POINT_LEVELS.find((l) => l.value === rating)?.label ?? `Level ${rating}`;
}

/**
 * A rating as 0–1 progress for charting: the five-point levels sit evenly from regressed (0)
 * to met (1); 0–10 divides by ten. Null for a goal not rated.
 */
export function ratingProgress(scale: RatingScale, rating: number | null): number | null {
  if (rating === null) return null;
  if (!isRatingOnScale(scale, rating)) throw new RangeError(`${rating} is not on the ${scale} scale`);
  return scale === 'five_point' ? (rating - 1) / 4 : rating / 10;
}

/**
 * What is wrong with a note's ratings, as 422 field errors: a goal not among the plan's active
 * goals, a goal rated twice, a rating off its scale, a new status on a note that is not a plan review.
 */
export function ratingProblems(
  ratings: readonly GoalRatingInput[],
  activeGoalIds: ReadonlySet<string>,
  planReview: boolean,
): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  ratings.forEach((r, i) => {
    const at = `goalProgress.ratings.${i}`;
    if (!activeGoalIds.has(r.goalId))
      out.push({ path: `${at}.goalId`, message: "This goal is not an active goal on the client's plan" });
    else if (seen.has(r.goalId)) out.push({ path: `${at}.goalId`, message: 'This goal is rated twice' });
    seen.add(r.goalId);
    if (r.rating !== null && !isRatingOnScale(r.scale, r.rating))
      out.push({
        path: `${at}.rating`,
        message: r.scale === 'five_point' ? 'Choose one of the five levels' : 'Give a number from 0 to 10',
      });
    if (r.newStatus !== null && !planReview)
      out.push({ path: `${at}.newStatus`, message: 'Goal statuses are changed in a plan-review note' });
  });
  return out;
}

export interface MeasurePointProgress {
  date: string;
  total: number;
  /** 0 at the first score, 1 once below the target; null when the first score was already at target. */
  progress: number | null;
}

/**
 * Measure-based progress at each score (for the chart), using measureGoalProgress on the scores
 * up to that date: the baseline is always the first score on record.
 */
export function measureProgressSeries(
  measure: GoalMeasure,
  scores: readonly { date: string; total: number }[],
): MeasurePointProgress[] {
  const sorted = [...scores].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return sorted.map((s, i) => {
    const p = measureGoalProgress({ measure }, sorted.slice(0, i + 1));
    return { date: s.date, total: s.total, progress: p?.fractionToTarget ?? null };
  });
}
