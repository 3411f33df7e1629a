/**
 * Wall-clock dates and times in the practice's time zone. The browser's own zone is never
 * used: a clinician travelling, or a browser set to another zone, still sees and books the
 * practice's local times (the server converts 'YYYY-MM-DDTHH:mm' the same way).
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
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

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return {
    year: p.year ?? NaN,
    month: p.month ?? NaN,
    day: p.day ?? NaN,
    // Some ICU versions print midnight as 24 even with h23.
    hour: (p.hour ?? NaN) % 24,
    minute: p.minute ?? NaN,
    second: p.second ?? NaN,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The practice-local date (YYYY-MM-DD) of an instant. */
export function localDateOf(instant: Date | string, timeZone: string): string {
  const w = wallClock(new Date(instant), timeZone);
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}`;
}

/** The practice-local clock time (HH:mm, 24-hour) of an instant. */
export function localTimeOf(instant: Date | string, timeZone: string): string {
  const w = wallClock(new Date(instant), timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** Minutes since local midnight, for placing a session on the day grid. */
export function localMinuteOfDay(instant: Date | string, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  return w.hour * 60 + w.minute;
}

/** 'YYYY-MM-DDTHH:mm' for a datetime-local input showing the practice's wall clock. */
export function toLocalInput(instant: string, timeZone: string): string {
  return `${localDateOf(instant, timeZone)}T${localTimeOf(instant, timeZone)}`;
}

function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant at which the zone's clocks show `local` ('YYYY-MM-DDTHH:mm'), or null for text
 * that is not a real date and time. A repeated autumn hour resolves to its first occurrence,
 * as the server does.
 */
export function zonedToUtc(local: string, timeZone: string): Date | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const fits = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => offsetAt(instant, timeZone) === wall - instant)
    .sort((a, b) => a - b);
  return new Date(fits[0] ?? wall - before);
}

/** Whether text is a real calendar date (YYYY-MM-DD). */
export function isLocalDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A calendar date moved by whole days (no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday on or before a date. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** [from, to) as instants covering `days` practice-local days starting at `date`. */
export function localDaysRange(date: string, days: number, timeZone: string): { from: string; to: string } {
  const from = zonedToUtc(`${date}T00:00`, timeZone);
  const to = zonedToUtc(`${addDays(date, days)}T00:00`, timeZone);
  if (!from || !to) throw new RangeError(`Not a date: ${date}`);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** "Monday, June 3, 2025" style text for a calendar date. */
export function formatLongDate(date: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** "Mon 3" style text for a column heading, with the long form for screen readers. */
export function formatDayHeading(date: string): { weekday: string; day: string } {
  const d = new Date(`${date}T00:00:00Z`);
  return {
    weekday: new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'UTC' }).format(d),
    day: new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d),
  };
}

/** "10:00" with no AM/PM, for a narrow block placed on the hour grid (which gives the half of the day). */
export function formatClock(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' })
    .formatToParts(new Date(instant))
    .filter((p) => p.type === 'hour' || p.type === 'minute' || (p.type === 'literal' && p.value === ':'))
    .map((p) => p.value)
    .join('');
}

/** "10:00–10:50 AM" style range in the practice's zone, tight enough for a week column. */
export function formatTimeRange(start: string, end: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' })
    .formatRange(new Date(start), new Date(end))
    .replace(/\s*–\s*/, '–');
}

/** "Mon, Jun 3, 10:00–10:50 AM" in the practice's zone. */
export function formatSessionWhen(start: string, end: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).formatRange(new Date(start), new Date(end));
}

/** "Jun 3 – 9, 2025" for a week's heading. */
export function formatDateRange(first: string, last: string): string {
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  }).formatRange(new Date(`${first}T00:00:00Z`), new Date(`${last}T00:00:00Z`));
}
