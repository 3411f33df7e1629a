import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  login,
  openTestApp,
  PASSWORD,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import {
  attend,
  attendedSession,
  bookSessions,
  clientNamed,
  newClient,
  signNote,
  soapContent,
  writeDraft,
  type NoteStart,
  type NoteView,
  type SessionView,
} from '../support/clinical.js';

let now = new Date('2026-02-01T12:00:00Z');

let t: TestApp;
let practice: SeededPractice;
let clinician: Agent;
let otherClinician: Agent;
let supervisor: Agent;
let supervisee: Agent;
let scheduler: Agent;
let biller: Agent;
let auditor: Agent;
let owner: pg.Client;

type ChartItem =
  | { kind: 'session'; id: string; at: string; noteId: string | null; noteState: string; attendance: string }
  | { kind: 'note'; id: string; at: string; dateOfService: string; status: string; addenda: number }
  | { kind: 'addendum'; id: string; at: string; noteId: string; signerName: string };
interface ChartJson {
  items: ChartItem[];
  nextCursor: string | null;
  withheld: string[];
}
interface SearchJson {
  items: {
    id: string;
    clientId: string;
    displayName: string;
    kind: string;
    status: string;
    addenda: number;
  }[];
  nextCursor: string | null;
}

/** A SOAP note whose plan holds the words the searches look for. */
const soap = (plan: string) => soapContent({ plan });

/** A 50-minute video session on the agent's own calendar, marked attended. */
function attendedVideoSession(agent: Agent, clinicianId: string, clientId: string, startLocal: string) {
  return attendedSession(agent, { clinicianId, clientIds: [clientId], startLocal, modality: 'video' });
}

/** A draft started and saved with the given content. */
function draft(agent: Agent, start: NoteStart, content: Record<string, unknown>): Promise<NoteView> {
  return writeDraft(agent, start, { content, diagnosisCodes: ['F43.23'] });
}

