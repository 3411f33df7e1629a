import { mkdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  openBrowserPage,
  openSignedIn,
  screenshot,
  screenshotIfFailed,
  waitForHeading,
  type BrowserPage,
} from '../support/browser.js';
import { newClient } from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { addStaff, setUpPractice } from '../support/e2ePractice.js';

/**
 * Hand-over in Chromium: the owner hands a client from one clinician to another with a note; the
 * second clinician signs in, finds it under "Hand-overs to read" on the dashboard, reads the summary
 * and confirms reading it.
 */

const SHOTS = 'test-results/e2e/handover';
const OWNER = { email: 'owner@birchfield.example', password: 'willow copper evening 2031' };
const STAFF_PASSWORD = 'harbor lantern quietly 59';
const KAI = { email: 'kai@birchfield.example', fullName: 'Kai Morgan' };
const ROWAN = { email: 'rowan@birchfield.example', fullName: 'Rowan Ellis' };
const NOTE = 'Prefers morning sessions. Ask about the new job first.';
const EXPECTED_STATUSES = [401];

let server: E2eServer;
let browserPage: BrowserPage;
let page: Page;
const pageErrors: string[] = [];
let clientId = '';

function expectOk(res: { statusCode: number; body: string }, status = 200): void {
  expect(res.statusCode, res.body).toBe(status);
}

describe('hand-over in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    const { owner } = await setUpPractice(server.app, {
      practiceName: 'Birchfield Counseling',
      owner: { email: OWNER.email, fullName: 'Nadia Brooks', password: OWNER.password },
    });
    const settings = await owner.get('/api/v1/practice/settings');
    expectOk(
      await owner.patch(
        '/api/v1/practice/settings',
        { adminsSeeAllClients: true },
        { 'if-match': String(settings.headers.etag) },
      ),
    );
    const kaiStaff = await addStaff(server.app, owner, {
      ...KAI,
      password: STAFF_PASSWORD,
      credentials: 'LPC',
    });
    await addStaff(server.app, owner, { ...ROWAN, password: STAFF_PASSWORD, credentials: 'LPC' });
    const kai = await kaiStaff.signIn();
    clientId = (await newClient(kai)).id;
    expectOk(
      await kai.post(`/api/v1/clients/${clientId}/diagnoses`, { code: 'F41.1', rank: 'primary' }),
      201,
    );
    expectOk(
      await kai.post(`/api/v1/clients/${clientId}/measures`, {
        instrument: 'gad7',
        answers: Object.fromEntries([2, 2, 1, 1, 2, 1, 2].map((v, i) => [`q${i + 1}`, v])),
        administeredAt: new Date(Date.now() - 7 * 86_400_000).toISOString(),
      }),
      201,
    );
    browserPage = await openBrowserPage(pageErrors, EXPECTED_STATUSES);
    page = browserPage.page;
  });

  afterEach(({ task }) => screenshotIfFailed(task, page, SHOTS, pageErrors));

  afterAll(async () => {
    await browserPage?.close();
    await server?.close();
  });

  it('the owner hands the client to a second clinician with a note', async () => {
    await openSignedIn(page, server.baseUrl, OWNER.email, OWNER.password);
    await page.goto(`${server.baseUrl}/clients/${clientId}`);
    await waitForHeading(page, /Rivera/);
    await page.getByRole('button', { name: 'Hand over', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Hand over this client' });
    await dialog.getByRole('button', { name: 'Hand over' }).click();
    await dialog.getByRole('link', { name: 'Choose the clinician taking over' }).waitFor();
    await dialog.getByLabel('Clinician taking over').selectOption({ label: `${ROWAN.fullName}, LPC` });
    await dialog.getByLabel(/Hand-over note/).fill(NOTE);
    await screenshot(page, SHOTS, '01-dialog');
    await dialog.getByRole('button', { name: 'Hand over' }).click();
    await page.getByText(`Handed over to ${ROWAN.fullName}.`).waitFor();
    const history = page.getByRole('region', { name: 'Hand-overs', exact: true });
    await history.getByText(`Kai Morgan → ${ROWAN.fullName}`).waitFor();
    await history.getByText('Not yet read').waitFor();
    await screenshot(page, SHOTS, '02-handed-over');
  });

  it('the second clinician reads it from the dashboard and confirms reading it', async () => {
    page = await browserPage.newProfile();
    await openSignedIn(page, server.baseUrl, ROWAN.email, STAFF_PASSWORD);
    await page.goto(`${server.baseUrl}/documentation`);
    const list = page.getByRole('region', { name: 'Hand-overs to read (scrolls sideways)' });
    await list.getByText(KAI.fullName).waitFor();
    await screenshot(page, SHOTS, '03-dashboard');
    await list.getByRole('link', { name: /Read the hand-over of/ }).click();
    await waitForHeading(page, /Hand-over:/);
    await page.getByText(NOTE).waitFor();
    await page
      .getByRole('region', { name: 'Active diagnoses (scrolls sideways)' })
      .getByText('F41.1')
      .waitFor();
    await page
      .getByRole('region', { name: /Latest score per questionnaire/ })
      .getByText('GAD-7')
      .waitFor();
    await screenshot(page, SHOTS, '04-summary');
    await page.getByRole('button', { name: 'I have read this hand-over' }).click();
    await page
      .getByRole('dialog', { name: 'Confirm you have read this hand-over' })
      .getByRole('button', { name: 'Yes, I have read it' })
      .click();
    await page.getByText(/confirmed reading this hand-over on/).waitFor();
    await expect(page.getByRole('button', { name: 'I have read this hand-over' }).count()).resolves.toBe(0);
    await screenshot(page, SHOTS, '05-acknowledged');
    const pending = page.waitForResponse((r) => r.url().endsWith('/api/v1/handovers?pending=me'));
    await page.goto(`${server.baseUrl}/documentation`);
    await expect((await pending).json()).resolves.toEqual({ items: [] });
    await waitForHeading(page, 'Documentation');
    await expect(page.getByRole('heading', { name: /Hand-overs to read/ }).count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
