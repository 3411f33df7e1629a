import { describe, expect, it } from 'vitest';
import { Invalid } from './errors.js';
import { accountingPeriod, sixYearsBefore } from './accountingPeriod.js';

describe('accounting period (45 CFR 164.528: six years)', () => {
  it('defaults to the six years up to today, the same calendar day six years back included', () => {
    expect(accountingPeriod('2026-11-27')).toEqual({ from: '2020-11-27', to: '2026-11-27' });
    expect(sixYearsBefore('2028-02-29')).toBe('2022-03-01');
  });
  it('allows a shorter period and refuses a longer one, one ending in the future, or a reversed one', () => {
    expect(accountingPeriod('2026-11-27', '2026-01-01', '2026-06-30')).toEqual({
      from: '2026-01-01',
      to: '2026-06-30',
    });
    expect(accountingPeriod('2026-11-27', '2020-11-27')).toEqual({ from: '2020-11-27', to: '2026-11-27' });
    const paths = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof Invalid
          ? (e.extra.errors as { path: string }[]).map((x) => x.path)
          : ['not Invalid'];
      }
      return [];
    };
    expect(paths(() => accountingPeriod('2026-11-27', '2020-11-26'))).toEqual(['from']);
    expect(paths(() => accountingPeriod('2026-11-27', undefined, '2026-11-28'))).toEqual(['to']);
    expect(paths(() => accountingPeriod('2026-11-27', '2026-06-01', '2026-05-01'))).toEqual(['from']);
  });
});
