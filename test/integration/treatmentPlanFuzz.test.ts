/**
 * Random and mutated bodies against the treatment plan writes: always a 4xx problem or
 * success, never a 500, and a refused write leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
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
import { bodies, expectWellFormed, payloadOf } from '../support/fuzzBodies.js';
import { countRows, openTableOwner } from '../support/tableOwner.js';
import { newClient } from '../support/clinical.js';
import type { PlanVersionView } from '../../src/services/treatmentPlanService.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;

function send(method: 'PUT' | 'POST', url: string, body: unknown, version?: number) {
  return t.app.inject({
    method,
    url,
    headers: {
      cookie: clinician.cookie,
      'x-csrf-token': clinician.csrf,
      'content-type': 'application/json',
      ...(version !== undefined && { 'if-match': `"${version}"` }),
    },
    payload: payloadOf(body),
  });
}

async function rowVersion(id: string): Promise<number | undefined> {
  const r = await db.query<{ version: number }>('SELECT version FROM treatment_plan_versions WHERE id = $1', [
    id,
  ]);
  return r.rows[0]?.version;
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
});

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('treatment plan bodies', () => {
  it('never answers 500 to a draft save, and a refused save changes nothing', async () => {
    const clientId = (await newClient(clinician)).id;
    const res = await clinician.post(`/api/v1/clients/${clientId}/treatment-plan/draft`, {});
    const draft = res.json<PlanVersionView>();
    const problem = randomUUID();
    const base = {
      content: {
        problems: [{ id: problem, statement: 'Low mood', diagnosisIds: [] }],
        goals: [
          {
            id: randomUUID(),
            problemIds: [problem],
            statement: 'Feel better',
            target: 'PHQ-9 under 10',
            targetDate: '2026-09-01',
            status: 'active',
            measure: { instrument: 'phq9', below: 10 },
            objectives: [{ id: randomUUID(), statement: 'Walk', measure: 'Log', targetDate: '2026-05-01' }],
            interventions: [
              { id: randomUUID(), modality: 'act', description: 'Values work', frequency: 'Weekly' },
            ],
          },
        ],
        servicePlan: {
          sessionType: 'individual',
          minutes: 53,
          frequency: 'Weekly',
          expectedDuration: '12 weeks',
        },
        dischargeCriteria: 'PHQ-9 under 10 twice',
      },
    };
    await fc.assert(
      fc.asyncProperty(bodies(base), async (body) => {
        const version = (await rowVersion(draft.id)) ?? 0;
        const r = await send('PUT', `/api/v1/treatment-plan-versions/${draft.id}`, body, version);
        expectWellFormed(r, body);
        if (r.statusCode !== 200) expect(await rowVersion(draft.id)).toBe(version);
      }),
      { numRuns: 60 },
    );
  });

  it('never answers 500 to an acknowledgement, and a refused one records nothing', async () => {
    const clientId = (await newClient(clinician)).id;
    const draft = (
      await clinician.post(`/api/v1/clients/${clientId}/treatment-plan/draft`, {})
    ).json<PlanVersionView>();
    const base = { typedName: 'Jordan Rivera', acknowledgedOn: '2026-01-02', method: 'remote' };
    await fc.assert(
      fc.asyncProperty(bodies(base), async (body) => {
        const before = await countRows(db, p.practiceId, ['plan_acknowledgements']);
        const r = await send('POST', `/api/v1/treatment-plan-versions/${draft.id}/acknowledgements`, body);
        expectWellFormed(r, body);
        // The version is a draft: every acknowledgement is refused.
        expect(r.statusCode).toBeGreaterThanOrEqual(400);
        expect(await countRows(db, p.practiceId, ['plan_acknowledgements'])).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });
});

describe('OpenAPI', () => {
  it('documents every treatment plan route', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    for (const [path, method] of [
      ['/api/v1/clients/{clientId}/treatment-plan', 'get'],
      ['/api/v1/clients/{clientId}/treatment-plan/draft', 'post'],
      ['/api/v1/clients/{clientId}/treatment-plan/versions', 'get'],
      ['/api/v1/treatment-plan-versions/{id}', 'put'],
      ['/api/v1/treatment-plan-versions/{id}/sign', 'post'],
      ['/api/v1/treatment-plan-versions/{id}/changes', 'get'],
      ['/api/v1/treatment-plan-versions/{id}/acknowledgements', 'post'],
    ] as const)
      expect(paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });
});
