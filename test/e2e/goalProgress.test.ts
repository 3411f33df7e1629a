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
import { newClient, SOAP_CONTENT, startNote } from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { givePhq9, signPlan, type SeededPlan } from '../support/goalProgressSeed.js';
import { login, type Agent } from '../support/testApp.js';

/**
 * Progress in every session, in the browser: with a signed plan (seeded through the API), the
 * clinician rates two goals in a progress note, signs it, and sees each goal's trend beside it on
 * the plan and in the client page's goal-progress charts.
 */

const SHOTS = 'test-results/e2e/goal-progress';
const OWNER = { email: 'owner@aspenfield.example', password: 'granite meadow lantern 2032' };
const STAFF_PASSWORD = 'copper willow evening 64';
const CLINICIAN = { email: 'morgan@aspenfield.example', fullName: 'Morgan Lee' };
const DAY = 86_400_000;
// 401: the app asks who is signed in before the sign-in form is used.
const EXPECTED_STATUSES = [401];

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let clinicianApi: Agent;
let clientId = '';
let plan: SeededPlan;
let noteId = '';
let page: Page;

function expectOk(res: { statusCode: number; body: string }, status = 200): void {
  expect(res.statusCode, res.body).toBe(status);
}

function dayAgo(days: number): string {
  return new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
}

