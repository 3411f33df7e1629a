import { describe, expect, it } from 'vitest';
import { Invalid } from './errors.js';
import { addDays, attendanceCounts, reportPeriod, sessionsNotListedNotice } from './progressReport.js';

function refusal(input: { from?: string; to?: string }, today = '2026-11-27'): unknown {
  try {
    reportPeriod(input, today);
  } catch (err) {
    expect(err).toBeInstanceOf(Invalid);
    return (err as Invalid).extra;
  }
  throw new Error('the period was accepted');
}

describe('reportPeriod', () => {
  it('defaults to the 90 days ending today', () => {
    expect(reportPeriod({}, '2026-11-27')).toEqual({ from: '2026-08-30', to: '2026-11-27' });
    expect(reportPeriod({ to: '2026-03-01' }, '2026-11-27')).toEqual({
      from: '2025-12-02',
      to: '2026-03-01',
    });
  });

  it('accepts one day and exactly two years', () => {
    expect(reportPeriod({ from: '2026-11-27', to: '2026-11-27' }, '2026-11-27').from).toBe('2026-11-27');
    expect(reportPeriod({ from: '2024-11-27', to: '2026-11-27' }, '2026-11-27').from).toBe('2024-11-27');
    expect(reportPeriod({ from: '2022-02-28', to: '2024-02-29' }, '2026-11-27').from).toBe('2022-02-28');
  });

  it('refuses a period longer than two years', () => {
    expect(refusal({ from: '2024-11-26', to: '2026-11-27' })).toEqual({
      errors: [{ path: 'from', message: 'A report covers at most 2 years' }],
    });
  });

  it('refuses a start after the end', () => {
    expect(refusal({ from: '2026-11-20', to: '2026-11-19' })).toEqual({
      errors: [{ path: 'to', message: 'The end date is before the start date' }],
    });
  });

  it('refuses a period reaching past today, naming each field, even at the end of the calendar', () => {
    expect(refusal({ to: '9999-12-31' })).toEqual({
      errors: [{ path: 'to', message: 'Choose a date no later than today (2026-11-27)' }],
    });
    expect(refusal({ from: '2026-11-28', to: '2026-11-28' })).toEqual({
      errors: [
        { path: 'to', message: 'Choose a date no later than today (2026-11-27)' },
        { path: 'from', message: 'Choose a date no later than today (2026-11-27)' },
      ],
    });
    expect(refusal({ from: '2026-11-28' })).toEqual({
      errors: [{ path: 'from', message: 'Choose a date no later than today (2026-11-27)' }],
    });
  });

  it('refuses dates that are not real dates, naming each field', () => {
    expect(refusal({ from: '2026-02-30', to: 'yesterday' })).toEqual({
      errors: [
        { path: 'to', message: 'Use a real date in the form YYYY-MM-DD' },
        { path: 'from', message: 'Use a real date in the form YYYY-MM-DD' },
      ],
    });
    expect(refusal({ from: '0000-01-01', to: '2026-01-01' })).toMatchObject({ errors: [{ path: 'from' }] });
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('attendanceCounts', () => {
  it('counts each kind, cancellations by either side together', () => {
    const rows = (
      [
        'attended',
        'attended',
        'no_show',
        'late_cancel',
        'cancelled_client',
        'cancelled_clinician',
        'scheduled',
      ] as const
    ).map((attendance) => ({ attendance }));
    expect(attendanceCounts(rows)).toEqual({
      attended: 2,
      noShow: 1,
      lateCancel: 1,
      cancelled: 2,
      notRecorded: 1,
      total: 7,
    });
    expect(attendanceCounts([])).toMatchObject({ total: 0, attended: 0 });
    expect(
      attendanceCounts([
        { attendance: 'attended', n: 480 },
        { attendance: 'no_show', n: 30 },
      ]),
    ).toMatchObject({ attended: 480, noShow: 30, total: 510 });
  });
});

describe('sessionsNotListedNotice', () => {
  it('says how many sessions past the list limit are left out, and nothing when none are', () => {
    expect(sessionsNotListedNotice(512, 500)).toBe('12 more sessions in this period are not listed.');
    expect(sessionsNotListedNotice(501, 500)).toBe('1 more session in this period is not listed.');
    expect(sessionsNotListedNotice(500, 500)).toBeNull();
    expect(sessionsNotListedNotice(3, 3)).toBeNull();
  });
});
