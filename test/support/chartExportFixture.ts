import type {
  ChartExport,
  ChartNote,
  ChartSession,
} from '../../src/services/chartExport/chartExportTypes.js';
import { RELEASE_CATEGORIES } from '../../src/domain/releaseScope.js';
import { emptyPlanContent } from '../../src/domain/treatmentPlan.js';

// A hand-built ChartExport (what loadChartForExport returns) with every part filled: two
// clinicians, a supervisor co-signature, an addendum, two plan versions, a measure with a
// risk alert, a consent and a psychotherapy note. Ids are real UUIDs so FHIR ids and
// references are what a real export makes. `chartExportFixture()` returns a fresh copy.

export const IDS = {
  practice: '01900000-0000-7000-8000-000000000001',
  client: '01900000-0000-7000-8000-000000000002',
  dana: '01900000-0000-7000-8000-0000000000d1',
  sam: '01900000-0000-7000-8000-0000000000d2',
  dxF41: '01900000-0000-7000-8000-0000000000a1',
  dxF32: '01900000-0000-7000-8000-0000000000a2',
  plan: '01900000-0000-7000-8000-0000000000b0',
  planV1: '01900000-0000-7000-8000-0000000000b1',
  planV2: '01900000-0000-7000-8000-0000000000b2',
  problem: '01900000-0000-7000-8000-0000000000c1',
  goal: '01900000-0000-7000-8000-0000000000c2',
  objective: '01900000-0000-7000-8000-0000000000c3',
  intervention: '01900000-0000-7000-8000-0000000000c4',
  session1: '01900000-0000-7000-8000-0000000000e1',
  session2: '01900000-0000-7000-8000-0000000000e2',
  note1: '01900000-0000-7000-8000-0000000000f1',
  note2: '01900000-0000-7000-8000-0000000000f2',
  addendum: '01900000-0000-7000-8000-0000000000f3',
  measure: '01900000-0000-7000-8000-000000000101',
  alert: '01900000-0000-7000-8000-000000000102',
  annotation: '01900000-0000-7000-8000-000000000103',
  consent: '01900000-0000-7000-8000-000000000104',
  contact: '01900000-0000-7000-8000-000000000105',
  psychotherapyNote: '01900000-0000-7000-8000-000000000106',
  amendNote: '01900000-0000-7000-8000-000000000108',
  amendStatement: '01900000-0000-7000-8000-000000000109',
  amendDiagnosis: '01900000-0000-7000-8000-00000000010a',
};

export const PSYCHOTHERAPY_TEXT =
  'Process impressions: transference theme around the father, explore next time.';
export const NOTE1_ASSESSMENT = 'Mood improving; practised thought records between sessions.';
export const ADDENDUM_TEXT = 'Correction: the client reported 6 hours of sleep, not 4.';
export const AMENDMENT_CHANGE = 'Remove "irritable" from the mental status section.';
export const DENIAL_TEXT = 'The note records what the clinician observed in session; it is accurate.';
export const DISAGREEMENT_TEXT = 'I was tired, not irritable, and I want that on the record.';
export const CORRECTION_TEXT = 'Onset date corrected to 2026-08-01 as the client reported.';

const h = (n: number) => n.toString(16).padStart(2, '0').repeat(32);
const dana = { userId: IDS.dana, name: 'Dana Reyes', credentials: 'LCSW', licenseNumber: 'LCSW-12345' };
const sam = { userId: IDS.sam, name: 'Sam Okafor', credentials: 'LCSW-S', licenseNumber: null };

function session(id: string, date: string, modality: ChartSession['modality']): ChartSession {
  return {
    id,
    clinicianId: IDS.dana,
    serviceType: 'individual',
    date,
    scheduledStart: `${date}T15:00:00.000Z`,
    scheduledEnd: `${date}T15:55:00.000Z`,
    actualStart: `${date}T15:02:00.000Z`,
    actualEnd: `${date}T15:55:00.000Z`,
    minutes: 53,
    modality,
    location: modality === 'in_person' ? 'Room 2' : null,
    clientAtHome: modality !== 'in_person',
    placeOfService: modality === 'in_person' ? '11' : '10',
    otherParticipants: [],
    interactiveComplexity: false,
    cpt: [{ code: '90837', units: 1, modifiers: modality === 'in_person' ? [] : ['95'] }],
    cptOverrideReason: null,
    attendance: 'attended',
    cancellationReason: null,
    cancelledAt: null,
  };
}

