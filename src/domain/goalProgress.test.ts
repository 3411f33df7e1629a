import { describe, expect, it } from 'vitest';
import {
  goalProgressSave,
  isRatingOnScale,
  measureProgressSeries,
  ratingLabel,
  ratingProblems,
  ratingProgress,
  type GoalRatingInput,
} from './goalProgress.js';

const G1 = '0b0c6c57-2f2a-4c55-9a39-7d1c1a0f0001';
const G2 = '0b0c6c57-2f2a-4c55-9a39-7d1c1a0f0002';
const OTHER = '0b0c6c57-2f2a-4c55-9a39-7d1c1a0f0099';

function rating(fields: Partial<GoalRatingInput>): GoalRatingInput {
  return { goalId: G1, scale: 'five_point', rating: 3, comment: '', newStatus: null, ...fields };
}

describe('ratingProgress', () => {
  it('places the five levels evenly from regressed (0) to met (1)', () => {
    expect([1, 2, 3, 4, 5].map((r) => ratingProgress('five_point', r))).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('divides a 0–10 rating by ten', () => {
    expect(ratingProgress('zero_to_ten', 0)).toBe(0);
    expect(ratingProgress('zero_to_ten', 7)).toBe(0.7);
    expect(ratingProgress('zero_to_ten', 10)).toBe(1);
  });

  it('is null for a goal not rated', () => {
    expect(ratingProgress('five_point', null)).toBeNull();
  });

  it('refuses a value off the scale', () => {
    expect(() => ratingProgress('five_point', 0)).toThrow(RangeError);
    expect(() => ratingProgress('five_point', 6)).toThrow(RangeError);
    expect(() => ratingProgress('zero_to_ten', 11)).toThrow(RangeError);
    expect(() => ratingProgress('zero_to_ten', 2.5)).toThrow(RangeError);
  });
});

describe('isRatingOnScale and ratingLabel', () => {
  it('knows each scale’s range', () => {
    expect(isRatingOnScale('five_point', 1)).toBe(true);
    expect(isRatingOnScale('five_point', 0)).toBe(false);
    expect(isRatingOnScale('zero_to_ten', 0)).toBe(true);
    expect(isRatingOnScale('zero_to_ten', -1)).toBe(false);
  });

  it('names the rating in words', () => {
    expect(ratingLabel('five_point', 1)).toBe('Regressed');
    expect(ratingLabel('five_point', 4)).toBe('Significant progress');
    expect(ratingLabel('five_point', 5)).toBe('Met');
    expect(ratingLabel('zero_to_ten', 6)).toBe('6 of 10');
    expect(ratingLabel('zero_to_ten', null)).toBe('Not rated');
  });
});

describe('ratingProblems', () => {
  const active = new Set([G1, G2]);

  it('accepts ratings of active goals, and goals left unrated', () => {
    expect(
      ratingProblems([rating({}), rating({ goalId: G2, scale: 'zero_to_ten', rating: null })], active, false),
    ).toEqual([]);
  });

  it('refuses a goal that is not on the plan, with the path of the field', () => {
    expect(ratingProblems([rating({}), rating({ goalId: OTHER })], active, false)).toEqual([
      {
        path: 'goalProgress.ratings.1.goalId',
        message: "This goal is not an active goal on the client's plan",
      },
    ]);
  });

  it('refuses a goal rated twice and a rating off its scale', () => {
    const problems = ratingProblems([rating({}), rating({ rating: 9 })], active, false);
    expect(problems.map((p) => p.path)).toEqual([
      'goalProgress.ratings.1.goalId',
      'goalProgress.ratings.1.rating',
    ]);
  });

  it('allows a new status only in a plan-review note', () => {
    const withStatus = [rating({ newStatus: 'achieved' })];
    expect(ratingProblems(withStatus, active, true)).toEqual([]);
    expect(ratingProblems(withStatus, active, false).map((p) => p.path)).toEqual([
      'goalProgress.ratings.0.newStatus',
    ]);
  });
});

describe('goalProgressSave', () => {
  it('fills defaults and refuses unknown fields', () => {
    const parsed = goalProgressSave.parse({
      planVersionId: OTHER,
      ratings: [{ goalId: G1, scale: 'zero_to_ten', rating: 4 }],
    });
    expect(parsed.ratings[0]).toEqual({
      goalId: G1,
      scale: 'zero_to_ten',
      rating: 4,
      comment: '',
      newStatus: null,
    });
    expect(goalProgressSave.safeParse({ planVersionId: OTHER, ratings: [], extra: 1 }).success).toBe(false);
    expect(
      goalProgressSave.safeParse({
        planVersionId: OTHER,
        ratings: [{ goalId: G1, scale: 'stars', rating: 4 }],
      }).success,
    ).toBe(false);
  });
});

describe('measureProgressSeries', () => {
  const measure = { instrument: 'phq9' as const, below: 10 };

  it('gives each score its progress from the first score towards the target', () => {
    // Baseline 21, target below 10 (9): 15 is 6 of 12 points = 0.5; 8 is met.
    expect(
      measureProgressSeries(measure, [
        { date: '2026-03-15', total: 8 },
        { date: '2026-01-10', total: 21 },
        { date: '2026-02-10', total: 15 },
      ]),
    ).toEqual([
      { date: '2026-01-10', total: 21, progress: 0 },
      { date: '2026-02-10', total: 15, progress: 0.5 },
      { date: '2026-03-15', total: 8, progress: 1 },
    ]);
  });

  it('keeps a worsening score at 0, never below', () => {
    expect(
      measureProgressSeries(measure, [
        { date: '2026-01-10', total: 15 },
        { date: '2026-02-10', total: 20 },
      ]).map((p) => p.progress),
    ).toEqual([0, 0]);
  });

  it('is empty without scores', () => {
    expect(measureProgressSeries(measure, [])).toEqual([]);
  });
});
