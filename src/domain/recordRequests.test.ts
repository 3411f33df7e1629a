import { describe, expect, it } from 'vitest';
import { Conflict, Invalid } from './errors.js';
import {
  amendmentTravelsWith,
  checkExtension,
  checkOpen,
  checkReceivedOn,
  checkStatement,
  dueState,
  effectiveDueDate,
  firstDueDate,
  practiceToday,
  type RequestClock,
} from './recordRequests.js';

const copy = (over: Partial<RequestClock> = {}): RequestClock => ({
  kind: 'copy',
  receivedOn: '2026-01-10',
  dueOn: '2026-02-09',
  extendedDueOn: null,
  status: 'open',
  ...over,
});

describe('due dates', () => {
  it('counts 30 calendar days for a copy and 60 for an amendment, across month and leap-year ends', () => {
    expect(firstDueDate('copy', '2026-01-10')).toBe('2026-02-09');
    expect(firstDueDate('copy', '2028-02-15')).toBe('2028-03-16');
    expect(firstDueDate('amendment', '2026-11-27')).toBe('2027-01-26');
    expect(firstDueDate('amendment', '2024-01-01')).toBe('2024-03-01');
  });

  it('takes today in the practice time zone, not UTC', () => {
    const lateEvening = new Date('2026-03-01T03:30:00Z'); // 22:30 on 28 February in New York
    expect(practiceToday(lateEvening, 'America/New_York')).toBe('2026-02-28');
    expect(practiceToday(lateEvening, 'Europe/Berlin')).toBe('2026-03-01');
    const kiritimati = new Date('2026-02-28T10:30:00Z'); // UTC+14
    expect(practiceToday(kiritimati, 'Pacific/Kiritimati')).toBe('2026-03-01');
  });

  it('is due soon from 7 days before, due (not overdue) on the day itself, overdue the day after', () => {
    expect(dueState(copy(), '2026-02-01')).toBe('on_track');
    expect(dueState(copy(), '2026-02-02')).toBe('due_soon');
    expect(dueState(copy(), '2026-02-09')).toBe('due_soon');
    expect(dueState(copy(), '2026-02-10')).toBe('overdue');
    expect(dueState(copy({ status: 'fulfilled' }), '2026-03-10')).toBe('closed');
  });

  it('measures against the extended date once there is one', () => {
    const extended = copy({ extendedDueOn: '2026-03-01' });
    expect(effectiveDueDate(extended)).toBe('2026-03-01');
    expect(dueState(extended, '2026-02-10')).toBe('on_track');
    expect(dueState(extended, '2026-03-02')).toBe('overdue');
  });

  it('refuses a received date after today or more than ten years back', () => {
    expect(() => checkReceivedOn('2026-02-01', '2026-01-31')).toThrow(Invalid);
    expect(() => checkReceivedOn('2010-01-01', '2026-01-31')).toThrow(Invalid);
    expect(() => checkReceivedOn('2026-01-31', '2026-01-31')).not.toThrow();
  });
});

describe('extensions', () => {
  it('allows one extension of at most 30 days after the first deadline, given on or before it', () => {
    expect(() => checkExtension(copy(), '2026-03-11', '2026-02-09')).not.toThrow();
    expect(() => checkExtension(copy(), '2026-02-10', '2026-01-15')).not.toThrow();
  });

  it('refuses a date beyond 30 days, on or before the first deadline', () => {
    expect(() => checkExtension(copy(), '2026-03-12', '2026-01-15')).toThrow(/no later than 2026-03-11/);
    expect(() => checkExtension(copy(), '2026-02-09', '2026-01-15')).toThrow(Invalid);
    expect(() => checkExtension(copy(), '2026-02-01', '2026-01-15')).toThrow(Invalid);
  });

  it('refuses an extension asked after the first period (late)', () => {
    expect(() => checkExtension(copy(), '2026-03-01', '2026-02-10')).toThrow(/within the first 30 days/);
    const amendment: RequestClock = {
      kind: 'amendment',
      receivedOn: '2026-01-10',
      dueOn: '2026-03-11',
      extendedDueOn: null,
      status: 'open',
    };
    expect(() => checkExtension(amendment, '2026-04-01', '2026-03-11')).not.toThrow();
    expect(() => checkExtension(amendment, '2026-04-01', '2026-03-12')).toThrow(/first 60 days/);
  });

  it('refuses a second extension, and any extension of a closed request', () => {
    expect(() => checkExtension(copy({ extendedDueOn: '2026-02-20' }), '2026-03-01', '2026-01-15')).toThrow(
      /only one extension/,
    );
    expect(() => checkExtension(copy({ status: 'fulfilled' }), '2026-03-01', '2026-01-15')).toThrow(Conflict);
  });
});

describe('decisions', () => {
  it('are allowed only while the request is open', () => {
    expect(() => checkOpen({ status: 'open' }, 'accepted')).not.toThrow();
    expect(() => checkOpen({ status: 'denied' }, 'accepted')).toThrow(Conflict);
    expect(() => checkOpen({ status: 'fulfilled' }, 'fulfilled')).toThrow(/already fulfilled/);
  });

  it('take a statement of disagreement only after a denial, and a rebuttal only after a statement', () => {
    expect(() => checkStatement({ status: 'open' }, 'disagreement', [])).toThrow(Conflict);
    expect(() => checkStatement({ status: 'accepted' }, 'disagreement', [])).toThrow(Conflict);
    expect(() => checkStatement({ status: 'denied' }, 'disagreement', [])).not.toThrow();
    expect(() => checkStatement({ status: 'denied' }, 'rebuttal', [])).toThrow(/rebuttal/);
    expect(() => checkStatement({ status: 'denied' }, 'rebuttal', ['disagreement'])).not.toThrow();
  });
});

describe('amendments in later disclosures', () => {
  const all = new Set(['demographics', 'diagnoses', 'plans', 'progress_notes']);
  it('travel with an export that carries the disputed record, and only then', () => {
    expect(amendmentTravelsWith({ kind: 'note', id: 'n1' }, all, new Set(['n1']))).toBe(true);
    expect(amendmentTravelsWith({ kind: 'note', id: 'n1' }, all, new Set(['n2']))).toBe(false);
    expect(amendmentTravelsWith({ kind: 'note', id: 'n1' }, new Set(['plans']), new Set(['n1']))).toBe(false);
    expect(amendmentTravelsWith({ kind: 'plan', id: 'p1' }, new Set(['plans']), new Set())).toBe(true);
    expect(amendmentTravelsWith({ kind: 'diagnosis', id: 'd1' }, new Set(['plans']), new Set())).toBe(false);
    expect(
      amendmentTravelsWith({ kind: 'demographics', id: null }, new Set(['demographics']), new Set()),
    ).toBe(true);
  });
});
