import { createHash } from 'node:crypto';
import type pg from 'pg';
import { encryptField, newDataKey, wrapDataKey } from '../../src/security/fieldEncryption.js';
import { newId } from '../../src/security/ids.js';

// A client's clinical history as the export benchmarks want it, written straight into the tables:
// weekly attended sessions, each with a signed SOAP note (real AES-GCM ciphertext with the
// client's key), a PHQ-9 every fourth session and, if asked, an addendum on those notes too.

export const WEEK = 7 * 86_400_000;

export const SOAP = {
  subjective:
    'Reports sleeping five to six hours a night, worry about work deadlines most days, and two arguments with a partner this week.',
  objective:
    'Arrived on time, casually dressed, speech normal rate and volume, affect anxious and congruent.',
  assessment:
    'Anxiety symptoms persist with partial progress toward goal 1; uses breathing skills twice a day.',
  clientResponse: 'Engaged with the thought record and identified two automatic thoughts about failure.',
  risk: { suicidalIdeation: 'none', homicidalIdeation: 'none', selfHarm: 'none', safetyPlan: '', notes: '' },
  interventions: { selected: ['cognitive_restructuring'], other: '' },
  plan: 'Continue weekly CBT; review thought records next session and introduce graded exposure.',
  homework: 'Two thought records before the next session.',
  nextAppointment: 'Next week, same time',
};

/** Gives the client a data key, stored wrapped with the practice key; returns the plain key. */
export async function insertClientKey(
  su: pg.ClientBase,
  practiceId: string,
  practiceKey: Buffer,
  clientId: string,
): Promise<Buffer> {
  const key = newDataKey();
  await su.query('INSERT INTO client_keys (client_id, practice_id, wrapped_key) VALUES ($1, $2, $3)', [
    clientId,
    practiceId,
    wrapDataKey(practiceKey, clientId, key),
  ]);
  return key;
}

export interface WeeklyHistory {
  practiceId: string;
  clientId: string;
  clinicianId: string;
  /** The client's data key. */
  key: Buffer;
  sessions: number;
  /** The last session is a week before this (ms since the epoch). */
  end: number;
  /** The note's session facts for a session from start to stop. */
  facts: (start: Date, stop: Date) => Record<string, unknown>;
  /** The PHQ-9 given every fourth session: answers and the stored total (band mild). */
  phq9: { answers: Record<string, number>; total: number };
  /** Whether every fourth note also gets a signed addendum. */
  addenda: boolean;
}

/** Inserts the sessions, attendance, signed notes, measures (and addenda) for one client. */
export async function insertWeeklyHistory(su: pg.ClientBase, h: WeeklyHistory): Promise<void> {
  const { practiceId, clientId, clinicianId: clin, key, sessions: n } = h;
  const s = { id: [] as string[], start: [] as Date[], end: [] as Date[] };
  const note = {
    id: [] as string[],
    session: [] as string[],
    date: [] as string[],
    enc: [] as Buffer[],
    facts: [] as string[],
    signed: [] as Date[],
    hash: [] as string[],
  };
  const add = { id: [] as string[], note: [] as string[], enc: [] as Buffer[], at: [] as Date[] };
  const m = { id: [] as string[], at: [] as Date[], session: [] as string[], enc: [] as Buffer[] };
  const answers = JSON.stringify(h.phq9.answers);
  for (let i = 0; i < n; i++) {
    const start = new Date(h.end - (n - i) * WEEK);
    const stop = new Date(start.getTime() + 53 * 60_000);
    const sid = newId();
    s.id.push(sid);
    s.start.push(start);
    s.end.push(stop);
    const nid = newId();
    const text = JSON.stringify({ ...SOAP, plan: `${SOAP.plan} Session ${i + 1}.` });
    note.id.push(nid);
    note.session.push(sid);
    note.date.push(start.toISOString().slice(0, 10));
    note.enc.push(encryptField(key, 'notes', nid, 'content', text));
    note.facts.push(JSON.stringify(h.facts(start, stop)));
    note.signed.push(new Date(stop.getTime() + 3_600_000));
    note.hash.push(createHash('sha256').update(text).digest('hex'));
    if (i % 4 !== 0) continue;
    if (h.addenda) {
      const aid = newId();
      add.id.push(aid);
      add.note.push(nid);
      const addendum = JSON.stringify({
        reason: 'Late entry',
        text: `Client phoned after session ${i + 1}.`,
      });
      add.enc.push(encryptField(key, 'note_addenda', aid, 'content', addendum));
      add.at.push(new Date(stop.getTime() + 86_400_000));
    }
    const mid = newId();
    m.id.push(mid);
    m.at.push(start);
    m.session.push(sid);
    m.enc.push(encryptField(key, 'measure_administrations', mid, 'answers', answers));
  }
  await su.query(
    `INSERT INTO sessions (id, practice_id, clinician_id, service_type, scheduled_start, scheduled_end,
                           actual_start, actual_end, modality, place_of_service, created_by)
     SELECT x.id, $1, $2, 'individual', x.s, x.e, x.s, x.e, 'in_person', '11', $2
       FROM unnest($3::uuid[], $4::timestamptz[], $5::timestamptz[]) AS x(id, s, e)`,
    [practiceId, clin, s.id, s.start, s.end],
  );
  await su.query(
    `INSERT INTO session_clients (practice_id, session_id, client_id, clinician_id, starts_at, attendance, note_state)
     SELECT $1, x.id, $2, $3, x.s, 'attended', 'signed' FROM unnest($4::uuid[], $5::timestamptz[]) AS x(id, s)`,
    [practiceId, clientId, clin, s.id, s.start],
  );
  await su.query(
    `INSERT INTO notes (id, practice_id, client_id, session_id, author_id, caseload_id, kind, format, template_key,
                        template_version, status, date_of_service, session_facts, diagnosis_codes, content_enc,
                        signed_at, signed_by, signer_name, signer_credentials, content_hash)
     SELECT x.id, $1, $2, x.sid, $3, $3, 'progress', 'soap', 'builtin.progress.soap', 1, 'signed', x.d::date,
            x.f::jsonb, '{F41.1}', x.enc, x.signed, $3, 'Bench Clinician', 'LCSW', x.h
       FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::bytea[], $9::timestamptz[], $10::text[])
            AS x(id, sid, d, f, enc, signed, h)`,
    [
      practiceId,
      clientId,
      clin,
      note.id,
      note.session,
      note.date,
      note.facts,
      note.enc,
      note.signed,
      note.hash,
    ],
  );
  if (add.id.length)
    await su.query(
      `INSERT INTO note_addenda (id, practice_id, note_id, client_id, author_id, content_enc, signed_at, signer_name, content_hash)
       SELECT x.id, $1, x.nid, $2, $3, x.enc, x.at, 'Bench Clinician', $4
         FROM unnest($5::uuid[], $6::uuid[], $7::bytea[], $8::timestamptz[]) AS x(id, nid, enc, at)`,
      [practiceId, clientId, clin, 'cd'.repeat(32), add.id, add.note, add.enc, add.at],
    );
  await su.query(
    `INSERT INTO measure_administrations (id, practice_id, client_id, instrument, version, administered_at, source,
                                          session_id, answers_enc, total, band, recorded_by)
     SELECT x.id, $1, $2, 'phq9', 'en-1', x.at, 'clinician', x.sid, x.enc, $4, 'mild', $3
       FROM unnest($5::uuid[], $6::timestamptz[], $7::uuid[], $8::bytea[]) AS x(id, at, sid, enc)`,
    [practiceId, clientId, clin, h.phq9.total, m.id, m.at, m.session, m.enc],
  );
}
