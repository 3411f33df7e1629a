import { ApiError, query, request } from './http.js';
import type { NoteView, SessionView } from './clinicalTypes.js';

export type ServiceType = SessionView['serviceType'];
export type Modality = SessionView['modality'];
export type Attendance = SessionView['clients'][number]['attendance'];
export type NoteKind = NoteView['kind'];
export type ProgressFormat = NonNullable<NoteView['format']>;
// Request shapes are the session service's own (type-only: no server code in the bundle).
import type { ScheduleInput, SessionUpdate } from '../../../src/services/sessionService.js';
export type { CptCode } from '../../../src/services/sessionService.js';
export type BookSessionInput = ScheduleInput;
export type SessionPatch = SessionUpdate;
export type { Recurrence } from '../../../src/domain/recurrence.js';

/** One existing session a booking or a move would clash with (from a 409 problem). */
export interface Overlap {
  sessionId: string;
  start: string;
  end: string;
  sameClinician: boolean;
}

export interface NewNoteInput {
  clientId: string;
  sessionId: string;
  kind: NoteKind;
  format: ProgressFormat | null;
  startFromLast: boolean;
}

export interface CalendarFeedStatus {
  active: boolean;
  createdAt: string | null;
}

export interface CptCodeOption {
  code: string;
  label: string;
}

/** The clashes a 409 listed, or null when the error is not a double-booking refusal. */
export function overlapsOf(err: unknown): Overlap[] | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const list = err.problem.overlaps;
  if (!Array.isArray(list)) return null;
  return list.filter(
    (o): o is Overlap =>
      typeof o === 'object' &&
      o !== null &&
      typeof (o as Overlap).sessionId === 'string' &&
      typeof (o as Overlap).start === 'string' &&
      typeof (o as Overlap).end === 'string' &&
      typeof (o as Overlap).sameClinician === 'boolean',
  );
}

/** The existing note a 409 from POST /notes points to ("This session already has a note"). */
export function existingNoteIdOf(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  return typeof err.problem.noteId === 'string' ? err.problem.noteId : null;
}

/** The current record a 412 carries, when it is a session. */
export function staleSessionOf(err: unknown): SessionView | null {
  if (!(err instanceof ApiError) || err.status !== 412) return null;
  const current = err.problem.current;
  return typeof current === 'object' && current !== null && 'clients' in current && 'cpt' in current
    ? (current as SessionView)
    : null;
}

function cptOptionsFrom(body: unknown): CptCodeOption[] {
  const list: unknown = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null && 'items' in body
      ? body.items
      : null;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null || !('code' in item) || typeof item.code !== 'string')
      return [];
    const label = 'label' in item && typeof item.label === 'string' ? item.label : '';
    return [{ code: item.code, label }];
  });
}

/** Scheduling calls: calendar, booking, session facts, attendance, starting the session's note. */
export const sessionsApi = {
  /** Sessions starting in [from, to); clinicianId omitted = my own, 'all' = the whole practice. */
  calendar: (from: string, to: string, clinicianId: string | undefined, signal?: AbortSignal) =>
    request<{ sessions: SessionView[] }>(
      'GET',
      `/api/v1/sessions${query({ from, to, clinicianId })}`,
      signal ? { signal } : {},
    ),
  session: (id: string) => request<SessionView>('GET', `/api/v1/sessions/${id}`),
  book: (body: BookSessionInput) =>
    request<{ sessions: SessionView[] }>('POST', '/api/v1/sessions', { body }),
  update: (id: string, version: number, body: SessionPatch) =>
    request<SessionView>('PATCH', `/api/v1/sessions/${id}`, { body, version }),
  recordAttendance: (id: string, clientId: string, attendance: Attendance, reason: string | null) =>
    request<SessionView>('PUT', `/api/v1/sessions/${id}/attendance/${clientId}`, {
      body: { attendance, reason },
    }),
  startNote: (body: NewNoteInput) => request<NoteView>('POST', '/api/v1/notes', { body }),
  /** The CPT pick list; empty when the server offers none (the screen falls back to typing a code). */
  cptCodes: async (): Promise<CptCodeOption[]> => {
    try {
      return cptOptionsFrom(await request<unknown>('GET', '/api/v1/codes/cpt'));
    } catch {
      return [];
    }
  },

  calendarFeed: () => request<CalendarFeedStatus>('GET', '/api/v1/account/calendar-feed'),
  createCalendarFeed: () => request<{ url: string }>('POST', '/api/v1/account/calendar-feed'),
  revokeCalendarFeed: () => request<null>('DELETE', '/api/v1/account/calendar-feed'),
};
