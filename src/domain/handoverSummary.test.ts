import { describe, expect, it } from 'vitest';
import {
  assembleHandoverSummary,
  changeText,
  latestMeasures,
  latestRatingByGoal,
  openNoteItems,
  RECENT_SESSIONS,
  UPCOMING_SESSIONS,
  type HandoverFacts,
  type SessionFact,
} from './handoverSummary.js';

const TZ = 'America/Chicago';
const NOW = new Date('2026-11-27T18:00:00Z'); // 12:00 in Chicago
const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

const session = (n: number, over: Partial<SessionFact> = {}): SessionFact => ({
  startsAt: day(n),
  serviceType: 'individual',
  attendance: n < 0 ? 'attended' : 'scheduled',
  clinician: 'Dana Reyes',
  noteState: n < 0 ? 'signed' : 'none',
  ...over,
});

function facts(over: Partial<HandoverFacts> = {}): HandoverFacts {
  return {
    now: NOW,
    timeZone: TZ,
    diagnoses: [],
    plan: null,
    draftPlanPending: false,
    ratings: [],
    sessions: [],
    upcoming: [],
    scores: [],
    openAlerts: [],
    annotations: [],
    needsNote: [],
    unfinishedNotes: [],
    recordRequests: [],
    ...over,
  };
}

describe('latest measures', () => {
  it('takes the newest score of each instrument and its change from the one before', () => {
    const m = latestMeasures(
      [
        { instrument: 'phq9', administeredAt: day(-10), total: 9, band: 'mild' },
        { instrument: 'phq9', administeredAt: day(-40), total: 18, band: 'moderately_severe' },
        { instrument: 'gad7', administeredAt: day(-3), total: 12, band: 'moderate' },
        { instrument: 'phq9', administeredAt: day(-70), total: 20, band: 'severe' },
      ],
      TZ,
    );
    expect(m.map((x) => [x.instrument, x.total, x.previous?.total ?? null, x.change, x.direction])).toEqual([
      ['phq9', 9, 18, -9, 'fewer_symptoms'],
      ['gad7', 12, null, null, null],
    ]);
    expect(m[0]?.band).toBe('Mild');
    expect(m[0]?.date).toBe('2026-11-17');
  });

  it('words the change', () => {
    expect(changeText({ change: null })).toBe('First score');
    expect(changeText({ change: 0 })).toBe('No change');
    expect(changeText({ change: -4 })).toBe('Down 4 (fewer symptoms)');
    expect(changeText({ change: 3 })).toBe('Up 3 (more symptoms)');
  });

  it('an increase is more symptoms', () => {
    const [m] = latestMeasures(
      [
        { instrument: 'pcl5', administeredAt: day(-30), total: 30, band: 'below_cutpoint' },
        { instrument: 'pcl5', administeredAt: day(-1), total: 30, band: 'below_cutpoint' },
      ],
      TZ,
    );
    expect(m?.direction).toBe('unchanged');
  });
});

describe('latest goal ratings', () => {
  it('keeps the newest rating per goal and skips entries with neither rating nor status', () => {
    const r = latestRatingByGoal([
      { goalId: 'g1', date: '2026-11-20', scale: 'five_point', rating: 4, newStatus: null },
      { goalId: 'g1', date: '2026-10-01', scale: 'five_point', rating: 2, newStatus: null },
      { goalId: 'g1', date: '2026-11-25', scale: 'five_point', rating: null, newStatus: null },
      { goalId: 'g2', date: '2026-11-02', scale: 'zero_to_ten', rating: 7, newStatus: 'achieved' },
    ]);
    expect(r.get('g1')?.date).toBe('2026-11-20');
    expect(r.get('g2')).toEqual({ date: '2026-11-02', rating: '7 of 10; status set to Achieved' });
  });
});

describe('open items', () => {
  it('a session past its due time is overdue; drafts with a session are not listed twice; co-signatures apart', () => {
    const items = openNoteItems(
      [
        { startsAt: day(-2), dueAt: day(1), noteState: 'draft', clinician: 'Dana Reyes' },
        { startsAt: day(-9), dueAt: day(-6), noteState: 'none', clinician: 'Dana Reyes' },
      ],
      [
        { date: '2026-11-25', status: 'draft', author: 'Dana Reyes', cosigner: null, hasSession: true },
        { date: '2026-11-20', status: 'returned', author: 'Dana Reyes', cosigner: null, hasSession: false },
        {
          date: '2026-11-15',
          status: 'awaiting_cosign',
          author: 'Sam Lee',
          cosigner: 'Ana Ruiz',
          hasSession: true,
        },
      ],
      NOW,
      TZ,
    );
    expect(items.notesToWrite.map((n) => [n.date, n.state, n.overdue])).toEqual([
      ['2026-11-18', 'No note yet', true],
      ['2026-11-25', 'Draft', false],
    ]);
    expect(items.unsignedNotes).toEqual([
      { date: '2026-11-20', status: 'Returned for changes', author: 'Dana Reyes' },
    ]);
    expect(items.awaitingCosign).toEqual([{ date: '2026-11-15', author: 'Sam Lee', cosigner: 'Ana Ruiz' }]);
  });
});

