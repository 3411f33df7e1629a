/**
 * A coaching practice keeps the same records without diagnosis codes: adding or changing a
 * diagnosis is refused (422) and nothing is written.
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
import { openTableOwner } from '../support/tableOwner.js';
import { newClient } from '../support/clinical.js';

const NOW = new Date('2026-03-10T15:00:00Z');

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let clientId: string;

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
  clinician = await login(t.app, p.users.clinician.email);
  clientId = (await newClient(clinician)).id;
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('diagnoses in a coaching practice', () => {
  let existing: { id: string; version: number };

  it('a clinical practice records one (the control)', async () => {
    const res = await clinician.post(`/api/v1/clients/${clientId}/diagnoses`, { code: 'F41.1' });
    expect(res.statusCode, res.body).toBe(201);
    existing = res.json();
  });

  it('refuses a new diagnosis once the practice is a coaching practice, nothing written', async () => {
    await db.query(`UPDATE practices SET kind = 'coaching' WHERE id = $1`, [p.practiceId]);
    const before = await snapshot();
    const res = await clinician.post(`/api/v1/clients/${clientId}/diagnoses`, { code: 'F32.1' });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json<{ detail: string }>().detail).toBe('Coaching practices do not record diagnoses');
    expect(await snapshot()).toBe(before);
  });

  it('refuses a change to an existing diagnosis, nothing written', async () => {
    const before = await snapshot();
    const res = await clinician.patch(
      `/api/v1/diagnoses/${existing.id}`,
      { status: 'resolved', resolvedDate: '2026-03-10' },
      { 'if-match': `"${existing.version}"` },
    );
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json<{ detail: string }>().detail).toBe('Coaching practices do not record diagnoses');
    expect(await snapshot()).toBe(before);
  });
});
