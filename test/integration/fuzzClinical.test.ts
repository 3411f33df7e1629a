/**
 * Property tests for the clinical writes: random and mutated session bookings, draft saves and
 * addenda never get a 5xx, every 4xx is a problem document, and a refused request writes nothing.
 */
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
import { bodies, expectWellFormed, payloadOf, type Body } from '../support/fuzzBodies.js';
import { openTableOwner } from '../support/tableOwner.js';
import { bookSession, newClient, saveDraft, signNote, startNote } from '../support/clinical.js';

const RUNS = 50;

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let clientId: string;

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  clientId = (await newClient(clinician)).id;
});
afterAll(async () => {
  await db.end();
  await t.close();
});

function send(method: 'POST' | 'PUT', url: string, body: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method,
    url,
    headers: {
      cookie: clinician.cookie,
      'x-csrf-token': clinician.csrf,
      'content-type': 'application/json',
      ...headers,
    },
    payload: payloadOf(body),
  });
}

async function fingerprint(noteId: string): Promise<string> {
  const r = await db.query<{ f: string }>(
    `SELECT md5(row(n.*)::text) || ':' || (SELECT count(*) FROM note_addenda a WHERE a.note_id = n.id) AS f
       FROM notes n WHERE n.id = $1`,
    [noteId],
  );
  return r.rows[0]?.f ?? 'missing';
}

async function sessionCount(): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE practice_id = $1', [
    p.practiceId,
  ]);
  return r.rows[0]?.n ?? -1;
}

describe('session booking', () => {
  it('never fails with a 5xx, and a refused booking books nothing', async () => {
    let day = 0;
    const base = (): Body => {
      day += 1;
      const d = new Date(Date.UTC(2027, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      return {
        clientIds: [clientId],
        clinicianId: p.users.clinician.id,
        serviceType: 'individual',
        startLocal: `${d}T09:00`,
        durationMinutes: 50,
        modality: 'video',
        location: 'Video',
        clientAtHome: true,
        otherParticipants: ['mother'],
        recurrence: { kind: 'weekly', count: 2 },
        allowOverlap: true,
      };
    };
    await fc.assert(
      fc.asyncProperty(bodies(base()), async (body) => {
        const before = await sessionCount();
        const res = await send('POST', '/api/v1/sessions', body);
        expectWellFormed(res, body);
        if (res.statusCode >= 400) expect(await sessionCount()).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('draft autosave and addenda', () => {
  it('never fails with a 5xx, and a refused save leaves the draft exactly as it was', async () => {
    const session = await bookSession(clinician, {
      clientIds: [clientId],
      clinicianId: p.users.clinician.id,
      startLocal: '2026-06-01T10:00',
      durationMinutes: 45,
      allowOverlap: true,
    });
    const note = await startNote(clinician, { clientId, sessionId: session.id, format: 'birp' });
    let version = note.version;
    const base: Body = {
      content: {
        ...note.content,
        behavior: 'Arrived on time.',
        risk: {
          suicidalIdeation: 'low',
          homicidalIdeation: 'none',
          selfHarm: 'none',
          safetyPlan: 'Call the crisis line.',
          notes: '',
        },
        interventions: { selected: ['grounding'], other: 'paced breathing' },
      },
      sessionFacts: {
        start: '2026-06-01T15:00:00Z',
        end: '2026-06-01T15:45:00Z',
        modality: 'video',
        clientAtHome: true,
      },
      diagnosisCodes: ['F41.1', 'F43.10'],
    };
    await fc.assert(
      fc.asyncProperty(bodies(base), async (body) => {
        const before = await fingerprint(note.id);
        const res = await send('PUT', `/api/v1/notes/${note.id}/draft`, body, { 'if-match': `"${version}"` });
        expectWellFormed(res, body);
        if (res.statusCode >= 400) expect(await fingerprint(note.id)).toBe(before);
        else version = res.json<{ version: number }>().version;
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses malformed addenda on a signed note without writing', async () => {
    const created = await startNote(clinician, { clientId, kind: 'contact', dateOfService: '2026-06-02' });
    const filled = await saveDraft(clinician, created, {
      content: {
        ...created.content,
        contactType: 'phone',
        contactWith: 'client',
        summary: 'Confirmed the next appointment.',
      },
    });
    await signNote(clinician, filled);
    const base: Body = { reason: 'Correction', text: 'The call was on Tuesday.' };
    await fc.assert(
      fc.asyncProperty(bodies(base), async (body) => {
        const before = await fingerprint(created.id);
        const res = await send('POST', `/api/v1/notes/${created.id}/addenda`, body);
        expectWellFormed(res, body);
        // A refused addendum adds nothing and leaves the note as it was.
        if (res.statusCode >= 400) expect(await fingerprint(created.id)).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});
