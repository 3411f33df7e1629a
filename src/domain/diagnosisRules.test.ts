import { describe, expect, it } from 'vitest';
import {
  diagnosisStateProblems,
  isActivePrimary,
  nextDiagnosisState,
  type DiagnosisState,
} from './diagnosisRules.js';

const TODAY = '2026-03-10';
const ACTIVE: DiagnosisState = {
  rank: 'secondary',
  status: 'active',
  onsetDate: '2026-01-05',
  resolvedDate: null,
};

describe('nextDiagnosisState', () => {
  it('starts an added diagnosis as an active secondary', () => {
    expect(nextDiagnosisState(null, { rank: 'primary' }, TODAY)).toEqual({
      rank: 'primary',
      status: 'active',
      onsetDate: null,
      resolvedDate: null,
    });
  });

  it('resolving without a date resolves today; with one keeps it', () => {
    expect(nextDiagnosisState(ACTIVE, { status: 'resolved' }, TODAY).resolvedDate).toBe(TODAY);
    expect(
      nextDiagnosisState(ACTIVE, { status: 'resolved', resolvedDate: '2026-02-01' }, TODAY).resolvedDate,
    ).toBe('2026-02-01');
  });

  it('leaving resolved clears the resolved date', () => {
    const resolved = { ...ACTIVE, status: 'resolved' as const, resolvedDate: '2026-02-01' };
    expect(nextDiagnosisState(resolved, { status: 'active' }, TODAY).resolvedDate).toBeNull();
  });

  it('an onset of null clears it; an absent one keeps it', () => {
    expect(nextDiagnosisState(ACTIVE, { onsetDate: null }, TODAY).onsetDate).toBeNull();
    expect(nextDiagnosisState(ACTIVE, { rank: 'primary' }, TODAY).onsetDate).toBe('2026-01-05');
  });
});

describe('diagnosisStateProblems', () => {
  it('accepts a consistent state, today included', () => {
    expect(diagnosisStateProblems({ ...ACTIVE, onsetDate: TODAY }, TODAY, null)).toEqual([]);
    expect(
      diagnosisStateProblems({ ...ACTIVE, status: 'resolved', resolvedDate: TODAY }, TODAY, 'active'),
    ).toEqual([]);
  });

  it.each([
    ['future onset', { ...ACTIVE, onsetDate: '2026-03-11' }, 'onsetDate'],
    ['future resolution', { ...ACTIVE, status: 'resolved', resolvedDate: '2026-03-11' }, 'resolvedDate'],
    ['resolved before onset', { ...ACTIVE, status: 'resolved', resolvedDate: '2026-01-04' }, 'resolvedDate'],
    ['resolved date while active', { ...ACTIVE, resolvedDate: '2026-02-01' }, 'resolvedDate'],
  ] as const)('refuses %s at its field', (_label, state, path) => {
    expect(diagnosisStateProblems(state, TODAY, 'active').map((p) => p.path)).toEqual([path]);
  });

  it('refuses any change to a diagnosis entered in error', () => {
    expect(diagnosisStateProblems(ACTIVE, TODAY, 'entered_in_error').map((p) => p.path)).toEqual(['status']);
  });
});

describe('isActivePrimary', () => {
  it('holds only for an active primary', () => {
    expect(isActivePrimary({ rank: 'primary', status: 'active' })).toBe(true);
    expect(isActivePrimary({ rank: 'primary', status: 'resolved' })).toBe(false);
    expect(isActivePrimary({ rank: 'primary', status: 'rule_out' })).toBe(false);
    expect(isActivePrimary({ rank: 'secondary', status: 'active' })).toBe(false);
  });
});
