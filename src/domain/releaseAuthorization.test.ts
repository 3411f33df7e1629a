import { describe, expect, it } from 'vitest';
import {
  consentStatus,
  isAccountable,
  part2Notice,
  DEFAULT_PART2_NOTICE,
  type ConsentFacts,
} from './consents.js';
import { decideRelease, type ReleaseDecision } from './releaseAuthorization.js';

const roi = (over: Partial<ConsentFacts> = {}): ConsentFacts => ({
  id: 'c1',
  kind: 'release_of_information',
  categories: ['demographics', 'diagnoses', 'progress_notes'],
  part2: false,
  effectiveOn: '2026-03-01',
  expiresOn: '2026-12-31',
  revokedOn: null,
  recordsFrom: null,
  recordsTo: null,
  ...over,
});
const codes = (d: ReleaseDecision) => (d.allowed ? [] : d.reasons.map((r) => r.code));
const facts = (today: string, clientPart2 = false) => ({ today, clientPart2 });
const auth = (c: ConsentFacts) => ({ kind: 'authorization' as const, consent: c });

describe('consentStatus', () => {
  it('is not yet effective the day before, active on the effective day and on the expiry day, expired the day after', () => {
    const c = roi();
    expect(consentStatus(c, '2026-02-28')).toBe('not_yet_effective');
    expect(consentStatus(c, '2026-03-01')).toBe('active');
    expect(consentStatus(c, '2026-12-31')).toBe('active');
    expect(consentStatus(c, '2027-01-01')).toBe('expired');
  });
  it('is revoked from the revocation day on, active the day before', () => {
    const c = roi({ revokedOn: '2026-06-15' });
    expect(consentStatus(c, '2026-06-14')).toBe('active');
    expect(consentStatus(c, '2026-06-15')).toBe('revoked');
    expect(consentStatus(c, '2027-06-15')).toBe('revoked');
  });
  it('has no end without an expiry date (an expiry event)', () => {
    expect(consentStatus(roi({ expiresOn: null }), '2040-01-01')).toBe('active');
  });
});

describe('decideRelease under an authorization', () => {
  it('allows the covered categories, not accountable, with the authorization id', () => {
    const d = decideRelease(
      auth(roi()),
      { categories: ['demographics', 'progress_notes'] },
      facts('2026-06-01'),
    );
    expect(d).toEqual({
      allowed: true,
      basis: 'authorization',
      consentId: 'c1',
      categories: ['demographics', 'progress_notes'],
      from: null,
      to: null,
      accountable: false,
      part2: false,
    });
  });
  it('refuses an expired authorization the day after expiry, not on the expiry day', () => {
    const req = { categories: ['demographics' as const] };
    expect(decideRelease(auth(roi()), req, facts('2026-12-31')).allowed).toBe(true);
    expect(codes(decideRelease(auth(roi()), req, facts('2027-01-01')))).toEqual(['expired']);
  });
  it('refuses before the effective date', () => {
    expect(codes(decideRelease(auth(roi()), { categories: ['demographics'] }, facts('2026-02-28')))).toEqual([
      'not_yet_effective',
    ]);
  });
  it('refuses from the revocation day on (effective from then), allows the day before', () => {
    const c = roi({ revokedOn: '2026-06-15' });
    expect(decideRelease(auth(c), { categories: ['demographics'] }, facts('2026-06-14')).allowed).toBe(true);
    const d = decideRelease(auth(c), { categories: ['demographics'] }, facts('2026-06-15'));
    expect(codes(d)).toEqual(['revoked']);
    expect(d.allowed ? '' : d.reasons[0]?.message).toContain('2026-06-15');
  });
  it('refuses a category the authorization does not cover, naming it', () => {
    const d = decideRelease(
      auth(roi()),
      { categories: ['demographics', 'billing', 'plans'] },
      facts('2026-06-01'),
    );
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    expect(d.reasons).toHaveLength(1);
    expect(d.reasons[0]).toMatchObject({ code: 'category_not_covered', categories: ['billing', 'plans'] });
    expect(d.reasons[0]?.message).toBe('The authorization does not cover: Billing, Treatment plans.');
  });
  it('refuses psychotherapy notes under an ordinary release even if everything else is covered', () => {
    const d = decideRelease(
      auth(roi()),
      { categories: ['demographics', 'psychotherapy_notes'] },
      facts('2026-06-01'),
    );
    expect(codes(d)).toEqual(['psychotherapy_notes_need_own_authorization']);
  });
  it('a psychotherapy-note authorization covers psychotherapy notes and nothing else', () => {
    const pn = roi({ kind: 'psychotherapy_note_authorization', categories: ['psychotherapy_notes'] });
    expect(
      decideRelease(auth(pn), { categories: ['psychotherapy_notes'] }, facts('2026-06-01')).allowed,
    ).toBe(true);
    const d = decideRelease(
      auth(pn),
      { categories: ['psychotherapy_notes', 'progress_notes'] },
      facts('2026-06-01'),
    );
    expect(codes(d)).toEqual(['psychotherapy_note_authorization_only']);
    expect(d.allowed ? [] : d.reasons[0]?.categories).toEqual(['progress_notes']);
  });
  it('refuses a consent to care as a release', () => {
    for (const kind of ['treatment', 'telehealth', 'financial_policy', 'recording_ai'] as const)
      expect(
        codes(decideRelease(auth(roi({ kind })), { categories: ['demographics'] }, facts('2026-06-01'))),
      ).toEqual(['not_a_release']);
  });
  it('refuses a Part 2 client release without a Part 2 consent and allows it with one, flagged', () => {
    const req = { categories: ['diagnoses' as const] };
    expect(codes(decideRelease(auth(roi()), req, facts('2026-06-01', true)))).toEqual([
      'part2_consent_required',
    ]);
    const d = decideRelease(auth(roi({ part2: true })), req, facts('2026-06-01', true));
    expect(d.allowed && d.part2).toBe(true);
    // A Part 2 consent for a client without Part 2 records carries no notice.
    const n = decideRelease(auth(roi({ part2: true })), req, facts('2026-06-01', false));
    expect(n.allowed && n.part2).toBe(false);
  });
  it('narrows the period to the records the authorization covers and refuses a period outside it', () => {
    const c = roi({ recordsFrom: '2026-01-01', recordsTo: '2026-06-30' });
    const d = decideRelease(
      auth(c),
      { categories: ['demographics'], from: '2025-01-01' },
      facts('2026-07-01'),
    );
    expect(d.allowed && [d.from, d.to]).toEqual(['2026-01-01', '2026-06-30']);
    const inner = decideRelease(
      auth(c),
      { categories: ['demographics'], from: '2026-02-01', to: '2026-03-01' },
      facts('2026-07-01'),
    );
    expect(inner.allowed && [inner.from, inner.to]).toEqual(['2026-02-01', '2026-03-01']);
    expect(
      codes(
        decideRelease(auth(c), { categories: ['demographics'], from: '2026-07-01' }, facts('2026-08-01')),
      ),
    ).toEqual(['period_not_covered']);
    // Boundaries are inclusive: a one-day period on the last covered day is fine.
    expect(
      decideRelease(
        auth(c),
        { categories: ['demographics'], from: '2026-06-30', to: '2026-06-30' },
        facts('2026-08-01'),
      ).allowed,
    ).toBe(true);
  });
  it('reports every reason that applies at once', () => {
    const c = roi({ revokedOn: '2026-05-01' });
    const d = decideRelease(
      auth(c),
      { categories: ['billing', 'psychotherapy_notes'] },
      facts('2026-06-01', true),
    );
    expect(codes(d)).toEqual([
      'revoked',
      'psychotherapy_notes_need_own_authorization',
      'category_not_covered',
      'part2_consent_required',
    ]);
  });
  it('refuses an empty request', () => {
    expect(codes(decideRelease(auth(roi()), { categories: [] }, facts('2026-06-01')))).toEqual([
      'no_categories',
    ]);
  });
});

