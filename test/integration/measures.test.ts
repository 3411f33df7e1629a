/**
 * Outcome measures given in session: scored and stored correctly, answers encrypted, an
 * incomplete form refused with nothing written, access refusals audited, and the schedule's
 * "due now" worked out from the last administration and the sessions begun since.
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
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, countRows, openTableOwner } from '../support/tableOwner.js';
import { attend, bookSession, newClient } from '../support/clinical.js';
import { bodies, expectWellFormed, payloadOf } from '../support/fuzzBodies.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let biller: Agent;
let other: Agent;
let clientId: string;
let otherClientId: string;
let offsetMs = 0;
const DAY = 86_400_000;
const TABLES = ['measure_administrations', 'risk_alerts', 'measure_schedules'] as const;

const phq = (values: number[]) => Object.fromEntries(values.map((v, i) => [`q${i + 1}`, v]));
const daysAgo = (n: number) => new Date(Date.now() + offsetMs - n * DAY);
const localDay = (n: number) => `${daysAgo(n).toISOString().slice(0, 10)}T10:00`;

interface Detail {
  id: string;
  total: number;
  band: { key: string; label: string };
  item9Positive: boolean;
  answers: Record<string, number>;
  source: string;
  version: string;
}

beforeAll(async () => {
  t = await openTestApp(undefined, { clock: () => new Date(Date.now() + offsetMs) });
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  biller = await login(t.app, p.users.biller.email);
  other = await login(t.app, p.users.otherClinician.email);
  clientId = (await newClient(clinician)).id;
  otherClientId = (await newClient(clinician)).id;
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('giving a measure in session', () => {
  let given: Detail;

  it('scores a PHQ-9, stores total, band and version, and audits it', async () => {
    const res = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'phq9',
      answers: { ...phq([2, 2, 1, 1, 2, 1, 2, 1, 0]), difficulty: 1 },
      administeredAt: daysAgo(30).toISOString(),
    });
    expect(res.statusCode, res.body).toBe(201);
    given = res.json<Detail>();
    expect(given).toMatchObject({
      total: 12,
      band: { key: 'moderate' },
      item9Positive: false,
      source: 'clinician',
    });
    expect(given.answers).toMatchObject({ q1: 2, q9: 0, difficulty: 1 });
    const row = await db.query<{
      total: number;
      band: string;
      item9_positive: boolean;
      version: string;
      recorded_by: string;
    }>(
      'SELECT total, band, item9_positive, version, recorded_by FROM measure_administrations WHERE id = $1',
      [given.id],
    );
    expect(row.rows[0]).toEqual({
      total: 12,
      band: 'moderate',
      item9_positive: false,
      version: 'en-1',
      recorded_by: p.users.clinician.id,
    });
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'measure.record',
        category: 'outcome_measure',
        client_id: clientId,
        entity_id: given.id,
        outcome: 'success',
      }),
    ]);
    expect(JSON.stringify(audit[0]?.details)).not.toContain('12');
  });

  it('keeps the item answers encrypted: the raw column holds no plaintext', async () => {
    const raw = await db.query<{ answers_enc: Buffer }>(
      'SELECT answers_enc FROM measure_administrations WHERE id = $1',
      [given.id],
    );
    const bytes = raw.rows[0]?.answers_enc.toString('latin1') ?? '';
    expect(bytes.length).toBeGreaterThan(28);
    expect(bytes).not.toContain('q1');
    expect(bytes).not.toContain('difficulty');
  });

  it('lists the series per instrument without item answers; the detail has them, both audited', async () => {
    const list = await clinician.get(`/api/v1/clients/${clientId}/measures`);
    expect(list.statusCode).toBe(200);
    const series = list.json<{ series: { instrument: string; points: Record<string, unknown>[] }[] }>()
      .series;
    expect(series.map((s) => s.instrument)).toEqual(['phq9', 'gad7', 'pcl5']);
    expect(series[0]?.points).toHaveLength(1);
    expect(series[0]?.points[0]).toMatchObject({ id: given.id, total: 12 });
    expect(series[0]?.points[0]).not.toHaveProperty('answers');
    expect((await auditRowsOf(db, list.headers['x-request-id']))[0]).toMatchObject({
      action: 'measure.list',
      category: 'outcome_measure',
    });
    const detail = await clinician.get(`/api/v1/measures/${given.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json<Detail>().answers).toEqual({ ...phq([2, 2, 1, 1, 2, 1, 2, 1, 0]), difficulty: 1 });
    expect((await auditRowsOf(db, detail.headers['x-request-id']))[0]).toMatchObject({
      action: 'measure.view',
      entity_id: given.id,
    });
  });

  it('scores GAD-7 and PCL-5 with their own bands', async () => {
    const gad = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'gad7',
      answers: phq([3, 3, 3, 3, 3, 0, 0]),
      administeredAt: daysAgo(30).toISOString(),
    });
    expect(gad.statusCode, gad.body).toBe(201);
    expect(gad.json<Detail>()).toMatchObject({ total: 15, band: { key: 'severe' } });
    const pcl = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'pcl5',
      answers: phq(Array.from({ length: 20 }, (_, i) => (i < 13 ? 2 : i < 20 ? 1 : 0))),
      administeredAt: daysAgo(20).toISOString(),
    });
    expect(pcl.statusCode, pcl.body).toBe(201);
    expect(pcl.json<Detail & { pcl5: { atOrAboveCutPoint: boolean } }>()).toMatchObject({
      total: 33,
      band: { key: 'at_or_above_cut_point' },
      pcl5: { atOrAboveCutPoint: true },
    });
  });
});

describe('an incomplete or invalid form', () => {
  it('is refused with every missing item named, and nothing is written', async () => {
    const before = await countRows(db, p.practiceId, [...TABLES, 'audit_events']);
    const answers = phq([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    delete answers.q3;
    delete answers.q9;
    const res = await clinician.post(`/api/v1/clients/${clientId}/measures`, { instrument: 'phq9', answers });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([
      'answers.q3',
      'answers.q9',
    ]);
    expect(await countRows(db, p.practiceId, [...TABLES, 'audit_events'])).toEqual(before);
  });

  it('refuses an out-of-range answer, a future time, an unknown instrument and a stranger session', async () => {
    const before = await countRows(db, p.practiceId, TABLES);
    const out = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'gad7',
      answers: phq([0, 0, 0, 4, 0, 0, 0]),
    });
    expect(out.statusCode).toBe(422);
    expect(out.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('answers.q4');
    const future = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'gad7',
      answers: phq([0, 0, 0, 0, 0, 0, 0]),
      administeredAt: daysAgo(-1).toISOString(),
    });
    expect(future.statusCode).toBe(422);
    const unknown = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'bdi',
      answers: {},
    });
    expect(unknown.statusCode).toBe(400);
    const session = await bookSession(clinician, {
      clinicianId: p.users.clinician.id,
      clientIds: [otherClientId],
      startLocal: localDay(40),
    });
    const stranger = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'gad7',
      answers: phq([0, 0, 0, 0, 0, 0, 0]),
      sessionId: session.id,
    });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('sessionId');
    expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
  });

  it('cannot be altered or deleted once stored, even with a SQL prompt as the table owner', async () => {
    await expect(
      db.query('UPDATE measure_administrations SET total = 0 WHERE client_id = $1', [clientId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      db.query('DELETE FROM measure_administrations WHERE client_id = $1', [clientId]),
    ).rejects.toThrow(/append-only/);
  });
});

describe('access', () => {
  it('a biller cannot give, list or read measures: refused, audited as denied, nothing written', async () => {
    const before = await countRows(db, p.practiceId, TABLES);
    const give = await biller.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'phq9',
      answers: phq([3, 3, 3, 3, 3, 3, 3, 3, 3]),
    });
    expect([403, 404]).toContain(give.statusCode);
    expect(await auditRowsOf(db, give.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'measure.record', category: 'outcome_measure', outcome: 'denied' }),
    ]);
    const list = await biller.get(`/api/v1/clients/${clientId}/measures`);
    expect([403, 404]).toContain(list.statusCode);
    expect(list.body).not.toContain('moderate');
    expect(await auditRowsOf(db, list.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'measure.list', outcome: 'denied' }),
    ]);
    expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
  });

  it('a clinician outside the care team cannot read one administration', async () => {
    const { rows } = await db.query<{ id: string }>(
      'SELECT id FROM measure_administrations WHERE client_id = $1 LIMIT 1',
      [clientId],
    );
    const res = await other.get(`/api/v1/measures/${rows[0]?.id ?? ''}`);
    expect([403, 404]).toContain(res.statusCode);
    expect(res.body).not.toContain('answers');
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'measure.view', category: 'outcome_measure', outcome: 'denied' }),
    ]);
    const schedule = await other.put(
      `/api/v1/clients/${clientId}/measure-schedules`,
      { items: [{ instrument: 'phq9', frequency: 'monthly' }] },
      { 'if-match': '0' },
    );
    expect([403, 404]).toContain(schedule.statusCode);
    expect((await countRows(db, p.practiceId, ['measure_schedules'])).measure_schedules).toBe(0);
  });
});

describe('a refused user with an invalid body', () => {
  it('is refused as denied (403, audited) before the body is checked, and nothing is written', async () => {
    const before = await countRows(db, p.practiceId, TABLES);
    const give = await other.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'phq9',
      answers: phq([3, 3]),
    });
    expect(give.statusCode, give.body).toBe(403);
    expect(await auditRowsOf(db, give.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'measure.record',
        outcome: 'denied',
        actor_user_id: p.users.otherClinician.id,
      }),
    ]);
    const schedule = await other.put(
      `/api/v1/clients/${clientId}/measure-schedules`,
      { items: [{ instrument: 'gad7', frequency: 'every_n_sessions' }] },
      { 'if-match': '0' },
    );
    expect(schedule.statusCode, schedule.body).toBe(403);
    expect(await auditRowsOf(db, schedule.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'measure_schedule.update',
        outcome: 'denied',
        actor_user_id: p.users.otherClinician.id,
      }),
    ]);
    expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
  });
});

interface ScheduleJson {
  version: number;
  items: { instrument: string; due: boolean; reason: string }[];
}

describe('schedule', () => {
  const due = async () => {
    const res = await clinician.get(`/api/v1/clients/${clientId}/measure-schedules`);
    expect(res.statusCode).toBe(200);
    return Object.fromEntries(res.json<ScheduleJson>().items.map((i) => [i.instrument, i.due]));
  };

  it('needs If-Match, checks each entry, and refuses a stale version', async () => {
    const empty = await clinician.get(`/api/v1/clients/${clientId}/measure-schedules`);
    expect(empty.json<ScheduleJson>()).toMatchObject({ version: 0, items: [] });
    const items = [
      { instrument: 'phq9', frequency: 'every_session' },
      { instrument: 'gad7', frequency: 'every_n_sessions', everyN: 2 },
      { instrument: 'pcl5', frequency: 'monthly' },
    ];
    const url = `/api/v1/clients/${clientId}/measure-schedules`;
    expect((await clinician.put(url, { items })).statusCode).toBe(428);
    const bad = await clinician.put(
      url,
      { items: [{ instrument: 'gad7', frequency: 'every_n_sessions' }] },
      {
        'if-match': '0',
      },
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('items.0.everyN');
    const ok = await clinician.put(url, { items }, { 'if-match': '0' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers.etag).toBe('"1"');
    expect(await auditRowsOf(db, ok.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'measure_schedule.update', category: 'outcome_measure' }),
    ]);
    const stale = await clinician.put(url, { items: [] }, { 'if-match': '0' });
    expect(stale.statusCode).toBe(412);
    expect(await due()).toEqual({ phq9: false, gad7: false, pcl5: false });
  });

  it('is due after enough sessions have begun since the last one, or a month has passed', async () => {
    // Last given: PHQ-9 and GAD-7 30 days ago, PCL-5 20 days ago. A no-show does not count.
    const missed = await bookSession(clinician, {
      clinicianId: p.users.clinician.id,
      clientIds: [clientId],
      startLocal: localDay(15),
    });
    await attend(clinician, missed.id, clientId, 'no_show');
    expect(await due()).toEqual({ phq9: false, gad7: false, pcl5: false });
    const first = await bookSession(clinician, {
      clinicianId: p.users.clinician.id,
      clientIds: [clientId],
      startLocal: localDay(10),
    });
    await attend(clinician, first.id, clientId);
    expect(await due()).toEqual({ phq9: true, gad7: false, pcl5: false });
    const second = await bookSession(clinician, {
      clinicianId: p.users.clinician.id,
      clientIds: [clientId],
      startLocal: localDay(5),
    });
    await attend(clinician, second.id, clientId);
    expect(await due()).toEqual({ phq9: true, gad7: true, pcl5: false });
    offsetMs = 12 * DAY;
    expect(await due()).toEqual({ phq9: true, gad7: true, pcl5: true });
    const given = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'phq9',
      answers: phq([0, 0, 0, 0, 0, 0, 0, 0, 0]),
    });
    expect(given.statusCode, given.body).toBe(201);
    expect((await due()).phq9).toBe(false);
    offsetMs = 0;
  });
});

describe('hostile bodies', () => {
  it('random and mutated bodies never get a 5xx, and a refused write changes nothing', async () => {
    const send = (method: 'POST' | 'PUT', url: string, body: unknown, version?: number) =>
      t.app.inject({
        method,
        url,
        headers: {
          cookie: clinician.cookie,
          'x-csrf-token': clinician.csrf,
          'content-type': 'application/json',
          ...(version === undefined ? {} : { 'if-match': `"${version}"` }),
        },
        payload: payloadOf(body),
      });
    await fc.assert(
      fc.asyncProperty(
        bodies({ instrument: 'gad7', answers: phq([1, 0, 2, 0, 1, 0, 3]), sessionId: null }),
        async (body) => {
          const before = await countRows(db, p.practiceId, TABLES);
          const res = await send('POST', `/api/v1/clients/${otherClientId}/measures`, body);
          expectWellFormed(res, body);
          if (res.statusCode !== 201) expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        bodies({ items: [{ instrument: 'phq9', frequency: 'every_n_sessions', everyN: 3 }] }),
        async (body) => {
          const current = await clinician.get(`/api/v1/clients/${otherClientId}/measure-schedules`);
          const version = current.json<ScheduleJson>().version;
          const res = await send('PUT', `/api/v1/clients/${otherClientId}/measure-schedules`, body, version);
          expectWellFormed(res, body);
          if (res.statusCode !== 200) {
            const after = await clinician.get(`/api/v1/clients/${otherClientId}/measure-schedules`);
            expect(after.json<ScheduleJson>().version).toBe(version);
          }
        },
      ),
      { numRuns: 30 },
    );
    const ack = await send('POST', '/api/v1/risk-alerts/not-a-uuid/acknowledge', { note: 'x' });
    expectWellFormed(ack, {});
  });
});
