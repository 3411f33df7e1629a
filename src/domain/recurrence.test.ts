import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  localDateOf,
  occurrences,
  RecurrenceError,
  utcToZonedParts,
  zonedWallTimeToUtc,
  type Recurrence,
} from './recurrence.js';

const NY = 'America/New_York';
const LONDON = 'Europe/London';

function starts(
  firstStartLocal: string,
  timeZone: string,
  recurrence: Recurrence,
  durationMinutes = 50,
  max?: number,
): string[] {
  return occurrences({ firstStartLocal, durationMinutes, timeZone, recurrence, max }).map((o) =>
    o.start.toISOString(),
  );
}

describe('zonedWallTimeToUtc', () => {
  it('converts ordinary wall times in winter and summer', () => {
    expect(zonedWallTimeToUtc('2024-01-15T09:00', NY).toISOString()).toBe('2024-01-15T14:00:00.000Z');
    expect(zonedWallTimeToUtc('2024-07-15T09:00', NY).toISOString()).toBe('2024-07-15T13:00:00.000Z');
    expect(zonedWallTimeToUtc('2024-07-15T09:00:30', LONDON).toISOString()).toBe('2024-07-15T08:00:30.000Z');
    expect(zonedWallTimeToUtc('2024-07-15T09:00', 'Asia/Kolkata').toISOString()).toBe(
      '2024-07-15T03:30:00.000Z',
    );
  });
  it('keeps years below 100 as they are (Date.UTC would read 0050 as 1950)', () => {
    expect(zonedWallTimeToUtc('0050-06-01T12:00', 'UTC').toISOString()).toBe('0050-06-01T12:00:00.000Z');
    expect(localDateOf(zonedWallTimeToUtc('0001-01-01T00:00', 'UTC'), 'UTC')).toBe('0001-01-01');
    // There is no year 0 in the calendar PostgreSQL and Intl share: refused, not shifted.
    expect(() => zonedWallTimeToUtc('0000-06-01T10:00', 'UTC')).toThrow(RangeError);
  });
  it('moves a time in the spring-forward gap one hour later', () => {
    // 02:30 does not exist on 10 March 2024 in New York; 03:30 EDT is 07:30Z.
    expect(zonedWallTimeToUtc('2024-03-10T02:30', NY).toISOString()).toBe('2024-03-10T07:30:00.000Z');
    // 01:30 does not exist on 31 March 2024 in London; 02:30 BST is 01:30Z.
    expect(zonedWallTimeToUtc('2024-03-31T01:30', LONDON).toISOString()).toBe('2024-03-31T01:30:00.000Z');
  });
  it('takes the first of a time that occurs twice at fall-back', () => {
    expect(zonedWallTimeToUtc('2024-11-03T01:30', NY).toISOString()).toBe('2024-11-03T05:30:00.000Z');
    expect(zonedWallTimeToUtc('2024-10-27T01:30', LONDON).toISOString()).toBe('2024-10-27T00:30:00.000Z');
  });
  it('refuses malformed or impossible wall times', () => {
    expect(() => zonedWallTimeToUtc('2024-02-30T09:00', NY)).toThrow(RangeError);
    expect(() => zonedWallTimeToUtc('2024-01-01T24:00', NY)).toThrow(RangeError);
    expect(() => zonedWallTimeToUtc('2024-01-01 09:00', NY)).toThrow(RangeError);
  });
  it('round-trips with utcToZonedParts for any instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(NY, LONDON, 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'),
        (ms, tz) => {
          const p = utcToZonedParts(new Date(Math.floor(ms / 60_000) * 60_000), tz);
          const wall = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}T${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
          expect(utcToZonedParts(zonedWallTimeToUtc(wall, tz), tz)).toEqual(p);
        },
      ),
    );
  });
});

describe('utcToZonedParts and localDateOf', () => {
  it('gives the wall-clock fields, midnight as hour 0', () => {
    expect(utcToZonedParts(new Date('2024-01-01T05:00:00Z'), NY)).toEqual({
      year: 2024,
      month: 1,
      day: 1,
      hour: 0,
      minute: 0,
      second: 0,
    });
  });
  it('gives the local date of service near midnight', () => {
    expect(localDateOf(new Date('2024-01-01T04:59:59Z'), NY)).toBe('2023-12-31');
    expect(localDateOf(new Date('2024-01-01T05:00:00Z'), NY)).toBe('2024-01-01');
    expect(localDateOf(new Date('2024-07-01T23:30:00Z'), LONDON)).toBe('2024-07-02');
    expect(localDateOf(new Date('2024-12-31T23:30:00Z'), LONDON)).toBe('2024-12-31');
    expect(localDateOf(new Date('2024-06-30T13:00:00Z'), 'Pacific/Auckland')).toBe('2024-07-01');
  });
});