function note(id: string, sessionId: string, date: string, assessment: string): ChartNote {
  const sections = [
    {
      title: 'Subjective',
      lines: [{ label: 'Client report', text: 'Slept better this week.' }],
    },
    { title: 'Assessment', lines: [{ label: 'Assessment', text: assessment }] },
  ];
  return {
    id,
    sessionId,
    authorId: IDS.sam,
    kind: 'progress',
    format: 'soap',
    templateKey: 'builtin.progress.soap',
    templateVersion: 1,
    templateName: 'SOAP progress note',
    status: 'signed',
    dateOfService: date,
    sessionFacts: { start: `${date}T15:02:00.000Z`, end: `${date}T15:55:00.000Z`, minutes: 53 },
    diagnosisCodes: ['F41.1'],
    content: { subjective: 'Slept better this week.', assessment },
    sections,
    text: sections
      .map((s) => [s.title, ...s.lines.map((l) => `${l.label}: ${l.text}`)].join('\n'))
      .join('\n\n'),
    lateEntry: false,
    signature: { ...sam, signedAt: `${date}T17:00:00.000Z` },
    contentHash: h(id === IDS.note1 ? 1 : 2),
    requiresCosign: true,
    cosignature: { ...dana, signedAt: `${date}T18:00:00.000Z` },
    addenda: [],
  };
}

