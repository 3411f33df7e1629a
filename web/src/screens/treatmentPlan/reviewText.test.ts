import { describe, expect, it } from 'vitest';
import { reviewText } from './ReviewBadge.js';
import { reviewWhen } from './PlanReviewsTable.js';

describe('reviewText', () => {
  it('says how far away the review is, or how late', () => {
    expect(reviewText({ dueDate: '2026-06-12', state: 'due_soon', daysUntilDue: 5 })).toMatch(
      /\(in 5 days\)$/,
    );
    expect(reviewText({ dueDate: '2026-06-12', state: 'due_soon', daysUntilDue: 0 })).toMatch(/\(today\)$/);
    expect(reviewText({ dueDate: '2026-06-12', state: 'due_soon', daysUntilDue: 1 })).toMatch(
      /\(tomorrow\)$/,
    );
    expect(reviewText({ dueDate: '2026-06-12', state: 'overdue', daysUntilDue: -1 })).toMatch(
      /\(1 day ago\)$/,
    );
    expect(reviewText({ dueDate: '2026-06-12', state: 'overdue', daysUntilDue: -9 })).toMatch(
      /\(9 days ago\)$/,
    );
  });
});

describe('reviewWhen', () => {
  it('counts days to or past the review', () => {
    expect(reviewWhen(-3)).toBe('Overdue by 3 days');
    expect(reviewWhen(-1)).toBe('Overdue by 1 day');
    expect(reviewWhen(0)).toBe('Due today');
    expect(reviewWhen(1)).toBe('Due in 1 day');
    expect(reviewWhen(12)).toBe('Due in 12 days');
  });
});
