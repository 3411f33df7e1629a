import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchChromium,
  newBrowserContext,
  openSignedIn,
  screenshot,
  watchPage,
} from '../support/browser.js';
import { newClient, type ClientView } from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { login } from '../support/testApp.js';

/**
 * A one-time questionnaire link end to end: a clinician makes a PHQ-9 link in the app; the client,
 * in a separate browser with no session, opens it on a phone, is told what is missing, answers
 * (item 9 above zero), sends it and is thanked; the link then says it is no longer valid.
 */

const SHOTS = 'test-results/e2e/questionnaire';
const PRACTICE = 'Juniper Row Therapy';
const OWNER = { email: 'owner@juniper.example', password: 'granite willow harbor 2040' };
const CLINICIAN = { email: 'robin@juniper.example', fullName: 'Robin Ashford' };
const STAFF_PASSWORD = 'copper lantern meadow 19';
// Provoked on purpose, and logged by the browser as console errors: the sign-in page's session
// check (401) and the dead link (404). Script errors and anything else fail the walkthrough.
const EXPECTED_STATUSES = [401, 404];

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let client: ClientView;
let linkUrl = '';

async function newPage(options: Parameters<typeof newBrowserContext>[1] = {}): Promise<Page> {
  const context = await newBrowserContext(browser, options);
  contexts.push(context);
  const p = await context.newPage();
  watchPage(p, pageErrors, EXPECTED_STATUSES);
  return p;
}

function question(page: Page, n: number) {
  return page.getByRole('group', { name: new RegExp(`^${n}\\. `) });
}

