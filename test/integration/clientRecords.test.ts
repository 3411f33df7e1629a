import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/database.js';
import {
  login,
  NEW_CLIENT,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';

let t: TestApp;
let practice: SeededPractice;
let clinician: Agent;

beforeAll(async () => {
  t = await openTestApp();
  practice = await seedPractice(t.deps);
  clinician = await login(t.app, practice.users.clinician.email);
});
afterAll(async () => t.close());

describe('client records', () => {
  it('creates a client with a code, contacts and the creator as primary clinician', async () => {
    const res = await clinician.post('/api/v1/clients', NEW_CLIENT);
    expect(res.statusCode).toBe(201);
    const c = res.json<{ clientCode: string; contacts: unknown[]; careTeam: unknown[] }>();
    expect(c.clientCode).toMatch(/^C-[2-9A-Z]{6}$/);
    expect(c.contacts).toHaveLength(1);
    expect(c.careTeam).toEqual([
      expect.objectContaining({ userId: practice.users.clinician.id, isPrimary: true }),
    ]);
    expect(res.headers.etag).toBe('"1"');
  });

  it('refuses a stale update with 412 and the current version, and writes nothing', async () => {
    const c = (await clinician.post('/api/v1/clients', NEW_CLIENT)).json<{ id: string }>();
    const first = await clinician.patch(
      `/api/v1/clients/${c.id}`,
      { pronouns: 'she/her' },
      { 'if-match': '"1"' },
    );
    expect(first.statusCode).toBe(200);
    const stale = await clinician.patch(
      `/api/v1/clients/${c.id}`,
      { preferredName: 'Jay' },
      { 'if-match': '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(stale.json<{ currentVersion: number }>().currentVersion).toBe(2);
    // The refusal shows the current record, so it is audited as a failed update.
    const rows = await withTransaction(
      t.deps.db,
      practice.practiceId,
      async (tx) =>
        (
          await tx.query<{ action: string; outcome: string; details: { reason?: string } }>(
            'SELECT action, outcome, details FROM audit_events WHERE request_id = $1',
            [stale.headers['x-request-id']],
          )
        ).rows,
    );
    expect(rows).toEqual([
      { action: 'client.update', outcome: 'failure', details: { reason: 'stale_version' } },
    ]);
    const now = (await clinician.get(`/api/v1/clients/${c.id}`)).json<{
      preferredName: string;
      pronouns: string;
    }>();
    expect(now.preferredName).toBe('Jo');
    expect(now.pronouns).toBe('she/her');
  });

  it('stores background narrative only as ciphertext', async () => {
    const c = (await clinician.post('/api/v1/clients', NEW_CLIENT)).json<{ id: string }>();
    const secret = 'Takes zolpidem nightly; panic attacks since the flood of 2019';
    const res = await clinician.patch(
      `/api/v1/clients/${c.id}/background`,
      { medications: secret, presenting_concerns: secret },
      { 'if-match': '"1"' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json<{ medications: string }>().medications).toBe(secret);
    const raw = await withTransaction(
      t.deps.db,
      practice.practiceId,
      async (tx) =>
        (
          await tx.query<{ dump: string }>(
            'SELECT b::text AS dump FROM client_backgrounds b WHERE client_id = $1',
            [c.id],
          )
        ).rows[0]?.dump ?? '',
    );
    expect(raw.length).toBeGreaterThan(100);
    expect(raw).not.toContain('zolpidem');
    expect(Buffer.from(raw.replace(/[^0-9a-f]/gi, ''), 'hex').toString('latin1')).not.toContain('zolpidem');
    expect(
      (await clinician.get(`/api/v1/clients/${c.id}/background`)).json<{ medications: string }>().medications,
    ).toBe(secret);
  });
});

describe('client list search and paging', () => {
  const people = [
    {
      legalFirstName: 'Amara',
      legalLastName: 'Okonkwo',
      preferredName: 'Mara',
      dateOfBirth: '1988-01-05',
      phones: [{ kind: 'home', number: '555-201-0001', mayLeaveMessage: false }],
    },
    { legalFirstName: 'Ámbar', legalLastName: 'Oquendo', dateOfBirth: '1990-07-19', phones: [] },
    { legalFirstName: 'Zed', legalLastName: 'Okafor-Lind', dateOfBirth: '1975-11-30', phones: [] },
  ];
  let searcher: Awaited<ReturnType<typeof login>>;
  let ids: string[] = [];

  beforeAll(async () => {
    searcher = await login(t.app, practice.users.otherClinician.email);
    ids = [];
    for (const person of people)
      ids.push((await searcher.post('/api/v1/clients', person)).json<{ id: string }>().id);
  });

  const names = async (search: string) =>
    (await searcher.post('/api/v1/clients/search', { search }))
      .json<{ items: { id: string }[] }>()
      .items.map((i) => ids.indexOf(i.id));

  it('matches a prefix of the last, first or preferred name, case-insensitively, every word', async () => {
    expect((await names('ok')).sort()).toEqual([0, 2]);
    expect(await names('OQU')).toEqual([1]);
    expect(await names('mar')).toEqual([0]);
    expect(await names('ámb')).toEqual([1]);
    expect(await names('zed oka')).toEqual([2]);
    expect(await names('zed oq')).toEqual([]);
  });

  it('matches a date of birth, a phone number and a client code', async () => {
    expect(await names('1990-07-19')).toEqual([1]);
    expect(await names('(555) 201-0001')).toEqual([0]);
    const code = (await searcher.get(`/api/v1/clients/${ids[2] ?? ''}`)).json<{ clientCode: string }>()
      .clientCode;
    expect(await names(code.toLowerCase())).toEqual([2]);
  });

  it('pages every sort in both directions without repeating or skipping a client', async () => {
    for (const sort of ['name', 'created', 'code', 'dob'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const all = (await searcher.get(`/api/v1/clients?sort=${sort}&direction=${direction}&limit=100`))
          .json<{ items: { id: string }[] }>()
          .items.map((i) => i.id);
        const paged: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: { id: string }[]; nextCursor: string | null } = (
            await searcher.get(
              `/api/v1/clients?sort=${sort}&direction=${direction}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
            )
          ).json();
          paged.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(paged, `${sort} ${direction}`).toEqual(all);
        expect(all).toHaveLength(3);
      }
    }
  });
});
