import { Invalid } from './errors.js';

// Rules of the progress report: which period may be asked for, and how attendance is counted.

/** The longest period one report covers: two calendar years. */
export const REPORT_MAX_YEARS = 2;
/** The period the report screen offers first. */
export const REPORT_DEFAULT_DAYS = 90;

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: string): Date | null {
  const m = DATE.exec(value);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // Date.UTC rolls 2026-02-30 over into March; a real date reads back the same.
  return d.toISOString().slice(0, 10) === value && value >= '0001-01-01' ? d : null;
}

/** The calendar date `days` after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  const d = parseDate(date);
  if (!d) throw new RangeError(`Not a date: ${date}`);
  return new Date(d.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** The same day `years` earlier (29 February becomes 28 February). */
function yearsBefore(date: string, years: number): string {
  const y = String(Number(date.slice(0, 4)) - years).padStart(4, '0');
  const candidate = `${y}${date.slice(4)}`;
  return parseDate(candidate) ? candidate : `${y}-02-28`;
}

export interface ReportPeriod {
  from: string;
  to: string;
}

/**
 * The period a report covers, from practice-local dates (both inclusive). Missing dates default to the
 * REPORT_DEFAULT_DAYS days ending today; a date that is not a real date, a date after today, a start after
 * the end or a period longer than REPORT_MAX_YEARS is refused with the field to fix.
 */
export function reportPeriod(
  input: { from?: string | undefined; to?: string | undefined },
  today: string,
): ReportPeriod {
  const errors: { path: string; message: string }[] = [];
  const to = input.to ?? today;
  if (!parseDate(to)) errors.push({ path: 'to', message: 'Use a real date in the form YYYY-MM-DD' });
  const from = input.from ?? (parseDate(to) ? addDays(to, 1 - REPORT_DEFAULT_DAYS) : today);
  if (!parseDate(from)) errors.push({ path: 'from', message: 'Use a real date in the form YYYY-MM-DD' });
  // A progress report cannot cover the future (and a far-future date would overflow the calendar).
  if (parseDate(to) && to > today)
    errors.push({ path: 'to', message: `Choose a date no later than today (${today})` });
  if (input.from !== undefined && parseDate(from) && from > today)
    errors.push({ path: 'from', message: `Choose a date no later than today (${today})` });
  if (errors.length === 0) {
    if (from > to) errors.push({ path: 'to', message: 'The end date is before the start date' });
    else if (from < yearsBefore(to, REPORT_MAX_YEARS))
      errors.push({ path: 'from', message: `A report covers at most ${REPORT_MAX_YEARS} years` });
  }
  if (errors.length > 0) throw new Invalid('Choose a valid report period', errors);
  return { from, to };
}

/** Attendance as recorded on a client's session row. */
export type AttendanceKind =
  'scheduled' | 'attended' | 'no_show' | 'late_cancel' | 'cancelled_client' | 'cancelled_clinician';

export interface AttendanceCounts {
  attended: number;
  noShow: number;
  lateCancel: number;
  /** Cancelled in good time, by the client or the clinician. */
  cancelled: number;
  /** Booked sessions whose attendance is not recorded yet. */
  notRecorded: number;
  total: number;
}

/** The line under a session list cut at `listed` rows out of `total`; null when none were cut. */
export function sessionsNotListedNotice(total: number, listed: number): string | null {
  const more = total - listed;
  if (more <= 0) return null;
  return more === 1
    ? '1 more session in this period is not listed.'
    : `${more} more sessions in this period are not listed.`;
}

/**
 * Counts of sessions by how they went: cancellations by either side count together. A row may stand for
 * `n` sessions (a grouped count); without `n` it is one session.
 */
export function attendanceCounts(
  rows: readonly { attendance: AttendanceKind; n?: number }[],
): AttendanceCounts {
  const c: AttendanceCounts = {
    attended: 0,
    noShow: 0,
    lateCancel: 0,
    cancelled: 0,
    notRecorded: 0,
    total: 0,
  };
  for (const r of rows) {
    const n = r.n ?? 1;
    c.total += n;
    switch (r.attendance) {
      case 'attended':
        c.attended += n;
        break;
      case 'no_show':
        c.noShow += n;
        break;
      case 'late_cancel':
        c.lateCancel += n;
        break;
      case 'cancelled_client':
      case 'cancelled_clinician':
        c.cancelled += n;
        break;
      case 'scheduled':
        c.notRecorded += n;
        break;
    }
  }
  return c;
}

export const ATTENDANCE_KIND_LABELS: Record<AttendanceKind, string> = {
  scheduled: 'Not recorded',
  attended: 'Attended',
  no_show: 'No-show',
  late_cancel: 'Late cancel',
  cancelled_client: 'Cancelled by client',
  cancelled_clinician: 'Cancelled by clinician',
};
