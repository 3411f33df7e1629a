import * as docRepo from '../db/documentationRepo.js';
import { getUser, supervisees } from '../db/usersRepo.js';
import type { PracticeRow } from '../db/practicesRepo.js';
import type { Tx } from '../db/database.js';
import { decidePracticeAction } from '../security/accessPolicy.js';
import { Invalid, NotFound } from '../domain/errors.js';
import { hasAnyRole } from '../domain/roles.js';
import {
  ageLabel,
  complianceSummary,
  deadlineState,
  type DeadlineState,
  type DocumentationPolicy,
} from '../domain/noteDeadline.js';
import { localDateOf, zonedWallTimeToUtc } from '../domain/recurrence.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { practiceOf } from './noteService.js';
import { policyOf, type Attendance } from './sessionService.js';
import type { ServiceType } from '../domain/cptTimeRule.js';
import type { NoteKind } from '../domain/noteTemplates.js';
import { planReviewsFor, type PlanReviewItem } from './planReviews.js';
import { countOpenRiskAlertsFor, openRiskAlertsFor } from '../db/riskAlertsRepo.js';

/** Where a session's note stands (session_clients.note_state). */
export type SessionNoteState = 'none' | 'draft' | 'awaiting_cosign' | 'returned' | 'signed';

// A dashboard lists at most this many rows per section; the counts are always exact.
const LIST_LIMIT = 500;
const MAX_REPORT_DAYS = 366;
const DAY_MS = 86_400_000;

/** Attendance that calls only for a short contact note, not a full progress note. */
const SHORT_NOTE_ONLY: ReadonlySet<string> = new Set(['no_show', 'late_cancel']);

/** The name a list shows for a client: the client code alone when the practice runs in privacy mode. */
export function clientLabel(practice: PracticeRow, code: string, name: string): string {
  return practice.privacy_mode ? code : name;
}

export interface NeedsNoteItem {
  sessionId: string;
  clientId: string;
  clientCode: string;
  displayName: string;
  serviceType: ServiceType;
  start: string;
  end: string;
  attendance: Attendance;
  noteDueAt: string;
  deadline: DeadlineState;
  overdueFor: string | null;
  noteId: string | null;
  noteState: SessionNoteState;
  shortNoteOnly: boolean;
}

export interface CosignItem {
  noteId: string;
  authorId: string;
  authorName: string;
  clientId: string;
  clientCode: string;
  displayName: string;
  dateOfService: string;
  signedAt: string;
  lateEntry: boolean;
}

export interface DocumentationCounts {
  needsNote: number;
  dueSoon: number;
  overdue: number;
  returned: number;
  toCosign: number;
  /** Unacknowledged risk alerts of the clients whose primary clinician this is. */
  riskAlerts: number;
}

/** An unacknowledged risk alert on the clinician's caseload (the client's primary clinician). */
export interface RiskAlertItem {
  alertId: string;
  clientId: string;
  clientCode: string;
  displayName: string;
  kind: 'phq9_item9';
  itemValue: number;
  raisedAt: string;
}

export interface DocumentationDashboard {
  now: string;
  policy: DocumentationPolicy;
  counts: DocumentationCounts & {
    drafts: number;
    awaitingCosign: number;
    planReviewsDueSoon: number;
    planReviewsOverdue: number;
  };
  needsNote: NeedsNoteItem[];
  drafts: {
    noteId: string;
    clientId: string;
    clientCode: string;
    displayName: string;
    kind: NoteKind;
    dateOfService: string;
    updatedAt: string;
    dueAt: string | null;
    deadline: DeadlineState;
  }[];
  returned: {
    noteId: string;
    clientId: string;
    clientCode: string;
    displayName: string;
    dateOfService: string;
    returnedAt: string;
  }[];
  awaitingCosign: {
    noteId: string;
    clientCode: string;
    displayName: string;
    dateOfService: string;
    signedAt: string;
    cosignerName: string | null;
  }[];
  toCosign: CosignItem[];
  /** Treatment plan reviews due soon or overdue for the clinician's caseload. */
  planReviews: PlanReviewItem[];
  /** Open risk alerts on the clinician's caseload, oldest first: shown before anything else. */
  riskAlerts: RiskAlertItem[];
}

/**
 * Whose dashboard the actor may open: their own; a supervisee's for their supervisor; anyone's
 * for an owner. Everyone else is refused, and the refusal is audited.
 */