async function chart(agent: Agent, clientId: string, query = ''): Promise<ChartJson> {
  const res = await agent.get(`/api/v1/clients/${clientId}/chart${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ChartJson>();
}

async function search(agent: Agent, body: Record<string, unknown>): Promise<string[]> {
  const res = await agent.post('/api/v1/notes/search', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<SearchJson>().items.map((i) => i.id);
}

/** Newest first: by instant, then sessions before notes before addenda, then id descending. */
function inTimelineOrder(items: ChartItem[]): boolean {
  const rank = { session: 0, note: 1, addendum: 2 };
  return items.every((b, i) => {
    const a = items[i - 1];
    if (!a) return true;
    if (a.at !== b.at) return a.at > b.at;
    if (a.kind !== b.kind) return rank[a.kind] < rank[b.kind];
    return a.id > b.id;
  });
}

let clientId: string;
let series: SessionView[];
const notes: Record<'first' | 'second' | 'draft' | 'contact', NoteView> = {} as Record<
  'first' | 'second' | 'draft' | 'contact',
  NoteView
>;
let addendumId: string;

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
  scheduler = await login(t.app, practice.users.scheduler.email);
  biller = await login(t.app, practice.users.biller.email);
  auditor = await login(t.app, practice.users.auditor.email);
  owner = await openTableOwner();

  // 52 weekly sessions (the most one booking makes) from Monday 5 January 2026; the first three attended and documented.
  clientId = (await newClient(clinician, clientNamed('Wren'))).id;
  series = await bookSessions(clinician, {
    clinicianId: practice.users.clinician.id,
    clientIds: [clientId],
    startLocal: '2026-01-05T09:00',
    modality: 'video',
    recurrence: { kind: 'weekly', count: 52 },
  });
  expect(series).toHaveLength(52);
  const [s1, s2, s3] = series;
  if (!s1 || !s2 || !s3) throw new Error('series too short');
  for (const s of [s1, s2, s3]) await attend(clinician, s.id, clientId);
  now = new Date('2026-01-05T20:00:00Z');
  notes.first = await signNote(
    clinician,
    await draft(clinician, { clientId, sessionId: s1.id }, soap('Start journaling to notice rumination.')),
  );
  now = new Date('2026-01-12T20:00:00Z');
  notes.second = await signNote(
    clinician,
    await draft(clinician, { clientId, sessionId: s2.id }, soap('Build an exposure hierarchy together.')),
  );
  notes.draft = await draft(clinician, { clientId, sessionId: s3.id }, soap('Review the hierarchy.'));
  notes.contact = await signNote(
    clinician,
    await draft(
      clinician,
      { clientId, kind: 'contact', dateOfService: '2026-01-07' },
      {
        contactType: 'phone',
        contactWith: 'client',
        summary: 'Called to move the appointment; no concerns.',
      },
    ),
  );
  now = new Date('2026-02-01T12:00:00Z');
  const withAddendum = await clinician.post(`/api/v1/notes/${notes.first.id}/addenda`, {
    reason: 'Late addition',
    text: 'Client emailed the first journaling entries.',
    password: PASSWORD,
  });
  expect(withAddendum.statusCode, withAddendum.body).toBe(201);
  const added = withAddendum.json<{ addenda: { id: string }[] }>().addenda[0];
  if (!added) throw new Error('no addendum');
  addendumId = added.id;
});
afterAll(async () => {
  await owner.end();
  await t.close();
});

describe('the chart timeline', () => {
  it('lists sessions, notes and addenda newest first, 50 a page, with a cursor for the rest', async () => {
    const first = await clinician.get(`/api/v1/clients/${clientId}/chart`);
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json<ChartJson>();
    expect(page1.items).toHaveLength(50);
    expect(page1.withheld).toEqual([]);
    expect(page1.nextCursor).not.toBeNull();
    const audit = await auditRowsOf(owner, first.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.category, a.client_id, a.outcome])).toEqual([
      ['chart.view', 'progress_note', clientId, 'success'],
    ]);

    const page2 = await chart(clinician, clientId, `?cursor=${page1.nextCursor}`);
    expect(page2.nextCursor).toBeNull();
    const all = [...page1.items, ...page2.items];
    // 52 sessions, 4 notes (the author's own draft among them) and 1 addendum, each once.
    expect(all).toHaveLength(57);
    expect(new Set(all.map((i) => `${i.kind}:${i.id}`)).size).toBe(57);
    expect(inTimelineOrder(all)).toBe(true);

    const tail = all.slice(-10).map((i) => [i.kind, i.id]);
    const [s1, s2, s3, s4, s5] = series;
    expect(tail).toEqual([
      ['session', s5?.id],
      ['addendum', addendumId],
      ['session', s4?.id],
      ['note', notes.draft.id],
      ['session', s3?.id],
      ['note', notes.second.id],
      ['session', s2?.id],
      ['note', notes.contact.id],
      ['note', notes.first.id],
      ['session', s1?.id],
    ]);
    const firstNote = all.find((i) => i.id === notes.first.id);
    expect(firstNote).toMatchObject({ dateOfService: '2026-01-05', status: 'signed', addenda: 1 });
    // A note stands at noon of its date of service, practice time (CST).
    expect(firstNote?.at).toBe('2026-01-05T18:00:00.000Z');
    expect(all.find((i) => i.id === s1?.id)).toMatchObject({
      noteId: notes.first.id,
      noteState: 'signed',
      attendance: 'attended',
    });
    // No narrative in the timeline.
    expect(JSON.stringify(all)).not.toMatch(/journaling|hierarchy|rumination/);
  });

  it('filters by type and by practice-local dates', async () => {
    const onlyNotes = await chart(clinician, clientId, '?types=note');
    expect(onlyNotes.items.map((i) => i.id)).toEqual([
      notes.draft.id,
      notes.second.id,
      notes.contact.id,
      notes.first.id,
    ]);
    const addenda = await chart(clinician, clientId, '?types=addendum');
    expect(addenda.items).toEqual([
      {
        kind: 'addendum',
        id: addendumId,
        noteId: notes.first.id,
        at: '2026-02-01T12:00:00.000Z',
        signerName: 'Casey Clinician',
      },
    ]);
    const week = await chart(clinician, clientId, '?from=2026-01-07&to=2026-01-12&types=session,note');
    expect(week.items.map((i) => [i.kind, i.id])).toEqual([
      ['note', notes.second.id],
      ['session', series[1]?.id],
      ['note', notes.contact.id],
    ]);
    const addendumDay = await chart(clinician, clientId, '?from=2026-02-01&to=2026-02-01');
    expect(addendumDay.items.map((i) => i.kind)).toEqual(['addendum']);
  });

  it('refuses bad types, reversed dates and forged cursors with a 4xx', async () => {
    for (const q of [
      '?types=note,psychotherapy',
      '?types=',
      '?from=2026-02-01&to=2026-01-01',
      '?from=2026-13-01',
    ]) {
      const res = await clinician.get(`/api/v1/clients/${clientId}/chart${q}`);
      expect(res.statusCode, q).toBe(400);
    }
    const forged = await clinician.get(`/api/v1/clients/${clientId}/chart?cursor=bm90LWEtY3Vyc29y`);
    expect(forged.statusCode).toBe(422);
    // The first and last dates a date field takes are answered, not a 500.
    const edges = await chart(clinician, clientId, '?from=0001-01-01&to=9999-12-31&types=note');
    expect(edges.items).toHaveLength(4);
    const ancient = (await newClient(clinician, clientNamed('Ona'))).id;
    const old = await draft(
      clinician,
      { clientId: ancient, kind: 'contact', dateOfService: '0001-01-01' },
      {},
    );
    const oldChart = await chart(clinician, ancient);
    expect(oldChart.items).toEqual([
      expect.objectContaining({ kind: 'note', id: old.id, at: '0001-01-01T12:00:00.000Z' }),
    ]);
    expect(await chart(clinician, clientId, '?from=9999-12-31')).toEqual({
      items: [],
      nextCursor: null,
      withheld: [],
    });
  });

  it('the front office gets sessions (billing also diagnoses), told what was withheld; an auditor gets nothing', async () => {
    const clinicalOnly = 'note,addendum,plan,measure,alert,annotation';
    for (const [agent, shown, withheld, category] of [
      [scheduler, 'session', `note,addendum,diagnosis,plan,measure,alert,annotation`, 'session'],
      [biller, 'session,diagnosis', clinicalOnly, 'diagnosis'],
    ] as const) {
      const res = await agent.get(`/api/v1/clients/${clientId}/chart`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<ChartJson>();
      expect(page.withheld).toEqual(withheld.split(','));
      expect(page.items).toHaveLength(50);
      expect(page.items.every((i) => i.kind === 'session' && i.noteId === null)).toBe(true);
      const audit = await auditRowsOf(owner, res.headers['x-request-id']);
      expect(audit.map((a) => [a.action, a.category])).toEqual([['chart.view', category]]);
      expect(audit[0]?.details).toMatchObject({ types: shown, withheld, results: 50 });
      const notesOnly = await chart(agent, clientId, '?types=note');
      expect(notesOnly).toEqual({ items: [], nextCursor: null, withheld: ['note'] });
    }
    const refused = await auditor.get(`/api/v1/clients/${clientId}/chart`);
    expect(refused.statusCode).toBe(403);
    const audit = await auditRowsOf(owner, refused.headers['x-request-id']);
    expect(audit.map((a) => [a.category, a.outcome])).toEqual([['session', 'denied']]);
    const stranger = await otherClinician.get(`/api/v1/clients/${clientId}/chart`);
    expect(stranger.statusCode).toBe(403);
  });

  it("never shows another author's draft: a supervisor sees the session, not the supervisee's draft", async () => {
    const theirClient = (await newClient(supervisee, clientNamed('Quinn'))).id;
    const s = await attendedVideoSession(
      supervisee,
      practice.users.supervisee.id,
      theirClient,
      '2026-01-20T11:00',
    );
    const unsigned = await draft(
      supervisee,
      { clientId: theirClient, sessionId: s.id },
      soap('Plan to follow.'),
    );
    const seen = await chart(supervisor, theirClient);
    expect(seen.items).toEqual([
      expect.objectContaining({ kind: 'session', id: s.id, noteId: null, noteState: 'draft' }),
    ]);
    const own = await chart(supervisee, theirClient);
    expect(own.items.map((i) => [i.kind, i.id])).toEqual([
      ['note', unsigned.id],
      ['session', s.id],
    ]);
  });
});

describe('psychotherapy notes', () => {
  it('never appear in the chart or in note search, even to their author', async () => {
    const res = await clinician.post('/api/v1/psychotherapy-notes', {
      clientId,
      dateOfService: '2026-01-12',
      content: { processNote: 'Transference themes around journaling and the father.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json<{ id: string }>();
    const all = [
      ...(await chart(clinician, clientId)).items,
      ...(await chart(clinician, clientId, '?types=note&from=2026-01-12&to=2026-01-12')).items,
    ];
    expect(all.map((i) => i.id)).not.toContain(id);
    expect(await search(clinician, { text: 'transference' })).toEqual([]);
    expect(await search(clinician, { text: 'journaling' })).toEqual([notes.first.id]);
  });
});

describe('note search', () => {
  it('finds a note by a word it contains, in any case, and not the notes without it', async () => {
    expect(await search(clinician, { text: 'journaling' })).toEqual([notes.first.id]);
    expect(await search(clinician, { text: 'JOURNALING' })).toEqual([notes.first.id]);
    expect(await search(clinician, { text: 'exposure hierarchy' })).toEqual([notes.second.id]);
    expect(await search(clinician, { text: 'journaling hierarchy' })).toEqual([]);
    expect(await search(clinician, { text: 'appointment', kinds: ['contact'] })).toEqual([notes.contact.id]);
    // Every note of the clinician's care teams, own draft included, newest first.
    expect(await search(clinician, { clientId })).toEqual([
      notes.draft.id,
      notes.second.id,
      notes.contact.id,
      notes.first.id,
    ]);
    expect(await search(clinician, { clientId, from: '2026-01-06', to: '2026-01-12' })).toEqual([
      notes.second.id,
      notes.contact.id,
    ]);
    // Words and a date range together (the search combines two indexes for this).
    expect(await search(clinician, { text: 'exposure', from: '2026-01-06', to: '2026-01-12' })).toEqual([
      notes.second.id,
    ]);
    expect(await search(clinician, { text: 'journaling', from: '2026-01-06', to: '2026-01-12' })).toEqual([]);
  });

  it('records the search without its words', async () => {
    const res = await clinician.post('/api/v1/notes/search', { text: 'rumination' });
    expect(res.json<SearchJson>().items).toEqual([
      expect.objectContaining({
        id: notes.first.id,
        displayName: 'Wren Rivera',
        kind: 'progress',
        addenda: 1,
      }),
    ]);
    const audit = await auditRowsOf(owner, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.category, a.outcome])).toEqual([
      ['note.search', 'progress_note', 'success'],
    ]);
    expect(audit[0]?.details).toMatchObject({ results: 1, words: true });
    expect(JSON.stringify(audit)).not.toContain('rumination');
  });

  it("never finds another care team's or another practice's note with the same word", async () => {
    const theirClient = (await newClient(otherClinician, clientNamed('Ivo'))).id;
    const s = await attendedVideoSession(
      otherClinician,
      practice.users.otherClinician.id,
      theirClient,
      '2026-01-21T10:00',
    );
    const theirs = await signNote(
      otherClinician,
      await draft(otherClinician, { clientId: theirClient, sessionId: s.id }, soap('Try journaling daily.')),
    );
    expect(await search(clinician, { text: 'journaling' })).toEqual([notes.first.id]);
    expect(await search(otherClinician, { text: 'journaling' })).toEqual([theirs.id]);

    const elsewhere = await seedPractice(t.deps);
    const stranger = await login(t.app, elsewhere.users.clinician.email);
    const strangerClient = (await newClient(stranger, clientNamed('Ute'))).id;
    const es = await attendedVideoSession(
      stranger,
      elsewhere.users.clinician.id,
      strangerClient,
      '2026-01-22T10:00',
    );
    const foreign = await signNote(
      stranger,
      await draft(stranger, { clientId: strangerClient, sessionId: es.id }, soap('More journaling.')),
    );
    expect(await search(clinician, { text: 'journaling' })).toEqual([notes.first.id]);
    expect(await search(stranger, { text: 'journaling' })).toEqual([foreign.id]);
    const across = await clinician.get(`/api/v1/notes/${foreign.id}/pdf`);
    expect(across.statusCode).toBe(404);
  });

  it("finds the notes of co-treated and supervisees' clients as well as the caseload's", async () => {
    const supervisee = await login(t.app, practice.users.supervisee.email);
    const theirClient = (await newClient(supervisee, clientNamed('Pia'))).id;
    const s = await attendedVideoSession(
      supervisee,
      practice.users.supervisee.id,
      theirClient,
      '2026-01-23T10:00',
    );
    const theirs = await signNote(
      supervisee,
      await draft(
        supervisee,
        { clientId: theirClient, sessionId: s.id },
        soap('Practiced origami breathing.'),
      ),
    );
    // The supervisor reads it (awaiting co-signature counts) though the client is not on their caseload.
    expect(await search(supervisor, { text: 'origami' })).toEqual([theirs.id]);
    expect(await search(clinician, { text: 'origami' })).toEqual([]);
    // Added to the care team (not primary), the clinician finds it too; removed, no longer.
    const record = (await supervisee.get(`/api/v1/clients/${theirClient}`)).json<{ version: number }>();
    const added = await supervisee.put(
      `/api/v1/clients/${theirClient}/care-team`,
      { primaryClinicianId: practice.users.supervisee.id, memberIds: [practice.users.clinician.id] },
      { 'if-match': `"${record.version}"` },
    );
    expect(added.statusCode, added.body).toBe(200);
    expect(await search(clinician, { text: 'origami' })).toEqual([theirs.id]);
    const removed = await supervisee.put(
      `/api/v1/clients/${theirClient}/care-team`,
      { primaryClinicianId: practice.users.supervisee.id, memberIds: [] },
      { 'if-match': `"${added.json<{ version: number }>().version}"` },
    );
    expect(removed.statusCode, removed.body).toBe(200);
    expect(await search(clinician, { text: 'origami' })).toEqual([]);
  });

  it('pages with a cursor, 50 at a time', async () => {
    const busy = (await newClient(clinician, clientNamed('Yael'))).id;
    const made: string[] = [];
    for (let i = 0; i < 51; i++) {
      const res = await clinician.post('/api/v1/notes', {
        clientId: busy,
        kind: 'contact',
        dateOfService: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      });
      expect(res.statusCode, res.body).toBe(201);
      made.push(res.json<{ id: string }>().id);
    }
    const first = await clinician.post('/api/v1/notes/search', { clientId: busy });
    const page1 = first.json<SearchJson>();
    expect(page1.items).toHaveLength(50);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (
      await clinician.post('/api/v1/notes/search', { clientId: busy, cursor: page1.nextCursor })
    ).json<SearchJson>();
    expect(page2).toMatchObject({ nextCursor: null });
    const ids = [...page1.items, ...page2.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(51);
    expect([...ids].sort()).toEqual([...made].sort());
  });

  it('refuses bad input with a 4xx', async () => {
    const long = await clinician.post('/api/v1/notes/search', { text: 'x'.repeat(201) });
    expect(long.statusCode).toBe(400);
    const unknown = await clinician.post('/api/v1/notes/search', { kinds: ['psychotherapy'] });
    expect(unknown.statusCode).toBe(400);
    const reversed = await clinician.post('/api/v1/notes/search', { from: '2026-02-01', to: '2026-01-01' });
    expect(reversed.statusCode).toBe(400);
    const forged = await clinician.post('/api/v1/notes/search', { cursor: 'bm90LWEtY3Vyc29y' });
    expect(forged.statusCode).toBe(422);
  });
});

describe('the note PDF', () => {
  it('prints a signed note as a PDF named by its date, and audits the print', async () => {
    const res = await clinician.get(`/api/v1/notes/${notes.first.id}/pdf`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="note-2026-01-05.pdf"');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(2000);
    const audit = await auditRowsOf(owner, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.category, a.client_id, a.entity_id, a.outcome])).toEqual([
      ['note.print', 'progress_note', clientId, notes.first.id, 'success'],
    ]);
  });

  it('refuses to print a draft', async () => {
    const res = await clinician.get(`/api/v1/notes/${notes.draft.id}/pdf`);
    expect(res.statusCode).toBe(409);
    expect(await auditRowsOf(owner, res.headers['x-request-id'])).toEqual([]);
  });
});
