import * as sessionsRepo from '../db/sessionsRepo.js';
import type { SessionRow, SessionClientRow } from '../db/sessionsRepo.js';
import { getUser } from '../db/usersRepo.js';
import { getPractice, type PracticeRow } from '../db/practicesRepo.js';
import type { Tx } from '../db/database.js';
import { newId } from '../security/ids.js';
import { decidePracticeAction } from '../security/accessPolicy.js';
import { Conflict, Invalid, NotFound, StaleVersion } from '../domain/errors.js';
import { hasAnyRole } from '../domain/roles.js';
import { suggestCpt, type CptSuggestion, type Modality, type ServiceType } from '../domain/cptTimeRule.js';
import { occurrences, RecurrenceError, type Recurrence } from '../domain/recurrence.js';
import { noteDueAt } from '../domain/noteDeadline.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClient } from './clientService.js';

export const ATTENDANCE = [
  'scheduled',
  'attended',
  'no_show',
  'late_cancel',
  'cancelled_client',
  'cancelled_clinician',
] as const;
export type Attendance = (typeof ATTENDANCE)[number];
/** Attendance that calls for a note: a full note when attended, a short contact note otherwise. */
export const NEEDS_NOTE: ReadonlySet<string> = new Set(['attended', 'no_show', 'late_cancel']);

export interface CptCode {
  code: string;
  units: number;
  modifiers: string[];
}

export interface SessionClient {
  clientId: string;
  clientCode: string;
  displayName: string;
  attendance: Attendance;
  cancellationReason: string | null;
  noteDueAt: string | null;
  noteState: string;
  noteId: string | null;
}

export interface Session {
  id: string;
  clinicianId: string;
  clinicianName: string;
  seriesId: string | null;
  serviceType: ServiceType;
  scheduledStart: string;
  scheduledEnd: string;
  actualStart: string | null;
  actualEnd: string | null;
  minutes: number | null;
  modality: Modality;
  location: string | null;
  clientAtHome: boolean;
  placeOfService: string;
  otherParticipants: string[];
  interactiveComplexity: boolean;
  cpt: {
    suggested: CptSuggestion;
    override: CptCode[] | null;
    overrideReason: string | null;
    codes: CptCode[];
  };
  cancelledAt: string | null;
  version: number;
  clients: SessionClient[];
}

/** Whole minutes between the documented start and end, or null until both are known. */
export function documentedMinutes(start: Date | null, end: Date | null): number | null {
  if (!start || !end) return null;
  return Math.round((end.getTime() - start.getTime()) / 60_000);
}

function cptFor(row: SessionRow, practice: PracticeRow): Session['cpt'] {
  const suggested = suggestCpt({
    serviceType: row.service_type as ServiceType,
    minutes: documentedMinutes(row.actual_start, row.actual_end),
    modality: row.modality as Modality,
    clientAtHome: row.client_at_home,
    interactiveComplexity: row.interactive_complexity,
    officePos: practice.office_place_of_service,
  });
  return {
    suggested,
    override: row.cpt_override,
    overrideReason: row.cpt_override_reason,
    codes: row.cpt_override ?? suggested.codes,
  };
}

export function toSession(row: SessionRow, clients: SessionClientRow[], practice: PracticeRow): Session {
  return {
    id: row.id,
    clinicianId: row.clinician_id,
    clinicianName: row.clinician_name,
    seriesId: row.series_id,
    serviceType: row.service_type as ServiceType,
    scheduledStart: row.scheduled_start.toISOString(),
    scheduledEnd: row.scheduled_end.toISOString(),
    actualStart: row.actual_start?.toISOString() ?? null,
    actualEnd: row.actual_end?.toISOString() ?? null,
    minutes: documentedMinutes(row.actual_start, row.actual_end),
    modality: row.modality as Modality,
    location: row.location,
    clientAtHome: row.client_at_home,
    placeOfService: row.place_of_service,
    otherParticipants: row.other_participants,
    interactiveComplexity: row.interactive_complexity,
    cpt: cptFor(row, practice),
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    version: row.version,
    clients: clients
      .filter((c) => c.session_id === row.id)
      .map((c) => ({
        clientId: c.client_id,
        clientCode: c.client_code,
        displayName: c.display_name,
        attendance: c.attendance as Attendance,
        cancellationReason: c.cancellation_reason,
        noteDueAt: c.note_due_at?.toISOString() ?? null,
        noteState: c.note_state,
        noteId: c.note_id,
      })),
  };
}