async function checkDashboardOf(tx: Tx, ctx: Ctx, clinicianId: string): Promise<void> {
  if (clinicianId === ctx.actor.userId) return;
  const facts = {
    action: 'documentation.dashboard',
    category: 'session' as const,
    entityType: 'user',
    entityId: clinicianId,
  };
  const owner = hasAnyRole(ctx.actor.roles, ['owner']);
  const supervisor = hasAnyRole(ctx.actor.roles, ['supervisor']);
  if (!owner && !supervisor)
    throw new AccessDenied('You can only see your own documentation dashboard', facts);
  const user = await getUser(tx, clinicianId);
  if (owner) {
    if (!user) throw new NotFound('Clinician');
    return;
  }
  if (user?.supervisor_id !== ctx.actor.userId)
    throw new AccessDenied("You can see only your supervisees' documentation dashboards", facts);
}

function countsOf(
  row: docRepo.DocumentationCountsRow,
): Omit<DocumentationDashboard['counts'], 'planReviewsDueSoon' | 'planReviewsOverdue' | 'riskAlerts'> {
  return {
    needsNote: row.needs_note,
    drafts: row.drafts,
    dueSoon: row.due_soon,
    overdue: row.overdue,
    returned: row.returned,
    awaitingCosign: row.awaiting_cosign,
    toCosign: row.to_cosign,
  };
}

function cosignItem(practice: PracticeRow, r: docRepo.CosignQueueRow): CosignItem {
  return {
    noteId: r.id,
    authorId: r.author_id,
    authorName: r.author_name,
    clientId: r.client_id,
    clientCode: r.client_code,
    displayName: clientLabel(practice, r.client_code, r.display_name),
    dateOfService: r.date_of_service,
    signedAt: r.signed_at.toISOString(),
    lateEntry: r.late_entry,
  };
}

function needsNoteItem(
  practice: PracticeRow,
  policy: DocumentationPolicy,
  now: Date,
  r: docRepo.NeedsNoteRow,
): NeedsNoteItem {
  // Attendance that needs a note always has a due time; the session end stands in for a row
  // written before deadlines existed.
  const due = r.note_due_at ?? r.end_at;
  const deadline = deadlineState(due, now, policy);
  return {
    sessionId: r.session_id,
    clientId: r.client_id,
    clientCode: r.client_code,
    displayName: clientLabel(practice, r.client_code, r.display_name),
    serviceType: r.service_type as ServiceType,
    start: r.start_at.toISOString(),
    end: r.end_at.toISOString(),
    attendance: r.attendance as Attendance,
    noteDueAt: due.toISOString(),
    deadline,
    overdueFor: deadline === 'overdue' ? ageLabel(due, now) : null,
    noteId: r.note_id,
    noteState: r.note_state as SessionNoteState,
    shortNoteOnly: SHORT_NOTE_ONLY.has(r.attendance),
  };
}

/**
 * A clinician's documentation work: sessions waiting for a note with their deadline state,
 * drafts, returned notes, notes waiting for co-signature and notes to co-sign. A fixed number of
 * queries whatever the number of rows; one audit row per read.
 */
