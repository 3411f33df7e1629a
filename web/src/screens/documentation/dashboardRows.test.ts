import { describe, expect, it } from 'vitest';
import type { DocumentationDashboard, NeedsNoteItem } from '../../api/documentationApi.js';
import { groupWork, isUpToDate } from './dashboardRows.js';
import { formatSpan } from './documentationVocabulary.js';

function session(over: Partial<NeedsNoteItem>): NeedsNoteItem {
  return {
    sessionId: 's1',
    clientId: 'c1',
    clientCode: 'C-0001',
    displayName: 'Jo Rivera',
    serviceType: 'individual',
    start: '2026-03-02T16:00:00.000Z',
    end: '2026-03-02T16:53:00.000Z',
    attendance: 'attended',
    noteDueAt: '2026-03-05T16:53:00.000Z',
    deadline: 'not_due',
    overdueFor: null,
    noteId: null,
    noteState: 'none',
    shortNoteOnly: false,
    ...over,
  };
}

function dashboard(over: Partial<DocumentationDashboard>): DocumentationDashboard {
  return {
    now: '2026-03-09T12:00:00.000Z',
    policy: { noteDueHours: 72, reminderHoursBefore: 24 },
    counts: {
      needsNote: 0,
      drafts: 0,
      dueSoon: 0,
      overdue: 0,
      returned: 0,
      awaitingCosign: 0,
      toCosign: 0,
      riskAlerts: 0,
      planReviewsDueSoon: 0,
      planReviewsOverdue: 0,
    },
    needsNote: [],
    drafts: [],
    returned: [],
    awaitingCosign: [],
    toCosign: [],
    planReviews: [],
    riskAlerts: [],
    ...over,
  };
}

describe('documentation dashboard groups', () => {
  it('puts overdue first, oldest deadline first, then due soon, then the rest by deadline', () => {
    const g = groupWork(
      dashboard({
        needsNote: [
          session({ sessionId: 'a', noteDueAt: '2026-03-08T10:00:00.000Z', deadline: 'overdue' }),
          session({ sessionId: 'b', noteDueAt: '2026-03-04T10:00:00.000Z', deadline: 'overdue' }),
          session({ sessionId: 'c', noteDueAt: '2026-03-10T10:00:00.000Z', deadline: 'due_soon' }),
          session({ sessionId: 'd', noteDueAt: '2026-03-12T10:00:00.000Z' }),
          session({
            sessionId: 'e',
            noteDueAt: '2026-03-12T11:00:00.000Z',
            noteId: 'n-e',
            noteState: 'draft',
          }),
        ],
      }),
    );
    expect(g.overdue.map((r) => r.session?.id)).toEqual(['b', 'a']);
    expect(g.dueSoon.map((r) => r.session?.id)).toEqual(['c']);
    expect(g.later.map((r) => [r.session?.id, r.noteId])).toEqual([
      ['d', null],
      ['e', 'n-e'],
    ]);
  });

  it("shows a session's draft once, on the session's row, and standalone drafts on their own", () => {
    const g = groupWork(
      dashboard({
        needsNote: [session({ noteId: 'n1', noteState: 'draft' })],
        drafts: [
          {
            noteId: 'n1',
            clientId: 'c1',
            clientCode: 'C-0001',
            displayName: 'Jo Rivera',
            kind: 'progress',
            dateOfService: '2026-03-02',
            updatedAt: '2026-03-02T18:00:00.000Z',
            dueAt: '2026-03-05T16:53:00.000Z',
            deadline: 'not_due',
          },
          {
            noteId: 'n2',
            clientId: 'c2',
            clientCode: 'C-0002',
            displayName: 'Sam Lee',
            kind: 'contact',
            dateOfService: '2026-03-03',
            updatedAt: '2026-03-03T18:00:00.000Z',
            dueAt: null,
            deadline: 'not_due',
          },
        ],
      }),
    );
    expect(g.later.map((r) => r.noteId)).toEqual(['n1', 'n2']);
    expect(g.later[0]?.session?.id).toBe('s1');
    expect(g.later[1]?.session).toBeNull();
  });

  it('leaves returned notes and notes awaiting co-signature to their own sections', () => {
    const d = dashboard({
      needsNote: [
        session({ sessionId: 'r', noteId: 'n-r', noteState: 'returned', deadline: 'overdue' }),
        session({ sessionId: 'w', noteId: 'n-w', noteState: 'awaiting_cosign', deadline: 'overdue' }),
      ],
      returned: [
        {
          noteId: 'n-r',
          clientId: 'c1',
          clientCode: 'C-0001',
          displayName: 'Jo Rivera',
          dateOfService: '2026-03-02',
          returnedAt: '2026-03-06T12:00:00.000Z',
        },
      ],
    });
    const g = groupWork(d);
    expect(g.overdue).toEqual([]);
    expect(isUpToDate(d, g)).toBe(false);
    expect(isUpToDate(dashboard({}), groupWork(dashboard({})))).toBe(true);
  });

  it('words an age the way the server does', () => {
    expect(formatSpan(45 * 60_000)).toBe('45 min');
    expect(formatSpan(5 * 3_600_000 + 59 * 60_000)).toBe('5 h');
    expect(formatSpan(52 * 3_600_000)).toBe('2 d 4 h');
    expect(formatSpan(48 * 3_600_000)).toBe('2 d');
    expect(formatSpan(-1000)).toBe('0 min');
  });
});
