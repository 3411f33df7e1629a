import { mkdir } from 'node:fs/promises';
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
import { newClient } from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { login, type Agent } from '../support/testApp.js';

/**
 * The treatment plan in the browser: a clinician builds a plan with two goals, the check names the
 * goal without a target date, the fixed plan is signed with the password, the client acknowledges
 * it with a signature drawn on the canvas, a revision shows its differences in the history, and the
 * plan's review appears on the documentation dashboard once it falls due.
 */

const SHOTS = 'test-results/e2e/treatment-plan';
const OWNER = { email: 'owner@birchway.example', password: 'willow copper evening 2030' };
const STAFF_PASSWORD = 'harbor lantern quietly 58';
const CLINICIAN = { email: 'rowan@birchway.example', fullName: 'Rowan Ellis' };
// 401: the wrong password tried in the sign dialog; 412: the save refused after the draft changed elsewhere.
const EXPECTED_STATUSES = [401, 412];

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let owner: Agent;
let clinicianApi: Agent;
let clientId = '';
let page: Page;

function expectOk(res: { statusCode: number; body: string }, status = 200): void {
  expect(res.statusCode, res.body).toBe(status);
}

/** A practice-local date `days` from today (the practice is in UTC for this walkthrough). */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

interface PlanView {
  current: { id: string; versionNo: number; content: { goals: { targetDate: string | null }[] } } | null;
  draft: { id: string; content: { problems: { statement: string }[] } } | null;
  review: { state: string; dueDate: string } | null;
}

async function planOf(): Promise<PlanView> {
  const res = await clinicianApi.get(`/api/v1/clients/${clientId}/treatment-plan`);
  expectOk(res);
  return res.json<PlanView>();
}