describe('occurrences across daylight-saving changes', () => {
  it('keeps 09:00 in New York across the March switch', () => {
    expect(starts('2024-03-03T09:00', NY, { kind: 'weekly', count: 3 })).toEqual([
      '2024-03-03T14:00:00.000Z',
      '2024-03-10T13:00:00.000Z',
      '2024-03-17T13:00:00.000Z',
    ]);
  });
  it('keeps 09:00 in New York across the November switch', () => {
    expect(starts('2024-10-27T09:00', NY, { kind: 'weekly', count: 2 })).toEqual([
      '2024-10-27T13:00:00.000Z',
      '2024-11-03T14:00:00.000Z',
    ]);
  });
  it('keeps 09:00 in London across both switches', () => {
    expect(starts('2024-03-24T09:00', LONDON, { kind: 'weekly', count: 2 })).toEqual([
      '2024-03-24T09:00:00.000Z',
      '2024-03-31T08:00:00.000Z',
    ]);
    expect(starts('2024-10-20T09:00', LONDON, { kind: 'weekly', count: 2 })).toEqual([
      '2024-10-20T08:00:00.000Z',
      '2024-10-27T09:00:00.000Z',
    ]);
  });
  it('moves only the occurrence that falls in the gap', () => {
    expect(starts('2024-03-03T02:30', NY, { kind: 'weekly', count: 3 })).toEqual([
      '2024-03-03T07:30:00.000Z',
      '2024-03-10T07:30:00.000Z', // 03:30 EDT
      '2024-03-17T06:30:00.000Z', // back to 02:30 EDT
    ]);
  });
  it('measures duration as elapsed time, also across the fall-back hour', () => {
    const [o] = occurrences({
      firstStartLocal: '2024-11-03T01:00',
      durationMinutes: 120,
      timeZone: NY,
      recurrence: { kind: 'none' },
    });
    expect(o?.start.toISOString()).toBe('2024-11-03T05:00:00.000Z');
    expect(o?.end.toISOString()).toBe('2024-11-03T07:00:00.000Z');
  });
  it('keeps the wall-clock time and weekday for any weekly series', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 4, max: 22 }), // clear of the hours any of these zones skips
        fc.constantFrom(NY, LONDON, 'Europe/Berlin', 'America/Los_Angeles'),
        fc.constantFrom<'weekly' | 'every_other_week'>('weekly', 'every_other_week'),
        (day, hour, tz, kind) => {
          const first = `${day.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:15`;
          const list = occurrences({
            firstStartLocal: first,
            durationMinutes: 50,
            timeZone: tz,
            recurrence: { kind, count: 30 },
          });
          const step = kind === 'weekly' ? 7 : 14;
          list.forEach((o, i) => {
            const p = utcToZonedParts(o.start, tz);
            expect([p.hour, p.minute]).toEqual([hour, 15]);
            const expectedDate = new Date(Date.parse(first.slice(0, 10)) + i * step * 86_400_000);
            expect(localDateOf(o.start, tz)).toBe(expectedDate.toISOString().slice(0, 10));
            expect(o.end.getTime() - o.start.getTime()).toBe(50 * 60_000);
          });
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('occurrences: series length', () => {
  it('gives one session when it does not repeat', () => {
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'none' })).toEqual(['2024-01-01T10:00:00.000Z']);
  });
  it('spaces every other week 14 days apart', () => {
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'every_other_week', count: 3 })).toEqual([
      '2024-01-01T10:00:00.000Z',
      '2024-01-15T10:00:00.000Z',
      '2024-01-29T10:00:00.000Z',
    ]);
  });
  it('includes a session on the until date', () => {
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', until: '2024-01-29' })).toHaveLength(5);
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', until: '2024-01-28' })).toHaveLength(4);
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'every_other_week', until: '2024-01-29' })).toHaveLength(
      3,
    );
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'every_other_week', until: '2024-01-28' })).toHaveLength(
      2,
    );
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', until: '2024-01-01' })).toHaveLength(1);
  });
  it('compares until with the local date, not the UTC date', () => {
    // 21:00 in New York is the next day in UTC; the session on 29 January still counts.
    expect(starts('2024-01-01T21:00', NY, { kind: 'weekly', until: '2024-01-29' })).toHaveLength(5);
  });
  it('stops at whichever of count and until comes first', () => {
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', count: 2, until: '2024-12-31' })).toHaveLength(
      2,
    );
    expect(
      starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', count: 20, until: '2024-01-15' }),
    ).toHaveLength(3);
  });
  it('allows up to max sessions and refuses more', () => {
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', count: 52 })).toHaveLength(52);
    expect(() => starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', count: 53 })).toThrow(
      /53 sessions.*at most 52/,
    );
    expect(() => starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', until: '2025-01-06' })).toThrow(
      RecurrenceError,
    );
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', count: 10 }, 50, 10)).toHaveLength(10);
    expect(() => starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', count: 11 }, 50, 10)).toThrow(
      RecurrenceError,
    );
  });
  it('never allows a limit above 104', () => {
    expect(starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', count: 104 }, 50, 104)).toHaveLength(104);
    expect(() => starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', count: 2 }, 50, 105)).toThrow(
      /1 to 104/,
    );
    expect(() => starts('2024-01-01T10:00', 'UTC', { kind: 'weekly', count: 2 }, 50, 0)).toThrow(/1 to 104/);
  });
});

describe('occurrences: refused input', () => {
  const base = { firstStartLocal: '2024-01-01T10:00', durationMinutes: 50, timeZone: 'UTC' };
  it.each<[string, Parameters<typeof occurrences>[0]]>([
    ['no count or until', { ...base, recurrence: { kind: 'weekly' } }],
    ['a count of 0', { ...base, recurrence: { kind: 'weekly', count: 0 } }],
    ['a fractional count', { ...base, recurrence: { kind: 'weekly', count: 2.5 } }],
    ['until before the first session', { ...base, recurrence: { kind: 'weekly', until: '2023-12-31' } }],
    ['an until that is not a date', { ...base, recurrence: { kind: 'weekly', until: '2024-02-30' } }],
    ['an unknown time zone', { ...base, timeZone: 'Mars/Olympus', recurrence: { kind: 'none' } }],
    [
      'an impossible first start',
      { ...base, firstStartLocal: '2024-13-01T10:00', recurrence: { kind: 'none' } },
    ],
    ['a zero duration', { ...base, durationMinutes: 0, recurrence: { kind: 'none' } }],
  ])('refuses %s', (_what, input) => {
    expect(() => occurrences(input)).toThrow(RecurrenceError);
  });
});
