export interface DocumentationPolicy {
  noteDueHours: number;
  reminderHoursBefore: number;
}

export const DEFAULT_POLICY: DocumentationPolicy = { noteDueHours: 72, reminderHoursBefore: 24 };
export const NOTE_DUE_PRESETS = [24, 48, 72] as const;
export const MIN_NOTE_DUE_HOURS = 1;
// Two weeks: a longer window stops being a documentation deadline.
export const MAX_NOTE_DUE_HOURS = 336;

const HOUR_MS = 3_600_000;

/** Why a documentation policy is refused; empty when acceptable. */
export function validatePolicy(p: DocumentationPolicy): string[] {
  const problems: string[] = [];
  const dueValid =
    Number.isInteger(p.noteDueHours) &&
    p.noteDueHours >= MIN_NOTE_DUE_HOURS &&
    p.noteDueHours <= MAX_NOTE_DUE_HOURS;
  if (!dueValid) {
    problems.push(
      `Notes must be due a whole number of hours from ${MIN_NOTE_DUE_HOURS} to ${MAX_NOTE_DUE_HOURS} after the session.`,
    );
  }
  if (!Number.isInteger(p.reminderHoursBefore) || p.reminderHoursBefore < 0) {
    problems.push('The reminder must be a whole number of hours, 0 or more, before the note is due.');
  } else if (dueValid && p.reminderHoursBefore > p.noteDueHours) {
    problems.push('The reminder cannot come before the session ends: make it at most the hours a note has.');
  }
  return problems;
}

/** When a session's note is due: elapsed hours after the session ends, whatever the clocks do. */
export function noteDueAt(sessionEnd: Date, policy: DocumentationPolicy): Date {
  return new Date(sessionEnd.getTime() + policy.noteDueHours * HOUR_MS);
}

export type DeadlineState = 'not_due' | 'due_soon' | 'overdue';

/** An unsigned note's state: due soon from `reminderHoursBefore` before the due time, overdue only after it. */
export function deadlineState(dueAt: Date, now: Date, policy: DocumentationPolicy): DeadlineState {
  if (now.getTime() > dueAt.getTime()) return 'overdue';
  if (now.getTime() >= dueAt.getTime() - policy.reminderHoursBefore * HOUR_MS) return 'due_soon';
  return 'not_due';
}

/** Whether a note was signed after it was due; signing exactly at the due time is on time. */
export function isLateEntry(signedAt: Date, dueAt: Date): boolean {
  return signedAt.getTime() > dueAt.getTime();
}

/** A compact age such as '45 min', '3 h' or '2 d 4 h', rounded down; '0 min' if `from` is in the future. */
export function ageLabel(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

export interface ComplianceRow {
  clinicianId: string;
  sessionEnd: Date;
  dueAt: Date;
  signedAt: Date | null;
}

export interface ComplianceSummary {
  clinicianId: string;
  sessions: number;
  signed: number;
  signedOnTime: number;
  overdue: number;
  shareOnTime: number | null;
  medianHoursToSign: number | null;
}

/**
 * Per-clinician documentation timeliness, in order of first appearance. `sessions` counts every
 * row; `signed` those with a signature; `signedOnTime` those signed at or before the due time;
 * `overdue` those unsigned with the due time passed. `shareOnTime` is signedOnTime divided by the
 * sessions that can be judged (signed, or unsigned and past due), so notes still within their
 * window count neither way; it is null when none can be judged. `medianHoursToSign` is the median
 * of (signedAt − sessionEnd) in hours over signed rows, unrounded, null when none is signed.
 */
export function complianceSummary(rows: readonly ComplianceRow[], now: Date): ComplianceSummary[] {
  const byClinician = new Map<string, ComplianceRow[]>();
  for (const row of rows) {
    const list = byClinician.get(row.clinicianId);
    if (list) list.push(row);
    else byClinician.set(row.clinicianId, [row]);
  }
  return [...byClinician].map(([clinicianId, list]) => {
    let signed = 0;
    let signedOnTime = 0;
    let overdue = 0;
    const hoursToSign: number[] = [];
    for (const row of list) {
      if (row.signedAt) {
        signed++;
        if (!isLateEntry(row.signedAt, row.dueAt)) signedOnTime++;
        hoursToSign.push((row.signedAt.getTime() - row.sessionEnd.getTime()) / HOUR_MS);
      } else if (now.getTime() > row.dueAt.getTime()) {
        overdue++;
      }
    }
    const judged = signed + overdue;
    return {
      clinicianId,
      sessions: list.length,
      signed,
      signedOnTime,
      overdue,
      shareOnTime: judged === 0 ? null : signedOnTime / judged,
      medianHoursToSign: median(hoursToSign),
    };
  });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}
