export interface CalendarEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  status?: 'CONFIRMED' | 'CANCELLED';
  sequence?: number;
  updatedAt: Date;
}

const MAX_LINE_OCTETS = 75;

/**
 * An RFC 5545 calendar feed. It carries only what the caller passes: the summary is the whole
 * description of a session, so no location, notes or attendees can leak into a phone's calendar.
 */
export function renderCalendar(input: {
  calendarName: string;
  events: readonly CalendarEvent[];
  now: Date;
}): string {
  const stamp = utcDateTime(input.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Casebook//Casebook//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.calendarName)}`,
  ];
  for (const e of input.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      // With METHOD present, DTSTAMP is when this feed was generated; LAST-MODIFIED is the event's own change time.
      `DTSTAMP:${stamp}`,
      `DTSTART:${utcDateTime(e.start)}`,
      `DTEND:${utcDateTime(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.status !== undefined) lines.push(`STATUS:${e.status}`);
    if (e.sequence !== undefined) {
      if (!Number.isInteger(e.sequence) || e.sequence < 0)
        throw new RangeError('SEQUENCE must be a whole number ≥ 0');
      lines.push(`SEQUENCE:${e.sequence}`);
    }
    lines.push(`LAST-MODIFIED:${utcDateTime(e.updatedAt)}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** RFC 5545 TEXT escaping; other control characters are not allowed in TEXT, so they are dropped. */
export function escapeText(value: string): string {
  let out = '';
  for (const ch of value.replace(/\r\n?/g, '\n')) {
    if (ch === '\\' || ch === ';' || ch === ',') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t' || !isControl(ch)) out += ch;
  }
  return out;
}

function isControl(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x20 || cp === 0x7f;
}

/** A UTC DATE-TIME such as 20240301T150000Z (seconds precision). */
export function utcDateTime(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * Folds a content line at 75 octets of UTF-8, never inside a character; continuation lines begin
 * with a space, which counts towards their 75.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = utf8Length(ch);
    if (octets + size > MAX_LINE_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

function utf8Length(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  // A lone surrogate is encoded as U+FFFD, three octets.
  if (cp < 0x10000) return 3;
  return 4;
}
