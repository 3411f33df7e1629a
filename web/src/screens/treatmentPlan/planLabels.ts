import type {
  AcknowledgementMethod,
  GoalInstrument,
  GoalStatus,
  InterventionModality,
  ReviewState,
} from '../../../../src/domain/treatmentPlan.js';
import type { DiagnosisStatus } from '../../../../src/domain/diagnosisRules.js';

// The server's vocabularies, labelled for the screens. Typed as Records over the server's unions,
// so a value added there fails the web's type check until it is labelled here too.

export const GOAL_STATUS_LABEL: Record<GoalStatus, string> = {
  proposed: 'Proposed',
  active: 'Active',
  achieved: 'Achieved',
  partly_achieved: 'Partly achieved',
  not_achieved: 'Not achieved',
  discontinued: 'Discontinued',
};

export const MODALITY_LABEL: Record<InterventionModality, string> = {
  cbt: 'Cognitive behavioural therapy (CBT)',
  dbt: 'Dialectical behaviour therapy (DBT)',
  emdr: 'EMDR',
  motivational_interviewing: 'Motivational interviewing',
  family_systems: 'Family systems',
  act: 'Acceptance and commitment therapy (ACT)',
  psychodynamic: 'Psychodynamic',
  solution_focused: 'Solution-focused',
  person_centred: 'Person-centred',
  psychoeducation: 'Psychoeducation',
  other: 'Other',
};

export const INSTRUMENT_LABEL: Record<GoalInstrument, string> = {
  phq9: 'PHQ-9',
  gad7: 'GAD-7',
  pcl5: 'PCL-5',
};
export const INSTRUMENT_MAX: Record<GoalInstrument, number> = { phq9: 27, gad7: 21, pcl5: 80 };

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
