/**
 * A client's diagnosis list: billable ICD-10-CM codes only, one active primary (a new one
 * demotes the old in the same transaction), If-Match on every change, an append-only history
 * written by the database, the comment encrypted and hidden from billing, every access audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { z } from 'zod';
import {
  login,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type StaffKey,
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, countRows, openTableOwner } from '../support/tableOwner.js';
import { newClient } from '../support/clinical.js';
import { withTransaction } from '../../src/db/database.js';
import type { diagnosisHistoryView, diagnosisView } from '../../src/http/routes/diagnoses.js';

type Diagnosis = z.infer<typeof diagnosisView>;
type History = z.infer<typeof diagnosisHistoryView>;

// The practice is in America/Chicago: at 15:00 UTC on 10 March it is 10 March there too.
const NOW = new Date('2026-03-10T15:00:00Z');
const COMMENT = 'Worry about the divorce proceedings drives most of the symptoms.';
const TABLES = ['client_diagnoses', 'client_diagnosis_versions'] as const;

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
const agents = {} as Record<StaffKey, Agent>;
let clientId: string;

async function add(body: Record<string, unknown>): Promise<Diagnosis> {
  const res = await agents.clinician.post(`/api/v1/clients/${clientId}/diagnoses`, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Diagnosis>();
}

async function list(who: StaffKey = 'clinician'): Promise<Diagnosis[]> {
  const res = await agents[who].get(`/api/v1/clients/${clientId}/diagnoses`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Diagnosis[] }>().items;
}

async function snapshot(): Promise<string> {
  const r = await db.query<{ f: string }>(
    `SELECT jsonb_build_object(
       'd', (SELECT coalesce(jsonb_agg(to_jsonb(d) ORDER BY d.id), '[]') FROM client_diagnoses d WHERE d.client_id = $1),
       'v', (SELECT coalesce(jsonb_agg(to_jsonb(v) ORDER BY v.diagnosis_id, v.version), '[]')
               FROM client_diagnosis_versions v WHERE v.client_id = $1))::text AS f`,
    [clientId],
  );
  return r.rows[0]?.f ?? '';
}

beforeAll(async () => {
  t = await openTestApp(undefined, { clock: () => NOW });
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  for (const key of ['clinician', 'otherClinician', 'biller', 'scheduler', 'auditor'] as const)
    agents[key] = await login(t.app, p.users[key].email);
  clientId = (await newClient(agents.clinician)).id;
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('validation', () => {
  it.each([
    ['a category heading', { code: 'F41' }, 'code'],
    ['an unknown code', { code: 'F99.999' }, 'code'],
    ['an onset in the future', { code: 'F41.1', onsetDate: '2026-03-11' }, 'onsetDate'],
    ['a resolved date without resolving', { code: 'F41.1', resolvedDate: '2026-03-01' }, 'resolvedDate'],
    [
      'resolved before its onset',
      { code: 'F41.1', status: 'resolved', onsetDate: '2026-02-01', resolvedDate: '2026-01-01' },
      'resolvedDate',
    ],
  ])('refuses %s with 422 at the field, writing nothing', async (_label, body, path) => {
    const before = await countRows(db, p.practiceId, TABLES);
    const res = await agents.clinician.post(`/api/v1/clients/${clientId}/diagnoses`, body);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(path);
    expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
  });

  it.each([
    ['an unknown field', { code: 'F41.1', severity: 'high' }],
    ['a malformed date', { code: 'F41.1', onsetDate: '10/03/2026' }],
    ['an unknown rank', { code: 'F41.1', rank: 'tertiary' }],
    ['starting as entered in error', { code: 'F41.1', status: 'entered_in_error' }],
  ])('refuses %s with 400, writing nothing', async (_label, body) => {
    const before = await countRows(db, p.practiceId, TABLES);
    const res = await agents.clinician.post(`/api/v1/clients/${clientId}/diagnoses`, body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
  });
});

describe('the list', () => {
  let gad: Diagnosis;
  let mdd: Diagnosis;

  it('adds a primary with a comment: description from the catalog, audited, comment encrypted', async () => {
    const res = await agents.clinician.post(`/api/v1/clients/${clientId}/diagnoses`, {
      code: 'f41.1',
      rank: 'primary',
      onsetDate: '2025-11-01',
      comment: COMMENT,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    gad = res.json<Diagnosis>();
    expect(gad).toMatchObject({
      clientId,
      code: 'F41.1',
      description: 'Generalized anxiety disorder',
      rank: 'primary',
      status: 'active',
      onsetDate: '2025-11-01',
      resolvedDate: null,
      comment: COMMENT,
      version: 1,
    });
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'diagnosis.create',
        category: 'diagnosis',
        outcome: 'success',
        client_id: clientId,
        entity_id: gad.id,
        actor_user_id: p.users.clinician.id,
      }),
    ]);
    const raw = await db.query<{ comment_enc: Buffer }>(
      'SELECT comment_enc FROM client_diagnoses WHERE id = $1',
      [gad.id],
    );
    const stored = raw.rows[0]?.comment_enc;
    expect(stored).toBeInstanceOf(Buffer);
    expect(stored?.toString('latin1')).not.toContain('divorce');
  });

  it('refuses the same code twice while it is on the working list', async () => {
    const before = await snapshot();
    const res = await agents.clinician.post(`/api/v1/clients/${clientId}/diagnoses`, { code: 'F41.1' });
    expect(res.statusCode, res.body).toBe(422);
    expect(await snapshot()).toBe(before);
  });

  it('a new active primary demotes the old one, both in the history', async () => {
    const res = await agents.clinician.post(`/api/v1/clients/${clientId}/diagnoses`, {
      code: 'F32.1',
      rank: 'primary',
    });
    expect(res.statusCode, res.body).toBe(201);
    mdd = res.json<Diagnosis>();
    const items = await list();
    expect(items.map((d) => [d.code, d.rank, d.version])).toEqual([
      ['F41.1', 'secondary', 2],
      ['F32.1', 'primary', 1],
    ]);
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.entity_id])).toEqual([
      ['diagnosis.update', gad.id],
      ['diagnosis.create', mdd.id],
    ]);
    const h = await agents.clinician.get(`/api/v1/diagnoses/${gad.id}/history`);
    expect(h.statusCode, h.body).toBe(200);
    expect(h.json<History>().versions.map((v) => [v.version, v.rank, v.changedFields])).toEqual([
      [1, 'primary', ['code', 'rank', 'status', 'onset_date', 'resolved_date', 'comment']],
      [2, 'secondary', ['rank']],
    ]);
    gad = items[0] ?? gad;
  });

  it('promoting a secondary by PATCH demotes the current primary', async () => {
    const res = await agents.clinician.patch(
      `/api/v1/diagnoses/${gad.id}`,
      { rank: 'primary' },
      { 'if-match': `"${gad.version}"` },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('"3"');
    const items = await list();
    expect(items.map((d) => [d.code, d.rank])).toEqual([
      ['F41.1', 'primary'],
      ['F32.1', 'secondary'],
    ]);
    gad = res.json<Diagnosis>();
    mdd = items[1] ?? mdd;
  });

  it('a stale If-Match gets 412 with the current version, and nothing is written', async () => {
    const before = await snapshot();
    const res = await agents.clinician.patch(
      `/api/v1/diagnoses/${mdd.id}`,
      { rank: 'primary', status: 'resolved' },
      { 'if-match': '"1"' },
    );
    expect(res.statusCode, res.body).toBe(412);
    expect(res.json<{ currentVersion: number }>().currentVersion).toBe(mdd.version);
    expect(await snapshot()).toBe(before);
    const missing = await agents.clinician.patch(`/api/v1/diagnoses/${mdd.id}`, { status: 'resolved' });
    expect(missing.statusCode).toBe(428);
    expect(await snapshot()).toBe(before);
  });

  it('refuses bad dates and unknown fields on a change, writing nothing', async () => {
    const before = await snapshot();
    const h = { 'if-match': `"${mdd.version}"` };
    const future = await agents.clinician.patch(
      `/api/v1/diagnoses/${mdd.id}`,
      { status: 'resolved', resolvedDate: '2026-04-01' },
      h,
    );
    expect(future.statusCode, future.body).toBe(422);
    const unknown = await agents.clinician.patch(`/api/v1/diagnoses/${mdd.id}`, { code: 'F33.1' }, h);
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('resolving sets the resolved date (today by default) and the history says what changed', async () => {
    const res = await agents.clinician.patch(
      `/api/v1/diagnoses/${mdd.id}`,
      { status: 'resolved', comment: 'Remitted after twelve sessions.' },
      { 'if-match': `"${mdd.version}"` },
    );
    expect(res.statusCode, res.body).toBe(200);
    mdd = res.json<Diagnosis>();
    expect(mdd).toMatchObject({ status: 'resolved', resolvedDate: '2026-03-10', rank: 'secondary' });
    const h = await agents.clinician.get(`/api/v1/diagnoses/${mdd.id}/history`);
    const history = h.json<History>();
    expect(history.versions.at(-1)).toMatchObject({
      version: mdd.version,
      status: 'resolved',
      resolvedDate: '2026-03-10',
      changedFields: ['status', 'resolved_date', 'comment'],
      changedBy: { id: p.users.clinician.id, name: 'Casey Clinician' },
    });
    // The history never carries the comment, not even for the care team.
    expect(h.body).not.toContain('Remitted');
    expect(await auditRowsOf(db, h.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'diagnosis.history', entity_id: mdd.id, outcome: 'success' }),
    ]);
  });

  it('entered in error needs a reason, and is final', async () => {
    const noReason = await agents.clinician.patch(
      `/api/v1/diagnoses/${mdd.id}`,
      { status: 'entered_in_error', comment: null },
      { 'if-match': `"${mdd.version}"` },
    );
    expect(noReason.statusCode, noReason.body).toBe(422);
    const res = await agents.clinician.patch(
      `/api/v1/diagnoses/${mdd.id}`,
      { status: 'entered_in_error', comment: 'Wrong client chart.' },
      { 'if-match': `"${mdd.version}"` },
    );
    expect(res.statusCode, res.body).toBe(200);
    mdd = res.json<Diagnosis>();
    expect(mdd).toMatchObject({ status: 'entered_in_error', resolvedDate: null });
    const again = await agents.clinician.patch(
      `/api/v1/diagnoses/${mdd.id}`,
      { status: 'active' },
      { 'if-match': `"${mdd.version}"` },
    );
    expect(again.statusCode, again.body).toBe(422);
  });

  it('the care team reads codes and comments; the read is audited once', async () => {
    const res = await agents.clinician.get(`/api/v1/clients/${clientId}/diagnoses`);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ items: Diagnosis[] }>().items[0]?.comment).toBe(COMMENT);
    expect(res.json<{ canEdit: boolean }>().canEdit).toBe(true);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'diagnosis.list',
        category: 'diagnosis',
        client_id: clientId,
        outcome: 'success',
        details: { count: 2, comments: true },
      }),
    ]);
  });

  it('billing reads the codes but never the comment; audited', async () => {
    const res = await agents.biller.get(`/api/v1/clients/${clientId}/diagnoses`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: Diagnosis[] }>().items;
    expect(items.map((d) => d.code)).toEqual(['F41.1', 'F32.1']);
    for (const d of items) expect(d).not.toHaveProperty('comment');
    expect(res.json<{ canEdit: boolean }>().canEdit).toBe(false);
    expect(res.body).not.toContain('divorce');
    expect(res.body).not.toContain('Wrong client');
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'diagnosis.list',
        actor_user_id: p.users.biller.id,
        outcome: 'success',
        details: { count: 2, comments: false },
      }),
    ]);
  });

  it('billing cannot change or add diagnoses', async () => {
    const before = await snapshot();
    const post = await agents.biller.post(`/api/v1/clients/${clientId}/diagnoses`, { code: 'F33.1' });
    expect(post.statusCode).toBe(403);
    const patch = await agents.biller.patch(
      `/api/v1/diagnoses/${gad.id}`,
      { status: 'resolved' },
      { 'if-match': `"${gad.version}"` },
    );
    expect(patch.statusCode).toBe(403);
    expect(await snapshot()).toBe(before);
    expect(await auditRowsOf(db, patch.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'diagnosis.update', category: 'diagnosis', outcome: 'denied' }),
    ]);
  });

  it.each(['scheduler', 'otherClinician', 'auditor'] as const)(
    'the %s (not care team, not billing) is refused everything, audited, nothing leaked or written',
    async (who) => {
      const before = await snapshot();
      const reads = [
        await agents[who].get(`/api/v1/clients/${clientId}/diagnoses`),
        await agents[who].get(`/api/v1/diagnoses/${gad.id}/history`),
      ];
      const writes = [
        await agents[who].post(`/api/v1/clients/${clientId}/diagnoses`, { code: 'F33.1' }),
        await agents[who].patch(
          `/api/v1/diagnoses/${gad.id}`,
          { status: 'resolved' },
          { 'if-match': `"${gad.version}"` },
        ),
      ];
      for (const res of [...reads, ...writes]) {
        expect(res.statusCode, res.body).toBe(403);
        expect(res.body).not.toContain('F41.1');
        expect(res.body).not.toContain('anxiety');
        const rows = await auditRowsOf(db, res.headers['x-request-id']);
        expect(rows).toEqual([
          expect.objectContaining({
            category: 'diagnosis',
            outcome: 'denied',
            actor_user_id: p.users[who].id,
          }),
        ]);
      }
      expect(await snapshot()).toBe(before);
    },
  );

  it('an off-care-team clinician sending an invalid code is refused as denied (403), not told what is wrong', async () => {
    const before = await snapshot();
    const res = await agents.otherClinician.post(`/api/v1/clients/${clientId}/diagnoses`, { code: 'F41' });
    expect(res.statusCode, res.body).toBe(403);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'diagnosis.create',
        outcome: 'denied',
        actor_user_id: p.users.otherClinician.id,
      }),
    ]);
    expect(await snapshot()).toBe(before);
  });

  it('an unknown diagnosis id is a 404, audited as denied', async () => {
    const res = await agents.clinician.get('/api/v1/diagnoses/0195f3a0-0000-7000-8000-000000000000/history');
    expect(res.statusCode).toBe(404);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'diagnosis.history', outcome: 'denied' }),
    ]);
  });
});

describe('another practice', () => {
  it('cannot see, read the history of, or change a diagnosis: 404, nothing written', async () => {
    const q = await seedPractice(t.deps);
    const outsider = await login(t.app, q.users.clinician.email);
    const [d] = await list();
    const before = await snapshot();
    const responses = [
      await outsider.get(`/api/v1/clients/${clientId}/diagnoses`),
      await outsider.get(`/api/v1/diagnoses/${d?.id}/history`),
      await outsider.patch(
        `/api/v1/diagnoses/${d?.id}`,
        { status: 'resolved' },
        { 'if-match': `"${d?.version}"` },
      ),
      await outsider.post(`/api/v1/clients/${clientId}/diagnoses`, { code: 'F33.1' }),
    ];
    for (const res of responses) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toContain('F41.1');
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('integrity in the database', () => {
  it('the history is append-only and diagnoses are never deleted, even from a SQL prompt', async () => {
    const [d] = await list();
    expect(d).toBeDefined();
    await expect(
      db.query('UPDATE client_diagnosis_versions SET status = $2 WHERE diagnosis_id = $1', [
        d?.id,
        'resolved',
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      db.query('DELETE FROM client_diagnosis_versions WHERE diagnosis_id = $1', [d?.id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM client_diagnoses WHERE id = $1', [d?.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(
      db.query("UPDATE client_diagnoses SET code = 'F33.1' WHERE id = $1", [d?.id]),
    ).rejects.toThrow(/keeps its client and code/);
    // A change that skips the version would also skip the history: refused.
    await expect(
      db.query("UPDATE client_diagnoses SET rank = 'secondary' WHERE id = $1", [d?.id]),
    ).rejects.toThrow(/new version/);
  });

  it('casebook_app cannot write the history itself; changes through the API still do', async () => {
    const d = await add({ code: 'F40.10', rank: 'secondary' });
    const forged = withTransaction(t.deps.db, p.practiceId, (tx) =>
      tx.query(
        `INSERT INTO client_diagnosis_versions (practice_id, diagnosis_id, client_id, version, code, rank, status,
           changed_fields, changed_by, changed_at)
         VALUES ($1, $2, $3, 99, 'F40.10', 'primary', 'active', '{}', $4, now())`,
        [p.practiceId, d.id, clientId, p.users.clinician.id],
      ),
    );
    await expect(forged).rejects.toMatchObject({ code: '42501' });
    const patch = await agents.clinician.patch(
      `/api/v1/diagnoses/${d.id}`,
      { status: 'resolved' },
      { 'if-match': `"${d.version}"` },
    );
    expect(patch.statusCode, patch.body).toBe(200);
    const history = await db.query<{ version: number; changed_fields: string[]; has_id: boolean }>(
      `SELECT version, changed_fields, id IS NOT NULL AS has_id FROM client_diagnosis_versions
        WHERE diagnosis_id = $1 ORDER BY version`,
      [d.id],
    );
    expect(history.rows.map((r) => [r.version, r.has_id])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(history.rows[1]?.changed_fields).toContain('status');
  });

  it('a second active primary is impossible even without the service', async () => {
    // An active secondary to promote behind the service's back, while F41.1 is the active primary.
    const extra = await add({ code: 'F43.10', rank: 'secondary' });
    await expect(
      db.query("UPDATE client_diagnoses SET rank = 'primary', version = version + 1 WHERE id = $1", [
        extra.id,
      ]),
    ).rejects.toThrow(/client_diagnoses_one_primary/);
  });
});
