// The treatment plan's vocabularies and their labels. Kept apart from treatmentPlan.ts (which
// needs node:crypto) so the web app can import them; treatmentPlan.ts re-exports them.

export const GOAL_STATUSES = [
  'proposed',
  'active',
  'achieved',
  'partly_achieved',
  'not_achieved',
  'discontinued',
] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const GOAL_STATUS_LABELS: Record<GoalStatus, string> = {
  proposed: 'Proposed',
  active: 'Active',
  achieved: 'Achieved',
  partly_achieved: 'Partly achieved',
  not_achieved: 'Not achieved',
  discontinued: 'Discontinued',
};

export const INTERVENTION_MODALITIES = [
  'cbt',
  'dbt',
  'emdr',
  'motivational_interviewing',
  'family_systems',
  'act',
  'psychodynamic',
  'solution_focused',
  'person_centred',
  'psychoeducation',
  'other',
] as const;
export type InterventionModality = (typeof INTERVENTION_MODALITIES)[number];

export const INTERVENTION_MODALITY_LABELS: Record<InterventionModality, string> = {
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

/** Instruments a goal can be measured by, with the highest possible total of each. */
export const GOAL_INSTRUMENTS = ['phq9', 'gad7', 'pcl5'] as const;
export type GoalInstrument = (typeof GOAL_INSTRUMENTS)[number];
export const GOAL_INSTRUMENT_MAX: Record<GoalInstrument, number> = { phq9: 27, gad7: 21, pcl5: 80 };
export const GOAL_INSTRUMENT_LABELS: Record<GoalInstrument, string> = {
  phq9: 'PHQ-9',
  gad7: 'GAD-7',
  pcl5: 'PCL-5',
};
