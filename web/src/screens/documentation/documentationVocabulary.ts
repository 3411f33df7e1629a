import type { ServiceType } from '../../../../src/domain/cptTimeRule.js';

// The same short names as src/domain/sessionLabels.ts (the calendar's), kept here so the bundle holds no server code.
const SERVICE_TYPES: Readonly<Record<string, string>> = {
  intake_assessment: 'Intake assessment',
  individual: 'Individual',
  couples: 'Couples',
  family_with_client: 'Family (client present)',
  family_without_client: 'Family (client not present)',
  group: 'Group',
  crisis: 'Crisis',
  collateral_contact: 'Collateral contact',
  phone_checkin: 'Phone check-in',
} satisfies Record<ServiceType, string>;

const ATTENDANCE: Record<string, string> = {
  scheduled: 'Scheduled',
  attended: 'Attended',
  no_show: 'No-show',
  late_cancel: 'Late cancellation',
  cancelled_client: 'Cancelled by client',
  cancelled_clinician: 'Cancelled by clinician',
};

const NOTE_KINDS: Record<string, string> = {
  progress: 'Progress note',
  intake: 'Intake note',
  plan_review: 'Treatment plan review',
  contact: 'Contact note',
  crisis: 'Crisis note',
  discharge: 'Discharge summary',
};

function humanize(value: string): string {
  const s = value.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function serviceTypeLabel(value: string): string {
  return SERVICE_TYPES[value] ?? humanize(value);
}

export function attendanceLabel(value: string): string {
  return ATTENDANCE[value] ?? humanize(value);
}

export function noteKindLabel(value: string): string {
  return NOTE_KINDS[value] ?? humanize(value);
}

/** A span of time as the server words a note's age: "45 min", "5 h", "2 d 4 h" (rounded down). */
export function formatSpan(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}
