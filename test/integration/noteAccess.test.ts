import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  login,
  openTestApp,
  PASSWORD,
  seedPractice,
  type Agent,
  type SeededPractice,
  type StaffKey,
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import {
  attendedSession,
  clientNamed,
  newClient,
  signNote,
  soapContent,
  startNote,
  writeDraft,
  type NoteView,
} from '../support/clinical.js';

let t: TestApp;
let practice: SeededPractice;
let agents: Record<StaffKey, Agent>;
let owner: pg.Client;

/** A SOAP note whose plan holds the word the searches look for. */
const FILLED = {
  content: soapContent({ plan: 'Continue fortnightly sessions; introduce interoceptive exposure.' }),
  diagnosisCodes: ['F41.0'],
};

/** The request's audit rows as [action, category, outcome]. */
async function auditOf(res: { headers: Record<string, unknown> }) {
  const rows = await auditRowsOf(owner, res.headers['x-request-id'] as string);
  return rows.map((r) => [r.action, r.category, r.outcome]);
}

beforeAll(async () => {
  t = await openTestApp();
  practice = await seedPractice(t.deps);
  const keys = Object.keys(practice.users) as StaffKey[];
  agents = Object.fromEntries(
    await Promise.all(keys.map(async (k) => [k, await login(t.app, practice.users[k].email)] as const)),
  ) as Record<StaffKey, Agent>;
  owner = await openTableOwner();
});
afterAll(async () => {
  await owner.end();
  await t.close();
});

