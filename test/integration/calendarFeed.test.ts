/**
 * The per-clinician iCalendar feed at a secret URL: client codes and session kinds only, never
 * a name, contact, place or clinical word; one secret at a time; every fetch audited as the owner.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { LightMyRequestResponse } from 'fastify';
import {
  login,
  NEW_CLIENT,
  openTestApp,
  seedPractice,
  type Agent,
  type SeededPractice,
  type TestApp,
} from '../support/testApp.js';
import { isProblem } from '../support/staffAgents.js';
import { auditRowsOf, openTableOwner } from '../support/tableOwner.js';
import { attend, bookSession, newClient, type ClientView, type SessionView } from '../support/clinical.js';

let t: TestApp;
let db: pg.Client;
let p: SeededPractice;
let clinician: Agent;
let otherClinician: Agent;

// Everything a calendar must never show: names, contact details, the place, the clinician.
const CLIENTS = [
  NEW_CLIENT,
  {
    ...NEW_CLIENT,
    legalFirstName: 'Morgana',
    legalLastName: 'Quillfeather',
    preferredName: 'Mo',
    email: 'morgana.q@example.test',
  },
  {
    ...NEW_CLIENT,
    legalFirstName: 'Thaddeus',
    legalLastName: 'Oyelaran',
    preferredName: 'Tad',
    email: 'thad.o@example.test',
  },
];
const FORBIDDEN = [
  'Jordan',
  'Rivera',
  'jordan.rivera@example.test',
  'Morgana',
  'Quillfeather',
  'morgana.q@example.test',
  'Thaddeus',
  'Oyelaran',
  'Tad',
  'thad.o@example.test',
  '010-2233',
  '1991-04-12',
  '19910412',
  'Pat Rivera',
  'they/them',
  'Elm Street',
  'Casey',
  'Clinician',
  'DESCRIPTION',
  'LOCATION',
  'ATTENDEE',
  'ORGANIZER',
];

const clients: ClientView[] = [];
const sessions: Record<string, SessionView> = {};

/** The practice-local date `days` from today. */
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function feedPath(url: string): string {
  return new URL(url).pathname;
}

async function fetchFeed(path: string): Promise<LightMyRequestResponse> {
  // A calendar app: no cookie, no token, no CSRF header.
  return t.app.inject({ method: 'GET', url: path, headers: { 'user-agent': 'CalendarAgent/1.0' } });
}

/** The unfolded content lines of an iCalendar body (RFC 5545 §3.1). */
function unfold(body: string): string[] {
  return body
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((l) => l !== '');
}

/** Each VEVENT as a map of property name to value. */
function events(body: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of unfold(body)) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      if (current) out.push(current);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  return out;
}

