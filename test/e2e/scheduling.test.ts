import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchChromium,
  newBrowserContext,
  screenshot,
  signIn,
  waitForHeading,
  watchPage,
} from '../support/browser.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { login, type Agent } from '../support/testApp.js';
import { openTableOwner } from '../support/tableOwner.js';

const SHOTS = 'test-results/e2e';
const ZONE = 'America/Chicago';
const OWNER = { email: 'owner@maplecounselling.example', password: 'cedar lantern harbor 2031' };
const CLINICIAN = {
  name: 'Casey Rowan',
  email: 'casey@maplecounselling.example',
  password: 'amber meadow compass 2032',
};
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// Far from the practice's zone: every date and time on screen must still be Chicago's.
const BROWSER_ZONE = 'Pacific/Auckland';
// 401 (the signed-out first page), 409 (double booking, existing note) and 412 (stale save)
// are expected; script errors and CSP violations are not.
const EXPECTED_STATUSES = [401, 409, 412];

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let clinicianApi: Agent;
let clinicianId = '';
let noteId = '';
const pageErrors: string[] = [];

/** Today's date in the practice's zone (the browser runs in another zone on purpose). */
function practiceToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
}

function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** The calendar's list of sessions for one practice-local day. */
function dayList(p: Page, date: string) {
  return p.getByRole('list', { name: new RegExp(`^${longDate(date)}`) });
}

async function seedPractice(): Promise<void> {
  const app = server.app;
  const setup = await app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    payload: {
      practiceName: 'Maple Counselling',
      timeZone: ZONE,
      kind: 'clinical',
      owner: { email: OWNER.email, fullName: 'Rae Owner', password: OWNER.password, alsoClinician: false },
    },
  });
  expect(setup.statusCode).toBe(201);
  const owner = await login(app, OWNER.email, OWNER.password);
  const created = await owner.post('/api/v1/users', {
    email: CLINICIAN.email,
    fullName: CLINICIAN.name,
    roles: ['clinician'],
    credentials: 'LPC',
  });
  expect(created.statusCode).toBe(201);
  const body = created.json<{ user: { id: string }; setPasswordLink: { url: string } }>();
  clinicianId = body.user.id;
  const token = body.setPasswordLink.url.split('#token=')[1] ?? '';
  const set = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/set-password',
    payload: { token, password: CLINICIAN.password },
  });
  expect(set.statusCode).toBe(200);
  clinicianApi = await login(app, CLINICIAN.email, CLINICIAN.password);
  for (const [first, last, dob] of [
    ['Jordan', 'Rivera', '1991-04-12'],
    ['Sam', 'Okafor', '1986-09-30'],
  ] as const) {
    const res = await clinicianApi.post('/api/v1/clients', {
      legalFirstName: first,
      legalLastName: last,
      dateOfBirth: dob,
    });
    expect(res.statusCode).toBe(201);
  }
}