describe('decideRelease under a legal basis', () => {
  const basis = (b: 'court_order' | 'treatment' | 'individual_request') => ({
    kind: 'legal_basis' as const,
    basis: b,
  });
  it('allows a court-ordered release, accountable; treatment is not accountable', () => {
    const d = decideRelease(
      basis('court_order'),
      { categories: ['diagnoses'], from: '2026-01-01' },
      facts('2026-06-01'),
    );
    expect(d).toMatchObject({
      allowed: true,
      basis: 'court_order',
      consentId: null,
      accountable: true,
      from: '2026-01-01',
    });
    expect(
      decideRelease(basis('treatment'), { categories: ['diagnoses'] }, facts('2026-06-01')),
    ).toMatchObject({
      accountable: false,
    });
  });
  it('never releases psychotherapy notes without their own authorization', () => {
    expect(
      codes(
        decideRelease(basis('court_order'), { categories: ['psychotherapy_notes'] }, facts('2026-06-01')),
      ),
    ).toEqual(['psychotherapy_notes_need_own_authorization']);
  });
  it('refuses a Part 2 record without a Part 2 consent', () => {
    expect(
      codes(decideRelease(basis('treatment'), { categories: ['diagnoses'] }, facts('2026-06-01', true))),
    ).toEqual(['part2_consent_required']);
  });
  it("is never the individual's own request: that copy is made under Record requests", () => {
    for (const [categories, part2] of [
      [['diagnoses'], false],
      [['diagnoses'], true],
      [['psychotherapy_notes'], false],
    ] as const) {
      const d = decideRelease(basis('individual_request'), { categories }, facts('2026-06-01', part2));
      expect(codes(d)).toEqual(['individual_request_not_a_release']);
      if (!d.allowed) expect(d.reasons[0]?.message).toContain('Record requests');
    }
  });
});

describe('accounting and notice', () => {
  it('leaves TPO, the individual and authorizations out of the accounting', () => {
    expect(
      ['authorization', 'individual_request', 'treatment', 'payment', 'operations'].map((b) =>
        isAccountable(b as never),
      ),
    ).toEqual([false, false, false, false, false]);
    expect(isAccountable('court_order')).toBe(true);
    expect(isAccountable('public_health')).toBe(true);
  });
  it('uses the practice notice when set, the default otherwise', () => {
    expect(part2Notice(null)).toBe(DEFAULT_PART2_NOTICE);
    expect(part2Notice('   ')).toBe(DEFAULT_PART2_NOTICE);
    expect(part2Notice(' Our notice under 42 CFR part 2. ')).toBe('Our notice under 42 CFR part 2.');
  });
});
