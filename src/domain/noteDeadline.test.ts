import { describe, expect, it } from 'vitest';
import {
  ageLabel,
  complianceSummary,
  deadlineState,
  DEFAULT_POLICY,
  isLateEntry,
  noteDueAt,
  NOTE_DUE_PRESETS,
  validatePolicy,
  type ComplianceRow,
} from './noteDeadline.js';

// A fixed clock: every "now" is an offset from this instant, nothing waits.
const T0 = new Date('2024-03-01T15:00:00Z');
const at = (hours: number, minutes = 0): Date =>
  new Date(T0.getTime() + hours * 3_600_000 + minutes * 60_000);

describe('validatePolicy', () => {
  it('accepts the default, the presets and custom hours within 1..336', () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual([]);
    for (const noteDueHours of NOTE_DUE_PRESETS) {
      expect(validatePolicy({ noteDueHours, reminderHoursBefore: 12 })).toEqual([]);
    }
    expect(validatePolicy({ noteDueHours: 1, reminderHoursBefore: 0 })).toEqual([]);
    expect(validatePolicy({ noteDueHours: 336, reminderHoursBefore: 48 })).toEqual([]);
    expect(validatePolicy({ noteDueHours: 36, reminderHoursBefore: 36 })).toEqual([]);
  });
  it.each([0, 337, 2.5, Number.NaN, -24])('refuses noteDueHours %s', (noteDueHours) => {
    expect(validatePolicy({ noteDueHours, reminderHoursBefore: 0 })).toEqual([
      expect.stringMatching(/from 1 to 336/),
    ]);
  });
  it('refuses a negative, fractional or too-early reminder', () => {
    expect(validatePolicy({ noteDueHours: 72, reminderHoursBefore: -1 })).toHaveLength(1);
    expect(validatePolicy({ noteDueHours: 72, reminderHoursBefore: 1.5 })).toHaveLength(1);
    expect(validatePolicy({ noteDueHours: 24, reminderHoursBefore: 25 })).toEqual([
      expect.stringMatching(/at most the hours/),
    ]);
  });
  it('reports every problem at once', () => {
    expect(validatePolicy({ noteDueHours: 0, reminderHoursBefore: -1 })).toHaveLength(2);
  });
});

describe('noteDueAt', () => {
  it('adds the policy hours to the session end', () => {
    expect(noteDueAt(T0, DEFAULT_POLICY)).toEqual(at(72));
    expect(noteDueAt(T0, { noteDueHours: 24, reminderHoursBefore: 4 })).toEqual(at(24));
  });
  it('counts elapsed hours across a daylight-saving change', () => {
    // New York springs forward on 10 March 2024; 72 h later is still 72 h later.
    const end = new Date('2024-03-09T15:00:00Z');
    expect(noteDueAt(end, DEFAULT_POLICY).toISOString()).toBe('2024-03-12T15:00:00.000Z');
  });
});

describe('deadlineState', () => {
  const due = at(72);
  it.each<[string, string, Date]>([
    ['right after the session', 'not_due', at(0)],
    ['a minute before the reminder', 'not_due', at(47, 59)],
    ['at the reminder', 'due_soon', at(48)],
    ['at the due time', 'due_soon', at(72)],
    ['a millisecond after the due time', 'overdue', new Date(at(72).getTime() + 1)],
    ['days later', 'overdue', at(200)],
  ])('%s → %s', (_when, state, now) => {
    expect(deadlineState(due, now, DEFAULT_POLICY)).toBe(state);
  });
  it('with no reminder goes straight from not due to overdue', () => {
    const policy = { noteDueHours: 24, reminderHoursBefore: 0 };
    expect(deadlineState(at(24), at(23, 59), policy)).toBe('not_due');
    expect(deadlineState(at(24), at(24, 1), policy)).toBe('overdue');
  });
});

describe('isLateEntry', () => {
  it('is on time up to and including the due time', () => {
    expect(isLateEntry(at(71), at(72))).toBe(false);
    expect(isLateEntry(at(72), at(72))).toBe(false);
    expect(isLateEntry(new Date(at(72).getTime() + 1), at(72))).toBe(true);
  });
});

describe('ageLabel', () => {
  it.each<[number, number, string]>([
    [0, 0, '0 min'],
    [0, 45, '45 min'],
    [1, 0, '1 h'],
    [3, 59, '3 h'],
    [23, 59, '23 h'],
    [24, 0, '1 d'],
    [52, 30, '2 d 4 h'],
    [-5, 0, '0 min'],
  ])('%i h %i min → %s', (hours, minutes, label) => {
    expect(ageLabel(T0, at(hours, minutes))).toBe(label);
  });
});

describe('complianceSummary', () => {
  const now = at(100);
  const row = (clinicianId: string, endHours: number, signedHours: number | null): ComplianceRow => ({
    clinicianId,
    sessionEnd: at(endHours),
    dueAt: noteDueAt(at(endHours), DEFAULT_POLICY),
    signedAt: signedHours === null ? null : at(signedHours),
  });

  it('counts each kind of row and uses the judged sessions as the share denominator', () => {
    const rows = [
      row('a', 0, 2), // signed on time after 2 h
      row('a', 0, 72), // signed exactly at the due time: on time, 72 h
      row('a', 0, 80), // signed late, 80 h
      row('a', 0, null), // unsigned and past due (due at 72, now 100): overdue
      row('a', 50, null), // unsigned, due at 122: still open, not judged
    ];
    expect(complianceSummary(rows, now)).toEqual([
      {
        clinicianId: 'a',
        sessions: 5,
        signed: 3,
        signedOnTime: 2,
        overdue: 1,
        shareOnTime: 2 / 4,
        medianHoursToSign: 72,
      },
    ]);
  });
  it('counts a note signed early but still within its window as judged', () => {
    const [s] = complianceSummary([row('a', 90, 95), row('a', 90, null)], now);
    expect(s).toMatchObject({ sessions: 2, signed: 1, signedOnTime: 1, overdue: 0, shareOnTime: 1 });
  });
  it('has no share and no median when nothing can be judged yet', () => {
    expect(complianceSummary([row('a', 90, null)], now)).toEqual([
      {
        clinicianId: 'a',
        sessions: 1,
        signed: 0,
        signedOnTime: 0,
        overdue: 0,
        shareOnTime: null,
        medianHoursToSign: null,
      },
    ]);
  });
  it('takes the mean of the two middle values for an even count', () => {
    const [s] = complianceSummary([row('a', 0, 1), row('a', 0, 4), row('a', 0, 10), row('a', 0, 30)], now);
    expect(s?.medianHoursToSign).toBe(7);
  });
  it('keeps clinicians apart, in order of first appearance', () => {
    const result = complianceSummary([row('b', 0, null), row('a', 0, 1), row('b', 0, 5)], now);
    expect(result.map((r) => [r.clinicianId, r.sessions, r.overdue, r.shareOnTime])).toEqual([
      ['b', 2, 1, 0.5],
      ['a', 1, 0, 1],
    ]);
  });
  it('judges overdue against the given clock', () => {
    const rows = [row('a', 0, null)];
    expect(complianceSummary(rows, at(72))[0]?.overdue).toBe(0);
    expect(complianceSummary(rows, at(72, 1))[0]?.overdue).toBe(1);
  });
  it('returns nothing for no rows', () => {
    expect(complianceSummary([], now)).toEqual([]);
  });
});
