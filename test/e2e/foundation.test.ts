import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { currentTotp } from '../../src/security/totp.js';
import {
  launchChromium,
  newBrowserContext,
  screenshot,
  signIn,
  waitForHeading,
  watchPage,
} from '../support/browser.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { openTableOwner } from '../support/tableOwner.js';

const SHOTS = 'test-results/e2e';
const OWNER = {
  name: 'Morgan Ellis',
  email: 'morgan@willowtherapy.example',
  password: 'quiet river morning 2024',
  practice: 'Willow Street Therapy',
};
const STEP_MS = 30_000;
// 4xx answers the test provokes on purpose show up as console errors; CSP violations and script errors must not.
const EXPECTED_STATUSES = [401, 412, 422, 400];

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let mfaSecret = '';
let lastTotpStep = 0;
let clientPath = '';
const pageErrors: string[] = [];

/**
 * The server refuses a TOTP step it has already accepted but allows one step of clock drift,
 * so the next step's code is good now: wait only when that one is used up too.
 */
async function freshTotp(): Promise<string> {
  for (;;) {
    const now = Math.floor(Date.now() / STEP_MS);
    const step = Math.max(lastTotpStep + 1, now);
    if (step <= now + 1) {
      lastTotpStep = step;
      return currentTotp(mfaSecret, step * STEP_MS);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('foundation walkthrough in Chromium', () => {
  beforeAll(async () => {
    // Other browser-test files write into the same folder: leave their screenshots alone.
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    browser = await launchChromium();
    context = await newBrowserContext(browser, { timezoneId: 'America/Chicago' });
    page = await context.newPage();
    watchPage(page, pageErrors, EXPECTED_STATUSES);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('shows the set-up page on an empty Casebook, with linked field errors', async () => {
    await page.goto(server.baseUrl);
    await waitForHeading(page, 'Set up Casebook');
    await screenshot(page, SHOTS, '01-setup');

    await page.getByRole('button', { name: 'Create practice' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    await expect(
      summary.getByRole('link', { name: /Practice name: Enter the practice name/ }).count(),
    ).resolves.toBe(1);
    const nameInput = page.getByLabel('Practice name');
    await expect(nameInput.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await nameInput.getAttribute('aria-describedby')) ?? '';
    await expect(page.locator(`#${describedBy.split(' ').pop() ?? 'none'}`).textContent()).resolves.toContain(
      'Enter the practice name',
    );
    await screenshot(page, SHOTS, '02-setup-errors');
  });

  it('creates the practice and its owner and signs the owner in', async () => {
    await page.getByLabel('Practice name').fill(OWNER.practice);
    await page.getByLabel('Your full name').fill(OWNER.name);
    await page.getByLabel('Credentials').fill('LCSW');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByLabel('Confirm password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create practice' }).click();
    // The first page after sign-in is the first item of the navigation: the calendar.
    await waitForHeading(page, 'Calendar');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Audit report' })
      .waitFor();
    await page.getByText(OWNER.practice).first().waitFor();
    await screenshot(page, SHOTS, '03-clients-empty');
  });

  it('enables two-step sign-in and shows the recovery codes once', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
    await waitForHeading(page, 'My account');
    await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    const secretEl = page.getByTestId('mfa-secret');
    await secretEl.waitFor();
    mfaSecret = ((await secretEl.textContent()) ?? '').replace(/\s/g, '');
    expect(mfaSecret).toMatch(/^[A-Z2-7]{16,}$/);
    await expect(page.getByRole('img', { name: /QR code/ }).getAttribute('src')).resolves.toMatch(
      /^data:image\/png;base64,/,
    );
    await screenshot(page, SHOTS, '04-mfa-enrol');

    await page.getByLabel('Code from the app').fill(await freshTotp());
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    const codes = await page
      .getByRole('list', { name: 'Recovery codes' })
      .getByRole('listitem')
      .allTextContents();
    expect(codes).toHaveLength(10);
    const cont = page.getByRole('button', { name: 'Continue' });
    await expect(cont.isDisabled()).resolves.toBe(true);
    await screenshot(page, SHOTS, '05-recovery-codes');
    await page.getByLabel('I have saved my recovery codes somewhere safe').check();
    await cont.click();
    await page.getByText('Two-step sign-in is on. You will enter a code').waitFor();
    await page.getByText('You enter a code from your authenticator app when you sign in.').waitFor();
  });

  it('signs out, refuses a wrong password, then signs in with password and a TOTP code', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await waitForHeading(page, 'Sign in');
    await page.getByText('You have signed out.').waitFor();

    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
    await screenshot(page, SHOTS, '06-login-failed');

    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForHeading(page, 'Two-step sign-in');

    // A wrong code is refused (and audited as a failure); use one that cannot be the current code.
    const wrong = currentTotp(mfaSecret) === '000000' ? '111111' : '000000';
    await page.getByLabel('Authentication code').fill(wrong);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not valid' }).waitFor();
    await screenshot(page, SHOTS, '07-mfa-challenge-wrong-code');

    await page.getByLabel('Authentication code').fill(await freshTotp());
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForHeading(page, 'Calendar');
    await expect(page.getByText('Two-step sign-in is off for your account').count()).resolves.toBe(0);
  });

  it('creates a client, with field errors first', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await waitForHeading(page, 'Clients');
    await page.getByRole('link', { name: 'New client' }).click();
    await waitForHeading(page, 'New client');
    await page.getByLabel('Legal first name').fill('Jordan');
    await page.getByRole('button', { name: 'Create client' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link', { name: /Legal last name/ }).waitFor();
    await summary.getByRole('link', { name: /Date of birth/ }).waitFor();
    await screenshot(page, SHOTS, '08-new-client-errors');
    await summary.getByRole('link', { name: /Legal last name/ }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('f-legalLastName');

    await page.getByLabel('Legal last name').fill('Rivera');
    await page.getByLabel('Preferred name').fill('Jo');
    await page.getByLabel('Pronouns').fill('they/them');
    await page.getByLabel('Date of birth').fill('1991-04-12');
    await page.getByLabel('Phone 1 number').fill('(555) 010-2233');
    await page.getByRole('button', { name: 'Add a contact' }).click();
    await page.getByLabel('Contact 1 name').fill('Pat Rivera');
    await page.getByRole('group', { name: 'Contact 1' }).getByLabel('Relationship').fill('Parent');
    await page.getByRole('group', { name: 'Contact 1' }).getByLabel('Phone').fill('555-010-9999');
    await page.getByRole('button', { name: 'Create client' }).click();
    await waitForHeading(page, 'Jo Rivera');
    await page.getByText(/Client created with code/).waitFor();
    clientPath = new URL(page.url()).pathname;
    expect(clientPath).toMatch(/^\/clients\/[0-9a-f-]{36}$/);
    expect(page.url()).not.toContain('Rivera');

    await page.getByRole('button', { name: 'Show clinical background' }).click();
    await page.getByRole('button', { name: 'Edit background' }).click();
    await page.getByLabel('Presenting concerns').fill('Low mood after a job loss; trouble sleeping.');
    await page.getByRole('button', { name: 'Save background' }).click();
    await page.getByText('Background saved.').waitFor();
    await screenshot(page, SHOTS, '09-client-profile');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('link', { name: 'Jo Rivera' }).waitFor();
    await screenshot(page, SHOTS, '10-client-list');
  });

  it('refuses a stale edit from a second tab with a clear conflict message', async () => {
    const second = await context.newPage();
    watchPage(second, pageErrors, EXPECTED_STATUSES);
    await page.goto(`${server.baseUrl}${clientPath}/edit`);
    await second.goto(`${server.baseUrl}${clientPath}/edit`);
    await waitForHeading(page, 'Edit Jo Rivera');
    await waitForHeading(second, 'Edit Jo Rivera');

    await page.getByLabel('Pronouns').fill('he/him');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForHeading(page, 'Jo Rivera');
    await page.getByText('Changes saved.').waitFor();

    await second.getByLabel('Preferred name').fill('Jordy');
    await second.getByRole('button', { name: 'Save changes' }).click();
    const conflict = second.getByRole('alert').filter({ hasText: 'Someone else changed this record' });
    await conflict.waitFor();
    await conflict.getByText('Your changes have not been saved').waitFor();
    await conflict.getByText('They changed: Pronouns.').waitFor();
    await screenshot(second, SHOTS, '11-conflict');

    // Nothing was merged: the record still has the first tab's change and the old preferred name.
    await conflict.getByRole('button', { name: 'Load their version' }).click();
    await expect(second.getByLabel('Pronouns').inputValue()).resolves.toBe('he/him');
    await expect(second.getByLabel('Preferred name').inputValue()).resolves.toBe('Jo');
    await screenshot(second, SHOTS, '12-conflict-reloaded');
    await second.close();
  });

  it('warns two minutes before the idle time-out and keeps the session alive on request', async () => {
    const p = await context.newPage();
    watchPage(p, pageErrors, EXPECTED_STATUSES);
    await p.clock.install();
    await p.goto(`${server.baseUrl}/clients`);
    await waitForHeading(p, 'Clients');
    // The practice default is 15 minutes. Make the session 13½ minutes idle on the server, and move
    // the page's clock on as far: the page counts down on the server's time, whatever its own clock says.
    const db = await openTableOwner(server.databaseUrl);
    await db.query(
      "UPDATE auth_sessions SET last_seen_at = now() - interval '810 seconds' WHERE revoked_at IS NULL",
    );
    await db.end();
    await p.clock.fastForward(15 * 60_000 - 90_000);
    const dialog = p.getByRole('alertdialog', { name: 'Are you still there?' });
    await dialog.waitFor();
    await dialog.getByText(/will sign you out in/).waitFor();
    await expect(p.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Stay signed in');
    await screenshot(p, SHOTS, '13-idle-warning');
    const keepalive = p.waitForRequest(
      (r) => r.url().endsWith('/api/v1/auth/keepalive') && r.method() === 'POST',
    );
    await dialog.getByRole('button', { name: 'Stay signed in' }).click();
    await keepalive;
    await p.close();
  });

  it('after an idle time-out, signing in again returns to the same page', async () => {
    await page.goto(`${server.baseUrl}${clientPath}`);
    await waitForHeading(page, 'Jo Rivera');
    // Age the session on the server past the idle limit, as if the user had walked away.
    const db = await openTableOwner(server.databaseUrl);
    await db.query(
      "UPDATE auth_sessions SET last_seen_at = now() - interval '2 hours' WHERE revoked_at IS NULL",
    );
    await db.end();

    await page.getByRole('button', { name: 'Show clinical background' }).click();
    await waitForHeading(page, 'Sign in');
    await page.getByText('You were signed out after a period of inactivity').waitFor();
    expect(new URL(page.url()).pathname).toBe(clientPath);
    await screenshot(page, SHOTS, '14-idle-signed-out');

    await signIn(page, OWNER.email, OWNER.password);
    await waitForHeading(page, 'Two-step sign-in');
    await page.getByLabel('Authentication code').fill(await freshTotp());
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForHeading(page, 'Jo Rivera');
    expect(new URL(page.url()).pathname).toBe(clientPath);
  });

  it('shows the events in the audit report, sorts, filters and verifies the chain', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit report' }).click();
    await waitForHeading(page, 'Audit report');
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.waitFor();
    while ((await page.getByRole('button', { name: 'Load more' }).count()) > 0) {
      const before = await table.getByRole('row').count();
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(before);
    }
    const actions = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    for (const a of [
      'practice.create',
      'login',
      'login.mfa',
      'mfa.enrol',
      'logout',
      'client.create',
      'client.view',
      'client.update',
      'background.update',
      'session.timeout',
    ]) {
      expect(actions, `audit report lists ${a}`).toContain(a);
    }
    const outcomes = await table.locator('tbody tr td:nth-child(6)').allTextContents();
    expect(outcomes.filter((o) => o === 'failure').length).toBeGreaterThanOrEqual(2);
    await screenshot(page, SHOTS, '15-audit');

    const timeHeader = table.getByRole('columnheader', { name: /Time/ });
    await expect(timeHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    await timeHeader.getByRole('button').click();
    await expect.poll(() => timeHeader.getAttribute('aria-sort')).toBe('ascending');
    await expect
      .poll(() => table.locator('tbody tr').first().locator('td').nth(2).textContent())
      .toBe('practice.create');

    await page.getByLabel('Outcome').selectOption('failure');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect
      .poll(async () => [...new Set(await table.locator('tbody tr td:nth-child(6)').allTextContents())])
      .toEqual(['failure']);
    const failed = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(failed).toEqual(expect.arrayContaining(['login', 'login.mfa']));
    await expect(page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).resolves.toBe(
      '/api/v1/audit/events.csv?outcome=failure&sort=time&direction=asc',
    );
    await screenshot(page, SHOTS, '16-audit-failures');

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText('The audit trail is intact').waitFor();
    await screenshot(page, SHOTS, '17-audit-verified');
  });

  it('works at tablet width', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    await expect(noSideScroll()).resolves.toBe(true);
    await screenshot(page, SHOTS, '18-tablet-audit');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('link', { name: 'Jo Rivera' }).click();
    await waitForHeading(page, 'Jo Rivera');
    await expect(noSideScroll()).resolves.toBe(true);
    await screenshot(page, SHOTS, '19-tablet-client');

    await page.getByRole('link', { name: 'Edit details' }).click();
    await waitForHeading(page, 'Edit Jo Rivera');
    await expect(noSideScroll()).resolves.toBe(true);
    await screenshot(page, SHOTS, '20-tablet-edit');
  });

  it('adds a staff member and shows the one-time set-password link', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
    await waitForHeading(page, 'Staff');
    await page.getByRole('button', { name: 'Add a user' }).click();
    await page.getByLabel('Email').fill('casey@willowtherapy.example');
    await page.getByLabel('Full name').fill('Casey Park');
    await page.getByLabel('Credentials').fill('LPC');
    await page.getByRole('button', { name: 'Add user and create link' }).click();
    const link = page.getByRole('textbox', { name: 'Link' });
    await link.waitFor();
    await expect(link.inputValue()).resolves.toMatch(/\/set-password#token=/);
    await page.getByRole('row', { name: /Casey Park/ }).waitFor();
    await screenshot(page, SHOTS, '21-staff-link');

    // The new user opens the link in their own browser and sets a password.
    const url = await link.inputValue();
    const theirs = await newBrowserContext(browser);
    const p = await theirs.newPage();
    watchPage(p, pageErrors, EXPECTED_STATUSES);
    await p.goto(url);
    await waitForHeading(p, 'Set your password');
    expect(p.url()).not.toContain('token');
    await p.getByLabel('New password').fill('violet harbour lantern 58');
    await p.getByLabel('Confirm password').fill('violet harbour lantern 58');
    await p.getByRole('button', { name: 'Set password' }).click();
    await waitForHeading(p, 'Password set');
    await p.getByRole('button', { name: 'Go to sign in' }).click();
    await waitForHeading(p, 'Sign in');
    await signIn(p, 'casey@willowtherapy.example', 'violet harbour lantern 58');
    await waitForHeading(p, 'Calendar');
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await waitForHeading(p, 'Clients');
    await expect(p.getByRole('link', { name: 'Jo Rivera' }).count()).resolves.toBe(0);
    await screenshot(p, SHOTS, '22-new-clinician');
    await theirs.close();
  });

  it('raised no script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
