import { localDateOf, utcToZonedParts } from './recurrence.js';

// Times as printed on a record: in the practice's time zone, with the zone's name, so a reader
// elsewhere knows which clock the note was signed by.

const pad2 = (n: number) => String(n).padStart(2, '0');
const zoneNames = new Map<string, Intl.DateTimeFormat>();

/** The zone's short name at that instant ('EST', 'CDT'; 'GMT+1' where there is no abbreviation). */
export function zoneName(at: Date, timeZone: string): string {
  let f = zoneNames.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' });
    zoneNames.set(timeZone, f);
  }
  return f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** '14:05': the wall-clock time in the zone. */
export function localTime(at: Date, timeZone: string): string {
  const p = utcToZonedParts(at, timeZone);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** '2026-11-27 14:05 EST': a printed time, in the practice's time zone with its name. */
export function printedTime(at: Date, timeZone: string): string {
  return `${localDateOf(at, timeZone)} ${localTime(at, timeZone)} ${zoneName(at, timeZone)}`;
}
