import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeText, foldLine, renderCalendar, utcDateTime, type CalendarEvent } from './icalendar.js';

const NOW = new Date('2024-03-01T15:04:05.678Z');
const octets = (s: string): number => Buffer.byteLength(s, 'utf8');

// Just enough of a reader to check structure: unfold, split into lines, split name from value.
function parse(ics: string): { name: string; value: string }[] {
  expect(ics.endsWith('\r\n')).toBe(true);
  return ics
    .slice(0, -2)
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .map((line) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon), value: line.slice(colon + 1) };
    });
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

function event(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    uid: 'session-1@casebook',
    start: new Date('2024-03-04T14:00:00Z'),
    end: new Date('2024-03-04T14:50:00Z'),
    summary: 'C-7KQ4M2 · individual',
    updatedAt: new Date('2024-02-28T09:30:00Z'),
    ...overrides,
  };
}

// Printable characters from all planes, mixed with the ones TEXT escaping must handle.
const textUnit = fc.oneof(
  fc.constantFrom('\\', ';', ',', '\n', '\r', '\r\n', ' '),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);

describe('renderCalendar', () => {
  it('writes the calendar and event properties in order, and nothing else', () => {
    const ics = renderCalendar({
      calendarName: 'Casebook: Dana',
      events: [event({ status: 'CONFIRMED', sequence: 2 })],
      now: NOW,
    });
    expect(parse(ics).map((p) => `${p.name}:${p.value}`)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Casebook//Casebook//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:Casebook: Dana',
      'BEGIN:VEVENT',
      'UID:session-1@casebook',
      'DTSTAMP:20240301T150405Z',
      'DTSTART:20240304T140000Z',
      'DTEND:20240304T145000Z',
      'SUMMARY:C-7KQ4M2 · individual',
      'STATUS:CONFIRMED',
      'SEQUENCE:2',
      'LAST-MODIFIED:20240228T093000Z',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
  });
  it('uses CRLF line endings only, with a final CRLF', () => {
    const ics = renderCalendar({ calendarName: 'x', events: [event()], now: NOW });
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
  it('omits STATUS and SEQUENCE when not given, and writes CANCELLED', () => {
    const names = parse(renderCalendar({ calendarName: 'x', events: [event()], now: NOW })).map(
      (p) => p.name,
    );
    expect(names).not.toContain('STATUS');
    expect(names).not.toContain('SEQUENCE');
    expect(names).not.toContain('DESCRIPTION');
    expect(names).not.toContain('LOCATION');
    const cancelled = renderCalendar({
      calendarName: 'x',
      events: [event({ status: 'CANCELLED', sequence: 0 })],
      now: NOW,
    });
    expect(cancelled).toContain('\r\nSTATUS:CANCELLED\r\nSEQUENCE:0\r\n');
  });
  it('writes an empty calendar', () => {
    expect(parse(renderCalendar({ calendarName: 'x', events: [], now: NOW })).map((p) => p.name)).toEqual([
      'BEGIN',
      'VERSION',
      'PRODID',
      'CALSCALE',
      'METHOD',
      'X-WR-CALNAME',
      'END',
    ]);
  });
  it('refuses a negative or fractional sequence', () => {
    expect(() => renderCalendar({ calendarName: 'x', events: [event({ sequence: -1 })], now: NOW })).toThrow(
      RangeError,
    );
    expect(() => renderCalendar({ calendarName: 'x', events: [event({ sequence: 1.5 })], now: NOW })).toThrow(
      RangeError,
    );
  });
  it('folds a long multibyte summary at 75 octets without splitting a character', () => {
    const summary = 'Séance de thérapie — 日本語のセッション 🧠 '.repeat(6);
    const ics = renderCalendar({ calendarName: 'x', events: [event({ summary })], now: NOW });
    const physical = ics.slice(0, -2).split('\r\n');
    const summaryLines = physical.slice(physical.findIndex((l) => l.startsWith('SUMMARY:')));
    expect(summaryLines[1]?.startsWith(' ')).toBe(true);
    for (const line of physical) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      expect(line).not.toContain('\uFFFD');
    }
    // A line is folded only when the next character would not fit.
    expect(octets(summaryLines[0] ?? '')).toBeGreaterThan(71);
    const parsed = parse(ics).find((p) => p.name === 'SUMMARY');
    expect(unescapeText(parsed?.value ?? '')).toBe(summary);
  });
  it('escapes TEXT so a summary round-trips', () => {
    const summary = 'C-7KQ4M2; couples, video\\phone\nsecond line\r\nthird\rfourth';
    const calendarName = 'Dana, LCSW; caseload';
    const ics = renderCalendar({ calendarName, events: [event({ summary, uid: 'a,b;c' })], now: NOW });
    const props = parse(ics);
    expect(props.find((p) => p.name === 'SUMMARY')?.value).toBe(
      'C-7KQ4M2\\; couples\\, video\\\\phone\\nsecond line\\nthird\\nfourth',
    );
    expect(unescapeText(props.find((p) => p.name === 'X-WR-CALNAME')?.value ?? '')).toBe(calendarName);
    expect(unescapeText(props.find((p) => p.name === 'UID')?.value ?? '')).toBe('a,b;c');
  });
  it('keeps every line within 75 octets and round-trips any summary', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: textUnit, maxLength: 300 }),
        fc.string({ maxLength: 120 }),
        (summary, name) => {
          const ics = renderCalendar({ calendarName: name, events: [event({ summary })], now: NOW });
          for (const line of ics.slice(0, -2).split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
          const props = parse(ics);
          expect(unescapeText(props.find((p) => p.name === 'SUMMARY')?.value ?? '')).toBe(
            summary.replace(/\r\n?/g, '\n'),
          );
          expect(props.filter((p) => p.name === 'BEGIN').map((p) => p.value)).toEqual([
            'VCALENDAR',
            'VEVENT',
          ]);
        },
      ),
    );
  });
});

describe('escapeText', () => {
  it('escapes backslash, semicolon, comma and newlines, and drops other control characters', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
    expect(escapeText('tab\tok\u0000\u0007\u007f')).toBe('tab\tok');
    expect(escapeText('colon: stays')).toBe('colon: stays');
  });
});

describe('foldLine', () => {
  it('leaves a 75-octet line alone and folds a 76-octet one', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
  });
  it('counts the leading space of a continuation line', () => {
    const folded = foldLine('x'.repeat(75 + 74 + 1)).split('\r\n');
    expect(folded.map(octets)).toEqual([75, 75, 2]);
  });
  it('moves a character that would straddle the limit to the next line', () => {
    const line = `${'x'.repeat(73)}€`; // 73 + 3 octets
    expect(foldLine(line)).toBe(`${'x'.repeat(73)}\r\n €`);
  });
});

describe('utcDateTime', () => {
  it('writes UTC with seconds precision', () => {
    expect(utcDateTime(NOW)).toBe('20240301T150405Z');
  });
});