beforeAll(async () => {
  t = await openTestApp();
  db = await openTableOwner();
  p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  otherClinician = await login(t.app, p.users.otherClinician.email);
  for (const c of CLIENTS) clients.push(await newClient(clinician, c));
  const [a, b, c] = clients;
  if (!a || !b || !c) throw new Error('clients missing');
  const me = p.users.clinician.id;
  sessions.recent = await bookSession(clinician, {
    clinicianId: me,
    clientIds: [a.id],
    serviceType: 'individual',
    startLocal: `${day(-10)}T09:00`,
  });
  sessions.soon = await bookSession(clinician, {
    clinicianId: me,
    clientIds: [a.id],
    serviceType: 'individual',
    startLocal: `${day(3)}T10:00`,
    location: 'Room 4, 12 Elm Street',
  });
  sessions.group = await bookSession(clinician, {
    clinicianId: me,
    clientIds: [a.id, b.id, c.id],
    serviceType: 'group',
    startLocal: `${day(4)}T14:00`,
    durationMinutes: 90,
  });
  sessions.cancelled = await bookSession(clinician, {
    clinicianId: me,
    clientIds: [b.id],
    serviceType: 'family_without_client',
    startLocal: `${day(5)}T10:00`,
  });
  await attend(clinician, sessions.cancelled.id, b.id, 'cancelled_client', 'Client has the flu');
  // Outside the window (more than 30 days ago, more than 180 ahead): not in the feed.
  sessions.longAgo = await bookSession(clinician, {
    clinicianId: me,
    clientIds: [a.id],
    serviceType: 'individual',
    startLocal: `${day(-40)}T09:00`,
  });
  sessions.farAhead = await bookSession(clinician, {
    clinicianId: me,
    clientIds: [a.id],
    serviceType: 'individual',
    startLocal: `${day(200)}T09:00`,
  });
  // Another clinician's session never shows in this clinician's feed.
  const theirs = await newClient(otherClinician, CLIENTS[1]);
  sessions.theirs = await bookSession(otherClinician, {
    clinicianId: p.users.otherClinician.id,
    clientIds: [theirs.id],
    startLocal: `${day(3)}T10:00`,
  });
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('the calendar feed', () => {
  let url: string;
  let replacedUrl: string;

  it('starts with no feed', async () => {
    const res = await clinician.get('/api/v1/account/calendar-feed');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ active: false, createdAt: null });
  });

  it('makes a secret URL under the public address, audited', async () => {
    const res = await clinician.post('/api/v1/account/calendar-feed');
    expect(res.statusCode, res.body).toBe(201);
    url = res.json<{ url: string }>().url;
    expect(url).toMatch(/^http:\/\/casebook\.test\/calendar\/cb_cal_[A-Za-z0-9_-]{43}\.ics$/);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'calendar_feed.create',
        category: 'calendar',
        outcome: 'success',
        actor_user_id: p.users.clinician.id,
        details: { replaced: 0 },
      }),
    ]);
    const status = (await clinician.get('/api/v1/account/calendar-feed')).json<{
      active: boolean;
      createdAt: string | null;
    }>();
    expect(status.active).toBe(true);
    expect(Number.isNaN(Date.parse(status.createdAt ?? ''))).toBe(false);
    // Only the hash of the secret is stored.
    const token = feedPath(url)
      .replace(/^\/calendar\//, '')
      .replace(/\.ics$/, '');
    const stored = await db.query<{ dump: string }>(
      'SELECT to_jsonb(f)::text AS dump FROM calendar_feeds f WHERE practice_id = $1',
      [p.practiceId],
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]?.dump).not.toContain(token.slice(7));
  });

  it('serves the sessions as iCalendar with client codes and session kinds only', async () => {
    const res = await fetchFeed(feedPath(url));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.body;
    expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const [a, b] = clients;
    const byUid = new Map(events(body).map((e) => [e.UID, e]));
    expect([...byUid.keys()].sort()).toEqual(
      [sessions.recent, sessions.soon, sessions.group, sessions.cancelled]
        .map((s) => `${s?.id}@casebook`)
        .sort(),
    );
    expect(byUid.get(`${sessions.soon?.id}@casebook`)).toMatchObject({
      SUMMARY: `${a?.clientCode} · Individual`,
      STATUS: 'CONFIRMED',
      SEQUENCE: '1',
    });
    expect(byUid.get(`${sessions.group?.id}@casebook`)).toMatchObject({
      SUMMARY: 'Group · 3 clients',
      STATUS: 'CONFIRMED',
    });
    // Cancelling changed the session, so calendars see a newer sequence and the cancellation.
    expect(byUid.get(`${sessions.cancelled?.id}@casebook`)).toMatchObject({
      SUMMARY: `${b?.clientCode} · Family (client not present)`,
      STATUS: 'CANCELLED',
      SEQUENCE: String((sessions.cancelled?.version ?? 0) + 1),
    });
    for (const e of byUid.values())
      expect(Object.keys(e).sort()).toEqual(
        ['DTEND', 'DTSTAMP', 'DTSTART', 'LAST-MODIFIED', 'SEQUENCE', 'STATUS', 'SUMMARY', 'UID'].sort(),
      );
    for (const word of FORBIDDEN) expect(body, word).not.toContain(word);
    expect(body).not.toMatch(/\bJo\b|\bMo\b/);
    expect(body).not.toContain(p.users.clinician.email);
    expect(body).not.toContain('flu');
  });

  it('records each fetch as the feed owner, with the number of sessions', async () => {
    const res = await fetchFeed(feedPath(url));
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        practice_id: p.practiceId,
        action: 'calendar_feed.fetch',
        category: 'calendar',
        outcome: 'success',
        actor_user_id: p.users.clinician.id,
        client_id: null,
        user_agent: 'CalendarAgent/1.0',
        details: { sessions: 4 },
      }),
    ]);
  });

  it('folds long lines at 75 octets with CRLF, never inside a character', async () => {
    const name = 'Clínica de Psicoterapia Integral — Centro de Bienestar Emocional del Valle Alto';
    const owner = await login(t.app, p.users.owner.email);
    const settings = await owner.get('/api/v1/practice/settings');
    const renamed = await owner.patch(
      '/api/v1/practice/settings',
      { name },
      { 'if-match': String(settings.headers.etag) },
    );
    expect(renamed.statusCode, renamed.body).toBe(200);
    const body = (await fetchFeed(feedPath(url))).body;
    // Every line ends in CRLF: no bare LF or CR anywhere.
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const raw = body.split('\r\n');
    expect(raw.some((l) => l.startsWith(' '))).toBe(true);
    for (const l of raw) expect(Buffer.byteLength(l, 'utf8'), l).toBeLessThanOrEqual(75);
    expect(unfold(body)).toContain(`X-WR-CALNAME:Casebook · ${name}`);
  });

  it('a new URL replaces the old one, which then answers 404', async () => {
    const res = await clinician.post('/api/v1/account/calendar-feed');
    expect(res.statusCode).toBe(201);
    const next = res.json<{ url: string }>().url;
    expect(next).not.toBe(url);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'calendar_feed.create', details: { replaced: 1 } }),
    ]);
    const old = await fetchFeed(feedPath(url));
    expect(old.statusCode).toBe(404);
    expect(isProblem(old)).toBe(true);
    expect((await fetchFeed(feedPath(next))).statusCode).toBe(200);
    replacedUrl = url;
    url = next;
  });

  it('unknown, revoked and malformed names all get the same bare 404, and nothing is audited', async () => {
    const paths = [
      `/calendar/cb_cal_${randomBytes(32).toString('base64url')}.ics`,
      feedPath(replacedUrl),
      '/calendar/cb_cal_short.ics',
      `/calendar/${randomBytes(32).toString('base64url')}.ics`,
      feedPath(url).replace(/\.ics$/, '.txt'),
      `${feedPath(url)}x`,
    ];
    const details = new Set<string>();
    for (const path of paths) {
      const res = await fetchFeed(path);
      expect(res.statusCode, path).toBe(404);
      expect(isProblem(res)).toBe(true);
      details.add(res.json<{ detail: string }>().detail);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([]);
    }
    expect(details.size).toBe(1);
  });

  it('revoking stops the feed at once, audited', async () => {
    const res = await clinician.delete('/api/v1/account/calendar-feed');
    expect(res.statusCode).toBe(204);
    expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'calendar_feed.revoke',
        category: 'calendar',
        details: { revoked: 1 },
      }),
    ]);
    expect((await fetchFeed(feedPath(url))).statusCode).toBe(404);
    expect((await clinician.get('/api/v1/account/calendar-feed')).json()).toEqual({
      active: false,
      createdAt: null,
    });
  });
});