export function chartExportFixture(): ChartExport {
  const content = emptyPlanContent();
  content.problems = [{ id: IDS.problem, statement: 'Persistent worry', diagnosisIds: [IDS.dxF41] }];
  content.goals = [
    {
      id: IDS.goal,
      problemIds: [IDS.problem],
      statement: 'Reduce anxiety to a manageable level',
      measuredBy: 'GAD-7 every four weeks',
      baseline: 'GAD-7 of 14',
      target: 'Below 5',
      targetDate: '2027-03-01',
      status: 'active',
      measure: { instrument: 'phq9', below: 5 },
      objectives: [
        {
          id: IDS.objective,
          statement: 'Practise a thought record 3 times a week',
          measure: 'Self-report log',
          targetDate: '2027-01-15',
          status: 'active',
        },
      ],
      interventions: [
        {
          id: IDS.intervention,
          modality: 'cbt',
          description: 'Cognitive restructuring',
          frequency: 'Weekly',
          responsibleClinicianId: IDS.sam,
        },
      ],
    },
  ];
  content.strengths = 'Supportive sister.';
  const v1 = {
    id: IDS.planV1,
    planId: IDS.plan,
    versionNo: 1,
    basedOnVersionId: null,
    content: structuredClone(content),
    createdAt: '2026-09-01T14:00:00.000Z',
    signature: { ...dana, signedAt: '2026-09-01T16:00:00.000Z' },
    contentHash: h(10),
    reviewDueDate: '2026-11-30',
    current: false,
    acknowledgements: [],
  };
  const n1 = note(IDS.note1, IDS.session1, '2026-10-05', NOTE1_ASSESSMENT);
  n1.addenda = [
    {
      id: IDS.addendum,
      noteId: IDS.note1,
      reason: 'Sleep hours misrecorded',
      text: ADDENDUM_TEXT,
      signature: { ...sam, signedAt: '2026-10-06T10:00:00.000Z' },
      contentHash: h(3),
    },
  ];
  return {
    formatVersion: 1,
    exportedAt: '2026-11-20T12:00:00.000Z',
    exportedBy: { userId: IDS.dana, name: 'Dana Reyes', credentials: 'LCSW' },
    scope: {
      categories: RELEASE_CATEGORIES.filter((c) => c !== 'psychotherapy_notes'),
      from: null,
      to: null,
      purpose: 'release',
      recipient: 'Dr. Pat Lin, Riverside Clinic',
    },
    practice: {
      id: IDS.practice,
      name: 'Riverside Counselling',
      kind: 'clinical',
      timeZone: 'America/New_York',
      address: null,
      npi: null,
      taxId: null,
    },
    clinicians: [
      {
        id: IDS.dana,
        name: 'Dana Reyes',
        credentials: 'LCSW',
        licenseNumber: 'LCSW-12345',
        npi: null,
        roles: ['owner', 'clinician', 'supervisor'],
      },
      {
        id: IDS.sam,
        name: 'Sam Okafor',
        credentials: 'LCSW-S',
        licenseNumber: null,
        npi: null,
        roles: ['clinician'],
      },
    ],
    client: {
      id: IDS.client,
      clientCode: 'C-0042',
      legalFirstName: 'Alex',
      legalLastName: 'Morgan',
      dateOfBirth: '1990-04-12',
      demographicsIncluded: true,
      preferredName: 'Al',
      pronouns: 'they/them',
      genderIdentity: 'Non-binary',
      sex: 'female',
      phones: [{ kind: 'mobile', number: '555-0100', mayLeaveMessage: true }],
      email: 'alex@example.org',
      address: {
        line1: '1 Main St',
        line2: null,
        city: 'Springfield',
        state: 'IL',
        postalCode: '62701',
        country: 'US',
      },
      preferredLanguage: 'English',
      referralSource: 'Primary care',
      intakeDate: '2026-09-01',
      status: 'active',
      statusReason: null,
      primaryClinicianId: IDS.sam,
      careTeam: [IDS.sam, IDS.dana],
    },
    contacts: [
      {
        id: IDS.contact,
        name: 'Jamie Morgan',
        relationship: 'Sister',
        phone: '555-0101',
        email: null,
        isEmergency: true,
        mayContact: true,
        notes: null,
      },
    ],
    background: {
      presentingConcerns: 'Worry about work, poor sleep.',
      medicalHistory: null,
      medications: 'None',
      allergies: null,
      priorTherapy: null,
      psychiatricHistory: null,
      familySocialHistory: null,
      substanceUse: null,
      updatedAt: '2026-09-01T15:00:00.000Z',
    },
    diagnoses: [
      {
        id: IDS.dxF41,
        code: 'F41.1',
        description: 'Generalized anxiety disorder',
        rank: 'primary',
        status: 'active',
        onsetDate: '2026-06-01',
        resolvedDate: null,
        comment: 'Worry most days for more than six months.',
        recordedAt: '2026-09-01T15:00:00.000Z',
        recordedBy: IDS.dana,
        updatedAt: '2026-09-01T15:00:00.000Z',
        history: [
          {
            version: 1,
            rank: 'primary',
            status: 'active',
            onsetDate: '2026-06-01',
            resolvedDate: null,
            changedFields: ['code', 'rank', 'status'],
            changedBy: IDS.dana,
            changedAt: '2026-09-01T15:00:00.000Z',
          },
        ],
      },
      {
        id: IDS.dxF32,
        code: 'F32.0',
        description: 'Major depressive disorder, single episode, mild',
        rank: 'secondary',
        status: 'resolved',
        onsetDate: '2026-06-01',
        resolvedDate: '2026-10-30',
        comment: null,
        recordedAt: '2026-09-01T15:00:00.000Z',
        recordedBy: IDS.dana,
        updatedAt: '2026-10-30T15:00:00.000Z',
        history: [],
      },
    ],
    planVersions: [
      v1,
      {
        ...v1,
        id: IDS.planV2,
        versionNo: 2,
        basedOnVersionId: IDS.planV1,
        content: structuredClone(content),
        createdAt: '2026-11-01T14:00:00.000Z',
        signature: { ...dana, signedAt: '2026-11-01T16:00:00.000Z' },
        contentHash: h(11),
        reviewDueDate: '2027-01-30',
        current: true,
        acknowledgements: [
          {
            id: '01900000-0000-7000-8000-000000000107',
            typedName: 'Alex Morgan',
            acknowledgedOn: '2026-11-01',
            method: 'in_person',
            hasDrawnSignature: false,
            recordedBy: IDS.dana,
            recordedAt: '2026-11-01T16:05:00.000Z',
          },
        ],
      },
    ],
    sessions: [
      session(IDS.session1, '2026-10-05', 'in_person'),
      session(IDS.session2, '2026-10-12', 'video'),
    ],
    notes: [n1, note(IDS.note2, IDS.session2, '2026-10-12', 'Worry lower at work.')],
    goalRatings: [
      {
        noteId: IDS.note2,
        goalId: IDS.goal,
        planVersionId: IDS.planV1,
        goalStatement: 'Reduce anxiety to a manageable level',
        dateOfService: '2026-10-12',
        scale: 'five_point',
        rating: 3,
        comment: 'Some progress',
        newStatus: null,
      },
    ],
    measures: [
      {
        id: IDS.measure,
        instrument: 'phq9',
        version: 'en-1',
        administeredAt: '2026-10-12T15:10:00.000Z',
        date: '2026-10-12',
        source: 'clinician',
        sessionId: IDS.session2,
        recordedBy: IDS.sam,
        total: 9,
        band: 'mild',
        bandLabel: 'Mild',
        item9Positive: true,
        answers: { q1: 1, q2: 1, q3: 2, q4: 1, q5: 1, q6: 1, q7: 0, q8: 1, q9: 1, difficulty: 1 },
      },
    ],
    riskAlerts: [
      {
        id: IDS.alert,
        kind: 'phq9_item9',
        administrationId: IDS.measure,
        itemValue: 1,
        raisedAt: '2026-10-12T15:10:00.000Z',
        acknowledgedBy: IDS.sam,
        acknowledgedAt: '2026-10-12T16:00:00.000Z',
        acknowledgementNote: 'Safety plan reviewed.',
      },
    ],
    annotations: [
      {
        id: IDS.annotation,
        date: '2026-10-01',
        text: 'Started new job',
        createdBy: IDS.dana,
        createdAt: '2026-10-01T12:00:00.000Z',
      },
    ],
    consents: [
      {
        id: IDS.consent,
        kind: 'release_of_information',
        status: 'active',
        title: 'Release of information',
        recipient: 'Dr. Pat Lin (fax 555-0199)',
        purpose: 'Continuity of care',
        categories: ['diagnoses', 'plans'],
        signedOn: '2026-11-15',
        effectiveFrom: '2026-11-15',
        expiresOn: '2027-11-15',
        revokedAt: null,
        recordedBy: IDS.dana,
        recordedAt: '2026-11-15T12:00:00.000Z',
        hasScan: false,
      },
    ],
    psychotherapyNotes: [],
    importedDocuments: [],
    amendments: [
      {
        id: IDS.amendNote,
        target: { kind: 'note', id: IDS.note1, label: 'SOAP progress note, 2026-10-05' },
        receivedOn: '2026-10-20',
        requestedChange: AMENDMENT_CHANGE,
        reason: 'It is not how I was.',
        status: 'denied',
        decision: {
          kind: 'denied',
          basis: 'accurate_complete',
          basisLabel: 'Accurate and complete',
          text: DENIAL_TEXT,
        },
        decidedBy: 'Dana Reyes',
        decidedOn: '2026-10-28',
        statements: [
          {
            id: IDS.amendStatement,
            kind: 'disagreement',
            text: DISAGREEMENT_TEXT,
            receivedOn: '2026-11-02',
            recordedAt: '2026-11-02T15:00:00.000Z',
            recordedBy: 'Dana Reyes',
          },
        ],
      },
      {
        id: IDS.amendDiagnosis,
        target: { kind: 'diagnosis', id: IDS.dxF41, label: 'Diagnosis F41.1 Generalized anxiety disorder' },
        receivedOn: '2026-11-03',
        requestedChange: 'The worry started in August, not in June.',
        reason: 'Dates matter for my insurer.',
        status: 'accepted',
        decision: { kind: 'accepted', addendumId: null, correction: CORRECTION_TEXT },
        decidedBy: 'Dana Reyes',
        decidedOn: '2026-11-05',
        statements: [],
      },
    ],
    part2Notice: null,
  };
}

/** The fixture with a psychotherapy note and its authorization's scope (the author exporting). */
export function withPsychotherapyNote(chart: ChartExport): ChartExport {
  return {
    ...chart,
    scope: { ...chart.scope, categories: ['psychotherapy_notes'] },
    psychotherapyNotes: [
      {
        id: IDS.psychotherapyNote,
        authorId: IDS.sam,
        sessionId: IDS.session1,
        dateOfService: '2026-10-05',
        text: PSYCHOTHERAPY_TEXT,
        createdAt: '2026-10-05T18:00:00.000Z',
        updatedAt: '2026-10-05T18:00:00.000Z',
      },
    ],
  };
}
