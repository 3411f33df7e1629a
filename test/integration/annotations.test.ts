/**
 * Chart annotations ("medication changed"): the care team writes and reads them, ordered by
 * date, in the exact shape the trend chart reads; the text is encrypted; every access is
 * audited; anyone else is refused with nothing written or leaked; rows can only be withdrawn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { auditRowsOf, countRows, openTableOwner } from '../support/tableOwner.js';
import { newClient } from '../support/clinical.js';

interface Annotation {
  id: string;
  date: string;
  text: string;
  createdBy: { id: string; name: string };
  createdAt: string;
}

const SERTRALINE = 'Started sertraline 50 mg';
let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
const agents = {} as Record<StaffKey, Agent>;
let clientId: string;

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  for (const key of ['clinician', 'otherClinician', 'biller', 'scheduler'] as const)
    agents[key] = await login(t.app, p.users[key].email);
  clientId = (await newClient(agents.clinician)).id;
});
afterAll(async () => {
  await db.end();
  await t.close();
});

async function annotate(date: string, text: string): Promise<Annotation> {
  const res = await agents.clinician.post(`/api/v1/clients/${clientId}/annotations`, { date, text });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Annotation>();
}

describe('the care team', () => {
  let first: Annotation;

  it('adds an annotation: audited, the text encrypted in the database', async () => {
    const res = await agents.clinician.post(`/api/v1/clients/${clientId}/annotations`, {
      date: '2026-02-14',
      text: `  ${SERTRALINE}  `,
    });
    expect(res.statusCode, res.body).toBe(201);
    first = res.json<Annotation>();
    expect(first).toMatchObject({
      date: '2026-02-14',
      text: SERTRALINE,
      createdBy: { id: p.users.clinician.id, name: 'Casey Clinician' },
    });
    expect(Object.keys(first).sort()).toEqual(['createdAt', 'createdBy', 'date', 'id', 'text']);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'chart_annotation.create',
        category: 'chart_annotation',
        client_id: clientId,
        entity_id: first.id,
        outcome: 'success',
      }),
    ]);
    const raw = await db.query<{ text_enc: Buffer }>('SELECT text_enc FROM chart_annotations WHERE id = $1', [
      first.id,
    ]);
    expect(raw.rows[0]?.text_enc).toBeInstanceOf(Buffer);
    expect(raw.rows[0]?.text_enc.toString('latin1')).not.toContain('sertraline');
  });

  it('lists them ordered by date in the shape the trend chart reads; the read is audited', async () => {
    const later = await annotate('2026-03-01', 'Dose raised to 100 mg');
    const earlier = await annotate('2026-01-20', 'Lost job');
    const res = await agents.clinician.get(`/api/v1/clients/${clientId}/annotations`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ items: Annotation[] }>();
    expect(Object.keys(body)).toEqual(['items']);
    expect(body.items.map((a) => [a.id, a.date, a.text])).toEqual([
      [earlier.id, '2026-01-20', 'Lost job'],
      [first.id, '2026-02-14', SERTRALINE],
      [later.id, '2026-03-01', 'Dose raised to 100 mg'],
    ]);
    for (const a of body.items)
      expect(Object.keys(a).sort()).toEqual(['createdAt', 'createdBy', 'date', 'id', 'text']);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'chart_annotation.list',
        category: 'chart_annotation',
        client_id: clientId,
        outcome: 'success',
        details: { count: 3 },
      }),
    ]);
  });

  it('withdraws one: it leaves the list but stays in the record; audited', async () => {
    const res = await agents.clinician.post(`/api/v1/annotations/${first.id}/withdraw`);
    expect(res.statusCode, res.body).toBe(200);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'chart_annotation.withdraw',
        entity_id: first.id,
        outcome: 'success',
      }),
    ]);
    const list = await agents.clinician.get(`/api/v1/clients/${clientId}/annotations`);
    expect(list.json<{ items: Annotation[] }>().items.map((a) => a.id)).not.toContain(first.id);
    const raw = await db.query<{ withdrawn_by: string | null }>(
      'SELECT withdrawn_by FROM chart_annotations WHERE id = $1',
      [first.id],
    );
    expect(raw.rows[0]?.withdrawn_by).toBe(p.users.clinician.id);
  });

  it.each([
    ['an unknown field', { date: '2026-03-02', text: 'x', colour: 'red' }],
    ['a malformed date', { date: '2026-13-40', text: 'x' }],
    ['empty text', { date: '2026-03-02', text: '   ' }],
    ['text too long', { date: '2026-03-02', text: 'x'.repeat(501) }],
  ])('refuses %s with 400, writing nothing', async (_label, body) => {
    const before = await countRows(db, p.practiceId, ['chart_annotations']);
    const res = await agents.clinician.post(`/api/v1/clients/${clientId}/annotations`, body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await countRows(db, p.practiceId, ['chart_annotations'])).toEqual(before);
  });
});

describe('everyone else', () => {
  it.each(['otherClinician', 'biller', 'scheduler'] as const)(
    'the %s is refused reading, adding and withdrawing; audited; nothing leaked or written',
    async (who) => {
      const [target] = (
        await db.query<{ id: string }>(
          'SELECT id FROM chart_annotations WHERE client_id = $1 AND withdrawn_at IS NULL LIMIT 1',
          [clientId],
        )
      ).rows;
      expect(target).toBeDefined();
      const before = await db.query<{ f: string }>(
        'SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.id), $2)::text AS f FROM chart_annotations a WHERE client_id = $1',
        [clientId, '[]'],
      );
      const responses = [
        await agents[who].get(`/api/v1/clients/${clientId}/annotations`),
        await agents[who].post(`/api/v1/clients/${clientId}/annotations`, {
          date: '2026-03-02',
          text: 'Forged',
        }),
        await agents[who].post(`/api/v1/annotations/${target?.id}/withdraw`),
      ];
      for (const res of responses) {
        expect(res.statusCode, res.body).toBe(403);
        expect(res.body).not.toMatch(/sertraline|Lost job|Dose raised/);
        expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
          expect.objectContaining({
            category: 'chart_annotation',
            outcome: 'denied',
            actor_user_id: p.users[who].id,
          }),
        ]);
      }
      const after = await db.query<{ f: string }>(
        'SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.id), $2)::text AS f FROM chart_annotations a WHERE client_id = $1',
        [clientId, '[]'],
      );
      expect(after.rows[0]?.f).toBe(before.rows[0]?.f);
    },
  );
});

describe('integrity in the database', () => {
  it('annotations cannot be edited, deleted or un-withdrawn, even from a SQL prompt', async () => {
    const live = await annotate('2026-03-03', 'Started group therapy');
    await expect(
      db.query("UPDATE chart_annotations SET date = '2026-01-01' WHERE id = $1", [live.id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM chart_annotations WHERE id = $1', [live.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(
      db.query(
        'UPDATE chart_annotations SET withdrawn_at = now(), withdrawn_by = created_by, date = $2 WHERE id = $1',
        [live.id, '2026-01-01'],
      ),
    ).rejects.toThrow(/append-only/);
    await db.query(
      'UPDATE chart_annotations SET withdrawn_at = now(), withdrawn_by = created_by WHERE id = $1',
      [live.id],
    );
    await expect(
      db.query('UPDATE chart_annotations SET withdrawn_at = NULL, withdrawn_by = NULL WHERE id = $1', [
        live.id,
      ]),
    ).rejects.toThrow(/append-only/);
  });
});
