import type { InstrumentId } from './measureInstruments.js';

export type ScheduleFrequency = 'every_session' | 'every_n_sessions' | 'monthly';
export const SCHEDULE_FREQUENCIES: readonly ScheduleFrequency[] = [
  'every_session',
  'every_n_sessions',
  'monthly',
];

export interface ScheduleItem {
  instrument: InstrumentId;
  frequency: ScheduleFrequency;
  /** Only for every_n_sessions: 2 to 52. */
  everyN: number | null;
}

export interface DueFacts {
  lastAdministeredAt: Date | null;
  /** Sessions that have begun (attended or under way) since the last administration. */
  sessionsSinceLast: number;
  now: Date;
}

export interface DueState {
  due: boolean;
  /** Plain words for the badge's title, e.g. "2 sessions since the last one". */
  reason: string;
}

/** The same day one calendar month later (clamped to the month's last day), in UTC. */
export function addOneMonth(d: Date): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(d);
  out.setUTCDate(1);
  out.setUTCMonth(m);
  out.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return out;
}

/** Whether a scheduled measure is due now: never given, enough sessions since, or a month passed. */
export function measureDue(item: ScheduleItem, facts: DueFacts): DueState {
  if (!facts.lastAdministeredAt) return { due: true, reason: 'Not given yet' };
  switch (item.frequency) {
    case 'every_session':
    case 'every_n_sessions': {
      const n = item.frequency === 'every_session' ? 1 : (item.everyN ?? 1);
      const s = facts.sessionsSinceLast;
      const since = `${s} session${s === 1 ? '' : 's'} since the last one`;
      return { due: s >= n, reason: s >= n ? since : `${since}; due after ${n}` };
    }
    case 'monthly': {
      const next = addOneMonth(facts.lastAdministeredAt);
      return next.getTime() <= facts.now.getTime()
        ? { due: true, reason: 'A month or more since the last one' }
        : { due: false, reason: `Next due ${next.toISOString().slice(0, 10)}` };
    }
  }
}

/** Counts session starts after the last administration (none given: all of them). */
export function sessionsSince(sessionStarts: readonly Date[], last: Date | null): number {
  if (!last) return sessionStarts.length;
  return sessionStarts.filter((s) => s.getTime() > last.getTime()).length;
}

/** Problems with a schedule: one entry per instrument, N only with every_n_sessions. */
export function checkSchedule(items: readonly ScheduleItem[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.instrument))
      problems.push({ path: `items.${i}.instrument`, message: 'Each questionnaire can be scheduled once' });
    seen.add(item.instrument);
    if (item.frequency === 'every_n_sessions') {
      if (item.everyN === null || !Number.isInteger(item.everyN) || item.everyN < 2 || item.everyN > 52)
        problems.push({ path: `items.${i}.everyN`, message: 'Enter how many sessions apart, from 2 to 52' });
    } else if (item.everyN !== null)
      problems.push({ path: `items.${i}.everyN`, message: 'Only "every N sessions" takes a number' });
  });
  return problems;
}
