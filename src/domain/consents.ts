import type { ReleaseCategory } from './releaseScope.js';

/** The kinds of consent a client (or guardian) signs. Only the last two release records. */
export const CONSENT_KINDS = [
  'treatment',
  'telehealth',
  'financial_policy',
  'recording_ai',
  'release_of_information',
  'psychotherapy_note_authorization',
] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

export const RELEASE_KINDS: readonly ConsentKind[] = [
  'release_of_information',
  'psychotherapy_note_authorization',
];
/** Consents to care that front-office staff may record: no clinical content, no release. */
export const NON_CLINICAL_KINDS: readonly ConsentKind[] = ['treatment', 'telehealth', 'financial_policy'];

export const CONSENT_KIND_LABELS: Record<ConsentKind, string> = {
  treatment: 'Consent to treatment',
  telehealth: 'Telehealth consent',
  financial_policy: 'Financial policy',
  recording_ai: 'Recording / AI assistance consent',
  release_of_information: 'Release of information',
  psychotherapy_note_authorization: 'Psychotherapy-note authorization',
};

export function isReleaseKind(kind: ConsentKind): boolean {
  return RELEASE_KINDS.includes(kind);
}

/** Why a release may happen without an authorization, or under one. */
export const LEGAL_BASES = [
  'authorization',
  'individual_request',
  'treatment',
  'payment',
  'operations',
  'required_by_law',
  'court_order',
  'public_health',
  'health_oversight',
  'serious_threat',
  'abuse_report',
  'law_enforcement',
  'research',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const LEGAL_BASIS_LABELS: Record<LegalBasis, string> = {
  authorization: 'Under a signed authorization',
  individual_request: "The individual's own request",
  treatment: 'Treatment',
  payment: 'Payment',
  operations: 'Health care operations',
  required_by_law: 'Required by law',
  court_order: 'Court order',
  public_health: 'Public health activity',
  health_oversight: 'Health oversight',
  serious_threat: 'To avert a serious threat to health or safety',
  abuse_report: 'Report of abuse, neglect or domestic violence',
  law_enforcement: 'Law enforcement',
  research: 'Research (waiver of authorization)',
};

/** 45 CFR 164.528(a)(1): TPO, to the individual and under an authorization are left out of the accounting. */
export function isAccountable(basis: LegalBasis): boolean {
  return !['authorization', 'individual_request', 'treatment', 'payment', 'operations'].includes(basis);
}

export const DISCLOSURE_FORMATS = [
  'fhir',
  'pdf',
  'paper',
  'verbal',
  'fax',
  'email',
  'other_electronic',
] as const;
export type DisclosureFormat = (typeof DISCLOSURE_FORMATS)[number];

export type ConsentStatus = 'active' | 'expired' | 'revoked' | 'not_yet_effective';

/** The facts of a consent the rules decide on (plain columns; no narrative). */
export interface ConsentFacts {
  id: string;
  kind: ConsentKind;
  categories: readonly ReleaseCategory[];
  part2: boolean;
  /** Practice-local YYYY-MM-DD dates. */
  effectiveOn: string;
  /** Last day it is in force (inclusive); null: an expiry event, not a date. */
  expiresOn: string | null;
  /** From this day on (inclusive) it no longer allows anything. */
  revokedOn: string | null;
  recordsFrom: string | null;
  recordsTo: string | null;
}

/** The status on `today` (practice-local): revoked from the revocation day; expired the day after expiry. */
export function consentStatus(c: ConsentFacts, today: string): ConsentStatus {
  if (c.revokedOn !== null && today >= c.revokedOn) return 'revoked';
  if (today < c.effectiveOn) return 'not_yet_effective';
  if (c.expiresOn !== null && today > c.expiresOn) return 'expired';
  return 'active';
}

/**
 * The redisclosure notice (42 CFR 2.32) printed on every release of Part 2 records when the practice
 * has not set its own text. The practice setting overrides it; the exact 2024 wording is for
 * counsel to confirm, which is why it is configurable.
 */
export const DEFAULT_PART2_NOTICE =
  'This information has been disclosed to you from records protected by federal confidentiality rules ' +
  '(42 CFR part 2). The federal rules prohibit you from making any further disclosure of information in ' +
  'this record that identifies a patient as having or having had a substance use disorder either directly, ' +
  'by reference to publicly available information, or through verification of such identification by ' +
  'another person unless further disclosure is expressly permitted by the written consent of the ' +
  'individual whose information is being disclosed or as otherwise permitted by 42 CFR part 2. A general ' +
  'authorization for the release of medical or other information is NOT sufficient for this purpose ' +
  '(see 42 CFR 2.31). The federal rules restrict any use of the information to investigate or prosecute ' +
  'with regard to a crime any patient with a substance use disorder, and its use against the patient in ' +
  'civil, criminal, administrative or legislative proceedings, except as 42 CFR part 2 allows.';

export function part2Notice(practiceSetting: string | null): string {
  return practiceSetting?.trim() ? practiceSetting.trim() : DEFAULT_PART2_NOTICE;
}