describe('goal progress in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    expectOk(
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: {
          practiceName: 'Aspenfield Therapy',
          timeZone: 'UTC',
          kind: 'clinical',
          owner: {
            email: OWNER.email,
            fullName: 'Avery Stone',
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
      licenseNumber: 'CO-55012',
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
    plan = await signPlan(
      clinicianApi,
      clientId,
      [
        { statement: 'Reduce depressive symptoms', measure: { instrument: 'phq9', below: 10 } },
        { statement: 'Fewer panic attacks at work' },
      ],
      [],
      STAFF_PASSWORD,
    );
    await givePhq9(clinicianApi, clientId, 21, new Date(Date.now() - 28 * DAY));
    await givePhq9(clinicianApi, clientId, 15, new Date(Date.now() - 14 * DAY));
    await givePhq9(clinicianApi, clientId, 11, new Date(Date.now() - DAY));

    // An earlier session's note, rated and signed through the API: the trend's first points.
    const earlier = await startNote(clinicianApi, { clientId, dateOfService: dayAgo(14) });
    const saved = await clinicianApi.put(
      `/api/v1/notes/${earlier.id}/draft`,
      {
        content: SOAP_CONTENT,
        goalProgress: {
          planVersionId: plan.versionId,
          ratings: plan.goals.map((g) => ({ goalId: g.id, scale: 'five_point', rating: 2 })),
        },
      },
      { 'if-match': `"${earlier.version}"` },
    );
    expectOk(saved);
    expectOk(
      await clinicianApi.post(
        `/api/v1/notes/${earlier.id}/sign`,
        { password: STAFF_PASSWORD },
        { 'if-match': `"${saved.json<{ version: number }>().version}"` },
      ),
    );
    // Today's note, its narrative already written; the goals are rated in the browser.
    const today = await startNote(clinicianApi, { clientId, dateOfService: dayAgo(0) });
    expectOk(
      await clinicianApi.put(
        `/api/v1/notes/${today.id}/draft`,
        { content: SOAP_CONTENT },
        { 'if-match': `"${today.version}"` },
      ),
    );
    noteId = today.id;

    browser = await launchChromium();
    const context = await newBrowserContext(browser, { viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    page = await context.newPage();
    watchPage(page, pageErrors, EXPECTED_STATUSES);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('rates two goals in a progress note, saved with the draft', async () => {
    await openSignedIn(page, server.baseUrl, CLINICIAN.email, STAFF_PASSWORD);
    await page.goto(`${server.baseUrl}/notes/${noteId}`);
    const section = page.getByTestId('goal-progress');
    await section.getByRole('heading', { name: 'Progress on goals' }).waitFor();
    await section.getByRole('group', { name: /Goal 1: Reduce depressive symptoms/ }).waitFor();
    const goal1 = section.getByRole('radiogroup', { name: 'Progress on goal 1' });
    await goal1.getByLabel('Significant progress').check();
    await section.getByLabel('Comment on goal 1 (optional)').fill('PHQ-9 down to 11; sleeping better');
    await section.getByRole('radiogroup', { name: 'Progress on goal 2' }).getByLabel('Some progress').check();
    await page
      .getByText(/^All changes saved at/)
      .first()
      .waitFor();
    await screenshot(page, SHOTS, '01-rating-goals');
    await section.screenshot({ path: `${SHOTS}/01b-goal-section.png` });

    const stored = await clinicianApi.get(`/api/v1/notes/${noteId}/goal-progress`);
    expectOk(stored);
    expect(
      stored
        .json<{ goals: { rating: { label: string; comment: string } | null }[] }>()
        .goals.map((g) => g.rating),
    ).toMatchObject([
      { label: 'Significant progress', comment: 'PHQ-9 down to 11; sleeping better' },
      { label: 'Some progress', comment: '' },
    ]);
  });

  it('signs the note and shows the ratings read-only', async () => {
    await page.getByRole('button', { name: 'Sign note' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Sign this note' });
    await dialog.getByLabel('Your password').fill(STAFF_PASSWORD);
    await dialog.getByRole('button', { name: 'Sign note' }).click();
    await page.getByText('Note signed.').first().waitFor();
    const section = page.getByTestId('goal-progress');
    await section.getByText('Significant progress').waitFor();
    await section.getByText(/PHQ-9 down to 11/).waitFor();
    await expect(section.getByRole('radio').count()).resolves.toBe(0);
    await screenshot(page, SHOTS, '02-signed-note');
    await section.screenshot({ path: `${SHOTS}/02b-signed-goal-section.png` });
  });

  it('shows each goal’s trend beside it on the plan, with a table for screen readers', async () => {
    await page.goto(`${server.baseUrl}/clients/${clientId}/plan`);
    const chart1 = page.getByRole('img', {
      name: /^Goal 1: 2 ratings, latest Significant progress; PHQ-9 11/,
    });
    await chart1.waitFor();
    await page.getByRole('img', { name: /^Goal 2: 2 ratings, latest Some progress/ }).waitFor();
    // Two rating points and three PHQ-9 points on goal 1's chart.
    const figure = page.locator('figure.goal-trend').first();
    await expect(figure.locator('circle').count()).resolves.toBe(2);
    await expect(figure.locator('rect').count()).resolves.toBe(3);
    const table = page.getByRole('table', { name: 'Goal 1: progress over time' });
    await expect(table.getByRole('row').count()).resolves.toBe(1 + 2 + 3);
    await chart1.scrollIntoViewIfNeeded();
    await screenshot(page, SHOTS, '03-plan-trend');
  });

  it('shows the goal-progress charts on the client page', async () => {
    await page.goto(`${server.baseUrl}/clients/${clientId}`);
    const section = page.getByTestId('client-goal-progress');
    await section.getByRole('heading', { name: 'Goal progress' }).waitFor();
    await section.getByRole('img', { name: /^Goal 1:/ }).waitFor();
    await section.getByRole('img', { name: /^Goal 2:/ }).waitFor();
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, SHOTS, '04-client-goal-progress');
  });

  it('signs a plan-review note that marks goal 2 achieved: the plan gets a new signed version', async () => {
    const review = await startNote(clinicianApi, { clientId, kind: 'plan_review', dateOfService: dayAgo(0) });
    expectOk(
      await clinicianApi.put(
        `/api/v1/notes/${review.id}/draft`,
        {
          content: {
            goalsReviewed: 'Both goals',
            overallProgress: 'some',
            progressSummary: 'PHQ-9 from 21 to 11; no panic attacks at work for three weeks.',
            planChanges: 'Goal 2 achieved.',
            continuedNeed: 'Mood goal not yet met.',
          },
        },
        { 'if-match': `"${review.version}"` },
      ),
    );
    await page.goto(`${server.baseUrl}/notes/${review.id}`);
    const section = page.getByTestId('goal-progress');
    await section.getByRole('heading', { name: 'Plan review: goals' }).waitFor();
    await section.getByRole('radiogroup', { name: 'Progress on goal 2' }).getByLabel('Met').check();
    await section.getByLabel('Status after this review').nth(1).selectOption('achieved');
    await page
      .getByText(/^All changes saved at/)
      .first()
      .waitFor();
    await section.screenshot({ path: `${SHOTS}/05-plan-review-goals.png` });
    await page.getByRole('button', { name: 'Sign note' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Sign this note' });
    await dialog.getByLabel('Your password').fill(STAFF_PASSWORD);
    await dialog.getByRole('button', { name: 'Sign note' }).click();
    await page.getByText('Note signed.').first().waitFor();
    await section.getByText('Status set to Achieved').waitFor();

    await page.goto(`${server.baseUrl}/clients/${clientId}/plan`);
    await page.getByText('Signed plan, version 2').waitFor();
    await page
      .getByRole('heading', { level: 4, name: /Goal 2: Fewer panic attacks at work Achieved/ })
      .waitFor();
    // The review's rating of goal 2 joins its trend.
    await page.getByRole('img', { name: /^Goal 2: 3 ratings, latest Met/ }).waitFor();
    await screenshot(page, SHOTS, '06-plan-after-review');
    expect(pageErrors).toEqual([]);
  });
});
