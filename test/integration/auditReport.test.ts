/**
 * The audit report: every filter, every sort column in both directions with cursor paging that
 * neither repeats nor skips a row, the CSV export, and who may read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { isProblem, loginAttempt } from '../support/staffAgents.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let auditor: Agent;
let owner: Agent;
let clientIds: string[] = [];
/** Rows up to this instant are the fixed data set; the report's own rows come after it. */
let cutoff = '';

const SORTS = {
  time: 'e.seq',
  user: "coalesce(e.actor_label, '')",
  action: 'e.action',
  category: 'e.category',
  outcome: 'e.outcome',
  client: "coalesce(e.client_id::text, '')",
} as const;
type Sort = keyof typeof SORTS;

interface Page {
  items: {
    id: string;
    seq: number;
    action: string;
    category: string;
    outcome: string;
    actorUserId: string | null;
    clientId: string | null;
    occurredAt: string;
  }[];
  nextCursor: string | null;
}

async function expectedIds(where: string, params: unknown[], order = 'e.seq ASC'): Promise<string[]> {
  const r = await db.query<{ id: string }>(
    `SELECT e.id FROM audit_events e WHERE e.practice_id = $1 AND e.occurred_at < $2 AND (${where}) ORDER BY ${order}`,
    [p.practiceId, cutoff, ...params],
  );
  return r.rows.map((x) => x.id);
}

