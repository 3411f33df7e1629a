import { mkdir, readFile } from 'node:fs/promises';
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
import { attend, bookSession, newClient } from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { setUpPractice } from '../support/e2ePractice.js';
import type { Agent } from '../support/testApp.js';
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
let browserPage: BrowserPage;
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
    const { staff } = await setUpPractice(server.app, {
      practiceName: 'Larchway Counseling',
      owner: { email: OWNER.email, fullName: 'Nadia Brooks', password: OWNER.password },
      staff: [{ ...CLINICIAN, password: STAFF_PASSWORD, credentials: 'LPC' }],
    });
    clinicianApi = await staff[0].signIn();
    clientId = (await newClient(clinicianApi)).id;
    const clinicianId = staff[0].id;
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
    browserPage = await openBrowserPage(pageErrors, EXPECTED_STATUSES);
    page = browserPage.page;
  });

  afterEach(({ task }) => screenshotIfFailed(task, page, SHOTS, pageErrors));

  afterAll(async () => {
    await browserPage?.close();
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
