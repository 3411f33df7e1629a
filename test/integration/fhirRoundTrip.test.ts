/**
 * FHIR import, proved by the round trip: a chart built through the API in practice A is
 * exported, imported into practice B as a new client, exported again, and the clinical content
 * of the two exports is the same (B's export also passes both validators). Around it: the
 * psychotherapy-note refusal, who may import, and malformed bundles (4xx, nothing written).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type pg from 'pg';
import { withTransaction } from '../../src/db/database.js';
import { loadChartForExport } from '../../src/services/chartExport/loadChart.js';
import type { Ctx } from '../../src/services/context.js';
import { RELEASE_CATEGORIES } from '../../src/domain/releaseScope.js';
import { chartBundle, type Bundle } from '../../src/interop/fhir/chartBundle.js';
import { clinicalContent } from '../../src/interop/fhir/clinicalContent.js';
import type { FhirImportResult, FhirImportSummary } from '../../src/services/fhirImportService.js';
import {
  login,
  openTestApp,
  PASSWORD,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import {
  attend,
  bookSession,
  newClient,
  saveDraft,
  signNote,
  SOAP_CONTENT,
  startNote,
} from '../support/clinical.js';
import {
  completeContent,
  planIds,
  saveDraft as savePlan,
  signPlan,
  startDraft,
} from '../support/treatmentPlans.js';
import { auditRowsOf, countRows, openTableOwner } from '../support/tableOwner.js';
import {
  bundleResources,
  danglingReferences,
  describeProblems,
  validateFhirBundle,
} from '../support/fhirValidation.js';

let t: TestApp;
let db: pg.Client;
let a: SeededPractice;
let b: SeededPractice;
let clinicianA: Agent;
let clinicianB: Agent;
let exportA: Bundle;

const TZ = 'America/Chicago';
const DAY = 86_400_000;
const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(at);
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
const NOTE_WORDS = ['Assessment amaranth', 'Assessment bergamot'];
const ADDENDUM_TEXT = 'Addendum: the client called to add that sleep improved.';
const TABLES = [
  'clients',
  'imports',
  'imported_documents',
  'client_diagnoses',
  'measure_administrations',
] as const;

function ctxOf(p: SeededPractice): Ctx {
  return {
    ...t.deps,
    requestId: 'fhir-round-trip',
    ip: '127.0.0.1',
    userAgent: 'vitest',
    secure: false,
    actor: { userId: p.users.clinician.id, practiceId: p.practiceId, roles: ['clinician'] },
    actorLabel: p.users.clinician.email,
  };
}

async function exportOf(p: SeededPractice, clientId: string): Promise<Bundle> {
  const categories = new Set(RELEASE_CATEGORIES.filter((c) => c !== 'psychotherapy_notes'));
  const chart = await withTransaction(t.deps.db, p.practiceId, (tx) =>
    loadChartForExport(tx, ctxOf(p), clientId, { categories, purpose: 'release', recipient: 'Practice B' }),
  );
  return chartBundle(chart);
}

async function signedNote(clientId: string, back: number, assessment: string): Promise<string> {
  const session = await bookSession(clinicianA, {
    clinicianId: a.users.clinician.id,
    clientIds: [clientId],
    startLocal: `${localDate(daysAgo(back))}T10:00`,
  });
  await attend(clinicianA, session.id, clientId);
  const draft = await startNote(clinicianA, { clientId, sessionId: session.id });
  const note = await signNote(
    clinicianA,
    await saveDraft(clinicianA, draft, {
      content: { ...SOAP_CONTENT, assessment },
      diagnosisCodes: ['F41.1'],
    }),
  );
  expect(note.status).toBe('signed');
  return note.id;
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  a = await seedPractice(t.deps);
  b = await seedPractice(t.deps);
  clinicianA = await login(t.app, a.users.clinician.email);
  clinicianB = await login(t.app, b.users.clinician.email);

  const client = await newClient(clinicianA, { sex: 'intersex', genderIdentity: 'Non-binary' } as Parameters<
    typeof newClient
  >[1]);
  const dx = await clinicianA.post(`/api/v1/clients/${client.id}/diagnoses`, {
    code: 'F41.1',
    rank: 'primary',
  });
  expect(dx.statusCode, dx.body).toBe(201);
  const dx2 = await clinicianA.post(`/api/v1/clients/${client.id}/diagnoses`, {
    code: 'F32.1',
    rank: 'secondary',
    onsetDate: localDate(daysAgo(100)),
  });
  expect(dx2.statusCode, dx2.body).toBe(201);
  const draft = await startDraft(clinicianA, client.id);
  const saved = await savePlan(
    clinicianA,
    draft,
    completeContent(planIds(), a.users.clinician.id, [dx.json<{ id: string }>().id]),
  );
  expect(saved.statusCode, saved.body).toBe(200);
  expect((await signPlan(clinicianA, saved.json<{ id: string; version: number }>())).statusCode).toBe(200);

  const first = await signedNote(client.id, 30, NOTE_WORDS[0] ?? '');
  await signedNote(client.id, 9, NOTE_WORDS[1] ?? '');
  const add = await clinicianA.post(`/api/v1/notes/${first}/addenda`, {
    reason: 'Late call',
    text: ADDENDUM_TEXT,
    password: PASSWORD,
  });
  expect(add.statusCode, add.body).toBe(201);
  for (const [instrument, answers, back] of [
    ['phq9', { q1: 2, q2: 2, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 0, q9: 1, difficulty: 1 }, 30],
    ['gad7', { q1: 1, q2: 1, q3: 1, q4: 1, q5: 0, q6: 0, q7: 0, difficulty: 0 }, 9],
  ] as const) {
    const m = await clinicianA.post(`/api/v1/clients/${client.id}/measures`, {
      instrument,
      answers,
      administeredAt: daysAgo(back).toISOString(),
    });
    expect(m.statusCode, m.body).toBe(201);
  }
  exportA = await exportOf(a, client.id);
}, 120_000);

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('the round trip', () => {
  it('imports A’s export into B and B’s export has the same clinical content, valid FHIR', async () => {
    const before = await countRows(db, b.practiceId, TABLES);
    const pv = await clinicianB.post('/api/v1/imports/fhir/preview', { bundle: exportA });
    expect(pv.statusCode, pv.body).toBe(200);
    const summary = pv.json<FhirImportSummary>();
    expect(summary.counts).toEqual({
      diagnoses: 2,
      notes: 2,
      addenda: 1,
      plans: 1,
      measures: 2,
      measuresScored: 2,
    });
    expect(summary.refused).toEqual([]);
    expect(summary.warnings).toEqual([]);
    expect(await countRows(db, b.practiceId, TABLES)).toEqual(before);

    const res = await clinicianB.post('/api/v1/imports/fhir', { bundle: exportA });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json<FhirImportResult>();
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((x) => x.action)).toEqual(['client.create', 'care_team.add', 'import.record']);
    expect(audit.at(-1)).toMatchObject({
      category: 'import',
      client_id: out.clientId,
      entity_id: out.importId,
    });

    const exportB = await exportOf(b, out.clientId);
    const content = clinicalContent(exportA);
    expect(content.conditions).toHaveLength(2);
    expect(content.notes.map((n) => n.appends).sort()).toEqual([false, false, true]);
    expect(content.goals.length).toBeGreaterThan(0);
    expect(content.observations.length).toBeGreaterThan(10);
    expect(clinicalContent(exportB)).toEqual(content);
    const problems = validateFhirBundle(exportB);
    expect(problems, describeProblems(problems)).toEqual([]);
    expect(danglingReferences(bundleResources(exportB))).toEqual([]);

    // Another provider's notes stay read-only documents: ciphertext at rest, author kept, B's user never the signer.
    const docs = await db.query<{
      kind: string;
      signer_name: string | null;
      body_enc: Buffer;
      title_enc: Buffer;
    }>(
      'SELECT kind, signer_name, body_enc, title_enc FROM imported_documents WHERE client_id = $1 ORDER BY kind',
      [out.clientId],
    );
    expect(docs.rows.map((d) => d.kind)).toEqual(['addendum', 'note', 'note', 'plan']);
    expect(docs.rows.every((d) => d.signer_name?.startsWith('Casey Clinician'))).toBe(true);
    for (const d of docs.rows)
      expect(d.body_enc.toString('latin1')).not.toMatch(/amaranth|bergamot|Addendum/);
    const notes = await db.query('SELECT count(*)::int AS n FROM notes WHERE client_id = $1', [out.clientId]);
    expect(notes.rows[0]).toEqual({ n: 0 });
    const list = await clinicianB.get(`/api/v1/clients/${out.clientId}/imported-documents`);
    expect(list.statusCode).toBe(200);
    const listed = list.json<{
      items: { kind: string; title: string; source: string; text: string }[];
      truncated: boolean;
    }>();
    expect(listed.truncated).toBe(false);
    const items = listed.items;
    expect(items.map((d) => d.kind).sort()).toEqual(['addendum', 'note', 'note', 'plan']);
    // Titles come from the source's free text: shown decrypted, stored only as ciphertext.
    const titles = items.map((d) => d.title);
    expect(titles.every((x) => x.length > 0)).toBe(true);
    for (const d of docs.rows) {
      const raw = d.title_enc.toString('latin1');
      for (const title of titles) expect(raw).not.toContain(title);
    }
    expect(items.map((d) => d.text).join()).toContain(NOTE_WORDS[0]);
    expect((await auditRowsOf(db, list.headers['x-request-id'])).map((x) => [x.action, x.outcome])).toEqual([
      ['imported_document.list', 'success'],
    ]);
    const biller = await login(t.app, b.users.biller.email);
    expect((await biller.get(`/api/v1/clients/${out.clientId}/imported-documents`)).statusCode).toBe(403);
    // B's clinician is the primary clinician of the new record.
    const rec = await clinicianB.get(`/api/v1/clients/${out.clientId}`);
    expect(rec.json()).toMatchObject({ primaryClinicianId: b.users.clinician.id, sex: 'intersex' });
  }, 60_000);
});

describe('what is refused', () => {
  it('never imports a resource labelled as a psychotherapy note, and says so', async () => {
    const pn = {
      resourceType: 'DocumentReference',
      id: 'pn-1',
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSYTHPN' }] },
      status: 'current',
      content: [
        {
          attachment: {
            contentType: 'text/plain',
            data: Buffer.from('secret process note').toString('base64'),
          },
        },
      ],
    };
    const bundle = { ...exportA, entry: [...exportA.entry, { fullUrl: 'urn:x', resource: pn }] };
    const pv = (await clinicianB.post('/api/v1/imports/fhir/preview', { bundle })).json<FhirImportSummary>();
    expect(pv.refused).toEqual([expect.stringContaining('DocumentReference pn-1')]);
    const res = await clinicianB.post('/api/v1/imports/fhir', { bundle });
    expect(res.statusCode).toBe(201);
    const docs = await db.query<{ source_id: string | null }>(
      'SELECT source_id FROM imported_documents WHERE client_id = $1',
      [res.json<FhirImportResult>().clientId],
    );
    expect(docs.rows.map((d) => d.source_id)).not.toContain('pn-1');
  }, 30_000);

  it('lets only clinicians (for themselves) and owners/admins (naming the primary) import', async () => {
    const before = await countRows(db, b.practiceId, TABLES);
    for (const key of ['biller', 'scheduler', 'auditor'] as const) {
      const agent = await login(t.app, b.users[key].email);
      const res = await agent.post('/api/v1/imports/fhir', { bundle: exportA });
      expect(res.statusCode, key).toBe(403);
      expect((await auditRowsOf(db, res.headers['x-request-id'])).map((x) => x.outcome)).toEqual(['denied']);
    }
    const forOther = await clinicianB.post('/api/v1/imports/fhir', {
      bundle: exportA,
      primaryClinicianId: b.users.otherClinician.id,
    });
    expect(forOther.statusCode).toBe(403);
    const admin = await login(t.app, b.users.admin.email);
    const noPrimary = await admin.post('/api/v1/imports/fhir', { bundle: exportA });
    expect(noPrimary.statusCode).toBe(422);
    expect(await countRows(db, b.practiceId, TABLES)).toEqual(before);
    const named = await admin.post('/api/v1/imports/fhir', {
      bundle: exportA,
      primaryClinicianId: b.users.otherClinician.id,
    });
    expect(named.statusCode, named.body).toBe(201);
  }, 30_000);

  it('refuses malformed bundles with 4xx and writes nothing', async () => {
    const before = await countRows(db, b.practiceId, TABLES);
    const patientIndex = exportA.entry.findIndex((e) => e.resource.resourceType === 'Patient');
    const withPatient = (patch: Record<string, unknown>) => ({
      ...exportA,
      entry: exportA.entry.map((e, i) =>
        i === patientIndex ? { ...e, resource: { ...e.resource, ...patch } } : e,
      ),
    });
    const bad: unknown[] = [
      { resourceType: 'Patient' },
      { resourceType: 'Bundle', type: 'document', entry: [] },
      { resourceType: 'Bundle', type: 'document', entry: [{ resource: { resourceType: 'Observation' } }] },
      { ...exportA, entry: [...exportA.entry, exportA.entry[patientIndex]] },
      withPatient({ birthDate: '31/12/1990' }),
      withPatient({ name: [{ use: 'official', given: ['X'] }] }),
      withPatient({ birthDate: '2999-01-01' }),
      {
        ...exportA,
        entry: exportA.entry.map((e) =>
          e.resource.resourceType === 'Condition' ? { ...e, resource: { ...e.resource, code: 'F41.1' } } : e,
        ),
      },
    ];
    for (const bundle of bad) {
      const res = await clinicianB.post('/api/v1/imports/fhir', { bundle });
      expect([400, 422], JSON.stringify(bundle).slice(0, 80)).toContain(res.statusCode);
    }
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (junk) => {
        const res = await clinicianB.post('/api/v1/imports/fhir', { bundle: junk });
        return res.statusCode === 400 || res.statusCode === 422;
      }),
      { numRuns: 40 },
    );
    expect(await countRows(db, b.practiceId, TABLES)).toEqual(before);
  }, 60_000);
});
