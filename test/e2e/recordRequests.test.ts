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
import { newClient, signNote, writeDraft } from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { setUpPractice } from '../support/e2ePractice.js';
import { pdfText } from '../support/pdfText.js';

/**
 * Record requests from the client page: a copy request shows its 30-day due date and downloads the
 * copy; an amendment request on a signed note is denied, the client's statement of disagreement is
 * added, and both show on the request list and with the note.
 */

const SHOTS = 'test-results/e2e/record-requests';
const OWNER = { email: 'owner@alderbank.example', password: 'willow copper evening 2031' };
const STAFF_PASSWORD = 'harbor lantern quietly 59';
const CLINICIAN = { email: 'rowan@alderbank.example', fullName: 'Rowan Hale' };
const EXPECTED_STATUSES = [401];
const STATEMENT = 'I disagree: my brother was not at that session.';

let server: E2eServer;
let browserPage: BrowserPage;
let page: Page;
const pageErrors: string[] = [];
let clientId = '';
let noteId = '';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const shown = (date: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );

describe('record requests in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    const { staff } = await setUpPractice(server.app, {
      practiceName: 'Alderbank Counseling',
      owner: { email: OWNER.email, fullName: 'Nadia Brooks', password: OWNER.password },
      staff: [{ ...CLINICIAN, password: STAFF_PASSWORD, credentials: 'LPC' }],
    });
    const api = await staff[0].signIn();
    clientId = (await newClient(api)).id;
    // A signed contact note: the disputed record (no session or diagnosis needed).
    const draft = await writeDraft(
      api,
      { clientId, kind: 'contact', dateOfService: day(-3) },
      { content: { contactType: 'phone', contactWith: 'client', summary: 'Brother joined the call.' } },
    );
    noteId = (await signNote(api, draft, STAFF_PASSWORD)).id;
    browserPage = await openBrowserPage(pageErrors, EXPECTED_STATUSES);
    page = browserPage.page;
  });

  afterEach(({ task }) => screenshotIfFailed(task, page, SHOTS, pageErrors));

  afterAll(async () => {
    await browserPage?.close();
    await server?.close();
  });

  it('records a copy request, shows the due date and downloads the copy', async () => {
    await openSignedIn(page, server.baseUrl, CLINICIAN.email, STAFF_PASSWORD);
    await page.goto(`${server.baseUrl}/clients/${clientId}`);
    await waitForHeading(page, /Rivera/);
    await page.getByRole('link', { name: 'Record requests' }).click();
    await waitForHeading(page, 'Record requests');
    await page.getByRole('button', { name: 'Record a copy request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record a request for a copy' });
    await dialog.getByLabel('Date received').fill(day(-2));
    await dialog.getByLabel('Format wanted').selectOption('pdf');
    await dialog.getByRole('button', { name: 'Record request' }).click();
    const due = shown(day(28));
    await page.getByText(`Copy request recorded. It is due ${due}.`).waitFor();
    const card = page.getByRole('article', { name: `Copy request received ${shown(day(-2))}` });
    await card.getByText(`Due ${due}`).waitFor();
    await screenshot(page, SHOTS, '01-copy-request');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: 'Download PDF copy' }).click(),
    ]);
    const path = `${SHOTS}/copy.pdf`;
    await download.saveAs(path);
    expect(pdfText(await readFile(path))).toContain('Rivera');
    await card.getByRole('button', { name: 'Mark fulfilled' }).click();
    await page.getByText(`Request marked fulfilled on ${shown(day(0))}.`).waitFor();
    await card.getByText('Fulfilled', { exact: true }).waitFor();
  });

  it('denies an amendment request and shows the statement of disagreement with the note', async () => {
    await page.getByRole('button', { name: 'Record an amendment request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record an amendment request' });
    await dialog.getByLabel('Which note').waitFor();
    await dialog.getByLabel('Change requested').fill('The note says my brother was there; it was my cousin.');
    await dialog.getByRole('button', { name: 'Record request' }).click();
    await page.getByText(`A decision is due ${shown(day(60))}.`).waitFor();

    const card = page.getByRole('article', { name: `Amendment request received ${shown(day(0))}` });
    await card.getByRole('button', { name: 'Deny' }).click();
    const deny = page.getByRole('dialog', { name: 'Deny the amendment' });
    await deny.getByRole('button', { name: 'Deny the amendment' }).click();
    await deny.getByRole('alert').getByText('There is a problem').waitFor();
    await deny.getByLabel('Ground for denial').selectOption('accurate_complete');
    await deny.getByLabel('Denial letter').fill('We reviewed the note; it is accurate and complete.');
    await deny.getByRole('button', { name: 'Deny the amendment' }).click();
    await page.getByText('Amendment denied.').waitFor();

    await card.getByRole('button', { name: 'Add statement of disagreement' }).click();
    const st = page.getByRole('dialog', { name: 'Add a statement' });
    await st.getByLabel('Statement').fill(STATEMENT);
    await st.getByRole('button', { name: 'Add a statement' }).click();
    await page.getByText('Statement of disagreement added.').waitFor();
    await card.getByText(STATEMENT).waitFor();
    await screenshot(page, SHOTS, '02-amendment-denied');

    await page.goto(`${server.baseUrl}/notes/${noteId}`);
    const panel = page.getByRole('region', { name: 'Amendment requests' });
    await panel.getByText(STATEMENT).waitFor();
    await panel.getByText(/Denied .*: Accurate and complete/).waitFor();
    await screenshot(page, SHOTS, '03-note-with-amendment');
    expect(pageErrors).toEqual([]);
  });
});
