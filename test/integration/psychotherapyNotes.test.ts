/**
 * Psychotherapy (process) notes, 45 CFR 164.501: only the author ever reads or changes one.
 * Everyone else — supervisor, owner with "see all clients", a colleague on the care team,
 * biller, scheduler — is told it does not exist, and the attempt is audited as denied. Row-level
 * security holds the same line for anyone with a SQL prompt on the application's role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type pg from 'pg';
import {
  login,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type StaffKey,
  type TestApp,
} from '../support/testApp.js';
import { isProblem, tokenAgent } from '../support/staffAgents.js';
import { bodies, expectWellFormed, payloadOf } from '../support/fuzzBodies.js';
import { auditRowsOf, countRows, openTableOwner } from '../support/tableOwner.js';
import { bookSession, newClient } from '../support/clinical.js';
import { withTransaction } from '../../src/db/database.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
const agents = {} as Record<StaffKey, Agent>;
let clientId: string;

// The author is the supervisee, so the supervisor really does have read access to the client's
// notes (through supervision) and the refusal is the psychotherapy-note rule, not the care team.
const AUTHOR: StaffKey = 'supervisee';
const PROCESS_TEXT = 'Countertransference: I felt protective when the client described her brother.';
const HYPOTHESIS_TEXT = 'Possible re-enactment of the sibling caretaker role with me.';

interface PsyNoteJson {
  id: string;
  clientId: string;
  sessionId: string | null;
  authorId: string;
  category: string;
  template: { key: string; kind: string; sections: { fields: { id: string }[] }[] };
  dateOfService: string;
  content: Record<string, unknown>;
  version: number;
}

async function createNote(
  dateOfService: string,
  content: Record<string, unknown> = { processNote: PROCESS_TEXT },
): Promise<PsyNoteJson> {
  const res = await agents[AUTHOR].post('/api/v1/psychotherapy-notes', { clientId, dateOfService, content });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<PsyNoteJson>();
}

async function versionOf(id: string): Promise<number | undefined> {
  const r = await db.query<{ version: number }>('SELECT version FROM psychotherapy_notes WHERE id = $1', [
    id,
  ]);
  return r.rows[0]?.version;
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  for (const key of [
    AUTHOR,
    'clinician',
    'otherClinician',
    'supervisor',
    'owner',
    'biller',
    'scheduler',
  ] as const)
    agents[key] = await login(t.app, p.users[key].email);
  clientId = (await newClient(agents[AUTHOR])).id;
  // A colleague on the care team: reads and writes the client's progress notes, never these.
  const client = await agents[AUTHOR].get(`/api/v1/clients/${clientId}`);
  const team = await agents[AUTHOR].put(
    `/api/v1/clients/${clientId}/care-team`,
    { primaryClinicianId: p.users[AUTHOR].id, memberIds: [p.users.otherClinician.id] },
    { 'if-match': String(client.headers.etag) },
  );
  expect(team.statusCode, team.body).toBe(200);
  // The owner sees every client's record with this setting; still not psychotherapy notes.
  const settings = await agents.owner.get('/api/v1/practice/settings');
  const on = await agents.owner.patch(
    '/api/v1/practice/settings',
    { adminsSeeAllClients: true },
    { 'if-match': String(settings.headers.etag) },
  );
  expect(on.statusCode, on.body).toBe(200);
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('the author', () => {
  let note: PsyNoteJson;

  it('writes a note: labelled as a psychotherapy note, with its template, audited', async () => {
    const res = await agents[AUTHOR].post('/api/v1/psychotherapy-notes', {
      clientId,
      dateOfService: '2026-03-02',
      content: { processNote: PROCESS_TEXT },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    note = res.json<PsyNoteJson>();
    expect(note).toMatchObject({
      clientId,
      sessionId: null,
      authorId: p.users[AUTHOR].id,
      category: 'psychotherapy_note',
      dateOfService: '2026-03-02',
      version: 1,
      // Fields not sent start empty.
      content: { processNote: PROCESS_TEXT, hypotheses: '' },
    });
    expect(note.template.key).toBe('builtin.psychotherapy');
    expect(note.template.kind).toBe('psychotherapy');
    expect(note.template.sections.flatMap((s) => s.fields.map((f) => f.id))).toEqual([
      'processNote',
      'hypotheses',
    ]);
    const rows = await auditRowsOf(db, res.headers['x-request-id']);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'psychotherapy_note.create',
        category: 'psychotherapy_note',
        outcome: 'success',
        client_id: clientId,
        entity_id: note.id,
        actor_user_id: p.users[AUTHOR].id,
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain('Countertransference');
  });

  it('reads it back, audited as a view', async () => {
    const res = await agents[AUTHOR].get(`/api/v1/psychotherapy-notes/${note.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json<PsyNoteJson>().content.processNote).toBe(PROCESS_TEXT);
    expect(res.json<PsyNoteJson>().category).toBe('psychotherapy_note');
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'psychotherapy_note.view',
        category: 'psychotherapy_note',
        outcome: 'success',
        entity_id: note.id,
      }),
    ]);
  });

  it('changes it with If-Match; a stale copy is refused with 412 and the current version', async () => {
    const res = await agents[AUTHOR].put(
      `/api/v1/psychotherapy-notes/${note.id}`,
      { content: { processNote: PROCESS_TEXT, hypotheses: HYPOTHESIS_TEXT } },
      { 'if-match': '"1"' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json<PsyNoteJson>()).toMatchObject({ version: 2, content: { hypotheses: HYPOTHESIS_TEXT } });
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'psychotherapy_note.update', category: 'psychotherapy_note' }),
    ]);

    const stale = await agents[AUTHOR].put(
      `/api/v1/psychotherapy-notes/${note.id}`,
      { content: { processNote: 'typed in an old tab' } },
      { 'if-match': '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(isProblem(stale)).toBe(true);
    expect(stale.json<{ currentVersion: number }>().currentVersion).toBe(2);
    expect(await auditRowsOf(db, stale.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'psychotherapy_note.update',
        outcome: 'failure',
        entity_id: note.id,
      }),
    ]);
    const after = await agents[AUTHOR].get(`/api/v1/psychotherapy-notes/${note.id}`);
    expect(after.json<PsyNoteJson>().content.processNote).toBe(PROCESS_TEXT);

    const noVersion = await agents[AUTHOR].put(`/api/v1/psychotherapy-notes/${note.id}`, {
      dateOfService: '2026-03-03',
    });
    expect(noVersion.statusCode).toBe(428);
    expect(await versionOf(note.id)).toBe(2);
  });

  it('refuses content that does not fit the template with 422 and the field path; nothing is written', async () => {
    const before = await countRows(db, p.practiceId, ['psychotherapy_notes']);
    const res = await agents[AUTHOR].post('/api/v1/psychotherapy-notes', {
      clientId,
      dateOfService: '2026-03-02',
      content: { processNote: 'fine', diagnosis: 'F41.1' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ errors: { path: string }[] }>().errors).toEqual([
      expect.objectContaining({ path: 'content.diagnosis' }),
    ]);
    const wrongType = await agents[AUTHOR].put(
      `/api/v1/psychotherapy-notes/${note.id}`,
      { content: { processNote: 42 } },
      { 'if-match': '"2"' },
    );
    expect(wrongType.statusCode).toBe(422);
    expect(wrongType.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('content.processNote');
    expect(await countRows(db, p.practiceId, ['psychotherapy_notes'])).toEqual(before);
    expect(await versionOf(note.id)).toBe(2);
  });

  it('lists only their own notes for the client, newest first, paged', async () => {
    await createNote('2026-01-15');
    await createNote('2026-04-01');
    const res = await agents[AUTHOR].get(`/api/v1/psychotherapy-notes?clientId=${clientId}`);
    expect(res.statusCode).toBe(200);
    const list = res.json<{ items: PsyNoteJson[]; nextCursor: string | null }>();
    expect(list.items.map((n) => n.dateOfService)).toEqual(['2026-04-01', '2026-03-02', '2026-01-15']);
    expect(list.items.every((n) => n.category === 'psychotherapy_note')).toBe(true);
    expect(list.nextCursor).toBeNull();
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'psychotherapy_note.list',
        category: 'psychotherapy_note',
        client_id: clientId,
        details: { count: 3 },
      }),
    ]);

    const first = (
      await agents[AUTHOR].get(`/api/v1/psychotherapy-notes?clientId=${clientId}&limit=2`)
    ).json<{ items: PsyNoteJson[]; nextCursor: string | null }>();
    expect(first.items.map((n) => n.dateOfService)).toEqual(['2026-04-01', '2026-03-02']);
    expect(first.nextCursor).not.toBeNull();
    const second = (
      await agents[AUTHOR].get(
        `/api/v1/psychotherapy-notes?clientId=${clientId}&limit=2&cursor=${first.nextCursor ?? ''}`,
      )
    ).json<{ items: PsyNoteJson[]; nextCursor: string | null }>();
    expect(second.items.map((n) => n.dateOfService)).toEqual(['2026-01-15']);
    expect(second.nextCursor).toBeNull();
    const forged = await agents[AUTHOR].get(`/api/v1/psychotherapy-notes?clientId=${clientId}&cursor=bm90YQ`);
    expect(forged.statusCode).toBe(422);
  });

  it('may attach the note only to their own session with this client', async () => {
    const { id: theirs } = await bookSession(agents.otherClinician, {
      clientIds: [clientId],
      clinicianId: p.users.otherClinician.id,
      startLocal: '2026-03-09T10:00',
      durationMinutes: 53,
    });
    const res = await agents[AUTHOR].post('/api/v1/psychotherapy-notes', {
      clientId,
      sessionId: theirs,
      dateOfService: '2026-03-09',
      content: { processNote: 'x' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('sessionId');

    const { id: sessionId } = await bookSession(agents[AUTHOR], {
      clientIds: [clientId],
      clinicianId: p.users[AUTHOR].id,
      startLocal: '2026-03-10T10:00',
      durationMinutes: 53,
    });
    const ok = await agents[AUTHOR].post('/api/v1/psychotherapy-notes', {
      clientId,
      sessionId,
      dateOfService: '2026-03-10',
      content: { processNote: 'Session-linked reflection.' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<PsyNoteJson>().sessionId).toBe(sessionId);
  });
});

describe('everyone but the author', () => {
  let noteId: string;
  let notFoundBody: { title: string; detail: string; status: number };

  beforeAll(async () => {
    noteId = (await createNote('2026-05-04', { processNote: PROCESS_TEXT, hypotheses: HYPOTHESIS_TEXT })).id;
    const missing = await agents[AUTHOR].get(
      '/api/v1/psychotherapy-notes/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    );
    expect(missing.statusCode).toBe(404);
    const b = missing.json<{ title: string; detail: string; status: number }>();
    notFoundBody = { title: b.title, detail: b.detail, status: b.status };
  });

  const OTHERS = ['supervisor', 'owner', 'otherClinician', 'clinician', 'biller', 'scheduler'] as const;

  for (const who of OTHERS) {
    it(`${who}: reading gets the same 404 as a note that does not exist, audited as denied`, async () => {
      const res = await agents[who].get(`/api/v1/psychotherapy-notes/${noteId}`);
      expect(res.statusCode).toBe(404);
      expect(isProblem(res)).toBe(true);
      const b = res.json<{ title: string; detail: string; status: number }>();
      expect({ title: b.title, detail: b.detail, status: b.status }).toEqual(notFoundBody);
      expect(res.body).not.toContain('Countertransference');
      expect(res.body).not.toContain(clientId);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({
          action: 'psychotherapy_note.view',
          category: 'psychotherapy_note',
          outcome: 'denied',
          entity_id: noteId,
          actor_user_id: p.users[who].id,
        }),
      ]);
    });

    it(`${who}: changing gets 404, audited as denied, and nothing changes`, async () => {
      const res = await agents[who].put(
        `/api/v1/psychotherapy-notes/${noteId}`,
        { content: { processNote: 'overwritten' } },
        { 'if-match': '"1"' },
      );
      expect(res.statusCode).toBe(404);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({
          action: 'psychotherapy_note.update',
          category: 'psychotherapy_note',
          outcome: 'denied',
          entity_id: noteId,
        }),
      ]);
      expect(await versionOf(noteId)).toBe(1);
    });
  }

  it('those who may read the client’s notes list none of the author’s psychotherapy notes', async () => {
    for (const who of ['supervisor', 'owner', 'otherClinician'] as const) {
      const res = await agents[who].get(`/api/v1/psychotherapy-notes?clientId=${clientId}`);
      expect(res.statusCode, who).toBe(200);
      expect(res.json<{ items: unknown[] }>().items, who).toEqual([]);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({ action: 'psychotherapy_note.list', details: { count: 0 } }),
      ]);
    }
  });

  it('the front office may not even list, and the refusal is filed as a psychotherapy-note denial', async () => {
    for (const who of ['biller', 'scheduler'] as const) {
      const res = await agents[who].get(`/api/v1/psychotherapy-notes?clientId=${clientId}`);
      expect(res.statusCode, who).toBe(403);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({
          action: 'psychotherapy_note.list',
          category: 'psychotherapy_note',
          outcome: 'denied',
          client_id: clientId,
        }),
      ]);
    }
  });

  it('a clinician off the care team, and the front office, cannot write one; nothing is written', async () => {
    const before = await countRows(db, p.practiceId, ['psychotherapy_notes']);
    for (const who of ['clinician', 'supervisor', 'owner', 'biller', 'scheduler'] as const) {
      const res = await agents[who].post('/api/v1/psychotherapy-notes', {
        clientId,
        dateOfService: '2026-05-05',
        content: { processNote: 'not mine to write' },
      });
      expect(res.statusCode, who).toBe(403);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({
          action: 'psychotherapy_note.create',
          category: 'psychotherapy_note',
          outcome: 'denied',
        }),
      ]);
    }
    expect(await countRows(db, p.practiceId, ['psychotherapy_notes'])).toEqual(before);
  });

  it('row-level security hides the note from the application role under any other user id', async () => {
    const seen = (userId: string) =>
      withTransaction(t.deps.db, p.practiceId, async (tx) => {
        await tx.query("SELECT set_config('casebook.user_id', $1, true)", [userId]);
        const all = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM psychotherapy_notes');
        const one = await tx.query('SELECT id FROM psychotherapy_notes WHERE id = $1', [noteId]);
        const changed = await tx.query(
          'UPDATE psychotherapy_notes SET date_of_service = date_of_service WHERE id = $1',
          [noteId],
        );
        return { all: all.rows[0]?.n, one: one.rowCount, changed: changed.rowCount };
      });
    for (const who of ['supervisor', 'owner', 'otherClinician'] as const)
      expect(await seen(p.users[who].id), who).toEqual({ all: 0, one: 0, changed: 0 });
    // No user id set at all: nothing either.
    const unset = await withTransaction(t.deps.db, p.practiceId, (tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM psychotherapy_notes'),
    );
    expect(unset.rows[0]?.n).toBe(0);
    // The author sees their own rows, which proves the check above could have found one.
    const mine = await seen(p.users[AUTHOR].id);
    expect(mine.one).toBe(1);
    expect(mine.all).toBeGreaterThanOrEqual(1);
    // Nor can another user insert a row in the author's name.
    await expect(
      withTransaction(t.deps.db, p.practiceId, async (tx) => {
        await tx.query("SELECT set_config('casebook.user_id', $1, true)", [p.users.otherClinician.id]);
        await tx.query(
          `INSERT INTO psychotherapy_notes (id, practice_id, client_id, author_id, date_of_service, content_enc)
           VALUES (gen_random_uuid(), $1, $2, $3, '2026-01-01', '\\x00')`,
          [p.practiceId, clientId, p.users[AUTHOR].id],
        );
      }),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('stores only ciphertext: no narrative in the row', async () => {
    const r = await db.query<{ dump: string; enc: Buffer }>(
      'SELECT to_jsonb(n)::text AS dump, content_enc AS enc FROM psychotherapy_notes n WHERE id = $1',
      [noteId],
    );
    const row = r.rows[0];
    expect(row).toBeDefined();
    for (const secret of ['Countertransference', 'protective', 're-enactment', 'processNote']) {
      expect(row?.dump).not.toContain(secret);
      expect(row?.enc.includes(Buffer.from(secret))).toBe(false);
    }
  });
});

describe('API tokens', () => {
  it('a read token reads the author’s notes but cannot write; a read-write token can', async () => {
    const make = async (scope: 'read' | 'read-write') => {
      const res = await agents[AUTHOR].post('/api/v1/me/tokens', { name: `psy ${scope}`, scope });
      expect(res.statusCode).toBe(201);
      return tokenAgent(t.app, res.json<{ secret: string }>().secret);
    };
    const reader = await make('read');
    const list = await reader.get(`/api/v1/psychotherapy-notes?clientId=${clientId}`);
    expect(list.statusCode).toBe(200);
    const id = list.json<{ items: PsyNoteJson[] }>().items[0]?.id ?? '';
    expect((await reader.get(`/api/v1/psychotherapy-notes/${id}`)).statusCode).toBe(200);
    const before = await countRows(db, p.practiceId, ['psychotherapy_notes']);
    const refused = await reader.post('/api/v1/psychotherapy-notes', {
      clientId,
      dateOfService: '2026-06-01',
      content: { processNote: 'from a script' },
    });
    expect(refused.statusCode).toBe(403);
    const version = await versionOf(id);
    const refusedPut = await reader.put(
      `/api/v1/psychotherapy-notes/${id}`,
      { content: { processNote: 'from a script' } },
      { 'if-match': `"${version ?? 0}"` },
    );
    expect(refusedPut.statusCode).toBe(403);
    expect(await countRows(db, p.practiceId, ['psychotherapy_notes'])).toEqual(before);
    expect(await versionOf(id)).toBe(version);

    const writer = await make('read-write');
    const created = await writer.post('/api/v1/psychotherapy-notes', {
      clientId,
      dateOfService: '2026-06-01',
      content: { processNote: 'from a script' },
    });
    expect(created.statusCode, created.body).toBe(201);
    // A colleague's token is no key to the author's notes.
    const colleague = await agents.otherClinician.post('/api/v1/me/tokens', { name: 'x', scope: 'read' });
    const theirs = tokenAgent(t.app, colleague.json<{ secret: string }>().secret);
    expect((await theirs.get(`/api/v1/psychotherapy-notes/${id}`)).statusCode).toBe(404);
  });
});

describe('hostile bodies', () => {
  it('random and mutated bodies never get a 5xx, and a refused write changes nothing', async () => {
    const author = agents[AUTHOR];
    const send = (method: 'POST' | 'PUT', url: string, body: unknown, version?: number) =>
      t.app.inject({
        method,
        url,
        headers: {
          cookie: author.cookie,
          'x-csrf-token': author.csrf,
          'content-type': 'application/json',
          ...(version === undefined ? {} : { 'if-match': `"${version}"` }),
        },
        payload: payloadOf(body),
      });
    const base = {
      clientId,
      dateOfService: '2026-07-01',
      content: { processNote: PROCESS_TEXT, hypotheses: '' },
    };
    await fc.assert(
      fc.asyncProperty(bodies(base), async (body) => {
        const before = await countRows(db, p.practiceId, ['psychotherapy_notes']);
        const res = await send('POST', '/api/v1/psychotherapy-notes', body);
        expectWellFormed(res, body);
        if (res.statusCode !== 201)
          expect(await countRows(db, p.practiceId, ['psychotherapy_notes'])).toEqual(before);
      }),
      { numRuns: 40 },
    );
    const target = await createNote('2026-07-02');
    await fc.assert(
      fc.asyncProperty(bodies({ content: base.content, dateOfService: '2026-07-03' }), async (body) => {
        const version = (await versionOf(target.id)) ?? 0;
        const res = await send('PUT', `/api/v1/psychotherapy-notes/${target.id}`, body, version);
        expectWellFormed(res, body);
        if (res.statusCode !== 200) expect(await versionOf(target.id)).toBe(version);
      }),
      { numRuns: 40 },
    );
  });
});
