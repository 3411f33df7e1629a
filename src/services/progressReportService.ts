import { getClient } from '../db/clientsRepo.js';
import { getUser } from '../db/usersRepo.js';
import { diagnosesOfClient, type DiagnosisRow } from '../db/diagnosesRepo.js';
import { getPlanOfClient, currentAndDraft } from '../db/treatmentPlansRepo.js';
import { listAdministrations, type MeasureSeriesRow } from '../db/measuresRepo.js';
import { annotationsOfClient } from '../db/annotationsRepo.js';
import { attendanceForReport, sessionsForReport } from '../db/progressReportRepo.js';
import { signedRatingsOfClient, type RatedGoalRow } from '../db/goalProgressRepo.js';
import type { Tx } from '../db/database.js';
import { decryptField } from '../security/fieldEncryption.js';
import {
  renderProgressReportPdf,
  type ProgressReportModel,
  type ReportGoal,
  type ReportMeasure,
} from '../documents/progressReportPdf.js';
import { NotFound } from '../domain/errors.js';
import { localDateOf, utcToZonedParts, zonedWallTimeToUtc } from '../domain/recurrence.js';
import { INSTRUMENTS, INSTRUMENT_IDS, type InstrumentId } from '../domain/measureInstruments.js';
import {
  GOAL_INSTRUMENT_LABELS,
  GOAL_STATUS_LABELS,
  type GoalStatus,
  type PlanContent,
  type PlanGoal,
} from '../domain/treatmentPlan.js';
import { measureGoalProgress } from '../domain/planReview.js';
import { ratingLabel } from '../domain/goalProgress.js';
import {
  addDays,
  attendanceCounts,
  sessionsNotListedNotice,
  reportPeriod,
  ATTENDANCE_KIND_LABELS,
  type AttendanceKind,
  type ReportPeriod,
} from '../domain/progressReport.js';
import { SERVICE_TYPE_LABELS } from '../domain/sessionLabels.js';
import type { ServiceType } from '../domain/cptTimeRule.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { openContent } from './treatmentPlanService.js';
import { clientDataKey } from './clientKeys.js';
import { practiceOf } from './noteService.js';
import { clientBlock, printedTime } from './notePrintService.js';
import { documentedMinutes } from './sessionService.js';

// A client's progress over a period as a PDF: the signed plan and its goals, outcome measures over
// time and attendance. It holds no note narrative and never a psychotherapy note. Generating it is
// audited as a print of the treatment plan.

const ACTION = 'progress_report.print';
const CATEGORY = 'treatment_plan';

