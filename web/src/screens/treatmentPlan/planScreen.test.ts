import { describe, expect, it } from 'vitest';
import type { TreatmentPlanView } from '../../api/treatmentPlanApi.js';
import { planScreenParts } from './planScreen.js';

type Version = NonNullable<TreatmentPlanView['current']>;
const signed = { id: 'v1', versionNo: 1, status: 'signed' } as Version;
const draft = { id: 'v2', versionNo: 2, status: 'draft' } as Version;

describe('planScreenParts', () => {
  it('offers a writer the editor with the signed version beside it, or Revise and acknowledge', () => {
    expect(planScreenParts({ canEdit: true, current: signed, draft })).toEqual({
      editor: true,
      signedBanner: true,
      signedView: false,
      revise: false,
      acknowledge: false,
      start: false,
      draftInProgress: false,
      empty: false,
    });
    expect(planScreenParts({ canEdit: true, current: signed, draft: null })).toMatchObject({
      editor: false,
      signedBanner: false,
      signedView: true,
      revise: true,
      acknowledge: true,
    });
    expect(planScreenParts({ canEdit: true, current: null, draft: null })).toMatchObject({
      start: true,
      empty: true,
    });
    expect(planScreenParts({ canEdit: true, current: null, draft })).toMatchObject({
      editor: true,
      signedBanner: false,
      empty: false,
    });
  });

  it('never offers a read-only reader a write control or the editor', () => {
    const cases = [
      { current: signed, draft },
      { current: signed, draft: null },
      { current: null, draft },
      { current: null, draft: null },
    ];
    for (const c of cases) {
      const parts = planScreenParts({ canEdit: false, ...c });
      expect(parts).toMatchObject({ editor: false, revise: false, acknowledge: false, start: false });
      expect(parts.signedView).toBe(c.current !== null);
      expect(parts.draftInProgress).toBe(c.draft !== null);
    }
  });
});
