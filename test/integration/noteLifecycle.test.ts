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
  bookSession,
  newClient,
  saveDraft,
  signNote,
  SOAP_CONTENT,
  startNote,
  type NoteView,
  type SessionView,
} from '../support/clinical.js';

let t: TestApp;
let practice: SeededPractice;
let clinician: Agent;
let supervisee: Agent;
let supervisor: Agent;
let owner: pg.Client;

/** What filling in a draft saves. */
const FILLED = { content: SOAP_CONTENT, diagnosisCodes: ['F41.1'] };

/** A 53-minute individual session at 10:00 on the agent's own calendar, marked attended. */
function attendedOn(agent: Agent, clinicianId: string, clientId: string, day: string): Promise<SessionView> {
  return attendedSession(agent, {
    clinicianId,
    clientIds: [clientId],
    startLocal: `${day}T10:00`,
    durationMinutes: 53,
  });
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
  let note: NoteView;

  it('starts a draft from an attended session with its facts and a suggested CPT code', async () => {
    clientId = (await newClient(clinician)).id;
    const session = await attendedOn(clinician, practice.users.clinician.id, clientId, '2026-03-02');
    expect(session.clients[0]?.noteDueAt).not.toBeNull();
    note = await startNote(clinician, { clientId, sessionId: session.id });
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
    const saved = await saveDraft(clinician, note, FILLED);
    expect(saved.version).toBe(note.version + 1);
    const stale = await clinician.put(
      `/api/v1/notes/${note.id}/draft`,
      { content: { ...SOAP_CONTENT, plan: 'typed in the other tab' } },
      { 'if-match': `"${note.version}"` },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json<{ currentVersion: number }>().currentVersion).toBe(saved.version);
    const read = (await clinician.get(`/api/v1/notes/${note.id}`)).json<NoteView>();
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
    note = res.json<NoteView>();
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
    const withAddendum = res.json<NoteView>();
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
    const session = await attendedOn(clinician, practice.users.clinician.id, clientId, '2026-03-09');
    const next = await startNote(clinician, { clientId, sessionId: session.id, startFromLast: true });
    expect(next.content.plan).toBe(SOAP_CONTENT.plan);
    expect(next.copiedFields).toContain('plan');
    // Risk is reassessed every session, never copied.
    expect(next.copiedFields).not.toContain('risk');
  });
});

describe('a client handed to another primary clinician', () => {
  it('moves the signed notes to the new caseload for search, and nothing else about them', async () => {
    const clientId = (await newClient(clinician)).id;
    const session = await attendedOn(clinician, practice.users.clinician.id, clientId, '2026-04-06');
    const draft = await startNote(clinician, { clientId, sessionId: session.id });
    const note = await signNote(clinician, await saveDraft(clinician, draft, FILLED));
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

describe('a no-show', () => {
  it('needs only a short contact note, which bills no code and so needs no diagnosis', async () => {
    const client = await newClient(clinician);
    const session = await bookSession(clinician, {
      clinicianId: practice.users.clinician.id,
      clientIds: [client.id],
      startLocal: '2026-04-13T10:00',
      durationMinutes: 53,
    });
    await attend(clinician, session.id, client.id, 'no_show');
    const note = await startNote(clinician, { clientId: client.id, sessionId: session.id, kind: 'contact' });
    expect(note.sessionFacts.cpt).toEqual([]);
    const filled = await saveDraft(clinician, note, {
      content: {
        ...note.content,
        contactType: 'no_show',
        contactWith: 'client',
        summary: 'Did not attend; left a voicemail.',
      },
    });
    const signed = await signNote(clinician, filled);
    expect(signed.status).toBe('signed');
    expect(signed.diagnoses).toEqual([]);
  });
});

describe('co-signature', () => {
  it("holds a supervisee's signed note for the supervisor, who can return it with comments", async () => {
    const clientId = (await newClient(supervisee)).id;
    const session = await attendedOn(supervisee, practice.users.supervisee.id, clientId, '2026-03-03');
    const draft = await startNote(supervisee, { clientId, sessionId: session.id });
    let note = await signNote(supervisee, await saveDraft(supervisee, draft, FILLED));
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
    note = returned.json<NoteView>();
    expect(note.status).toBe('returned');

    const seen = (await supervisee.get(`/api/v1/notes/${note.id}`)).json<NoteView>();
    expect(seen.returned?.comments).toBe('Name the specific CBT technique used.');
    note = await signNote(supervisee, await saveDraft(supervisee, seen, FILLED));
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
    const final = cosigned.json<NoteView>();
    expect(final.status).toBe('signed');
    expect(final.cosignature?.name).toBe('Sam Supervisor');
    const integrity = (await supervisor.get(`/api/v1/notes/${note.id}/integrity`)).json<{
      intact: boolean;
    }>();
    expect(integrity.intact).toBe(true);
  });
});
