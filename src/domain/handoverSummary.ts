import { INSTRUMENTS, INSTRUMENT_IDS, type InstrumentId } from './measureInstruments.js';
import { GOAL_STATUS_LABELS, type GoalStatus, type ReviewState } from './treatmentPlan.js';
import { ratingLabel, type RatingScale } from './goalProgress.js';
import { reviewState } from './planReview.js';
import { ATTENDANCE_KIND_LABELS, type AttendanceKind } from './progressReport.js';
import { SERVICE_TYPE_LABELS } from './sessionLabels.js';
import type { ServiceType } from './cptTimeRule.js';
import { localDateOf, utcToZonedParts } from './recurrence.js';

// The hand-over summary (issue 5 §7): what a clinician taking over a client reads first. It is
// assembled here from plain facts the service loads, taken once at hand-over time and stored
// encrypted as a snapshot, so it reads the same later. It never holds note narrative and never
// anything from a psychotherapy note (not even a count: see docs/security.md).

/** How many past sessions "recent progress" lists, newest first. */
export const RECENT_SESSIONS = 5;
/** How many future sessions "open items" lists, soonest first. */
export const UPCOMING_SESSIONS = 5;
/** How many of the newest live chart annotations are carried. */
export const RECENT_ANNOTATIONS = 5;
/** The longest hand-over note the outgoing clinician may write. */
export const HANDOVER_NOTE_MAX = 2000;
/** Summary format: bump when the stored shape changes; old snapshots keep their own. */
export const SUMMARY_FORMAT = 1;

const NEEDS_NOTE = new Set(['attended', 'no_show', 'late_cancel']);

// ---------------------------------------------------------------- facts (as loaded)

export interface DiagnosisFact {
  code: string;
  description: string;
  rank: 'primary' | 'secondary';
  status: string;
  onsetDate: string | null;
}
export interface PlanFact {
  versionNo: number;
  signedAt: Date | null;
  signedBy: string;
  reviewDueDate: string | null;
  goals: { id: string; statement: string; status: GoalStatus }[];
}
export interface RatingFact {
  goalId: string;
  date: string;
  scale: RatingScale;
  rating: number | null;
  newStatus: string | null;
}
export interface SessionFact {
  startsAt: Date;
  serviceType: string;
  attendance: string;
  clinician: string;
  noteState: string;
}
export interface ScoreFact {
  instrument: string;
  administeredAt: Date;
  total: number;
  band: string;
}
export interface NeedsNoteFact {
  startsAt: Date;
  dueAt: Date | null;
  noteState: string;
  clinician: string;
}
export interface UnfinishedNoteFact {
  date: string;
  status: 'draft' | 'returned' | 'awaiting_cosign';
  author: string;
  cosigner: string | null;
  hasSession: boolean;
}
export interface HandoverFacts {
  now: Date;
  timeZone: string;
  diagnoses: DiagnosisFact[];
  plan: PlanFact | null;
  draftPlanPending: boolean;
  ratings: RatingFact[];
  /** Newest first; may hold more than RECENT_SESSIONS and future rows, which are dropped. */
  sessions: SessionFact[];
  /** Soonest first; past rows are dropped. */
  upcoming: SessionFact[];
  scores: ScoreFact[];
  openAlerts: { raisedAt: Date; itemValue: number; instrumentTotal: number }[];
  annotations: { date: string; text: string }[];
  needsNote: NeedsNoteFact[];
  unfinishedNotes: UnfinishedNoteFact[];
  /** Open requests for a copy or an amendment of the record (practice-local dates). */
  recordRequests: { kind: 'copy' | 'amendment'; receivedOn: string; dueOn: string }[];
}

// ---------------------------------------------------------------- the summary (as stored)

export interface LatestMeasure {
  instrument: InstrumentId;
  name: string;
  date: string;
  total: number;
  maxTotal: number;
  band: string;
  previous: { date: string; total: number } | null;
  /** latest − previous; null with a single score. */
  change: number | null;
  /** Every instrument scored here is "lower is fewer symptoms". */
  direction: 'fewer_symptoms' | 'more_symptoms' | 'unchanged' | null;
}

export interface SessionLine {
  date: string;
  time: string;
  service: string;
  clinician: string;
  attendance: string;
  note: string;
}