async function practiceOf(tx: Tx, ctx: Ctx): Promise<PracticeRow> {
  const p = await getPractice(tx, ctx.actor.practiceId);
  if (!p) throw new NotFound('Practice');
  return p;
}

/** Office visits use the practice's code; telehealth is POS 10 (client at home) or 02. */
export function placeOfService(modality: Modality, clientAtHome: boolean, practice: PracticeRow): string {
  if (modality === 'in_person') return practice.office_place_of_service;
  return clientAtHome ? '10' : '02';
}

/** A clinician books their own sessions; schedulers, owners and admins book for any clinician. */
async function checkClinician(tx: Tx, ctx: Ctx, clinicianId: string): Promise<void> {
  const booksForOthers = hasAnyRole(ctx.actor.roles, ['scheduler', 'owner', 'admin']);
  if (clinicianId !== ctx.actor.userId && !booksForOthers)
    throw new AccessDenied('You can only book sessions on your own calendar', {
      action: 'session.create',
      category: 'session',
    });
  const user = await getUser(tx, clinicianId);
  if (!user?.active || !hasAnyRole(user.roles, ['clinician', 'supervisor']))
    throw new Invalid('Choose an active clinician', [
      { path: 'clinicianId', message: 'Not an active clinician' },
    ]);
}

export interface ScheduleInput {
  clientIds: string[];
  clinicianId: string;
  serviceType: ServiceType;
  startLocal: string;
  durationMinutes: number;
  modality: Modality;
  location: string | null;
  clientAtHome: boolean;
  otherParticipants: string[];
  recurrence: Recurrence;
  allowOverlap: boolean;
}

export interface Overlap {
  sessionId: string;
  start: string;
  end: string;
  sameClinician: boolean;
}

/**
 * Books one session or a weekly / every-other-week series at the same local wall-clock time.
 * A double booking (the clinician or a client already booked) is refused with the clashes
 * listed unless the caller confirms it.
 */
export async function scheduleSessions(ctx: Ctx, input: ScheduleInput): Promise<Session[]> {
  return inPractice(ctx, async (tx) => {
    const unique = [...new Set(input.clientIds)];
    if (input.serviceType !== 'group' && unique.length !== 1)
      throw new Invalid('Choose one client (only group sessions have several)', [
        { path: 'clientIds', message: 'One client for this service type' },
      ]);
    for (const clientId of unique) await authorizeClient(tx, ctx, clientId, 'client.schedule');
    await checkClinician(tx, ctx, input.clinicianId);
    const practice = await practiceOf(tx, ctx);
    let slots: { start: Date; end: Date }[];
    try {
      slots = occurrences({
        firstStartLocal: input.startLocal,
        durationMinutes: input.durationMinutes,
        timeZone: practice.time_zone,
        recurrence: input.recurrence,
      });
    } catch (err) {
      if (err instanceof RecurrenceError)
        throw new Invalid(err.message, [{ path: 'recurrence', message: err.message }]);
      throw err;
    }
    if (!input.allowOverlap) {
      const clashes: Overlap[] = [];
      for (const slot of slots) {
        const found = await sessionsRepo.overlapping(tx, {
          clinicianId: input.clinicianId,
          clientIds: unique,
          start: slot.start,
          end: slot.end,
        });
        clashes.push(
          ...found.map((f) => ({
            sessionId: f.id,
            start: f.scheduled_start.toISOString(),
            end: f.scheduled_end.toISOString(),
            sameClinician: f.same_clinician,
          })),
        );
      }
      if (clashes.length > 0)
        throw new Conflict(
          'This overlaps other sessions. Book anyway only if the double booking is intended.',
          {
            overlaps: clashes.slice(0, 20),
          },
        );
    }
    let seriesId: string | null = null;
    if (input.recurrence.kind !== 'none') {
      seriesId = newId();
      await sessionsRepo.insertSeries(tx, {
        id: seriesId,
        practiceId: ctx.actor.practiceId,
        clinicianId: input.clinicianId,
        recurrence: input.recurrence.kind,
        createdBy: ctx.actor.userId,
      });
    }
    const rows = slots.map((slot) => ({
      id: newId(),
      practiceId: ctx.actor.practiceId,
      clinicianId: input.clinicianId,
      seriesId,
      serviceType: input.serviceType,
      scheduledStart: slot.start,
      scheduledEnd: slot.end,
      modality: input.modality,
      location: input.location,
      clientAtHome: input.clientAtHome,
      placeOfService: placeOfService(input.modality, input.clientAtHome, practice),
      otherParticipants: input.otherParticipants,
      createdBy: ctx.actor.userId,
    }));
    await sessionsRepo.insertSessions(tx, rows, unique);
    for (const clientId of unique)
      await auditAs(tx, ctx, {
        action: 'session.create',
        category: 'session',
        clientId,
        entityType: 'session',
        entityId: rows[0]?.id ?? '',
        details: { occurrences: rows.length, seriesId, overlapConfirmed: input.allowOverlap },
      });
    return loadSessions(
      tx,
      rows.map((r) => r.id),
      practice,
    );
  });
}

