import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import {
  DEMO_PASSWORD,
  DEMO_PRACTICE_NAME,
  DEMO_STAFF,
  loadDemoPractice,
  type DemoLogin,
} from '../../src/demo/demoPractice.js';
import { DEMO_CLIENTS } from '../../src/demo/demoClients.js';
import { withDatabase } from '../support/globalDatabase.js';
import { login, openTestApp, type TestApp } from '../support/testApp.js';

// The demo's practice name and staff emails are fixed, so it gets a database of its own on the
// integration server: loading it can never collide with another test file's practice.
let url: string;
let t: TestApp;
let logins: DemoLogin[];

async function asOwner<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
const emailOf = (key: string) => DEMO_STAFF.find((s) => s.key === key)?.email ?? '';

/** Ids of the clients on the care team of any of these users. */
async function careTeamClients(...emails: string[]): Promise<string[]> {
  return asOwner(async (c) =>
    (
      await c.query<{ id: string }>(
        'SELECT DISTINCT m.client_id AS id FROM care_team_members m JOIN users u ON u.id = m.user_id WHERE u.email = ANY($1) ORDER BY 1',
        [emails],
      )
    ).rows.map((r) => r.id),
  );
}

beforeAll(async () => {
  const name = `${new URL(inject('databaseUrl')).pathname.slice(1)}_demo`;
  const admin = new pg.Client({ connectionString: inject('serverUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  url = withDatabase(inject('serverUrl'), name);
  await migrate(url);
  t = await openTestApp(url);
  logins = await loadDemoPractice(t.deps);
}, 60_000);

afterAll(async () => t?.close());

describe('demo practice', () => {
  it('creates eight staff in every role, one supervised, all able to sign in with the documented password', async () => {
    expect(logins).toHaveLength(8);
    expect(new Set(logins.map((l) => l.password))).toEqual(new Set([DEMO_PASSWORD]));
    const staff = await asOwner(
      async (c) =>
        (
          await c.query<{
            email: string;
            roles: string[];
            credentials: string | null;
            license_number: string | null;
            supervisor_email: string | null;
            has_password: boolean;
          }>(
            `SELECT u.email, u.roles, u.credentials, u.license_number, s.email AS supervisor_email, u.password_hash IS NOT NULL AS has_password
             FROM users u JOIN practices p ON p.id = u.practice_id LEFT JOIN users s ON s.id = u.supervisor_id
            WHERE p.name = $1 ORDER BY u.email`,
            [DEMO_PRACTICE_NAME],
          )
        ).rows,
    );
    expect(staff).toHaveLength(8);
    expect(staff.every((s) => s.has_password)).toBe(true);
    expect(new Set(staff.flatMap((s) => s.roles))).toEqual(
      new Set(['owner', 'clinician', 'supervisor', 'biller', 'scheduler', 'auditor']),
    );
    expect(
      staff.filter(
        (s) => s.roles.includes('clinician') && !s.roles.includes('owner') && !s.roles.includes('supervisor'),
      ),
    ).toHaveLength(3);
    const supervisee = staff.find((s) => s.supervisor_email !== null);
    expect(supervisee).toMatchObject({
      email: emailOf('jamie'),
      credentials: 'LPC-Associate',
      supervisor_email: emailOf('marcus'),
    });
    expect(staff.find((s) => s.email === emailOf('marcus'))?.credentials).toBe('LCSW');
    expect(
      staff.filter((s) => s.roles.includes('clinician')).every((s) => s.credentials && s.license_number),
    ).toBe(true);
    for (const l of logins)
      await expect(login(t.app, l.email, DEMO_PASSWORD), l.email).resolves.toBeDefined();
  });

  it('creates 25 clients, each with contacts, an emergency contact, a care team and a full encrypted background', async () => {
    const clients = await asOwner(
      async (c) =>
        (
          await c.query<{
            id: string;
            first: string;
            status: string;
            contacts: string;
            emergency: string;
            team: string;
            fields: string;
            concerns: Buffer;
          }>(
            `SELECT cl.id, cl.legal_first_name AS first, cl.status, b.presenting_concerns AS concerns,
                  (SELECT count(*) FROM client_contacts x WHERE x.client_id = cl.id) AS contacts,
                  (SELECT count(*) FROM client_contacts x WHERE x.client_id = cl.id AND x.is_emergency) AS emergency,
                  (SELECT count(*) FROM care_team_members m WHERE m.client_id = cl.id AND m.user_id = cl.primary_clinician_id) AS team,
                  num_nonnulls(b.presenting_concerns, b.medical_history, b.medications, b.allergies, b.prior_therapy,
                               b.psychiatric_history, b.family_social_history, b.substance_use) AS fields
             FROM clients cl JOIN practices p ON p.id = cl.practice_id JOIN client_backgrounds b ON b.client_id = cl.id
            WHERE p.name = $1`,
            [DEMO_PRACTICE_NAME],
          )
        ).rows,
    );
    expect(clients).toHaveLength(25);
    for (const c of clients) {
      expect(Number(c.contacts), c.id).toBeGreaterThanOrEqual(1);
      expect(Number(c.emergency), c.id).toBeGreaterThanOrEqual(1);
      expect(Number(c.team), c.id).toBe(1);
      expect(Number(c.fields), c.id).toBe(8);
      const text =
        DEMO_CLIENTS.find((d) => d.demographics.legalFirstName === c.first)?.background.presenting_concerns ??
        '';
      expect(text.length, c.first).toBeGreaterThan(50);
      expect(c.concerns.includes(Buffer.from(text.slice(0, 24))), c.first).toBe(false);
    }
    expect(clients.filter((c) => c.status === 'discharged').length).toBeGreaterThanOrEqual(2);
    expect(clients.filter((c) => c.status === 'inactive').length).toBeGreaterThanOrEqual(2);
    const chain = await asOwner(
      async (c) =>
        (
          await c.query<{ ok: boolean }>(
            'SELECT v.ok FROM practices p CROSS JOIN LATERAL audit_verify(p.id) v WHERE p.name = $1',
            [DEMO_PRACTICE_NAME],
          )
        ).rows,
    );
    expect(chain).toEqual([{ ok: true }]);
  });

  it('lets a demo clinician see exactly their care-team clients and read their backgrounds, and nobody else’s', async () => {
    const daniel = await login(t.app, emailOf('daniel'), DEMO_PASSWORD);
    const list = await daniel.get('/api/v1/clients?limit=100');
    expect(list.statusCode).toBe(200);
    const seen = list
      .json<{ items: { id: string }[] }>()
      .items.map((i) => i.id)
      .sort();
    const own = await careTeamClients(emailOf('daniel'));
    expect(own).toHaveLength(6); // five as primary clinician, one family case with Priya
    expect(seen).toEqual(own);

    const destiny = DEMO_CLIENTS.find((c) => c.demographics.legalFirstName === 'Destiny');
    const destinyId = await asOwner(
      async (c) =>
        (await c.query<{ id: string }>("SELECT id FROM clients WHERE legal_first_name = 'Destiny'")).rows[0]
          ?.id,
    );
    const bg = await daniel.get(`/api/v1/clients/${destinyId}/background`);
    expect(bg.statusCode).toBe(200);
    expect(bg.json()).toMatchObject({
      presenting_concerns: destiny?.background.presenting_concerns,
      substance_use: destiny?.background.substance_use,
    });

    const others = (await careTeamClients(emailOf('naomi'), emailOf('marcus'), emailOf('jamie'))).filter(
      (id) => !own.includes(id),
    );
    expect(others.length).toBeGreaterThan(0);
    const refused = await daniel.get(`/api/v1/clients/${others[0]}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toMatch(/legalLastName|Whitaker|Delgado/);

    // The supervisor also sees the supervisee's clients.
    const marcus = await login(t.app, emailOf('marcus'), DEMO_PASSWORD);
    const supervised = (await marcus.get('/api/v1/clients?limit=100'))
      .json<{ items: { id: string }[] }>()
      .items.map((i) => i.id)
      .sort();
    expect(supervised).toEqual(await careTeamClients(emailOf('marcus'), emailOf('jamie')));
  });

  it('gives every active client a diagnosis, a signed and acknowledged plan and falling scores, with one open alert', async () => {
    const rows = await asOwner(
      async (c) =>
        (
          await c.query<{
            diagnoses: string;
            signed: string;
            acks: string;
            measures: string;
            alerts: string;
          }>(
            `SELECT (SELECT count(*) FROM client_diagnoses d WHERE d.client_id = cl.id AND d.rank = 'primary') AS diagnoses,
                    (SELECT count(*) FROM treatment_plan_versions v WHERE v.client_id = cl.id AND v.status = 'signed') AS signed,
                    (SELECT count(*) FROM plan_acknowledgements a WHERE a.client_id = cl.id) AS acks,
                    (SELECT count(*) FROM measure_administrations m WHERE m.client_id = cl.id) AS measures,
                    (SELECT count(*) FROM risk_alerts r WHERE r.client_id = cl.id AND r.acknowledged_at IS NULL) AS alerts
               FROM clients cl JOIN practices p ON p.id = cl.practice_id
              WHERE p.name = $1 AND cl.status = 'active'`,
            [DEMO_PRACTICE_NAME],
          )
        ).rows,
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows)
      expect([r.diagnoses, r.signed, r.acks, r.measures].map(Number)).toEqual([1, 1, 1, 4]);
    expect(rows.reduce((n, r) => n + Number(r.alerts), 0)).toBe(1);
    const reviews = await asOwner(
      async (c) =>
        (
          await c.query<{ due: string }>(
            `SELECT tp.review_due_date::text AS due FROM treatment_plans tp JOIN practices p ON p.id = tp.practice_id
              WHERE p.name = $1 AND tp.review_due_date < (now() + interval '14 days')::date`,
            [DEMO_PRACTICE_NAME],
          )
        ).rows,
    );
    expect(reviews).toHaveLength(2);
  });

  it('refuses to load the demo a second time and adds nothing', async () => {
    const count = () =>
      asOwner(
        async (c) =>
          (
            await c.query<{ p: string; u: string; c: string }>(
              'SELECT (SELECT count(*) FROM practices) AS p, (SELECT count(*) FROM users) AS u, (SELECT count(*) FROM clients) AS c',
            )
          ).rows[0],
      );
    const before = await count();
    await expect(loadDemoPractice(t.deps)).rejects.toThrow(/already loaded/);
    expect(await count()).toEqual(before);
  });
});