describe("who may read a clinician's signed note", () => {
  let clientId: string;
  let note: NoteView;

  beforeAll(async () => {
    clientId = (await newClient(agents.clinician, { ...clientNamed('Marisol', 'Quintero'), contacts: [] }))
      .id;
    const s = await attendedSession(agents.clinician, {
      clinicianId: practice.users.clinician.id,
      clientIds: [clientId],
      startLocal: '2026-03-02T10:00',
    });
    note = await signNote(
      agents.clinician,
      await writeDraft(agents.clinician, { clientId, sessionId: s.id }, FILLED),
    );
    expect(note.status).toBe('signed');
  });

  it('the author reads, searches and prints it', async () => {
    expect((await agents.clinician.get(`/api/v1/notes/${note.id}`)).statusCode).toBe(200);
    const found = await agents.clinician.post('/api/v1/notes/search', { text: 'interoceptive' });
    expect(found.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([note.id]);
    expect((await agents.clinician.get(`/api/v1/notes/${note.id}/pdf`)).statusCode).toBe(200);
  });

  for (const role of ['biller', 'scheduler', 'auditor', 'otherClinician', 'owner'] as const) {
    it(`${role}: cannot read, print or search it, and each attempt is audited as denied`, async () => {
      const agent = agents[role];
      const read = await agent.get(`/api/v1/notes/${note.id}`);
      expect([403, 404]).toContain(read.statusCode);
      expect(read.body).not.toContain('interoceptive');
      expect(await auditOf(read)).toEqual([['client.readNotes', 'progress_note', 'denied']]);

      const pdf = await agent.get(`/api/v1/notes/${note.id}/pdf`);
      expect([403, 404]).toContain(pdf.statusCode);
      expect(pdf.headers['content-type']).toMatch(/problem\+json/);
      expect(await auditOf(pdf)).toEqual([['client.readNotes', 'progress_note', 'denied']]);

      const byClient = await agent.post('/api/v1/notes/search', { clientId, text: 'interoceptive' });
      expect([403, 404]).toContain(byClient.statusCode);
      expect((await auditOf(byClient))[0]?.[2]).toBe('denied');

      const any = await agent.post('/api/v1/notes/search', { text: 'interoceptive' });
      if (role === 'otherClinician') {
        // A clinician may search, but only their own care teams' notes.
        expect(any.statusCode).toBe(200);
        expect(any.json()).toEqual({ items: [], nextCursor: null });
        expect(await auditOf(any)).toEqual([['note.search', 'progress_note', 'success']]);
      } else {
        expect(any.statusCode).toBe(403);
        expect(await auditOf(any)).toEqual([['note.search', 'progress_note', 'denied']]);
      }
    });
  }

  it('an owner reads it once the practice lets owners and admins see every client', async () => {
    const current = await agents.owner.get('/api/v1/practice/settings');
    const on = await agents.owner.patch(
      '/api/v1/practice/settings',
      { adminsSeeAllClients: true },
      { 'if-match': current.headers.etag as string },
    );
    expect(on.statusCode, on.body).toBe(200);
    try {
      expect((await agents.owner.get(`/api/v1/notes/${note.id}`)).statusCode).toBe(200);
      const found = await agents.owner.post('/api/v1/notes/search', { text: 'interoceptive' });
      expect(found.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([note.id]);
      // The front office still never reads notes.
      expect((await agents.biller.get(`/api/v1/notes/${note.id}`)).statusCode).toBe(403);
    } finally {
      const off = await agents.owner.patch(
        '/api/v1/practice/settings',
        { adminsSeeAllClients: false },
        { 'if-match': on.headers.etag as string },
      );
      expect(off.statusCode, off.body).toBe(200);
    }
  });
});

describe('supervision', () => {
  it("the supervisor of a care-team member reads a signed note, never the supervisee's draft", async () => {
    const { id: clientId } = await newClient(agents.supervisee, {
      ...clientNamed('Tomas', 'Berg'),
      contacts: [],
    });
    const first = await attendedSession(agents.supervisee, {
      clinicianId: practice.users.supervisee.id,
      clientIds: [clientId],
      startLocal: '2026-03-03T10:00',
    });
    const second = await attendedSession(agents.supervisee, {
      clinicianId: practice.users.supervisee.id,
      clientIds: [clientId],
      startLocal: '2026-03-10T10:00',
    });
    const submitted = await signNote(
      agents.supervisee,
      await writeDraft(agents.supervisee, { clientId, sessionId: first.id }, FILLED),
    );
    expect(submitted.status).toBe('awaiting_cosign');
    const cosigned = await agents.supervisor.post(
      `/api/v1/notes/${submitted.id}/cosign`,
      { password: PASSWORD },
      { 'if-match': `"${submitted.version}"` },
    );
    expect(cosigned.statusCode, cosigned.body).toBe(200);
    const read = await agents.supervisor.get(`/api/v1/notes/${submitted.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json<NoteView>().status).toBe('signed');

    const unsigned = await writeDraft(agents.supervisee, { clientId, sessionId: second.id }, FILLED);
    const refused = await agents.supervisor.get(`/api/v1/notes/${unsigned.id}`);
    expect(refused.statusCode).toBe(403);
    expect(await auditOf(refused)).toEqual([['note.view', 'progress_note', 'denied']]);
    const pdf = await agents.supervisor.get(`/api/v1/notes/${unsigned.id}/pdf`);
    expect(pdf.statusCode).toBe(403);
    // Search shows the supervisor the signed note and not the draft.
    const found = await agents.supervisor.post('/api/v1/notes/search', { clientId });
    expect(found.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([submitted.id]);
    // The author's own draft does not print either.
    const draftPdf = await agents.supervisee.get(`/api/v1/notes/${unsigned.id}/pdf`);
    expect(draftPdf.statusCode).toBe(409);
    expect(draftPdf.json<{ detail: string }>().detail).toBe('Sign the note before printing');
  });
});

describe('group sessions', () => {
  it("each member's note names no other member", async () => {
    const names = [
      ['Amara', 'Okafor'],
      ['Bruno', 'Lindqvist'],
      ['Chiara', 'Valdés'],
    ] as const;
    const members: { id: string; code: string; first: string; last: string }[] = [];
    for (const [first, last] of names) {
      const client = await newClient(agents.clinician, { ...clientNamed(first, last), contacts: [] });
      members.push({ id: client.id, code: client.clientCode, first, last });
    }
    const s = await attendedSession(agents.clinician, {
      clinicianId: practice.users.clinician.id,
      clientIds: members.map((m) => m.id),
      startLocal: '2026-03-04T14:00',
      serviceType: 'group',
    });
    const notes: NoteView[] = [];
    for (const m of members)
      notes.push(await startNote(agents.clinician, { clientId: m.id, sessionId: s.id }));
    notes.forEach((note, i) => {
      expect(note.clientId).toBe(members[i]?.id);
      expect(note.sessionFacts.participants).toEqual(['Group session: 3 members']);
      const json = JSON.stringify(note);
      for (const other of members.filter((_, j) => j !== i))
        for (const identifying of [other.id, other.code, other.first, other.last])
          expect(json).not.toContain(identifying);
    });
    // Read back as a reader would: still nothing about the others.
    const readBack = await agents.clinician.get(`/api/v1/notes/${notes[0]?.id}`);
    for (const other of members.slice(1)) {
      expect(readBack.body).not.toContain(other.code);
      expect(readBack.body).not.toContain(other.id);
    }
    expect(readBack.body).not.toMatch(/Lindqvist|Valdés|Bruno|Chiara/);
  });
});