describe('the whole summary', () => {
  it('keeps active diagnoses primary first, the recent and upcoming windows, and a due plan review', () => {
    const s = assembleHandoverSummary(
      facts({
        diagnoses: [
          { code: 'F41.1', description: 'GAD', rank: 'secondary', status: 'active', onsetDate: null },
          { code: 'F32.0', description: 'Old', rank: 'secondary', status: 'resolved', onsetDate: null },
          { code: 'F33.1', description: 'MDD', rank: 'primary', status: 'active', onsetDate: '2025-01-02' },
        ],
        plan: {
          versionNo: 2,
          signedAt: day(-80),
          signedBy: 'Dana Reyes, LCSW',
          reviewDueDate: '2026-12-01',
          goals: [
            { id: 'g1', statement: 'Lift mood', status: 'active' },
            { id: 'g2', statement: 'Walk', status: 'achieved' },
          ],
        },
        ratings: [{ goalId: 'g1', date: '2026-11-20', scale: 'five_point', rating: 3, newStatus: null }],
        sessions: Array.from({ length: 8 }, (_, i) => session(-1 - i * 7)),
        upcoming: [
          session(14),
          session(-1),
          session(7),
          ...Array.from({ length: 6 }, (_, i) => session(21 + i)),
        ],
        openAlerts: [{ raisedAt: day(-5), itemValue: 2, instrumentTotal: 17 }],
        annotations: Array.from({ length: 7 }, (_, i) => ({ date: `2026-10-0${i + 1}`, text: `a${i}` })),
        recordRequests: [
          { kind: 'copy', receivedOn: '2026-10-20', dueOn: '2026-11-19' },
          { kind: 'amendment', receivedOn: '2026-11-20', dueOn: '2027-01-19' },
        ],
      }),
    );
    expect(s.diagnoses.map((d) => `${d.rank} ${d.code}`)).toEqual(['Primary F33.1', 'Secondary F41.1']);
    expect(s.plan?.goals.map((g) => [g.status, g.latestRating?.rating ?? null])).toEqual([
      ['Active', 'Some progress'],
      ['Achieved', null],
    ]);
    expect(s.recentSessions).toHaveLength(RECENT_SESSIONS);
    expect(s.recentSessions[0]).toMatchObject({
      date: '2026-11-26',
      time: '12:00',
      attendance: 'Attended',
      note: 'Signed',
    });
    expect(s.openItems.upcomingSessions).toHaveLength(UPCOMING_SESSIONS);
    expect(s.openItems.upcomingSessions[0]?.date).toBe('2026-12-04');
    expect(s.openItems.planReview).toEqual({ dueDate: '2026-12-01', state: 'due_soon' });
    expect(s.risk.openAlerts[0]?.description).toContain('item 9');
    expect(s.risk.annotations.map((a) => a.text)).toEqual(['a6', 'a5', 'a4', 'a3', 'a2']);
    expect(s.takenAt).toBe(NOW.toISOString());
    expect(s.openItems.recordRequests.map((r) => [r.kind, r.overdue])).toEqual([
      ['Copy of the record', true],
      ['Amendment of the record', false],
    ]);
  });

  it('a plan review not yet due is no open item; no plan means no review', () => {
    const plan = { versionNo: 1, signedAt: day(-1), signedBy: 'X', reviewDueDate: '2027-02-25', goals: [] };
    expect(assembleHandoverSummary(facts({ plan })).openItems.planReview).toBeNull();
    expect(assembleHandoverSummary(facts()).openItems.planReview).toBeNull();
    expect(assembleHandoverSummary(facts()).plan).toBeNull();
  });

  it('a session that needed no note says so', () => {
    const s = assembleHandoverSummary(
      facts({ sessions: [session(-3, { attendance: 'cancelled_client', noteState: 'none' })] }),
    );
    expect(s.recentSessions[0]?.note).toBe('Not needed');
  });
});
