import type { ChartExport, ChartPlanVersion } from '../../services/chartExport/chartExportTypes.js';
import {
  GOAL_INSTRUMENT_LABELS,
  GOAL_STATUS_LABELS,
  INTERVENTION_MODALITY_LABELS,
} from '../../domain/planVocabulary.js';
import { SERVICE_TYPE_LABELS } from '../../domain/sessionLabels.js';
import { signatureLine } from '../notePdf.js';
import { clinicianName, hashLabel, signatureBlock, when, words } from './chartFormat.js';
import type { ChartWriter } from './chartWriter.js';

// Demographics and contacts, background history, diagnoses and the treatment plan.

export function writeDemographics(w: ChartWriter, chart: ChartExport): void {
  const c = chart.client;
  const address = c.address
    ? [
        c.address.line1,
        c.address.line2,
        `${c.address.city}, ${c.address.state} ${c.address.postalCode}`,
        c.address.country,
      ]
        .filter((line): line is string => line !== null && line !== '')
        .join(', ')
    : null;
  const facts: [string, string | null][] = [
    ['Legal name', `${c.legalFirstName} ${c.legalLastName}`],
    ['Preferred name', c.preferredName],
    ['Pronouns', c.pronouns],
    ['Date of birth', c.dateOfBirth],
    ['Sex', c.sex === null ? null : words(c.sex)],
    ['Gender identity', c.genderIdentity],
    ['Record number', c.clientCode],
    ['Preferred language', c.preferredLanguage],
    [
      'Phone',
      c.phones
        .map((p) => `${p.number} (${p.kind}${p.mayLeaveMessage ? ', messages allowed' : ', no messages'})`)
        .join('; '),
    ],
    ['Email', c.email],
    ['Address', address],
    ['Referral source', c.referralSource],
    ['Intake date', c.intakeDate],
    ['Status', c.status === null ? null : words(c.status) + (c.statusReason ? ` — ${c.statusReason}` : '')],
    ['Primary clinician', c.primaryClinicianId === null ? null : clinicianName(chart, c.primaryClinicianId)],
    ['Care team', c.careTeam.map((id) => clinicianName(chart, id)).join('; ')],
  ];
  w.table(
    [130, '*'],
    ['Item', 'Recorded'],
    facts.filter((f): f is [string, string] => f[1] !== null && f[1] !== '').map(([k, v]) => [k, v]),
  );
  w.gap(0.4);
  w.heading('Contacts', 12);
  if (chart.contacts.length === 0) w.body('No contacts recorded.');
  else
    w.table(
      [110, 90, 120, '*'],
      ['Name', 'Relationship', 'Phone / email', 'Notes'],
      chart.contacts.map((k) => [
        k.name + (k.isEmergency ? ' (emergency contact)' : ''),
        k.relationship,
        [k.phone, k.email].filter((v): v is string => v !== null && v !== '').join('\n'),
        [k.mayContact ? 'May be contacted' : 'Do not contact', k.notes]
          .filter((v): v is string => !!v)
          .join('. '),
      ]),
    );
}

export function writeBackground(w: ChartWriter, chart: ChartExport): void {
  const b = chart.background;
  if (b === null) return;
  const fields: [string, string | null][] = [
    ['Presenting concerns', b.presentingConcerns],
    ['Psychiatric history', b.psychiatricHistory],
    ['Prior therapy', b.priorTherapy],
    ['Medical history', b.medicalHistory],
    ['Medications', b.medications],
    ['Allergies', b.allergies],
    ['Substance use', b.substanceUse],
    ['Family and social history', b.familySocialHistory],
  ];
  for (const [label, text] of fields) if (text !== null && text !== '') w.field(label, text);
  w.muted(`Last updated ${when(chart, b.updatedAt)}.`);
}

export function writeDiagnoses(w: ChartWriter, chart: ChartExport): void {
  if (chart.diagnoses.length === 0) {
    w.body('No diagnoses recorded.');
    return;
  }
  const current = chart.diagnoses.filter((d) => d.status === 'active' || d.status === 'rule_out');
  const past = chart.diagnoses.filter((d) => !current.includes(d));
  const rows = (list: typeof chart.diagnoses) =>
    list.map((d) => [
      d.code,
      d.description + (d.comment ? `\n${d.comment}` : ''),
      words(d.rank),
      d.status === 'rule_out' ? 'Rule out' : words(d.status),
      d.onsetDate ?? '—',
      d.resolvedDate ?? '—',
    ]);
  const columns: (number | '*')[] = [52, '*', 62, 78, 64, 64];
  const header = ['Code', 'Diagnosis', 'Rank', 'Status', 'Onset', 'Resolved'];
  w.heading('Current', 12);
  if (current.length === 0) w.body('None current.');
  else w.table(columns, header, rows(current));
  if (past.length > 0) {
    w.heading('Past and entered in error', 12);
    w.table(columns, header, rows(past));
  }
  w.muted(
    'Diagnoses entered in error are kept for the history of the record; they are not clinical findings.',
  );
}