export async function documentationDashboard(
  ctx: Ctx,
  clinicianId: string | undefined,
): Promise<DocumentationDashboard> {
  const now = ctx.clock();
  return inPractice(ctx, async (tx) => {
    const userId = clinicianId ?? ctx.actor.userId;
    await checkDashboardOf(tx, ctx, userId);
    const practice = await practiceOf(tx, ctx);
    const policy = policyOf(practice);
    const practiceId = ctx.actor.practiceId;
    const counts = countsOf(
      await docRepo.documentationCounts(tx, {
        practiceId,
        userId,
        now,
        reminderHours: policy.reminderHoursBefore,
      }),
    );
    const needs = await docRepo.needsNoteRows(tx, { practiceId, clinicianId: userId, limit: LIST_LIMIT });
    const unfinished = await docRepo.unfinishedNotesOf(tx, {
      practiceId,
      authorId: userId,
      limit: LIST_LIMIT,
    });
    const toCosign = await docRepo.cosignQueue(tx, { practiceId, cosignerId: userId, limit: LIST_LIMIT });
    const planReviews = await planReviewsFor(tx, practice, userId, now, LIST_LIMIT);
    const alerts = await openRiskAlertsFor(tx, userId, LIST_LIMIT);
    const label = (r: { client_code: string; display_name: string }) =>
      clientLabel(practice, r.client_code, r.display_name);
    const dashboard: DocumentationDashboard = {
      now: now.toISOString(),
      policy,
      counts: {
        ...counts,
        riskAlerts: alerts.length,
        planReviewsDueSoon: planReviews.filter((r) => r.state === 'due_soon').length,
        planReviewsOverdue: planReviews.filter((r) => r.state === 'overdue').length,
      },
      needsNote: needs.map((r) => needsNoteItem(practice, policy, now, r)),
      drafts: unfinished
        .filter((r) => r.status === 'draft')
        .map((r) => ({
          noteId: r.id,
          clientId: r.client_id,
          clientCode: r.client_code,
          displayName: label(r),
          kind: r.kind as NoteKind,
          dateOfService: r.date_of_service,
          updatedAt: r.updated_at.toISOString(),
          dueAt: r.due_at?.toISOString() ?? null,
          // A standalone note (no session) has no deadline: it is never due.
          deadline: r.due_at ? deadlineState(r.due_at, now, policy) : 'not_due',
        })),
      returned: unfinished.flatMap((r) =>
        r.status === 'returned' && r.returned_at
          ? [
              {
                noteId: r.id,
                clientId: r.client_id,
                clientCode: r.client_code,
                displayName: label(r),
                dateOfService: r.date_of_service,
                returnedAt: r.returned_at.toISOString(),
              },
            ]
          : [],
      ),
      awaitingCosign: unfinished.flatMap((r) =>
        r.status === 'awaiting_cosign' && r.signed_at
          ? [
              {
                noteId: r.id,
                clientCode: r.client_code,
                displayName: label(r),
                dateOfService: r.date_of_service,
                signedAt: r.signed_at.toISOString(),
                cosignerName: r.cosigner_name,
              },
            ]
          : [],
      ),
      toCosign: toCosign.map((r) => cosignItem(practice, r)),
      planReviews,
      riskAlerts: alerts.map((r) => ({
        alertId: r.id,
        clientId: r.client_id,
        clientCode: r.client_code,
        displayName: label(r),
        kind: r.kind,
        itemValue: r.item_value,
        raisedAt: r.raised_at.toISOString(),
      })),
    };
    await auditAs(tx, ctx, {
      action: 'documentation.dashboard',
      category: 'session',
      ...(userId !== ctx.actor.userId && { entityType: 'user', entityId: userId }),
      details: {
        needsNote: counts.needsNote,
        drafts: counts.drafts,
        dueSoon: counts.dueSoon,
        overdue: counts.overdue,
        returned: counts.returned,
        awaitingCosign: counts.awaitingCosign,
        toCosign: counts.toCosign,
        planReviews: planReviews.length,
        riskAlerts: alerts.length,
      },
    });
    return dashboard;
  });
}

/** The navigation badge: the actor's own counts, no client data, so no audit row. */
export async function documentationCounts(ctx: Ctx): Promise<DocumentationCounts> {
  const now = ctx.clock();
  return inPractice(ctx, async (tx) => {
    const practice = await practiceOf(tx, ctx);
    const c = await docRepo.documentationCounts(tx, {
      practiceId: ctx.actor.practiceId,
      userId: ctx.actor.userId,
      now,
      reminderHours: practice.note_reminder_hours,
    });
    return {
      needsNote: c.needs_note,
      dueSoon: c.due_soon,
      overdue: c.overdue,
      returned: c.returned,
      toCosign: c.to_cosign,
      riskAlerts: await countOpenRiskAlertsFor(tx, ctx.actor.userId),
    };
  });
}

/** The notes waiting for the actor's co-signature (empty for anyone who supervises nobody). */
export async function cosignQueue(ctx: Ctx): Promise<CosignItem[]> {
  return inPractice(ctx, async (tx) => {
    const practice = await practiceOf(tx, ctx);
    const rows = await docRepo.cosignQueue(tx, {
      practiceId: ctx.actor.practiceId,
      cosignerId: ctx.actor.userId,
      limit: LIST_LIMIT,
    });
    await auditAs(tx, ctx, {
      action: 'documentation.cosign_queue',
      category: 'progress_note',
      details: { results: rows.length },
    });
    return rows.map((r) => cosignItem(practice, r));
  });
}

export interface ClinicianCompliance {
  clinicianId: string;
  clinicianName: string;
  sessions: number;
  signed: number;
  signedOnTime: number;
  overdue: number;
  shareOnTime: number | null;
  medianHoursToSign: number | null;
}