describe('scheduling walkthrough in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    await seedPractice();
    browser = await launchChromium();
    context = await newBrowserContext(browser, { timezoneId: BROWSER_ZONE });
    page = await context.newPage();
    watchPage(page, pageErrors, EXPECTED_STATUSES);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('signs the clinician in to the calendar, which is first in the navigation', async () => {
    await page.goto(server.baseUrl);
    await signIn(page, CLINICIAN.email, CLINICIAN.password);
    await waitForHeading(page, 'Calendar');
    const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    await expect(nav.first().textContent()).resolves.toBe('Calendar');
    // A clinician sees only their own calendar: no picker for other people's.
    await expect(page.getByLabel('Calendar of').count()).resolves.toBe(0);
    await page.getByText('No sessions this week.').waitFor();
  });

  it('books a weekly series of four and shows it on the week calendar', async () => {
    const today = practiceToday();
    await page.getByRole('link', { name: 'Book session' }).click();
    await waitForHeading(page, 'Book a session');

    // Submitting with no client is refused with a linked error.
    await page.getByRole('button', { name: 'Book session' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link', { name: /Client: Choose a client/ }).waitFor();

    await page.getByLabel('Client', { exact: true }).fill('Jor');
    await page.getByRole('button', { name: /Jordan Rivera/ }).click();
    await page.getByRole('list', { name: 'Chosen client' }).getByText('Jordan Rivera').waitFor();
    await page.getByLabel('Date', { exact: true }).fill(today);
    await page.getByLabel('Start time').fill('10:00');
    await expect(page.getByLabel('Length (minutes)').inputValue()).resolves.toBe('50');
    await page.getByRole('radio', { name: 'Video' }).check();
    await page.getByLabel('The client joins from home').check();
    await page.getByRole('radio', { name: 'Every week' }).check();
    await page.getByRole('spinbutton', { name: 'Number of sessions' }).fill('4');
    await page.getByRole('button', { name: 'Book series' }).click();

    await waitForHeading(page, 'Calendar');
    await page.getByText(/Booked 4 sessions for Jordan Rivera/).waitFor();
    const block = dayList(page, today).getByRole('link', { name: /Jordan Rivera/ });
    await block.waitFor();
    await expect(block.count()).resolves.toBe(1);
    await expect(block.textContent()).resolves.toMatch(/10:00\s*–\s*10:50\s*AM.*Individual · Video/);
    await screenshot(page, SHOTS, 'scheduling-01-week-calendar');

    // The same wall-clock time next week, and four sessions in one series on the server.
    await page.getByRole('button', { name: /Next week/ }).click();
    const nextWeek = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    await dayList(page, nextWeek)
      .getByRole('link', { name: /Jordan Rivera/ })
      .waitFor();
    await page.getByRole('button', { name: 'Today' }).click();
    await dayList(page, today).waitFor();

    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString();
    const to = new Date(Date.parse(`${today}T00:00:00Z`) + 35 * 86_400_000).toISOString();
    const res = await clinicianApi.get(`/api/v1/sessions?from=${from}&to=${to}`);
    const sessions = res.json<{
      sessions: {
        seriesId: string | null;
        clinicianId: string;
        placeOfService: string;
        scheduledStart: string;
      }[];
    }>().sessions;
    expect(sessions).toHaveLength(4);
    expect(new Set(sessions.map((s) => s.seriesId)).size).toBe(1);
    expect(sessions[0]?.seriesId).not.toBeNull();
    expect(sessions.every((s) => s.placeOfService === '10' && s.clinicianId === clinicianId)).toBe(true);
    for (const s of sessions) {
      const local = new Intl.DateTimeFormat('en-US', {
        timeZone: ZONE,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(s.scheduledStart));
      expect(local).toBe('10:00');
    }
  });

  it('warns about a double booking, lists the clash, then books it anyway', async () => {
    const today = practiceToday();
    // Booked from the client's record, which arrives with the client chosen.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await waitForHeading(page, 'Clients');
    await page.getByRole('link', { name: /Okafor/ }).click();
    await waitForHeading(page, /Sam Okafor/);
    await page.getByRole('link', { name: 'Book session' }).click();
    await waitForHeading(page, 'Book a session');
    await page.getByRole('list', { name: 'Chosen client' }).getByText('Sam Okafor').waitFor();
    await page.getByLabel('Date', { exact: true }).fill(today);
    await page.getByLabel('Start time').fill('10:30');
    await page.getByRole('button', { name: 'Book session' }).click();

    const warning = page.getByRole('alert').filter({ hasText: 'Double booking' });
    await warning.waitFor();
    await expect(warning.getByRole('listitem').count()).resolves.toBe(1);
    await expect(warning.getByRole('listitem').textContent()).resolves.toMatch(
      /10:00\s*–\s*10:50\s*AM.*the same clinician is booked/,
    );
    // Nothing was booked yet.
    const before = await clinicianApi.get(
      `/api/v1/sessions?from=${new Date(Date.now() - 86_400_000 * 2).toISOString()}&to=${new Date(Date.now() + 86_400_000 * 2).toISOString()}`,
    );
    expect(before.json<{ sessions: unknown[] }>().sessions).toHaveLength(1);
    await screenshot(page, SHOTS, 'scheduling-02-booking-double-booked');

    await warning.getByRole('button', { name: 'Book anyway' }).click();
    await waitForHeading(page, 'Calendar');
    await page.getByText(/Booked Sam Okafor on/).waitFor();
    const day = dayList(page, today);
    await day.getByRole('link', { name: /Sam Okafor/ }).waitFor();
    await expect(day.getByRole('link').count()).resolves.toBe(2);
    await screenshot(page, SHOTS, 'scheduling-03-week-calendar-overlap');

    const db = await openTableOwner(server.databaseUrl);
    try {
      const audit = await db.query<{ details: { overlapConfirmed: boolean } }>(
        `SELECT details FROM audit_events WHERE action = 'session.create' ORDER BY seq DESC LIMIT 1`,
      );
      expect(audit.rows[0]?.details.overlapConfirmed).toBe(true);
    } finally {
      await db.end();
    }
  });

  it('opens a session, marks attended, records the times and shows the CPT suggestion', async () => {
    const today = practiceToday();
    await dayList(page, today)
      .getByRole('link', { name: /Jordan Rivera/ })
      .click();
    await waitForHeading(page, /^Session .*10:00/);
    await expect(page.getByRole('button', { name: 'Write note' }).count()).resolves.toBe(0);

    const attendance = page.getByRole('group', { name: 'Attendance for Jordan Rivera' });
    await attendance.getByRole('button', { name: 'Attended' }).click();
    await expect
      .poll(() => attendance.getByRole('button', { name: 'Attended' }).getAttribute('aria-pressed'))
      .toBe('true');
    await page.getByRole('button', { name: 'Write note' }).waitFor();
    await page.getByText(/Record the minutes of face-to-face time/).waitFor();

    await page.getByRole('button', { name: 'Use the booked times' }).click();
    await page.getByText('Minutes: 50').waitFor();
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByText('Place of service: 10').waitFor();
    const suggested = page.getByRole('list', { name: 'Suggested CPT codes' });
    await expect(suggested.textContent()).resolves.toMatch(/90834.*modifier 95/);
    await page.getByText(/Video session: modifier 95/).waitFor();
    await screenshot(page, SHOTS, 'scheduling-04-session-detail');
  });

  it('refuses a stale save and shows the version someone else saved', async () => {
    const sessionId = new RegExp(`/sessions/(${UUID})$`).exec(page.url())?.[1] ?? '';
    const current = await clinicianApi.get(`/api/v1/sessions/${sessionId}`);
    const version = current.json<{ version: number }>().version;
    const other = await clinicianApi.patch(
      `/api/v1/sessions/${sessionId}`,
      { location: 'Zoom room B' },
      { 'if-match': `"${version}"` },
    );
    expect(other.statusCode).toBe(200);

    await page.getByLabel('Video room or line').fill('Zoom room A');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('alert').filter({ hasText: 'Changed by someone else' }).waitFor();
    await expect(page.getByLabel('Video room or line').inputValue()).resolves.toBe('Zoom room B');
    const after = await clinicianApi.get(`/api/v1/sessions/${sessionId}`);
    expect(after.json<{ location: string }>().location).toBe('Zoom room B');
    expect(pageErrors).toEqual([]);
  });

  it('writes the note from the session, and opens the same note the second time', async () => {
    const sessionPath = new URL(page.url()).pathname;
    await page.getByLabel('Note format').selectOption('dap');
    await page.getByRole('button', { name: 'Write note' }).click();
    await page.waitForURL(new RegExp(`/notes/${UUID}$`));
    noteId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const note = await clinicianApi.get(`/api/v1/notes/${noteId}`);
    expect(note.statusCode).toBe(200);
    const body = note.json<{ sessionId: string; kind: string; format: string; status: string }>();
    expect(body).toMatchObject({ sessionId: sessionPath.split('/').pop(), kind: 'progress', format: 'dap' });
    expect(body.status).toBe('draft');

    await page.goto(`${server.baseUrl}${sessionPath}`);
    await waitForHeading(page, /^Session /);
    await page.getByText('Draft', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Open note' }).click();
    await page.waitForURL(`${server.baseUrl}/notes/${noteId}`);
  });

  it('shows attendance and the note state on the day view', async () => {
    const today = practiceToday();
    await page.goto(`${server.baseUrl}/calendar`);
    await waitForHeading(page, 'Calendar');
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: longDate(today) }).waitFor();
    const jordan = dayList(page, today).getByRole('link', { name: /Jordan Rivera/ });
    await jordan.getByText('Attended', { exact: true }).waitFor();
    await jordan.getByText('Note in draft', { exact: true }).waitFor();
    const sam = dayList(page, today).getByRole('link', { name: /Sam Okafor/ });
    await expect(sam.textContent()).resolves.toMatch(/10:30\s*–\s*11:20\s*AM/);
    await screenshot(page, SHOTS, 'scheduling-05-day-calendar');
  });

  it('makes a calendar feed address, shows it once with a warning, then turns the feed off', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
    await waitForHeading(page, 'My account');
    const section = page.getByRole('region', { name: 'Calendar feed' });
    await section.getByText('The feed is off.').waitFor();
    await section.getByRole('button', { name: 'Create a feed address' }).click();
    const shown = section.getByRole('alert').filter({ hasText: 'Anyone with this link can see' });
    await shown.waitFor();
    const url = await section.getByLabel('Feed address').inputValue();
    expect(url).toMatch(/\/calendar\//);
    await screenshot(page, SHOTS, 'scheduling-06-calendar-feed');
    const feed = await server.app.inject({ method: 'GET', url: new URL(url).pathname });
    expect(feed.statusCode).toBe(200);
    expect(feed.body).toContain('BEGIN:VCALENDAR');

    await section.getByRole('button', { name: 'Done' }).click();
    await expect(section.getByLabel('Feed address').count()).resolves.toBe(0);
    await section.getByRole('button', { name: 'Turn off the feed' }).click();
    await section.getByRole('button', { name: 'Yes, turn it off' }).click();
    await section.getByText('The feed is off.').waitFor();
    const status = await clinicianApi.get('/api/v1/account/calendar-feed');
    expect(status.json<{ active: boolean }>().active).toBe(false);
    const gone = await server.app.inject({ method: 'GET', url: new URL(url).pathname });
    expect(gone.statusCode).toBe(404);
  });

  it('lets the owner see the whole practice and set the documentation deadline', async () => {
    const ownerContext = await newBrowserContext(browser, { timezoneId: BROWSER_ZONE });
    try {
      const p = await ownerContext.newPage();
      watchPage(p, pageErrors, EXPECTED_STATUSES);
      await p.goto(server.baseUrl);
      await signIn(p, OWNER.email, OWNER.password);
      await waitForHeading(p, 'Calendar');
      // Not a clinician: the practice's calendar, with each session's clinician named.
      await expect(p.getByLabel('Calendar of').inputValue()).resolves.toBe('all');
      const day = dayList(p, practiceToday());
      await day.getByRole('link', { name: /Jordan Rivera.*Casey Rowan/ }).waitFor();
      await p.getByLabel('Calendar of').selectOption({ label: CLINICIAN.name });
      await day.getByRole('link', { name: /Sam Okafor/ }).waitFor();

      await p
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Practice settings' })
        .click();
      await waitForHeading(p, 'Practice settings');
      const group = p.getByRole('group', { name: 'Notes are due after the session ends' });
      await expect(group.getByRole('radio', { name: '72 hours' }).isChecked()).resolves.toBe(true);
      await group.getByRole('radio', { name: '48 hours' }).check();
      await p.getByLabel('Remind the clinician').fill('60');
      await p.getByRole('button', { name: 'Save settings' }).click();
      const summary = p.getByRole('alert').filter({ hasText: 'There is a problem' });
      await summary.getByRole('link', { name: /Reminder: At most 48/ }).waitFor();
      await p.getByLabel('Remind the clinician').fill('12');
      await p.getByRole('button', { name: 'Save settings' }).click();
      await p.getByText('Settings saved.').waitFor();
      await screenshot(p, SHOTS, 'scheduling-07-settings-deadlines');
      const owner = await login(server.app, OWNER.email, OWNER.password);
      const settings = (await owner.get('/api/v1/practice/settings')).json<{
        noteDueHours: number;
        noteReminderHours: number;
        officePlaceOfService: string;
      }>();
      expect(settings).toMatchObject({ noteDueHours: 48, noteReminderHours: 12, officePlaceOfService: '11' });
    } finally {
      await ownerContext.close();
    }
  });
});
