/**
 * The FHIR chart export of a real record built through the API (sessions, a supervisee's notes
 * co-signed by the supervisor, an addendum, diagnoses, a signed plan, measures with a risk
 * alert, a psychotherapy note): every resource passes both validators with no dangling
 * reference; the psychotherapy note's words appear nowhere unless the scope is a
 * psychotherapy-note authorization AND the exporter wrote it; a scope without a category reads
 * none of it; the date range holds; Part 2 labels and notice; one query per table whatever the
 * record's size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction, type Tx } from '../../src/db/database.js';
import { loadChartForExport } from '../../src/services/chartExport/loadChart.js';
import type { ChartExport } from '../../src/services/chartExport/chartExportTypes.js';
import type { Ctx } from '../../src/services/context.js';
import { RELEASE_CATEGORIES, type ExportScope, type ReleaseCategory } from '../../src/domain/releaseScope.js';
import type { Role } from '../../src/domain/roles.js';
import { chartBundle, type Bundle } from '../../src/interop/fhir/chartBundle.js';
import { clinicalContent } from '../../src/interop/fhir/clinicalContent.js';
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
import {
  bundleResources,
  danglingReferences,
  describeProblems,
  validateFhirBundle,
} from '../support/fhirValidation.js';

let t: TestApp;
let p: SeededPractice;
let author: Agent;
let supervisor: Agent;
let clientId: string;
let smallClientId: string;
const sessionIds: string[] = [];

const PN_TEXT = 'Countertransference zebra-quartz: I felt protective when the client described the flood.';
const ADDENDUM_TEXT = 'Client phoned afterwards to confirm the exposure homework.';
const NOTE_WORDS = ['Assessment one marigold', 'Assessment two heliotrope', 'Assessment three saffron'];
const TZ = 'America/Chicago';
const DAY = 86_400_000;
const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(at);
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

function ctxFor(key: 'supervisee' | 'supervisor', roles: Role[]): Ctx {
  return {
    ...t.deps,
    requestId: 'fhir-export-test',
    ip: '127.0.0.1',
    userAgent: 'vitest',
    secure: false,
    actor: { userId: p.users[key].id, practiceId: p.practiceId, roles },
    actorLabel: p.users[key].email,
  };
}
const asAuthor = () => ctxFor('supervisee', ['clinician']);

function scope(categories: readonly ReleaseCategory[], extra: Partial<ExportScope> = {}): ExportScope {
  return { categories: new Set(categories), purpose: 'release', recipient: 'Dr. Test', ...extra };
}
const RELEASE = RELEASE_CATEGORIES.filter((c) => c !== 'psychotherapy_notes');

/** Loads in one transaction; `counter` collects the SQL statements sent. */
async function load(ctx: Ctx, id: string, s: ExportScope, counter?: string[]): Promise<ChartExport> {
  return withTransaction(t.deps.db, p.practiceId, async (tx: Tx) => {
    if (!counter) return loadChartForExport(tx, ctx, id, s);
    const original = tx.query.bind(tx) as (...a: unknown[]) => unknown;
    const spy = ((...args: unknown[]) => {
      counter.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text));
      return original(...args);
    }) as unknown as Tx['query'];
    const counted = new Proxy(tx, {
      get: (target, prop) => (prop === 'query' ? spy : (Reflect.get(target, prop, target) as unknown)),
    });
    return loadChartForExport(counted, ctx, id, s);
  });
}

async function signedNoteFor(cid: string, daysBack: number, assessment: string): Promise<string> {
  const session = await bookSession(author, {
    clinicianId: p.users.supervisee.id,
    clientIds: [cid],
    startLocal: `${localDate(daysAgo(daysBack))}T10:00`,
    modality: daysBack % 2 === 0 ? 'video' : 'in_person',
    clientAtHome: daysBack % 2 === 0,
  });
  sessionIds.push(session.id);
  await attend(author, session.id, cid);
  const draft = await startNote(author, { clientId: cid, sessionId: session.id });
  const note = await signNote(
    author,
    await saveDraft(author, draft, { content: { ...SOAP_CONTENT, assessment }, diagnosisCodes: ['F41.1'] }),
  );
  expect(note.status).toBe('awaiting_cosign');
  const cosigned = await supervisor.post(
    `/api/v1/notes/${note.id}/cosign`,
    { password: PASSWORD },
    { 'if-match': `"${note.version}"` },
  );
  expect(cosigned.statusCode, cosigned.body).toBe(200);
  return note.id;
}

/** Everything a reader of the bundle could read: the JSON plus every attachment decoded. */
function readable(b: Bundle): string {
  const decoded: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'data' && typeof x === 'string') decoded.push(Buffer.from(x, 'base64').toString('utf8'));
        else walk(x);
      }
  };
  walk(b);
  return `${JSON.stringify(b)}\n${decoded.join('\n')}`;
}