export interface ComplianceReport {
  from: string;
  to: string;
  clinicians: ClinicianCompliance[];
}

function dayNumber(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

/**
 * The instant a practice-local wall time occurs. Before 1900 no zone has rules worth the name
 * (and the zone arithmetic does not reach years below 100), so UTC stands in for those dates.
 */
export function practiceInstant(isoDate: string, time: string, timeZone: string): Date {
  if (isoDate < '1900-01-01')
    return new Date(Date.parse(`${isoDate}T${time.length === 5 ? `${time}:00` : time}Z`));
  return zonedWallTimeToUtc(`${isoDate}T${time}`, timeZone);
}

const ZONE_RULES_FROM = Date.parse('1900-01-01T00:00:00Z');

/** The practice-local date of an instant; the inverse of practiceInstant, UTC before 1900 alike. */
export function practiceDateOf(at: Date, timeZone: string): string {
  return at.getTime() < ZONE_RULES_FROM ? at.toISOString().slice(0, 10) : localDateOf(at, timeZone);
}

/** The instant a practice-local date begins. */
export function localDayStart(isoDate: string, timeZone: string): Date {
  return practiceInstant(isoDate, '00:00', timeZone);
}

/**
 * The instant a practice-local date ends: the next date's midnight, so a day of 23 or 25 hours
 * is whole; the last date a date field accepts ends a second after its 23:59:59.
 */
export function localDayEnd(isoDate: string, timeZone: string): Date {
  const next = new Date(Date.parse(`${isoDate}T00:00:00Z`) + DAY_MS);
  if (next.getUTCFullYear() > 9999)
    return new Date(practiceInstant(isoDate, '23:59:59', timeZone).getTime() + 1000);
  return localDayStart(next.toISOString().slice(0, 10), timeZone);
}

/**
 * Documentation timeliness per clinician for the sessions that started between two local dates
 * (inclusive): an owner sees every clinician, a supervisor their supervisees and themself.
 */
export async function complianceReport(ctx: Ctx, q: { from: string; to: string }): Promise<ComplianceReport> {
  const now = ctx.clock();
  const span = dayNumber(q.to) - dayNumber(q.from) + 1;
  if (span < 1)
    throw new Invalid('The period ends before it starts', [{ path: 'to', message: 'Before the start' }]);
  if (span > MAX_REPORT_DAYS)
    throw new Invalid(`Ask for at most ${MAX_REPORT_DAYS} days at a time`, [
      { path: 'to', message: 'Period too long' },
    ]);
  return inPractice(ctx, async (tx) => {
    const d = decidePracticeAction(ctx.actor, 'documentation.compliance');
    if (!d.allowed)
      throw new AccessDenied(d.reason, { action: 'documentation.compliance', category: 'session' });
    const practice = await practiceOf(tx, ctx);
    const scope = hasAnyRole(ctx.actor.roles, ['owner'])
      ? null
      : [ctx.actor.userId, ...(await supervisees(tx, ctx.actor.userId))];
    const rows = await docRepo.complianceRows(tx, {
      practiceId: ctx.actor.practiceId,
      from: localDayStart(q.from, practice.time_zone),
      to: localDayEnd(q.to, practice.time_zone),
      clinicianIds: scope,
    });
    const summaries = new Map(
      complianceSummary(
        rows.map((r) => ({
          clinicianId: r.clinician_id,
          sessionEnd: r.session_end,
          dueAt: r.due_at,
          signedAt: r.signed_at,
        })),
        now,
      ).map((s) => [s.clinicianId, s]),
    );
    const clinicians = await docRepo.complianceClinicians(tx, { scope, withRows: [...summaries.keys()] });
    const report: ComplianceReport = {
      from: q.from,
      to: q.to,
      clinicians: clinicians.map((c) => {
        const s = summaries.get(c.id);
        return {
          clinicianId: c.id,
          clinicianName: c.full_name,
          sessions: s?.sessions ?? 0,
          signed: s?.signed ?? 0,
          signedOnTime: s?.signedOnTime ?? 0,
          overdue: s?.overdue ?? 0,
          shareOnTime: s?.shareOnTime ?? null,
          medianHoursToSign: s?.medianHoursToSign ?? null,
        };
      }),
    };
    await auditAs(tx, ctx, {
      action: 'documentation.compliance',
      category: 'session',
      details: { from: q.from, to: q.to, clinicians: report.clinicians.length, sessions: rows.length },
    });
    return report;
  });
}
