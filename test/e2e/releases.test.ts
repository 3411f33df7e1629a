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
import { newClient } from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { setUpPractice } from '../support/e2ePractice.js';
import type { Agent } from '../support/testApp.js';
import { pdfText } from '../support/pdfText.js';

/**
 * Consents and releases in the browser: record a release of information (the empty form is refused
 * with a focused error summary), print it, see a refused release's reason on screen, release a PDF
 * under the authorization and a FHIR bundle under a legal basis, find both in the disclosure log and
 * the accountable one in the accounting of disclosures.
 */

const SHOTS = 'test-results/e2e/releases';
const OWNER = { email: 'owner@birchfield.example', password: 'maple orbit gentle 2044' };
const STAFF_PASSWORD = 'copper meadow lantern 71';
const CLINICIAN = { email: 'rae@birchfield.example', fullName: 'Rae Lindqvist' };
// 401: the app asks who is signed in first. 422: the refused release the test provokes.
const EXPECTED_STATUSES = [401, 422];

let server: E2eServer;
let browserPage: BrowserPage;
let page: Page;
const pageErrors: string[] = [];
let clinicianApi: Agent;
let clientId = '';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('consents and releases in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    const { staff } = await setUpPractice(server.app, {
      practiceName: 'Birchfield Therapy',
      owner: { email: OWNER.email, fullName: 'Mina Ortiz', password: OWNER.password },
      staff: [{ ...CLINICIAN, password: STAFF_PASSWORD, credentials: 'LMFT' }],
    });
    clinicianApi = await staff[0].signIn();
    clientId = (await newClient(clinicianApi)).id;
    browserPage = await openBrowserPage(pageErrors, EXPECTED_STATUSES);
    page = browserPage.page;
  });

  afterEach(({ task }) => screenshotIfFailed(task, page, SHOTS, pageErrors));

  afterAll(async () => {
    await browserPage?.close();
    await server?.close();
  });

  it('records a release of information, refusing the empty form first, and prints it', async () => {
    await openSignedIn(page, server.baseUrl, CLINICIAN.email, STAFF_PASSWORD);
    await page.goto(`${server.baseUrl}/clients/${clientId}`);
    await waitForHeading(page, /Rivera/);
    await page.getByRole('link', { name: 'Consents & releases' }).click();
    await waitForHeading(page, 'Consents & releases');
    await page.getByRole('button', { name: 'Record a consent' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record a consent or authorization' });
    await dialog.getByLabel('Kind').selectOption('release_of_information');
    await dialog.getByRole('button', { name: 'Record', exact: true }).click();
    const summary = dialog.getByRole('alert');
    await summary.getByText('There is a problem').waitFor();
    await summary.getByRole('link', { name: /Recipient: Name who will receive/ }).waitFor();
    await expect(summary.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await screenshot(page, SHOTS, '01-form-refused');

    await dialog.getByLabel('Name', { exact: true }).fill('Dr. Amara Chen, Lakeside Family Medicine');
    await dialog.getByLabel('Address, phone or fax').fill('12 Elm St, Springfield; fax 555-0100');
    await dialog.getByLabel('Purpose').fill('Coordination of care with primary care physician');
    await dialog.getByLabel('Demographics').check();
    await dialog.getByLabel('Diagnoses').check();
    await dialog.getByLabel('Expires on').fill(day(365));
    await dialog.getByLabel('Name of the signer').fill('Jordan Rivera');
    await screenshot(page, SHOTS, '02-form-filled');
    await dialog.getByRole('button', { name: 'Record', exact: true }).click();
    await page.getByText('Release of information recorded.').waitFor();
    const row = page.getByRole('row', { name: /Release of information/ });
    await row.getByText('Active').waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: /Print PDF/ }).click(),
    ]);
    const path = `${SHOTS}/authorization.pdf`;
    await download.saveAs(path);
    const text = pdfText(await readFile(path));
    expect(text).toContain('Authorization to release health information');
    expect(text).toContain('Lakeside Family Medicine');
    await screenshot(page, SHOTS, '03-recorded');
  });

  it('shows why a release is refused, then releases a PDF under the authorization', async () => {
    await page.getByRole('button', { name: 'Release records' }).click();
    const dialog = page.getByRole('dialog', { name: 'Release records' });
    await dialog.getByLabel('Diagnoses').check();
    await dialog.getByLabel('Billing').check();
    await dialog.getByRole('button', { name: 'Release and download' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.getByText('This release is not allowed').waitFor();
    await refusal.getByText('The authorization does not cover: Billing.').waitFor();
    await screenshot(page, SHOTS, '04-refused');

    await dialog.getByLabel('Billing').uncheck();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Release and download' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^records-.*\.pdf$/);
    await page.getByText(/Records released as PDF/).waitFor();
  });

  it('releases FHIR under a legal basis; the log shows both, the accounting the accountable one', async () => {
    await page.getByRole('button', { name: 'Release records' }).click();
    const dialog = page.getByRole('dialog', { name: 'Release records' });
    await dialog.getByLabel('Under').selectOption('basis');
    await dialog.getByLabel('Legal basis').selectOption('required_by_law');
    await dialog.getByLabel('Recipient', { exact: true }).fill('State Board of Behavioral Health');
    await dialog.getByLabel('Purpose').fill('Licensing board investigation');
    await dialog.getByLabel('Format').selectOption('fhir');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Release and download' }).click(),
    ]);
    const path = `${SHOTS}/release.json`;
    await download.saveAs(path);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ resourceType: 'Bundle' });
    await page.getByText(/Records released as FHIR/).waitFor();

    const log = page.getByRole('table', { name: 'Disclosure log' });
    await log
      .getByRole('row', { name: /State Board of Behavioral Health.*Required by law.*FHIR.*Yes/ })
      .waitFor();
    await log
      .getByRole('row', { name: /Lakeside Family Medicine.*Under a signed authorization.*PDF.*No/ })
      .waitFor();
    await screenshot(page, SHOTS, '05-disclosure-log');

    const [accounting] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Accounting of disclosures (PDF)' }).click(),
    ]);
    const accountingPath = `${SHOTS}/accounting.pdf`;
    await accounting.saveAs(accountingPath);
    const text = pdfText(await readFile(accountingPath)).replace(/\s*\n\s*/g, ' ');
    expect(text).toContain('Accounting of disclosures');
    expect(text).toContain('State Board of Behavioral Health');
    expect(text).not.toContain('Lakeside');
    expect(pageErrors).toEqual([]);
  });
});
