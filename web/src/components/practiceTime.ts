/**
 * Wall-clock dates and times in the practice's time zone. The browser's own zone is never
 * used: a clinician travelling, or a browser set to another zone, still sees and enters the
 * practice's local times. Conversions are the server's own (src/domain/recurrence.ts, pure and
 * Intl-only), so a time typed here names exactly the instant the server books or stores.
 */
import {
  localDateOf as instantLocalDate,
  utcToZonedParts,
  zonedWallTimeToUtc,
} from '../../../src/domain/recurrence.js';

const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** The practice-local date (YYYY-MM-DD) of an instant. */
export function localDateOf(instant: Date | string, timeZone: string): string {
  return instantLocalDate(new Date(instant), timeZone);
}

/** The practice-local clock time (HH:mm, 24-hour) of an instant. */
export function localTimeOf(instant: Date | string, timeZone: string): string {
  const p = utcToZonedParts(new Date(instant), timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** Minutes since local midnight, for placing a session on the day grid. */
export function localMinuteOfDay(instant: Date | string, timeZone: string): number {
  const p = utcToZonedParts(new Date(instant), timeZone);
  return p.hour * 60 + p.minute;
}

/** "10:42:03" on the practice clock, 24-hour. */
export function clockTime(ms: number, timeZone: string): string {
  const p = utcToZonedParts(new Date(ms), timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/**
 * 'YYYY-MM-DDTHH:mm' as the practice's wall clock shows an instant: the value of a
 * datetime-local input. Empty for no instant or text that is not one, so an unset time
 * shows as an empty input.
 */
export function toLocalInput(instant: string | null, timeZone: string): string {
  if (!instant || Number.isNaN(Date.parse(instant))) return '';
  return `${localDateOf(instant, timeZone)}T${localTimeOf(instant, timeZone)}`;
}

/**
 * The instant at which the zone's clocks show `local` ('YYYY-MM-DDTHH:mm'), or null for text
 * that is not a real date and time. Gaps and repeats resolve as the server resolves them: a
 * repeated autumn time to its first occurrence, a time skipped in spring to an hour later.
 */
export function zonedToUtc(local: string, timeZone: string): Date | null {
  // An unknown zone is a bug, not bad input: let it throw here rather than read as "not a date".
  utcToZonedParts(new Date(0), timeZone);
  try {
    return zonedWallTimeToUtc(local, timeZone);
  } catch (err) {
    if (err instanceof RangeError) return null;
    throw err;
  }
}

/** `zonedToUtc` as an ISO string, the form the API takes. */
export function zonedLocalToIso(local: string, timeZone: string): string | null {
  return zonedToUtc(local, timeZone)?.toISOString() ?? null;
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
  return {
    from: zonedWallTimeToUtc(`${date}T00:00`, timeZone).toISOString(),
    to: zonedWallTimeToUtc(`${addDays(date, days)}T00:00`, timeZone).toISOString(),
  };
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
