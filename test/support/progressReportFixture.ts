import type { ProgressReportModel } from '../../src/documents/progressReportPdf.js';

// A made-up client's progress report, as the service would resolve it: for rendering tests and looking at the layout.

export const PHQ9_BANDS = [
  { label: 'Minimal', min: 0, max: 4 },
  { label: 'Mild', min: 5, max: 9 },
  { label: 'Moderate', min: 10, max: 14 },
  { label: 'Moderately severe', min: 15, max: 19 },
  { label: 'Severe', min: 20, max: 27 },
];

const sessions = Array.from({ length: 30 }, (_, i) => ({
  date: `2026-${String(9 + Math.floor(i / 10)).padStart(2, '0')}-${String(1 + (i % 10) * 3).padStart(2, '0')}`,
  time: '10:00',
  service: 'Individual',
  clinician: 'Dana Reyes',
  attendance: i % 7 === 3 ? 'No-show' : 'Attended',
  minutes: i % 7 === 3 ? null : 53,
}));

export const fixture: ProgressReportModel = {
  practice: { name: 'Riverside Counseling' },
  client: { displayName: 'Marisol Quintero', clientCode: 'C-7KQ4M2', dateOfBirth: '1991-03-14' },
  clinician: 'Dana Reyes, LCSW',
  period: { from: '2026-09-01', to: '2026-11-27' },
  generated: { at: '2026-11-27 16:20 EST', by: 'Dana Reyes' },
  diagnoses: [
    {
      code: 'F33.1',
      description: 'Major depressive disorder, recurrent, moderate',
      rank: 'Primary',
      onsetDate: '2025-06-01',
    },
    { code: 'F41.1', description: 'Generalized anxiety disorder', rank: 'Secondary', onsetDate: null },
  ],
  plan: {
    versionNo: 2,
    signed: 'signed 2026-09-03 by Dana Reyes, LCSW',
    reviewDueDate: '2026-12-02',
    problems: [
      { number: 1, statement: 'Low mood most days; withdrawn from friends.', diagnoses: 'F33.1' },
      { number: 2, statement: 'Worry about work that disrupts sleep.', diagnoses: 'F41.1' },
    ],
    goals: [
      {
        number: 1,
        statement: 'Reduce depressive symptoms to the mild range.',
        status: 'Active',
        targetDate: '2027-01-31',
        measuredBy: 'PHQ-9 every session',
        baseline: 'PHQ-9 18',
        target: 'PHQ-9 below 10',
        problems: '1',
        measure: 'PHQ-9 below 10',
        progress: 'Baseline 18, latest 11 on 2026-11-20: 78% of the way to the target',
        objectives: [
          {
            number: '1.1',
            statement: 'Schedule two pleasant activities a week.',
            status: 'Active',
            targetDate: '2026-12-15',
            measure: 'activity log',
          },
        ],
      },
      {
        number: 2,
        statement: 'Sleep at least six hours on most nights.',
        status: 'Achieved',
        targetDate: '2026-11-30',
        measuredBy: 'Sleep diary',
        baseline: '4 hours',
        target: '6 hours, 5 nights of 7',
        problems: '2',
        measure: null,
        progress: null,
        objectives: [],
      },
    ],
  },
  goalRatings: null,
  measures: [
    {
      name: 'PHQ-9',
      maxTotal: 27,
      bands: PHQ9_BANDS,
      bandNote: 'Bands as published; not a diagnosis.',
      points: [
        { date: '2026-09-03', total: 18, band: 'Moderately severe' },
        { date: '2026-10-01', total: 14, band: 'Moderate' },
        { date: '2026-11-20', total: 11, band: 'Moderate' },
      ],
      targets: [{ below: 10, label: 'Goal 1: below 10' }],
    },
  ],
  annotations: [{ number: 1, date: '2026-10-05', text: 'Started sertraline 50 mg' }],
  attendance: {
    counts: [
      { label: 'Attended', count: 26 },
      { label: 'No-show', count: 4 },
      { label: 'Late cancel', count: 0 },
      { label: 'Cancelled', count: 0 },
    ],
    sessions,
    notListed: null,
  },
};
