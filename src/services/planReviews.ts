import { reviewsDueFor } from '../db/treatmentPlansRepo.js';
import type { PracticeRow } from '../db/practicesRepo.js';
import type { Tx } from '../db/database.js';
import { localDateOf } from '../domain/recurrence.js';
import { daysUntil, reviewState } from '../domain/planReview.js';
import { REVIEW_DUE_SOON_DAYS } from '../domain/treatmentPlan.js';

export interface PlanReviewItem {
  clientId: string;
  clientCode: string;
  displayName: string;
  planId: string;
  versionId: string;
  versionNo: number;
  reviewDueDate: string;
  state: 'due_soon' | 'overdue';
  /** Negative once overdue. */
  daysUntilDue: number;
}

/**
 * Treatment plan reviews due within REVIEW_DUE_SOON_DAYS or overdue for a clinician's caseload
 * (clients whose primary clinician they are), most overdue first. One query; the dashboard audits.
 */
export async function planReviewsFor(
  tx: Tx,
  practice: PracticeRow,
  clinicianId: string,
  now: Date,
  limit: number,
): Promise<PlanReviewItem[]> {
  const today = localDateOf(now, practice.time_zone);
  const until = new Date(Date.parse(`${today}T00:00:00Z`) + REVIEW_DUE_SOON_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const rows = await reviewsDueFor(tx, clinicianId, until, limit);
  return rows.map((r) => ({
    clientId: r.client_id,
    clientCode: r.client_code,
    displayName: practice.privacy_mode ? r.client_code : r.display_name,
    planId: r.plan_id,
    versionId: r.version_id,
    versionNo: r.version_no,
    reviewDueDate: r.review_due_date,
    state: reviewState(r.review_due_date, today) === 'overdue' ? 'overdue' : 'due_soon',
    daysUntilDue: daysUntil(r.review_due_date, today),
  }));
}
