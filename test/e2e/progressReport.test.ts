import { mkdir, readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchChromium,
  newBrowserContext,
  openSignedIn,
  screenshot,
  waitForHeading,
  watchPage,
} from '../support/browser.js';
import { attend, bookSession, newClient } from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { login, type Agent } from '../support/testApp.js';
import { pdfText } from '../support/pdfText.js';

/**
 * The progress report from the client page: the dialog offers the last 90 days, refuses a period that
 * ends before it starts (error summary, focus, nothing downloaded), and downloads the PDF once fixed.
 */

const SHOTS = 'test-results/e2e/progress-report';
const OWNER = { email: 'owner@larchway.example', password: 'willow copper evening 2031' };
const STAFF_PASSWORD = 'harbor lantern quietly 59';
const CLINICIAN = { email: 'kai@larchway.example', fullName: 'Kai Morgan' };
// 401: the app asks who is signed in before the sign-in form. The bad period never reaches the server.
const EXPECTED_STATUSES = [401];

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
let clinicianApi: Agent;
let clientId = '';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

function expectOk(res: { statusCode: number; body: string }, status = 200): void {
  expect(res.statusCode, res.body).toBe(status);
}

describe('progress report in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    expectOk(
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: {
          practiceName: 'Larchway Counseling',
          timeZone: 'UTC',
          kind: 'clinical',
          owner: {
            email: OWNER.email,
            fullName: 'Nadia Brooks',
            password: OWNER.password,
            alsoClinician: false,
          },
        },
      }),
      201,
    );
    const owner = await login(server.app, OWNER.email, OWNER.password);
    const added = await owner.post('/api/v1/users', {
      email: CLINICIAN.email,
      fullName: CLINICIAN.fullName,
      roles: ['clinician'],
      credentials: 'LPC',
      licenseNumber: null,
      supervisorId: null,
    });
    expectOk(added, 201);
    const token = added.json<{ setPasswordLink: { url: string } }>().setPasswordLink.url.split('#token=')[1];
    expectOk(
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/set-password',
        payload: { token, password: STAFF_PASSWORD },
      }),
    );
    clinicianApi = await login(server.app, CLINICIAN.email, STAFF_PASSWORD);
    clientId = (await newClient(clinicianApi)).id;
    const clinicianId = added.json<{ user: { id: string } }>().user.id;
    const session = await bookSession(clinicianApi, {
      clinicianId,
      clientIds: [clientId],
      startLocal: `${day(-14)}T10:00`,
    });
    await attend(clinicianApi, session.id, clientId);
    expectOk(
      await clinicianApi.post(`/api/v1/clients/${clientId}/measures`, {
        instrument: 'phq9',
        answers: Object.fromEntries([2, 2, 1, 1, 2, 1, 2, 1, 0].map((v, i) => [`q${i + 1}`, v])),
        administeredAt: new Date(Date.now() - 14 * 86_400_000).toISOString(),
      }),
      201,
    );
    browser = await launchChromium();
    context = await newBrowserContext(browser, { viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watchPage(page, pageErrors, EXPECTED_STATUSES);
  });

  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || !page) return;
    await screenshot(page, SHOTS, `failed-${task.name.slice(0, 40)}`);
    if (pageErrors.length) console.error('page errors:', pageErrors);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('offers the last 90 days and refuses a period that ends before it starts', async () => {
    await openSignedIn(page, server.baseUrl, CLINICIAN.email, STAFF_PASSWORD);
    await page.goto(`${server.baseUrl}/clients/${clientId}`);
    await waitForHeading(page, /Rivera/);
    await page.getByRole('button', { name: 'Progress report' }).click();
    const dialog = page.getByRole('dialog', { name: 'Progress report' });
    await expect(dialog.getByLabel('From').inputValue()).resolves.toBe(day(-89));
    await expect(dialog.getByLabel('To').inputValue()).resolves.toBe(day(0));
    await screenshot(page, SHOTS, '01-dialog');

    await dialog.getByLabel('To').fill(day(-95));
    await dialog.getByRole('button', { name: 'Download PDF' }).click();
    const summary = dialog.getByRole('alert');
    await summary.getByText('There is a problem').waitFor();
    await summary.getByRole('link', { name: 'The end date is before the start date' }).waitFor();
    await expect(dialog.getByLabel('To').getAttribute('aria-invalid')).resolves.toBe('true');
    await screenshot(page, SHOTS, '02-period-refused');
  });

  it('downloads the PDF for the chosen period', async () => {
    const dialog = page.getByRole('dialog', { name: 'Progress report' });
    await dialog.getByLabel('To').fill(day(0));
    await dialog.getByLabel('From').fill(day(-30));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`progress-report-${day(-30)}-to-${day(0)}.pdf`);
    const path = `${SHOTS}/downloaded.pdf`;
    await download.saveAs(path);
    const text = pdfText(await readFile(path));
    expect(text).toContain('Progress report');
    expect(text).toContain('Kai Morgan, LPC');
    expect(text).toMatch(/\n12\nModerate/);
    await dialog.getByText(/^Downloaded progress-report-/).waitFor();
    await screenshot(page, SHOTS, '03-downloaded');
    expect(pageErrors).toEqual([]);
  });
});
