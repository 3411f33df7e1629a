import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { login, openTestApp, seedPractice, type Agent, type TestApp } from '../support/testApp.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import { clientNamed, newClient } from '../support/clinical.js';
import { signPlan } from '../support/goalProgressSeed.js';

// The treatment record on the chart timeline: diagnosis changes, signed plan versions,
// measures, risk alerts and annotations, merged with sessions and notes in one order.

let now = new Date('2026-03-02T15:00:00Z');
let t: TestApp;
let clinician: Agent;
let biller: Agent;
let scheduler: Agent;
let owner: pg.Client;
let clientId: string;

interface Item {
  kind: string;
  id: string;
  at: string;
  [k: string]: unknown;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
  withheld: string[];
}

const RECORD = 'diagnosis,plan,measure,alert,annotation';
const ORDER = ['session', 'note', 'addendum', 'diagnosis', 'plan', 'measure', 'alert', 'annotation'];

function inTimelineOrder(items: Item[]): boolean {
  return items.every((b, i) => {
    const a = items[i - 1];
    if (!a) return true;
    if (a.at !== b.at) return a.at > b.at;
    if (a.kind !== b.kind) return ORDER.indexOf(a.kind) < ORDER.indexOf(b.kind);
    return a.id > b.id;
  });
}

async function chart(agent: Agent, query: string): Promise<Page> {
  const res = await agent.get(`/api/v1/clients/${clientId}/chart${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
}

/** Items 1–8 at 1, item 9 as given. */
function phq9(item9: number): Record<string, number> {
  const answers: Record<string, number> = { q9: item9 };
  for (let i = 1; i <= 8; i++) answers[`q${i}`] = 1;
  return answers;
}

beforeAll(async () => {
  t = await openTestApp(undefined, { clock: () => now });
  t.deps.clock = () => now;
  const practice = await seedPractice(t.deps);
  clinician = await login(t.app, practice.users.clinician.email);
  biller = await login(t.app, practice.users.biller.email);
  scheduler = await login(t.app, practice.users.scheduler.email);
  owner = await openTableOwner();
  clientId = (await newClient(clinician, clientNamed('Juniper'))).id;

  // Two primaries in a row: the second demotes the first in the same instant (a tie on time).
  for (const code of ['F41.1', 'F32.1']) {
    const res = await clinician.post(`/api/v1/clients/${clientId}/diagnoses`, { code, rank: 'primary' });
    expect(res.statusCode, res.body).toBe(201);
  }
  now = new Date('2026-03-03T15:00:00Z');
  await signPlan(clinician, clientId, [{ statement: 'Sleep through the night 5 nights a week' }]);
  now = new Date('2026-04-15T15:00:00Z');
  // 28 PHQ-9s a day apart, the last with item 9 answered: 28 measures and one alert.
  for (let d = 0; d < 28; d++) {
    const administeredAt = new Date(Date.UTC(2026, 2, 4 + d, 16)).toISOString();
    const res = await clinician.post(`/api/v1/clients/${clientId}/measures`, {
      instrument: 'phq9',
      answers: phq9(d === 27 ? 1 : 0),
      administeredAt,
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  for (let d = 0; d < 22; d++) {
    const date = new Date(Date.UTC(2026, 2, 4 + d)).toISOString().slice(0, 10);
    const res = await clinician.post(`/api/v1/clients/${clientId}/annotations`, {
      date,
      text: `Sertraline dose note ${d}`,
    });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  await owner.end();
  await t.close();
});

describe('the treatment record on the chart timeline', () => {
  it('pages every kind of entry newest first, each exactly once, across kinds and ties', async () => {
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await chart(clinician, `?types=${RECORD}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.withheld).toEqual([]);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    // 3 diagnosis versions (two added, one demoted), 1 plan, 28 measures, 1 alert, 22 annotations.
    const count = (k: string) => seen.filter((i) => i.kind === k).length;
    expect([
      count('diagnosis'),
      count('plan'),
      count('measure'),
      count('alert'),
      count('annotation'),
    ]).toEqual([3, 1, 28, 1, 22]);
    expect(new Set(seen.map((i) => `${i.kind}:${i.id}`)).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(50);
    expect(inTimelineOrder(seen)).toBe(true);

    const demoted = seen.find((i) => i.kind === 'diagnosis' && i.version === 2);
    expect(demoted).toMatchObject({ code: 'F41.1', rank: 'secondary', changedFields: ['rank'] });
    const alert = seen.find((i) => i.kind === 'alert');
    expect(alert).toMatchObject({ alertKind: 'phq9_item9', itemValue: 1, acknowledgedAt: null });
    const annotation = seen.find((i) => i.kind === 'annotation' && i.date === '2026-03-04');
    expect(annotation).toMatchObject({ text: 'Sertraline dose note 0', authorName: 'Casey Clinician' });
    expect(seen.find((i) => i.kind === 'plan')).toMatchObject({
      versionNo: 1,
      signerName: 'Casey Clinician',
    });
  });

  it('shows an acknowledged alert as acknowledged, by whom', async () => {
    const open = (await chart(clinician, '?types=alert')).items[0];
    if (!open) throw new Error('no alert');
    const ack = await clinician.post(`/api/v1/risk-alerts/${open.id}/acknowledge`, {
      note: 'Asked directly; no plan or intent. Safety plan reviewed.',
    });
    expect(ack.statusCode, ack.body).toBe(200);
    const [after] = (await chart(clinician, '?types=alert')).items;
    expect(after).toMatchObject({ id: open.id, acknowledgedByName: 'Casey Clinician' });
    expect(after?.acknowledgedAt).toEqual(expect.any(String));
  });

  it('filters the dated and timed kinds by the same local dates', async () => {
    const page = await chart(clinician, '?types=measure,annotation&from=2026-03-10&to=2026-03-11');
    expect(page.items.map((i) => [i.kind, (i.date as string | undefined) ?? i.at.slice(0, 10)])).toEqual([
      // An annotation stands at noon practice time (17:00 UTC in March), after the 11:00 measure.
      ['annotation', '2026-03-11'],
      ['measure', '2026-03-11'],
      ['annotation', '2026-03-10'],
      ['measure', '2026-03-10'],
    ]);
  });

  it('gives billing the diagnoses but none of the clinical record, and the scheduler neither', async () => {
    const billing = await biller.get(`/api/v1/clients/${clientId}/chart?types=${RECORD}`);
    expect(billing.statusCode, billing.body).toBe(200);
    const page = billing.json<Page>();
    expect(page.withheld).toEqual(['plan', 'measure', 'alert', 'annotation']);
    expect(page.items.map((i) => i.kind)).toEqual(['diagnosis', 'diagnosis', 'diagnosis']);
    expect(billing.body).not.toContain('Sertraline');
    const audit = await auditRowsOf(owner, billing.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.category])).toEqual([['chart.view', 'diagnosis']]);

    const front = await chart(scheduler, `?types=${RECORD}`);
    expect(front).toEqual({ items: [], nextCursor: null, withheld: RECORD.split(',') });
  });
});