describe('treatment plan in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    expectOk(
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: {
          practiceName: 'Birchway Counseling',
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
    owner = await login(server.app, OWNER.email, OWNER.password);
    const added = await owner.post('/api/v1/users', {
      email: CLINICIAN.email,
      fullName: CLINICIAN.fullName,
      roles: ['clinician'],
      credentials: 'LPC',
      licenseNumber: 'CO-55102',
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
    expectOk(
      await clinicianApi.post(`/api/v1/clients/${clientId}/diagnoses`, { code: 'F41.0', rank: 'primary' }),
      201,
    );
    browser = await launchChromium();
    const context = await newBrowserContext(browser, { viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    page = await context.newPage();
    watchPage(page, pageErrors, EXPECTED_STATUSES);
  });

  // A failing step leaves a picture of what the page showed.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || !page) return;
    await screenshot(page, SHOTS, `failed-${task.name.slice(0, 40)}`);
    if (pageErrors.length) console.error('page errors:', pageErrors);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('builds a plan with two goals; the check names the goal with no target date until it is fixed', async () => {
    await openSignedIn(page, server.baseUrl, CLINICIAN.email, STAFF_PASSWORD);
    await page.goto(`${server.baseUrl}/clients/${clientId}`);
    const summary = page.getByTestId('plan-summary');
    await summary.getByText('No treatment plan yet.').waitFor();
    await summary.getByRole('link', { name: 'Start a plan' }).click();
    await waitForHeading(page, 'Treatment plan');
    await page.getByRole('button', { name: 'Start a treatment plan' }).click();
    const status = page.getByTestId('autosave-status');
    await status.getByText(/^All changes saved at \d/).waitFor();

    // The draft saves itself: no button, a few seconds after typing (or on leaving the field).
    await page.getByRole('button', { name: 'Add a problem' }).click();
    await page.locator('#f-problems-0-statement').fill('Panic attacks several times a week; avoids driving.');
    await status.getByText('Unsaved changes').waitFor();
    await status.getByText(/^All changes saved at \d/).waitFor();
    const autosaved = await planOf();
    expect(autosaved.draft?.content.problems[0]?.statement).toBe(
      'Panic attacks several times a week; avoids driving.',
    );
    await expect(page.getByRole('button', { name: 'Save draft' }).count()).resolves.toBe(0);
    await page.getByRole('checkbox', { name: /F41\.0/ }).check();

    // Goal 1: measurable, dated, tied to the only problem (linked on creation), with an objective and an intervention.
    await page.getByRole('button', { name: 'Add a goal' }).click();
    await page.locator('#f-goals-0-statement').fill('Drive to work without a panic attack.');
    await page.locator('#f-goals-0-measuredBy').fill('Panic diary');
    await page.locator('#f-goals-0-baseline').fill('3 attacks a week');
    await page.locator('#f-goals-0-target').fill('No attacks for 4 weeks');
    await page.locator('#f-goals-0-targetDate').fill(dayFromNow(120));
    await page.getByRole('button', { name: 'Add an objective to goal 1' }).click();
    await page.locator('#f-goals-0-objectives-0-statement').fill('Practise paced breathing twice a day.');
    await page.locator('#f-goals-0-objectives-0-measure').fill('Breathing log, 5 of 7 days');
    await page.locator('#f-goals-0-objectives-0-targetDate').fill(dayFromNow(30));
    await page.getByRole('button', { name: 'Add an intervention to goal 1' }).click();
    await page.locator('#f-goals-0-interventions-0-modality').selectOption('cbt');
    await page.locator('#f-goals-0-interventions-0-frequency').fill('Weekly');
    await page
      .locator('#f-goals-0-interventions-0-description')
      .fill('Interoceptive exposure and restructuring.');
    await expect(
      page.locator('#f-goals-0-interventions-0-responsibleClinicianId').inputValue(),
    ).resolves.not.toBe('');

    // Goal 2: measured by the PHQ-9, but no target date yet.
    await page.getByRole('button', { name: 'Add a goal' }).click();
    await page.locator('#f-goals-1-statement').fill('Lift low mood.');
    await page
      .getByRole('group', { name: 'Problems this goal addresses' })
      .nth(1)
      .getByRole('checkbox')
      .check();
    await page.locator('#f-goals-1-measure-instrument').selectOption('phq9');
    await page.locator('#f-goals-1-measure-below').fill('10');
    await page.getByRole('button', { name: 'Add an intervention to goal 2' }).click();
    await page.locator('#f-goals-1-interventions-0-modality').selectOption('act');
    await page.locator('#f-goals-1-interventions-0-frequency').fill('Weekly');
    await page.locator('#f-goals-1-interventions-0-description').fill('Values work and committed action.');

    await page.locator('#f-servicePlan-sessionType').selectOption('individual');
    await page.locator('#f-servicePlan-minutes').fill('53');
    await page.locator('#f-servicePlan-frequency').fill('Weekly');
    await page.locator('#f-servicePlan-expectedDuration').fill('16 weeks');
    await page.locator('#f-strengths').fill('Supportive partner; motivated.');
    await page.locator('#f-dischargeCriteria').fill('No panic attacks for 8 weeks and PHQ-9 below 10.');

    await page.getByRole('button', { name: 'Check plan' }).click();
    const check = page.getByTestId('plan-check');
    await check.getByText('1 thing to fix before the plan can be signed').waitFor();
    await status.getByText(/^All changes saved at/).waitFor();
    const finding = check.getByRole('link', { name: /Goal 2 .*is not time-bound/ });
    await finding.waitFor();
    await page
      .locator('#f-goals-1-targetDate-error')
      .getByText(/not time-bound/)
      .waitFor();
    await screenshot(page, SHOTS, '01-check-finding');

    // Following the finding focuses the field that fixes it.
    await finding.click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('f-goals-1-targetDate');
    await page.locator('#f-goals-1-targetDate').fill(dayFromNow(90));
    await page.getByRole('button', { name: 'Check plan' }).click();
    await check.getByText(/ready to sign/).waitFor();
    await screenshot(page, SHOTS, '02-editor-ready');
  });

  it('signs the plan with the password after a wrong one', async () => {
    await page.getByRole('button', { name: 'Sign plan…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign the treatment plan' });
    await dialog.getByLabel('Your password').fill('not my password');
    await dialog.getByRole('button', { name: 'Sign plan' }).click();
    await dialog.getByRole('alert').waitFor();
    await dialog.getByLabel('Your password').fill(STAFF_PASSWORD);
    await dialog.getByRole('button', { name: 'Sign plan' }).click();
    await page.getByRole('heading', { name: 'Signed plan, version 1' }).waitFor();
    await page.getByTestId('plan-signature').getByText(`Signed by ${CLINICIAN.fullName}, LPC`).waitFor();
    await page.getByText('The client has not acknowledged this version yet.').waitFor();
    await page
      .getByTestId('plan-review')
      .getByText(/Review due .*\(in 90 days\)/)
      .waitFor();
    const plan = await planOf();
    expect(plan.current?.versionNo).toBe(1);
    expect(plan.draft).toBeNull();
    expect(plan.review?.state).toBe('current');
  });

  it("records the client's acknowledgement with a signature drawn on the canvas", async () => {
    await page.getByRole('button', { name: 'Record client acknowledgement' }).click();
    const dialog = page.getByRole('dialog', { name: 'Client acknowledgement of version 1' });
    await dialog.getByRole('button', { name: 'Record acknowledgement' }).click();
    await dialog.getByRole('alert').getByText('There is a problem').waitFor();
    await dialog.getByLabel(/Client’s name/).fill('Jordan Rivera');
    await dialog.getByLabel('Remote (video or phone)').check();

    const pad = dialog.getByRole('img', { name: /drawn signature/ });
    const box = await pad.boundingBox();
    if (!box) throw new Error('the signature pad is not visible');
    await page.mouse.move(box.x + 20, box.y + box.height * 0.7);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++)
      await page.mouse.move(
        box.x + 20 + i * 18,
        box.y + box.height * (0.7 - 0.4 * Math.abs(Math.sin(i / 2))),
      );
    await page.mouse.up();
    await dialog.getByText('Signature drawn').waitFor();
    await screenshot(page, SHOTS, '03-acknowledgement-drawn');
    // Clear empties the pad; the second drawing is the one kept.
    await dialog.getByRole('button', { name: 'Clear signature' }).click();
    await dialog.getByText('No signature drawn').waitFor();
    await page.mouse.move(box.x + 30, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + 120, { steps: 10 });
    await page.mouse.move(box.x + 320, box.y + 50, { steps: 10 });
    await page.mouse.up();
    await dialog.getByRole('button', { name: 'Record acknowledgement' }).click();

    await page.getByText('The client’s acknowledgement was recorded.').waitFor();
    const ack = page.getByTestId('plan-acknowledgement');
    await ack.getByText(/Acknowledged by Jordan Rivera on .* \(remote\)/).waitFor();
    const img = ack.getByRole('img', { name: 'Drawn signature of Jordan Rivera' });
    await img.waitFor();
    await expect(img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).resolves.toBe(600);
    await screenshot(page, SHOTS, '04-signed-plan');
  });

  it('revises the plan and shows the differences in the history', async () => {
    // The owner shortens the review interval in Settings, so the next signature's review falls due soon.
    const ownerContext = await newBrowserContext(browser);
    contexts.push(ownerContext);
    const ownerPage = await ownerContext.newPage();
    watchPage(ownerPage, pageErrors, EXPECTED_STATUSES);
    await openSignedIn(ownerPage, server.baseUrl, OWNER.email, OWNER.password);
    await ownerPage.goto(`${server.baseUrl}/settings`);
    const interval = ownerPage.getByLabel(/^Plan review interval/);
    await expect(interval.inputValue()).resolves.toBe('90');
    await interval.fill('3');
    await ownerPage.getByRole('button', { name: 'Save settings' }).click();
    await ownerPage
      .getByRole('link', { name: /Plan review interval: Enter a whole number of days from 7 to 365/ })
      .waitFor();
    await interval.fill('7');
    await ownerPage.getByRole('button', { name: 'Save settings' }).click();
    await ownerPage.getByText('Settings saved.').waitFor();
    const settings = await owner.get('/api/v1/practice/settings');
    expect(settings.json<{ planReviewDays: number }>().planReviewDays).toBe(7);

    await page.getByRole('button', { name: 'Revise plan' }).click();
    await page.getByText('Version 2 started from the signed plan.').waitFor();
    await page.getByText(/Draft of version 2, revising version 1/).waitFor();
    // The signed version stays in force, and can be read beside the draft.
    const inForce = page.getByRole('region', { name: 'Signed plan, version 1' });
    await inForce.getByText('Version 1 is the signed plan in force').waitFor();
    await inForce.getByRole('button', { name: 'View signed version 1' }).click();
    const signedCopy = page.getByTestId('signed-version-copy');
    await signedCopy.getByText('No attacks for 4 weeks').waitFor();
    await signedCopy.getByText(`Signed by ${CLINICIAN.fullName}, LPC`).waitFor();
    await expect(signedCopy.locator('input, textarea, select').count()).resolves.toBe(0);
    await screenshot(page, SHOTS, '05a-signed-version-beside-draft');
    await inForce.getByRole('button', { name: 'Hide version 1' }).click();

    // Someone saves the draft elsewhere (another tab, here the API): this page's save is refused, not merged.
    const elsewhere = await planOf();
    const draftId = elsewhere.draft?.id ?? '';
    const stored = (await clinicianApi.get(`/api/v1/treatment-plan-versions/${draftId}`)).json<{
      version: number;
      content: Record<string, unknown>;
    }>();
    expectOk(
      await clinicianApi.put(
        `/api/v1/treatment-plan-versions/${draftId}`,
        { content: { ...stored.content, barriers: 'Long commute' } },
        { 'if-match': `"${stored.version}"` },
      ),
    );
    // No button: autosave sends it with the version this tab read, and is refused.
    await page.locator('#f-strengths').fill('Typed in this tab');
    const conflict = page
      .getByRole('alert')
      .filter({ hasText: 'This draft was changed in another tab or window' });
    await conflict.waitFor();
    await page
      .getByTestId('autosave-status')
      .getByText(/^Not saved: this draft was changed/)
      .waitFor();
    await expect(page.getByRole('button', { name: 'Sign plan…' }).isDisabled()).resolves.toBe(true);
    await conflict.getByRole('button', { name: 'Copy my text' }).click();
    const copy = page.getByRole('dialog', { name: 'Your unsaved text' });
    await expect(copy.getByLabel('Strengths').inputValue()).resolves.toBe('Typed in this tab');
    await screenshot(page, SHOTS, '05-conflict');
    await copy.getByRole('button', { name: 'Close' }).click();
    await conflict.getByRole('button', { name: 'Load the saved version' }).click();
    await page.getByText('Showing the saved version of the draft.').waitFor();
    await expect(page.locator('#f-barriers').inputValue()).resolves.toBe('Long commute');
    await expect(page.locator('#f-strengths').inputValue()).resolves.toBe('Supportive partner; motivated.');

    await page.locator('#f-goals-0-status').selectOption('active');
    await page.locator('#f-goals-0-target').fill('No attacks for 6 weeks');
    await page.locator('#f-goals-0-targetDate').fill(dayFromNow(150));
    await page
      .getByTestId('autosave-status')
      .getByText(/^All changes saved at/)
      .waitFor();
    await page.getByRole('button', { name: 'Sign plan…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign the treatment plan' });
    await dialog.getByLabel('Your password').fill(STAFF_PASSWORD);
    await dialog.getByRole('button', { name: 'Sign plan' }).click();
    await page.getByRole('heading', { name: 'Signed plan, version 2' }).waitFor();
    await page.getByTestId('plan-review').getByText('Review due soon').waitFor();

    await page.getByRole('link', { name: 'History' }).click();
    await waitForHeading(page, 'Treatment plan history');
    const versions = page.getByTestId('plan-version');
    await versions.nth(1).waitFor();
    await expect(versions.count()).resolves.toBe(2);
    const v2 = versions.first();
    await v2.getByRole('heading', { name: /Version 2/ }).waitFor();
    await v2.getByText(`Signed by ${CLINICIAN.fullName}`).waitFor();
    await v2.getByText('4 changes from version 1:').waitFor();
    const row = v2
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /^Goal 1 .*: target$/ }) });
    await row.getByText('No attacks for 4 weeks').waitFor();
    // Dates read as dates, not as stored ("2027-03-27").
    await v2
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /^Goal 1 .*: target date$/ }) })
      .getByText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/)
      .first()
      .waitFor();
    await v2
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /^Goal 1 .*: target date$/ }) })
      .getByText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/)
      .first()
      .waitFor();
    await row.getByText('No attacks for 6 weeks').waitFor();
    await v2
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /^Goal 1 .*: status$/ }) })
      .getByText('Active')
      .waitFor();
    await versions.nth(1).getByText('The first version of the plan.').waitFor();
    await versions.nth(1).getByText('Acknowledged by the client').waitFor();
    await screenshot(page, SHOTS, '06-history');
  });

  it('shows the plan review on the client page and the documentation dashboard once it is due', async () => {
    await page.goto(`${server.baseUrl}/clients/${clientId}`);
    const summary = page.getByTestId('plan-summary');
    await summary.getByText(/Version 2, signed by Rowan Ellis/).waitFor();
    await summary.getByText('Review due soon').waitFor();
    await summary.getByText('Not yet acknowledged by the client.').waitFor();
    await summary.scrollIntoViewIfNeeded();
    await screenshot(page, SHOTS, '07-client-page');

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Documentation/ })
      .click();
    await waitForHeading(page, 'Documentation');
    const reviews = page.getByRole('region', { name: 'Treatment plan reviews (1)', exact: true });
    await reviews.getByRole('link', { name: /Rivera/ }).waitFor();
    await reviews.getByText('Due soon').waitFor();
    await screenshot(page, SHOTS, '08-dashboard-plan-review');
    await reviews.getByRole('link', { name: /Rivera/ }).click();
    await waitForHeading(page, 'Treatment plan');
    expect(pageErrors).toEqual([]);
  });

  it('shows a read-only reader the signed plan without any write control or the draft', async () => {
    // The owner may read every client in this practice, but never write a clinical record.
    const current = await owner.get('/api/v1/practice/settings');
    expectOk(
      await owner.patch(
        '/api/v1/practice/settings',
        { adminsSeeAllClients: true },
        { 'if-match': String(current.headers.etag) },
      ),
    );
    expectOk(await clinicianApi.post(`/api/v1/clients/${clientId}/treatment-plan/draft`, {}), 201);
    const ownerContext = await newBrowserContext(browser);
    contexts.push(ownerContext);
    const reader = await ownerContext.newPage();
    watchPage(reader, pageErrors, EXPECTED_STATUSES);
    await openSignedIn(reader, server.baseUrl, OWNER.email, OWNER.password);
    await reader.goto(`${server.baseUrl}/clients/${clientId}/plan`);
    await reader.getByRole('heading', { name: 'Signed plan, version 2' }).waitFor();
    await reader.getByText(/A new version \(version 3\) is being drafted by Rowan Ellis/).waitFor();
    for (const name of ['Revise plan', 'Record client acknowledgement', 'Sign plan…', 'Check plan'])
      await expect(reader.getByRole('button', { name }).count(), name).resolves.toBe(0);
    await expect(reader.locator('.tp-editor').count()).resolves.toBe(0);
    await screenshot(reader, SHOTS, '09-read-only-reader');
    expect(pageErrors).toEqual([]);
  });
});