export interface HandoverSummary {
  format: number;
  takenAt: string;
  today: string;
  diagnoses: { code: string; description: string; rank: 'Primary' | 'Secondary'; onsetDate: string | null }[];
  plan: {
    versionNo: number;
    signed: string;
    reviewDueDate: string | null;
    reviewState: ReviewState | null;
    goals: {
      number: number;
      statement: string;
      status: string;
      latestRating: { date: string; rating: string } | null;
    }[];
  } | null;
  draftPlanPending: boolean;
  recentSessions: SessionLine[];
  measures: LatestMeasure[];
  risk: {
    openAlerts: { raisedOn: string; description: string }[];
    annotations: { date: string; text: string }[];
  };
  openItems: {
    notesToWrite: {
      date: string;
      clinician: string;
      state: string;
      dueOn: string | null;
      overdue: boolean;
    }[];
    unsignedNotes: { date: string; status: string; author: string }[];
    awaitingCosign: { date: string; author: string; cosigner: string | null }[];
    planReview: { dueDate: string; state: ReviewState } | null;
    upcomingSessions: Omit<SessionLine, 'attendance' | 'note'>[];
    recordRequests: { kind: string; receivedOn: string; dueOn: string; overdue: boolean }[];
  };
}

// ---------------------------------------------------------------- rules

const NOTE_STATE_LABELS: Record<string, string> = {
  none: 'No note yet',
  draft: 'Draft',
  returned: 'Returned for changes',
  awaiting_cosign: 'Awaiting co-signature',
  signed: 'Signed',
};
export const noteStateLabel = (s: string): string => NOTE_STATE_LABELS[s] ?? s;

const pad2 = (n: number) => String(n).padStart(2, '0');
function timeOf(at: Date, tz: string): string {
  const p = utcToZonedParts(at, tz);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}
function serviceLabel(t: string): string {
  return SERVICE_TYPE_LABELS[t as ServiceType] ?? t;
}

/** Latest score of each instrument with its change from the one before (lower is fewer symptoms). */
export function latestMeasures(scores: ScoreFact[], timeZone: string): LatestMeasure[] {
  return INSTRUMENT_IDS.flatMap((id) => {
    const series = scores
      .filter((s) => s.instrument === id)
      .sort((a, b) => a.administeredAt.getTime() - b.administeredAt.getTime());
    const last = series.at(-1);
    if (!last) return [];
    const prev = series.length > 1 ? series.at(-2) : undefined;
    const def = INSTRUMENTS[id];
    const change = prev ? last.total - prev.total : null;
    return [
      {
        instrument: id,
        name: def.shortName,
        date: localDateOf(last.administeredAt, timeZone),
        total: last.total,
        maxTotal: def.maxTotal,
        band: def.bands.find((b) => b.key === last.band)?.label ?? last.band,
        previous: prev ? { date: localDateOf(prev.administeredAt, timeZone), total: prev.total } : null,
        change,
        direction:
          change === null ? null : change < 0 ? 'fewer_symptoms' : change > 0 ? 'more_symptoms' : 'unchanged',
      },
    ];
  });
}

/** "down 4 (fewer symptoms)", "up 2 (more symptoms)", "no change", or "first score". */
export function changeText(m: Pick<LatestMeasure, 'change'>): string {
  if (m.change === null) return 'First score';
  if (m.change === 0) return 'No change';
  return m.change < 0 ? `Down ${-m.change} (fewer symptoms)` : `Up ${m.change} (more symptoms)`;
}

/** Each goal's newest rating (by date of service, later rows win ties); unrated entries are skipped. */
export function latestRatingByGoal(ratings: RatingFact[]): Map<string, { date: string; rating: string }> {
  const out = new Map<string, { date: string; rating: string }>();
  for (const r of [...ratings].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    if (r.rating === null && r.newStatus === null) continue;
    const rated = ratingLabel(r.scale, r.rating);
    const status = r.newStatus ? GOAL_STATUS_LABELS[r.newStatus as GoalStatus] : undefined;
    out.set(r.goalId, { date: r.date, rating: status ? `${rated}; status set to ${status}` : rated });
  }
  return out;
}

/**
 * Open documentation: sessions that need a note and have no signed one (overdue once past due),
 * notes not final without a session (drafts, returned) and notes waiting for a co-signature.
 */
