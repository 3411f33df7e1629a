import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  login,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import {
  attend,
  attendedSession,
  bookSession,
  clientNamed,
  newClient,
  signNote,
  SOAP_CONTENT,
  writeDraft,
  type NoteView,
  type SessionView,
} from '../support/clinical.js';

// The app's clock, moved by the tests: deadlines are checked by moving time, never by waiting.
let now = new Date('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;
const at = (base: Date, hours: number) => new Date(base.getTime() + hours * HOUR);

let t: TestApp;
let practice: SeededPractice;
let clinician: Agent;
let otherClinician: Agent;
let supervisor: Agent;
let supervisee: Agent;
let ownerAgent: Agent;
let owner: pg.Client;

interface NeedsNoteJson {
  sessionId: string;
  clientId: string;
  clientCode: string;
  displayName: string;
  attendance: string;
  noteDueAt: string;
  deadline: string;
  overdueFor: string | null;
  noteId: string | null;
  noteState: string;
  shortNoteOnly: boolean;
}
interface DashboardJson {
  now: string;
  policy: { noteDueHours: number; reminderHoursBefore: number };
  counts: Record<string, number>;
  needsNote: NeedsNoteJson[];
  drafts: { noteId: string; deadline: string; dueAt: string | null }[];
  returned: { noteId: string }[];
  awaitingCosign: { noteId: string; cosignerName: string | null; signedAt: string }[];
  toCosign: { noteId: string; authorName: string; lateEntry: boolean; displayName: string }[];
}
interface ComplianceJson {
  from: string;
  to: string;
  clinicians: {
    clinicianId: string;
    clinicianName: string;
    sessions: number;
    signed: number;
    signedOnTime: number;
    overdue: number;
    shareOnTime: number | null;
    medianHoursToSign: number | null;
  }[];
}

/** A session on the agent's own calendar (practice time, America/Chicago). */
function book(agent: Agent, clinicianId: string, clientId: string, startLocal: string, minutes = 50) {
  return bookSession(agent, { clinicianId, clientIds: [clientId], startLocal, durationMinutes: minutes });
}

/** A session booked and marked attended: returns it and when it ended. */
async function attendedWithEnd(agent: Agent, clinicianId: string, clientId: string, startLocal: string) {
  const session = await attendedSession(agent, { clinicianId, clientIds: [clientId], startLocal });
  return { session, end: new Date(session.scheduledEnd) };
}

/** A draft for the session, filled in and ready to sign. */
function writeNote(
  agent: Agent,
  clientId: string,
  sessionId: string,
  kind: 'progress' | 'contact' = 'progress',
  content: Record<string, unknown> = SOAP_CONTENT,
): Promise<NoteView> {
  return writeDraft(agent, { clientId, sessionId, kind }, { content, diagnosisCodes: ['F41.1'] });
}

async function dashboard(agent: Agent, clinicianId?: string): Promise<DashboardJson> {
  const res = await agent.get(
    `/api/v1/documentation/dashboard${clinicianId ? `?clinicianId=${clinicianId}` : ''}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json<DashboardJson>();
}

function itemFor(d: DashboardJson, sessionId: string): NeedsNoteJson | undefined {
  return d.needsNote.find((i) => i.sessionId === sessionId);
}

beforeAll(async () => {
  t = await openTestApp(undefined, { clock: () => now });
  // The routes read the clock from the deps on every request; set it here too so the fake
  // clock holds whichever way the test app wires its option.
  t.deps.clock = () => now;
  practice = await seedPractice(t.deps);
  clinician = await login(t.app, practice.users.clinician.email);
  otherClinician = await login(t.app, practice.users.otherClinician.email);
  supervisor = await login(t.app, practice.users.supervisor.email);
  supervisee = await login(t.app, practice.users.supervisee.email);
  ownerAgent = await login(t.app, practice.users.owner.email);
  owner = await openTableOwner();
});
afterAll(async () => {
  await owner.end();
  await t.close();
});

describe('note deadlines on the dashboard, by the clock', () => {
  let clientId: string;
  let sessionId: string;
  let end: Date;

  it('an attended session is not due an hour after it ends', async () => {
    clientId = (await newClient(clinician, clientNamed('Jordan'))).id;
    now = new Date('2026-03-02T17:50:00Z');
    const s = await attendedWithEnd(clinician, practice.users.clinician.id, clientId, '2026-03-02T10:00');
    sessionId = s.session.id;
    end = s.end;
    // 10:00 CST is 16:00Z; 50 minutes later is the end the deadline runs from.
    expect(end.toISOString()).toBe('2026-03-02T16:50:00.000Z');
    expect(now.getTime()).toBe(at(end, 1).getTime());
    const res = await clinician.get('/api/v1/documentation/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<DashboardJson>();
    const { clientCode } = (await clinician.get(`/api/v1/clients/${clientId}`)).json<{
      clientCode: string;
    }>();
    expect(d.now).toBe(now.toISOString());
    expect(d.policy).toEqual({ noteDueHours: 72, reminderHoursBefore: 24 });
    expect(d.needsNote).toEqual([
      {
        sessionId,
        clientId,
        clientCode,
        displayName: 'Jordan Rivera',
        serviceType: 'individual',
        start: '2026-03-02T16:00:00.000Z',
        end: end.toISOString(),
        attendance: 'attended',
        noteDueAt: at(end, 72).toISOString(),
        deadline: 'not_due',
        overdueFor: null,
        noteId: null,
        noteState: 'none',
        shortNoteOnly: false,
      },
    ]);
    expect(d.counts).toEqual({
      needsNote: 1,
      drafts: 0,
      dueSoon: 0,
      overdue: 0,
      returned: 0,
      awaitingCosign: 0,
      toCosign: 0,
      riskAlerts: 0,
      planReviewsDueSoon: 0,
      planReviewsOverdue: 0,
    });
    const audit = await auditRowsOf(owner, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.category, a.outcome, a.client_id])).toEqual([
      ['documentation.dashboard', 'session', 'success', null],
    ]);
    expect(audit[0]?.details).toMatchObject({ needsNote: 1, dueSoon: 0, overdue: 0 });
  });

  it('is due soon from 24 hours before the deadline, and not before', async () => {
    now = at(end, 47);
    expect(itemFor(await dashboard(clinician), sessionId)?.deadline).toBe('not_due');
    now = at(end, 72 - 23);
    const d = await dashboard(clinician);
    expect(itemFor(d, sessionId)).toMatchObject({ deadline: 'due_soon', overdueFor: null });
    expect(d.counts).toMatchObject({ needsNote: 1, dueSoon: 1, overdue: 0 });
  });

  it('is overdue after the deadline, with how long for', async () => {
    now = at(end, 73);
    const d = await dashboard(clinician);
    expect(itemFor(d, sessionId)).toMatchObject({ deadline: 'overdue', overdueFor: '1 h' });
    expect(d.counts).toMatchObject({ needsNote: 1, dueSoon: 0, overdue: 1 });
    now = at(end, 72 + 50);
    expect(itemFor(await dashboard(clinician), sessionId)?.overdueFor).toBe('2 d 2 h');
  });

  it('the navigation badge counts the same, without an audit row', async () => {
    now = at(end, 73);
    const res = await clinician.get('/api/v1/documentation/counts');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      needsNote: 1,
      dueSoon: 0,
      overdue: 1,
      returned: 0,
      toCosign: 0,
      riskAlerts: 0,
    });
    expect(await auditRowsOf(owner, res.headers['x-request-id'])).toEqual([]);
  });

  it('polling the badge does not keep an idle sign-in alive; opening the dashboard does', async () => {
    const agent = await login(t.app, practice.users.clinician.email);
    const sid = (
      await owner.query<{ id: string }>(
        'SELECT id FROM auth_sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1',
        [practice.users.clinician.id],
      )
    ).rows[0]?.id;
    const seen = async () =>
      (
        await owner.query<{ s: Date }>('SELECT last_seen_at AS s FROM auth_sessions WHERE id = $1', [sid])
      ).rows[0]?.s.getTime() ?? 0;
    await owner.query("UPDATE auth_sessions SET last_seen_at = now() - interval '10 minutes' WHERE id = $1", [
      sid,
    ]);
    const stale = await seen();
    expect((await agent.get('/api/v1/documentation/counts')).statusCode).toBe(200);
    expect(await seen()).toBe(stale);
    expect((await agent.get('/api/v1/documentation/dashboard')).statusCode).toBe(200);
    expect(await seen()).toBeGreaterThan(stale + 9 * 60_000);
  });

  it('a draft shows among the drafts and against the session; signing clears the session', async () => {
    const note = await writeNote(clinician, clientId, sessionId);
    let d = await dashboard(clinician);
    expect(itemFor(d, sessionId)).toMatchObject({ noteId: note.id, noteState: 'draft' });
    expect(d.drafts).toEqual([expect.objectContaining({ noteId: note.id, deadline: 'overdue' })]);
    const signed = await signNote(clinician, note);
    // Signed 73 hours after the session: a late entry.
    expect(signed).toMatchObject({ status: 'signed', lateEntry: true });
    d = await dashboard(clinician);
    expect(itemFor(d, sessionId)).toBeUndefined();
    expect(d.counts).toMatchObject({ needsNote: 0, drafts: 0, overdue: 0 });
    const chart = await clinician.get(`/api/v1/clients/${clientId}/chart?types=note`);
    expect(chart.statusCode, chart.body).toBe(200);
    expect(chart.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({ kind: 'note', id: note.id, lateEntry: true, dateOfService: '2026-03-02' }),
    ]);
  });
});

describe('no-shows and late cancellations', () => {
  it('need only a short contact note, which clears them once signed', async () => {
    const clientId = (await newClient(clinician, clientNamed('Noor'))).id;
    now = new Date('2026-03-03T20:00:00Z');
    const session = await book(clinician, practice.users.clinician.id, clientId, '2026-03-03T09:00');
    await attend(clinician, session.id, clientId, 'no_show');
    let item = itemFor(await dashboard(clinician), session.id);
    expect(item).toMatchObject({ attendance: 'no_show', shortNoteOnly: true, deadline: 'not_due' });

    const note = await writeNote(clinician, clientId, session.id, 'contact', {
      contactType: 'no_show',
      contactWith: 'client',
      summary: 'Client did not attend; called and left a message offering another time.',
    });
    item = itemFor(await dashboard(clinician), session.id);
    expect(item).toMatchObject({ noteId: note.id, noteState: 'draft', shortNoteOnly: true });
    const signed = await signNote(clinician, note);
    expect(signed).toMatchObject({ status: 'signed', lateEntry: false });
    expect(itemFor(await dashboard(clinician), session.id)).toBeUndefined();
  });

  it('a late cancellation is short-note-only too; a cancellation needs no note at all', async () => {
    const clientId = (await newClient(clinician, clientNamed('Lena'))).id;
    const late = await book(clinician, practice.users.clinician.id, clientId, '2026-03-04T09:00');
    await attend(clinician, late.id, clientId, 'late_cancel', 'Called an hour before');
    const early = await book(clinician, practice.users.clinician.id, clientId, '2026-03-05T09:00');
    await attend(clinician, early.id, clientId, 'cancelled_client', 'Travelling');
    const d = await dashboard(clinician);
    expect(itemFor(d, late.id)).toMatchObject({ attendance: 'late_cancel', shortNoteOnly: true });
    expect(itemFor(d, early.id)).toBeUndefined();
  });
});

describe('co-signature and late entries', () => {
  let clientId: string;
  let noteId: string;

  it("a supervisee's late note waits for the supervisor, marked late on both dashboards and in the chart", async () => {
    clientId = (await newClient(supervisee, clientNamed('Sol'))).id;
    now = new Date('2026-03-09T12:00:00Z');
    const s = await attendedWithEnd(supervisee, practice.users.supervisee.id, clientId, '2026-03-09T09:00');
    const note = await writeNote(supervisee, clientId, s.session.id);
    now = at(s.end, 100);
    const signed = await signNote(supervisee, note);
    noteId = signed.id;
    expect(signed).toMatchObject({ status: 'awaiting_cosign', lateEntry: true });

    const mine = await dashboard(supervisee);
    expect(mine.awaitingCosign).toEqual([
      expect.objectContaining({ noteId, cosignerName: 'Sam Supervisor', signedAt: now.toISOString() }),
    ]);
    expect(mine.counts).toMatchObject({ awaitingCosign: 1, drafts: 0 });

    const theirs = await dashboard(supervisor);
    expect(theirs.toCosign).toEqual([
      expect.objectContaining({
        noteId,
        authorName: 'Sid Supervisee',
        lateEntry: true,
        displayName: 'Sol Rivera',
      }),
    ]);
    expect(theirs.counts.toCosign).toBe(1);

    const queue = await supervisor.get('/api/v1/documentation/cosign-queue');
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json()).toEqual({ items: theirs.toCosign });
    const audit = await auditRowsOf(owner, queue.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.outcome, a.details])).toEqual([
      ['documentation.cosign_queue', 'success', { results: 1 }],
    ]);
    const nobody = await clinician.get('/api/v1/documentation/cosign-queue');
    expect(nobody.json()).toEqual({ items: [] });

    const chart = await supervisee.get(`/api/v1/clients/${clientId}/chart?types=note`);
    expect(chart.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({ id: noteId, status: 'awaiting_cosign', lateEntry: true, cosignedAt: null }),
    ]);
  });

  it('a returned note shows as returned to its author until signed again', async () => {
    const current = (await supervisee.get(`/api/v1/notes/${noteId}`)).json<NoteView>();
    const returned = await supervisor.post(
      `/api/v1/notes/${noteId}/return`,
      { comments: 'Name the technique used.' },
      { 'if-match': `"${current.version}"` },
    );
    expect(returned.statusCode, returned.body).toBe(200);
    const d = await dashboard(supervisee);
    expect(d.returned).toEqual([expect.objectContaining({ noteId, clientId })]);
    expect(d.counts).toMatchObject({ returned: 1, awaitingCosign: 0 });
    expect((await dashboard(supervisor)).counts.toCosign).toBe(0);
  });

  it("a supervisor opens a supervisee's dashboard; nobody else's, and the refusals are audited", async () => {
    const theirs = await dashboard(supervisor, practice.users.supervisee.id);
    expect(theirs.returned.map((r) => r.noteId)).toEqual([noteId]);
    const other = await supervisor.get(
      `/api/v1/documentation/dashboard?clinicianId=${practice.users.clinician.id}`,
    );
    expect(other.statusCode).toBe(403);
    const peer = await clinician.get(
      `/api/v1/documentation/dashboard?clinicianId=${practice.users.supervisee.id}`,
    );
    expect(peer.statusCode).toBe(403);
    for (const res of [other, peer]) {
      const audit = await auditRowsOf(owner, res.headers['x-request-id']);
      expect(audit.map((a) => [a.action, a.outcome])).toEqual([['documentation.dashboard', 'denied']]);
    }
    const byOwner = await dashboard(ownerAgent, practice.users.supervisee.id);
    expect(byOwner.returned.map((r) => r.noteId)).toEqual([noteId]);
  });
});

describe('documentation compliance', () => {
  const A = () => practice.users.clinician.id;
  const B = () => practice.users.otherClinician.id;

  it('counts sessions, on-time and late signatures, overdue notes and the median time to sign', async () => {
    const a = (await newClient(clinician, clientNamed('Ada'))).id;
    const b = (await newClient(otherClinician, clientNamed('Bo'))).id;
    // April is CDT (UTC-5): 10:00 local is 15:00Z, and each 60-minute session ends at 16:00Z.
    const a1 = await book(clinician, A(), a, '2026-04-06T10:00', 60);
    const a2 = await book(clinician, A(), a, '2026-04-07T10:00', 60);
    const a3 = await book(clinician, A(), a, '2026-04-08T10:00', 60);
    const a4 = await book(clinician, A(), a, '2026-04-09T10:00', 60);
    const b1 = await book(otherClinician, B(), b, '2026-04-06T10:00', 60);
    const b2 = await book(otherClinician, B(), b, '2026-04-10T10:00', 60);
    for (const s of [a1, a2, a3]) await attend(clinician, s.id, a);
    await attend(clinician, a4.id, a, 'cancelled_client', 'Unwell');
    await attend(otherClinician, b1.id, b);
    await attend(otherClinician, b2.id, b, 'no_show');

    const end = (s: SessionView) => new Date(s.scheduledEnd);
    const noteA1 = await writeNote(clinician, a, a1.id);
    const noteA2 = await writeNote(clinician, a, a2.id);
    const noteB1 = await writeNote(otherClinician, b, b1.id);
    await writeNote(clinician, a, a3.id); // a draft: unsigned, so overdue once due
    now = at(end(a1), 10);
    await signNote(clinician, noteA1);
    now = at(end(a2), 80);
    expect((await signNote(clinician, noteA2)).lateEntry).toBe(true);
    now = at(end(b1), 2);
    await signNote(otherClinician, noteB1);

    // a3 was due 2026-04-11T16:00Z and is overdue; b2 is due 2026-04-13T16:00Z and still open.
    now = new Date('2026-04-12T00:00:00Z');
    const res = await ownerAgent.get('/api/v1/documentation/compliance?from=2026-04-01&to=2026-04-30');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<ComplianceJson>();
    expect(report).toMatchObject({ from: '2026-04-01', to: '2026-04-30' });
    const byId = new Map(report.clinicians.map((c) => [c.clinicianId, c]));
    expect(byId.get(A())).toEqual({
      clinicianId: A(),
      clinicianName: 'Casey Clinician',
      sessions: 3,
      signed: 2,
      signedOnTime: 1,
      overdue: 1,
      shareOnTime: 1 / 3,
      medianHoursToSign: 45,
    });
    expect(byId.get(B())).toEqual({
      clinicianId: B(),
      clinicianName: 'Oli Other',
      sessions: 2,
      signed: 1,
      signedOnTime: 1,
      overdue: 0,
      shareOnTime: 1,
      medianHoursToSign: 2,
    });
    // The owner sees every clinician, including those with nothing in the period.
    expect(report.clinicians.map((c) => c.clinicianName)).toEqual([
      'Casey Clinician',
      'Oli Other',
      'Sam Supervisor',
      'Sid Supervisee',
    ]);
    expect(byId.get(practice.users.supervisor.id)).toMatchObject({ sessions: 0, shareOnTime: null });
    const audit = await auditRowsOf(owner, res.headers['x-request-id']);
    expect(audit.map((r) => [r.action, r.category, r.outcome])).toEqual([
      ['documentation.compliance', 'session', 'success'],
    ]);

    // March holds the sessions of the other tests, not these.
    const march = await ownerAgent.get('/api/v1/documentation/compliance?from=2026-03-01&to=2026-03-31');
    const marchA = march.json<ComplianceJson>().clinicians.find((c) => c.clinicianId === A());
    expect(marchA).toMatchObject({ sessions: 3, signed: 2 });
  });

  it('a supervisor sees their supervisees and themself only', async () => {
    const res = await supervisor.get('/api/v1/documentation/compliance?from=2026-03-01&to=2026-04-30');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<ComplianceJson>();
    expect(report.clinicians.map((c) => c.clinicianId)).toEqual([
      practice.users.supervisor.id,
      practice.users.supervisee.id,
    ]);
    // The supervisee's returned note is no longer signed: one session, unsigned and past due.
    expect(report.clinicians[1]).toMatchObject({ sessions: 1, signed: 0, overdue: 1, shareOnTime: 0 });
  });

  it('a clinician is refused, audited; a period over 366 days or backwards is refused', async () => {
    const res = await clinician.get('/api/v1/documentation/compliance?from=2026-04-01&to=2026-04-30');
    expect(res.statusCode).toBe(403);
    const audit = await auditRowsOf(owner, res.headers['x-request-id']);
    expect(audit.map((r) => [r.action, r.outcome])).toEqual([['documentation.compliance', 'denied']]);
    const long = await ownerAgent.get('/api/v1/documentation/compliance?from=2025-01-01&to=2026-01-02');
    expect(long.statusCode).toBe(422);
    const leap = await ownerAgent.get('/api/v1/documentation/compliance?from=2024-01-01&to=2024-12-31');
    expect(leap.statusCode).toBe(200);
    const last = await ownerAgent.get('/api/v1/documentation/compliance?from=9999-01-01&to=9999-12-31');
    expect(last.statusCode, last.body).toBe(200);
    const backwards = await ownerAgent.get('/api/v1/documentation/compliance?from=2026-04-30&to=2026-04-01');
    expect(backwards.statusCode).toBe(422);
    const bad = await ownerAgent.get('/api/v1/documentation/compliance?from=2026-02-30&to=2026-04-01');
    expect(bad.statusCode).toBe(400);
  });
});

describe('changing the practice policy', () => {
  it('applies to sessions marked attended afterwards; earlier deadlines stay', async () => {
    const clientId = (await newClient(clinician, clientNamed('Pia'))).id;
    now = new Date('2026-05-04T12:00:00Z');
    const before = await attendedWithEnd(
      clinician,
      practice.users.clinician.id,
      clientId,
      '2026-05-04T09:00',
    );
    const current = await ownerAgent.get('/api/v1/practice/settings');
    const patched = await ownerAgent.patch(
      '/api/v1/practice/settings',
      { noteDueHours: 24, noteReminderHours: 6 },
      { 'if-match': current.headers.etag as string },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    // A reminder that would come before the session ends is refused, alone or with the deadline.
    for (const body of [
      { noteReminderHours: 30 },
      { noteDueHours: 4 },
      { noteDueHours: 48, noteReminderHours: 49 },
    ]) {
      const refused = await ownerAgent.patch('/api/v1/practice/settings', body, {
        'if-match': patched.headers.etag as string,
      });
      expect(refused.statusCode, refused.body).toBe(422);
    }
    const unchanged = (await ownerAgent.get('/api/v1/practice/settings')).json<{
      noteDueHours: number;
      noteReminderHours: number;
    }>();
    expect(unchanged).toMatchObject({ noteDueHours: 24, noteReminderHours: 6 });
    const after = await attendedWithEnd(clinician, practice.users.clinician.id, clientId, '2026-05-05T09:00');

    now = at(after.end, 20);
    const d = await dashboard(clinician);
    expect(d.policy).toEqual({ noteDueHours: 24, reminderHoursBefore: 6 });
    expect(itemFor(d, before.session.id)?.noteDueAt).toBe(at(before.end, 72).toISOString());
    expect(itemFor(d, after.session.id)).toMatchObject({
      noteDueAt: at(after.end, 24).toISOString(),
      deadline: 'due_soon',
    });
    now = at(after.end, 25);
    expect(itemFor(await dashboard(clinician), after.session.id)).toMatchObject({
      deadline: 'overdue',
      overdueFor: '1 h',
    });
  });
});

describe('privacy mode', () => {
  it('shows client codes instead of names on the dashboard and in note search', async () => {
    const current = await ownerAgent.get('/api/v1/practice/settings');
    const on = await ownerAgent.patch(
      '/api/v1/practice/settings',
      { privacyMode: true },
      { 'if-match': current.headers.etag as string },
    );
    expect(on.statusCode, on.body).toBe(200);
    const d = await dashboard(clinician);
    expect(d.needsNote.length).toBeGreaterThan(0);
    for (const item of d.needsNote) expect(item.displayName).toBe(item.clientCode);
    const found = await clinician.post('/api/v1/notes/search', {});
    const items = found.json<{ items: { clientCode: string; displayName: string }[] }>().items;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.displayName).toBe(item.clientCode);
    expect(found.body).not.toContain('Rivera');
    expect(JSON.stringify(d)).not.toContain('Rivera');
  });
});
