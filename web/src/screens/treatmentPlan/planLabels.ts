import type { AcknowledgementMethod, ReviewState } from '../../../../src/domain/treatmentPlan.js';
import type { DiagnosisStatus } from '../../../../src/domain/diagnosisRules.js';

// The server's vocabularies, labelled for the screens. Typed as Records over the server's unions,
// so a value added there fails the web's type check until it is labelled here too. The plan's own
// vocabularies are labelled in the domain (planVocabulary.ts, free of Node modules).

export {
  GOAL_INSTRUMENT_LABELS as INSTRUMENT_LABEL,
  GOAL_INSTRUMENT_MAX as INSTRUMENT_MAX,
  GOAL_STATUS_LABELS as GOAL_STATUS_LABEL,
  INTERVENTION_MODALITY_LABELS as MODALITY_LABEL,
} from '../../../../src/domain/planVocabulary.js';

export const ACK_METHOD_LABEL: Record<AcknowledgementMethod, string> = {
  in_person: 'In person',
  remote: 'Remote',
};

export const REVIEW_STATE_LABEL: Record<ReviewState, string> = {
  current: 'Review not yet due',
  due_soon: 'Review due soon',
  overdue: 'Review overdue',
};

export function optionsOf<T extends string>(labels: Record<T, string>): { value: T; label: string }[] {
  return (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));
}

export const DIAGNOSIS_STATUS_LABEL: Record<DiagnosisStatus, string> = {
  active: 'active',
  resolved: 'resolved',
  rule_out: 'rule-out',
  entered_in_error: 'entered in error',
};