export function openNoteItems(
  needsNote: NeedsNoteFact[],
  unfinished: UnfinishedNoteFact[],
  now: Date,
  timeZone: string,
): Pick<HandoverSummary['openItems'], 'notesToWrite' | 'unsignedNotes' | 'awaitingCosign'> {
  return {
    notesToWrite: [...needsNote]
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
      .map((n) => ({
        date: localDateOf(n.startsAt, timeZone),
        clinician: n.clinician,
        state: noteStateLabel(n.noteState),
        dueOn: n.dueAt ? localDateOf(n.dueAt, timeZone) : null,
        overdue: n.dueAt !== null && n.dueAt.getTime() < now.getTime(),
      })),
    unsignedNotes: unfinished
      .filter((n) => !n.hasSession && n.status !== 'awaiting_cosign')
      .map((n) => ({ date: n.date, status: noteStateLabel(n.status), author: n.author })),
    awaitingCosign: unfinished
      .filter((n) => n.status === 'awaiting_cosign')
      .map((n) => ({ date: n.date, author: n.author, cosigner: n.cosigner })),
  };
}

function sessionLine(s: SessionFact, tz: string): SessionLine {
  return {
    date: localDateOf(s.startsAt, tz),
    time: timeOf(s.startsAt, tz),
    service: serviceLabel(s.serviceType),
    clinician: s.clinician,
    attendance: ATTENDANCE_KIND_LABELS[s.attendance as AttendanceKind] ?? s.attendance,
    note: NEEDS_NOTE.has(s.attendance) ? noteStateLabel(s.noteState) : 'Not needed',
  };
}

/** The whole summary from the loaded facts. Pure: the same facts give the same summary. */
export function assembleHandoverSummary(f: HandoverFacts): HandoverSummary {
  const tz = f.timeZone;
  const today = localDateOf(f.now, tz);
  const ratings = latestRatingByGoal(f.ratings);
  const planReview =
    f.plan?.reviewDueDate != null
      ? { dueDate: f.plan.reviewDueDate, state: reviewState(f.plan.reviewDueDate, today) }
      : null;
  return {
    format: SUMMARY_FORMAT,
    takenAt: f.now.toISOString(),
    today,
    diagnoses: f.diagnoses
      .filter((d) => d.status === 'active')
      .sort((a, b) => (a.rank === b.rank ? 0 : a.rank === 'primary' ? -1 : 1))
      .map((d) => ({
        code: d.code,
        description: d.description,
        rank: d.rank === 'primary' ? 'Primary' : 'Secondary',
        onsetDate: d.onsetDate,
      })),
    plan: f.plan
      ? {
          versionNo: f.plan.versionNo,
          signed: f.plan.signedAt
            ? `Signed ${localDateOf(f.plan.signedAt, tz)} by ${f.plan.signedBy}`
            : 'Not signed',
          reviewDueDate: f.plan.reviewDueDate,
          reviewState: planReview?.state ?? null,
          goals: f.plan.goals.map((g, i) => ({
            number: i + 1,
            statement: g.statement,
            status: GOAL_STATUS_LABELS[g.status],
            latestRating: ratings.get(g.id) ?? null,
          })),
        }
      : null,
    draftPlanPending: f.draftPlanPending,
    recentSessions: f.sessions
      .filter((s) => s.startsAt.getTime() <= f.now.getTime())
      .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime())
      .slice(0, RECENT_SESSIONS)
      .map((s) => sessionLine(s, tz)),
    measures: latestMeasures(f.scores, tz),
    risk: {
      openAlerts: f.openAlerts.map((a) => ({
        raisedOn: localDateOf(a.raisedAt, tz),
        description: `PHQ-9 item 9 (thoughts of death or self-harm) answered ${a.itemValue} of 3; total ${a.instrumentTotal}. Not yet acknowledged.`,
      })),
      annotations: f.annotations.slice(-RECENT_ANNOTATIONS).reverse(),
    },
    openItems: {
      ...openNoteItems(f.needsNote, f.unfinishedNotes, f.now, tz),
      planReview: planReview && planReview.state !== 'current' ? planReview : null,
      upcomingSessions: f.upcoming
        .filter((s) => s.startsAt.getTime() > f.now.getTime())
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
        .slice(0, UPCOMING_SESSIONS)
        .map((s) => ({
          date: localDateOf(s.startsAt, tz),
          time: timeOf(s.startsAt, tz),
          service: serviceLabel(s.serviceType),
          clinician: s.clinician,
        })),
      recordRequests: f.recordRequests.map((r) => ({
        kind: r.kind === 'copy' ? 'Copy of the record' : 'Amendment of the record',
        receivedOn: r.receivedOn,
        dueOn: r.dueOn,
        overdue: r.dueOn < today,
      })),
    },
  };
}
