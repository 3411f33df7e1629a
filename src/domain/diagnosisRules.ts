// Rules of a client's diagnosis list that need no database: dates, statuses, ranks.

export const DIAGNOSIS_RANKS = ['primary', 'secondary'] as const;
export const DIAGNOSIS_STATUSES = ['active', 'resolved', 'rule_out', 'entered_in_error'] as const;
export type DiagnosisRank = (typeof DIAGNOSIS_RANKS)[number];
export type DiagnosisStatus = (typeof DIAGNOSIS_STATUSES)[number];

export interface DiagnosisState {
  rank: DiagnosisRank;
  status: DiagnosisStatus;
  onsetDate: string | null;
  resolvedDate: string | null;
}

export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * The state a change leads to. Resolving without a date resolves today; leaving "resolved"
 * clears the resolved date, so the date always means "resolved on".
 */
export function nextDiagnosisState(
  current: DiagnosisState | null,
  change: Partial<DiagnosisState>,
  today: string,
): DiagnosisState {
  const base: DiagnosisState = current ?? {
    rank: 'secondary',
    status: 'active',
    onsetDate: null,
    resolvedDate: null,
  };
  const status = change.status ?? base.status;
  let resolvedDate = change.resolvedDate !== undefined ? change.resolvedDate : base.resolvedDate;
  if (status !== 'resolved') resolvedDate = change.resolvedDate ?? null;
  else if (resolvedDate === null) resolvedDate = today;
  return {
    rank: change.rank ?? base.rank,
    status,
    onsetDate: change.onsetDate !== undefined ? change.onsetDate : base.onsetDate,
    resolvedDate,
  };
}

/** What is wrong with a diagnosis state, each at the field the form shows (empty when nothing). */
export function diagnosisStateProblems(
  s: DiagnosisState,
  today: string,
  previousStatus: DiagnosisStatus | null,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (previousStatus === 'entered_in_error')
    problems.push({ path: 'status', message: 'A diagnosis entered in error cannot be changed' });
  if (s.onsetDate !== null && s.onsetDate > today)
    problems.push({ path: 'onsetDate', message: 'The onset date cannot be in the future' });
  if (s.status !== 'resolved' && s.resolvedDate !== null)
    problems.push({ path: 'resolvedDate', message: 'Only a resolved diagnosis has a resolved date' });
  if (s.resolvedDate !== null && s.resolvedDate > today)
    problems.push({ path: 'resolvedDate', message: 'The resolved date cannot be in the future' });
  if (s.resolvedDate !== null && s.onsetDate !== null && s.resolvedDate < s.onsetDate)
    problems.push({ path: 'resolvedDate', message: 'The resolved date cannot be before the onset date' });
  return problems;
}

/** A primary diagnosis that is active must be the only one: others are demoted when this holds. */
export function isActivePrimary(s: Pick<DiagnosisState, 'rank' | 'status'>): boolean {
  return s.rank === 'primary' && s.status === 'active';
}
