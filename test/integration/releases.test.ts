/**
 * Consents, releases and the disclosure log (issue 5 §1–§3): every refusal of the release gate is a
 * 422 with machine-readable reasons, audited as denied, with nothing else written; a PDF and a FHIR
 * release each log one disclosure in the same transaction as the read; consents cannot be edited or
 * deleted; scans are encrypted at rest; the front desk, billing and auditors get exactly their share.
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
import { loginStaff } from '../support/staffAgents.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import { newClient } from '../support/clinical.js';
import { pdfText } from '../support/pdfText.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let staff: Awaited<ReturnType<typeof loginStaff>>;
let clinician: Agent;
let clientId: string;
let part2ClientId: string;

const TZ = 'America/Chicago';
const DAY = 86_400_000;
const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(at);
const daysFromNow = (n: number) => localDate(new Date(Date.now() + n * DAY));
const today = daysFromNow(0);
const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const PCP = {
  type: 'organization',
  name: 'Lakeside Family Medicine',
  contact: '12 Elm St, Springfield; fax 555-0100',
};
const roi = (over: Record<string, unknown> = {}) => ({
  kind: 'release_of_information',
  categories: ['demographics', 'diagnoses', 'progress_notes'],
  recipient: PCP,
  purpose: 'Coordination of care with primary care physician',
  signedOn: today,
  expiresOn: daysFromNow(365),
  signer: 'client',
  signerName: 'Jordan Rivera',
  signatureMethod: 'typed',
  ...over,
});

async function record(agent: Agent, id: string, body: Record<string, unknown>) {
  const res = await agent.post(`/api/v1/clients/${id}/consents`, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; version: number; status: string }>();
}

async function disclosureCount(id: string): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM disclosures WHERE client_id = $1', [
    id,
  ]);
  return r.rows[0]?.n ?? -1;
}

let active: string;
let expired: string;
let revoked: string;
let pnAuth: string;
let treatment: string;

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  staff = await loginStaff(t.app, p);
  clinician = staff.clinician;
  clientId = (await newClient(clinician)).id;
  part2ClientId = (await newClient(clinician, { legalFirstName: 'Casey', legalLastName: 'Partwo' })).id;
  active = (await record(clinician, clientId, roi())).id;
  expired = (
    await record(clinician, clientId, roi({ signedOn: daysFromNow(-400), expiresOn: daysFromNow(-1) }))
  ).id;
  const toRevoke = await record(clinician, clientId, roi({ signedOn: daysFromNow(-30) }));
  const rev = await clinician.post(
    `/api/v1/consents/${toRevoke.id}/revoke`,
    { revokedOn: today, note: 'Client called to withdraw' },
    { 'if-match': `"${toRevoke.version}"` },
  );
  expect(rev.statusCode, rev.body).toBe(200);
  expect(rev.json<{ status: string }>().status).toBe('revoked');
  revoked = toRevoke.id;
  pnAuth = (
    await record(clinician, clientId, {
      ...roi({ kind: 'psychotherapy_note_authorization', categories: ['psychotherapy_notes'] }),
      signatureMethod: 'drawn',
      signaturePng: PNG_1X1,
    })
  ).id;
  treatment = (
    await record(staff.scheduler, clientId, {
      kind: 'treatment',
      signedOn: today,
      signer: 'guardian',
      signerName: 'Pat Rivera',
      signerRelationship: 'Parent',
      signatureMethod: 'typed',
    })
  ).id;
});

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('recording consents', () => {
  it('lists each consent with its status; free text is ciphertext at rest', async () => {
    const res = await clinician.get(`/api/v1/clients/${clientId}/consents`);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<{
      items: { id: string; status: string; recipient: unknown }[];
      can: { release: boolean };
    }>();
    const status = Object.fromEntries(list.items.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({
      [active]: 'active',
      [expired]: 'expired',
      [revoked]: 'revoked',
      [treatment]: 'active',
    });
    expect(list.items.find((c) => c.id === active)?.recipient).toEqual(PCP);
    expect(list.can.release).toBe(true);
    const raw = await db.query<{ r: Buffer; p: Buffer; s: Buffer }>(
      'SELECT recipient_enc AS r, purpose_enc AS p, signer_name_enc AS s FROM consents WHERE id = $1',
      [active],
    );
    const bytes = Buffer.concat([
      raw.rows[0]?.r ?? Buffer.alloc(0),
      raw.rows[0]?.p ?? Buffer.alloc(0),
      raw.rows[0]?.s ?? Buffer.alloc(0),
    ]);
    expect(bytes.length).toBeGreaterThan(40);
    for (const plain of ['Lakeside', 'Coordination', 'Jordan'])
      expect(bytes.includes(Buffer.from(plain))).toBe(false);
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.category, a.outcome])).toEqual([
      ['consent.list', 'consent', 'success'],
    ]);
  });

  it('refuses a release of information without recipient, purpose or expiry, naming each field', async () => {
    const before = await db.query('SELECT count(*)::int AS n FROM consents WHERE client_id = $1', [clientId]);
    const res = await clinician.post(`/api/v1/clients/${clientId}/consents`, {
      ...roi({
        recipient: undefined,
        purpose: undefined,
        expiresOn: undefined,
        categories: ['psychotherapy_notes'],
      }),
    });
    expect(res.statusCode, res.body).toBe(422);
    const paths = res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['recipient.name', 'purpose', 'expiresOn', 'categories']));
    const after = await db.query('SELECT count(*)::int AS n FROM consents WHERE client_id = $1', [clientId]);
    expect(after.rows).toEqual(before.rows);
  });

  it('a recorded consent can be neither edited nor deleted, even at the SQL prompt; revoking twice is refused', async () => {
    await expect(
      db.query("UPDATE consents SET expires_on = '2099-01-01' WHERE id = $1", [active]),
    ).rejects.toThrow(/changes only by revocation/);
    await expect(db.query('DELETE FROM consents WHERE id = $1', [active])).rejects.toThrow(/never deleted/);
    await expect(
      db.query("UPDATE consents SET revoked_on = '2001-01-01' WHERE id = $1", [revoked]),
    ).rejects.toThrow(/revoked and cannot change/);
    const again = await clinician.post(
      `/api/v1/consents/${revoked}/revoke`,
      { revokedOn: today },
      { 'if-match': '"2"' },
    );
    expect(again.statusCode).toBe(412);
  });

  it('the front desk records consents to care but not releases, and does not see releases', async () => {
    const res = await staff.scheduler.post(`/api/v1/clients/${clientId}/consents`, roi());
    expect(res.statusCode).toBe(403);
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([['consent.create', 'denied']]);
    const list = await staff.scheduler.get(`/api/v1/clients/${clientId}/consents`);
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: { kind: string }[] }>().items.map((c) => c.kind)).toEqual(['treatment']);
    expect((await staff.scheduler.get(`/api/v1/consents/${active}/form.pdf`)).statusCode).toBe(404);
    expect((await staff.biller.get(`/api/v1/clients/${clientId}/consents`)).statusCode).toBe(403);
    expect(
      (await staff.biller.post(`/api/v1/clients/${clientId}/consents`, roi({ kind: 'treatment' })))
        .statusCode,
    ).toBe(403);
  });

  it('prints the authorization with the 164.508 core elements', async () => {
    const res = await clinician.get(`/api/v1/consents/${active}/form.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.rawPayload);
    for (const s of [
      'Authorization to release health information',
      'Lakeside Family Medicine',
      'Coordination of care',
      'revoke',
      'redisclosed',
      `expires on ${daysFromNow(365)}`,
    ])
      expect(text).toContain(s);
    expect((await auditRowsOf(db, res.headers['x-request-id'])).map((a) => a.action)).toEqual([
      'consent.print',
    ]);
  });
});

describe('the release gate refuses, audits and writes nothing else', () => {
  const cases: [string, () => Record<string, unknown>, string[]][] = [
    ['expired', () => ({ authorizationId: expired, categories: ['demographics'] }), ['expired']],
    [
      'revoked (from the revocation day)',
      () => ({ authorizationId: revoked, categories: ['demographics'] }),
      ['revoked'],
    ],
    [
      'not covered',
      () => ({ authorizationId: active, categories: ['demographics', 'billing'] }),
      ['category_not_covered'],
    ],
    [
      'psychotherapy notes under an ordinary release',
      () => ({ authorizationId: active, categories: ['psychotherapy_notes'] }),
      ['psychotherapy_notes_need_own_authorization'],
    ],
    [
      'a psychotherapy-note authorization for other categories',
      () => ({ authorizationId: pnAuth, categories: ['psychotherapy_notes', 'progress_notes'] }),
      ['psychotherapy_note_authorization_only'],
    ],
    [
      'a treatment consent',
      () => ({ authorizationId: treatment, categories: ['demographics'] }),
      ['not_a_release'],
    ],
  ];
  for (const [name, body, codes] of cases)
    it(`refuses ${name}`, async () => {
      const before = await disclosureCount(clientId);
      const res = await clinician.post(`/api/v1/clients/${clientId}/releases`, { ...body(), format: 'pdf' });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json<{ reasons: { code: string; message: string }[]; detail: string }>();
      expect(problem.reasons.map((r) => r.code)).toEqual(codes);
      expect(problem.reasons[0]?.message.length).toBeGreaterThan(10);
      expect(await disclosureCount(clientId)).toBe(before);
      const audit = await auditRowsOf(db, res.headers['x-request-id']);
      expect(audit.map((a) => [a.action, a.category, a.outcome, a.details.reasons])).toEqual([
        ['release.refused', 'disclosure', 'denied', codes.join(',')],
      ]);
    });

  it('refuses a Part 2 record without a Part 2 consent, allows it with one and carries the notice', async () => {
    const cur = await clinician.get(`/api/v1/clients/${part2ClientId}/consents`);
    const flag = await clinician.put(
      `/api/v1/clients/${part2ClientId}/part2`,
      { holdsPart2Records: true },
      { 'if-match': `"${cur.json<{ clientVersion: number }>().clientVersion}"` },
    );
    expect(flag.statusCode, flag.body).toBe(200);
    const plain = await record(clinician, part2ClientId, roi());
    const part2 = await record(clinician, part2ClientId, roi({ part2: true }));
    const before = await disclosureCount(part2ClientId);
    for (const body of [
      { authorizationId: plain.id, categories: ['demographics'], format: 'pdf' },
      {
        legalBasis: 'treatment',
        recipient: PCP,
        purpose: 'Referral',
        categories: ['demographics'],
        format: 'pdf',
      },
    ]) {
      const res = await clinician.post(`/api/v1/clients/${part2ClientId}/releases`, body);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json<{ reasons: { code: string }[] }>().reasons.map((r) => r.code)).toEqual([
        'part2_consent_required',
      ]);
    }
    expect(await disclosureCount(part2ClientId)).toBe(before);
    const ok = await clinician.post(`/api/v1/clients/${part2ClientId}/releases`, {
      authorizationId: part2.id,
      categories: ['demographics'],
      format: 'pdf',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(pdfText(ok.rawPayload).replace(/\s+/g, ' ')).toContain('42 CFR part 2');
    const row = await db.query('SELECT part2, accountable, basis FROM disclosures WHERE id = $1', [
      ok.headers['casebook-disclosure-id'],
    ]);
    expect(row.rows).toEqual([{ part2: true, accountable: false, basis: 'authorization' }]);
  });
});

describe('releases and the disclosure log', () => {
  it('a PDF and a FHIR release each log one disclosure in the same transaction as the read', async () => {
    const before = await disclosureCount(clientId);
    const pdf = await clinician.post(`/api/v1/clients/${clientId}/releases`, {
      authorizationId: active,
      categories: ['demographics', 'diagnoses'],
      format: 'pdf',
    });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="records-.*\.pdf"$/);
    const fhir = await clinician.post(`/api/v1/clients/${clientId}/releases`, {
      authorizationId: active,
      categories: ['progress_notes'],
      format: 'fhir',
    });
    expect(fhir.statusCode, fhir.body).toBe(200);
    expect(fhir.headers['content-type']).toContain('application/fhir+json');
    expect(fhir.json<{ resourceType: string }>().resourceType).toBe('Bundle');
    expect(await disclosureCount(clientId)).toBe(before + 2);
    for (const [res, format] of [
      [pdf, 'pdf'],
      [fhir, 'fhir'],
    ] as const) {
      const id = res.headers['casebook-disclosure-id'];
      const audit = await auditRowsOf(db, res.headers['x-request-id']);
      expect(audit.map((a) => [a.action, a.category, a.entity_id])).toEqual([
        ['disclosure.record', 'disclosure', id],
        ['chart_export.release', 'chart_export', id],
      ]);
      expect(audit[1]?.details.format).toBe(format);
    }
    const log = await clinician.get(`/api/v1/clients/${clientId}/disclosures`);
    expect(log.statusCode, log.body).toBe(200);
    const items = log.json<{
      items: {
        id: string;
        recipient: unknown;
        basis: string;
        accountable: boolean;
        format: string;
        consentId: string;
        categories: string[];
        contentSha256: string;
      }[];
    }>().items;
    const byId = new Map(items.map((d) => [d.id, d]));
    expect(byId.get(String(pdf.headers['casebook-disclosure-id']))).toMatchObject({
      recipient: PCP,
      basis: 'authorization',
      accountable: false,
      format: 'pdf',
      consentId: active,
      categories: ['demographics', 'diagnoses'],
    });
    expect(byId.get(String(fhir.headers['casebook-disclosure-id']))?.format).toBe('fhir');
    // The log is append-only, whoever holds the SQL prompt.
    await expect(db.query('DELETE FROM disclosures WHERE client_id = $1', [clientId])).rejects.toThrow(
      /append-only/,
    );
    await expect(
      db.query("UPDATE disclosures SET basis = 'treatment' WHERE client_id = $1", [clientId]),
    ).rejects.toThrow(/append-only/);
  });

  it('the front desk and billing cannot release or read the log; the auditor reads the log and accounting', async () => {
    const before = await disclosureCount(clientId);
    for (const agent of [staff.scheduler, staff.biller, staff.auditor, staff.otherClinician]) {
      const res = await agent.post(`/api/v1/clients/${clientId}/releases`, {
        authorizationId: active,
        categories: ['demographics'],
        format: 'pdf',
      });
      expect(res.statusCode).toBe(403);
      expect((await auditRowsOf(db, res.headers['x-request-id'])).map((a) => a.outcome)).toEqual(['denied']);
    }
    expect(await disclosureCount(clientId)).toBe(before);
    expect((await staff.biller.get(`/api/v1/clients/${clientId}/disclosures`)).statusCode).toBe(403);
    expect(
      (await staff.scheduler.get(`/api/v1/clients/${clientId}/accounting-of-disclosures.csv`)).statusCode,
    ).toBe(403);
    expect((await staff.auditor.get(`/api/v1/clients/${clientId}/disclosures`)).statusCode).toBe(200);
    expect((await staff.auditor.get(`/api/v1/clients/${clientId}/consents`)).statusCode).toBe(403);
    const acc = await staff.auditor.get(`/api/v1/clients/${clientId}/accounting-of-disclosures.csv`);
    expect(acc.statusCode, acc.body).toBe(200);
  });
});

describe('the accounting of disclosures', () => {
  const court = {
    legalBasis: 'court_order',
    recipient: { type: 'organization', name: 'County Family Court', contact: '1 Court Sq' },
  };
  it('records releases made outside Casebook, gated like any release', async () => {
    const before = await disclosureCount(clientId);
    const refused = await clinician.post(`/api/v1/clients/${clientId}/disclosures`, {
      authorizationId: expired,
      on: today,
      categories: ['demographics'],
      format: 'paper',
      description: 'Intake form copy',
    });
    expect(refused.statusCode).toBe(422);
    expect(await disclosureCount(clientId)).toBe(before);
    for (const [on, purpose] of [
      [daysFromNow(-5 * 365), 'Custody evaluation (subpoena 5 years ago)'],
      [daysFromNow(-7 * 365), 'Old subpoena outside the window'],
      [daysFromNow(-10), 'Custody hearing'],
    ])
      expect(
        (
          await clinician.post(`/api/v1/clients/${clientId}/disclosures`, {
            ...court,
            on,
            purpose,
            categories: ['diagnoses', 'progress_notes'],
            format: 'paper',
            description: 'Diagnoses and session summaries',
          })
        ).statusCode,
      ).toBe(201);
    expect(await disclosureCount(clientId)).toBe(before + 3);
  });

  it('lists the accountable disclosures of the last six years as CSV, leaving out authorizations', async () => {
    const res = await clinician.get(`/api/v1/clients/${clientId}/accounting-of-disclosures.csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'Date,Recipient,Recipient address or contact,Description,Categories,Purpose,Basis,Format,Released by,Disclosure id',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(daysFromNow(-5 * 365));
    expect(lines[1]).toContain('County Family Court');
    expect(lines[1]).toContain('Court order');
    expect(lines[2]).toContain('Custody hearing');
    expect(res.body).not.toContain('Lakeside');
    expect(res.body).not.toContain('outside the window');
    // A shorter period on request.
    const short = await clinician.get(
      `/api/v1/clients/${clientId}/accounting-of-disclosures.csv?from=${daysFromNow(-30)}&to=${today}`,
    );
    expect(short.body.trim().split('\r\n')).toHaveLength(2);
    // Longer than six years, or ending in the future: 422.
    expect(
      (
        await clinician.get(
          `/api/v1/clients/${clientId}/accounting-of-disclosures.csv?from=${daysFromNow(-7 * 365)}`,
        )
      ).statusCode,
    ).toBe(422);
    expect(
      (await clinician.get(`/api/v1/clients/${clientId}/accounting-of-disclosures.csv?to=${daysFromNow(2)}`))
        .statusCode,
    ).toBe(422);
  });

  it('prints the accounting as a PDF with header, client, period and page numbers', async () => {
    const res = await staff.auditor.get(`/api/v1/clients/${clientId}/accounting-of-disclosures.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    const text = pdfText(res.rawPayload);
    for (const s of [
      'Accounting of disclosures',
      'Jordan Rivera',
      'County Family Court',
      'Custody hearing',
      'page 1 of 1',
      `to ${today}`,
    ])
      expect(text).toContain(s);
    expect(text).not.toContain('Lakeside');
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.outcome, a.details.count])).toEqual([
      ['disclosure.accounting', 'success', 2],
    ]);
  });
});

describe('signed scans', () => {
  it('stores a scan encrypted with the client key and gives it back; refuses a file that is not what it claims', async () => {
    const marker = 'SIGNED-BY-JORDAN-RIVERA';
    const png = Buffer.concat([Buffer.from(PNG_1X1, 'base64'), Buffer.from(marker)]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/consents/${active}/scans`,
      headers: { cookie: clinician.cookie, 'x-csrf-token': clinician.csrf, 'content-type': 'image/png' },
      payload: png,
    });
    expect(res.statusCode, res.body).toBe(201);
    const scan = res.json<{ id: string; byteSize: number }>();
    expect(scan.byteSize).toBe(png.length);
    const raw = await db.query<{ c: Buffer }>('SELECT content_enc AS c FROM consent_scans WHERE id = $1', [
      scan.id,
    ]);
    expect(raw.rows[0]?.c.includes(Buffer.from(marker))).toBe(false);
    expect(raw.rows[0]?.c.includes(Buffer.from(PNG_1X1, 'base64').subarray(0, 8))).toBe(false);
    const down = await clinician.get(`/api/v1/consents/${active}/scans/${scan.id}`);
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('image/png');
    expect(down.rawPayload.equals(png)).toBe(true);
    expect((await auditRowsOf(db, down.headers['x-request-id'])).map((a) => a.action)).toEqual([
      'consent.scan_download',
    ]);
    const fake = await t.app.inject({
      method: 'POST',
      url: `/api/v1/consents/${active}/scans`,
      headers: {
        cookie: clinician.cookie,
        'x-csrf-token': clinician.csrf,
        'content-type': 'application/pdf',
      },
      payload: Buffer.from('MZ not a pdf at all'),
    });
    expect(fake.statusCode).toBe(422);
    const count = await db.query('SELECT count(*)::int AS n FROM consent_scans WHERE consent_id = $1', [
      active,
    ]);
    expect(count.rows).toEqual([{ n: 1 }]);
    expect((await staff.biller.get(`/api/v1/consents/${active}/scans/${scan.id}`)).statusCode).toBe(403);
  });
});