async function loadSessions(tx: Tx, ids: string[], practice: PracticeRow): Promise<Session[]> {
  // One transaction is one connection: its queries run one after another.
  const rows = await sessionsRepo.getSessions(tx, ids);
  const clients = await sessionsRepo.sessionClients(tx, ids);
  return rows.map((row) => toSession(row, clients, practice));
}

/**
 * Loads a session the actor may see: its clinician, or someone allowed to read the schedule
 * of every client in it. Writes lock the session row.
 */
export async function authorizeSession(
  tx: Tx,
  ctx: Ctx,
  sessionId: string,
  action: 'client.readSchedule' | 'client.schedule' | 'client.readNotes' | 'client.writeNotes',
  forUpdate = false,
): Promise<{ row: SessionRow; clients: SessionClientRow[]; practice: PracticeRow }> {
  const row = await sessionsRepo.getSession(tx, sessionId, forUpdate);
  if (!row)
    throw new AccessDenied(
      'Session not found',
      { action, category: 'session', entityType: 'session', entityId: sessionId },
      404,
    );
  const clients = await sessionsRepo.sessionClients(tx, [sessionId]);
  for (const c of clients) await authorizeClient(tx, ctx, c.client_id, action);
  return { row, clients, practice: await practiceOf(tx, ctx) };
}

export async function getSession(ctx: Ctx, sessionId: string): Promise<Session> {
  return inPractice(ctx, async (tx) => {
    const { row, clients, practice } = await authorizeSession(tx, ctx, sessionId, 'client.readSchedule');
    for (const c of clients)
      await auditAs(tx, ctx, {
        action: 'session.view',
        category: 'session',
        clientId: c.client_id,
        entityType: 'session',
        entityId: sessionId,
      });
    return toSession(row, clients, practice);
  });
}

export interface CalendarQuery {
  from: Date;
  to: Date;
  clinicianId: string | null;
}

/**
 * A day or week of sessions: a clinician's own calendar, or (for owners, admins, supervisors
 * and schedulers) any clinician's or the whole practice's. One audit row per calendar read.
 */
