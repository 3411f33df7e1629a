import { consentStatus, isAccountable, type ConsentFacts, type LegalBasis } from './consents.js';
import { RELEASE_CATEGORY_LABELS, type ReleaseCategory } from './releaseScope.js';

/**
 * The release gate's pure decision: may these categories of this client's record, for this
 * period, leave the practice on this authorization (or legal basis) today? Every reason that
 * applies is reported, not just the first, so the screen can say everything that is wrong.
 */

export type RefusalCode =
  | 'authorization_required'
  | 'not_a_release'
  | 'not_yet_effective'
  | 'expired'
  | 'revoked'
  | 'category_not_covered'
  | 'psychotherapy_notes_need_own_authorization'
  | 'psychotherapy_note_authorization_only'
  | 'part2_consent_required'
  | 'period_not_covered'
  | 'no_categories'
  | 'individual_request_not_a_release'
  | 'psychotherapy_notes_not_author';

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** The categories the reason is about, where it is about some. */
  categories?: ReleaseCategory[];
}

export interface ReleaseRequest {
  categories: readonly ReleaseCategory[];
  /** Practice-local YYYY-MM-DD, inclusive; undefined = open end. */
  from?: string;
  to?: string;
}

export type ReleaseGround =
  | { kind: 'authorization'; consent: ConsentFacts }
  | { kind: 'legal_basis'; basis: Exclude<LegalBasis, 'authorization'> };

export interface ReleaseFacts {
  today: string;
  /** The client's record holds 42 CFR Part 2 records. */
  clientPart2: boolean;
}

export type ReleaseDecision =
  | {
      allowed: true;
      basis: LegalBasis;
      consentId: string | null;
      categories: ReleaseCategory[];
      /** The period released: the request narrowed to what the authorization covers. */
      from: string | null;
      to: string | null;
      accountable: boolean;
      part2: boolean;
    }
  | { allowed: false; reasons: Refusal[] };

const label = (cs: readonly ReleaseCategory[]) => cs.map((c) => RELEASE_CATEGORY_LABELS[c]).join(', ');

function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
function earlierOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

export function decideRelease(
  ground: ReleaseGround,
  req: ReleaseRequest,
  facts: ReleaseFacts,
): ReleaseDecision {
  const reasons: Refusal[] = [];
  const requested = [...new Set(req.categories)];
  if (requested.length === 0)
    reasons.push({
      code: 'no_categories',
      message: 'Choose at least one category of the record to release.',
    });
  const wantsPN = requested.includes('psychotherapy_notes');
  let from = req.from ?? null;
  let to = req.to ?? null;

  if (ground.kind === 'legal_basis') {
    // The client's own copy is made under Record requests (clientCopyService), which logs it
    // itself: as a release basis it would skip the authorization and Part 2 checks.
    if (ground.basis === 'individual_request')
      return {
        allowed: false,
        reasons: [
          {
            code: 'individual_request_not_a_release',
            message:
              'A copy for the client themself is not a release: make it under Record requests → copy of the record, which checks who asks and keeps it out of the accounting.',
          },
        ],
      };
    if (wantsPN)
      reasons.push({
        code: 'psychotherapy_notes_need_own_authorization',
        message:
          'Psychotherapy notes are released only under a psychotherapy-note authorization signed by the client.',
        categories: ['psychotherapy_notes'],
      });
    if (facts.clientPart2)
      reasons.push({
        code: 'part2_consent_required',
        message:
          "This client's record holds 42 CFR Part 2 substance-use records: release it only under a Part 2 consent.",
      });
    if (reasons.length > 0) return { allowed: false, reasons };
    return {
      allowed: true,
      basis: ground.basis,
      consentId: null,
      categories: requested,
      from,
      to,
      accountable: isAccountable(ground.basis),
      part2: facts.clientPart2,
    };
  }

  const c = ground.consent;
  if (c.kind !== 'release_of_information' && c.kind !== 'psychotherapy_note_authorization') {
    reasons.push({
      code: 'not_a_release',
      message: 'This consent is not an authorization to release records: choose a release of information.',
    });
    return { allowed: false, reasons };
  }
  const status = consentStatus(c, facts.today);
  if (status === 'revoked')
    reasons.push({
      code: 'revoked',
      message: `The authorization was revoked on ${c.revokedOn ?? ''} and allows no release from that day on.`,
    });
  else if (status === 'not_yet_effective')
    reasons.push({
      code: 'not_yet_effective',
      message: `The authorization takes effect on ${c.effectiveOn}.`,
    });
  else if (status === 'expired')
    reasons.push({ code: 'expired', message: `The authorization expired on ${c.expiresOn ?? ''}.` });

  if (c.kind === 'psychotherapy_note_authorization') {
    const others = requested.filter((x) => x !== 'psychotherapy_notes');
    if (others.length > 0)
      reasons.push({
        code: 'psychotherapy_note_authorization_only',
        message: `A psychotherapy-note authorization covers psychotherapy notes only, not: ${label(others)}.`,
        categories: others,
      });
  } else {
    if (wantsPN)
      reasons.push({
        code: 'psychotherapy_notes_need_own_authorization',
        message:
          'Psychotherapy notes need their own psychotherapy-note authorization; this release does not cover them.',
        categories: ['psychotherapy_notes'],
      });
    const uncovered = requested.filter((x) => x !== 'psychotherapy_notes' && !c.categories.includes(x));
    if (uncovered.length > 0)
      reasons.push({
        code: 'category_not_covered',
        message: `The authorization does not cover: ${label(uncovered)}.`,
        categories: uncovered,
      });
  }
  if (facts.clientPart2 && !c.part2)
    reasons.push({
      code: 'part2_consent_required',
      message:
        "This client's record holds 42 CFR Part 2 substance-use records and this authorization is not a Part 2 consent.",
    });

  from = laterOf(from, c.recordsFrom);
  to = earlierOf(to, c.recordsTo);
  if (from !== null && to !== null && from > to)
    reasons.push({
      code: 'period_not_covered',
      message: `The authorization covers records ${c.recordsFrom ?? 'from the start'} to ${c.recordsTo ?? 'today'}; the period asked for is outside it.`,
    });

  if (reasons.length > 0) return { allowed: false, reasons };
  return {
    allowed: true,
    basis: 'authorization',
    consentId: c.id,
    categories: requested,
    from,
    to,
    accountable: false,
    part2: facts.clientPart2,
  };
}
