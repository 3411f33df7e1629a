import type {
  AmendmentTarget,
  CopyFormat,
  DeliveryMethod,
  DenialBasis,
  DueState,
  ReceivedVia,
  Requester,
} from '../../../../src/domain/recordRequests.js';
import { formatDate } from '../../components/dateFormat.js';

export { AMENDMENT_TARGET_LABELS, DENIAL_BASIS_LABELS } from '../../../../src/domain/recordRequests.js';

export const RECEIVED_VIA_LABELS: Record<ReceivedVia, string> = {
  in_person: 'In person',
  mail: 'Mail',
  email: 'E-mail',
  fax: 'Fax',
  phone: 'Phone',
  portal: 'Online form',
};
/** How it arrived, as a phrase: "received by mail". */
export const RECEIVED_VIA_PHRASES: Record<ReceivedVia, string> = {
  in_person: 'in person',
  mail: 'by mail',
  email: 'by e-mail',
  fax: 'by fax',
  phone: 'by phone',
  portal: 'through the online form',
};
export const FORMAT_LABELS: Record<CopyFormat, string> = {
  pdf: 'PDF',
  fhir: 'FHIR (electronic record)',
  both: 'PDF and FHIR',
};
export const DELIVERY_LABELS: Record<DeliveryMethod, string> = {
  download: 'Secure download',
  email: 'E-mail',
  mail: 'Mail',
  in_person: 'In person',
};
export const REQUESTER_LABELS: Record<Requester, string> = {
  client: 'The client',
  personal_representative: 'Personal representative',
};

export function options<T extends string>(labels: Record<T, string>): { value: T; label: string }[] {
  return (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));
}

export type TargetLabels = Record<AmendmentTarget, string>;
export type BasisLabels = Record<DenialBasis, string>;

/** The status of a request with its deadline: "Due 9 Feb 2026" plus a due-soon or overdue badge. */
export function DueBadge({ state, due }: { state: DueState; due: string }) {
  if (state === 'closed') return null;
  return (
    <>
      <span>Due {formatDate(due)}</span>
      {state === 'overdue' ? <span className="badge badge-overdue">Overdue</span> : null}
      {state === 'due_soon' ? <span className="badge badge-due-soon">Due soon</span> : null}
    </>
  );
}

const STATUS_LABELS: Record<string, string> = {
  open: 'Open',
  fulfilled: 'Fulfilled',
  accepted: 'Accepted',
  denied: 'Denied',
};

export function RequestStatus({ status }: { status: string }) {
  return <span className={`badge badge-request-${status}`}>{STATUS_LABELS[status] ?? status}</span>;
}
