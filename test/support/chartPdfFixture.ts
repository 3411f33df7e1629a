import type { ChartExport } from '../../src/services/chartExport/chartExportTypes.js';
import { RELEASE_CATEGORIES } from '../../src/domain/releaseScope.js';
import {
  dana,
  DANA,
  diagnosis,
  G1,
  G2,
  hash,
  JORDAN,
  LONG_ASSESSMENT,
  measure,
  P1,
  P2,
  progressNote,
  sam,
  SAM,
  session,
} from './chartPdfFixtureParts.js';

export { LONG_ASSESSMENT } from './chartPdfFixtureParts.js';

export const PDF_AMENDMENT_CHANGE = 'Strike "withdrawn from friends" from the assessment.';
export const PDF_DENIAL_TEXT = 'The note records what you described in the session; we find it accurate.';
export const PDF_DISAGREEMENT_TEXT = 'I see friends every week and the note makes me look isolated.';
export const PDF_PLAN_AMENDMENT_CHANGE = 'Change goal 2 to a return to full-time work.';

// A made-up client's record as loadChartForExport would return it, for rendering the PDF chart in tests
// and looking at its layout. Ids are readable stand-ins for UUIDs.

const DATES = [
  '2026-09-03',
  '2026-09-10',
  '2026-09-17',
  '2026-09-24',
  '2026-10-01',
  '2026-10-08',
  '2026-10-22',
  '2026-11-05',
];

/** The record of Marisol Quintero at Riverside Counseling, every category but psychotherapy notes. */

