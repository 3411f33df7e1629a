/**
 * Review findings on issue 5 (consent and continuity of care), each with its negative test:
 * - an import's duplicate warning never names a client the importing clinician cannot see;
 * - a release whose records period ends before it starts is a 422 naming the field, nothing written;
 * - a read-only API token cannot acknowledge a hand-over (a write), and the refusal is audited;
 * - a release carries only the authorization behind it, never the client's other consents;
 * - the front desk is never told that a record holds 42 CFR Part 2 (substance-use) records;
 * - an imported document or diagnosis whose date is not a real day is kept without it (not a 500).
 * - under an authorization the log records the authorization's purpose, never the request's;
 * - 'individual_request' is no release basis (the client's copy is a record request), 422;
 * - the client's copy of a Part 2 record is logged as Part 2;
 * - a revocation cannot be backdated before a release already made under the consent;
 * - psychotherapy notes are released only by a clinician who wrote some about the client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { loginStaff, tokenAgent } from '../support/staffAgents.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import { newClient } from '../support/clinical.js';
import { pdfText } from '../support/pdfText.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let staff: Awaited<ReturnType<typeof loginStaff>>;
let clinician: Agent;
let other: Agent;
let hidden: { id: string; clientCode: string };

const RECIPIENT = { type: 'organization', name: 'Lakeside Family Medicine', contact: 'fax 555-0100' };

async function count(table: string, clientId: string): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE client_id = $1`, [
    clientId,
  ]);
  return r.rows[0]?.n ?? -1;
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  staff = await loginStaff(t.app, p);
  clinician = staff.clinician;
  other = staff.otherClinician;
  hidden = await newClient(clinician, { legalFirstName: 'Quillon', legalLastName: 'Marchbanks' });
});

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('import duplicate warnings', () => {
  it('name the existing client only to someone who may see it', async () => {
    const release = await clinician.post(`/api/v1/clients/${hidden.id}/releases`, {
      legalBasis: 'treatment',
      recipient: RECIPIENT,
      purpose: 'Continuing care',
      categories: ['demographics'],
      format: 'fhir',
    });
    expect(release.statusCode, release.body).toBe(200);
    const bundle = JSON.parse(release.body) as unknown;

    // The care team's clinician sees which record it probably duplicates.
    const own = await clinician.post('/api/v1/imports/fhir/preview', { bundle });
    expect(own.statusCode, own.body).toBe(200);
    const ownDuplicate = own
      .json<{ warnings: string[] }>()
      .warnings.filter((w) => w.includes('same name and date of birth'));
    expect(ownDuplicate).toEqual([expect.stringContaining(hidden.clientCode)]);

    // A clinician outside the care team is warned, but learns nothing that identifies the record.
    const outside = await other.post('/api/v1/imports/fhir/preview', { bundle });
    expect(outside.statusCode, outside.body).toBe(200);
    const warnings = outside.json<{ warnings: string[] }>().warnings;
    // (The bundle carries its own record number, which the importer holds anyway: only the
    // duplicate warning is about a record of this practice.)
    const duplicate = warnings.filter((w) => w.includes('same name and date of birth'));
    expect(duplicate).toHaveLength(1);
    expect(duplicate[0]).not.toContain(hidden.clientCode);
  });
});

describe('the records period of a release', () => {
  it('is refused with 422 on the field when it ends before it starts, with nothing written', async () => {
    const before = await count('disclosures', hidden.id);
    const res = await clinician.post(`/api/v1/clients/${hidden.id}/releases`, {
      legalBasis: 'treatment',
      recipient: RECIPIENT,
      purpose: 'Continuing care',
      categories: ['demographics'],
      from: '2026-06-01',
      to: '2026-01-01',
      format: 'pdf',
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json<{ errors?: { path: string }[] }>().errors?.map((e) => e.path)).toEqual(['to']);
    expect(await count('disclosures', hidden.id)).toBe(before);
  });
});

describe('hand-over acknowledgement', () => {
  it('is a write: a read-only API token is refused (audited), the session succeeds', async () => {
    const client = await newClient(clinician, { legalFirstName: 'Handa', legalLastName: 'Overton' });
    const version = (
      await db.query<{ version: number }>('SELECT version FROM clients WHERE id = $1', [client.id])
    ).rows[0]?.version;
    const made = await clinician.post(
      `/api/v1/clients/${client.id}/handovers`,
      { toClinicianId: p.users.otherClinician.id },
      { 'if-match': `"${version}"` },
    );
    expect(made.statusCode, made.body).toBe(201);
    const handoverId = made.json<{ id: string }>().id;

    const minted = await other.post('/api/v1/me/tokens', { name: 'read script', scope: 'read' });
    expect(minted.statusCode, minted.body).toBe(201);
    const bot = tokenAgent(t.app, minted.json<{ secret: string }>().secret);
    // The token may read the hand-over...
    expect((await bot.get(`/api/v1/handovers/${handoverId}`)).statusCode).toBe(200);
    // ...but not acknowledge it.
    const refused = await bot.post(`/api/v1/handovers/${handoverId}/acknowledge`, {});
    expect(refused.statusCode, refused.body).toBe(403);
    expect((await auditRowsOf(db, refused.headers['x-request-id'])).map((r) => r.outcome)).toEqual([
      'denied',
    ]);
    const after = await db.query<{ at: Date | null }>(
      'SELECT acknowledged_at AS at FROM handovers WHERE id = $1',
      [handoverId],
    );
    expect(after.rows[0]?.at).toBeNull();

    const ok = await other.post(`/api/v1/handovers/${handoverId}/acknowledge`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ acknowledgedAt: string | null }>().acknowledgedAt).not.toBeNull();
  });
});

describe('the consents a release carries', () => {
  it('are only the authorization behind it: no other recipient, no psychotherapy-note authorization', async () => {
    const client = await newClient(clinician, { legalFirstName: 'Rhea', legalLastName: 'Leese' });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date());
    const consent = async (body: Record<string, unknown>) => {
      const res = await clinician.post(`/api/v1/clients/${client.id}/consents`, {
        signedOn: today,
        expiresOn: '2099-12-31',
        signer: 'client',
        signerName: 'Rhea Leese',
        signatureMethod: 'typed',
        ...body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const forPcp = await consent({
      kind: 'release_of_information',
      categories: ['demographics', 'diagnoses'],
      recipient: RECIPIENT,
      purpose: 'Coordination of care',
    });
    await consent({
      kind: 'release_of_information',
      categories: ['demographics', 'progress_notes'],
      recipient: { type: 'person', name: 'Vesper Quillfeather, Esq.', contact: '9 Court St' },
      purpose: 'Custody proceedings zircon',
    });
    await consent({
      kind: 'psychotherapy_note_authorization',
      categories: ['psychotherapy_notes'],
      recipient: { type: 'organization', name: 'Obsidian Review Board', contact: 'fax 555-0199' },
      purpose: 'Independent review',
    });

    for (const format of ['pdf', 'fhir'] as const) {
      const res = await clinician.post(`/api/v1/clients/${client.id}/releases`, {
        authorizationId: forPcp,
        categories: ['demographics', 'diagnoses'],
        format,
      });
      expect(res.statusCode, res.body).toBe(200);
      if (format === 'pdf') {
        const text = pdfText(res.rawPayload);
        expect(text).not.toContain('Quillfeather');
        expect(text).not.toContain('Obsidian');
        continue;
      }
      expect(res.body).not.toContain('Quillfeather');
      expect(res.body).not.toContain('zircon');
      expect(res.body).not.toContain('Obsidian');
      expect(res.body).not.toContain('psychotherapy_note_authorization');
      const bundle = JSON.parse(res.body) as { entry: { resource: { resourceType: string; id?: string } }[] };
      const consents = bundle.entry.filter((e) => e.resource.resourceType === 'Consent');
      expect(consents).toHaveLength(1);
      expect(res.body).toContain(RECIPIENT.name);
    }
  });
});

describe('FHIR import of a document with a date that is not a real date', () => {
  it('imports the document without that date, never a 500', async () => {
    const release = await clinician.post(`/api/v1/clients/${hidden.id}/releases`, {
      legalBasis: 'treatment',
      recipient: RECIPIENT,
      purpose: 'Continuing care',
      categories: ['demographics'],
      format: 'fhir',
    });
    const base = JSON.parse(release.body) as { entry: unknown[] };
    const doc = (ext: Record<string, unknown>[], date?: string) => ({
      resourceType: 'DocumentReference',
      id: 'doc-1',
      status: 'current',
      ...(date ? { date } : {}),
      extension: ext,
      content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('hello').toString('base64') } }],
    });
    const dos = (v: string) => [
      { url: 'https://fhir.casebook.dev/StructureDefinition/date-of-service', valueDate: v },
    ];
    for (const resource of [
      doc(dos('not-a-date')),
      doc(dos('2026-02-30')),
      doc([], '2026-13-45T10:00:00Z'),
      doc([], '0000-01-01T10:00:00Z'),
    ]) {
      const bundle = { ...base, entry: [...base.entry, { fullUrl: 'urn:uuid:doc-1', resource }] };
      const res = await clinician.post('/api/v1/imports/fhir', { bundle });
      expect(res.statusCode, res.body).toBe(201);
      const stored = await db.query<{ d: string | null; a: Date | null }>(
        'SELECT service_date::text AS d, authored_at AS a FROM imported_documents WHERE client_id = $1',
        [res.json<{ clientId: string }>().clientId],
      );
      expect(stored.rows).toEqual([{ d: null, a: null }]);
    }
    // A diagnosis whose onset is not a real day keeps the diagnosis, without the onset.
    const condition = {
      resourceType: 'Condition',
      id: 'dx-1',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F41.1' }] },
      onsetDateTime: '2026-13-45',
    };
    const withDx = { ...base, entry: [...base.entry, { fullUrl: 'urn:uuid:dx-1', resource: condition }] };
    const res = await clinician.post('/api/v1/imports/fhir', { bundle: withDx });
    expect(res.statusCode, res.body).toBe(201);
    const dx = await db.query<{ code: string; onset: string | null }>(
      'SELECT code, onset_date::text AS onset FROM client_diagnoses WHERE client_id = $1',
      [res.json<{ clientId: string }>().clientId],
    );
    expect(dx.rows).toEqual([{ code: 'F41.1', onset: null }]);
  });
});

describe('the Part 2 flag', () => {
  it('is shown to the care team, never to the front desk', async () => {
    const client = await newClient(clinician, { legalFirstName: 'Sol', legalLastName: 'Partridge' });
    const cur = await clinician.get(`/api/v1/clients/${client.id}/consents`);
    const flag = await clinician.put(
      `/api/v1/clients/${client.id}/part2`,
      { holdsPart2Records: true },
      { 'if-match': `"${cur.json<{ clientVersion: number }>().clientVersion}"` },
    );
    expect(flag.statusCode, flag.body).toBe(200);
    const care = await clinician.get(`/api/v1/clients/${client.id}/consents`);
    expect(care.json<{ holdsPart2Records: boolean }>().holdsPart2Records).toBe(true);
    const front = await staff.scheduler.get(`/api/v1/clients/${client.id}/consents`);
    expect(front.statusCode, front.body).toBe(200);
    expect(front.json<{ holdsPart2Records: boolean }>().holdsPart2Records).toBe(false);
  });
});

const chicagoDay = (daysAgo = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(
    new Date(Date.now() - daysAgo * 86_400_000),
  );

async function signConsent(
  clientId: string,
  body: Record<string, unknown>,
): Promise<{ id: string; version: number }> {
  const res = await clinician.post(`/api/v1/clients/${clientId}/consents`, {
    signedOn: chicagoDay(),
    expiresOn: '2099-12-31',
    signer: 'client',
    signerName: 'Test Signer',
    signatureMethod: 'typed',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; version: number }>();
}

async function disclosureRows(clientId: string) {
  const r = await clinician.get(`/api/v1/clients/${clientId}/disclosures`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{ items: { purpose: string; basis: string; consentId: string | null }[] }>().items;
}

describe('the purpose of a release under an authorization', () => {
  it("is the authorization's own purpose: a purpose in the request is ignored", async () => {
    const client = await newClient(clinician, { legalFirstName: 'Perpetua', legalLastName: 'Ames' });
    const roi = await signConsent(client.id, {
      kind: 'release_of_information',
      categories: ['demographics'],
      recipient: RECIPIENT,
      purpose: 'Coordination of care',
    });
    const res = await clinician.post(`/api/v1/clients/${client.id}/releases`, {
      authorizationId: roi.id,
      categories: ['demographics'],
      purpose: 'Marketing campaign garnet',
      format: 'pdf',
    });
    expect(res.statusCode, res.body).toBe(200);
    const outside = await clinician.post(`/api/v1/clients/${client.id}/disclosures`, {
      authorizationId: roi.id,
      categories: ['demographics'],
      purpose: 'Sold to a data broker garnet',
      on: chicagoDay(),
      format: 'fax',
      description: 'Face sheet by fax',
    });
    expect(outside.statusCode, outside.body).toBe(201);
    expect(outside.json<{ purpose: string }>().purpose).toBe('Coordination of care');
    const rows = await disclosureRows(client.id);
    expect(rows.map((r) => r.purpose)).toEqual(['Coordination of care', 'Coordination of care']);
  });
});

describe("the individual's own request as a release basis", () => {
  it('is refused (422, pointing to Record requests) on both release routes, nothing written', async () => {
    const client = await newClient(clinician, { legalFirstName: 'Idris', legalLastName: 'Vantongeren' });
    const base = {
      legalBasis: 'individual_request',
      recipient: { type: 'person', name: 'Someone Else Entirely', contact: 'anywhere' },
      purpose: 'At the request of the individual',
      categories: ['demographics', 'diagnoses'],
    };
    for (const [url, body] of [
      [`/api/v1/clients/${client.id}/releases`, { ...base, format: 'pdf' }],
      [
        `/api/v1/clients/${client.id}/disclosures`,
        { ...base, on: chicagoDay(), format: 'paper', description: 'Printed chart' },
      ],
    ] as const) {
      const res = await clinician.post(url, body);
      expect(res.statusCode, res.body).toBe(422);
      const reasons = res.json<{ reasons: { code: string; message: string }[] }>().reasons;
      expect(reasons.map((r) => r.code)).toEqual(['individual_request_not_a_release']);
      expect(reasons[0]?.message).toContain('Record requests');
      expect((await auditRowsOf(db, res.headers['x-request-id'])).map((r) => r.outcome)).toEqual(['denied']);
    }
    expect(await count('disclosures', client.id)).toBe(0);
  });
});

describe("the client's copy of a Part 2 record", () => {
  it('is logged as a Part 2 disclosure', async () => {
    const client = await newClient(clinician, { legalFirstName: 'Tamsin', legalLastName: 'Partwell' });
    const cur = await clinician.get(`/api/v1/clients/${client.id}/consents`);
    const flag = await clinician.put(
      `/api/v1/clients/${client.id}/part2`,
      { holdsPart2Records: true },
      { 'if-match': `"${cur.json<{ clientVersion: number }>().clientVersion}"` },
    );
    expect(flag.statusCode, flag.body).toBe(200);
    const req = await clinician.post(`/api/v1/clients/${client.id}/record-requests`, {
      receivedOn: chicagoDay(),
      receivedVia: 'mail',
      format: 'pdf',
      delivery: 'download',
      requester: 'client',
    });
    expect(req.statusCode, req.body).toBe(201);
    const copy = await clinician.post(`/api/v1/record-requests/${req.json<{ id: string }>().id}/copy`, {
      format: 'pdf',
    });
    expect(copy.statusCode, copy.body).toBe(200);
    const logged = await db.query<{ basis: string; part2: boolean }>(
      'SELECT basis, part2 FROM disclosures WHERE client_id = $1',
      [client.id],
    );
    expect(logged.rows).toEqual([{ basis: 'individual_request', part2: true }]);
  });
});

describe('a revocation date', () => {
  it('cannot precede a release already made under the consent (422 on revokedOn)', async () => {
    const client = await newClient(clinician, { legalFirstName: 'Rowena', legalLastName: 'Backdate' });
    const roi = await signConsent(client.id, {
      signedOn: chicagoDay(30),
      kind: 'release_of_information',
      categories: ['demographics'],
      recipient: RECIPIENT,
      purpose: 'Coordination of care',
    });
    const made = await clinician.post(`/api/v1/clients/${client.id}/disclosures`, {
      authorizationId: roi.id,
      categories: ['demographics'],
      on: chicagoDay(10),
      format: 'fax',
      description: 'Face sheet by fax',
    });
    expect(made.statusCode, made.body).toBe(201);
    const revoke = (revokedOn: string) =>
      clinician.post(`/api/v1/consents/${roi.id}/revoke`, { revokedOn }, { 'if-match': `"${roi.version}"` });
    const early = await revoke(chicagoDay(20));
    expect(early.statusCode, early.body).toBe(422);
    const errors = early.json<{ errors?: { path: string; message: string }[] }>().errors ?? [];
    expect(errors.map((e) => e.path)).toEqual(['revokedOn']);
    expect(errors[0]?.message).toContain(chicagoDay(10));
    const still = await db.query<{ revoked_on: string | null }>(
      'SELECT revoked_on::text FROM consents WHERE id = $1',
      [roi.id],
    );
    expect(still.rows).toEqual([{ revoked_on: null }]);
    const ok = await revoke(chicagoDay(10));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ status: string }>().status).toBe('revoked');
  });
});

describe('a release of psychotherapy notes', () => {
  it('is refused to a clinician with no notes of their own about the client, allowed once they have some', async () => {
    const client = await newClient(clinician, { legalFirstName: 'Pell', legalLastName: 'Notewright' });
    const pna = await signConsent(client.id, {
      kind: 'psychotherapy_note_authorization',
      categories: ['psychotherapy_notes'],
      recipient: { type: 'organization', name: 'Independent Review Co', contact: 'fax 555-0123' },
      purpose: 'Independent review',
    });
    const release = () =>
      clinician.post(`/api/v1/clients/${client.id}/releases`, {
        authorizationId: pna.id,
        categories: ['psychotherapy_notes'],
        format: 'fhir',
      });
    const refused = await release();
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json<{ reasons: { code: string }[] }>().reasons.map((r) => r.code)).toEqual([
      'psychotherapy_notes_not_author',
    ]);
    expect((await auditRowsOf(db, refused.headers['x-request-id'])).map((r) => r.outcome)).toEqual([
      'denied',
    ]);
    expect(await count('disclosures', client.id)).toBe(0);

    const pn = await clinician.post('/api/v1/psychotherapy-notes', {
      clientId: client.id,
      dateOfService: chicagoDay(),
      content: { processNote: 'Process note lapis' },
    });
    expect(pn.statusCode, pn.body).toBe(201);
    const ok = await release();
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await count('disclosures', client.id)).toBe(1);
  });
});
