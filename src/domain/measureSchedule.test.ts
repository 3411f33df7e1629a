import { describe, expect, it } from 'vitest';
import {
  addOneMonth,
  checkSchedule,
  measureDue,
  sessionsSince,
  type ScheduleItem,
} from './measureSchedule.js';

const NOW = new Date('2026-03-15T12:00:00Z');
const every: ScheduleItem = { instrument: 'phq9', frequency: 'every_session', everyN: null };
const everyThree: ScheduleItem = { instrument: 'gad7', frequency: 'every_n_sessions', everyN: 3 };
const monthly: ScheduleItem = { instrument: 'pcl5', frequency: 'monthly', everyN: null };

describe('measureDue', () => {
  it('is due when never given, whatever the frequency', () => {
    for (const item of [every, everyThree, monthly])
      expect(measureDue(item, { lastAdministeredAt: null, sessionsSinceLast: 0, now: NOW }).due).toBe(true);
  });

  it('every session: due once a session has begun since the last one', () => {
    const last = new Date('2026-03-08T10:00:00Z');
    expect(measureDue(every, { lastAdministeredAt: last, sessionsSinceLast: 0, now: NOW }).due).toBe(false);
    expect(measureDue(every, { lastAdministeredAt: last, sessionsSinceLast: 1, now: NOW }).due).toBe(true);
  });

  it('every N sessions: not due at N-1, due at N and after', () => {
    const last = new Date('2026-02-01T10:00:00Z');
    const at = (n: number) =>
      measureDue(everyThree, { lastAdministeredAt: last, sessionsSinceLast: n, now: NOW });
    expect(at(2)).toEqual({ due: false, reason: '2 sessions since the last one; due after 3' });
    expect(at(3).due).toBe(true);
    expect(at(4).due).toBe(true);
  });

  it('monthly: due one calendar month after the last one, not a day before', () => {
    const last = new Date('2026-02-15T12:00:00Z');
    expect(measureDue(monthly, { lastAdministeredAt: last, sessionsSinceLast: 5, now: NOW }).due).toBe(true);
    const justBefore = new Date(NOW.getTime() - 1);
    expect(measureDue(monthly, { lastAdministeredAt: last, sessionsSinceLast: 5, now: justBefore })).toEqual({
      due: false,
      reason: 'Next due 2026-03-15',
    });
  });
});

describe('addOneMonth', () => {
  it('keeps the day, or clamps to the end of a shorter month', () => {
    expect(addOneMonth(new Date('2026-01-10T08:00:00Z')).toISOString()).toBe('2026-02-10T08:00:00.000Z');
    expect(addOneMonth(new Date('2026-01-31T08:00:00Z')).toISOString()).toBe('2026-02-28T08:00:00.000Z');
    expect(addOneMonth(new Date('2026-12-31T08:00:00Z')).toISOString()).toBe('2027-01-31T08:00:00.000Z');
  });
});

describe('sessionsSince', () => {
  const starts = [
    new Date('2026-03-01T10:00:00Z'),
    new Date('2026-03-08T10:00:00Z'),
    new Date('2026-03-15T10:00:00Z'),
  ];
  it('counts only sessions that began after the last administration', () => {
    expect(sessionsSince(starts, new Date('2026-03-08T10:20:00Z'))).toBe(1);
    expect(sessionsSince(starts, new Date('2026-02-01T00:00:00Z'))).toBe(3);
    expect(sessionsSince(starts, null)).toBe(3);
  });
});

describe('checkSchedule', () => {
  it('accepts a valid schedule', () => {
    expect(checkSchedule([every, everyThree, monthly])).toEqual([]);
  });
  it('refuses a duplicate instrument, a missing or out-of-range N, and N on other frequencies', () => {
    expect(checkSchedule([every, { ...every, frequency: 'monthly' }]).map((p) => p.path)).toEqual([
      'items.1.instrument',
    ]);
    expect(checkSchedule([{ ...everyThree, everyN: null }]).map((p) => p.path)).toEqual(['items.0.everyN']);
    expect(checkSchedule([{ ...everyThree, everyN: 1 }]).map((p) => p.path)).toEqual(['items.0.everyN']);
    expect(checkSchedule([{ ...everyThree, everyN: 53 }]).map((p) => p.path)).toEqual(['items.0.everyN']);
    expect(checkSchedule([{ ...monthly, everyN: 2 }]).map((p) => p.path)).toEqual(['items.0.everyN']);
  });
});