export async function calendar(ctx: Ctx, q: CalendarQuery): Promise<Session[]> {
  return inPractice(ctx, async (tx) => {
    if (q.to.getTime() - q.from.getTime() > 42 * 86_400_000)
      throw new Invalid('Ask for at most six weeks at a time', [{ path: 'to', message: 'Range too long' }]);
    if (q.clinicianId !== ctx.actor.userId) {
      const d = decidePracticeAction(ctx.actor, 'calendar.readPractice');
      if (!d.allowed) throw new AccessDenied(d.reason, { action: 'calendar.view', category: 'session' });
    }
    const practice = await practiceOf(tx, ctx);
    const rows = await sessionsRepo.sessionsBetween(tx, { ...q, limit: 2000 });
    const clients = await sessionsRepo.sessionClients(
      tx,
      rows.map((r) => r.id),
    );
    await auditAs(tx, ctx, {
      action: 'calendar.view',
      category: 'session',
      details: {
        from: q.from.toISOString(),
        to: q.to.toISOString(),
        clinicianId: q.clinicianId,
        sessions: rows.length,
        clients: new Set(clients.map((c) => c.client_id)).size,
      },
    });
    return rows.map((r) => toSession(r, clients, practice));
  });
}

/** A client's sessions, newest first (for the chart). */
export async function sessionsOfClient(
  tx: Tx,
  clientId: string,
  practice: PracticeRow,
  q: { from: Date | null; to: Date | null; limit: number },
): Promise<Session[]> {
  const rows = await sessionsRepo.sessionsOfClient(tx, clientId, q);
  const clients = await sessionsRepo.sessionClients(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toSession(r, clients, practice));
}

export interface SessionUpdate {
  serviceType?: ServiceType;
  scheduledStart?: string;
  scheduledEnd?: string;
  actualStart?: string | null;
  actualEnd?: string | null;
  modality?: Modality;
  location?: string | null;
  clientAtHome?: boolean;
  otherParticipants?: string[];
  interactiveComplexity?: boolean;
  cptOverride?: { codes: CptCode[]; reason: string } | null;
  allowOverlap?: boolean;
}

/** Changes a session's facts; a stale version is refused and a new double booking warned about. */
export async function updateSession(
  ctx: Ctx,
  sessionId: string,
  expectedVersion: number,
  u: SessionUpdate,
): Promise<Session> {
  return inPractice(ctx, async (tx) => {
    const { row, clients, practice } = await authorizeSession(tx, ctx, sessionId, 'client.schedule', true);
    const start = u.scheduledStart ? new Date(u.scheduledStart) : row.scheduled_start;
    const end = u.scheduledEnd ? new Date(u.scheduledEnd) : row.scheduled_end;
    if (end <= start)
      throw new Invalid('The end must be after the start', [
        { path: 'scheduledEnd', message: 'Before start' },
      ]);
    const actualStart =
      u.actualStart === undefined ? row.actual_start : u.actualStart ? new Date(u.actualStart) : null;
    const actualEnd = u.actualEnd === undefined ? row.actual_end : u.actualEnd ? new Date(u.actualEnd) : null;
    if (actualStart && actualEnd && actualEnd <= actualStart)
      throw new Invalid('The actual end must be after the actual start', [
        { path: 'actualEnd', message: 'Before start' },
      ]);
    if ((u.scheduledStart || u.scheduledEnd) && !u.allowOverlap) {
      const found = await sessionsRepo.overlapping(tx, {
        clinicianId: row.clinician_id,
        clientIds: clients.map((c) => c.client_id),
        start,
        end,
        excludeSessionId: sessionId,
      });
      if (found.length > 0)
        throw new Conflict(
          'This overlaps other sessions. Save anyway only if the double booking is intended.',
          {
            overlaps: found.map((f) => ({
              sessionId: f.id,
              start: f.scheduled_start.toISOString(),
              end: f.scheduled_end.toISOString(),
              sameClinician: f.same_clinician,
            })),
          },
        );
    }
    const modality = u.modality ?? (row.modality as Modality);
    const atHome = u.clientAtHome ?? row.client_at_home;
    const patch: sessionsRepo.SessionPatch = {};
    if (u.serviceType !== undefined) patch.service_type = u.serviceType;
    if (u.scheduledStart !== undefined) patch.scheduled_start = start;
    if (u.scheduledEnd !== undefined) patch.scheduled_end = end;
    if (u.actualStart !== undefined) patch.actual_start = actualStart;
    if (u.actualEnd !== undefined) patch.actual_end = actualEnd;
    if (u.location !== undefined) patch.location = u.location;
    if (u.otherParticipants !== undefined) patch.other_participants = u.otherParticipants;
    if (u.interactiveComplexity !== undefined) patch.interactive_complexity = u.interactiveComplexity;
    if (u.modality !== undefined || u.clientAtHome !== undefined) {
      patch.modality = modality;
      patch.client_at_home = atHome;
      patch.place_of_service = placeOfService(modality, atHome, practice);
    }
    if (u.cptOverride !== undefined) {
      patch.cpt_override = u.cptOverride ? JSON.stringify(u.cptOverride.codes) : null;
      patch.cpt_override_reason = u.cptOverride?.reason ?? null;
    }
    const updated = await sessionsRepo.updateSession(tx, sessionId, expectedVersion, patch);
    if (!updated)
      throw new StaleVersion(row.version, toSession(row, clients, practice), {
        action: 'session.update',
        category: 'session',
        entityType: 'session',
        entityId: sessionId,
      });
    // A later end moves the note deadline of every member who needs a note.
    if (u.actualEnd !== undefined || u.scheduledEnd !== undefined) {
      for (const c of clients)
        if (NEEDS_NOTE.has(c.attendance))
          await sessionsRepo.setAttendance(
            tx,
            sessionId,
            c.client_id,
            c.attendance,
            c.cancellation_reason,
            noteDueAt(updated.actual_end ?? updated.scheduled_end, policyOf(practice)),
          );
    }
    for (const c of clients)
      await auditAs(tx, ctx, {
        action: 'session.update',
        category: 'session',
        clientId: c.client_id,
        entityType: 'session',
        entityId: sessionId,
        details: { fields: Object.keys(patch).join(',') },
      });
    return toSession(updated, await sessionsRepo.sessionClients(tx, [sessionId]), practice);
  });
}

