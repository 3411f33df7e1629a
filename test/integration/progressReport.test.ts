/**
 * The progress report PDF: a client with a signed plan, two PHQ-9 scores, an annotation and sessions of
 * each attendance kind prints the plan goals, scores and counts, and nothing of another client or of the
 * note narrative; the print is audited; scheduler, biller and an off-team clinician are refused (audited,
 * nothing returned); bad periods are 422 problems with nothing audited as a print.
 */
import { randomUUID } from 'node:crypto';
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
import { attend, bookSession, newClient, signNote, SOAP_CONTENT, startNote } from '../support/clinical.js';
import { pdfText } from '../support/pdfText.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let clientId: string;
let otherClientId: string;

const DAY = 86_400_000;
const TZ = 'America/Chicago';
const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(at);
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
/** Practice-local wall-clock 10:00, n days ago, as the booking form sends it. */
const bookingAt = (n: number) => `${localDate(daysAgo(n))}T10:00`;
const phq = (values: number[]) => Object.fromEntries(values.map((v, i) => [`q${i + 1}`, v]));
const today = localDate(new Date());
const from = localDate(daysAgo(60));
const url = (id: string, query = `?from=${from}&to=${today}`) =>
  `/api/v1/clients/${id}/progress-report.pdf${query}`;

async function giveMeasure(
  id: string,
  instrument: string,
  answers: Record<string, number>,
  daysBack: number,
) {
  const res = await clinician.post(`/api/v1/clients/${id}/measures`, {
    instrument,
    answers,
    administeredAt: daysAgo(daysBack).toISOString(),
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function signedPlan(
  id: string,
  diagnosisId: string,
): Promise<{ versionId: string; goalIds: string[] }> {
  const draft = await clinician.post(`/api/v1/clients/${id}/treatment-plan/draft`, {});
  expect(draft.statusCode, draft.body).toBe(201);
  const problem = randomUUID();
  const intervention = (modality: string) => ({
    id: randomUUID(),
    modality,
    description: 'Weekly sessions',
    frequency: 'Weekly',
    responsibleClinicianId: p.users.clinician.id,
  });
  const goalIds = [randomUUID(), randomUUID()];
  const content = {
    problems: [{ id: problem, statement: 'Low mood most days', diagnosisIds: [diagnosisId] }],
    goals: [
      {
        id: goalIds[0],
        problemIds: [problem],
        statement: 'Lift mood into the mild range',
        measuredBy: 'PHQ-9 every month',
        baseline: 'PHQ-9 of 18',
        target: 'PHQ-9 below 10',
        targetDate: localDate(daysAgo(-90)),
        status: 'active',
        measure: { instrument: 'phq9', below: 10 },
        interventions: [intervention('cbt')],
      },
      {
        id: goalIds[1],
        problemIds: [problem],
        statement: 'Walk outdoors three times a week',
        measuredBy: 'Activity log',
        baseline: 'Once a week',
        target: 'Three walks a week for a month',
        targetDate: localDate(daysAgo(-60)),
        status: 'proposed',
        interventions: [intervention('motivational_interviewing')],
      },
    ],
    servicePlan: {
      sessionType: 'individual',
      minutes: 53,
      frequency: 'Weekly',
      expectedDuration: '6 months',
    },
    dischargeCriteria: 'PHQ-9 below 10 for two months',
  };
  const draftBody = draft.json<{ id: string; version: number }>();
  const saved = await clinician.put(
    `/api/v1/treatment-plan-versions/${draftBody.id}`,
    { content },
    { 'if-match': `"${draftBody.version}"` },
  );
  expect(saved.statusCode, saved.body).toBe(200);
  const signed = await clinician.post(
    `/api/v1/treatment-plan-versions/${draftBody.id}/sign`,
    { password: PASSWORD },
    { 'if-match': `"${saved.json<{ version: number }>().version}"` },
  );
  expect(signed.statusCode, signed.body).toBe(200);
  return { versionId: draftBody.id, goalIds };
}

async function printCount(): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events WHERE practice_id = $1 AND action = 'progress_report.print' AND outcome = 'success'`,
    [p.practiceId],
  );
  return r.rows[0]?.n ?? -1;
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  clientId = (await newClient(clinician)).id;
  otherClientId = (await newClient(clinician, { legalFirstName: 'Quentin', legalLastName: 'Otherclient' }))
    .id;

  const dx = await clinician.post(`/api/v1/clients/${clientId}/diagnoses`, {
    code: 'F33.1',
    rank: 'primary',
  });
  expect(dx.statusCode, dx.body).toBe(201);
  const plan = await signedPlan(clientId, dx.json<{ id: string }>().id);

  await giveMeasure(clientId, 'phq9', phq([2, 2, 2, 2, 2, 2, 2, 2, 2]), 45); // 18, moderately severe
  await giveMeasure(clientId, 'phq9', phq([1, 1, 1, 1, 1, 1, 1, 1, 0]), 10); // 8, mild
  const note = await clinician.post(`/api/v1/clients/${clientId}/annotations`, {
    date: localDate(daysAgo(30)),
    text: 'Started sertraline',
  });
  expect(note.statusCode, note.body).toBe(201);

  const kinds = ['attended', 'attended', 'no_show', 'late_cancel', 'cancelled_client'] as const;
  for (const [i, kind] of kinds.entries()) {
    const s = await bookSession(clinician, {
      clinicianId: p.users.clinician.id,
      clientIds: [clientId],
      startLocal: bookingAt(50 - i * 7),
      allowOverlap: true,
    });
    await attend(clinician, s.id, clientId, kind, kind === 'attended' ? undefined : 'Unwell');
    if (i === 0) {
      // A signed note rating goal 1, with narrative and a rating comment that must stay out of the report.
      const started = await startNote(clinician, { clientId, sessionId: s.id });
      const saved = await clinician.put(
        `/api/v1/notes/${started.id}/draft`,
        {
          content: SOAP_CONTENT,
          diagnosisCodes: ['F33.1'],
          goalProgress: {
            planVersionId: plan.versionId,
            ratings: [
              {
                goalId: plan.goalIds[0],
                scale: 'five_point',
                rating: 3,
                comment: 'Rating comment kept private',
              },
            ],
          },
        },
        { 'if-match': `"${started.version}"` },
      );
      expect(saved.statusCode, saved.body).toBe(200);
      await signNote(clinician, saved.json<{ id: string; version: number }>());
    }
  }
  // Outside the period: not counted.
  const old = await bookSession(clinician, {
    clinicianId: p.users.clinician.id,
    clientIds: [clientId],
    startLocal: bookingAt(120),
    allowOverlap: true,
  });
  await attend(clinician, old.id, clientId, 'no_show', 'Unwell');

  // Another client's data, which must never appear.
  await giveMeasure(otherClientId, 'gad7', phq([3, 3, 3, 3, 3, 3, 3]), 20);
  await clinician.post(`/api/v1/clients/${otherClientId}/annotations`, {
    date: localDate(daysAgo(20)),
    text: 'Otherclient moved house',
  });
  const otherSession = await bookSession(clinician, {
    clinicianId: p.users.clinician.id,
    clientIds: [otherClientId],
    startLocal: bookingAt(15),
    serviceType: 'couples',
    allowOverlap: true,
  });
  await attend(clinician, otherSession.id, otherClientId, 'late_cancel', 'Unwell');
}, 120_000);

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('progress report PDF', () => {
  it('prints the plan goals, scores, annotations and attendance counts, and audits the print', async () => {
    const res = await clinician.get(url(clientId));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="progress-report-${from}-to-${today}.pdf"`,
    );
    const text = pdfText(res.rawPayload);
    for (const s of [
      'Progress report',
      'Jordan Rivera (preferred name: Jo)',
      '1991-04-12',
      'Casey Clinician, LCSW',
      `${from} to ${today}`,
      'F33.1',
      'Version 1, signed',
      'Low mood most days',
      'Goal 1 — Active',
      'Lift mood into the mild range',
      'PHQ-9 every month',
      'PHQ-9 below 10',
      'Baseline 18, latest 8 on',
      'target met',
      'Goal 2 — Proposed',
      'Walk outdoors three times a week',
      'PHQ-9',
      'Moderately severe',
      'Goal 1: below 10',
      `1. ${localDate(daysAgo(30))} — Started sertraline`,
      'Attendance',
      'Goal progress ratings',
      'Goal 1: Lift mood into the mild range',
    ])
      expect(text, s).toContain(s);
    expect(text).toContain(`${localDate(daysAgo(50))}\nSome progress`);
    // The scores table: date, total, band for each score.
    expect(text).toContain(`${localDate(daysAgo(45))}\n18\nModerately severe`);
    expect(text).toContain(`${localDate(daysAgo(10))}\n8\nMild`);
    // Counts: attended 2, no-show 1, late cancel 1, cancelled 1 (the no-show before the period is not counted).
    expect(text).toContain('Attended\nNo-show\nLate cancel\nCancelled\n2\n1\n1\n1');
    expect(text).toContain(`${localDate(daysAgo(50))}\n10:00\nIndividual\nCasey Clinician\nAttended`);
    expect(text).not.toContain(localDate(daysAgo(120)));
    // Nothing of the other client, nor of the note narrative.
    for (const s of [
      'Otherclient',
      'GAD-7',
      'Couples',
      SOAP_CONTENT.subjective,
      SOAP_CONTENT.plan,
      'Rating comment kept private',
    ])
      expect(text, s).not.toContain(s);

    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((r) => [r.action, r.category, r.outcome, r.client_id])).toEqual([
      ['progress_report.print', 'treatment_plan', 'success', clientId],
    ]);
    expect(audit[0]?.details).toEqual({ from, to: today, planVersion: 1, measures: 2, sessions: 5 });
  });

  it('defaults to the last 90 days', async () => {
    const res = await clinician.get(url(clientId, ''));
    expect(res.statusCode).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain(`to ${today}`);
    // 120 days ago is outside the default period.
    expect(text).toContain('Attended\nNo-show\nLate cancel\nCancelled\n2\n1\n1\n1');
  });

  it('says so when the client has no plan, measures or sessions', async () => {
    const fresh = (await newClient(clinician)).id;
    const text = pdfText((await clinician.get(url(fresh))).rawPayload);
    expect(text).toContain('No signed treatment plan.');
    expect(text).toContain('No outcome measures given in this period.');
    expect(text).toContain('No sessions in this period.');
  });

  it.each(['scheduler', 'biller', 'otherClinician'] as const)(
    'refuses the %s, returns no PDF and audits the refusal',
    async (key) => {
      const agent = await login(t.app, p.users[key].email);
      const before = await printCount();
      const res = await agent.get(url(clientId));
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).not.toContain('%PDF');
      const audit = await auditRowsOf(db, res.headers['x-request-id']);
      expect(audit.map((r) => [r.action, r.category, r.outcome, r.client_id])).toEqual([
        ['progress_report.print', 'treatment_plan', 'denied', clientId],
      ]);
      expect(await printCount()).toBe(before);
    },
  );

  it('answers 404 for a client that does not exist, audited as denied', async () => {
    const missing = randomUUID();
    const res = await clinician.get(url(missing));
    expect(res.statusCode).toBe(404);
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((r) => [r.action, r.outcome])).toEqual([['progress_report.print', 'denied']]);
  });

  it.each([
    ['a date that is not real', '?from=2026-02-30&to=2026-03-31', 'from'],
    ['words for a date', '?from=last-week&to=2026-03-31', 'from'],
    ['a start after the end', '?from=2026-04-01&to=2026-03-31', 'to'],
    ['more than two years', '?from=2024-03-30&to=2026-03-31', 'from'],
    ['an end at the end of the calendar', '?to=9999-12-31', 'to'],
    ['an end after today', `?from=${from}&to=${localDate(new Date(Date.now() + 2 * DAY))}`, 'to'],
    ['a start after today', `?from=${localDate(new Date(Date.now() + 2 * DAY))}`, 'from'],
  ])('refuses %s with a 422 problem naming the field, and prints nothing', async (_, query, path) => {
    const before = await printCount();
    const res = await clinician.get(url(clientId, query));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([path]);
    expect(await printCount()).toBe(before);
  });

  it('refuses an unknown query parameter and a malformed client id', async () => {
    expect((await clinician.get(url(clientId, '?from=2026-01-01&format=html'))).statusCode).toBe(400);
    expect((await clinician.get(url('not-a-uuid'))).statusCode).toBe(400);
  });
});
