export type Recurrence =
  | { kind: 'none' }
  | { kind: 'weekly' | 'every_other_week'; count?: number; until?: string /* YYYY-MM-DD local */ };

/** A recurrence that cannot be expanded as asked; the message is fit to show to the user. */
export class RecurrenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecurrenceError';
  }
}

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export const DEFAULT_MAX_OCCURRENCES = 52;
export const MAX_OCCURRENCES_CAP = 104;

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

// Building a formatter is slow and a recurrence converts many instants in one zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields an instant shows in a time zone (seconds precision). */
export function utcToZonedParts(date: Date, timeZone: string): ZonedParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(date)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    // Some ICU versions print midnight as 24 even with h23.
    hour: (parts.hour ?? NaN) % 24,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

/** The practice-local date (YYYY-MM-DD) of an instant: a session's date of service. */
export function localDateOf(date: Date, timeZone: string): string {
  const p = utcToZonedParts(date, timeZone);
  return `${String(p.year).padStart(4, '0')}-${pad2(p.month)}-${pad2(p.day)}`;
}

/**
 * The instant at which a zone's clocks show `localIso` ('YYYY-MM-DDTHH:mm[:ss]'). A time that
 * occurs twice (autumn fall-back) resolves to the first; a time skipped by a spring-forward gap
 * resolves to the same clock time on the pre-gap offset, which reads as one hour later (02:30 in
 * New York on the March change becomes 03:30 EDT) so the session still exists on that day.
 */
export function zonedWallTimeToUtc(localIso: string, timeZone: string): Date {
  const fields = parseLocalDateTime(localIso);
  if (!fields) throw new RangeError(`"${localIso}" is not a real local date and time (YYYY-MM-DDTHH:mm).`);
  const { year, month, day, hour, minute, second } = fields;
  const wall = utcMillis(year, month, day, hour, minute, second);
  // Real zones change offset at most once in any two days, so the offsets a day either side are
  // the only candidates.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => offsetAt(instant, timeZone) === wall - instant)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? wall - before);
}

/**
 * Session start and end instants for a series that keeps the same wall-clock time in the
 * practice's time zone, so the UTC instant moves by an hour across a daylight-saving change.
 * Length is elapsed time, so a session spanning a change still lasts `durationMinutes`.
 */
export function occurrences(input: {
  firstStartLocal: string;
  durationMinutes: number;
  timeZone: string;
  recurrence: Recurrence;
  max?: number;
}): { start: Date; end: Date }[] {
  const { firstStartLocal, durationMinutes, timeZone, recurrence } = input;
  const max = input.max ?? DEFAULT_MAX_OCCURRENCES;
  if (!Number.isInteger(max) || max < 1 || max > MAX_OCCURRENCES_CAP) {
    throw new RecurrenceError(`The limit must be a whole number from 1 to ${MAX_OCCURRENCES_CAP}.`);
  }
  if (!Number.isInteger(durationMinutes) || durationMinutes < 1 || durationMinutes > 24 * 60) {
    throw new RecurrenceError('The duration must be a whole number of minutes from 1 to 1440.');
  }
  if (!isTimeZone(timeZone)) throw new RecurrenceError(`"${timeZone}" is not a known time zone.`);
  if (!parseLocalDateTime(firstStartLocal)) {
    throw new RecurrenceError(`"${firstStartLocal}" is not a real local date and time (YYYY-MM-DDTHH:mm).`);
  }
  const firstDate = firstStartLocal.slice(0, 10);
  const clock = firstStartLocal.slice(11);

  const at = (date: string): { start: Date; end: Date } => {
    const start = zonedWallTimeToUtc(`${date}T${clock}`, timeZone);
    return { start, end: new Date(start.getTime() + durationMinutes * 60_000) };
  };
  if (recurrence.kind === 'none') return [at(firstDate)];

  const { count, until } = recurrence;
  if (count === undefined && until === undefined) {
    throw new RecurrenceError('A repeating series needs a number of sessions or an end date.');
  }
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
    throw new RecurrenceError('The number of sessions must be a whole number of 1 or more.');
  }
  if (until !== undefined && !isLocalDate(until)) {
    throw new RecurrenceError(`"${until}" is not a date (YYYY-MM-DD).`);
  }
  if (until !== undefined && until < firstDate) {
    throw new RecurrenceError('The end date is before the first session.');
  }
  const stepDays = recurrence.kind === 'weekly' ? 7 : 14;
  // Ends are inclusive: a session on the `until` date is part of the series.
  const byUntil = until === undefined ? Infinity : Math.floor(daysBetween(firstDate, until) / stepDays) + 1;
  const total = Math.min(count ?? Infinity, byUntil);
  if (total > max) {
    throw new RecurrenceError(`That is ${total} sessions; at most ${max} can be scheduled at once.`);
  }
  const result: { start: Date; end: Date }[] = [];
  for (let i = 0; i < total; i++) result.push(at(addDays(firstDate, i * stepDays)));
  return result;
}

// Offset of the zone at an instant, in ms east of UTC, at the seconds precision Intl reports.
function offsetAt(instant: number, timeZone: string): number {
  const p = utcToZonedParts(new Date(instant), timeZone);
  const wall = utcMillis(p.year, p.month, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** Date.UTC, except that years 0–99 stay themselves (Date.UTC reads them as 1900–1999). */
function utcMillis(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

function parseLocalDateTime(localIso: string): ZonedParts | null {
  const m = LOCAL_DATE_TIME.exec(localIso);
  if (!m) return null;
  const [year = NaN, month = NaN, day = NaN, hour = NaN, minute = NaN, second = 0] = m
    .slice(1)
    .map((v) => (v === undefined ? undefined : Number(v)));
  if (year < 1 || !isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second };
}

function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function isLocalDate(s: string): boolean {
  const m = LOCAL_DATE.exec(s);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(utcMillis(year, month, day, 0, 0, 0));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
