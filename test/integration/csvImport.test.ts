/**
 * Client lists from CSV: the guessed mapping, problems per row and field in the preview, the
 * all-or-nothing import (one bad row among fifty writes nothing), the audit it leaves, and
 * the roles that may not import.
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
import { auditRowsOf, countRows, openTableOwner } from '../support/tableOwner.js';
import { newClient } from '../support/clinical.js';
import type { ClientImportPreview, ClientImportResult } from '../../src/services/clientImportService.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let admin: Agent;
let scheduler: Agent;

const TABLES = ['clients', 'client_keys', 'care_team_members', 'imports'] as const;

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  admin = await login(t.app, p.users.admin.email);
  scheduler = await login(t.app, p.users.scheduler.email);
});

afterAll(async () => {
  await db.end();
  await t.close();
});

const HEADER = '\uFEFF"First Name",Last_Name,DOB,Sex,Cell,E-mail,Street,City,State,Zip,Therapist,Status\r\n';

function lines(n: number, prefix: string): string {
  return Array.from(
    { length: n },
    (_, i) =>
      `${prefix}${i},"Tester, Jr",${String((i % 12) + 1).padStart(2, '0')}/15/1980,F,555-010-${String(1000 + i)},` +
      `t${prefix}${i}@example.test,${i} Main St,Springfield,IL,62701,${p.users.clinician.email},active\r\n`,
  ).join('');
}

describe('preview', () => {
  it('guesses the mapping from header names and reports problems per row and field', async () => {
    await newClient(admin, {
      legalFirstName: 'Existing',
      legalLastName: 'Person',
      dateOfBirth: '1975-03-03',
    });
    const csv =
      HEADER +
      `Ann,Able,1980-02-30,F,,,,,,,${p.users.clinician.email},\r\n` + // row 2: no such date
      `,Baker,01/02/1990,m,,,,,,,,\r\n` + // row 3: missing first name
      `Cy,Cole,1985-05-05,x,,,,,,,nobody@example.test,\r\n` + // row 4: bad sex, unknown clinician
      `Dee,Dale,1970-01-01,,,not-an-email,,,,,,paused\r\n` + // row 5: bad email, bad status
      `Dee,Dale,1970-01-01,,,,,,,,,\r\n` + // row 6: duplicate of row 5
      `existing, PERSON ,03/03/1975,,,,,,,,,\r\n` + // row 7: likely an existing client
      `Eve,Edge,1999-09-09,female,555-010-2000,eve@example.test,"1 Elm St, Apt 2",Springfield,IL,62701,${p.users.clinician.email},inactive\r\n`;
    const before = await countRows(db, p.practiceId, TABLES);
    const res = await admin.post('/api/v1/imports/clients/preview', { csv });
    expect(res.statusCode, res.body).toBe(200);
    const pv = res.json<ClientImportPreview>();
    expect(pv.headers[0]).toBe('First Name');
    expect(pv.mapping).toEqual([
      'legalFirstName',
      'legalLastName',
      'dateOfBirth',
      'sex',
      'mobilePhone',
      'email',
      'addressLine1',
      'city',
      'state',
      'postalCode',
      'primaryClinicianEmail',
      'status',
    ]);
    expect(pv.mappingErrors).toEqual([]);
    expect(pv.rowCount).toBe(7);
    expect(pv.errorRowCount).toBe(6);
    const at = (row: number) => pv.errors.filter((e) => e.row === row).map((e) => [e.field, e.message]);
    expect(at(2)).toEqual([['dateOfBirth', expect.stringContaining('real date')]]);
    expect(at(3)).toEqual([['legalFirstName', 'Enter the legal first name']]);
    expect(at(4).map(([f]) => f)).toEqual(['sex', 'primaryClinicianEmail']);
    expect(
      at(5)
        .map(([f]) => f)
        .sort(),
    ).toEqual(['email', 'status']);
    expect(at(6)).toEqual([[null, 'Same name and date of birth as row 5']]);
    // This practice keeps clients from admins: the admin is warned without the record's code...
    expect(at(7)).toEqual([[null, expect.stringMatching(/^Likely a client already in this practice/)]]);
    // ...while the front desk, who sees every client's demographics, is told which record it is.
    const front = await scheduler.post('/api/v1/imports/clients/preview', { csv });
    expect(
      front
        .json<ClientImportPreview>()
        .errors.filter((e) => e.row === 7)
        .map((e) => e.message),
    ).toEqual([expect.stringMatching(/^Likely the existing client C-/)]);
    expect(at(8)).toEqual([]);
    expect(pv.rows[1]?.values).toMatchObject({
      legalLastName: 'Baker',
      dateOfBirth: '1990-01-02',
      sex: 'male',
    });
    expect(pv.rows[6]?.values).toMatchObject({ sex: 'female', addressLine1: '1 Elm St, Apt 2' });
    expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.category, a.outcome])).toEqual([
      ['import.clients.preview', 'import', 'success'],
    ]);
    expect(JSON.stringify(audit[0]?.details)).not.toMatch(/Baker|Eve/);
  });

  it('takes a changed mapping and says what is missing or chosen twice', async () => {
    const csv = 'Given,Family,Birth,Other\nAnn,Able,1980-01-01,x\n';
    const guessed = (
      await admin.post('/api/v1/imports/clients/preview', { csv })
    ).json<ClientImportPreview>();
    expect(guessed.mapping).toEqual([null, null, null, null]);
    expect(guessed.mappingErrors.map((e) => e.message)).toEqual([
      'Choose the column that holds Legal first name',
      'Choose the column that holds Legal last name',
      'Choose the column that holds Date of birth',
    ]);
    const twice = await admin.post('/api/v1/imports/clients/preview', {
      csv,
      mapping: ['legalFirstName', 'legalFirstName', 'dateOfBirth', null],
    });
    expect(twice.json<ClientImportPreview>().mappingErrors).toContainEqual({
      path: 'mapping.1',
      message: 'Legal first name is already chosen for another column',
    });
    const fixed = await admin.post('/api/v1/imports/clients/preview', {
      csv,
      mapping: ['legalFirstName', 'legalLastName', 'dateOfBirth', null],
    });
    expect(fixed.json<ClientImportPreview>()).toMatchObject({
      mappingErrors: [],
      errorRowCount: 0,
      rowCount: 1,
    });
  });

  it('refuses unreadable files and bodies with 4xx', async () => {
    const unclosed = await admin.post('/api/v1/imports/clients/preview', { csv: 'a,b\n"unclosed,1\n' });
    expect(unclosed.statusCode).toBe(422);
    expect(unclosed.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('csv');
    expect((await admin.post('/api/v1/imports/clients/preview', { csv: '' })).statusCode).toBe(400);
    expect(
      (await admin.post('/api/v1/imports/clients/preview', { csv: 'a', mapping: ['nope'] })).statusCode,
    ).toBe(400);
  });
});

describe('import', () => {
  it('refuses fifty rows with one bad row: 422 with that row’s problems, no client written', async () => {
    const rows = lines(50, 'Bulk').split('\r\n');
    rows[17] = rows[17]?.replace('/15/1980', '/45/1980') ?? '';
    const csv = HEADER + rows.join('\r\n');
    const before = await countRows(db, p.practiceId, TABLES);
    const res = await admin.post('/api/v1/imports/clients', { csv });
    expect(res.statusCode, res.body).toBe(422);
    const problem = res.json<{
      detail: string;
      errors: { path: string }[];
      rowErrors: { row: number; field: string }[];
    }>();
    expect(problem.detail).toBe('1 row has problems; nothing was imported');
    const message = 'Use a real date as YYYY-MM-DD or MM/DD/YYYY';
    expect(problem.rowErrors).toEqual([{ row: 19, field: 'dateOfBirth', message }]);
    expect(problem.errors).toEqual([{ path: 'rows.19.dateOfBirth', message }]);
    expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    expect(audit.map((a) => [a.action, a.outcome, a.details])).toEqual([
      ['import.clients', 'failure', { errors: 1 }],
    ]);
  });

  it('imports every row when all are clean: clients, care teams, one import row and the create audit', async () => {
    const csv = HEADER + lines(50, 'Good') + `Code,Kept,1990-01-01,,,,,,,,,discharged\r\n`;
    const mapping = [
      ...(await admin.post('/api/v1/imports/clients/preview', { csv })).json<ClientImportPreview>().mapping,
    ];
    const before = await countRows(db, p.practiceId, TABLES);
    const res = await admin.post('/api/v1/imports/clients', { csv, mapping });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json<ClientImportResult>();
    expect(out.created).toBe(51);
    const after = await countRows(db, p.practiceId, TABLES);
    expect(after).toEqual({
      clients: (before.clients ?? 0) + 51,
      client_keys: (before.client_keys ?? 0) + 51,
      care_team_members: (before.care_team_members ?? 0) + 50,
      imports: (before.imports ?? 0) + 1,
    });
    const clinician = await login(t.app, p.users.clinician.email);
    const first = await clinician.get(`/api/v1/clients/${out.clients[0]?.id}`);
    expect(first.json()).toMatchObject({
      legalFirstName: 'Good0',
      legalLastName: 'Tester, Jr',
      dateOfBirth: '1980-01-15',
      sex: 'female',
      phones: [{ kind: 'mobile', number: '555-010-1000' }],
      address: { line1: '0 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
      primaryClinicianId: p.users.clinician.id,
      status: 'active',
    });
    const last = await db.query(
      'SELECT legal_first_name, status, primary_clinician_id FROM clients WHERE id = $1',
      [out.clients[50]?.id],
    );
    expect(last.rows).toEqual([
      { legal_first_name: 'Code', status: 'discharged', primary_clinician_id: null },
    ]);
    const audit = await auditRowsOf(db, res.headers['x-request-id']);
    const creates = audit.filter((a) => a.action === 'client.create');
    expect(creates).toHaveLength(51);
    expect(creates.every((a) => a.details.importId === out.importId && a.category === 'demographics')).toBe(
      true,
    );
    expect(audit.filter((a) => a.action === 'care_team.add')).toHaveLength(50);
    expect(audit.at(-1)).toMatchObject({
      action: 'import.clients',
      category: 'import',
      entity_id: out.importId,
      details: { created: 51, kind: 'csv_clients' },
    });
    // The same file again: every row is now a likely duplicate, and nothing more is written.
    const again = await admin.post('/api/v1/imports/clients', { csv, mapping });
    expect(again.statusCode).toBe(422);
    expect(again.json<{ rowErrors: unknown[] }>().rowErrors).toHaveLength(51);
    expect(await countRows(db, p.practiceId, TABLES)).toEqual(after);
  });

  it('keeps a Casebook client code from the file and refuses one already in use', async () => {
    const csv = 'first,last,dob,client code\nKeep,Code,1990-02-02,C-ABCDEF\nTaken,Code,1990-02-03,C-ABCDEF\n';
    const res = await scheduler.post('/api/v1/imports/clients', { csv });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ rowErrors: unknown[] }>().rowErrors).toEqual([
      { row: 3, field: 'clientCode', message: 'Client code repeats row 2' },
    ]);
    const ok = await scheduler.post('/api/v1/imports/clients', {
      csv: csv.split('\n').slice(0, 2).join('\n'),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<ClientImportResult>().clients[0]?.clientCode).toBe('C-ABCDEF');
    const reuse = await scheduler.post('/api/v1/imports/clients/preview', {
      csv: 'first,last,dob,code\nNew,One,1990-01-01,c-abcdef\n',
    });
    expect(reuse.json<ClientImportPreview>().errors).toEqual([
      { row: 2, field: 'clientCode', message: 'Another client already has this code' },
    ]);
  });
});

describe('who may import', () => {
  it('refuses clinicians, supervisors, billers and auditors, audited as denied, nothing written', async () => {
    const csv = 'first,last,dob\nRefused,Person,1990-01-01\n';
    for (const key of ['clinician', 'supervisor', 'biller', 'auditor'] as const) {
      const agent = await login(t.app, p.users[key].email);
      const before = await countRows(db, p.practiceId, TABLES);
      for (const url of ['/api/v1/imports/clients/preview', '/api/v1/imports/clients']) {
        const res = await agent.post(url, { csv });
        expect(res.statusCode, `${key} ${url}`).toBe(403);
        const audit = await auditRowsOf(db, res.headers['x-request-id']);
        expect(audit.map((a) => [a.category, a.outcome])).toEqual([['import', 'denied']]);
      }
      expect(await countRows(db, p.practiceId, TABLES)).toEqual(before);
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/clients', payload: { csv } });
    expect(res.statusCode).toBe(401);
  });
});
