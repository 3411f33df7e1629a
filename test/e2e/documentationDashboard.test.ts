import { mkdir } from 'node:fs/promises';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchChromium,
  newBrowserContext,
  openSignedIn,
  screenshot,
  waitForHeading,
  watchPage,
} from '../support/browser.js';
import {
  attend,
  bookSession,
  clientNamed,
  newClient,
  signNote,
  SOAP_CONTENT,
  writeDraft,
} from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { openTableOwner } from '../support/tableOwner.js';
import { login, PASSWORD, type Agent } from '../support/testApp.js';

const SHOTS = 'test-results/e2e';
const TIME_ZONE = 'America/Chicago';
const HOUR_MS = 3_600_000;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

// The sign-in page asks who is signed in (401 before sign-in); script errors and CSP violations must not appear.
const EXPECTED_STATUSES = [401];

interface Staffer {
  id: string;
  email: string;
  name: string;
  agent: Agent;
}

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let ownerEmail = '';
let clinician: Staffer;
let supervisor: Staffer;
let supervisee: Staffer;
let overdueSessionId = '';
let cosignNoteId = '';

/** Wall-clock time in the practice's zone, as the booking form sends it ("2026-03-02T10:00"). */
function localTime(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')}T${p('hour')}:${p('minute')}`;
}

async function expectStatus(
  res: Promise<LightMyRequestResponse>,
  status: number,
): Promise<LightMyRequestResponse> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r;
}

/** Adds a user through the staff API and sets their password through the one-time link. */
async function addStaff(
  owner: Agent,
  name: string,
  roles: string[],
  supervisorId: string | null = null,
): Promise<Staffer> {
  const email = `${name.split(' ')[0]?.toLowerCase() ?? 'user'}@willowtherapy.example`;
  const res = await expectStatus(
    owner.post('/api/v1/users', { email, fullName: name, roles, credentials: 'LCSW', supervisorId }),
    201,
  );
  const body = res.json<{ user: { id: string }; setPasswordLink: { url: string } }>();
  const token = body.setPasswordLink.url.split('#token=')[1] ?? '';
  await expectStatus(
    server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/set-password',
      payload: { token, password: PASSWORD },
    }),
    200,
  );
  return { id: body.user.id, email, name, agent: await login(server.app, email) };
}

/** Books a session on the staffer's own calendar starting at `start` and records attendance. */
async function pastSession(
  who: Staffer,
  clientId: string,
  start: Date,
  attendance: 'attended' | 'no_show',
): Promise<string> {
  const session = await bookSession(who.agent, {
    clinicianId: who.id,
    clientIds: [clientId],
    startLocal: localTime(start),
    durationMinutes: 53,
  });
  await attend(who.agent, session.id, clientId, attendance);
  return session.id;
}

/** A client on the staffer's caseload, listed by legal name. */
async function clientOf(who: Staffer, first: string, last: string): Promise<string> {
  return (await newClient(who.agent, clientNamed(first, last))).id;
}

async function signedInPage(email: string): Promise<Page> {
  const context = await newBrowserContext(browser, { timezoneId: TIME_ZONE });
  contexts.push(context);
  const page = await context.newPage();
  watchPage(page, pageErrors, EXPECTED_STATUSES);
  await openSignedIn(page, server.baseUrl, email, PASSWORD);
  return page;
}