async function allPages(
  agent: Agent,
  query: string,
  limit: number,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await agent.get(
      `/api/v1/audit/events?${query}&to=${encodeURIComponent(cutoff)}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<Page>();
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { ids, pages };
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  auditor = await login(t.app, p.users.auditor.email);
  owner = await login(t.app, p.users.owner.email);
  const clinician = await login(t.app, p.users.clinician.email);
  const other = await login(t.app, p.users.otherClinician.email);
  const biller = await login(t.app, p.users.biller.email);
  for (const [agent, n] of [
    [clinician, 3],
    [other, 2],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const c = (await agent.post('/api/v1/clients', { ...NEW_CLIENT, legalLastName: `Report${i}` })).json<{
        id: string;
      }>();
      clientIds.push(c.id);
      await agent.get(`/api/v1/clients/${c.id}`);
      await agent.get(`/api/v1/clients/${c.id}/background`);
      await biller.get(`/api/v1/clients/${c.id}/background`); // denied
      await biller.get(`/api/v1/clients/${c.id}`);
    }
  }
  await clinician.get(`/api/v1/clients/${clientIds[3] ?? ''}`); // denied: not on the care team
  await loginAttempt(t.app, p.users.scheduler.email, 'not the password', '10.5.0.1');
  // A user agent that a spreadsheet would run as a formula.
  await t.app.inject({
    method: 'GET',
    url: `/api/v1/clients/${clientIds[0] ?? ''}`,
    headers: { cookie: clinician.cookie, 'user-agent': '=HYPERLINK("http://evil.example","x")' },
  });
  const now = await db.query<{ t: Date }>('SELECT clock_timestamp() AS t');
  cutoff = now.rows[0]?.t.toISOString() ?? '';
  clientIds = clientIds.filter(Boolean);
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('filters', () => {
  const cases: [string, () => string, () => [string, unknown[]]][] = [
    ['none', () => '', () => ['true', []]],
    ['user', () => `userId=${p.users.biller.id}`, () => ['e.actor_user_id = $3', [p.users.biller.id]]],
    ['client', () => `clientId=${clientIds[1] ?? ''}`, () => ['e.client_id = $3', [clientIds[1]]]],
    ['action', () => 'action=client.view', () => ["e.action = 'client.view'", []]],
    ['category', () => 'category=background', () => ["e.category = 'background'", []]],
    ['outcome', () => 'outcome=denied', () => ["e.outcome = 'denied'", []]],
    ['failure outcome', () => 'outcome=failure', () => ["e.outcome = 'failure'", []]],
    [
      'several at once',
      () => `userId=${p.users.biller.id}&category=background&outcome=denied`,
      () => [
        "e.actor_user_id = $3 AND e.category = 'background' AND e.outcome = 'denied'",
        [p.users.biller.id],
      ],
    ],
  ];
  for (const [name, query, where] of cases) {
    it(`by ${name}`, async () => {
      const [sql, params] = where();
      const expected = await expectedIds(sql, params, 'e.seq DESC');
      expect(expected.length).toBeGreaterThan(0);
      const { ids } = await allPages(auditor, query(), 500);
      expect(ids).toEqual(expected);
    });
  }

  it('by time range (from inclusive, to exclusive)', async () => {
    const r = await db.query<{ t: Date }>(
      'SELECT occurred_at AS t FROM audit_events WHERE practice_id = $1 ORDER BY seq LIMIT 1 OFFSET 10',
      [p.practiceId],
    );
    const from = r.rows[0]?.t.toISOString() ?? '';
    const expected = await expectedIds('e.occurred_at >= $3', [from], 'e.seq DESC');
    const { ids } = await allPages(auditor, `from=${encodeURIComponent(from)}`, 500);
    expect(ids).toEqual(expected);
    expect(ids.length).toBeLessThan((await expectedIds('true', [])).length);
  });

  it('the report shows only this practice', async () => {
    const { ids } = await allPages(auditor, '', 500);
    const foreign = await db.query(
      'SELECT 1 FROM audit_events WHERE id = ANY($1::uuid[]) AND practice_id <> $2',
      [ids, p.practiceId],
    );
    expect(foreign.rowCount).toBe(0);
  });
});

describe('sorting and paging', () => {
  for (const sort of Object.keys(SORTS) as Sort[]) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`by ${sort} ${direction}: pages neither repeat nor skip`, async () => {
        const dir = direction.toUpperCase();
        const order = sort === 'time' ? `e.seq ${dir}` : `${SORTS[sort]} ${dir}, e.seq ${dir}`;
        const expected = await expectedIds('true', [], order);
        const { ids, pages } = await allPages(auditor, `sort=${sort}&direction=${direction}`, 7);
        expect(pages).toBeGreaterThan(3);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(expected);
      });
    }
  }

  it('paging with a filter and a sort together', async () => {
    const expected = await expectedIds(
      "e.category = 'demographics'",
      [],
      "coalesce(e.actor_label, '') DESC, e.seq DESC",
    );
    const { ids } = await allPages(auditor, 'category=demographics&sort=user&direction=desc', 3);
    expect(ids).toEqual(expected);
  });

  it('a cursor that was not made by the report is refused with 422, never 500', async () => {
    const bad = [
      'not-a-cursor',
      Buffer.from('["x"]').toString('base64url'),
      Buffer.from('[null, 1.5]').toString('base64url'),
      Buffer.from('["a", 1e300]').toString('base64url'),
      Buffer.from('["a\\u0000b", 3]').toString('base64url'),
      Buffer.from('[null, -1]').toString('base64url'),
    ];
    for (const cursor of bad) {
      for (const sort of ['time', 'user'] as const) {
        const res = await auditor.get(
          `/api/v1/audit/events?sort=${sort}&cursor=${encodeURIComponent(cursor)}`,
        );
        expect(res.statusCode, `${sort} ${Buffer.from(cursor, 'base64url').toString()}`).toBeLessThan(500);
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(isProblem(res)).toBe(true);
      }
    }
  });

  it('out-of-range times and odd filter values are 4xx, never 500', async () => {
    for (const q of [
      'from=0000-01-01T00:00:00Z',
      'to=0000-06-01T00:00:00Z',
      'from=99999-01-01T00:00:00Z',
      'action=%00',
      'category=a%00b',
      'limit=0',
      'limit=501',
      'sort=seq',
      'outcome=maybe',
      'userId=nope',
      'extra=1',
    ]) {
      const res = await auditor.get(`/api/v1/audit/events?${q}`);
      expect(res.statusCode, q).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, q).toBeLessThan(500);
      expect(isProblem(res)).toBe(true);
    }
    // An offset PostgreSQL would refuse (beyond ±15:59) is normalised to UTC first.
    expect((await auditor.get('/api/v1/audit/events?from=2024-01-01T00:00:00%2B23:59')).statusCode).toBe(200);
  });
});

/** RFC 4180: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('CSV export', () => {
  it('streams the filtered report as text/csv, one line per row, formulas neutralised', async () => {
    const res = await auditor.get(
      `/api/v1/audit/events.csv?to=${encodeURIComponent(cutoff)}&sort=time&direction=asc`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="casebook-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toEqual([
      'seq',
      'occurred_at',
      'actor',
      'actor_user_id',
      'action',
      'category',
      'client_code',
      'client_id',
      'entity_type',
      'entity_id',
      'outcome',
      'ip',
      'user_agent',
      'request_id',
      'details',
    ]);
    const expected = await db.query<{
      seq: number;
      action: string;
      outcome: string;
      request_id: string | null;
    }>(
      'SELECT seq::int AS seq, action, outcome, request_id FROM audit_events WHERE practice_id = $1 AND occurred_at < $2 ORDER BY seq',
      [p.practiceId, cutoff],
    );
    expect(rows.map((r) => [Number(r[0]), r[4], r[10], r[13] || null])).toEqual(
      expected.rows.map((r) => [r.seq, r.action, r.outcome, r.request_id]),
    );
    const ua = rows.map((r) => r[12] ?? '').find((u) => u.includes('HYPERLINK'));
    expect(ua).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'audit.export', outcome: 'success' }),
    ]);
  });

  it('applies filters', async () => {
    const res = await owner.get(`/api/v1/audit/events.csv?to=${encodeURIComponent(cutoff)}&outcome=denied`);
    expect(res.statusCode).toBe(200);
    const rows = parseCsv(res.body).slice(1);
    expect(rows.length).toBe((await expectedIds("e.outcome = 'denied'", [])).length);
    for (const r of rows) expect(r[10]).toBe('denied');
  });
});

describe('who may read it', () => {
  it('only the auditor and the owner; others get 403 with a denied row for report, export and verify', async () => {
    for (const key of ['admin', 'clinician', 'supervisor', 'biller', 'scheduler'] as const) {
      const agent = await login(t.app, p.users[key].email);
      for (const url of ['/api/v1/audit/events', '/api/v1/audit/events.csv', '/api/v1/audit/verify']) {
        const res = await agent.get(url);
        expect(res.statusCode, `${key} ${url}`).toBe(403);
        expect(isProblem(res)).toBe(true);
        expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
          expect.objectContaining({ category: 'audit', outcome: 'denied', actor_user_id: p.users[key].id }),
        ]);
      }
    }
    for (const agent of [auditor, owner]) {
      for (const url of ['/api/v1/audit/events', '/api/v1/audit/events.csv', '/api/v1/audit/verify'])
        expect((await agent.get(url)).statusCode).toBe(200);
    }
  });
});