export interface ProgressReportQuery {
  /** Practice-local dates, inclusive; validated here so a bad one is a 422 naming the field. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface ProgressReportPrint {
  /** No client name: file names travel into download folders, mail and logs. */
  filename: string;
  stream: NodeJS.ReadableStream;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function diagnosesBlock(rows: DiagnosisRow[]): ProgressReportModel['diagnoses'] {
  return rows
    .filter((d) => d.status === 'active')
    .sort((a, b) => (a.rank === b.rank ? 0 : a.rank === 'primary' ? -1 : 1))
    .map((d) => ({
      code: d.code,
      description: d.description,
      rank: d.rank === 'primary' ? 'Primary' : 'Secondary',
      onsetDate: d.onset_date,
    }));
}

type Scores = Map<InstrumentId, { date: string; total: number; band: string }[]>;

/** Every score of each instrument up to the end of the period, oldest first, with its local date. */
function scoresByInstrument(rows: MeasureSeriesRow[], timeZone: string, to: string): Scores {
  const out: Scores = new Map();
  for (const r of rows) {
    const id = r.instrument as InstrumentId;
    const def = INSTRUMENTS[id];
    const date = localDateOf(r.administered_at, timeZone);
    if (date > to) continue;
    const band = def.bands.find((b) => b.key === r.band)?.label ?? r.band;
    out.set(id, [...(out.get(id) ?? []), { date, total: r.total, band }]);
  }
  return out;
}

/** "Baseline 18, latest 9 on 2026-11-02: target met", from every score up to the end of the period. */
function progressText(goal: PlanGoal, scores: Scores): string | null {
  if (!goal.measure) return null;
  const name = GOAL_INSTRUMENT_LABELS[goal.measure.instrument];
  const p = measureGoalProgress(goal, scores.get(goal.measure.instrument) ?? []);
  if (!p || p.baseline === null || p.latest === null) return `No ${name} score yet`;
  const where = p.met
    ? 'target met'
    : `${Math.round((p.fractionToTarget ?? 0) * 100)}% of the way to the target`;
  return `Baseline ${p.baseline}, latest ${p.latest} on ${p.latestDate ?? ''}: ${where}`;
}

function goalsBlock(content: PlanContent, scores: Scores): ReportGoal[] {
  const problemNo = new Map(content.problems.map((p, i) => [p.id, i + 1]));
  return content.goals.map((g, i) => ({
    number: i + 1,
    statement: g.statement,
    status: GOAL_STATUS_LABELS[g.status],
    targetDate: g.targetDate,
    measuredBy: g.measuredBy,
    baseline: g.baseline,
    target: g.target,
    problems: g.problemIds
      .map((id) => problemNo.get(id))
      .filter((n) => n !== undefined)
      .join(', '),
    measure: g.measure ? `${GOAL_INSTRUMENT_LABELS[g.measure.instrument]} below ${g.measure.below}` : null,
    progress: progressText(g, scores),
    objectives: g.objectives.map((o, j) => ({
      number: `${i + 1}.${j + 1}`,
      statement: o.statement,
      status: GOAL_STATUS_LABELS[o.status],
      targetDate: o.targetDate,
      measure: o.measure,
    })),
  }));
}

async function planBlock(
  tx: Tx,
  clientId: string,
  key: Buffer,
  diagnoses: DiagnosisRow[],
  scores: Scores,
  timeZone: string,
): Promise<{ block: ProgressReportModel['plan']; content: PlanContent | null }> {
  const plan = await getPlanOfClient(tx, clientId);
  const current = plan ? (await currentAndDraft(tx, plan.id)).current : undefined;
  if (!current || !current.signed_at) return { block: null, content: null };
  const content = openContent(key, current);
  const codes = new Map(diagnoses.map((d) => [d.id, d.code]));
  const signer = [current.signer_name, current.signer_credentials].filter((s) => s).join(', ');
  return {
    content,
    block: {
      versionNo: current.version_no,
      signed: `signed ${localDateOf(current.signed_at, timeZone)} by ${signer}`,
      reviewDueDate: current.review_due_date,
      problems: content.problems.map((p, i) => ({
        number: i + 1,
        statement: p.statement,
        diagnoses: p.diagnosisIds
          .map((id) => codes.get(id))
          .filter((c) => c !== undefined)
          .join(', '),
      })),
      goals: goalsBlock(content, scores),
    },
  };
}

/**
 * Each goal's ratings from signed progress and plan-review notes in the period, goals in plan order.
 * The rating and any status set, never the comment: the report carries no note narrative.
 */
function ratingsBlock(
  rows: RatedGoalRow[],
  period: ReportPeriod,
  content: PlanContent | null,
): NonNullable<ProgressReportModel['goalRatings']> {
  const inPeriod = rows.filter((r) => r.date_of_service >= period.from && r.date_of_service <= period.to);
  const goals = content?.goals ?? [];
  const order = (goalId: string) => {
    const i = goals.findIndex((g) => g.id === goalId);
    return i < 0 ? goals.length : i;
  };
  const goalIds = [...new Set(inPeriod.map((r) => r.goal_id))].sort((a, b) => order(a) - order(b));
  return goalIds.map((goalId) => {
    const i = goals.findIndex((g) => g.id === goalId);
    const goal = goals[i];
    return {
      goal: goal ? `Goal ${i + 1}: ${goal.statement}` : 'A goal no longer on the current plan',
      ratings: inPeriod
        .filter((r) => r.goal_id === goalId && (r.rating !== null || r.new_status !== null))
        .map((r) => {
          const rated = r.rating === null ? 'Not rated' : ratingLabel(r.scale, r.rating);
          const status = r.new_status ? GOAL_STATUS_LABELS[r.new_status as GoalStatus] : undefined;
          return { date: r.date_of_service, rating: status ? `${rated}; status set to ${status}` : rated };
        }),
    };
  });
}

function measuresBlock(scores: Scores, period: ReportPeriod, content: PlanContent | null): ReportMeasure[] {
  return INSTRUMENT_IDS.flatMap((id) => {
    const points = (scores.get(id) ?? []).filter((s) => s.date >= period.from);
    if (points.length === 0) return [];
    const def = INSTRUMENTS[id];
    const targets = (content?.goals ?? []).flatMap((g, i) =>
      g.measure?.instrument === id && (g.status === 'active' || g.status === 'proposed')
        ? [{ below: g.measure.below, label: `Goal ${i + 1}: below ${g.measure.below}` }]
        : [],
    );
    return [
      {
        name: def.shortName,
        maxTotal: def.maxTotal,
        bands: def.bands.map((b) => ({ label: b.label, min: b.min, max: b.max })),
        bandNote: def.bandNote,
        points,
        targets,
      },
    ];
  });
}

/**
 * The client's progress report for a period, as a PDF. Access is the note-reading rule; a refusal is
 * audited under treatment plans, and the print itself is audited before the file is made.
 */
export async function printProgressReport(
  ctx: Ctx,
  clientId: string,
  query: ProgressReportQuery,
): Promise<ProgressReportPrint> {
  const now = ctx.clock();
  const model = await inPractice(ctx, async (tx) => {
    const practice = await practiceOf(tx, ctx);
    const tz = practice.time_zone;
    // Validate, then perform: a bad period is refused before anything is read.
    const period = reportPeriod(query, localDateOf(now, tz));
    // The note-reading rule, with a refusal filed as a refused report print.
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', { action: ACTION, category: CATEGORY });
    const client = await getClient(tx, clientId);
    if (!client) throw new NotFound('Client');
    const key = await clientDataKey(tx, ctx, clientId);
    const start = zonedWallTimeToUtc(`${period.from}T00:00`, tz);
    const end = zonedWallTimeToUtc(`${addDays(period.to, 1)}T00:00`, tz);

    const diagnoses = await diagnosesOfClient(tx, clientId);
    const scores = scoresByInstrument(await listAdministrations(tx, clientId), tz, period.to);
    const { block: plan, content } = await planBlock(tx, clientId, key, diagnoses, scores, tz);
    const annotations = (await annotationsOfClient(tx, clientId))
      .filter((a) => a.date >= period.from && a.date <= period.to)
      .map((a, i) => ({
        number: i + 1,
        date: a.date,
        text: decryptField(key, 'chart_annotations', a.id, 'text', a.text_enc),
      }));
    const span = { practiceId: practice.id, clientId, from: start, to: end };
    const sessions = await sessionsForReport(tx, span);
    const counts = attendanceCounts(
      (await attendanceForReport(tx, span)).map((g) => ({
        attendance: g.attendance as AttendanceKind,
        n: g.n,
      })),
    );
    const clinician = client.primary_clinician_id
      ? await getUser(tx, client.primary_clinician_id)
      : undefined;
    const printer = await getUser(tx, ctx.actor.userId);
    const measures = measuresBlock(scores, period, content);

    await auditAs(tx, ctx, {
      action: ACTION,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: {
        from: period.from,
        to: period.to,
        planVersion: plan?.versionNo ?? null,
        measures: measures.reduce((n, m) => n + m.points.length, 0),
        sessions: counts.total,
      },
    });
    const report: ProgressReportModel = {
      practice: { name: practice.name },
      client: clientBlock(client, practice),
      clinician: clinician ? [clinician.full_name, clinician.credentials].filter((s) => s).join(', ') : null,
      period,
      generated: { at: printedTime(now, tz), by: printer?.full_name ?? ctx.actorLabel },
      diagnoses: diagnosesBlock(diagnoses),
      plan,
      goalRatings: ratingsBlock(await signedRatingsOfClient(tx, clientId), period, content),
      measures,
      annotations,
      attendance: {
        counts: [
          { label: 'Attended', count: counts.attended },
          { label: 'No-show', count: counts.noShow },
          { label: 'Late cancel', count: counts.lateCancel },
          { label: 'Cancelled', count: counts.cancelled },
          ...(counts.notRecorded > 0 ? [{ label: 'Not recorded', count: counts.notRecorded }] : []),
        ],
        notListed: sessionsNotListedNotice(counts.total, sessions.length),
        sessions: sessions.map((s) => {
          const local = utcToZonedParts(s.starts_at, tz);
          return {
            date: localDateOf(s.starts_at, tz),
            time: `${pad2(local.hour)}:${pad2(local.minute)}`,
            service: SERVICE_TYPE_LABELS[s.service_type as ServiceType] ?? s.service_type,
            clinician: s.clinician_name,
            attendance: ATTENDANCE_KIND_LABELS[s.attendance as AttendanceKind] ?? s.attendance,
            minutes: s.attendance === 'attended' ? documentedMinutes(s.actual_start, s.actual_end) : null,
          };
        }),
      },
    };
    return report;
  });
  return {
    filename: `progress-report-${model.period.from}-to-${model.period.to}.pdf`,
    stream: renderProgressReportPdf(model),
  };
}
