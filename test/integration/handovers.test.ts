/**
 * Hand-over within the practice (issue 5 §7): the primary clinician hands a client to a colleague in
 * one audited transaction; the snapshot summary holds the diagnoses, plan goals with their latest
 * rating, latest measures with the change, the open risk alert and the unsigned note as an open item,
 * never psychotherapy-note or note narrative, and is encrypted at rest and unchanged by later events.
 * Only the receiving clinician acknowledges (idempotent); other clinicians, front office, a clinician
 * of another practice and a non-clinician target are refused with nothing written.
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
import { auditRowsOf, clientFingerprint, openTableOwner } from '../support/tableOwner.js';
import {
  attend,
  bookSession,
  newClient,
  saveDraft,
  signNote,
  SOAP_CONTENT,
  soapContent,
  startNote,
} from '../support/clinical.js';
import { givePhq9, phq9Answers, signPlan, type SeededPlan } from '../support/goalProgressSeed.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let away: SeededPractice;
let a: Record<'clinician' | 'otherClinician' | 'supervisor' | 'scheduler' | 'biller', Agent>;
let clientId: string;
let plan: SeededPlan;
let handoverId: string;

const DAY = 86_400_000;
const TZ = 'America/Chicago';
const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(at);
const bookingAt = (daysFromNow: number) => `${localDate(new Date(Date.now() + daysFromNow * DAY))}T10:00`;
const PN_TEXT = 'Countertransference musings about the zeppelin dream';
const DRAFT_TEXT = 'Draft narrative about the lighthouse keeper';
const HANDOVER_NOTE = 'Prefers morning sessions; ask about the court date first.';

async function clientVersion(): Promise<number> {
  const r = await db.query<{ version: number }>('SELECT version FROM clients WHERE id = $1', [clientId]);
  return r.rows[0]?.version ?? -1;
}
async function handoverCount(): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM handovers WHERE client_id = $1', [
    clientId,
  ]);
  return r.rows[0]?.n ?? -1;
}
const handOver = async (agent: Agent, body: Record<string, unknown>) =>
  agent.post(`/api/v1/clients/${clientId}/handovers`, body, { 'if-match': `"${await clientVersion()}"` });

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  away = await seedPractice(t.deps);
  a = {
    clinician: await login(t.app, p.users.clinician.email),
    otherClinician: await login(t.app, p.users.otherClinician.email),
    supervisor: await login(t.app, p.users.supervisor.email),
    scheduler: await login(t.app, p.users.scheduler.email),
    biller: await login(t.app, p.users.biller.email),
  };
  const c = a.clinician;
  clientId = (await newClient(c)).id;
  for (const [code, rank] of [
    ['F33.1', 'primary'],
    ['F41.1', 'secondary'],
  ] as const) {
    const dx = await c.post(`/api/v1/clients/${clientId}/diagnoses`, { code, rank });
    expect(dx.statusCode, dx.body).toBe(201);
  }
  plan = await signPlan(c, clientId, [
    { statement: 'Lift mood into the mild range', measure: { instrument: 'phq9', below: 10 } },
    { statement: 'Sleep six hours on most nights', status: 'achieved' },
  ]);
  await givePhq9(c, clientId, 18, new Date(Date.now() - 40 * DAY));
  // The latest PHQ-9: 12 with item 9 answered 1, which raises a risk alert.
  const risky = await c.post(`/api/v1/clients/${clientId}/measures`, {
    instrument: 'phq9',
    answers: { ...phq9Answers(11), q9: 1 },
    administeredAt: new Date(Date.now() - 3 * DAY).toISOString(),
  });
  expect(risky.statusCode, risky.body).toBe(201);

  // A signed note rating goal 1; an unsigned draft for a later session; a session to come.
  const first = await bookSession(c, {
    clinicianId: p.users.clinician.id,
    clientIds: [clientId],
    startLocal: bookingAt(-14),
  });
  await attend(c, first.id, clientId);
  const rated = await saveDraft(c, await startNote(c, { clientId, sessionId: first.id }), {
    content: SOAP_CONTENT,
    diagnosisCodes: ['F33.1'],
    goalProgress: {
      planVersionId: plan.versionId,
      ratings: [
        { goalId: plan.goals[0]?.id, scale: 'five_point', rating: 4, comment: 'Comment kept private' },
      ],
    },
  } as never);
  await signNote(c, rated);
  const second = await bookSession(c, {
    clinicianId: p.users.clinician.id,
    clientIds: [clientId],
    startLocal: bookingAt(-7),
  });
  await attend(c, second.id, clientId);
  await saveDraft(c, await startNote(c, { clientId, sessionId: second.id }), {
    content: soapContent({ subjective: DRAFT_TEXT }),
  });
  await bookSession(c, {
    clinicianId: p.users.clinician.id,
    clientIds: [clientId],
    startLocal: bookingAt(7),
  });
  const pn = await c.post('/api/v1/psychotherapy-notes', {
    clientId,
    dateOfService: localDate(new Date(Date.now() - 7 * DAY)),
    content: { processNote: PN_TEXT },
  });
  expect(pn.statusCode, pn.body).toBe(201);
});

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('handing a client over', () => {
  it('front office, a colleague who is not primary, another practice and a non-clinician are refused; nothing is written', async () => {
    const before = { print: await clientFingerprint(db, clientId), handovers: await handoverCount() };
    for (const who of ['scheduler', 'biller', 'otherClinician'] as const) {
      const res = await handOver(a[who], { toClinicianId: p.users.supervisor.id });
      expect(res.statusCode, who).toBe(403);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({
          action: 'handover.create',
          category: 'handover',
          outcome: 'denied',
          client_id: clientId,
        }),
      ]);
    }
    for (const target of [away.users.clinician.id, p.users.biller.id, p.users.clinician.id]) {
      const res = await handOver(a.clinician, { toClinicianId: target });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json<{ errors: { path: string }[] }>().errors).toEqual([
        expect.objectContaining({ path: 'toClinicianId' }),
      ]);
    }
    const stale = await a.clinician.post(
      `/api/v1/clients/${clientId}/handovers`,
      { toClinicianId: p.users.otherClinician.id },
      { 'if-match': '"999"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(await clientFingerprint(db, clientId)).toBe(before.print);
    expect(await handoverCount()).toBe(before.handovers);
  });

  it('changes the primary clinician, keeps the previous one on the team and audits each step in one request', async () => {
    const res = await handOver(a.clinician, {
      toClinicianId: p.users.otherClinician.id,
      note: HANDOVER_NOTE,
    });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json<{
      id: string;
      to: { id: string };
      from: { id: string };
      acknowledgedAt: null;
      hasNote: boolean;
    }>();
    handoverId = made.id;
    expect(made).toMatchObject({
      to: { id: p.users.otherClinician.id },
      from: { id: p.users.clinician.id },
      hasNote: true,
    });
    const rows = await auditRowsOf(db, res.headers['x-request-id']);
    expect(rows.map((r) => [r.action, r.category, r.outcome])).toEqual([
      ['care_team.add', 'care_team', 'success'],
      ['care_team.primary', 'care_team', 'success'],
      ['handover.create', 'handover', 'success'],
    ]);
    expect(JSON.stringify(rows)).not.toContain('court date');
    const record = (await a.otherClinician.get(`/api/v1/clients/${clientId}`)).json<{
      primaryClinicianId: string;
      careTeam: { userId: string }[];
    }>();
    expect(record.primaryClinicianId).toBe(p.users.otherClinician.id);
    expect(record.careTeam.map((m) => m.userId).sort()).toEqual(
      [p.users.clinician.id, p.users.otherClinician.id].sort(),
    );
  });

  it('the new clinician sees it to read, and the summary holds the chart facts but no narrative or psychotherapy note', async () => {
    const pending = await a.otherClinician.get('/api/v1/handovers?pending=me');
    expect(pending.statusCode, pending.body).toBe(200);
    expect(pending.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([handoverId]);
    expect(
      (await a.clinician.get('/api/v1/handovers?pending=me')).json<{ items: unknown[] }>().items,
    ).toEqual([]);

    const res = await a.otherClinician.get(`/api/v1/handovers/${handoverId}`);
    expect(res.statusCode, res.body).toBe(200);
    const h = res.json<{
      note: string;
      canAcknowledge: boolean;
      summary: {
        diagnoses: { code: string; rank: string }[];
        plan: { goals: { statement: string; status: string; latestRating: { rating: string } | null }[] };
        measures: { instrument: string; total: number; previous: { total: number }; change: number }[];
        risk: { openAlerts: unknown[] };
        openItems: { notesToWrite: { state: string }[]; upcomingSessions: unknown[] };
        recentSessions: { attendance: string; note: string }[];
      };
    }>();
    expect(h.note).toBe(HANDOVER_NOTE);
    expect(h.canAcknowledge).toBe(true);
    expect(h.summary.diagnoses.map((d) => `${d.rank} ${d.code}`)).toEqual([
      'Primary F33.1',
      'Secondary F41.1',
    ]);
    expect(h.summary.plan.goals.map((g) => [g.statement, g.status, g.latestRating?.rating ?? null])).toEqual([
      ['Lift mood into the mild range', 'Active', 'Significant progress'],
      ['Sleep six hours on most nights', 'Achieved', null],
    ]);
    expect(h.summary.measures.map((m) => [m.instrument, m.total, m.previous.total, m.change])).toEqual([
      ['phq9', 12, 18, -6],
    ]);
    expect(h.summary.risk.openAlerts).toHaveLength(1);
    expect(h.summary.openItems.notesToWrite.map((n) => n.state)).toEqual(['Draft']);
    expect(h.summary.openItems.upcomingSessions).toHaveLength(1);
    expect(h.summary.recentSessions.map((s) => s.note)).toEqual(['Draft', 'Signed']);
    for (const secret of [
      PN_TEXT,
      'zeppelin',
      DRAFT_TEXT,
      'Comment kept private',
      SOAP_CONTENT.plan,
      'sychotherapy',
    ])
      expect(res.body).not.toContain(secret);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'handover.view',
        category: 'handover',
        outcome: 'success',
        entity_id: handoverId,
      }),
    ]);
  });

  it('stores the summary and note encrypted, and the snapshot does not change with the chart', async () => {
    const row = await db.query<{ summary_enc: Buffer; note_enc: Buffer }>(
      'SELECT summary_enc, note_enc FROM handovers WHERE id = $1',
      [handoverId],
    );
    const [stored] = row.rows.map((r) => Buffer.concat([r.summary_enc, r.note_enc]).toString('latin1'));
    expect(stored).toEqual(expect.any(String));
    for (const plain of ['F33.1', 'Lift mood', 'court date', 'PHQ-9']) expect(stored).not.toContain(plain);
    await givePhq9(a.otherClinician, clientId, 4, new Date(Date.now() - DAY));
    const again = (await a.otherClinician.get(`/api/v1/handovers/${handoverId}`)).json<{
      summary: { measures: { total: number }[] };
    }>();
    expect(again.summary.measures.map((m) => m.total)).toEqual([12]);
  });

  it('only the receiving clinician acknowledges; others are refused and nothing is written; twice is idempotent', async () => {
    for (const who of ['clinician', 'supervisor', 'scheduler'] as const) {
      const res = await a[who].post(`/api/v1/handovers/${handoverId}/acknowledge`);
      expect(res.statusCode, who).toBe(403);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({ action: 'handover.acknowledge', outcome: 'denied' }),
      ]);
    }
    const unread = await db.query('SELECT 1 FROM handovers WHERE id = $1 AND acknowledged_at IS NULL', [
      handoverId,
    ]);
    expect(unread.rowCount).toBe(1);
    // Front office cannot open the summary or the history either.
    expect((await a.scheduler.get(`/api/v1/handovers/${handoverId}`)).statusCode).toBe(403);
    expect((await a.biller.get(`/api/v1/clients/${clientId}/handovers`)).statusCode).toBe(403);

    const ack = await a.otherClinician.post(`/api/v1/handovers/${handoverId}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    const at = ack.json<{ acknowledgedAt: string }>().acknowledgedAt;
    expect(at).toEqual(expect.any(String));
    expect(await auditRowsOf(db, ack.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'handover.acknowledge', category: 'handover', outcome: 'success' }),
    ]);
    const twice = await a.otherClinician.post(`/api/v1/handovers/${handoverId}/acknowledge`);
    expect(twice.statusCode).toBe(200);
    expect(twice.json<{ acknowledgedAt: string }>().acknowledgedAt).toBe(at);
    expect(await auditRowsOf(db, twice.headers['x-request-id'])).toEqual([]);
    expect(
      (await a.otherClinician.get('/api/v1/handovers?pending=me')).json<{ items: unknown[] }>().items,
    ).toEqual([]);
  });

  it('a primary change through the care-team form is a hand-over too, listed in the history', async () => {
    const team = await a.otherClinician.put(
      `/api/v1/clients/${clientId}/care-team`,
      { primaryClinicianId: p.users.supervisor.id, memberIds: [p.users.otherClinician.id] },
      { 'if-match': `"${await clientVersion()}"` },
    );
    expect(team.statusCode, team.body).toBe(200);
    expect((await auditRowsOf(db, team.headers['x-request-id'])).map((r) => r.action)).toContain(
      'handover.create',
    );
    const pending = (await a.supervisor.get('/api/v1/handovers?pending=me')).json<{
      items: { hasNote: boolean }[];
    }>();
    expect(pending.items).toEqual([expect.objectContaining({ hasNote: false })]);
    const history = await a.supervisor.get(`/api/v1/clients/${clientId}/handovers`);
    expect(history.statusCode, history.body).toBe(200);
    expect(
      history
        .json<{ items: { to: { id: string }; acknowledgedAt: string | null }[] }>()
        .items.map((i) => [i.to.id, i.acknowledgedAt !== null]),
    ).toEqual([
      [p.users.supervisor.id, false],
      [p.users.otherClinician.id, true],
    ]);
  });
});
