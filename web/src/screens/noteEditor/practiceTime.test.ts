import { describe, expect, it } from 'vitest';
import { clockTime, isoToZonedLocal, zonedLocalToIso } from './practiceTime.js';

describe('practice-time conversion for the session times', () => {
  it('shows a UTC instant on the practice wall clock, not the browser one', () => {
    expect(isoToZonedLocal('2026-03-02T16:00:00.000Z', 'America/Chicago')).toBe('2026-03-02T10:00');
    expect(isoToZonedLocal('2026-07-02T16:00:00.000Z', 'America/Chicago')).toBe('2026-07-02T11:00');
    expect(isoToZonedLocal('2026-03-02T23:30:00.000Z', 'Asia/Kolkata')).toBe('2026-03-03T05:00');
    expect(isoToZonedLocal(null, 'UTC')).toBe('');
    expect(isoToZonedLocal('not a time', 'UTC')).toBe('');
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
        if (!skipped) expect(isoToZonedLocal(iso, 'America/New_York')).toBe(local);
        else expect(isoToZonedLocal(iso, 'America/New_York').slice(11, 13)).toBe('03');
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
