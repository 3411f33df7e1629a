/**
 * Whole-practice export: the owner exports every client (discharged ones too) into one zip of
 * FHIR NDJSON per resource type, one PDF per client and a manifest; every resource validates,
 * the manifest counts match the lines, no psychotherapy-note text is anywhere in the archive,
 * the download carries its length and checksum and is audited, as are the request, each client
 * and the completion. Everyone but the owner is refused (audited, no job, no file). Expired
 * archives are deleted. `casebook export` writes the same archive from the command line.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
import {
  attend,
  bookSession,
  newClient,
  signNote,
  SOAP_CONTENT,
  startNote,
  saveDraft,
} from '../support/clinical.js';
import { pdfText } from '../support/pdfText.js';
import { zipEntry, zipEntryNames, zipIsIntact } from '../support/zipArchive.js';
import { describeProblems, validateFhirResource } from '../support/fhirValidation.js';
import { KeyRing } from '../../src/security/fieldEncryption.js';
import { expirePracticeExports } from '../../src/services/practiceExport/practiceExportRunner.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let owner: Agent;
let clinician: Agent;
let exportsDir: string;
const masterKey = randomBytes(32);
const clients: { id: string; code: string; name: string }[] = [];
const PSY_TEXT = `Process note ${randomBytes(6).toString('hex')}: transference themes, my own reactions`;
const TZ = 'America/Chicago';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(Date.now() - 86_400_000));

interface ExportJson {
  id: string;
  status: string;
  clientsTotal: number | null;
  clientsDone: number;
  resourcesWritten: number;
  bytes: number;
  sha256: string | null;
}

async function waitDone(id: string): Promise<ExportJson> {
  for (let i = 0; i < 300; i++) {
    const res = await owner.get(`/api/v1/practice/exports/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const job = res.json<ExportJson>();
    if (!['queued', 'running'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('export did not finish');
}

async function exportRows(): Promise<number> {
  const r = await db.query('SELECT 1 FROM practice_exports WHERE practice_id = $1', [p.practiceId]);
  return r.rowCount ?? 0;
}

beforeAll(async () => {
  t = await openTestApp();
  // One master key shared with the command-line run below, and a data folder for archives.
  t.deps.keys = new KeyRing(masterKey);
  exportsDir = await mkdtemp(join(tmpdir(), 'casebook-exports-'));
  t.deps.exportsDir = exportsDir;
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  owner = await login(t.app, p.users.owner.email);
  clinician = await login(t.app, p.users.clinician.email);
  for (const [first, last] of [
    ['Harriet', 'Quill'],
    ['Ignatius', 'Vale'],
    ['Juniper', 'Wren'],
  ] as const) {
    const c = await newClient(clinician, { legalFirstName: first, legalLastName: last, preferredName: null });
    clients.push({ id: c.id, code: c.clientCode, name: `${first} ${last}` });
  }
  const [a, b] = clients;
  if (!a || !b) throw new Error('no clients');
  // Client A: an attended session with a signed note, a PHQ-9 and a psychotherapy note.
  const session = await bookSession(clinician, {
    clinicianId: p.users.clinician.id,
    clientIds: [a.id],
    startLocal: `${today}T10:00`,
  });
  await attend(clinician, session.id, a.id);
  const draft = await startNote(clinician, { clientId: a.id, sessionId: session.id });
  await signNote(
    clinician,
    await saveDraft(clinician, draft, { content: SOAP_CONTENT, diagnosisCodes: ['F41.1'] }),
  );
  const phq = await clinician.post(`/api/v1/clients/${a.id}/measures`, {
    instrument: 'phq9',
    answers: Object.fromEntries([1, 2, 1, 1, 0, 1, 0, 1, 0].map((v, i) => [`q${i + 1}`, v])),
    administeredAt: new Date(Date.now() - 3_600_000).toISOString(),
  });
  expect(phq.statusCode, phq.body).toBe(201);
  const psy = await clinician.post('/api/v1/psychotherapy-notes', {
    clientId: a.id,
    dateOfService: today,
    content: { processNote: PSY_TEXT },
  });
  expect(psy.statusCode, psy.body).toBe(201);
  // Client B: discharged, still part of the practice's records.
  const current = await clinician.get(`/api/v1/clients/${b.id}`);
  const discharged = await clinician.post(
    `/api/v1/clients/${b.id}/status`,
    { status: 'discharged', reason: 'Goals met' },
    { 'if-match': String(current.headers.etag) },
  );
  expect(discharged.statusCode, discharged.body).toBe(200);
}, 60_000);

afterAll(async () => {
  await db.end();
  await t.close();
  await rm(exportsDir, { recursive: true, force: true });
});

describe('whole-practice export', () => {
  it('is refused to everyone but the owner: 403, audited as denied, no job and no file', async () => {
    for (const key of ['admin', 'clinician', 'supervisor', 'biller', 'auditor'] as const) {
      const agent = key === 'clinician' ? clinician : await login(t.app, p.users[key].email);
      const started = await agent.post('/api/v1/practice/exports');
      expect(started.statusCode, `${key}: ${started.body}`).toBe(403);
      expect(started.headers['content-type']).toContain('application/problem+json');
      expect((await agent.get('/api/v1/practice/exports')).statusCode).toBe(403);
      const denied = await db.query(
        `SELECT action, category, outcome FROM audit_events WHERE request_id = $1`,
        [started.headers['x-request-id']],
      );
      expect(denied.rows).toEqual([
        { action: 'practice_export.request', category: 'practice_export', outcome: 'denied' },
      ]);
    }
    expect(await exportRows()).toBe(0);
    expect(await readdir(exportsDir)).toEqual([]);
  });

  it('exports every client but no psychotherapy note, with a valid FHIR manifest; download audited', async () => {
    const started = await owner.post('/api/v1/practice/exports');
    expect(started.statusCode, started.body).toBe(202);
    const id = started.json<ExportJson>().id;
    const job = await waitDone(id);
    expect(job).toMatchObject({ status: 'done', clientsTotal: 3, clientsDone: 3 });
    // A non-owner cannot fetch the finished file either.
    const adminAgent = await login(t.app, p.users.admin.email);
    expect((await adminAgent.get(`/api/v1/practice/exports/${id}/download`)).statusCode).toBe(403);

    const res = await owner.get(`/api/v1/practice/exports/${id}/download`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const body = res.rawPayload;
    expect(Number(res.headers['content-length'])).toBe(body.length);
    expect(body.length).toBe(job.bytes);
    const sha = createHash('sha256').update(body).digest('hex');
    expect(res.headers['x-content-sha256']).toBe(sha);
    expect(job.sha256).toBe(sha);
    const stored = await stat(join(exportsDir, `${id}.zip`));
    expect(stored.mode & 0o777).toBe(0o600);

    const file = join(exportsDir, 'downloaded.zip');
    await writeFile(file, body);
    expect(await zipIsIntact(file)).toBe(true);
    const names = await zipEntryNames(file);
    expect(names).toContain('README.txt');
    expect(names).toContain('manifest.json');
    const pdfs = names.filter((n) => n.startsWith('pdf/'));
    expect(pdfs.sort()).toEqual(clients.map((c) => `pdf/${c.code}.pdf`).sort());

    const manifest = JSON.parse((await zipEntry(file, 'manifest.json')).toString()) as {
      transactionTime: string;
      output: { type: string; url: string; count: number }[];
    };
    expect(Date.parse(manifest.transactionTime)).not.toBeNaN();
    const ndjson = names.filter((n) => n.startsWith('fhir/'));
    expect(manifest.output.map((o) => o.url).sort()).toEqual(ndjson.sort());
    const byType = new Map<string, Record<string, unknown>[]>();
    let total = 0;
    for (const out of manifest.output) {
      const lines = (await zipEntry(file, out.url)).toString('utf8').split('\n').filter(Boolean);
      expect(lines.length, out.url).toBe(out.count);
      const resources = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const r of resources) {
        expect(r.resourceType).toBe(out.type);
        const issues = validateFhirResource(r as { resourceType: string });
        expect(issues, describeProblems(issues)).toEqual([]);
      }
      byType.set(out.type, resources);
      total += lines.length;
    }
    expect(total).toBe(job.resourcesWritten);
    // Every client, discharged included; staff and practice once each, not per client.
    expect((byType.get('Patient') ?? []).map((r) => r.id).sort()).toEqual(clients.map((c) => c.id).sort());
    for (const type of ['Practitioner', 'Organization']) {
      const ids = (byType.get(type) ?? []).map((r) => r.id);
      expect(new Set(ids).size, type).toBe(ids.length);
    }
    expect(byType.get('Organization')?.length).toBe(1);

    // No psychotherapy-note text in any entry, raw or as drawn PDF text; names stay out of file names.
    for (const name of names) {
      const bytes = await zipEntry(file, name);
      expect(bytes.includes(PSY_TEXT), name).toBe(false);
      if (name.endsWith('.pdf')) {
        const text = pdfText(bytes);
        expect(text).not.toContain(PSY_TEXT);
        expect(text.length).toBeGreaterThan(0);
      }
    }
    for (const c of clients) expect(names.join('\n')).not.toContain(c.name.split(' ')[1]);

    const audit = await db.query<{
      action: string;
      client_id: string | null;
      outcome: string;
      actor_user_id: string;
    }>(
      `SELECT action, client_id, outcome, actor_user_id FROM audit_events
        WHERE practice_id = $1 AND category = 'practice_export' AND outcome = 'success' ORDER BY seq`,
      [p.practiceId],
    );
    const actions = audit.rows.map((r) => r.action);
    expect(actions.filter((a) => a === 'practice_export.request')).toHaveLength(1);
    expect(actions.filter((a) => a === 'practice_export.complete')).toHaveLength(1);
    expect(actions.filter((a) => a === 'practice_export.download')).toHaveLength(1);
    const perClient = audit.rows.filter((r) => r.action === 'practice_export.client');
    expect(perClient.map((r) => r.client_id).sort()).toEqual(clients.map((c) => c.id).sort());
    expect(new Set(audit.rows.map((r) => r.actor_user_id))).toEqual(new Set([p.users.owner.id]));

    const list = await owner.get('/api/v1/practice/exports');
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: ExportJson[] }>().items.map((x) => x.id)).toEqual([id]);
  }, 60_000);

  it('deletes an archive past its expiry; the download then says so', async () => {
    const r = await db.query<{ id: string }>(
      `UPDATE practice_exports SET expires_at = now() - interval '1 minute'
        WHERE practice_id = $1 AND status = 'done' RETURNING id`,
      [p.practiceId],
    );
    const id = r.rows[0]?.id ?? '';
    expect(await expirePracticeExports(t.deps)).toBeGreaterThanOrEqual(1);
    await expect(stat(join(exportsDir, `${id}.zip`))).rejects.toMatchObject({ code: 'ENOENT' });
    const res = await owner.get(`/api/v1/practice/exports/${id}/download`);
    expect(res.statusCode).toBe(409);
    expect((await owner.get(`/api/v1/practice/exports/${id}`)).json<ExportJson>().status).toBe('expired');
  });

  it('allows one export in progress at a time; a queued export can be cancelled (audited)', async () => {
    // A job another process has queued but not yet claimed.
    const queued = randomUUID();
    await db.query('INSERT INTO practice_exports (id, practice_id, requested_by) VALUES ($1, $2, $3)', [
      queued,
      p.practiceId,
      p.users.owner.id,
    ]);
    const second = await owner.post('/api/v1/practice/exports');
    expect(second.statusCode, second.body).toBe(409);
    expect(await exportRows()).toBe(2);
    const adminAgent = await login(t.app, p.users.admin.email);
    expect((await adminAgent.post(`/api/v1/practice/exports/${queued}/cancel`)).statusCode).toBe(403);
    const cancelled = await owner.post(`/api/v1/practice/exports/${queued}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json<ExportJson>().status).toBe('cancelled');
    const audit = await db.query(
      `SELECT action, outcome FROM audit_events WHERE practice_id = $1 AND entity_id = $2 ORDER BY seq`,
      [p.practiceId, queued],
    );
    expect(audit.rows).toEqual([
      { action: 'practice_export.cancel', outcome: 'denied' },
      { action: 'practice_export.cancel', outcome: 'success' },
    ]);
    expect((await owner.post(`/api/v1/practice/exports/${queued}/cancel`)).statusCode).toBe(409);
    expect(await readdir(exportsDir)).not.toContain(`${queued}.zip`);
  });

  it('`casebook export` writes the same archive from the command line, audited as the CLI', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'casebook-cli-export-'));
    const out = join(dir, 'practice.zip');
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        CASEBOOK_APP_DATABASE_URL: inject('appDatabaseUrl'),
        CASEBOOK_MASTER_KEY: masterKey.toString('base64'),
        CASEBOOK_DATA_DIR: dir,
      };
      const { code, stdout, stderr } = await new Promise<{
        code: number | null;
        stdout: string;
        stderr: string;
      }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'src/cli.ts', 'export', '--out', out, '--practice', p.practiceId],
          { env, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let so = '';
        let se = '';
        child.stdout.on('data', (d: Buffer) => (so += d.toString()));
        child.stderr.on('data', (d: Buffer) => (se += d.toString()));
        child.on('error', reject);
        child.on('close', (c) => resolve({ code: c, stdout: so, stderr: se }));
      });
      expect(code, stdout + stderr).toBe(0);
      expect(stderr).toContain('exported 3/3 clients');
      expect(stdout).toMatch(/3 clients, \d+ FHIR resources/);
      expect((await stat(out)).mode & 0o777).toBe(0o600);
      const names = await zipEntryNames(out);
      expect(names.filter((n) => n.startsWith('pdf/'))).toHaveLength(3);
      for (const name of names) expect((await zipEntry(out, name)).includes(PSY_TEXT)).toBe(false);
      // Only the zip is left behind: the scratch folder is gone.
      expect(await readdir(dir)).toEqual(['practice.zip']);
      const audit = await db.query<{ action: string; actor_user_id: string | null; actor_label: string }>(
        `SELECT action, actor_user_id, actor_label FROM audit_events
          WHERE practice_id = $1 AND category = 'practice_export' AND request_id = 'cli' ORDER BY seq`,
        [p.practiceId],
      );
      expect(audit.rows.map((r) => r.action)).toEqual([
        'practice_export.request',
        'practice_export.client',
        'practice_export.client',
        'practice_export.client',
        'practice_export.complete',
      ]);
      for (const row of audit.rows)
        expect(row).toMatchObject({ actor_user_id: null, actor_label: 'casebook-cli (operator)' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