export function policyOf(p: PracticeRow): { noteDueHours: number; reminderHoursBefore: number } {
  return { noteDueHours: p.note_due_hours, reminderHoursBefore: p.note_reminder_hours };
}

/**
 * Records whether a client came. Attended, no-show and late cancel start the note deadline
 * (a no-show needs only a short contact note); a cancellation needs its reason.
 */
export async function recordAttendance(
  ctx: Ctx,
  sessionId: string,
  clientId: string,
  input: { attendance: Attendance; reason: string | null },
): Promise<Session> {
  return inPractice(ctx, async (tx) => {
    const { row, clients, practice } = await authorizeSession(tx, ctx, sessionId, 'client.schedule', true);
    const member = clients.find((c) => c.client_id === clientId);
    if (!member) throw new NotFound('Client in this session');
    const cancelled = input.attendance.startsWith('cancelled') || input.attendance === 'late_cancel';
    if (cancelled && !input.reason)
      throw new Invalid('Give the cancellation reason', [{ path: 'reason', message: 'Enter a reason' }]);
    if (member.note_state === 'signed' && input.attendance !== member.attendance)
      throw new Conflict('The note for this session is signed; correct the attendance with an addendum');
    const dueAt = NEEDS_NOTE.has(input.attendance)
      ? noteDueAt(row.actual_end ?? row.scheduled_end, policyOf(practice))
      : null;
    await sessionsRepo.setAttendance(tx, sessionId, clientId, input.attendance, input.reason, dueAt);
    const after = await sessionsRepo.sessionClients(tx, [sessionId]);
    const allCancelled = after.every((c) => c.attendance.startsWith('cancelled'));
    let current = row;
    if (allCancelled !== (row.cancelled_at !== null)) {
      current =
        (await sessionsRepo.updateSession(tx, sessionId, row.version, {
          cancelled_at: allCancelled ? ctx.clock() : null,
        })) ?? row;
    }
    await auditAs(tx, ctx, {
      action: 'session.attendance',
      category: 'session',
      clientId,
      entityType: 'session',
      entityId: sessionId,
      details: { attendance: input.attendance },
    });
    return toSession(current, after, practice);
  });
}
