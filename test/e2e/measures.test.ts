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
 * Outcome measures in the browser: a clinician gives a PHQ-9 in session (the incomplete form is
 * pointed out first), answers item 9 above zero, sees the trend chart with its bands and an
 * annotation, sees the risk banner on the client page and acknowledges the alert with a note.
 */

const SHOTS = 'test-results/e2e/measures';
const OWNER = { email: 'owner@birchwood.example', password: 'maple harbor sunrise 2031' };
const STAFF_PASSWORD = 'lantern orchard quietly 77';
const CLINICIAN = { email: 'casey@birchwood.example', fullName: 'Casey Morgan' };
// 401: the app asks who is signed in before the sign-in form.
const EXPECTED_STATUSES = [400, 401, 422];
const DAY = 86_400_000;

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let clinicianApi: Agent;
let clientId = '';

function expectOk(res: { statusCode: number; body: string }, status = 200): void {
  expect(res.statusCode, res.body).toBe(status);
}

const answers = (values: number[]) => Object.fromEntries(values.map((v, i) => [`q${i + 1}`, v]));

describe('outcome measures in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    expectOk(
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: {
          practiceName: 'Birchwood Therapy',
          timeZone: 'America/Chicago',
          kind: 'clinical',
          owner: {
            email: OWNER.email,
            fullName: 'Olivia Grant',
            password: OWNER.password,
            alsoClinician: false,
          },
        },
      }),
      201,
    );
    const owner = await login(server.app, OWNER.email, OWNER.password);
    const staff = await owner.post('/api/v1/users', {
      email: CLINICIAN.email,
      fullName: CLINICIAN.fullName,
      roles: ['clinician'],
      credentials: 'LCSW',
      licenseNumber: 'TX-40213',
      supervisorId: null,
    });
    expectOk(staff, 201);
    const token =
      staff.json<{ setPasswordLink: { url: string } }>().setPasswordLink.url.split('#token=')[1] ?? '';
    expectOk(
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/set-password',
        payload: { token, password: STAFF_PASSWORD },
      }),
    );
    clinicianApi = await login(server.app, CLINICIAN.email, STAFF_PASSWORD);
    clientId = (await newClient(clinicianApi)).id;
    // Earlier scores, and an annotation between them, so the chart has a history to show.
    for (const [daysAgo, values] of [
      [70, [3, 3, 2, 2, 2, 2, 2, 2, 0]],
      [42, [2, 2, 2, 2, 1, 2, 1, 1, 0]],
      [21, [2, 1, 1, 1, 1, 1, 1, 1, 0]],
    ] as const)
      expectOk(
        await clinicianApi.post(`/api/v1/clients/${clientId}/measures`, {
          instrument: 'phq9',
          answers: answers([...values]),
          administeredAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
        }),
        201,
      );
    expectOk(
      await clinicianApi.post(`/api/v1/clients/${clientId}/measures`, {
        instrument: 'gad7',
        answers: answers([2, 2, 1, 1, 1, 1, 1]),
        administeredAt: new Date(Date.now() - 42 * DAY).toISOString(),
      }),
      201,
    );
    expectOk(
      await clinicianApi.post(`/api/v1/clients/${clientId}/annotations`, {
        date: new Date(Date.now() - 50 * DAY).toISOString().slice(0, 10),
        text: 'Sertraline started',
      }),
      201,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  let page: Page;

  it('gives a PHQ-9: the missing item is pointed out, then it is scored and charted', async () => {
    const context = await newBrowserContext(browser, { viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    page = await context.newPage();
    watchPage(page, pageErrors, EXPECTED_STATUSES);
    await openSignedIn(page, server.baseUrl, CLINICIAN.email, STAFF_PASSWORD);
    await page.goto(`${server.baseUrl}/clients/${clientId}/measures`);
    await page.getByRole('heading', { level: 1, name: /^Outcome measures: / }).waitFor();
    await page.getByRole('img', { name: /PHQ-9 scores over time/ }).waitFor();

    await page.getByRole('button', { name: 'Give PHQ-9' }).click();
    // Keyboard: the first answer takes focus, an arrow key moves to the next answer.
    const q1 = page.getByRole('group', { name: /Little interest or pleasure/ });
    await q1.getByLabel('Not at all', { exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(q1.getByLabel('Several days', { exact: true }).isChecked()).resolves.toBe(true);
    const pick = (text: RegExp, answer: string) =>
      page.getByRole('group', { name: text }).getByLabel(answer, { exact: true }).check();
    await pick(/Feeling down, depressed/, 'More than half the days');
    await pick(/Trouble falling or staying asleep/, 'Several days');
    await pick(/Poor appetite/, 'Not at all');
    await pick(/Feeling bad about yourself/, 'Several days');
    await pick(/Trouble concentrating/, 'Not at all');
    await pick(/Moving or speaking so slowly/, 'Not at all');
    await pick(/better off dead/, 'Several days');
    await page.getByRole('button', { name: 'Score and save PHQ-9' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link', { name: 'Question 4: Answer question 4' }).waitFor();
    await screenshot(page, SHOTS, '01-missing-item');
    await summary.getByRole('link', { name: /Question 4/ }).click();
    await expect(
      page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? ''),
    ).resolves.toBe('q4');

    await pick(/Feeling tired/, 'Several days');
    await page.getByRole('button', { name: 'Score and save PHQ-9' }).click();
    await page.getByText('PHQ-9 saved').waitFor();
    await page.getByText(/Total 7 — Mild\. Item 9 was answered above zero/).waitFor();
    // The chart and its table now hold four scores and the annotation.
    const table = page.getByRole('table', { name: 'PHQ-9 scores' });
    await table.locator('tbody tr').nth(4).waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(5);
    await table.getByText('Annotation: Sertraline started').waitFor();
    await table.getByText('Item 9 risk').waitFor();
    await page.locator('.trend-annotation-text', { hasText: 'Sertraline started' }).first().waitFor();
    await page.locator('.trend-band-label', { hasText: 'Moderately' }).first().waitFor();
    const banner = page.locator('.risk-banner');
    await banner.getByText('Risk alert to acknowledge').waitFor();
    await screenshot(page, SHOTS, '02-scored-chart-and-alert');

    // The item answers open on demand, each question with its answer in words.
    await table
      .locator('tbody tr', { hasText: 'Item 9 risk' })
      .getByRole('button', { name: /^Answers/ })
      .click();
    const answers = page.getByRole('dialog', { name: 'PHQ-9 answers' });
    await answers
      .getByRole('row', { name: /Thoughts that you would be better off dead/ })
      .getByText('1 — Several days')
      .waitFor();
    await screenshot(page, SHOTS, '02a-answers');
    await answers.getByRole('button', { name: 'Close' }).click();
    await answers.waitFor({ state: 'detached' });

    // The schedule: PHQ-9 every session (just given: not due), GAD-7 every 3 sessions (due: 42 days ago, monthly would be).
    await page.getByRole('button', { name: 'Change schedule' }).click();
    await page.getByRole('combobox', { name: 'PHQ-9' }).selectOption('every_session');
    await page.getByRole('combobox', { name: 'GAD-7' }).selectOption('monthly');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText('Schedule saved.').waitFor();
    const schedule = page.locator('.schedule-list');
    await schedule.locator('li', { hasText: 'PHQ-9' }).getByText('Not due').waitFor();
    await schedule.locator('li', { hasText: 'GAD-7' }).getByText('Due now').waitFor();
    await screenshot(page, SHOTS, '02b-schedule');
  });

  it('shows the alert on the client page until acknowledged with a note', async () => {
    await page.goto(`${server.baseUrl}/clients/${clientId}`);
    const banner = page.locator('.risk-banner');
    await banner.getByText(/PHQ-9 item 9 .*Several days/).waitFor();
    await screenshot(page, SHOTS, '03-client-page-banner');
    await banner.getByRole('button', { name: 'Acknowledge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Acknowledge risk alert' });
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await dialog.getByRole('link', { name: 'Note: Write what you did about this alert' }).waitFor();
    await dialog
      .getByLabel('What you did')
      .fill('C-SSRS screener done: passive ideation only; safety plan reviewed.');
    await screenshot(page, SHOTS, '04-acknowledge-dialog');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Risk alert acknowledged. Your note is in the chart.').waitFor();
    await expect(page.locator('.risk-banner').count()).resolves.toBe(0);
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Demographics' }).waitFor();
    await expect(page.locator('.risk-banner').count()).resolves.toBe(0);
    const alerts = await clinicianApi.get(`/api/v1/clients/${clientId}/risk-alerts`);
    expect(
      alerts.json<{ open: number; items: { acknowledgement: { note: string } | null }[] }>(),
    ).toMatchObject({
      open: 0,
      items: [
        { acknowledgement: { note: 'C-SSRS screener done: passive ideation only; safety plan reviewed.' } },
      ],
    });
    await screenshot(page, SHOTS, '05-acknowledged');
    expect(pageErrors).toEqual([]);
  });
});