describe('guessing feed URLs', () => {
  it('is rate-limited per address like the other public routes', async () => {
    const guess = () =>
      t.app.inject({
        method: 'GET',
        url: `/calendar/cb_cal_${randomBytes(32).toString('base64url')}.ics`,
        remoteAddress: '203.0.113.77',
      });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await guess()).statusCode);
    expect(statuses.every((s) => s === 404)).toBe(true);
    const limited = await guess();
    expect(limited.statusCode).toBe(429);
    expect(isProblem(limited)).toBe(true);
    // Someone else's address is unaffected.
    const other = await t.app.inject({
      method: 'GET',
      url: '/calendar/cb_cal_x.ics',
      remoteAddress: '203.0.113.78',
    });
    expect(other.statusCode).toBe(404);
  });
});

describe('who may have a feed', () => {
  it('a biller or scheduler cannot make one: 403, audited as denied, nothing stored', async () => {
    for (const key of ['biller', 'scheduler'] as const) {
      const agent = await login(t.app, p.users[key].email);
      const res = await agent.post('/api/v1/account/calendar-feed');
      expect(res.statusCode, key).toBe(403);
      expect(isProblem(res)).toBe(true);
      expect(await auditRowsOf(db, res.headers['x-request-id'])).toEqual([
        expect.objectContaining({ action: 'calendar_feed.create', category: 'calendar', outcome: 'denied' }),
      ]);
      const rows = await db.query('SELECT 1 FROM calendar_feeds WHERE user_id = $1', [p.users[key].id]);
      expect(rows.rowCount).toBe(0);
    }
  });

  it('a script with an API token cannot make one (the URL is a standing credential)', async () => {
    const token = await clinician.post('/api/v1/me/tokens', { name: 'cal', scope: 'read-write' });
    const secret = token.json<{ secret: string }>().secret;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/account/calendar-feed',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it('signed out, the account routes answer 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/account/calendar-feed' });
    expect(res.statusCode).toBe(401);
  });
});
