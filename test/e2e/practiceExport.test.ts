import { createHash } from 'node:crypto';
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
import { zipEntryNames } from '../support/zipArchive.js';

/**
 * Whole-practice export from the owner's screen: the explanation of what is and is not included,
 * the start button, a progress bar while it runs, then the download link with size and checksum;
 * the downloaded file is the zip the checksum names.
 */

const SHOTS = 'test-results/e2e/practice-export';
const OWNER = { email: 'owner@fernbrook.example', password: 'juniper lantern autumn 2044' };
const EXPECTED_STATUSES = [401];

let server: E2eServer;
let browserPage: BrowserPage;
let page: Page;
const pageErrors: string[] = [];

describe('whole-practice export in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    const { owner } = await setUpPractice(server.app, {
      practiceName: 'Fernbrook Therapy',
      owner: { email: OWNER.email, fullName: 'Rosa Lind', password: OWNER.password, alsoClinician: true },
    });
    for (const first of ['Avery', 'Blake', 'Casey', 'Devon', 'Emery', 'Finley'])
      await newClient(owner, { legalFirstName: first, preferredName: null });
    browserPage = await openBrowserPage(pageErrors, EXPECTED_STATUSES);
    page = browserPage.page;
  });

  afterEach(({ task }) => screenshotIfFailed(task, page, SHOTS, pageErrors));

  afterAll(async () => {
    await browserPage?.close();
    await server?.close();
  });

  it('starts an export, shows its progress, then downloads the archive with its checksum', async () => {
    await openSignedIn(page, server.baseUrl, OWNER.email, OWNER.password);
    await page.getByRole('navigation').getByRole('link', { name: 'Export all data' }).click();
    await waitForHeading(page, 'Export all practice data');
    await page.getByText('Not included:').waitFor();
    await page.getByText('No exports yet.').waitFor();
    await screenshot(page, SHOTS, '01-explanation');

    await page.getByRole('button', { name: 'Export all practice data' }).click();
    const bar = page.getByRole('progressbar', { name: 'Export progress (clients)' });
    await bar.waitFor();
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(0);
    expect(await bar.getAttribute('aria-valuemin')).toBe('0');
    await screenshot(page, SHOTS, '02-progress');

    const ready = page.getByRole('status').filter({ hasText: 'Your export is ready' });
    await ready.waitFor({ timeout: 30_000 });
    await ready.getByText('6 clients').waitFor();
    const checksum = (await ready.locator('code').textContent()) ?? '';
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    await page.getByRole('table', { name: 'Past exports' }).getByRole('cell', { name: 'Ready' }).waitFor();
    await screenshot(page, SHOTS, '03-ready');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      ready.getByRole('link', { name: /Download the export/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^casebook-practice-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const path = `${SHOTS}/downloaded.zip`;
    await download.saveAs(path);
    expect(
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    ).toBe(checksum);
    const names = await zipEntryNames(path);
    expect(names.filter((n) => n.startsWith('pdf/'))).toHaveLength(6);
    expect(names).toContain('manifest.json');
    expect(pageErrors).toEqual([]);
  });
});