/** Nothing pushes the page wider than the window. */
async function noSideScroll(p: Page): Promise<void> {
  await expect(p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(
    true,
  );
}

describe('documentation dashboard, co-sign queue and compliance in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    ownerEmail = 'morgan@willowtherapy.example';
    await expectStatus(
      server.app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: {
          practiceName: 'Willow Street Therapy',
          timeZone: TIME_ZONE,
          kind: 'clinical',
          owner: { email: ownerEmail, fullName: 'Morgan Ellis', password: PASSWORD, alsoClinician: false },
        },
      }),
      201,
    );
    const owner = await login(server.app, ownerEmail);
    clinician = await addStaff(owner, 'Casey Park', ['clinician']);
    supervisor = await addStaff(owner, 'Sam Okafor', ['supervisor', 'clinician']);
    supervisee = await addStaff(owner, 'Sid Romero', ['clinician'], supervisor.id);

    // The clinician: a session a week ago (its note is long past the default 72 hours), one
    // 60 hours ago (due within the day) and a no-show yesterday (a short contact note, not due yet).
    const now = Date.now();
    const jo = await clientOf(clinician, 'Jordan', 'Rivera');
    const ana = await clientOf(clinician, 'Ana', 'Lopez');
    const lee = await clientOf(clinician, 'Lee', 'Chen');
    overdueSessionId = await pastSession(clinician, jo, new Date(now - 7 * 24 * HOUR_MS), 'attended');
    await pastSession(clinician, ana, new Date(now - 60 * HOUR_MS), 'attended');
    await pastSession(clinician, lee, new Date(now - 26 * HOUR_MS), 'no_show');

    // The supervisee: a note signed late, now waiting for the supervisor's co-signature.
    const kim = await clientOf(supervisee, 'Kim', 'Nguyen');
    const sessionId = await pastSession(supervisee, kim, new Date(now - 6 * 24 * HOUR_MS), 'attended');
    const draft = await writeDraft(
      supervisee.agent,
      { clientId: kim, sessionId },
      { content: SOAP_CONTENT, diagnosisCodes: ['F41.1'] },
    );
    const signed = await signNote(supervisee.agent, draft);
    expect(signed.status).toBe('awaiting_cosign');
    cosignNoteId = signed.id;

    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it("shows the clinician's count in the navigation and the overdue note first, with its age", async () => {
    const page = await signedInPage(clinician.email);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const link = nav.getByRole('link', { name: 'Documentation (3 notes need attention)' });
    await link.waitFor();
    await expect(link.locator('.nav-badge').textContent()).resolves.toBe('3');
    await link.click();
    await waitForHeading(page, 'Documentation');

    const summary = page.getByRole('list', { name: 'Summary' });
    await expect(
      summary
        .getByRole('listitem')
        .filter({ hasText: /^\d+Overdue$/ })
        .textContent(),
    ).resolves.toBe('1Overdue');
    const overdue = page.getByRole('table', { name: 'Overdue' });
    const row = overdue.getByRole('row', { name: /Jordan Rivera/ });
    await expect(row.getByText(/^Overdue by \d+ d( \d+ h)?$/).count()).resolves.toBe(1);
    await expect(row.getByText('Individual').count()).resolves.toBe(1);
    // The overdue section comes before every other one.
    const sections = await page.locator('section.doc-section h2').allTextContents();
    expect(sections[0]).toMatch(/^Overdue/);
    expect(sections).toEqual(expect.arrayContaining([expect.stringMatching(/^Due soon/)]));
    const notDue = page.getByRole('table', { name: 'Not due yet' }).getByRole('row', { name: /Lee Chen/ });
    await notDue.getByText('Short contact note', { exact: true }).waitFor();
    await notDue.getByRole('button', { name: /^Write contact note for Lee Chen/ }).waitFor();
    await noSideScroll(page);
    await screenshot(page, SHOTS, 'documentation-01-dashboard-overdue');

    await row.getByRole('button', { name: /^Write note for Jordan Rivera/ }).click();
    await page.waitForURL(/\/notes\/[0-9a-f-]{36}$/);
    const noteId = new URL(page.url()).pathname.split('/').pop() ?? '';
    expect(noteId).toMatch(UUID);
    const db = await openTableOwner(server.databaseUrl);
    const created = await db.query<{ session_id: string; kind: string; author_id: string }>(
      'SELECT session_id, kind, author_id FROM notes WHERE id = $1',
      [noteId],
    );
    await db.end();
    expect(created.rows[0]).toEqual({
      session_id: overdueSessionId,
      kind: 'progress',
      author_id: clinician.id,
    });

    // Back on the dashboard the same session offers the draft, still overdue.
    await nav.getByRole('link', { name: /^Documentation/ }).click();
    await waitForHeading(page, 'Documentation');
    await page
      .getByRole('table', { name: 'Overdue' })
      .getByRole('link', { name: /^Continue draft for Jordan Rivera/ })
      .waitFor();

    // A no-show is documented with a short contact note, not a progress note.
    await page
      .getByRole('table', { name: 'Not due yet' })
      .getByRole('button', { name: /^Write contact note for Lee Chen/ })
      .click();
    await page.waitForURL(/\/notes\/[0-9a-f-]{36}$/);
    const contactId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const db2 = await openTableOwner(server.databaseUrl);
    const contact = await db2.query<{ kind: string }>('SELECT kind FROM notes WHERE id = $1', [contactId]);
    await db2.end();
    expect(contact.rows[0]?.kind).toBe('contact');
    await nav.getByRole('link', { name: /^Documentation/ }).click();
    await waitForHeading(page, 'Documentation');
    await page
      .getByRole('table', { name: 'Not due yet' })
      .getByRole('link', { name: /^Continue draft for Lee Chen/ })
      .waitFor();

    await page.setViewportSize({ width: 768, height: 1024 });
    await noSideScroll(page);
    await screenshot(page, SHOTS, 'documentation-05-dashboard-tablet');
  });

  it("lists the supervisee's signed note in the supervisor's co-sign queue", async () => {
    const page = await signedInPage(supervisor.email);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Co-sign queue (1 note to co-sign)' }).click();
    await waitForHeading(page, 'Co-sign queue');
    const table = page.getByRole('table', { name: 'Notes to co-sign' });
    const row = table.getByRole('row', { name: /Sid Romero/ });
    await row.getByText('Kim Nguyen').waitFor();
    // Signed three days after its deadline.
    await row.getByText('Late entry').waitFor();
    await noSideScroll(page);
    await screenshot(page, SHOTS, 'documentation-02-cosign-queue');

    // The supervisor can open the supervisee's dashboard, where the note waits for co-signature.
    await nav.getByRole('link', { name: /^Documentation/ }).click();
    await waitForHeading(page, 'Documentation');
    await page.getByLabel('Show the documentation of').selectOption({ label: 'Sid Romero' });
    await waitForHeading(page, 'Documentation: Sid Romero');
    expect(new URL(page.url()).pathname).toBe(`/documentation/${supervisee.id}`);
    await page
      .getByRole('table', { name: 'Awaiting co-signature' })
      .getByRole('row', { name: /Kim Nguyen/ })
      .waitFor();
    await screenshot(page, SHOTS, 'documentation-04-supervisee-dashboard');

    await nav.getByRole('link', { name: /^Co-sign queue/ }).click();
    await page.getByRole('link', { name: /^Review Sid Romero's note for Kim Nguyen/ }).click();
    await page.waitForURL(`${server.baseUrl}/notes/${cosignNoteId}`);
  });

  it('shows the owner a compliance row per clinician, and checks a custom period', async () => {
    const page = await signedInPage(ownerEmail);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: /^Documentation/ }).count()).resolves.toBe(0);
    await nav.getByRole('link', { name: 'Compliance' }).click();
    await waitForHeading(page, 'Documentation compliance');
    // A week ago may fall in last month: look at the last 90 days.
    await page.getByLabel('Last 90 days').check();
    const table = page.getByRole('table', { name: 'Compliance by clinician' });
    const casey = table.getByRole('row', { name: /Casey Park/ });
    await casey.waitFor();
    await expect(casey.getByRole('cell').allTextContents()).resolves.toEqual([
      '3',
      '0',
      '0',
      '1',
      '0%',
      '—none',
    ]);
    const sid = table.getByRole('row', { name: /Sid Romero/ });
    await expect(sid.getByRole('cell').nth(0).textContent()).resolves.toBe('1');
    await table.getByRole('row', { name: /Sam Okafor/ }).waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(3);
    const align = await casey
      .getByRole('cell')
      .first()
      .evaluate((el) => getComputedStyle(el).textAlign);
    expect(align).toBe('right');
    await page.getByText('What the columns mean').waitFor();
    await noSideScroll(page);
    await screenshot(page, SHOTS, 'documentation-03-compliance');

    await page.getByLabel('Custom dates').check();
    await page.getByLabel('From', { exact: true }).fill('2026-03-10');
    await page.getByLabel('To', { exact: true }).fill('2026-03-01');
    await page.getByRole('button', { name: 'Show period' }).click();
    await page
      .getByRole('alert')
      .getByRole('link', { name: 'To: The last day must be on or after the first day' })
      .waitFor();

    // The clinician's name opens their dashboard.
    await page.getByLabel('Last 90 days').check();
    await table.getByRole('link', { name: 'Casey Park' }).click();
    await waitForHeading(page, 'Documentation: Casey Park');
    await page
      .getByRole('table', { name: 'Overdue' })
      .getByRole('row', { name: /Jordan Rivera/ })
      .waitFor();
    // Only the author writes the note: a colleague may open it, never start it.
    await expect(page.getByRole('button', { name: /^Write note/ }).count()).resolves.toBe(0);
  });

  it("puts an open risk alert of the clinician's client above everything, linking to the measures", async () => {
    const sky = await clientOf(clinician, 'Sky', 'Morales');
    await expectStatus(
      clinician.agent.post(`/api/v1/clients/${sky}/measures`, {
        instrument: 'phq9',
        answers: Object.fromEntries([1, 1, 0, 0, 0, 0, 0, 0, 1].map((v, i) => [`q${i + 1}`, v])),
      }),
      201,
    );
    const page = await signedInPage(clinician.email);
    const link = page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Documentation \(1 risk alert to acknowledge/ });
    await link.waitFor();
    await link.click();
    await waitForHeading(page, 'Documentation');
    // The sections render once the dashboard has loaded; read their order only then.
    await page.getByRole('table', { name: 'Risk alerts to acknowledge' }).waitFor();
    const sections = await page.locator('section.doc-section h2').allTextContents();
    expect(sections[0]).toBe('Risk alerts to acknowledge (1)');
    const row = page
      .getByRole('table', { name: 'Risk alerts to acknowledge' })
      .getByRole('row', { name: /Sky Morales/ });
    await row.getByText('PHQ-9 item 9 answered 1').waitFor();
    await noSideScroll(page);
    await screenshot(page, SHOTS, 'documentation-06-risk-alert');
    await row.getByRole('link', { name: 'Review risk alert for Sky Morales' }).click();
    await page.waitForURL(`**/clients/${sky}/measures`);
  });

  it('raised no script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
