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
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';

let t: TestApp;
let practice: SeededPractice;
let clinician: Agent;
let supervisee: Agent;
let supervisor: Agent;
let owner: pg.Client;

interface SessionJson {
  id: string;
  version: number;
  clients: { clientId: string; attendance: string; noteDueAt: string | null; noteState: string }[];
}
interface NoteJson {
  id: string;
  version: number;
  status: string;
  content: Record<string, unknown>;
  contentHash: string | null;
  signature: { name: string; credentials: string | null; signedAt: string } | null;
  cosignature: { name: string } | null;
  sessionFacts: { minutes: number | null; cpt: { code: string }[]; participants: string[] };
  addenda: { reason: string; text: string }[];
  returned: { comments: string } | null;
  copiedFields: string[];
  lateEntry: boolean;
}

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

async function newClient(agent: Agent): Promise<string> {
  const res = await agent.post('/api/v1/clients', NEW_CLIENT);
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

/** Books a 53-minute individual session on the agent's own calendar and marks it attended. */
async function attendedSession(agent: Agent, clinicianId: string, clientId: string, day: string) {
  const res = await agent.post('/api/v1/sessions', {
    clientIds: [clientId],
    clinicianId,
    serviceType: 'individual',
    startLocal: `${day}T10:00`,
    durationMinutes: 53,
    modality: 'in_person',
  });
  expect(res.statusCode, res.body).toBe(201);
  const session = res.json<{ sessions: SessionJson[] }>().sessions[0];
  if (!session) throw new Error('no session');
  const att = await agent.put(`/api/v1/sessions/${session.id}/attendance/${clientId}`, {
    attendance: 'attended',
  });
  expect(att.statusCode, att.body).toBe(200);
  return att.json<SessionJson>();
}

async function draftFor(agent: Agent, clientId: string, sessionId: string): Promise<NoteJson> {
  const res = await agent.post('/api/v1/notes', { clientId, sessionId, kind: 'progress', format: 'soap' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<NoteJson>();
}

async function fill(agent: Agent, note: NoteJson): Promise<NoteJson> {
  const res = await agent.put(
    `/api/v1/notes/${note.id}/draft`,
    { content: SOAP_CONTENT, diagnosisCodes: ['F41.1'] },
    { 'if-match': `"${note.version}"` },
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NoteJson>();
}

beforeAll(async () => {
  t = await openTestApp();
  practice = await seedPractice(t.deps);
  clinician = await login(t.app, practice.users.clinician.email);
  supervisee = await login(t.app, practice.users.supervisee.email);
  supervisor = await login(t.app, practice.users.supervisor.email);
  owner = await openTableOwner();
});
afterAll(async () => {
  await owner.end();
  await t.close();
});

describe('a progress note from draft to addendum', () => {
  let clientId: string;
  let note: NoteJson;

  it('starts a draft from an attended session with its facts and a suggested CPT code', async () => {
    clientId = await newClient(clinician);
    const session = await attendedSession(clinician, practice.users.clinician.id, clientId, '2026-03-02');
    expect(session.clients[0]?.noteDueAt).not.toBeNull();
    note = await draftFor(clinician, clientId, session.id);
    expect(note.status).toBe('draft');
    expect(note.sessionFacts.minutes).toBe(53);
    expect(note.sessionFacts.cpt.map((c) => c.code)).toEqual(['90837']);
    const again = await clinician.post('/api/v1/notes', {
      clientId,
      sessionId: session.id,
      kind: 'progress',
    });
    expect(again.statusCode).toBe(409);
  });

  it('autosaves with the version, and refuses the stale save of a second tab', async () => {
    const saved = await fill(clinician, note);
    expect(saved.version).toBe(note.version + 1);
    const stale = await clinician.put(
      `/api/v1/notes/${note.id}/draft`,
      { content: { ...SOAP_CONTENT, plan: 'typed in the other tab' } },
      { 'if-match': `"${note.version}"` },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json<{ currentVersion: number }>().currentVersion).toBe(saved.version);
    const read = (await clinician.get(`/api/v1/notes/${note.id}`)).json<NoteJson>();
    expect(read.content.plan).toBe(SOAP_CONTENT.plan);
    note = saved;
  });

  it('stores the narrative encrypted: no plaintext words in the row', async () => {
    const row = await owner.query<{ content_enc: Buffer; search_tokens: string[] }>(
      'SELECT content_enc, search_tokens FROM notes WHERE id = $1',
      [note.id],
    );
    const bytes = row.rows[0]?.content_enc.toString('latin1') ?? '';
    expect(bytes.length).toBeGreaterThan(100);
    expect(bytes).not.toContain('thought record');
    expect(row.rows[0]?.search_tokens.length).toBeGreaterThan(10);
  });

  it('refuses to sign without re-authentication, and with a wrong password', async () => {
    const none = await clinician.post(
      `/api/v1/notes/${note.id}/sign`,
      {},
      { 'if-match': `"${note.version}"` },
    );
    expect(none.statusCode).toBe(401);
    expect(none.json<{ reauth?: boolean }>().reauth).toBe(true);
    const wrong = await clinician.post(
      `/api/v1/notes/${note.id}/sign`,
      { password: 'not my password at all' },
      { 'if-match': `"${note.version}"` },
    );
    expect(wrong.statusCode).toBe(401);
    const row = await owner.query<{ status: string }>('SELECT status FROM notes WHERE id = $1', [note.id]);
    expect(row.rows[0]?.status).toBe('draft');
  });

  it('signs with the password: signature block, content hash, session marked signed', async () => {
    const res = await clinician.post(
      `/api/v1/notes/${note.id}/sign`,
      { password: PASSWORD },
      { 'if-match': `"${note.version}"` },
    );
    expect(res.statusCode, res.body).toBe(200);
    note = res.json<NoteJson>();
    expect(note.status).toBe('signed');
    expect(note.signature).toMatchObject({ name: 'Casey Clinician', credentials: 'LCSW' });
    expect(note.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // The session was months ago: far past the 72-hour deadline, so this is a late entry.
    expect(note.lateEntry).toBe(true);
    const integrity = (await clinician.get(`/api/v1/notes/${note.id}/integrity`)).json<{ intact: boolean }>();
    expect(integrity.intact).toBe(true);
    const audit = await auditRowsOf(owner, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.category, a.entity_id, a.outcome])).toEqual([
      ['reauth', 'authentication', null, 'success'],
      ['note.sign', 'progress_note', note.id, 'success'],
    ]);
  });

  it('refuses any change to the signed note through the API and through SQL', async () => {
    const api = await clinician.put(
      `/api/v1/notes/${note.id}/draft`,
      { content: SOAP_CONTENT },
      { 'if-match': `"${note.version}"` },
    );
    expect(api.statusCode).toBe(409);
    await expect(
      owner.query("UPDATE notes SET diagnosis_codes = '{F32.9}' WHERE id = $1", [note.id]),
    ).rejects.toThrow(/signed/);
    await expect(
      owner.query('UPDATE notes SET content_enc = $2 WHERE id = $1', [note.id, Buffer.from('x')]),
    ).rejects.toThrow(/signed/);
    await expect(owner.query('DELETE FROM notes WHERE id = $1', [note.id])).rejects.toThrow(/signed/);
    const integrity = (await clinician.get(`/api/v1/notes/${note.id}/integrity`)).json<{ intact: boolean }>();
    expect(integrity.intact).toBe(true);
  });

  it('adds a signed addendum under the note, append-only', async () => {
    const res = await clinician.post(`/api/v1/notes/${note.id}/addenda`, {
      reason: 'Late addition',
      text: 'Client called after the session to confirm the homework plan.',
      password: PASSWORD,
    });
    expect(res.statusCode, res.body).toBe(201);
    const withAddendum = res.json<NoteJson>();
    expect(withAddendum.addenda).toEqual([expect.objectContaining({ reason: 'Late addition' })]);
    expect(withAddendum.contentHash).toBe(note.contentHash);
    await expect(owner.query('DELETE FROM note_addenda WHERE note_id = $1', [note.id])).rejects.toThrow(
      /append-only/,
    );
    const integrity = (await clinician.get(`/api/v1/notes/${note.id}/integrity`)).json<{
      intact: boolean;
      addenda: { intact: boolean }[];
    }>();
    expect(integrity).toMatchObject({ intact: true, addenda: [{ intact: true }] });
  });

  it('starts the next note from the last one, with the copied fields marked', async () => {
    const session = await attendedSession(clinician, practice.users.clinician.id, clientId, '2026-03-09');
    const res = await clinician.post('/api/v1/notes', {
      clientId,
      sessionId: session.id,
      kind: 'progress',
      format: 'soap',
      startFromLast: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const next = res.json<NoteJson>();
    expect(next.content.plan).toBe(SOAP_CONTENT.plan);
    expect(next.copiedFields).toContain('plan');
    // Risk is reassessed every session, never copied.
    expect(next.copiedFields).not.toContain('risk');
  });
});

describe('a client handed to another primary clinician', () => {
  it('moves the signed notes to the new caseload for search, and nothing else about them', async () => {
    const clientId = await newClient(clinician);
    const session = await attendedSession(clinician, practice.users.clinician.id, clientId, '2026-04-06');
    let note = await fill(clinician, await draftFor(clinician, clientId, session.id));
    note = (
      await clinician.post(
        `/api/v1/notes/${note.id}/sign`,
        { password: PASSWORD },
        { 'if-match': `"${note.version}"` },
      )
    ).json<NoteJson>();
    const other = await login(t.app, practice.users.otherClinician.email);
    const before = await other.post('/api/v1/notes/search', { text: 'thought record' });
    expect(before.statusCode).toBe(200);
    expect(before.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(note.id);

    const record = (await clinician.get(`/api/v1/clients/${clientId}`)).json<{ version: number }>();
    const moved = await clinician.put(
      `/api/v1/clients/${clientId}/care-team`,
      { primaryClinicianId: practice.users.otherClinician.id, memberIds: [practice.users.clinician.id] },
      { 'if-match': `"${record.version}"` },
    );
    expect(moved.statusCode, moved.body).toBe(200);
    const row = await owner.query<{ caseload_id: string; content_hash: string }>(
      'SELECT caseload_id, content_hash FROM notes WHERE id = $1',
      [note.id],
    );
    expect(row.rows[0]).toEqual({
      caseload_id: practice.users.otherClinician.id,
      content_hash: note.contentHash,
    });
    const after = await other.post('/api/v1/notes/search', { text: 'thought record' });
    expect(after.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(note.id);
    // The exception is for the caseload alone: changing it together with anything else is refused.
    await expect(
      owner.query("UPDATE notes SET caseload_id = $2, diagnosis_codes = '{F32.9}' WHERE id = $1", [
        note.id,
        practice.users.clinician.id,
      ]),
    ).rejects.toThrow(/signed/);
    const integrity = (await other.get(`/api/v1/notes/${note.id}/integrity`)).json<{ intact: boolean }>();
    expect(integrity.intact).toBe(true);
  });
});

describe('co-signature', () => {
  it("holds a supervisee's signed note for the supervisor, who can return it with comments", async () => {
    const clientId = await newClient(supervisee);
    const session = await attendedSession(supervisee, practice.users.supervisee.id, clientId, '2026-03-03');
    let note = await fill(supervisee, await draftFor(supervisee, clientId, session.id));
    const signed = await supervisee.post(
      `/api/v1/notes/${note.id}/sign`,
      { password: PASSWORD },
      { 'if-match': `"${note.version}"` },
    );
    expect(signed.statusCode, signed.body).toBe(200);
    note = signed.json<NoteJson>();
    expect(note.status).toBe('awaiting_cosign');

    // Content is frozen while it waits, even for the table owner.
    await expect(
      owner.query("UPDATE notes SET diagnosis_codes = '{F32.9}' WHERE id = $1", [note.id]),
    ).rejects.toThrow(/co-signature/);

    const returned = await supervisor.post(
      `/api/v1/notes/${note.id}/return`,
      { comments: 'Name the specific CBT technique used.' },
      { 'if-match': `"${note.version}"` },
    );
    expect(returned.statusCode, returned.body).toBe(200);
    note = returned.json<NoteJson>();
    expect(note.status).toBe('returned');

    const seen = (await supervisee.get(`/api/v1/notes/${note.id}`)).json<NoteJson>();
    expect(seen.returned?.comments).toBe('Name the specific CBT technique used.');
    note = await fill(supervisee, seen);
    note = (
      await supervisee.post(
        `/api/v1/notes/${note.id}/sign`,
        { password: PASSWORD },
        { 'if-match': `"${note.version}"` },
      )
    ).json<NoteJson>();
    expect(note.status).toBe('awaiting_cosign');

    const other = await clinician.post(
      `/api/v1/notes/${note.id}/cosign`,
      { password: PASSWORD },
      { 'if-match': `"${note.version}"` },
    );
    expect(other.statusCode).toBe(403);

    const cosigned = await supervisor.post(
      `/api/v1/notes/${note.id}/cosign`,
      { password: PASSWORD },
      { 'if-match': `"${note.version}"` },
    );
    expect(cosigned.statusCode, cosigned.body).toBe(200);
    const final = cosigned.json<NoteJson>();
    expect(final.status).toBe('signed');
    expect(final.cosignature?.name).toBe('Sam Supervisor');
    const integrity = (await supervisor.get(`/api/v1/notes/${note.id}/integrity`)).json<{
      intact: boolean;
    }>();
    expect(integrity.intact).toBe(true);
  });
});
