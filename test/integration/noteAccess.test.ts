import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  login,
  NEW_CLIENT,
  openTestApp,
  PASSWORD,
  seedPractice,
  type Agent,
  type SeededPractice,
  type StaffKey,
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';

let t: TestApp;
let practice: SeededPractice;
let agents: Record<StaffKey, Agent>;
let owner: pg.Client;

interface SessionJson {
  id: string;
  clients: { clientId: string }[];
}
interface NoteJson {
  id: string;
  version: number;
  status: string;
  clientId: string;
  sessionFacts: { participants: string[] };
}

const SOAP_CONTENT = {
  subjective: 'Reports a calmer week with fewer panic episodes and better sleep.',
  objective: 'Alert and oriented, speech normal, affect brighter than last session.',
  assessment: 'Panic symptoms easing; progress toward goal 2 is good.',
  clientResponse: 'Practised paced breathing in session and rated it helpful.',
  risk: { suicidalIdeation: 'none', homicidalIdeation: 'none', selfHarm: 'none', safetyPlan: '', notes: '' },
  interventions: { selected: ['cognitive_restructuring'], other: '' },
  plan: 'Continue fortnightly sessions; introduce interoceptive exposure.',
  homework: 'Paced breathing twice a day.',
  nextAppointment: 'In two weeks',
};

async function newClient(agent: Agent, first: string, last: string): Promise<{ id: string; code: string }> {
  const res = await agent.post('/api/v1/clients', {
    ...NEW_CLIENT,
    legalFirstName: first,
    legalLastName: last,
    preferredName: null,
    contacts: [],
  });
  expect(res.statusCode, res.body).toBe(201);
  const c = res.json<{ id: string; clientCode: string }>();
  return { id: c.id, code: c.clientCode };
}

async function session(
  agent: Agent,
  clinicianId: string,
  clientIds: string[],
  startLocal: string,
  serviceType = 'individual',
) {
  const res = await agent.post('/api/v1/sessions', {
    clientIds,
    clinicianId,
    serviceType,
    startLocal,
    durationMinutes: 50,
    modality: 'in_person',
  });
  expect(res.statusCode, res.body).toBe(201);
  const s = res.json<{ sessions: SessionJson[] }>().sessions[0];
  if (!s) throw new Error('no session');
  for (const clientId of clientIds) {
    const att = await agent.put(`/api/v1/sessions/${s.id}/attendance/${clientId}`, {
      attendance: 'attended',
    });
    expect(att.statusCode, att.body).toBe(200);
  }
  return s;
}

async function draft(agent: Agent, clientId: string, sessionId: string): Promise<NoteJson> {
  const res = await agent.post('/api/v1/notes', { clientId, sessionId, kind: 'progress', format: 'soap' });
  expect(res.statusCode, res.body).toBe(201);
  const note = res.json<NoteJson>();
  const saved = await agent.put(
    `/api/v1/notes/${note.id}/draft`,
    { content: SOAP_CONTENT, diagnosisCodes: ['F41.0'] },
    { 'if-match': `"${note.version}"` },
  );
  expect(saved.statusCode, saved.body).toBe(200);
  return saved.json<NoteJson>();
}

async function signed(agent: Agent, note: NoteJson): Promise<NoteJson> {
  const res = await agent.post(
    `/api/v1/notes/${note.id}/sign`,
    { password: PASSWORD },
    { 'if-match': `"${note.version}"` },
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NoteJson>();
}

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
  let note: NoteJson;

  beforeAll(async () => {
    clientId = (await newClient(agents.clinician, 'Marisol', 'Quintero')).id;
    const s = await session(agents.clinician, practice.users.clinician.id, [clientId], '2026-03-02T10:00');
    note = await signed(agents.clinician, await draft(agents.clinician, clientId, s.id));
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
    const { id: clientId } = await newClient(agents.supervisee, 'Tomas', 'Berg');
    const first = await session(
      agents.supervisee,
      practice.users.supervisee.id,
      [clientId],
      '2026-03-03T10:00',
    );
    const second = await session(
      agents.supervisee,
      practice.users.supervisee.id,
      [clientId],
      '2026-03-10T10:00',
    );
    const submitted = await signed(agents.supervisee, await draft(agents.supervisee, clientId, first.id));
    expect(submitted.status).toBe('awaiting_cosign');
    const cosigned = await agents.supervisor.post(
      `/api/v1/notes/${submitted.id}/cosign`,
      { password: PASSWORD },
      { 'if-match': `"${submitted.version}"` },
    );
    expect(cosigned.statusCode, cosigned.body).toBe(200);
    const read = await agents.supervisor.get(`/api/v1/notes/${submitted.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json<NoteJson>().status).toBe('signed');

    const unsigned = await draft(agents.supervisee, clientId, second.id);
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
    for (const [first, last] of names)
      members.push({ ...(await newClient(agents.clinician, first, last)), first, last });
    const s = await session(
      agents.clinician,
      practice.users.clinician.id,
      members.map((m) => m.id),
      '2026-03-04T14:00',
      'group',
    );
    const notes: NoteJson[] = [];
    for (const m of members) {
      const res = await agents.clinician.post('/api/v1/notes', {
        clientId: m.id,
        sessionId: s.id,
        kind: 'progress',
        format: 'soap',
      });
      expect(res.statusCode, res.body).toBe(201);
      notes.push(res.json<NoteJson>());
    }
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
