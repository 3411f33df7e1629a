import { REVIEW_DUE_SOON_DAYS, type GoalMeasure, type ReviewState } from './treatmentPlan.js';

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`Not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date `days` after the plan was signed (practice-local dates, no time of day). */
export function reviewDueDate(signedOn: string, days: number): string {
  if (!Number.isInteger(days) || days < 1)
    throw new RangeError('Review interval must be a whole number of days');
  return dateOfDay(dayNumber(signedOn) + days);
}

/** Whole days from `today` until `due` (negative once past it). */
export function daysUntil(due: string, today: string): number {
  return dayNumber(due) - dayNumber(today);
}

/** Overdue the day after the due date; due soon from REVIEW_DUE_SOON_DAYS before it through the due date. */
export function reviewState(due: string, today: string): ReviewState {
  const d = daysUntil(due, today);
  if (d < 0) return 'overdue';
  return d <= REVIEW_DUE_SOON_DAYS ? 'due_soon' : 'current';
}

export interface GoalProgress {
  /** The first score on record (the starting point). */
  baseline: number | null;
  latest: number | null;
  latestDate: string | null;
  /** The goal is met when the score is below this number. */
  target: number;
  met: boolean;
  /** 0 at the baseline, 1 once the target is reached; null with fewer than one score. */
  fractionToTarget: number | null;
}

/**
 * How far a goal measured by a questionnaire has come: from the first score towards "below N".
 * The target is reached at N − 1, so the fraction is (baseline − latest) / (baseline − (N − 1)), kept within 0..1.
 */
export function measureGoalProgress(
  goal: { measure: GoalMeasure | null },
  scores: readonly { date: string; total: number }[],
): GoalProgress | null {
  if (!goal.measure) return null;
  const target = goal.measure.below;
  const sorted = [...scores].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last)
    return { baseline: null, latest: null, latestDate: null, target, met: false, fractionToTarget: null };
  const met = last.total < target;
  const goalScore = target - 1;
  let fraction: number;
  if (met) fraction = 1;
  else if (first.total <= goalScore)
    fraction = 0; // started at target, has since risen above it
  else fraction = Math.min(1, Math.max(0, (first.total - last.total) / (first.total - goalScore)));
  return {
    baseline: first.total,
    latest: last.total,
    latestDate: last.date,
    target,
    met,
    fractionToTarget: Math.round(fraction * 1000) / 1000,
  };
}
