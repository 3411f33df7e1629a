import { Conflict, Invalid } from './errors.js';
import { addDays } from './progressReport.js';
import { localDateOf } from './recurrence.js';

// The client's rights over their own record: a copy (45 CFR 164.524) within 30 calendar days of
// receipt, an amendment decision (164.526) within 60; each deadline may be extended once, by at
// most 30 days, by a written notice given before the first deadline passes. Dates are the
// practice's local calendar dates (YYYY-MM-DD); "today" is taken in the practice's time zone.

export type RequestKind = 'copy' | 'amendment';

/** Calendar days from receipt to the first deadline. */
export const RESPONSE_DAYS: Record<RequestKind, number> = { copy: 30, amendment: 60 };
/** The longest single extension either kind allows. */
export const MAX_EXTENSION_DAYS = 30;
/** An open request shows "due soon" from this many days before its deadline. */
export const DUE_SOON_DAYS = 7;

export const COPY_FORMATS = ['pdf', 'fhir', 'both'] as const;
export type CopyFormat = (typeof COPY_FORMATS)[number];
export const RECEIVED_VIA = ['in_person', 'mail', 'email', 'fax', 'phone', 'portal'] as const;
export type ReceivedVia = (typeof RECEIVED_VIA)[number];
export const DELIVERY_METHODS = ['download', 'email', 'mail', 'in_person'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];
export const REQUESTERS = ['client', 'personal_representative'] as const;
export type Requester = (typeof REQUESTERS)[number];

export const AMENDMENT_TARGETS = ['note', 'plan', 'diagnosis', 'demographics'] as const;
export type AmendmentTarget = (typeof AMENDMENT_TARGETS)[number];
/** The grounds 45 CFR 164.526(a)(2) allows for denying an amendment. */
export const DENIAL_BASES = [
  'not_created_here',
  'not_in_record_set',
  'not_available_for_access',
  'accurate_complete',
] as const;
export type DenialBasis = (typeof DENIAL_BASES)[number];
export const STATEMENT_KINDS = ['disagreement', 'rebuttal'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

export const DENIAL_BASIS_LABELS: Record<DenialBasis, string> = {
  not_created_here: 'Not created by this practice',
  not_in_record_set: 'Not part of the designated record set',
  not_available_for_access: 'Not available for access (e.g. psychotherapy notes)',
  accurate_complete: 'Accurate and complete',
};
export const AMENDMENT_TARGET_LABELS: Record<AmendmentTarget, string> = {
  note: 'Signed note',
  plan: 'Treatment plan',
  diagnosis: 'Diagnosis',
  demographics: 'Demographics',
};

export type CopyStatus = 'open' | 'fulfilled';
export type AmendmentStatus = 'open' | 'accepted' | 'denied';

/** What a tracker needs of a request, whichever kind. */
export interface RequestClock {
  kind: RequestKind;
  receivedOn: string;
  dueOn: string;
  extendedDueOn: string | null;
  status: CopyStatus | AmendmentStatus;
}

export type DueState = 'closed' | 'on_track' | 'due_soon' | 'overdue';

/** The practice-local date today, the day every rule here counts from. */
export function practiceToday(now: Date, timeZone: string): string {
  return localDateOf(now, timeZone);
}

/** The first deadline: 30 (copy) or 60 (amendment) calendar days after receipt. */
export function firstDueDate(kind: RequestKind, receivedOn: string): string {
  return addDays(receivedOn, RESPONSE_DAYS[kind]);
}

/** The deadline in force: the extended one when there is one. */
export function effectiveDueDate(r: Pick<RequestClock, 'dueOn' | 'extendedDueOn'>): string {
  return r.extendedDueOn ?? r.dueOn;
}

/** Where an open request stands against its deadline; due on the day itself is not yet overdue. */
export function dueState(r: RequestClock, today: string): DueState {
  if (r.status !== 'open') return 'closed';
  const due = effectiveDueDate(r);
  if (today > due) return 'overdue';
  if (today >= addDays(due, -DUE_SOON_DAYS)) return 'due_soon';
  return 'on_track';
}

/** A received date may not be in the future (practice-local), nor implausibly old. */
export function checkReceivedOn(receivedOn: string, today: string, path = 'receivedOn'): void {
  if (receivedOn > today)
    throw new Invalid('The request cannot be received after today', [
      { path, message: 'Enter today or an earlier date' },
    ]);
  if (receivedOn < addDays(today, -3660))
    throw new Invalid('The received date is more than ten years ago', [
      { path, message: 'Enter the date the request arrived' },
    ]);
}

/**
 * Whether an extension to `newDueOn` may be given today: only while open, only once, only within
 * the first period (on or before the first deadline), later than the first deadline and at most
 * 30 days after it. Throws the refusal (409 for the state, 422 for the date) otherwise.
 */
export function checkExtension(r: RequestClock, newDueOn: string, today: string): void {
  if (r.status !== 'open') throw new Conflict('This request is closed; it can no longer be extended');
  if (r.extendedDueOn !== null)
    throw new Invalid('This request was already extended; the rule allows only one extension', [
      { path: 'newDueOn', message: 'Only one extension is allowed' },
    ]);
  if (today > r.dueOn)
    throw new Invalid(
      `An extension must be given within the first ${RESPONSE_DAYS[r.kind]} days, by ${r.dueOn}`,
      [{ path: 'newDueOn', message: 'Too late to extend: the first deadline has passed' }],
    );
  const latest = addDays(r.dueOn, MAX_EXTENSION_DAYS);
  if (newDueOn <= r.dueOn || newDueOn > latest)
    throw new Invalid(`The new date must be after ${r.dueOn} and no later than ${latest}`, [
      { path: 'newDueOn', message: `Choose a date from ${addDays(r.dueOn, 1)} to ${latest}` },
    ]);
}

/** A decision (fulfil, accept, deny) is made once, while the request is open. */
export function checkOpen(r: Pick<RequestClock, 'status'>, what: string): void {
  if (r.status !== 'open') throw new Conflict(`This request is already ${r.status}; it cannot be ${what}`);
}

/** A statement of disagreement follows a denial; a rebuttal answers a statement. */
export function checkStatement(
  r: Pick<RequestClock, 'status'>,
  kind: StatementKind,
  statementKinds: readonly StatementKind[],
): void {
  if (r.status !== 'denied')
    throw new Conflict('A statement of disagreement can be added only to a denied amendment request');
  if (kind === 'rebuttal' && !statementKinds.includes('disagreement'))
    throw new Conflict('A rebuttal answers a statement of disagreement; record the statement first');
}

/** The release category a disputed record belongs to: its amendments travel with that category. */
export const AMENDMENT_TARGET_CATEGORY = {
  note: 'progress_notes',
  plan: 'plans',
  diagnosis: 'diagnoses',
  demographics: 'demographics',
} as const satisfies Record<AmendmentTarget, string>;

/**
 * Whether an amendment request goes with an export (164.526(c)(3), (d)(4)): when the export covers
 * the disputed record's category and, for a note, carries that note.
 */
export function amendmentTravelsWith(
  target: { kind: AmendmentTarget; id: string | null },
  categories: ReadonlySet<string>,
  exportedNoteIds: ReadonlySet<string>,
): boolean {
  if (!categories.has(AMENDMENT_TARGET_CATEGORY[target.kind])) return false;
  return target.kind !== 'note' || (target.id !== null && exportedNoteIds.has(target.id));
}