/** The plan in force (the latest signed version), in full; earlier versions by their signature lines. */
export function writePlan(w: ChartWriter, chart: ChartExport): void {
  const versions = chart.planVersions;
  const plan = versions.find((v) => v.current) ?? versions[versions.length - 1];
  if (!plan) {
    w.body('No signed treatment plan in this period.');
    return;
  }
  const diagnosisCode = (id: string) => chart.diagnoses.find((d) => d.id === id)?.code ?? null;
  const c = plan.content;
  w.body(
    `Version ${plan.versionNo}. ${signatureLine(signatureBlock(chart, plan.signature, 'Signed'))}. ` +
      `Review due ${plan.reviewDueDate}.`,
  );
  w.muted(`Content hash ${hashLabel(plan.contentHash)}`);
  w.gap(0.6);

  w.heading('Problems', 12);
  c.problems.forEach((p, i) => {
    const codes = p.diagnosisIds.map(diagnosisCode).filter((x): x is string => x !== null);
    w.body(`${i + 1}. ${p.statement}`);
    if (codes.length > 0) w.muted(`Diagnoses: ${codes.join(', ')}`, 12);
    w.gap(0.2);
  });
  w.gap(0.4);

  c.goals.forEach((g, i) => {
    w.heading(`Goal ${i + 1} — ${GOAL_STATUS_LABELS[g.status]}`, 11, 4);
    w.body(g.statement);
    w.gap(0.2);
    const problems = g.problemIds
      .map((id) => c.problems.findIndex((p) => p.id === id) + 1)
      .filter((n) => n > 0)
      .join(', ');
    const facts: [string, string | null][] = [
      ['Problems', problems],
      ['Target date', g.targetDate],
      ['Measured by', g.measuredBy],
      ['Baseline', g.baseline],
      ['Target', g.target],
      [
        'Measure',
        g.measure ? `${GOAL_INSTRUMENT_LABELS[g.measure.instrument]} below ${g.measure.below}` : null,
      ],
    ];
    for (const [label, value] of facts) if (value) w.fact(label, value, 12);
    g.objectives.forEach((o, j) => {
      w.gap(0.15);
      const by = o.targetDate ? `, by ${o.targetDate}` : '';
      const how = o.measure ? ` (${o.measure})` : '';
      w.body(`Objective ${i + 1}.${j + 1}: ${o.statement} — ${GOAL_STATUS_LABELS[o.status]}${by}${how}`, 12);
    });
    g.interventions.forEach((v) => {
      w.gap(0.15);
      const often = v.frequency ? `, ${v.frequency}` : '';
      const who = v.responsibleClinicianId ? ` — ${clinicianName(chart, v.responsibleClinicianId)}` : '';
      w.body(`Intervention: ${INTERVENTION_MODALITY_LABELS[v.modality]}. ${v.description}${often}${who}`, 12);
    });
    w.gap(0.7);
  });

  const service = c.servicePlan;
  const serviceLine = [
    service.sessionType ? SERVICE_TYPE_LABELS[service.sessionType] : null,
    service.minutes ? `${service.minutes} minutes` : null,
    service.frequency || null,
    service.expectedDuration ? `expected duration ${service.expectedDuration}` : null,
  ].filter((x): x is string => x !== null);
  if (serviceLine.length > 0) w.field('Service plan', serviceLine.join(', '));
  if (c.strengths) w.field('Strengths', c.strengths);
  if (c.barriers) w.field('Barriers', c.barriers);
  if (c.dischargeCriteria) w.field('Discharge criteria', c.dischargeCriteria);

  w.gap(0.4);
  w.heading('Client acknowledgement', 12, 2);
  acknowledgements(w, chart, plan);
  const earlier = versions.filter((v) => v !== plan);
  if (earlier.length > 0) {
    w.gap(0.4);
    w.heading('Earlier signed versions', 12, 2);
    for (const v of earlier) {
      w.body(`Version ${v.versionNo}: ${signatureLine(signatureBlock(chart, v.signature, 'Signed'))}.`);
      w.muted(`Content hash ${hashLabel(v.contentHash)}`);
      w.gap(0.2);
    }
  }
}

function acknowledgements(w: ChartWriter, chart: ChartExport, plan: ChartPlanVersion): void {
  if (plan.acknowledgements.length === 0) {
    w.body('No client acknowledgement of this version is recorded.');
    return;
  }
  for (const a of plan.acknowledgements) {
    const method = a.method === 'in_person' ? 'in person' : 'remotely';
    const drawn = a.hasDrawnSignature ? ', with a drawn signature' : '';
    w.body(
      `Acknowledged by ${a.typedName} on ${a.acknowledgedOn}, ${method}${drawn}; recorded by ${clinicianName(chart, a.recordedBy)} ${when(chart, a.recordedAt)}.`,
    );
  }
}