export function chartFixture(): ChartExport {
  const sessions = DATES.map((d, i) => session(i, d, i === 6 ? JORDAN : DANA));
  const notes = sessions.map((s, i) =>
    progressNote(
      s,
      i,
      i === 3 ? LONG_ASSESSMENT : 'Mood improving; engaged in session; no safety concerns reported.',
    ),
  );
  const n1 = notes[1];
  if (n1) {
    n1.addenda.push({
      id: 'a-1',
      noteId: n1.id,
      reason: 'Correction of medication name',
      text: 'The medication discussed was sertraline 50 mg, not 25 mg as written above.',
      signature: { ...dana, signedAt: '2026-09-12T14:00:00.000Z' },
      contentHash: hash(201),
    });
  }
  const n6 = notes[6];
  if (n6) n6.cosignature = { ...sam, signedAt: '2026-10-23T13:30:00.000Z' };
  const n7 = notes[7];
  if (n7) n7.lateEntry = true;
  const planContent = {
    problems: [
      { id: P1, statement: 'Low mood most days; withdrawn from friends.', diagnosisIds: ['d-1'] },
      { id: P2, statement: 'Worry about work that disrupts sleep.', diagnosisIds: ['d-2'] },
    ],
    goals: [
      {
        id: G1,
        problemIds: [P1],
        statement: 'Reduce depressive symptoms to the mild range.',
        measuredBy: 'PHQ-9 every session',
        baseline: 'PHQ-9 18 (2026-09-03)',
        target: 'PHQ-9 below 10',
        targetDate: '2026-12-15',
        status: 'active' as const,
        measure: { instrument: 'phq9' as const, below: 10 },
        objectives: [
          {
            id: 'o-1',
            statement: 'Schedule two pleasant activities a week.',
            measure: 'activity log',
            targetDate: '2026-12-15',
            status: 'active' as const,
          },
        ],
        interventions: [
          {
            id: 'i-1',
            modality: 'cbt' as const,
            description: 'Behavioural activation and thought records.',
            frequency: 'weekly',
            responsibleClinicianId: DANA,
          },
        ],
      },
      {
        id: G2,
        problemIds: [P2],
        statement: 'Sleep through the night at least five nights a week.',
        measuredBy: 'Sleep diary',
        baseline: 'Two nights a week',
        target: 'Five nights a week',
        targetDate: '2026-11-30',
        status: 'achieved' as const,
        measure: null,
        objectives: [],
        interventions: [],
      },
    ],
    servicePlan: {
      sessionType: 'individual' as const,
      minutes: 53,
      frequency: 'weekly',
      expectedDuration: '16 weeks',
    },
    strengths: 'Motivated; supportive sister; stable employment.',
    barriers: 'Long work hours.',
    dischargeCriteria: 'PHQ-9 below 10 for two consecutive months.',
  };
  const planVersion = (versionNo: number, signedAt: string, current: boolean) => ({
    id: `pv-${versionNo}`,
    planId: 'plan-1',
    versionNo,
    basedOnVersionId: versionNo === 1 ? null : `pv-${versionNo - 1}`,
    content: planContent,
    createdAt: signedAt,
    signature: { ...dana, signedAt },
    contentHash: hash(100 + versionNo),
    reviewDueDate: '2026-12-02',
    current,
    acknowledgements: current
      ? [
          {
            id: 'ack-1',
            typedName: 'Marisol Quintero',
            acknowledgedOn: '2026-09-10',
            method: 'in_person' as const,
            hasDrawnSignature: true,
            recordedBy: DANA,
            recordedAt: '2026-09-10T16:00:00.000Z',
          },
        ]
      : [],
  });
  const phq = [18, 16, 15, 14, 12, 11, 9];
  const phqBand = (t: number) => (t >= 15 ? 'Moderately severe' : t >= 10 ? 'Moderate' : 'Mild');
  return {
    formatVersion: 1,
    exportedAt: '2026-11-27T21:20:00.000Z',
    exportedBy: { userId: DANA, name: 'Dana Reyes', credentials: 'LCSW' },
    scope: {
      categories: RELEASE_CATEGORIES.filter((c) => c !== 'psychotherapy_notes'),
      from: '2026-09-01',
      to: '2026-11-27',
      purpose: 'release',
      recipient: 'Dr. Alex Chen, Lakeside Psychiatry',
    },
    practice: {
      id: 'pr-1',
      name: 'Riverside Counseling',
      kind: 'clinical',
      timeZone: 'America/New_York',
      address: null,
      npi: null,
      taxId: null,
    },
    clinicians: [
      {
        id: DANA,
        name: 'Dana Reyes',
        credentials: 'LCSW',
        licenseNumber: 'LCSW-12345',
        npi: null,
        roles: ['clinician'],
      },
      {
        id: SAM,
        name: 'Sam Okafor',
        credentials: 'LCSW-S',
        licenseNumber: 'LCSW-88120',
        npi: null,
        roles: ['supervisor'],
      },
      {
        id: JORDAN,
        name: 'Jordan Lee',
        credentials: 'LMSW',
        licenseNumber: null,
        npi: null,
        roles: ['clinician'],
      },
    ],
    client: {
      id: 'c-1',
      clientCode: 'C-7KQ4M2',
      legalFirstName: 'Marisol',
      legalLastName: 'Quintero',
      dateOfBirth: '1991-03-14',
      demographicsIncluded: true,
      preferredName: 'Mari',
      pronouns: 'she/her',
      genderIdentity: 'Woman',
      sex: 'female',
      phones: [{ kind: 'mobile', number: '555-0142', mayLeaveMessage: true }],
      email: 'mari.q@example.org',
      address: {
        line1: '12 Elm Street',
        line2: 'Apt 4',
        city: 'Springfield',
        state: 'IL',
        postalCode: '62701',
        country: 'US',
      },
      preferredLanguage: 'English',
      referralSource: 'Primary care physician',
      intakeDate: '2026-09-03',
      status: 'active',
      statusReason: null,
      primaryClinicianId: DANA,
      careTeam: [DANA, JORDAN],
    },
    contacts: [
      {
        id: 'k-1',
        name: 'Lucia Quintero',
        relationship: 'Sister',
        phone: '555-0177',
        email: null,
        isEmergency: true,
        mayContact: true,
        notes: 'Evenings only',
      },
    ],
    background: {
      presentingConcerns:
        'Low mood for about eight months after a change of job; poor sleep; withdrawn from friends.',
      medicalHistory: 'Hypothyroidism, treated.',
      medications: 'Levothyroxine 50 mcg; sertraline 50 mg since October.',
      allergies: 'None known.',
      priorTherapy: 'Six sessions of counselling in college.',
      psychiatricHistory: 'One prior depressive episode (2013). No hospitalisations.',
      familySocialHistory: 'Lives alone; close to her sister; works as an accountant.',
      substanceUse: 'Alcohol 2–3 drinks a week; no other substances.',
      updatedAt: '2026-09-03T18:00:00.000Z',
    },
    diagnoses: [
      diagnosis(
        'd-1',
        'F33.1',
        'Major depressive disorder, recurrent, moderate',
        'primary',
        'active',
        '2026-03-01',
        null,
      ),
      diagnosis(
        'd-2',
        'F41.1',
        'Generalized anxiety disorder',
        'secondary',
        'resolved',
        '2026-03-01',
        '2026-11-05',
      ),
      diagnosis(
        'd-3',
        'F32.9',
        'Major depressive disorder, single episode, unspecified',
        'secondary',
        'entered_in_error',
        null,
        null,
      ),
    ],
    planVersions: [
      planVersion(1, '2026-09-03T19:00:00.000Z', false),
      planVersion(2, '2026-09-10T16:30:00.000Z', true),
    ],
    sessions,
    notes,
    goalRatings: notes.slice(1).map((n, i) => ({
      noteId: n.id,
      goalId: G1,
      planVersionId: 'pv-2',
      goalStatement: 'Reduce depressive symptoms to the mild range.',
      dateOfService: n.dateOfService,
      scale: 'five_point' as const,
      rating: Math.min(5, 2 + Math.floor(i / 2)),
      comment: i === 2 ? 'Used the activity log four days this week.' : null,
      newStatus: null,
    })),
    measures: [
      ...phq.map((t, i) => measure(i, 'phq9', DATES[i] ?? '2026-11-05', t, phqBand(t))),
      ...[12, 11, 8, 6].map((t, i) =>
        measure(
          i,
          'gad7',
          DATES[i * 2] ?? '2026-11-05',
          t,
          t >= 10 ? 'Moderate' : t >= 5 ? 'Mild' : 'Minimal',
        ),
      ),
    ],
    riskAlerts: [
      {
        id: 'r-1',
        kind: 'phq9_item9',
        administrationId: 'm-phq9-0',
        itemValue: 1,
        raisedAt: '2026-09-03T15:06:00.000Z',
        acknowledgedBy: DANA,
        acknowledgedAt: '2026-09-03T15:30:00.000Z',
        acknowledgementNote: 'Safety plan reviewed in session; no plan or intent.',
      },
    ],
    annotations: [
      {
        id: 'an-1',
        date: '2026-10-05',
        text: 'Started sertraline 50 mg',
        createdBy: DANA,
        createdAt: '2026-10-05T14:00:00.000Z',
      },
      {
        id: 'an-2',
        date: '2026-10-20',
        text: 'Returned to full-time work',
        createdBy: DANA,
        createdAt: '2026-10-20T14:00:00.000Z',
      },
    ],
    consents: [
      {
        id: 'cs-1',
        kind: 'treatment',
        status: 'active',
        title: 'Consent to treatment and practice policies',
        recipient: null,
        purpose: null,
        categories: [],
        signedOn: '2026-09-03',
        effectiveFrom: '2026-09-03',
        expiresOn: null,
        revokedAt: null,
        recordedBy: DANA,
        recordedAt: '2026-09-03T14:50:00.000Z',
        hasScan: true,
      },
      {
        id: 'cs-2',
        kind: 'release',
        status: 'active',
        title: 'Authorization to release records',
        recipient: 'Dr. Alex Chen, Lakeside Psychiatry',
        purpose: 'Continuity of care (medication management)',
        categories: ['diagnoses', 'plans', 'progress_notes', 'measures'],
        signedOn: '2026-11-20',
        effectiveFrom: '2026-11-20',
        expiresOn: '2027-11-20',
        revokedAt: null,
        recordedBy: DANA,
        recordedAt: '2026-11-20T15:00:00.000Z',
        hasScan: true,
      },
    ],
    psychotherapyNotes: [],
    importedDocuments: [],
    amendments: [
      {
        id: 'am-1',
        target: { kind: 'note', id: n1?.id ?? null, label: `Progress note, ${DATES[1] ?? ''}` },
        receivedOn: '2026-09-20',
        requestedChange: PDF_AMENDMENT_CHANGE,
        reason: 'I did not say I stopped going out.',
        status: 'denied',
        decision: {
          kind: 'denied',
          basis: 'accurate_complete',
          basisLabel: 'Accurate and complete',
          text: PDF_DENIAL_TEXT,
        },
        decidedBy: 'Dana Reyes',
        decidedOn: '2026-09-30',
        statements: [
          {
            id: 'st-1',
            kind: 'disagreement',
            text: PDF_DISAGREEMENT_TEXT,
            receivedOn: '2026-10-02',
            recordedAt: '2026-10-02T16:00:00.000Z',
            recordedBy: 'Dana Reyes',
          },
          {
            id: 'st-2',
            kind: 'rebuttal',
            text: 'The client described staying home most evenings that week.',
            receivedOn: '2026-10-05',
            recordedAt: '2026-10-05T16:00:00.000Z',
            recordedBy: 'Dana Reyes',
          },
        ],
      },
      {
        id: 'am-2',
        target: { kind: 'plan', id: 'plan-1', label: 'Treatment plan (version 2)' },
        receivedOn: '2026-11-10',
        requestedChange: PDF_PLAN_AMENDMENT_CHANGE,
        reason: 'My goal is to return to work, not to reduce hours.',
        status: 'open',
        decision: null,
        decidedBy: null,
        decidedOn: null,
        statements: [],
      },
    ],
    part2Notice: null,
  };
}

/** A record with `count` signed notes, one a week, for proving a long chart streams and paginates. */
export function largeChartFixture(count: number): ChartExport {
  const chart = chartFixture();
  const start = Date.parse('2022-01-03T00:00:00Z');
  chart.scope.from = null;
  chart.sessions = Array.from({ length: count }, (_, i) =>
    session(i + 1, new Date(start + i * 7 * 86_400_000).toISOString().slice(0, 10)),
  );
  chart.notes = chart.sessions.map((s, i) =>
    progressNote(s, i + 1, i % 10 === 0 ? LONG_ASSESSMENT : 'Mood steady; engaged; no safety concerns.'),
  );
  chart.goalRatings = [];
  return chart;
}
