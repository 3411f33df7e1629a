export type PeriodChoice = 'this_month' | 'last_month' | 'last_90_days' | 'custom';

export interface Period {
  from: string;
  to: string;
}

/** Today's calendar date (YYYY-MM-DD) in the practice's time zone, not the browser's. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function toDate(ymd: string): Date {
  const [y = 1970, m = 1, d = 1] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function toYmd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The from/to dates (both inclusive) of a named period ending today. */
export function periodFor(choice: Exclude<PeriodChoice, 'custom'>, today: string): Period {
  const t = toDate(today);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  switch (choice) {
    case 'this_month':
      return { from: toYmd(new Date(Date.UTC(y, m, 1))), to: today };
    case 'last_month':
      // Day 0 of this month is the last day of the previous one.
      return { from: toYmd(new Date(Date.UTC(y, m - 1, 1))), to: toYmd(new Date(Date.UTC(y, m, 0))) };
    case 'last_90_days':
      return { from: toYmd(new Date(t.getTime() - 89 * 86_400_000)), to: today };
  }
}

const YMD = /^\d{4}-\d{2}-\d{2}$/;

/** Field errors for a custom period, keyed by field name; empty when it is usable. */
export function customPeriodErrors(p: Period): Record<string, string> {
  const errors: Record<string, string> = {};
  const valid = (s: string) => YMD.test(s) && toYmd(toDate(s)) === s;
  if (!p.from) errors.from = 'Enter the first day of the period';
  else if (!valid(p.from)) errors.from = 'Enter a real date, for example 2026-03-01';
  if (!p.to) errors.to = 'Enter the last day of the period';
  else if (!valid(p.to)) errors.to = 'Enter a real date, for example 2026-03-31';
  if (!errors.from && !errors.to && p.from > p.to)
    errors.to = 'The last day must be on or after the first day';
  return errors;
}
