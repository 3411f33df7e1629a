import { describe, expect, it } from 'vitest';
import { customPeriodErrors, periodFor, todayIn } from './compliancePeriods.js';

describe('compliance periods', () => {
  it("takes today's date in the practice's time zone, not UTC", () => {
    // 03:30 UTC on 1 March is still 28 February in Chicago.
    const instant = new Date('2026-03-01T03:30:00Z');
    expect(todayIn('America/Chicago', instant)).toBe('2026-02-28');
    expect(todayIn('Europe/Berlin', instant)).toBe('2026-03-01');
  });

  it('names this month, last month and the last 90 days, inclusive of both ends', () => {
    expect(periodFor('this_month', '2026-03-17')).toEqual({ from: '2026-03-01', to: '2026-03-17' });
    expect(periodFor('last_month', '2026-03-17')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodFor('last_month', '2024-03-05')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodFor('last_month', '2026-01-10')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(periodFor('last_90_days', '2026-03-31')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
  });

  it('asks for both dates of a custom period, real ones, in order', () => {
    expect(customPeriodErrors({ from: '', to: '' })).toEqual({
      from: 'Enter the first day of the period',
      to: 'Enter the last day of the period',
    });
    expect(customPeriodErrors({ from: '2026-02-30', to: '2026-03-01' })).toHaveProperty('from');
    expect(customPeriodErrors({ from: '2026-03-02', to: '2026-03-01' })).toEqual({
      to: 'The last day must be on or after the first day',
    });
    expect(customPeriodErrors({ from: '2026-03-01', to: '2026-03-01' })).toEqual({});
  });
});
