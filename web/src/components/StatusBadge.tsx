import type { ClientStatus } from '../api/types.js';

const LABEL: Record<ClientStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  discharged: 'Discharged',
};

export function StatusBadge({ status }: { status: ClientStatus }) {
  return <span className={`badge badge-${status}`}>{LABEL[status]}</span>;
}

export function statusLabel(status: ClientStatus): string {
  return LABEL[status];
}
