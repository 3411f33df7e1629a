import type { ReviewState } from '../../../../src/domain/treatmentPlan.js';
import { formatDate } from '../../components/dateFormat.js';

/** "Review due 12 Jun 2026 (in 5 days)" with a due-soon or overdue badge. */
export function reviewText(review: { dueDate: string; state: ReviewState; daysUntilDue: number }): string {
  const d = review.daysUntilDue;
  const when =
    d === 0
      ? 'today'
      : d === 1
        ? 'tomorrow'
        : d > 0
          ? `in ${d} days`
          : d === -1
            ? '1 day ago'
            : `${-d} days ago`;
  return `Review due ${formatDate(review.dueDate)} (${when})`;
}

export function ReviewBadge({ state }: { state: ReviewState }) {
  if (state === 'current') return null;
  return state === 'overdue' ? (
    <span className="badge badge-overdue">Review overdue</span>
  ) : (
    <span className="badge badge-due-soon">Review due soon</span>
  );
}
