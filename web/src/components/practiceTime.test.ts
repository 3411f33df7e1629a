import { describe, expect, it } from 'vitest';
import {
  addDays,
  clockTime,
  formatClock,
  formatTimeRange,
  isLocalDate,
  localDateOf,
  localDaysRange,
  localMinuteOfDay,
  localTimeOf,
  mondayOf,
  toLocalInput,
  zonedLocalToIso,
  zonedToUtc,
} from './practiceTime.js';

describe('practice-local time', () => {
  it('converts a practice wall-clock time to UTC whatever the offset', () => {
    expect(zonedToUtc('2025-01-15T10:00', 'America/Chicago')?.toISOString()).toBe('2025-01-15T16:00:00.000Z');
    expect(zonedToUtc('2025-07-15T10:00', 'America/Chicago')?.toISOString()).toBe('2025-07-15T15:00:00.000Z');
    expect(zonedToUtc('2025-07-15T10:00', 'Asia/Kolkata')?.toISOString()).toBe('2025-07-15T04:30:00.000Z');
  });

  it('resolves the repeated autumn hour to its first occurrence and refuses unreal dates', () => {
    // 01:30 happens twice in Chicago on 2025-11-02: first in CDT (-5).
    expect(zonedToUtc('2025-11-02T01:30', 'America/Chicago')?.toISOString()).toBe('2025-11-02T06:30:00.000Z');
    expect(zonedToUtc('2025-02-30T10:00', 'America/Chicago')).toBeNull();
    expect(zonedToUtc('2025-02-03 10:00', 'America/Chicago')).toBeNull();
    expect(zonedToUtc('2025-02-03T24:00', 'America/Chicago')).toBeNull();
  });

  it('resolves the repeated hour to its first occurrence east of UTC too, as the server does', () => {
    // 02:30 happens twice in Berlin on 2026-10-25: first in CEST (+2), then in CET (+1).
    expect(zonedLocalToIso('2026-10-25T02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    // 02:30 does not exist in Berlin on 2026-03-29; it reads as 03:30 CEST.
    expect(zonedLocalToIso('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('throws for an unknown time zone instead of calling the time unreal', () => {
    expect(() => zonedToUtc('2025-01-15T10:00', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('reads an instant back as the practice-local date and time', () => {
    const iso = '2025-03-04T02:30:00.000Z';
    expect(localDateOf(iso, 'America/Chicago')).toBe('2025-03-03');
    expect(localTimeOf(iso, 'America/Chicago')).toBe('20:30');
    expect(localMinuteOfDay(iso, 'America/Chicago')).toBe(20 * 60 + 30);
    expect(toLocalInput(iso, 'Europe/Berlin')).toBe('2025-03-04T03:30');
  });

  it('finds the week and the UTC range of local days across a daylight-saving change', () => {
    expect(mondayOf('2025-03-09')).toBe('2025-03-03');
    expect(mondayOf('2025-03-10')).toBe('2025-03-10');
    expect(addDays('2025-12-29', 7)).toBe('2026-01-05');
    const week = localDaysRange('2025-03-03', 7, 'America/Chicago');
    expect(week).toEqual({ from: '2025-03-03T06:00:00.000Z', to: '2025-03-10T05:00:00.000Z' });
  });

  it('shows a bare clock time for narrow calendar blocks', () => {
    expect(formatClock('2025-03-04T16:05:00.000Z', 'America/Chicago')).toBe('10:05');
    expect(formatClock('2025-03-04T21:30:00.000Z', 'America/Chicago')).toBe('3:30');
  });

  it("writes a session's time range tightly, in the practice zone", () => {
    expect(
      formatTimeRange('2025-03-04T16:00:00.000Z', '2025-03-04T16:50:00.000Z', 'America/Chicago'),
    ).toMatch(/^10:00–10:50\sAM$/);
    expect(
      formatTimeRange('2025-03-04T17:30:00.000Z', '2025-03-04T18:20:00.000Z', 'America/Chicago'),
    ).toMatch(/^11:30\sAM–12:20\sPM$/);
  });

  it('accepts only real calendar dates', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2025-02-29')).toBe(false);
    expect(isLocalDate('2025-2-3')).toBe(false);
  });
});

describe('practice-time conversion for the session times', () => {
  it('shows a UTC instant on the practice wall clock, not the browser one', () => {
    expect(toLocalInput('2026-03-02T16:00:00.000Z', 'America/Chicago')).toBe('2026-03-02T10:00');
    expect(toLocalInput('2026-07-02T16:00:00.000Z', 'America/Chicago')).toBe('2026-07-02T11:00');
    expect(toLocalInput('2026-03-02T23:30:00.000Z', 'Asia/Kolkata')).toBe('2026-03-03T05:00');
    expect(toLocalInput(null, 'UTC')).toBe('');
    expect(toLocalInput('not a time', 'UTC')).toBe('');
  });

  it('turns the wall clock back into the same instant, in winter and in summer', () => {
    expect(zonedLocalToIso('2026-03-02T10:00', 'America/Chicago')).toBe('2026-03-02T16:00:00.000Z');
    expect(zonedLocalToIso('2026-07-02T11:00', 'America/Chicago')).toBe('2026-07-02T16:00:00.000Z');
    expect(zonedLocalToIso('2026-03-03T05:00', 'Asia/Kolkata')).toBe('2026-03-02T23:30:00.000Z');
    expect(zonedLocalToIso('2026-01-15T09:15', 'UTC')).toBe('2026-01-15T09:15:00.000Z');
  });

  it('round-trips every quarter hour across the spring and autumn changes', () => {
    for (const day of ['2026-03-08', '2026-11-01']) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const local = `${day}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const iso = zonedLocalToIso(local, 'America/New_York');
        expect(iso).not.toBeNull();
        // 02:00-02:59 does not exist on the spring day; it resolves an hour on.
        const skipped = day === '2026-03-08' && local.slice(11, 13) === '02';
        if (!skipped) expect(toLocalInput(iso, 'America/New_York')).toBe(local);
        else expect(toLocalInput(iso, 'America/New_York').slice(11, 13)).toBe('03');
      }
    }
  });

  it('refuses incomplete input', () => {
    expect(zonedLocalToIso('', 'UTC')).toBeNull();
    expect(zonedLocalToIso('2026-03-02', 'UTC')).toBeNull();
    expect(zonedLocalToIso('2026-03-02T1', 'UTC')).toBeNull();
  });

  it('shows the clock time with seconds on a 24-hour clock', () => {
    expect(clockTime(Date.parse('2026-03-02T16:42:03Z'), 'America/Chicago')).toBe('10:42:03');
    expect(clockTime(Date.parse('2026-03-02T05:07:09Z'), 'UTC')).toBe('05:07:09');
  });
});
