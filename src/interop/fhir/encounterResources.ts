import type {
  ChartDiagnosis,
  ChartExport,
  ChartSession,
} from '../../services/chartExport/chartExportTypes.js';
import { CPT_CODES } from '../../domain/cptTimeRule.js';
import { MODALITY_LABELS, SERVICE_TYPE_LABELS } from '../../domain/sessionLabels.js';
import {
  codeSystem,
  concept,
  CPT,
  ext,
  ICD10CM,
  POS,
  prune,
  ref,
  UCUM,
  type Resource,
} from './fhirCommon.js';

// Sessions as Encounter, diagnoses as problem-list Condition.

const ACT_ENCOUNTER = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const CPT_LABELS = new Map(CPT_CODES.map((c) => [c.code, c.label]));

function encounterStatus(s: ChartSession): string {
  switch (s.attendance) {
    case 'attended':
      return 'finished';
    case 'scheduled':
      return 'unknown';
    case 'no_show':
    case 'late_cancel':
    case 'cancelled_client':
    case 'cancelled_clinician':
      return 'cancelled';
  }
}

export function encounter(chart: ChartExport, s: ChartSession): Resource {
  const start = s.actualStart ?? s.scheduledStart;
  const end = s.actualEnd ?? s.scheduledEnd;
  const virtual = s.modality !== 'in_person';
  return prune({
    resourceType: 'Encounter',
    id: s.id,
    status: encounterStatus(s),
    class: virtual
      ? { system: ACT_ENCOUNTER, code: 'VR', display: 'virtual' }
      : { system: ACT_ENCOUNTER, code: 'AMB', display: 'ambulatory' },
    type: s.cpt.map((c) => ({
      coding: [{ system: CPT, code: c.code, display: CPT_LABELS.get(c.code) }],
      text: c.modifiers.length > 0 ? `${c.code}-${c.modifiers.join('-')}` : c.code,
      extension: [
        c.units !== 1 ? { url: ext('cpt-units'), valueInteger: c.units } : null,
        ...c.modifiers.map((m) => ({ url: ext('cpt-modifier'), valueCode: m })),
      ],
    })),
    serviceType: concept(codeSystem('service-type'), s.serviceType, SERVICE_TYPE_LABELS[s.serviceType]),
    subject: ref('Patient', chart.client.id),
    participant: [
      {
        type: [concept(PARTICIPATION, 'PPRF', 'primary performer')],
        individual: ref('Practitioner', s.clinicianId),
      },
    ],
    period: { start, end },
    length: s.minutes !== null ? { value: s.minutes, unit: 'min', system: UCUM, code: 'min' } : undefined,
    serviceProvider: ref('Organization', chart.practice.id),
    extension: [
      { url: ext('attendance'), valueCode: s.attendance },
      {
        url: ext('modality'),
        valueCoding: {
          system: codeSystem('modality'),
          code: s.modality,
          display: MODALITY_LABELS[s.modality],
        },
      },
      { url: ext('place-of-service'), valueCoding: { system: POS, code: s.placeOfService } },
      { url: ext('date-of-service'), valueDate: s.date },
      { url: ext('scheduled-period'), valuePeriod: { start: s.scheduledStart, end: s.scheduledEnd } },
      s.location ? { url: ext('location-text'), valueString: s.location } : null,
      s.clientAtHome ? { url: ext('client-at-home'), valueBoolean: true } : null,
      s.interactiveComplexity ? { url: ext('interactive-complexity'), valueBoolean: true } : null,
      s.cptOverrideReason ? { url: ext('cpt-override-reason'), valueString: s.cptOverrideReason } : null,
      s.cancellationReason ? { url: ext('cancellation-reason'), valueString: s.cancellationReason } : null,
      s.cancelledAt ? { url: ext('cancelled-at'), valueDateTime: s.cancelledAt } : null,
      ...s.otherParticipants.map((p) => ({ url: ext('other-participant'), valueString: p })),
    ],
  });
}

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

function statuses(d: ChartDiagnosis): { clinicalStatus?: object; verificationStatus: object } {
  switch (d.status) {
    case 'active':
      return {
        clinicalStatus: concept(CLINICAL, 'active'),
        verificationStatus: concept(VERIFICATION, 'confirmed'),
      };
    case 'resolved':
      return {
        clinicalStatus: concept(CLINICAL, 'resolved'),
        verificationStatus: concept(VERIFICATION, 'confirmed'),
      };
    case 'rule_out':
      return {
        clinicalStatus: concept(CLINICAL, 'active'),
        verificationStatus: concept(VERIFICATION, 'provisional'),
      };
    case 'entered_in_error':
      // con-5: no clinical status on a condition entered in error.
      return { verificationStatus: concept(VERIFICATION, 'entered-in-error') };
  }
}

export function condition(chart: ChartExport, d: ChartDiagnosis): Resource {
  return prune({
    resourceType: 'Condition',
    id: d.id,
    ...statuses(d),
    category: [concept(CATEGORY, 'problem-list-item', 'Problem List Item')],
    code: { coding: [{ system: ICD10CM, code: d.code, display: d.description }], text: d.description },
    subject: ref('Patient', chart.client.id),
    onsetDateTime: d.onsetDate ?? undefined,
    abatementDateTime: d.resolvedDate ?? undefined,
    recordedDate: d.recordedAt,
    recorder: ref('Practitioner', d.recordedBy),
    note: d.comment ? [{ text: d.comment }] : [],
    extension: [
      { url: ext('diagnosis-rank'), valueCode: d.rank },
      { url: ext('diagnosis-status'), valueCode: d.status },
      ...d.history.map((h) => ({
        url: ext('diagnosis-version'),
        extension: [
          { url: 'version', valueInteger: h.version },
          { url: 'rank', valueCode: h.rank },
          { url: 'status', valueCode: h.status },
          h.onsetDate ? { url: 'onsetDate', valueDate: h.onsetDate } : null,
          h.resolvedDate ? { url: 'resolvedDate', valueDate: h.resolvedDate } : null,
          ...h.changedFields.map((f) => ({ url: 'changedField', valueCode: f })),
          { url: 'changedBy', valueReference: ref('Practitioner', h.changedBy) },
          { url: 'changedAt', valueDateTime: h.changedAt },
        ],
      })),
    ],
  });
}
