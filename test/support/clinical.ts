import { expect } from 'vitest';
import type { z } from 'zod';
import type { clientView } from '../../src/http/routes/clients.js';
import type { sessionView } from '../../src/http/routes/sessions.js';
import type { noteView } from '../../src/http/routes/notes.js';
import type { Attendance } from '../../src/services/sessionService.js';
import type { Modality, ServiceType } from '../../src/domain/cptTimeRule.js';
import type { NoteKind, ProgressFormat } from '../../src/domain/noteTemplates.js';
import { NEW_CLIENT, PASSWORD, type Agent } from './testApp.js';

// The clinical set-up the API and browser tests share: a client, a booked and attended session,
// a draft note filled in and signed. Each step goes through the API as a user's would, and fails
// the test on the spot, with the server's answer, when the API refuses it.

export type ClientView = z.infer<typeof clientView>;
export type SessionView = z.infer<typeof sessionView>;
export type NoteView = z.infer<typeof noteView>;

/** A complete SOAP note with every risk at none: it signs without further questions. */
export const SOAP_CONTENT = {
  subjective: 'Reports sleeping five hours a night and worry about work deadlines most days.',
  objective: 'Arrived on time, casually dressed, speech normal rate, affect anxious and congruent.',
  assessment: 'Anxiety symptoms persist; progress toward goal 1 is partial.',
  clientResponse: 'Engaged with the thought record and identified two automatic thoughts.',
  risk: { suicidalIdeation: 'none', homicidalIdeation: 'none', selfHarm: 'none', safetyPlan: '', notes: '' },
  interventions: { selected: ['cognitive_restructuring'], other: '' },
  plan: 'Continue weekly CBT; review thought records next session.',
  homework: 'Two thought records before the next session.',
  nextAppointment: 'Next week, same time',
};

/** SOAP_CONTENT with some fields written differently, e.g. a plan holding the word a search looks for. */
export function soapContent(fields: Partial<typeof SOAP_CONTENT>): typeof SOAP_CONTENT {
  return { ...SOAP_CONTENT, ...fields };
}

export type ClientFields = Partial<Record<keyof typeof NEW_CLIENT, unknown>>;

/** Fields for a client with no preferred name, so lists and searches show them as "First Last". */
export function clientNamed(first: string, last: string = NEW_CLIENT.legalLastName): ClientFields {
  return { legalFirstName: first, legalLastName: last, preferredName: null };
}

/** Creates a client (on the agent's caseload) from NEW_CLIENT with the given fields replaced. */
export async function newClient(agent: Agent, fields: ClientFields = {}): Promise<ClientView> {
  const res = await agent.post('/api/v1/clients', { ...NEW_CLIENT, ...fields });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ClientView>();
}

export interface Booking {
  clinicianId: string;
  clientIds: string[];
  /** Practice-local wall-clock time, as the booking form sends it ("2026-03-02T10:00"). */
  startLocal: string;
  durationMinutes?: number;
  serviceType?: ServiceType;
  modality?: Modality;
  location?: string;
  clientAtHome?: boolean;
  recurrence?: { kind: 'weekly' | 'every_other_week'; count?: number; until?: string };
  allowOverlap?: boolean;
}

/** Books a session, or a series: individual, 50 minutes and in person unless the booking says otherwise. */
export async function bookSessions(agent: Agent, booking: Booking): Promise<SessionView[]> {
  const res = await agent.post('/api/v1/sessions', {
    serviceType: 'individual',
    durationMinutes: 50,
    modality: 'in_person',
    ...booking,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ sessions: SessionView[] }>().sessions;
}

/** Books one session (see bookSessions) and returns it. */
export async function bookSession(agent: Agent, booking: Booking): Promise<SessionView> {
  const [session] = await bookSessions(agent, booking);
  if (!session) throw new Error('the booking made no session');
  return session;
}

/** Records one client's attendance; a cancellation or no-show may carry its reason. */
export async function attend(
  agent: Agent,
  sessionId: string,
  clientId: string,
  attendance: Attendance = 'attended',
  reason?: string,
): Promise<SessionView> {
  const res = await agent.put(`/api/v1/sessions/${sessionId}/attendance/${clientId}`, {
    attendance,
    ...(reason === undefined ? {} : { reason }),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<SessionView>();
}

/** Books one session and marks every client on it attended; returns the session as it then stands. */
export async function attendedSession(agent: Agent, booking: Booking): Promise<SessionView> {
  let session = await bookSession(agent, booking);
  for (const clientId of booking.clientIds) session = await attend(agent, session.id, clientId);
  return session;
}

export interface NoteStart {
  clientId: string;
  sessionId?: string | null;
  kind?: NoteKind;
  format?: ProgressFormat | null;
  templateKey?: string | null;
  dateOfService?: string;
  startFromLast?: boolean;
}

/** Starts a draft note: a SOAP progress note unless the start names another kind or format. */
export async function startNote(agent: Agent, start: NoteStart): Promise<NoteView> {
  const kind = start.kind ?? 'progress';
  const format = start.format === undefined ? (kind === 'progress' ? 'soap' : null) : start.format;
  const res = await agent.post('/api/v1/notes', { ...start, kind, format });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<NoteView>();
}

export interface DraftChanges {
  content?: Record<string, unknown>;
  diagnosisCodes?: string[];
  sessionFacts?: Record<string, unknown>;
  dateOfService?: string;
  copiedFields?: string[];
}

/** The version of a note the caller holds: what If-Match sends. */
export interface HeldNote {
  id: string;
  version: number;
}

/** Autosaves a draft over the version the caller holds. */
export async function saveDraft(agent: Agent, note: HeldNote, changes: DraftChanges): Promise<NoteView> {
  const res = await agent.put(`/api/v1/notes/${note.id}/draft`, changes, { 'if-match': `"${note.version}"` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NoteView>();
}

/** Starts a draft and saves it with the given content: a note ready to sign. */
export async function writeDraft(agent: Agent, start: NoteStart, changes: DraftChanges): Promise<NoteView> {
  return saveDraft(agent, await startNote(agent, start), changes);
}

/** Signs the version of the note the caller holds, re-authenticating with the password. */
export async function signNote(agent: Agent, note: HeldNote, password = PASSWORD): Promise<NoteView> {
  const res = await agent.post(
    `/api/v1/notes/${note.id}/sign`,
    { password },
    { 'if-match': `"${note.version}"` },
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NoteView>();
}
