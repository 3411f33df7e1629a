/**
 * The client's rights over their own record. A copy request is due 30 days after receipt, is
 * extended at most once and only within the first 30 days, and produces a PDF and a FHIR copy with
 * everything but psychotherapy notes, recorded as a (non-accountable) disclosure to the individual.
 * An amendment request is due in 60 days; accepting one on a note adds a signed addendum linked to
 * it; a denial and the client's statement of disagreement stay linked to the note and show with it.
 * Schedulers may log a copy request but not produce it; billers do nothing; refusals write nothing
 * but the denied audit row. Every read and write is audited; free text is ciphertext at rest, and
 * requests, denials and statements cannot be deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  login,
  openTestApp,
  PASSWORD,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import {
  attendedSession,
  newClient,
  signNote,
  SOAP_CONTENT,
  startNote,
  saveDraft,
} from '../support/clinical.js';
import { pdfText } from '../support/pdfText.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let scheduler: Agent;
let biller: Agent;
let clientId: string;
let noteId: string;

const TZ = 'America/Chicago';
const DAY = 86_400_000;
const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(at);
const today = localDate(new Date());
const daysAgo = (n: number) => localDate(new Date(Date.now() - n * DAY));
const plusDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

const PN_SECRET = 'Zebra-lantern psychotherapy process reflection';
const NOTE_SECRET = 'Client described the quarrel with their brother';
const REP_NAME = 'Morgan Guardianname';
const CHANGE_TEXT = 'Please correct the session summary: the argument was with my cousin';
const DENIAL_TEXT = 'We reviewed the note and believe it is accurate and complete as written';
const STATEMENT_TEXT = 'I disagree: my brother was not present that week';

interface CopyJson {
  id: string;
  dueOn: string;
  effectiveDueOn: string;
  extendedDueOn: string | null;
  status: string;
  dueState: string;
  version: number;
  fulfilledOn: string | null;
}
interface AmendmentJson {
  id: string;
  dueOn: string;
  status: string;
  version: number;
  addendumId: string | null;
  denialBasis: string | null;
  statements: { kind: string; text: string }[];
}

const copyBody = (receivedOn: string, format = 'both') => ({
  receivedOn,
  receivedVia: 'mail',
  format,
  delivery: 'download',
  requester: 'client',
});

async function count(table: string): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE practice_id = $1`, [
    p.practiceId,
  ]);
  return r.rows[0]?.n ?? -1;
}

async function newCopy(agent: Agent, body: object): Promise<CopyJson> {
  const res = await agent.post(`/api/v1/clients/${clientId}/record-requests`, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CopyJson>();
}

async function newAmendment(receivedOn = today): Promise<AmendmentJson> {
  const res = await clinician.post(`/api/v1/clients/${clientId}/amendments`, {
    receivedOn,
    target: { kind: 'note', id: noteId },
    change: CHANGE_TEXT,
    reason: 'The note names the wrong relative',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<AmendmentJson>();
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  scheduler = await login(t.app, p.users.scheduler.email);
  biller = await login(t.app, p.users.biller.email);
  clientId = (await newClient(clinician)).id;
  const dx = await clinician.post(`/api/v1/clients/${clientId}/diagnoses`, {
    code: 'F33.1',
    rank: 'primary',
  });
  expect(dx.statusCode, dx.body).toBe(201);
  const session = await attendedSession(clinician, {
    clinicianId: p.users.clinician.id,
    clientIds: [clientId],
    startLocal: `${daysAgo(3)}T10:00`,
  });
  const started = await startNote(clinician, { clientId, sessionId: session.id });
  const saved = await saveDraft(clinician, started, {
    content: { ...SOAP_CONTENT, subjective: NOTE_SECRET },
    diagnosisCodes: ['F33.1'],
  });
  noteId = (await signNote(clinician, saved)).id;
  const pn = await clinician.post('/api/v1/psychotherapy-notes', {
    clientId,
    sessionId: session.id,
    dateOfService: daysAgo(3),
    content: { processNote: PN_SECRET },
  });
  expect(pn.statusCode, pn.body).toBe(201);
});

afterAll(async () => {
  await db.end();
  await t.close();
});

describe('copy of the record', () => {
  let copy: CopyJson;

  it('is due 30 calendar days after receipt, logged by the front desk, and audited', async () => {
    const res = await scheduler.post(`/api/v1/clients/${clientId}/record-requests`, {
      ...copyBody(daysAgo(2)),
      requester: 'personal_representative',
      representative: { name: REP_NAME, relationship: 'Legal guardian' },
    });
    expect(res.statusCode, res.body).toBe(201);
    copy = res.json<CopyJson>();
    expect(copy.dueOn).toBe(plusDays(daysAgo(2), 30));
    expect(copy.status).toBe('open');
    expect(copy.dueState).toBe('on_track');
    const rows = await auditRowsOf(db, res.headers['x-request-id']);
    expect(rows.map((r) => [r.action, r.category, r.outcome])).toEqual([
      ['record_request.create', 'record_request', 'success'],
    ]);
    // The representative's name is ciphertext at rest.
    const raw = await db.query<{ r: Buffer }>(
      'SELECT representative_enc AS r FROM record_copy_requests WHERE id = $1',
      [copy.id],
    );
    expect(raw.rows[0]?.r.toString('latin1')).not.toContain(REP_NAME.slice(0, 6));
  });

  it('refuses a received date in the future (422) and a scheduler producing or listing (403), writing nothing', async () => {
    const before = await count('record_copy_requests');
    const future = await clinician.post(
      `/api/v1/clients/${clientId}/record-requests`,
      copyBody(plusDays(today, 2)),
    );
    expect(future.statusCode).toBe(422);
    const produce = await scheduler.post(`/api/v1/record-requests/${copy.id}/copy`, { format: 'pdf' });
    expect(produce.statusCode).toBe(403);
    expect(
      (await auditRowsOf(db, produce.headers['x-request-id'])).map((r) => [r.action, r.outcome]),
    ).toEqual([['record_request.copy', 'denied']]);
    expect((await scheduler.get(`/api/v1/clients/${clientId}/record-requests`)).statusCode).toBe(403);
    const fulfil = await scheduler.post(
      `/api/v1/record-requests/${copy.id}/fulfil`,
      {},
      { 'if-match': '"1"' },
    );
    expect(fulfil.statusCode).toBe(403);
    const billerLog = await biller.post(`/api/v1/clients/${clientId}/record-requests`, copyBody(today));
    expect(billerLog.statusCode).toBe(403);
    expect(await count('record_copy_requests')).toBe(before);
    expect(await count('disclosures')).toBe(0);
  });

  it('refuses fulfilment before the copy exists', async () => {
    const res = await clinician.post(
      `/api/v1/record-requests/${copy.id}/fulfil`,
      {},
      { 'if-match': `"${copy.version}"` },
    );
    expect(res.statusCode).toBe(422);
  });

  it('produces a PDF and a FHIR copy without psychotherapy notes, each a disclosure to the individual', async () => {
    const pdf = await clinician.post(`/api/v1/record-requests/${copy.id}/copy`, { format: 'pdf' });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('Rivera');
    expect(text).not.toContain('Zebra-lantern');
    expect(pdf.rawPayload.toString('latin1')).not.toContain('Zebra-lantern');

    const fhir = await clinician.post(`/api/v1/record-requests/${copy.id}/copy`, { format: 'fhir' });
    expect(fhir.statusCode, fhir.body).toBe(200);
    const bundle = fhir.json<{ resourceType: string; entry: unknown[] }>();
    expect(bundle.resourceType).toBe('Bundle');
    expect(fhir.body).toContain('Rivera');
    expect(fhir.body).not.toContain('Zebra-lantern');
    // Base64 attachments are searched too.
    for (const [, b64] of fhir.body.matchAll(/"data":\s*"([^"]+)"/g))
      expect(Buffer.from(b64 ?? '', 'base64').toString('utf8')).not.toContain('Zebra-lantern');

    const d = await db.query<{ basis: string; accountable: boolean; format: string; categories: string[] }>(
      `SELECT basis, accountable, format, categories FROM disclosures WHERE practice_id = $1 ORDER BY recorded_at`,
      [p.practiceId],
    );
    expect(d.rows.map((r) => [r.basis, r.accountable, r.format])).toEqual([
      ['individual_request', false, 'pdf'],
      ['individual_request', false, 'fhir'],
    ]);
    expect(d.rows[0]?.categories).not.toContain('psychotherapy_notes');
    const rows = await auditRowsOf(db, fhir.headers['x-request-id']);
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['record_request.copy', 'disclosure.record']),
    );
  });

  it('marks the request fulfilled today; a second fulfilment is a conflict', async () => {
    const list = await clinician.get(`/api/v1/clients/${clientId}/record-requests`);
    const current = list.json<{ copies: CopyJson[] }>().copies.find((c) => c.id === copy.id);
    const res = await clinician.post(
      `/api/v1/record-requests/${copy.id}/fulfil`,
      {},
      {
        'if-match': `"${current?.version ?? 0}"`,
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    const done = res.json<CopyJson>();
    expect([done.status, done.fulfilledOn, done.dueState]).toEqual(['fulfilled', today, 'closed']);
    const again = await clinician.post(
      `/api/v1/record-requests/${copy.id}/fulfil`,
      {},
      {
        'if-match': `"${done.version}"`,
      },
    );
    expect(again.statusCode).toBe(409);
    // A fulfilled request makes no further copy: refused, and no disclosure written.
    const disclosures = await count('disclosures');
    const late = await clinician.post(`/api/v1/record-requests/${copy.id}/copy`, { format: 'pdf' });
    expect(late.statusCode).toBe(409);
    expect(late.headers['content-type']).toContain('application/problem+json');
    expect(await count('disclosures')).toBe(disclosures);
    // The old GET no longer produces anything.
    expect((await clinician.get(`/api/v1/record-requests/${copy.id}/copy?format=pdf`)).statusCode).toBe(404);
    expect(await count('disclosures')).toBe(disclosures);
  });

  it('extends once by at most 30 days, within the first 30 days only', async () => {
    const fresh = await newCopy(clinician, copyBody(daysAgo(5), 'pdf'));
    const tooFar = await clinician.post(
      `/api/v1/record-requests/${fresh.id}/extension`,
      { newDueOn: plusDays(fresh.dueOn, 31), reason: 'Records held off site' },
      { 'if-match': `"${fresh.version}"` },
    );
    expect(tooFar.statusCode).toBe(422);
    const ok = await clinician.post(
      `/api/v1/record-requests/${fresh.id}/extension`,
      { newDueOn: plusDays(fresh.dueOn, 30), reason: 'Records held off site' },
      { 'if-match': `"${fresh.version}"` },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    const extended = ok.json<CopyJson>();
    expect(extended.effectiveDueOn).toBe(plusDays(fresh.dueOn, 30));
    const second = await clinician.post(
      `/api/v1/record-requests/${fresh.id}/extension`,
      { newDueOn: plusDays(fresh.dueOn, 20), reason: 'Still waiting' },
      { 'if-match': `"${extended.version}"` },
    );
    expect(second.statusCode).toBe(422);
    const stale = await clinician.post(
      `/api/v1/record-requests/${fresh.id}/extension`,
      { newDueOn: plusDays(fresh.dueOn, 20), reason: 'Still waiting' },
      { 'if-match': `"${fresh.version}"` },
    );
    expect(stale.statusCode).toBe(412);

    const late = await newCopy(clinician, copyBody(daysAgo(40), 'fhir'));
    expect(late.dueState).toBe('overdue');
    const lateExt = await clinician.post(
      `/api/v1/record-requests/${late.id}/extension`,
      { newDueOn: plusDays(late.dueOn, 10), reason: 'Too late' },
      { 'if-match': `"${late.version}"` },
    );
    expect(lateExt.statusCode).toBe(422);
    const r = await db.query<{ e: string | null }>(
      'SELECT extended_due_on::text AS e FROM record_copy_requests WHERE id = $1',
      [late.id],
    );
    expect(r.rows[0]?.e).toBeNull();
    // The overdue request shows on the practice-wide list; the fulfilled one does not.
    const due = await clinician.get('/api/v1/record-requests/due');
    expect(due.statusCode).toBe(200);
    const ids = due.json<{ items: { id: string; dueState: string }[] }>().items;
    expect(ids.find((i) => i.id === late.id)?.dueState).toBe('overdue');
    expect(ids.some((i) => i.id === copy.id)).toBe(false);
    expect((await biller.get('/api/v1/record-requests/due')).statusCode).toBe(403);
    const other = await login(t.app, p.users.otherClinician.email);
    expect((await other.get('/api/v1/record-requests/due')).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('refuses a PDF for a FHIR-only request', async () => {
    const fhirOnly = await newCopy(clinician, copyBody(today, 'fhir'));
    expect(
      (await clinician.post(`/api/v1/record-requests/${fhirOnly.id}/copy`, { format: 'pdf' })).statusCode,
    ).toBe(422);
  });
});

describe('amendment requests', () => {
  it('are due 60 days after receipt; accepting adds a signed addendum linked to the request', async () => {
    const a = await newAmendment(daysAgo(1));
    expect(a.dueOn).toBe(plusDays(daysAgo(1), 60));
    // A fresh sign-in has not re-authenticated: the addendum is a signature, so it is refused.
    const freshSession = await login(t.app, p.users.clinician.email);
    const noAuth = await freshSession.post(
      `/api/v1/amendments/${a.id}/accept`,
      { kind: 'addendum', text: 'Correction: the argument was with a cousin.' },
      { 'if-match': `"${a.version}"` },
    );
    expect(noAuth.statusCode).toBe(401);
    const untouched = await db.query<{ status: string; n: number }>(
      `SELECT status, (SELECT count(*)::int FROM note_addenda WHERE note_id = $2) AS n FROM amendment_requests WHERE id = $1`,
      [a.id, noteId],
    );
    expect(untouched.rows[0]).toEqual({ status: 'open', n: 0 });
    const res = await clinician.post(
      `/api/v1/amendments/${a.id}/accept`,
      { kind: 'addendum', text: 'Correction: the argument was with a cousin.', password: PASSWORD },
      { 'if-match': `"${a.version}"` },
    );
    expect(res.statusCode, res.body).toBe(200);
    const accepted = res.json<AmendmentJson>();
    expect(accepted.status).toBe('accepted');
    const add = await db.query<{ note_id: string; content_hash: string; signer_name: string }>(
      'SELECT note_id, content_hash, signer_name FROM note_addenda WHERE id = $1',
      [accepted.addendumId],
    );
    expect(add.rows[0]?.note_id).toBe(noteId);
    expect(add.rows[0]?.content_hash).toMatch(/^[0-9a-f]{64}$/);
    const note = await clinician.get(`/api/v1/notes/${noteId}`);
    expect(note.json<{ addenda: { text: string }[] }>().addenda.map((x) => x.text)).toContain(
      'Correction: the argument was with a cousin.',
    );
    const again = await clinician.post(
      `/api/v1/amendments/${a.id}/deny`,
      { basis: 'accurate_complete', text: DENIAL_TEXT },
      { 'if-match': `"${accepted.version}"` },
    );
    expect(again.statusCode).toBe(409);
  });

  it('a denial and the statement of disagreement stay linked and show with the note', async () => {
    const a = await newAmendment();
    const early = await clinician.post(`/api/v1/amendments/${a.id}/statements`, {
      kind: 'disagreement',
      receivedOn: today,
      text: STATEMENT_TEXT,
    });
    expect(early.statusCode).toBe(409);
    const denied = await clinician.post(
      `/api/v1/amendments/${a.id}/deny`,
      { basis: 'accurate_complete', text: DENIAL_TEXT },
      { 'if-match': `"${a.version}"` },
    );
    expect(denied.statusCode, denied.body).toBe(200);
    const st = await clinician.post(`/api/v1/amendments/${a.id}/statements`, {
      kind: 'disagreement',
      receivedOn: today,
      text: STATEMENT_TEXT,
    });
    expect(st.statusCode, st.body).toBe(201);
    const rebuttal = await clinician.post(`/api/v1/amendments/${a.id}/statements`, {
      kind: 'rebuttal',
      receivedOn: today,
      text: 'The practice stands by the note as written',
    });
    expect(rebuttal.statusCode, rebuttal.body).toBe(201);
    const onNote = await clinician.get(`/api/v1/notes/${noteId}/amendments`);
    expect(onNote.statusCode).toBe(200);
    const mine = onNote.json<{ items: AmendmentJson[] }>().items.find((x) => x.id === a.id);
    expect(mine?.denialBasis).toBe('accurate_complete');
    expect(mine?.statements.map((s) => [s.kind, s.text])).toEqual([
      ['disagreement', STATEMENT_TEXT],
      ['rebuttal', 'The practice stands by the note as written'],
    ]);
    expect(
      (await auditRowsOf(db, onNote.headers['x-request-id'])).map((r) => [r.action, r.category]),
    ).toEqual([['amendment.list_for_note', 'amendment']]);

    // Ciphertext at rest: neither the request, the denial nor the statement is readable in the database.
    const raw = await db.query<{ blob: string }>(
      `SELECT encode(request_enc, 'escape') || coalesce(encode(denial_enc, 'escape'), '') AS blob
         FROM amendment_requests WHERE practice_id = $1
       UNION ALL SELECT encode(text_enc, 'escape') FROM amendment_statements WHERE practice_id = $1`,
      [p.practiceId],
    );
    const all = raw.rows.map((r) => r.blob).join('\n');
    for (const plain of ['cousin', 'accurate and complete', 'brother was not'])
      expect(all).not.toContain(plain);

    // Never deleted, never rewritten: not even from a SQL prompt.
    await expect(
      db.query('DELETE FROM amendment_statements WHERE amendment_id = $1', [a.id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM amendment_requests WHERE id = $1', [a.id])).rejects.toThrow(
      /never deleted/,
    );
    await expect(
      db.query(`UPDATE amendment_requests SET denial_basis = 'not_created_here' WHERE id = $1`, [a.id]),
    ).rejects.toThrow(/closed/);
    await expect(
      db.query('DELETE FROM record_copy_requests WHERE practice_id = $1', [p.practiceId]),
    ).rejects.toThrow(/never deleted/);
  });

  it('a biller and a scheduler cannot record or decide amendments; nothing is written', async () => {
    const a = await newAmendment();
    const before = [await count('amendment_requests'), await count('amendment_statements')];
    for (const agent of [biller, scheduler]) {
      const log = await agent.post(`/api/v1/clients/${clientId}/amendments`, {
        receivedOn: today,
        target: { kind: 'demographics' },
        change: 'Change my address',
        reason: '',
      });
      expect(log.statusCode).toBe(403);
      const deny = await agent.post(
        `/api/v1/amendments/${a.id}/deny`,
        { basis: 'accurate_complete', text: DENIAL_TEXT },
        { 'if-match': `"${a.version}"` },
      );
      expect(deny.statusCode).toBe(403);
      expect((await auditRowsOf(db, deny.headers['x-request-id'])).map((r) => [r.action, r.outcome])).toEqual(
        [['amendment.deny', 'denied']],
      );
    }
    expect([await count('amendment_requests'), await count('amendment_statements')]).toEqual(before);
    const r = await db.query<{ status: string }>('SELECT status FROM amendment_requests WHERE id = $1', [
      a.id,
    ]);
    expect(r.rows[0]?.status).toBe('open');
  });

  it('extends an amendment once, by at most 30 days; a non-note correction is recorded', async () => {
    const res = await clinician.post(`/api/v1/clients/${clientId}/amendments`, {
      receivedOn: today,
      target: { kind: 'demographics' },
      change: 'My preferred name is Jo-Anne',
      reason: '',
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json<AmendmentJson>();
    const ext = await clinician.post(
      `/api/v1/amendments/${a.id}/extension`,
      { newDueOn: plusDays(a.dueOn, 30), reason: 'Waiting for the intake form' },
      { 'if-match': `"${a.version}"` },
    );
    expect(ext.statusCode, ext.body).toBe(200);
    const second = await clinician.post(
      `/api/v1/amendments/${a.id}/extension`,
      { newDueOn: plusDays(a.dueOn, 10), reason: 'Again' },
      { 'if-match': `"${ext.json<AmendmentJson>().version}"` },
    );
    expect(second.statusCode).toBe(422);
    const addendumOnDemographics = await clinician.post(
      `/api/v1/amendments/${a.id}/accept`,
      { kind: 'addendum', text: 'Not a note', password: PASSWORD },
      { 'if-match': `"${ext.json<AmendmentJson>().version}"` },
    );
    expect(addendumOnDemographics.statusCode).toBe(422);
    const accepted = await clinician.post(
      `/api/v1/amendments/${a.id}/accept`,
      { kind: 'correction', text: 'Preferred name updated to Jo-Anne' },
      { 'if-match': `"${ext.json<AmendmentJson>().version}"` },
    );
    expect(accepted.statusCode, accepted.body).toBe(200);
    const list = await clinician.get(`/api/v1/clients/${clientId}/record-requests`);
    expect((await auditRowsOf(db, list.headers['x-request-id'])).map((r) => r.category)).toEqual([
      'record_request',
      'amendment',
    ]);
  });

  it('a denial and the statement of disagreement travel with the note in the client copy and in a release', async () => {
    const change = 'Travel-check: strike the word agitated from the note';
    const denial = 'Travel-check denial: the note is accurate and complete';
    const statement = 'Travel-check statement: I was worried, not agitated';
    const created = await clinician.post(`/api/v1/clients/${clientId}/amendments`, {
      receivedOn: today,
      target: { kind: 'note', id: noteId },
      change,
      reason: 'It is not how I was',
    });
    expect(created.statusCode, created.body).toBe(201);
    const a = created.json<AmendmentJson>();
    const denied = await clinician.post(
      `/api/v1/amendments/${a.id}/deny`,
      { basis: 'accurate_complete', text: denial },
      { 'if-match': `"${a.version}"` },
    );
    expect(denied.statusCode, denied.body).toBe(200);
    const st = await clinician.post(`/api/v1/amendments/${a.id}/statements`, {
      kind: 'disagreement',
      receivedOn: today,
      text: statement,
    });
    expect(st.statusCode, st.body).toBe(201);

    const squash = (s: string) => s.replace(/\s+/g, '');
    /** The PDF prints the note, then (after its addenda) the request, the denial and the statement. */
    const expectInPdf = (raw: Buffer) => {
      const flat = squash(pdfText(raw));
      const note = flat.indexOf(squash(NOTE_SECRET));
      const request = flat.indexOf(squash(`Change requested${change}`), note);
      expect(note).toBeGreaterThan(0);
      expect(request).toBeGreaterThan(note);
      expect(flat.indexOf(squash('Ground for denial: Accurate and complete'), request)).toBeGreaterThan(
        request,
      );
      expect(flat.indexOf(squash(`Denial letter${denial}`), request)).toBeGreaterThan(request);
      expect(
        flat.indexOf(squash(`statement of disagreement (received ${today})${statement}`), request),
      ).toBeGreaterThan(request);
    };
    /** The FHIR bundle has the request as a DocumentReference that appends the note's. */
    const expectInFhir = (bundle: { entry: { resource: Record<string, unknown> }[] }) => {
      const doc = bundle.entry.map((e) => e.resource).find((r) => r.id === a.id);
      expect(doc?.resourceType).toBe('DocumentReference');
      expect(doc?.relatesTo).toEqual([
        { code: 'appends', target: { reference: `DocumentReference/${noteId}` } },
      ]);
      expect(bundle.entry.some((e) => e.resource.id === noteId)).toBe(true);
      const content = doc?.content as { attachment: { data: string } }[];
      const text = Buffer.from(content[0]?.attachment.data ?? '', 'base64').toString('utf8');
      for (const s of [change, denial, statement]) expect(text).toContain(s);
    };

    // The client's own copy.
    const copy = await newCopy(clinician, copyBody(today));
    const pdf = await clinician.post(`/api/v1/record-requests/${copy.id}/copy`, { format: 'pdf' });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expectInPdf(pdf.rawPayload);
    const fhir = await clinician.post(`/api/v1/record-requests/${copy.id}/copy`, { format: 'fhir' });
    expect(fhir.statusCode, fhir.body).toBe(200);
    expectInFhir(fhir.json());

    // A release to another provider that carries the note carries them too; one without notes does not.
    const consent = await clinician.post(`/api/v1/clients/${clientId}/consents`, {
      kind: 'release_of_information',
      categories: ['diagnoses', 'progress_notes'],
      recipient: { type: 'organization', name: 'Lakeside Family Medicine', contact: 'fax 555-0100' },
      purpose: 'Coordination of care',
      signedOn: today,
      expiresOn: plusDays(today, 365),
      signer: 'client',
      signerName: 'Jordan Rivera',
      signatureMethod: 'typed',
    });
    expect(consent.statusCode, consent.body).toBe(201);
    const authorizationId = consent.json<{ id: string }>().id;
    const release = (categories: string[], format: string) =>
      clinician.post(`/api/v1/clients/${clientId}/releases`, { authorizationId, categories, format });
    const relPdf = await release(['progress_notes'], 'pdf');
    expect(relPdf.statusCode, relPdf.body).toBe(200);
    expectInPdf(relPdf.rawPayload);
    const relFhir = await release(['progress_notes'], 'fhir');
    expect(relFhir.statusCode, relFhir.body).toBe(200);
    expectInFhir(relFhir.json());
    const noNotes = await release(['diagnoses'], 'fhir');
    expect(noNotes.statusCode, noNotes.body).toBe(200);
    expect(noNotes.body).not.toContain(a.id);
    for (const [, b64] of noNotes.body.matchAll(/"data":\s*"([^"]+)"/g))
      expect(Buffer.from(b64 ?? '', 'base64').toString('utf8')).not.toContain('Travel-check');
  });
});
