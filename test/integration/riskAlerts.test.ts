/**
 * PHQ-9 item 9 above zero raises a risk alert that only a clinician's acknowledgement (with a
 * note, encrypted) closes — never a later score, never a second acknowledgement, never SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { newClient } from '../support/clinical.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let biller: Agent;
let clientId: string;

const NOTE = 'Completed C-SSRS screener: passive ideation, no plan or intent; safety plan reviewed.';
const phq = (values: number[]) => Object.fromEntries(values.map((v, i) => [`q${i + 1}`, v]));

interface AlertJson {
  id: string;
  open: boolean;
  itemValue: number;
  title: string;
  acknowledgement: { by: { id: string }; note: string } | null;
}
const alerts = async (): Promise<{ items: AlertJson[]; open: number }> => {
  const res = await clinician.get(`/api/v1/clients/${clientId}/risk-alerts`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  biller = await login(t.app, p.users.biller.email);
  clientId = (await newClient(clinician)).id;
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('PHQ-9 item 9 risk alert', () => {
  let alert: AlertJson;

  it('is not raised when item 9 is zero, nor by other instruments', async () => {
    const res = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'phq9',
      answers: phq([3, 3, 3, 3, 3, 3, 3, 3, 0]),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await alerts()).toEqual({ items: [], open: 0 });
  });

  it('is raised when item 9 is above zero, and audited', async () => {
    const res = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'phq9',
      answers: phq([1, 1, 0, 0, 0, 0, 0, 0, 1]),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ item9Positive: boolean }>().item9Positive).toBe(true);
    expect((await auditRowsOf(db, res.headers['x-request-id'])).map((r) => [r.action, r.category])).toEqual([
      ['measure.record', 'outcome_measure'],
      ['risk_alert.raise', 'risk_alert'],
    ]);
    const list = await alerts();
    expect(list.open).toBe(1);
    alert = list.items[0];
    expect(alert).toMatchObject({ open: true, itemValue: 1, acknowledgement: null });
    expect(alert.title).toContain('Several days');
  });

  it('is not closed by a later zero score', async () => {
    const res = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'phq9',
      answers: phq([0, 0, 0, 0, 0, 0, 0, 0, 0]),
    });
    expect(res.statusCode).toBe(201);
    expect((await alerts()).open).toBe(1);
  });

  it('needs a note to be acknowledged; without one nothing changes', async () => {
    const res = await clinician.post(`/api/v1/risk-alerts/${alert.id}/acknowledge`, { note: '   ' });
    expect(res.statusCode).toBe(400);
    expect((await alerts()).open).toBe(1);
  });

  it('cannot be acknowledged by a biller: refused, audited as denied, still open', async () => {
    const res = await biller.post(`/api/v1/risk-alerts/${alert.id}/acknowledge`, { note: NOTE });
    expect([403, 404]).toContain(res.statusCode);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'risk_alert.acknowledge',
        category: 'risk_alert',
        outcome: 'denied',
      }),
    ]);
    const list = await biller.get(`/api/v1/clients/${clientId}/risk-alerts`);
    expect([403, 404]).toContain(list.statusCode);
    expect(list.body).not.toContain(alert.id);
    expect((await alerts()).open).toBe(1);
  });

  it('is acknowledged by the clinician with an encrypted note, audited', async () => {
    const res = await clinician.post(`/api/v1/risk-alerts/${alert.id}/acknowledge`, { note: NOTE });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<AlertJson>()).toMatchObject({
      open: false,
      acknowledgement: { by: { id: p.users.clinician.id }, note: NOTE },
    });
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'risk_alert.acknowledge',
        category: 'risk_alert',
        entity_id: alert.id,
      }),
    ]);
    const raw = await db.query<{ ack_note_enc: Buffer }>(
      'SELECT ack_note_enc FROM risk_alerts WHERE id = $1',
      [alert.id],
    );
    expect(raw.rows[0]?.ack_note_enc.toString('latin1')).not.toContain('C-SSRS');
    expect(await alerts()).toMatchObject({ open: 0, items: [{ id: alert.id, open: false }] });
  });

  it('cannot be acknowledged twice (409), nothing changes', async () => {
    const before = await db.query('SELECT acknowledged_at, ack_note_enc FROM risk_alerts WHERE id = $1', [
      alert.id,
    ]);
    const res = await clinician.post(`/api/v1/risk-alerts/${alert.id}/acknowledge`, { note: 'again' });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const after = await db.query('SELECT acknowledged_at, ack_note_enc FROM risk_alerts WHERE id = $1', [
      alert.id,
    ]);
    expect(after.rows).toEqual(before.rows);
  });

  it('cannot be reopened, rewritten or deleted, even by the table owner', async () => {
    await expect(
      db.query(
        'UPDATE risk_alerts SET acknowledged_at = NULL, acknowledged_by = NULL, ack_note_enc = NULL WHERE id = $1',
        [alert.id],
      ),
    ).rejects.toThrow(/cannot change/);
    await expect(db.query('DELETE FROM risk_alerts WHERE id = $1', [alert.id])).rejects.toThrow(
      /never deleted/,
    );
  });

  it('an open alert cannot be closed by anything but an acknowledgement', async () => {
    const res = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'phq9',
      answers: phq([0, 0, 0, 0, 0, 0, 0, 0, 3]),
    });
    expect(res.statusCode).toBe(201);
    const open = (await alerts()).items.find((a) => a.open);
    expect(open?.itemValue).toBe(3);
    await expect(db.query('UPDATE risk_alerts SET item_value = 0 WHERE id = $1', [open?.id])).rejects.toThrow(
      /only by acknowledgement/,
    );
    const unknown = await clinician.post(
      '/api/v1/risk-alerts/00000000-0000-7000-8000-000000000000/acknowledge',
      {
        note: NOTE,
      },
    );
    expect(unknown.statusCode).toBe(404);
    expect((await countRows(db, p.practiceId, ['risk_alerts'])).risk_alerts).toBe(2);
  });
});

describe('a risk alert raised through a questionnaire link', () => {
  let linkClientId: string;
  let alertId: string;
  interface Dashboard {
    counts: { riskAlerts: number };
    riskAlerts: { alertId: string; clientId: string; itemValue: number; kind: string; raisedAt: string }[];
  }
  const dashboardOf = async (agent: Agent): Promise<Dashboard> => {
    const res = await agent.get('/api/v1/documentation/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Dashboard>();
  };
  const badgeOf = async (agent: Agent): Promise<number> => {
    const res = await agent.get('/api/v1/documentation/counts');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ riskAlerts: number }>().riskAlerts;
  };

  it('is audited as risk_alert.raise by the client link, in the same request', async () => {
    linkClientId = (await newClient(clinician)).id;
    const created = await clinician.post('/api/v1/measure-links', {
      clientId: linkClientId,
      instrument: 'phq9',
    });
    expect(created.statusCode, created.body).toBe(201);
    const token = new URL(created.json<{ url: string }>().url).hash.slice(1);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/questionnaire/submit',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ token, answers: { ...phq([0, 1, 0, 0, 0, 0, 0, 0, 2]), difficulty: 1 } }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const raised = await db.query<{ id: string }>(
      'SELECT id FROM risk_alerts WHERE client_id = $1 AND acknowledged_at IS NULL',
      [linkClientId],
    );
    expect(raised.rows).toHaveLength(1);
    alertId = raised.rows[0]?.id ?? '';
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((r) => [r.action, r.category, r.outcome])).toEqual([
      ['measure_link.submit', 'outcome_measure', 'success'],
      ['risk_alert.raise', 'risk_alert', 'success'],
    ]);
    expect(audit[1]).toMatchObject({
      client_id: linkClientId,
      actor_user_id: null,
      actor_label: 'Client (questionnaire link)',
      entity_type: 'risk_alert',
      entity_id: alertId,
    });
  });

  it("shows on the primary clinician's documentation dashboard and badge, not on another clinician's", async () => {
    const mine = await dashboardOf(clinician);
    expect(mine.riskAlerts.filter((a) => a.clientId === linkClientId)).toEqual([
      expect.objectContaining({ alertId, kind: 'phq9_item9', itemValue: 2 }),
    ]);
    expect(mine.counts.riskAlerts).toBe(mine.riskAlerts.length);
    expect(await badgeOf(clinician)).toBe(mine.riskAlerts.length);

    const other = await login(t.app, p.users.otherClinician.email);
    const theirs = await dashboardOf(other);
    expect(theirs.riskAlerts).toEqual([]);
    expect(theirs.counts.riskAlerts).toBe(0);
    expect(await badgeOf(other)).toBe(0);
    expect(JSON.stringify(theirs)).not.toContain(linkClientId);
  });

  it('leaves the dashboard once acknowledged', async () => {
    const before = (await dashboardOf(clinician)).counts.riskAlerts;
    const res = await clinician.post(`/api/v1/risk-alerts/${alertId}/acknowledge`, { note: NOTE });
    expect(res.statusCode, res.body).toBe(200);
    const after = await dashboardOf(clinician);
    expect(after.riskAlerts.map((a) => a.alertId)).not.toContain(alertId);
    expect(after.counts.riskAlerts).toBe(before - 1);
    expect(await badgeOf(clinician)).toBe(before - 1);
  });
});
