import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchChromium,
  newBrowserContext,
  openSignedIn,
  screenshot,
  watchPage,
} from '../support/browser.js';
import { newClient } from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { login, type Agent } from '../support/testApp.js';

/**
 * The diagnosis list and chart annotations on the client page: a clinician adds two diagnoses
 * by searching the ICD-10-CM catalog (one primary), resolves one, opens its history, and adds
 * an annotation; billing then sees the codes without the comment.
 */

const SHOTS = 'test-results/e2e/diagnoses';
const OWNER = { email: 'owner@birchpath.example', password: 'maple harbor sunrise 2031' };
const STAFF_PASSWORD = 'lantern orchard quietly 77';
const CLINICIAN = { email: 'casey@birchpath.example', fullName: 'Casey Morgan' };
const BILLER = { email: 'bea@birchpath.example', fullName: 'Bea Fischer' };
const COMMENT = 'Worry centres on the custody hearing.';
// The first /auth/me before sign-in is a 401; other sections' refusals are checked in their own tests.
const EXPECTED_STATUSES = [400, 401, 403, 404];

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let clientId = '';

async function newPage(): Promise<Page> {
  const context = await newBrowserContext(browser, { viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const p = await context.newPage();
  watchPage(p, pageErrors, EXPECTED_STATUSES);
  // Other sections of the client page answer 4xx in their own ways (the console shows those);
  // a failure of this feature's calls, or any server error, fails the walkthrough.
  p.on('response', (r) => {
    if (r.status() >= 500 || (r.status() >= 400 && /\/(diagnoses|annotations|codes)\b/.test(r.url())))
      pageErrors.push(`response: ${r.status()} ${r.url()}`);
  });
  return p;
}

async function addStaff(
  owner: Agent,
  who: { email: string; fullName: string },
  roles: string[],
): Promise<void> {
  const res = await owner.post('/api/v1/users', { email: who.email, fullName: who.fullName, roles });
  expect(res.statusCode, res.body).toBe(201);
  const token =
    res.json<{ setPasswordLink: { url: string } }>().setPasswordLink.url.split('#token=')[1] ?? '';
  const set = await server.app.inject({
    method: 'POST',
    url: '/api/v1/auth/set-password',
    payload: { token, password: STAFF_PASSWORD },
  });
  expect(set.statusCode, set.body).toBe(200);
}

describe('diagnoses and annotations in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    const setup = await server.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: {
        practiceName: 'Birch Path Therapy',
        timeZone: 'America/Chicago',
        kind: 'clinical',
        owner: {
          email: OWNER.email,
          fullName: 'Olivia Grant',
          password: OWNER.password,
          alsoClinician: false,
        },
      },
    });
    expect(setup.statusCode, setup.body).toBe(201);
    const owner = await login(server.app, OWNER.email, OWNER.password);
    await addStaff(owner, CLINICIAN, ['clinician']);
    await addStaff(owner, BILLER, ['biller']);
    clientId = (await newClient(await login(server.app, CLINICIAN.email, STAFF_PASSWORD))).id;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('adds two diagnoses, resolves one, shows its history, and adds an annotation', async () => {
    const page = await newPage();
    await openSignedIn(page, server.baseUrl, CLINICIAN.email, STAFF_PASSWORD);
    await page.goto(`${server.baseUrl}/clients/${clientId}`);
    const dx = page.getByRole('region', { name: 'Diagnoses' });
    await dx.getByText('No diagnoses recorded.').waitFor();

    // First: search by words, pick with the keyboard; the first diagnosis defaults to primary.
    await dx.getByRole('button', { name: 'Add diagnosis' }).click();
    const search = dx.getByRole('combobox', { name: 'Diagnosis (ICD-10-CM)' });
    await search.fill('generalized anxiety');
    await dx.getByRole('option', { name: /F41\.1 Generalized anxiety disorder/ }).waitFor();
    await screenshot(page, SHOTS, '01-search');
    await search.press('Enter');
    await dx.getByText('Chose F41.1 Generalized anxiety disorder.').waitFor();
    await expect(dx.getByLabel('Rank').inputValue()).resolves.toBe('primary');
    await dx.getByLabel('Onset date').fill('2025-11-03');
    await dx.getByLabel('Comment').fill(COMMENT);
    await dx.getByRole('button', { name: 'Add diagnosis' }).click();
    await dx.getByText('Added F41.1 Generalized anxiety disorder.').waitFor();

    // Second: search by code; it defaults to secondary now that there is a primary.
    await dx.getByRole('button', { name: 'Add diagnosis' }).click();
    await dx.getByRole('combobox', { name: 'Diagnosis (ICD-10-CM)' }).fill('F32.1');
    await dx
      .getByRole('option', { name: /F32\.1 Major depressive disorder, single episode, moderate/ })
      .click();
    await expect(dx.getByLabel('Rank').inputValue()).resolves.toBe('secondary');
    await dx.getByRole('button', { name: 'Add diagnosis' }).click();
    await dx.getByText(/^Added F32\.1/).waitFor();

    const rows = dx.getByRole('row');
    await expect(rows.nth(1).textContent()).resolves.toMatch(
      /F41\.1.*Generalized anxiety disorder.*Primary.*Active/,
    );
    await expect(rows.nth(2).textContent()).resolves.toMatch(/F32\.1.*Secondary.*Active/);
    await dx.getByText(COMMENT).waitFor();
    await screenshot(page, SHOTS, '02-two-diagnoses');

    // Resolve F32.1 (today, by default).
    await dx.getByRole('button', { name: /^Change F32\.1/ }).click();
    const edit = page.getByRole('dialog', { name: /^Change F32\.1/ });
    await edit.getByLabel('Status').selectOption('resolved');
    await edit.getByLabel('Resolved date').waitFor();
    await screenshot(page, SHOTS, '03-resolve-dialog');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await dx.getByText('Saved F32.1.').waitFor();
    await rows
      .nth(2)
      .filter({ hasText: /F32\.1.*Resolved/ })
      .waitFor();

    // Its history: added, then status and resolved date changed.
    await dx.getByRole('button', { name: /^History of F32\.1/ }).click();
    const history = page.getByRole('dialog', { name: /^History of F32\.1/ });
    const versions = history.getByRole('row');
    await versions.nth(2).waitFor();
    await expect(versions.count()).resolves.toBe(3);
    await expect(versions.nth(1).textContent()).resolves.toMatch(
      /^1.*Casey Morgan.*Secondary.*Active.*Added$/,
    );
    await expect(versions.nth(2).textContent()).resolves.toMatch(
      /^2.*Casey Morgan.*Resolved.*status, resolved date$/,
    );
    await screenshot(page, SHOTS, '04-history');
    await history.getByRole('button', { name: 'Close' }).click();
    await history.waitFor({ state: 'detached' });

    // An annotation for the charts.
    const notes = page.getByRole('region', { name: 'Chart annotations' });
    await notes.getByText('No annotations yet.').waitFor();
    await notes.getByLabel('Date').fill('2026-02-14');
    await notes.getByLabel('What happened').fill('Started sertraline 50 mg');
    await notes.getByRole('button', { name: 'Add annotation' }).click();
    await notes.getByText('Annotation added for Feb 14, 2026.').waitFor();
    await notes
      .getByRole('list', { name: 'Annotations by date' })
      .getByText('Started sertraline 50 mg')
      .waitFor();
    await dx.scrollIntoViewIfNeeded();
    await screenshot(page, SHOTS, '05-annotation');
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });

  it('billing sees the codes but not the comment, and no way to change them', async () => {
    const page = await newPage();
    await openSignedIn(page, server.baseUrl, BILLER.email, STAFF_PASSWORD);
    await page.goto(`${server.baseUrl}/clients/${clientId}`);
    const dx = page.getByRole('region', { name: 'Diagnoses' });
    await dx.getByText('F41.1', { exact: true }).waitFor();
    await dx.getByText('Comments on diagnoses are visible to the care team only.').waitFor();
    await expect(page.getByText(COMMENT).count()).resolves.toBe(0);
    await expect(dx.getByRole('button', { name: /^Change/ }).count()).resolves.toBe(0);
    await expect(dx.getByRole('button', { name: 'Add diagnosis' }).count()).resolves.toBe(0);
    await expect(page.getByRole('region', { name: 'Chart annotations' }).count()).resolves.toBe(0);
    await screenshot(page, SHOTS, '06-biller');
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });
});
