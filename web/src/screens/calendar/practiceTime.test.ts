import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatClock,
  formatTimeRange,
  isLocalDate,
  localDateOf,
  localDaysRange,
  localMinuteOfDay,
  localTimeOf,
  mondayOf,
  toLocalInput,
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
