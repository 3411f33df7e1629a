import { Invalid } from './errors.js';

/** The same day six years earlier (29 February falls on 1 March). */
export function sixYearsBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y - 6, m - 1, d)).toISOString().slice(0, 10);
}

/** The accounting period: `from`/`to` as asked, default the six years up to today; never longer, never ahead. */
export function accountingPeriod(today: string, from?: string, to?: string): { from: string; to: string } {
  const sixYearsBack = sixYearsBefore(today);
  const end = to ?? today;
  const start = from ?? sixYearsBack;
  const errors: { path: string; message: string }[] = [];
  if (end > today) errors.push({ path: 'to', message: 'The period cannot end after today' });
  if (start < sixYearsBack)
    errors.push({ path: 'from', message: `An accounting covers at most six years: from ${sixYearsBack}` });
  if (start > end) errors.push({ path: 'from', message: 'The period must start on or before its end' });
  if (errors.length > 0) throw new Invalid('The accounting period is not valid', errors);
  return { from: start, to: end };
}
