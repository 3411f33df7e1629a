/**
 * Note templates: built-ins plus the practice's own, each change an append-only new version.
 * A note keeps the template version it was written with; an archived template starts no new
 * notes but its old notes still render.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type pg from 'pg';
import {
  login,
  NEW_CLIENT,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { isProblem } from '../support/staffAgents.js';
import { bodies, expectWellFormed, payloadOf } from '../support/fuzzBodies.js';
import { auditRowsOf, countRows, openTableOwner } from '../support/tableOwner.js';
import { BUILT_IN_TEMPLATES } from '../../src/domain/noteTemplates.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let supervisor: Agent;
let admin: Agent;
let clinician: Agent;
let biller: Agent;
let clientId: string;

interface FieldJson {
  id: string;
  kind: string;
}
interface DefinitionJson {
  key: string;
  name: string;
  kind: string;
  format: string | null;
  version: number;
  sections: { id: string; title: string; fields: FieldJson[] }[];
}
interface PracticeTemplateJson {
  id: string;
  key: string;
  name: string;
  kind: string;
  format: string | null;
  currentVersion: number;
  archived: boolean;
  updatedAt: string;
  definition: DefinitionJson;
}
interface NoteJson {
  id: string;
  version: number;
  templateKey: string;
  templateVersion: number;
  template: DefinitionJson;
  content: Record<string, unknown>;
}

// The builder sends a key and version of its own; the server replaces both.
const V1 = {
  key: 'my-own-key',
  version: 9,
  name: 'Brief check-in',
  kind: 'progress',
  format: 'narrative',
  sections: [
    {
      id: 'checkin',
      title: 'Check-in',
      fields: [
        { id: 'concerns', label: 'Concerns raised', kind: 'longText', required: true },
        { id: 'risk', label: 'Risk assessment', kind: 'riskAssessment', required: true },
      ],
    },
  ],
};
const V2 = {
  ...V1,
  name: 'Brief check-in (revised)',
  sections: [
    {
      id: 'checkin',
      title: 'Check-in',
      fields: [
        { id: 'mood', label: 'Mood today', kind: 'scale', required: true, min: 0, max: 10 },
        { id: 'risk', label: 'Risk assessment', kind: 'riskAssessment', required: true },
      ],
    },
  ],
};

const fieldIds = (d: DefinitionJson) => d.sections.flatMap((s) => s.fields.map((f) => f.id));

async function newNote(templateKey: string) {
  return clinician.post('/api/v1/notes', {
    clientId,
    kind: 'progress',
    templateKey,
    dateOfService: '2026-03-02',
  });
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  supervisor = await login(t.app, p.users.supervisor.email);
  admin = await login(t.app, p.users.admin.email);
  clinician = await login(t.app, p.users.clinician.email);
  biller = await login(t.app, p.users.biller.email);
  clientId = (await clinician.post('/api/v1/clients', NEW_CLIENT)).json<{ id: string }>().id;
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('listing', () => {
  it('lists every built-in template and no practice template yet, to any signed-in user', async () => {
    for (const agent of [clinician, biller]) {
      const res = await agent.get('/api/v1/note-templates');
      expect(res.statusCode).toBe(200);
      const body = res.json<{ builtIn: DefinitionJson[]; practice: unknown[] }>();
      expect(body.builtIn.map((d) => d.key)).toEqual(BUILT_IN_TEMPLATES.map((d) => d.key));
      expect(body.builtIn.find((d) => d.key === 'builtin.progress.soap')?.name).toBe('Progress note (SOAP)');
      expect(body.practice).toEqual([]);
    }
  });
});

describe('a practice template and its versions', () => {
  let tpl: PracticeTemplateJson;
  let noteAtV1: NoteJson;

  it('only an owner, admin or supervisor may add one; others get 403, audited, nothing stored', async () => {
    const before = await countRows(db, p.practiceId, ['note_templates', 'note_template_versions']);
    for (const agent of [clinician, biller]) {
      const res = await agent.post('/api/v1/note-templates', { definition: V1 });
      expect(res.statusCode).toBe(403);
      expect(isProblem(res)).toBe(true);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({
          action: 'note_template.create',
          category: 'note_template',
          outcome: 'denied',
        }),
      ]);
    }
    expect(await countRows(db, p.practiceId, ['note_templates', 'note_template_versions'])).toEqual(before);
  });

  it('adds one: the server sets key practice.<id> and version 1, audited', async () => {
    const res = await supervisor.post('/api/v1/note-templates', { definition: V1 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    tpl = res.json<PracticeTemplateJson>();
    expect(tpl).toMatchObject({
      key: `practice.${tpl.id}`,
      name: 'Brief check-in',
      kind: 'progress',
      format: 'narrative',
      currentVersion: 1,
      archived: false,
    });
    expect(tpl.definition.key).toBe(`practice.${tpl.id}`);
    expect(tpl.definition.version).toBe(1);
    expect(fieldIds(tpl.definition)).toEqual(['concerns', 'risk']);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'note_template.create',
        category: 'note_template',
        outcome: 'success',
        entity_id: tpl.id,
        details: { version: 1, kind: 'progress', format: 'narrative' },
      }),
    ]);
    const listed = (await clinician.get('/api/v1/note-templates')).json<{
      practice: PracticeTemplateJson[];
    }>();
    expect(listed.practice).toEqual([tpl]);
  });

  it('refuses a definition with problems with 422 and a path for each; nothing is stored', async () => {
    const before = await countRows(db, p.practiceId, ['note_templates', 'note_template_versions']);
    const cases: [unknown, string][] = [
      [{ ...V1, kind: 'psychotherapy' }, 'definition.kind'],
      [{ ...V1, format: 'xyz' }, 'definition.format'],
      [{ ...V1, kind: 'intake', format: 'soap' }, 'definition.format'],
      [{ ...V1, name: '' }, 'definition.name'],
      [{ ...V1, sections: [] }, 'definition.sections'],
      [
        {
          ...V1,
          sections: [{ ...V1.sections[0], fields: [V1.sections[0]?.fields[0], V1.sections[0]?.fields[0]] }],
        },
        'definition.sections.0.fields.1.id',
      ],
      [{ ...V1, colour: 'blue' }, 'definition.colour'],
    ];
    for (const [definition, path] of cases) {
      const res = await admin.post('/api/v1/note-templates', { definition });
      expect(res.statusCode, path).toBe(422);
      expect(isProblem(res)).toBe(true);
      expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(path);
    }
    // Not an object at all is a malformed request.
    expect((await admin.post('/api/v1/note-templates', { definition: 'SOAP' })).statusCode).toBe(400);
    expect(await countRows(db, p.practiceId, ['note_templates', 'note_template_versions'])).toEqual(before);
  });

  it('starts a note from it at version 1', async () => {
    const res = await newNote(tpl.key);
    expect(res.statusCode, res.body).toBe(201);
    noteAtV1 = res.json<NoteJson>();
    expect(noteAtV1.templateKey).toBe(tpl.key);
    expect(noteAtV1.templateVersion).toBe(1);
    expect(fieldIds(noteAtV1.template)).toEqual(['concerns', 'risk']);
    const saved = await clinician.put(
      `/api/v1/notes/${noteAtV1.id}/draft`,
      { content: { concerns: 'Trouble sleeping since the move.' } },
      { 'if-match': `"${noteAtV1.version}"` },
    );
    expect(saved.statusCode, saved.body).toBe(200);
  });

  it('saves a change as version 2 (If-Match), audited; a stale copy gets 412', async () => {
    const res = await supervisor.put(
      `/api/v1/note-templates/${tpl.id}`,
      { definition: V2 },
      { 'if-match': '"1"' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    const v2 = res.json<PracticeTemplateJson>();
    expect(v2).toMatchObject({ currentVersion: 2, name: 'Brief check-in (revised)', archived: false });
    expect(v2.definition).toMatchObject({ key: tpl.key, version: 2 });
    expect(fieldIds(v2.definition)).toEqual(['mood', 'risk']);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'note_template.update',
        category: 'note_template',
        entity_id: tpl.id,
        details: { version: 2, archived: false },
      }),
    ]);

    const stale = await admin.put(
      `/api/v1/note-templates/${tpl.id}`,
      { definition: V1 },
      { 'if-match': '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(isProblem(stale)).toBe(true);
    expect(stale.json<{ currentVersion: number }>().currentVersion).toBe(2);
    expect(await auditRowsOf(db, stale.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'note_template.update', outcome: 'failure' }),
    ]);
    expect((await admin.put(`/api/v1/note-templates/${tpl.id}`, { definition: V1 })).statusCode).toBe(428);
    const versions = await db.query('SELECT version FROM note_template_versions WHERE template_id = $1', [
      tpl.id,
    ]);
    expect(versions.rowCount).toBe(2);
  });

  it('refuses a change of kind or format, a bad definition, and anyone who may not manage templates', async () => {
    const kind = await admin.put(
      `/api/v1/note-templates/${tpl.id}`,
      { definition: { ...V2, kind: 'contact', format: null } },
      { 'if-match': '"2"' },
    );
    expect(kind.statusCode).toBe(422);
    expect(kind.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([
      'definition.kind',
      'definition.format',
    ]);
    const format = await admin.put(
      `/api/v1/note-templates/${tpl.id}`,
      { definition: { ...V2, format: 'soap' } },
      { 'if-match': '"2"' },
    );
    expect(format.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([
      'definition.format',
    ]);
    const bad = await admin.put(
      `/api/v1/note-templates/${tpl.id}`,
      { definition: { ...V2, sections: [{ id: 'Bad Id', title: 'x', fields: [] }] } },
      { 'if-match': '"2"' },
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['definition.sections.0.id', 'definition.sections.0.fields']),
    );
    const refused = await clinician.put(
      `/api/v1/note-templates/${tpl.id}`,
      { definition: V2 },
      { 'if-match': '"2"' },
    );
    expect(refused.statusCode).toBe(403);
    expect(await auditRowsOf(db, refused.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'note_template.update', outcome: 'denied', entity_id: tpl.id }),
    ]);
    const missing = await admin.put(
      '/api/v1/note-templates/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      { definition: V2 },
      { 'if-match': '"1"' },
    );
    expect(missing.statusCode).toBe(404);
    const versions = await db.query('SELECT version FROM note_template_versions WHERE template_id = $1', [
      tpl.id,
    ]);
    expect(versions.rowCount).toBe(2);
  });

  it('keeps every old version readable, and the database refuses to change one', async () => {
    const v1 = await clinician.get(`/api/v1/note-templates/${tpl.id}/versions/1`);
    expect(v1.statusCode).toBe(200);
    expect(v1.json<DefinitionJson>()).toMatchObject({ version: 1, name: 'Brief check-in' });
    expect(fieldIds(v1.json<DefinitionJson>())).toEqual(['concerns', 'risk']);
    const v2 = await clinician.get(`/api/v1/note-templates/${tpl.id}/versions/2`);
    expect(fieldIds(v2.json<DefinitionJson>())).toEqual(['mood', 'risk']);
    expect((await clinician.get(`/api/v1/note-templates/${tpl.id}/versions/3`)).statusCode).toBe(404);
    expect((await clinician.get(`/api/v1/note-templates/${tpl.id}/versions/0`)).statusCode).toBe(400);
    await expect(
      db.query(`UPDATE note_template_versions SET definition = '{}' WHERE template_id = $1 AND version = 1`, [
        tpl.id,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      db.query('DELETE FROM note_template_versions WHERE template_id = $1', [tpl.id]),
    ).rejects.toThrow(/append-only/);
  });

  it('the note written at version 1 still reads back with version 1 and its fields; a new note gets version 2', async () => {
    const old = await clinician.get(`/api/v1/notes/${noteAtV1.id}`);
    expect(old.statusCode).toBe(200);
    const oldNote = old.json<NoteJson>();
    expect(oldNote.templateVersion).toBe(1);
    expect(fieldIds(oldNote.template)).toEqual(['concerns', 'risk']);
    expect(oldNote.content.concerns).toBe('Trouble sleeping since the move.');
    expect(oldNote.content).not.toHaveProperty('mood');

    const fresh = await newNote(tpl.key);
    expect(fresh.statusCode, fresh.body).toBe(201);
    const freshNote = fresh.json<NoteJson>();
    expect(freshNote.templateVersion).toBe(2);
    expect(fieldIds(freshNote.template)).toEqual(['mood', 'risk']);
    expect(freshNote.content).toHaveProperty('mood', null);
  });

  it('an archived template starts no new notes, but its old notes still render', async () => {
    const res = await admin.put(
      `/api/v1/note-templates/${tpl.id}`,
      { definition: V2, archived: true },
      { 'if-match': '"2"' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PracticeTemplateJson>()).toMatchObject({ currentVersion: 3, archived: true });
    const listed = (await clinician.get('/api/v1/note-templates')).json<{
      practice: PracticeTemplateJson[];
    }>();
    expect(listed.practice.map((x) => [x.id, x.archived])).toEqual([[tpl.id, true]]);

    const refused = await newNote(tpl.key);
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('templateKey');

    const old = await clinician.get(`/api/v1/notes/${noteAtV1.id}`);
    expect(old.statusCode).toBe(200);
    expect(old.json<NoteJson>().templateVersion).toBe(1);
    expect(fieldIds(old.json<NoteJson>().template)).toEqual(['concerns', 'risk']);

    // Restoring it is one more version, after which new notes start again.
    const restored = await admin.put(
      `/api/v1/note-templates/${tpl.id}`,
      { definition: V2, archived: false },
      { 'if-match': '"3"' },
    );
    expect(restored.json<PracticeTemplateJson>()).toMatchObject({ currentVersion: 4, archived: false });
    const again = await newNote(tpl.key);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json<NoteJson>().templateVersion).toBe(4);
  });
});

describe('hostile bodies', () => {
  it('random and mutated template bodies never get a 5xx, and a refused one stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(bodies({ definition: V1 }), async (body) => {
        const before = await countRows(db, p.practiceId, ['note_templates', 'note_template_versions']);
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/note-templates',
          headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
          payload: payloadOf(body),
        });
        expectWellFormed(res, body);
        if (res.statusCode !== 201)
          expect(await countRows(db, p.practiceId, ['note_templates', 'note_template_versions'])).toEqual(
            before,
          );
      }),
      { numRuns: 40 },
    );
  });
});