describe('one-time questionnaire link in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    const setup = await server.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: {
        practiceName: PRACTICE,
        timeZone: 'America/Chicago',
        kind: 'clinical',
        owner: {
          email: OWNER.email,
          fullName: 'Olive Grant',
          password: OWNER.password,
          alsoClinician: false,
        },
      },
    });
    expect(setup.statusCode, setup.body).toBe(201);
    const owner = await login(server.app, OWNER.email, OWNER.password);
    const added = await owner.post('/api/v1/users', {
      email: CLINICIAN.email,
      fullName: CLINICIAN.fullName,
      roles: ['clinician'],
      credentials: 'LPC',
      licenseNumber: null,
      supervisorId: null,
    });
    expect(added.statusCode, added.body).toBe(201);
    const token =
      added.json<{ setPasswordLink: { url: string } }>().setPasswordLink.url.split('#token=')[1] ?? '';
    const set = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/set-password',
      payload: { token, password: STAFF_PASSWORD },
    });
    expect(set.statusCode, set.body).toBe(200);
    client = await newClient(await login(server.app, CLINICIAN.email, STAFF_PASSWORD));
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  let clinicianPage: Page;

  it('a clinician makes a PHQ-9 link and sees it once, with a copy button', async () => {
    clinicianPage = await newPage();
    await openSignedIn(clinicianPage, server.baseUrl, CLINICIAN.email, STAFF_PASSWORD);
    await clinicianPage.goto(`${server.baseUrl}/clients/${client.id}/measures`);
    await clinicianPage.getByRole('heading', { level: 1, name: /^Outcome measures/ }).waitFor();
    await clinicianPage.getByRole('button', { name: 'Send questionnaire link' }).click();
    const dialog = clinicianPage.getByRole('dialog', { name: 'Send a questionnaire link' });
    await dialog.getByLabel('Questionnaire').selectOption('phq9');
    await dialog.getByLabel('Link works for').selectOption('72');
    await dialog.getByText('No links sent to this client yet.').waitFor();
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await dialog.getByText('PHQ-9 link ready').waitFor();
    linkUrl = await dialog.getByLabel('Link', { exact: true }).inputValue();
    expect(linkUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/questionnaire#[A-Za-z0-9_-]{43}$/);
    await dialog.getByRole('button', { name: 'Copy link' }).waitFor();
    await dialog.getByRole('cell', { name: 'Open' }).waitFor();
    await screenshot(clinicianPage, SHOTS, '01-clinician-link-created');
  });

  it('the client, with no session, answers on a phone: missing items named, then thanked', async () => {
    const phone = await newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(linkUrl);
    await phone.getByRole('heading', { level: 1, name: /PHQ-9/ }).waitFor();
    // The token left the address bar at once, and nothing is kept in the browser.
    expect(new URL(phone.url()).hash).toBe('');
    expect(new URL(phone.url()).pathname).toBe('/questionnaire');
    await expect(
      phone.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]),
    ).resolves.toEqual([0, 0, '']);
    // Only the questionnaire: no app navigation, no names.
    await expect(phone.getByRole('navigation').count()).resolves.toBe(0);
    const text = await phone.locator('body').innerText();
    for (const word of [
      PRACTICE,
      CLINICIAN.fullName,
      client.legalFirstName,
      client.legalLastName,
      client.clientCode,
    ])
      expect(text).not.toContain(word);
    await screenshot(phone, SHOTS, '02-phone-form');
    await phone.screenshot({ path: `${SHOTS}/02b-phone-viewport.png` });

    // Keyboard: arrow keys move within a question's answers.
    await question(phone, 1).getByRole('radio', { name: 'Not at all' }).focus();
    await phone.keyboard.press('ArrowDown');
    await expect(question(phone, 1).getByRole('radio', { name: 'Several days' }).isChecked()).resolves.toBe(
      true,
    );
    for (const n of [2, 3, 4, 6, 7, 8])
      await question(phone, n).getByText('Not at all', { exact: true }).click();
    await phone.getByText('7 of 9 answered').waitFor();
    await phone.getByRole('button', { name: 'Send answers' }).click();
    const summary = phone.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link', { name: 'Question 5: Answer question 5' }).waitFor();
    await summary.getByRole('link', { name: 'Question 9: Answer question 9' }).waitFor();
    await screenshot(phone, SHOTS, '03-phone-missing-items');

    await summary.getByRole('link', { name: /Question 5/ }).click();
    await expect(
      phone.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? null),
    ).resolves.toBe('q5');
    await question(phone, 5).getByText('More than half the days', { exact: true }).click();
    await question(phone, 9).getByText('Several days', { exact: true }).click();
    await phone.getByText('9 of 9 answered').waitFor();
    await phone.getByRole('button', { name: 'Send answers' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
    await screenshot(phone, SHOTS, '04-phone-thanks');

    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    try {
      const saved = await db.query<{ source: string; total: number; linked: boolean; alerts: number }>(
        `SELECT a.source, a.total, a.link_id IS NOT NULL AS linked,
                (SELECT count(*)::int FROM risk_alerts r WHERE r.administration_id = a.id) AS alerts
           FROM measure_administrations a WHERE a.client_id = $1`,
        [client.id],
      );
      expect(saved.rows).toEqual([{ source: 'client_link', total: 4, linked: true, alerts: 1 }]);
    } finally {
      await db.end();
    }
  });

  it('reopening the link says it is no longer valid; the clinician sees it answered', async () => {
    const again = await newPage({ viewport: { width: 1280, height: 800 } });
    await again.goto(linkUrl);
    await again.getByRole('heading', { level: 1, name: 'This link is no longer valid' }).waitFor();
    await expect(again.getByRole('radio').count()).resolves.toBe(0);
    await screenshot(again, SHOTS, '05-link-no-longer-valid');

    await clinicianPage.getByRole('button', { name: 'Close' }).click();
    await clinicianPage.getByRole('button', { name: 'Send questionnaire link' }).click();
    const dialog = clinicianPage.getByRole('dialog', { name: 'Send a questionnaire link' });
    await dialog.getByRole('cell', { name: 'Answered' }).waitFor();
    await screenshot(clinicianPage, SHOTS, '06-clinician-link-answered');
    expect(pageErrors).toEqual([]);
  });
});