let noteIds: string[];
let full: Bundle;

beforeAll(async () => {
  t = await openTestApp();
  p = await seedPractice(t.deps);
  author = await login(t.app, p.users.supervisee.email);
  supervisor = await login(t.app, p.users.supervisor.email);
  clientId = (await newClient(author)).id;
  smallClientId = (await newClient(author, { legalFirstName: 'Small' })).id;

  const dx = await author.post(`/api/v1/clients/${clientId}/diagnoses`, { code: 'F41.1', rank: 'primary' });
  expect(dx.statusCode, dx.body).toBe(201);
  const draft = await startDraft(author, clientId);
  const saved = await savePlan(
    author,
    draft,
    completeContent(planIds(), p.users.supervisee.id, [dx.json<{ id: string }>().id]),
  );
  expect(saved.statusCode, saved.body).toBe(200);
  const signed = await signPlan(author, saved.json<{ id: string; version: number }>());
  expect(signed.statusCode, signed.body).toBe(200);

  noteIds = [];
  noteIds.push(await signedNoteFor(clientId, 40, NOTE_WORDS[0] ?? ''));
  noteIds.push(await signedNoteFor(clientId, 20, NOTE_WORDS[1] ?? ''));
  noteIds.push(await signedNoteFor(clientId, 6, NOTE_WORDS[2] ?? ''));
  await signedNoteFor(smallClientId, 5, 'The small record');
  const add = await author.post(`/api/v1/notes/${noteIds[0]}/addenda`, {
    reason: 'Late call',
    text: ADDENDUM_TEXT,
    password: PASSWORD,
  });
  expect(add.statusCode, add.body).toBe(201);

  const phq = await author.post(`/api/v1/clients/${clientId}/measures`, {
    instrument: 'phq9',
    answers: { q1: 2, q2: 2, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 0, q9: 1, difficulty: 1 },
    administeredAt: daysAgo(20).toISOString(),
  });
  expect(phq.statusCode, phq.body).toBe(201);
  const gad = await author.post(`/api/v1/clients/${clientId}/measures`, {
    instrument: 'gad7',
    answers: { q1: 1, q2: 1, q3: 1, q4: 1, q5: 0, q6: 0, q7: 0, difficulty: 0 },
    administeredAt: daysAgo(6).toISOString(),
  });
  expect(gad.statusCode, gad.body).toBe(201);
  const pn = await author.post('/api/v1/psychotherapy-notes', {
    clientId,
    dateOfService: localDate(daysAgo(6)),
    content: { processNote: PN_TEXT },
  });
  expect(pn.statusCode, pn.body).toBe(201);

  full = chartBundle(await load(asAuthor(), clientId, scope(RELEASE)));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('FHIR chart export of a real record', () => {
  it('validates every resource with both validators and leaves no reference dangling', () => {
    const problems = validateFhirBundle(full);
    expect(problems, describeProblems(problems)).toEqual([]);
    expect(danglingReferences(bundleResources(full))).toEqual([]);
    const types = new Set(bundleResources(full).map((r) => r.resourceType));
    for (const ty of [
      'Composition',
      'Patient',
      'Practitioner',
      'Organization',
      'Encounter',
      'Condition',
      'CarePlan',
      'Goal',
      'DocumentReference',
      'Provenance',
      'Observation',
      'QuestionnaireResponse',
      'Flag',
    ])
      expect(types, ty).toContain(ty);
  }, 60_000);

  it('carries the decrypted notes, the addendum and the co-signature', () => {
    const docs = bundleResources(full).filter((r) => r.resourceType === 'DocumentReference');
    const texts = clinicalContent(full)
      .notes.map((n) => n.text)
      .join('\n');
    for (const w of [...NOTE_WORDS, ADDENDUM_TEXT]) expect(texts).toContain(w);
    expect(docs.filter((d) => Array.isArray(d.relatesTo))).toHaveLength(1);
    const provs = bundleResources(full).filter(
      (r) =>
        r.resourceType === 'Provenance' &&
        JSON.stringify(r.target).includes(`DocumentReference/${noteIds[1]}`),
    );
    expect(JSON.stringify(provs)).toContain(`Practitioner/${p.users.supervisor.id}`);
    expect(JSON.stringify(provs)).toContain('"verifier"');
  });

  it('never carries a psychotherapy note in a release, nor to anyone but its author', async () => {
    expect(readable(full)).toContain(NOTE_WORDS[0]);
    expect(readable(full)).not.toContain('zebra-quartz');
    // Under a psychotherapy-note scope, a reader who did not write it gets none.
    const other = await load(
      ctxFor('supervisor', ['supervisor', 'clinician']),
      clientId,
      scope(['psychotherapy_notes']),
    );
    expect(other.psychotherapyNotes).toEqual([]);
    expect(readable(chartBundle(other))).not.toContain('zebra-quartz');
    // The author, under that scope, gets it labelled; and nothing else of the record.
    const own = await load(asAuthor(), clientId, scope(['psychotherapy_notes']));
    expect(own.psychotherapyNotes.map((n) => n.text).join()).toContain('zebra-quartz');
    expect([own.notes, own.sessions, own.diagnoses, own.measures, own.planVersions]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
    const pnBundle = chartBundle(own);
    expect(readable(pnBundle)).toContain('zebra-quartz');
    for (const w of NOTE_WORDS) expect(readable(pnBundle)).not.toContain(w);
    const pnDoc = bundleResources(pnBundle).find((r) => r.resourceType === 'DocumentReference');
    expect(JSON.stringify(pnDoc?.meta)).toContain('"PSYTHPN"');
    expect(validateFhirBundle(pnBundle)).toEqual([]);
  }, 60_000);

  it('reads nothing a scope does not cover', async () => {
    const dxOnly = chartBundle(await load(asAuthor(), clientId, scope(['diagnoses'])));
    const types = bundleResources(dxOnly).map((r) => r.resourceType);
    for (const ty of [
      'DocumentReference',
      'Encounter',
      'Observation',
      'CarePlan',
      'QuestionnaireResponse',
      'Consent',
    ])
      expect(types, ty).not.toContain(ty);
    expect(types).toContain('Condition');
    const patient = bundleResources(dxOnly).find((r) => r.resourceType === 'Patient');
    expect(patient?.telecom).toBeUndefined();
    expect(patient?.gender).toBeUndefined();
    const text = readable(dxOnly);
    expect(text).toContain('F41.1');
    for (const w of NOTE_WORDS) expect(text).not.toContain(w);

    const measuresOnly = await load(asAuthor(), clientId, scope(['measures']));
    expect(measuresOnly.measures).toHaveLength(2);
    expect(measuresOnly.riskAlerts).toHaveLength(1);
    expect([measuresOnly.notes, measuresOnly.sessions, measuresOnly.diagnoses]).toEqual([[], [], []]);
    const billing = await load(asAuthor(), clientId, scope(['billing']));
    expect(billing.sessions).toHaveLength(3);
    expect(billing.notes).toEqual([]);
    expect(billing.sessions.every((s) => s.cpt.length > 0)).toBe(true);
  }, 60_000);

  it('keeps to the date range', async () => {
    const recent = await load(
      asAuthor(),
      clientId,
      scope(RELEASE, { from: localDate(daysAgo(10)), to: localDate(new Date()) }),
    );
    expect(recent.notes.map((n) => n.id)).toEqual([noteIds[2]]);
    expect(recent.sessions).toHaveLength(1);
    expect(recent.measures.map((m) => m.instrument)).toEqual(['gad7']);
    expect(recent.riskAlerts).toEqual([]);
    expect(recent.planVersions).toHaveLength(1);
    const json = readable(chartBundle(recent));
    expect(json).not.toContain(NOTE_WORDS[0]);
    expect(json).toContain(NOTE_WORDS[2]);
  });

  it('labels a Part 2 record ETH and carries the notice', async () => {
    const notice = '42 CFR part 2 prohibits unauthorized disclosure of these records.';
    const b = chartBundle(await load(asAuthor(), clientId, scope(RELEASE, { part2Notice: notice })));
    for (const r of bundleResources(b).filter(
      (x) => !['Organization', 'Practitioner'].includes(x.resourceType),
    ))
      expect(JSON.stringify(r.meta), `${r.resourceType}/${r.id}`).toContain('"ETH"');
    const comp = bundleResources(b)[0] as unknown as { section: { title: string; text: { div: string } }[] };
    expect(comp.section[0]?.text.div).toContain(notice);
    expect(JSON.stringify(full)).not.toContain('"ETH"');
  });

  it('sends the same number of queries whatever the size of the record (no N+1)', async () => {
    const big: string[] = [];
    const small: string[] = [];
    const a = await load(asAuthor(), clientId, scope(RELEASE), big);
    const b = await load(asAuthor(), smallClientId, scope(RELEASE), small);
    expect(a.notes.length).toBeGreaterThan(b.notes.length);
    expect(b.notes).toHaveLength(1);
    // The big record has plan versions, measures and addenda the small one lacks; their
    // follow-up reads (acknowledgements, addenda) are one query each, not one per row.
    expect(big.length).toBeLessThanOrEqual(small.length + 2);
    expect(big.length).toBeLessThan(30);
  });
});
