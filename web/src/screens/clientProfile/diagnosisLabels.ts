import type { DiagnosisRank, DiagnosisStatus } from '../../api/diagnosesApi.js';

export { DIAGNOSIS_STATUS_LABELS } from '../../api/diagnosesApi.js';

export const RANK_LABELS: Record<DiagnosisRank, string> = { primary: 'Primary', secondary: 'Secondary' };

export const RANK_OPTIONS: { value: DiagnosisRank; label: string }[] = [
  { value: 'primary', label: 'Primary' },
  { value: 'secondary', label: 'Secondary' },
];

/** How the history names a changed field. */
export const CHANGED_FIELD_LABELS: Record<string, string> = {
  code: 'code',
  rank: 'rank',
  status: 'status',
  onset_date: 'onset date',
  resolved_date: 'resolved date',
  comment: 'comment',
};

// Working diagnoses first (active, then rule-out), then resolved, then entries made in error.
const STATUS_ORDER: Record<DiagnosisStatus, number> = {
  active: 0,
  rule_out: 1,
  resolved: 2,
  entered_in_error: 3,
};

/** Display order: status group, primary before secondary, then the order added. */
export function byListOrder<T extends { status: DiagnosisStatus; rank: DiagnosisRank }>(a: T, b: T): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.rank === b.rank ? 0 : a.rank === 'primary' ? -1 : 1)
  );
}
