import type { SessionView } from '../api/clinicalTypes.js';
import type { Attendance, Modality, ProgressFormat, ServiceType } from '../api/sessionsApi.js';

type SessionClient = SessionView['clients'][number];

export const SERVICE_TYPE_LABELS: Record<ServiceType, string> = {
  intake_assessment: 'Intake assessment',
  individual: 'Individual',
  couples: 'Couples',
  family_with_client: 'Family, client present',
  family_without_client: 'Family, client not present',
  group: 'Group',
  crisis: 'Crisis',
  collateral_contact: 'Collateral contact',
  phone_checkin: 'Phone check-in',
};
export const SERVICE_TYPES = Object.keys(SERVICE_TYPE_LABELS) as ServiceType[];

/** Usual length of each kind of session, offered until the user types their own. */
export const DEFAULT_MINUTES: Record<ServiceType, number> = {
  intake_assessment: 60,
  individual: 50,
  couples: 50,
  family_with_client: 50,
  family_without_client: 50,
  group: 90,
  crisis: 60,
  collateral_contact: 30,
  phone_checkin: 15,
};

export const MODALITY_LABELS: Record<Modality, string> = {
  in_person: 'In person',
  video: 'Video',
  phone: 'Phone',
};
export const MODALITIES = Object.keys(MODALITY_LABELS) as Modality[];

export const ATTENDANCE_LABELS: Record<Attendance, string> = {
  scheduled: 'Scheduled',
  attended: 'Attended',
  no_show: 'No-show',
  late_cancel: 'Late cancel',
  cancelled_client: 'Cancelled by client',
  cancelled_clinician: 'Cancelled by clinician',
};

/** Attendance a clinician can record (the order of the buttons). */
export const RECORDABLE_ATTENDANCE: Exclude<Attendance, 'scheduled'>[] = [
  'attended',
  'no_show',
  'late_cancel',
  'cancelled_client',
  'cancelled_clinician',
];

/** The server asks for a reason with these. */
export function needsReason(a: Attendance): boolean {
  return a === 'late_cancel' || a.startsWith('cancelled');
}

/** Attended needs a full note; a no-show or late cancel a short contact note. */
export function noteKindFor(a: Attendance): 'progress' | 'contact' | null {
  if (a === 'attended') return 'progress';
  if (a === 'no_show' || a === 'late_cancel') return 'contact';
  return null;
}

export const FORMAT_LABELS: Record<ProgressFormat, string> = {
  soap: 'SOAP',
  dap: 'DAP',
  birp: 'BIRP',
  girp: 'GIRP',
  pirp: 'PIRP',
  narrative: 'Narrative',
};
export const FORMATS = Object.keys(FORMAT_LABELS) as ProgressFormat[];

export const PLACE_OF_SERVICE_LABELS: Record<string, string> = {
  '02': 'Telehealth, client not at home',
  '10': 'Telehealth in the client’s home',
  '11': 'Office',
  '12': 'Home',
  '03': 'School',
  '53': 'Community mental health center',
  '99': 'Other place of service',
};

export type NoteStatus =
  { tone: 'none'; label: null } | { tone: 'overdue' | 'due' | 'draft' | 'done'; label: string };

/** What the calendar and session page say about one client's note. */
export function noteStatus(c: SessionClient, now: number): NoteStatus {
  if (c.noteState === 'signed') return { tone: 'done', label: 'Note signed' };
  if (c.noteDueAt === null) return { tone: 'none', label: null };
  if (Date.parse(c.noteDueAt) < now) return { tone: 'overdue', label: 'Note overdue' };
  if (c.noteState === 'awaiting_cosign') return { tone: 'draft', label: 'Awaiting co-signature' };
  if (c.noteState === 'returned') return { tone: 'draft', label: 'Note returned' };
  if (c.noteState === 'draft') return { tone: 'draft', label: 'Note in draft' };
  return { tone: 'due', label: 'Note due' };
}

const TONE_RANK = { overdue: 4, draft: 3, due: 2, done: 1, none: 0 } as const;

/** One note status for a block: the most pressing of its clients'. */
export function sessionNoteStatus(s: SessionView, now: number): NoteStatus {
  let worst: NoteStatus = { tone: 'none', label: null };
  for (const c of s.clients) {
    const st = noteStatus(c, now);
    if (TONE_RANK[st.tone] > TONE_RANK[worst.tone]) worst = st;
  }
  return worst;
}

/** One attendance label for a block: the shared value, or "Mixed" for a group that differs. */
export function sessionAttendance(s: SessionView, now: number): { label: string; tone: string } | null {
  if (s.cancelledAt) return { label: 'Cancelled', tone: 'cancelled' };
  const values = new Set(s.clients.map((c) => c.attendance));
  if (values.size > 1) return { label: 'Mixed attendance', tone: 'mixed' };
  const only = s.clients[0]?.attendance ?? 'scheduled';
  if (only === 'scheduled')
    return Date.parse(s.scheduledEnd) < now ? { label: 'Attendance not recorded', tone: 'unrecorded' } : null;
  return { label: ATTENDANCE_LABELS[only], tone: only };
}

export function clientNames(s: SessionView): string {
  return s.clients.map((c) => c.displayName).join(', ');
}
