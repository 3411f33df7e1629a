import type {
  ChartExport,
  ChartMeasure,
  ChartNote,
  ChartSession,
} from '../../src/services/chartExport/chartExportTypes.js';

// The repeated parts of the PDF chart fixture (chartPdfFixture.ts): sessions, notes, measures, diagnoses.

export const DANA = 'u-dana';
export const SAM = 'u-sam';
export const JORDAN = 'u-jordan';
export const P1 = 'prob-1';
export const P2 = 'prob-2';
export const G1 = 'goal-1';
export const G2 = 'goal-2';

export const LONG_ASSESSMENT = Array.from(
  { length: 14 },
  (_, i) =>
    `Paragraph ${i + 1} of the assessment. Client described the week in detail, including sleep (about six hours a night, ` +
    'waking early), appetite (improved), and two conversations with her sister that went better than expected. ' +
    'She related the lower mood on Sunday evenings to anticipation of the work week and practised the thought record in session.',
).join('\n\n');

export const dana = { userId: DANA, name: 'Dana Reyes', credentials: 'LCSW', licenseNumber: 'LCSW-12345' };
export const sam = { userId: SAM, name: 'Sam Okafor', credentials: 'LCSW-S', licenseNumber: 'LCSW-88120' };
export const jordan = { userId: JORDAN, name: 'Jordan Lee', credentials: 'LMSW', licenseNumber: null };

export const hash = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

export function session(i: number, date: string, clinicianId = DANA): ChartSession {
  return {
    id: `s-${i}`,
    clinicianId,
    serviceType: i === 0 ? 'intake_assessment' : 'individual',
    date,
    scheduledStart: `${date}T15:00:00.000Z`,
    scheduledEnd: `${date}T15:53:00.000Z`,
    actualStart: `${date}T15:02:00.000Z`,
    actualEnd: `${date}T15:55:00.000Z`,
    minutes: 53,
    modality: i % 3 === 2 ? 'video' : 'in_person',
    location: i % 3 === 2 ? null : 'Office 2',
    clientAtHome: i % 3 === 2,
    placeOfService: i % 3 === 2 ? '10' : '11',
    otherParticipants: [],
    interactiveComplexity: false,
    cpt: [{ code: i === 0 ? '90791' : '90834', units: 1, modifiers: [] }],
    cptOverrideReason: null,
    attendance: 'attended',
    cancellationReason: null,
    cancelledAt: null,
  };
}

/** A SOAP progress note for the session, signed an hour after it ended. */
export function progressNote(s: ChartSession, i: number, assessment: string): ChartNote {
  const author = s.clinicianId === JORDAN ? jordan : dana;
  const sections = [
    {
      title: 'Subjective',
      lines: [
        {
          label: 'Client report',
          text: `Session ${i}: client reports the week was "a bit lighter"; slept better on work nights.`,
        },
      ],
    },
    {
      title: 'Objective',
      lines: [
        { label: 'Presentation', text: 'Alert, oriented, affect brighter than last session, speech normal.' },
      ],
    },
    { title: 'Assessment', lines: [{ label: 'Clinical assessment', text: assessment }] },
    {
      title: 'Plan',
      lines: [
        { label: 'Plan', text: 'Continue weekly CBT; schedule two pleasant activities; PHQ-9 next session.' },
        { label: 'Next appointment', text: 'One week' },
      ],
    },
  ];
  return {
    id: `n-${i}`,
    sessionId: s.id,
    authorId: author.userId,
    kind: 'progress',
    format: 'soap',
    templateKey: 'builtin.progress.soap',
    templateVersion: 1,
    templateName: 'SOAP progress note',
    status: 'signed',
    dateOfService: s.date,
    sessionFacts: {
      serviceType: s.serviceType,
      start: s.actualStart,
      end: s.actualEnd,
      minutes: s.minutes,
      modality: s.modality,
      location: s.location,
      clientAtHome: s.clientAtHome,
      cpt: s.cpt,
    },
    diagnosisCodes: ['F33.1'],
    content: {},
    sections,
    text: sections.flatMap((x) => x.lines.map((l) => `${l.label}: ${l.text}`)).join('\n'),
    lateEntry: false,
    signature: { ...author, signedAt: `${s.date}T17:00:00.000Z` },
    contentHash: hash(i),
    requiresCosign: author === jordan,
    cosignature: null,
    addenda: [],
  };
}

export function measure(
  i: number,
  instrument: 'phq9' | 'gad7',
  date: string,
  total: number,
  band: string,
): ChartMeasure {
  return {
    id: `m-${instrument}-${i}`,
    instrument,
    version: '1',
    administeredAt: `${date}T15:05:00.000Z`,
    date,
    source: i % 2 === 0 ? 'clinician' : 'client_link',
    sessionId: null,
    recordedBy: i % 2 === 0 ? DANA : null,
    total,
    band: band.toLowerCase(),
    bandLabel: band,
    item9Positive: instrument === 'phq9' && i === 0,
    answers: {},
  };
}

export function diagnosis(
  id: string,
  code: string,
  description: string,
  rank: 'primary' | 'secondary',
  status: 'active' | 'resolved' | 'entered_in_error',
  onsetDate: string | null,
  resolvedDate: string | null,
): ChartExport['diagnoses'][number] {
  return {
    id,
    code,
    description,
    rank,
    status,
    onsetDate,
    resolvedDate,
    comment: null,
    recordedAt: '2026-09-03T18:00:00.000Z',
    recordedBy: DANA,
    updatedAt: '2026-09-03T18:00:00.000Z',
    history: [],
  };
}
