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
import {
  attendedSession,
  newClient,
  saveDraft,
  soapContent,
  startNote,
  type Booking,
} from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { login, type Agent } from '../support/testApp.js';

/**
 * The clinical note in the browser: a clinician writes a SOAP note (autosave, risk, interventions,
 * a diagnosis from the picker), signs it after a refused attempt, adds an addendum and verifies
 * it; a draft opened in two tabs refuses the stale save; a supervisee's note is co-signed.
 */

const SHOTS = 'test-results/e2e/clinical';
const PRACTICE = 'Cedar Lane Counseling';
const OWNER = { email: 'owner@cedarlane.example', password: 'maple harbor sunrise 2031' };
const STAFF_PASSWORD = 'lantern orchard quietly 77';
const CLINICIAN = { email: 'casey@cedarlane.example', fullName: 'Casey Morgan', license: 'TX-40213' };
const SUPERVISOR = { email: 'sam@cedarlane.example', fullName: 'Sam Okafor', license: 'TX-10077' };
const SUPERVISEE = { email: 'sid@cedarlane.example', fullName: 'Sid Patel', license: null };
// 4xx answers the test provokes on purpose show up as console errors; script errors must not.
const EXPECTED_STATUSES = [401, 412, 422, 400];

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
const ids = { clinician: '', supervisor: '', supervisee: '' };
let clinicianApi: Agent;
let superviseeApi: Agent;
let clientId = '';
let noteId = '';

async function newPage(): Promise<Page> {
  const context = await newBrowserContext(browser, {
    viewport: { width: 1280, height: 900 },
    // A browser far from the practice: times must still be shown on the practice's clock.
    timezoneId: 'Europe/Berlin',
  });
  contexts.push(context);
  const p = await context.newPage();
  watchPage(p, pageErrors, EXPECTED_STATUSES);
  return p;
}

async function openNote(p: Page, id: string, title = 'Progress note (SOAP)'): Promise<void> {
  await p.goto(`${server.baseUrl}/notes/${id}`);
  await p.getByRole('heading', { level: 1, name: title }).waitFor();
}

function expectOk(res: { statusCode: number; body: string }, status = 200): void {
  expect(res.statusCode, res.body).toBe(status);
}

async function addStaff(
  owner: Agent,
  who: { email: string; fullName: string; license: string | null },
  roles: string[],
  supervisorId: string | null = null,
): Promise<string> {
  const res = await owner.post('/api/v1/users', {
    email: who.email,
    fullName: who.fullName,
    roles,
    credentials: 'LCSW',
    licenseNumber: who.license,
    supervisorId,
  });
  expectOk(res, 201);
  const body = res.json<{ user: { id: string }; setPasswordLink: { url: string } }>();
  const token = body.setPasswordLink.url.split('#token=')[1] ?? '';
  const set = await server.app.inject({
    method: 'POST',
    url: '/api/v1/auth/set-password',
    payload: { token, password: STAFF_PASSWORD },
  });
  expectOk(set);
  return body.user.id;
}

/** A date `daysAgo` days back: sessions are booked at 10:00 practice time, at least two days ago so they are over. */
function dayAgo(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** A 53-minute video session at 10:00 on `day`, the client joining from home. */
function videoSession(clinicianId: string, clientId: string, day: string): Booking {
  return {
    clinicianId,
    clientIds: [clientId],
    startLocal: `${day}T10:00`,
    durationMinutes: 53,
    modality: 'video',
    clientAtHome: true,
  };
}

/** Books and attends a video session on `day`, then starts its SOAP note; returns the note's id. */
async function draftFor(
  agent: Agent,
  clinicianId: string,
  clientId: string,
  day: string,
  startFromLast = false,
): Promise<string> {
  const session = await attendedSession(agent, videoSession(clinicianId, clientId, day));
  return (await startNote(agent, { clientId, sessionId: session.id, startFromLast })).id;
}

describe('clinical documentation in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    // Prerequisites through the API: the practice, its staff, a client and attended sessions.
    expectOk(
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: {
          practiceName: PRACTICE,
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
    ids.clinician = await addStaff(owner, CLINICIAN, ['clinician']);
    ids.supervisor = await addStaff(owner, SUPERVISOR, ['supervisor', 'clinician']);
    ids.supervisee = await addStaff(owner, SUPERVISEE, ['clinician'], ids.supervisor);
    clinicianApi = await login(server.app, CLINICIAN.email, STAFF_PASSWORD);
    superviseeApi = await login(server.app, SUPERVISEE.email, STAFF_PASSWORD);
    clientId = (await newClient(clinicianApi)).id;
    noteId = await draftFor(clinicianApi, ids.clinician, clientId, dayAgo(2));

    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  let page: Page;

  it('writes a SOAP note with autosave, risk, interventions and a diagnosis from the picker', async () => {
    page = await newPage();
    await openSignedIn(page, server.baseUrl, CLINICIAN.email, STAFF_PASSWORD);
    await openNote(page, noteId);
    const status = page.getByTestId('autosave-status');
    await expect(status.textContent()).resolves.toMatch(/^All changes saved at \d\d:\d\d:\d\d$/);
    await page.getByText('Draft', { exact: true }).first().waitFor();

    // Session facts came from the session, on the practice clock (Chicago), not the browser's (Berlin).
    await expect(page.getByLabel('Started').inputValue()).resolves.toBe(`${dayAgo(2)}T10:00`);
    await expect(page.getByLabel('Ended').inputValue()).resolves.toBe(`${dayAgo(2)}T10:53`);
    await page.getByText('53 min', { exact: true }).waitFor();
    await page
      .locator('.cpt-value')
      .getByText(/^90837/)
      .waitFor();

    await page
      .getByLabel("Client's report")
      .fill('Reports sleeping five hours a night and worrying about work.');
    await status.filter({ hasText: /Unsaved changes|Saving…/ }).waitFor();
    await page.getByLabel("Clinician's observations").pressSequentially('Arrived on time; affect anxious', {
      delay: 15,
    });
    await screenshot(page, SHOTS, '01-editor-mid-typing');
    await page.getByLabel('Clinical assessment').fill('Anxiety persists; partial progress toward goal 1.');
    await page.getByLabel('Client response and progress').fill('Identified two automatic thoughts.');

    await page.getByRole('group', { name: 'Suicidal ideation' }).getByLabel('Low').check();
    await page.getByRole('group', { name: 'Homicidal ideation' }).getByLabel('None').check();
    await page.getByRole('group', { name: 'Self-harm' }).getByLabel('None').check();
    // A risk above none makes the safety plan required, visibly.
    await page.getByText('(required because a risk is above none)').waitFor();

    // The diagnosis picker: a category is listed but cannot be chosen; a complete code can.
    const picker = page.getByRole('combobox', { name: /Add a diagnosis/ });
    await picker.fill('F41');
    const listbox = page.getByRole('listbox', { name: 'Matching ICD-10-CM codes' });
    await listbox.waitFor();
    const category = listbox.getByRole('option', { name: /^F41 .*choose a complete code/ });
    await expect(category.getAttribute('aria-disabled')).resolves.toBe('true');
    await screenshot(page, SHOTS, '02-diagnosis-picker');
    await category.click({ force: true });
    await page.getByText('F41 is a category: choose a complete code under it.').waitFor();
    await picker.fill('F41.1');
    await listbox.getByRole('option', { name: /^F41\.1 /, selected: true }).waitFor();
    await picker.press('Enter');
    await page.getByRole('list', { name: 'Diagnoses on this note' }).getByText('F41.1').waitFor();
    await expect(picker.inputValue()).resolves.toBe('');

    await page
      .getByText(/^All changes saved at/)
      .first()
      .waitFor();
    const stored = (await clinicianApi.get(`/api/v1/notes/${noteId}`)).json<{
      content: Record<string, unknown>;
      diagnoses: { code: string }[];
    }>();
    expect(stored.content.subjective).toBe('Reports sleeping five hours a night and worrying about work.');
    expect(stored.content.risk).toMatchObject({ suicidalIdeation: 'low', homicidalIdeation: 'none' });
    expect(stored.diagnoses.map((d) => d.code)).toEqual(['F41.1']);
  });

  it('keeps the sign dialog open on a wrong password, and lists what is missing after a refused sign', async () => {
    await page.getByRole('button', { name: 'Sign note' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Sign this note' });
    await dialog.getByText('By signing you attest').waitFor();
    await dialog.getByLabel('Your password').fill('not my password');
    await dialog.getByRole('button', { name: 'Sign note' }).click();
    await dialog.getByText('That did not match. Try again.').waitFor();
    await dialog.getByLabel('Your password').fill(STAFF_PASSWORD);
    await screenshot(page, SHOTS, '03-sign-dialog');
    await dialog.getByRole('button', { name: 'Sign note' }).click();

    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    await expect(dialog.count()).resolves.toBe(0);
    await summary.getByRole('link', { name: /Risk assessment – safety plan/ }).waitFor();
    await summary.getByRole('link', { name: /Interventions used/ }).waitFor();
    await summary.getByRole('link', { name: /^Plan: Enter the plan/ }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('f-content-plan');
    await page.locator('#f-content-plan-error').getByText('Enter the plan').waitFor();
    await screenshot(page, SHOTS, '04-sign-refused-error-summary');
  });

  it('signs the completed note: read-only note, signature block, addendum and integrity', async () => {
    await page.getByLabel(/^Plan \(required\)/).fill('Continue weekly CBT; review the thought records.');
    await page
      .getByLabel(/^Safety plan \(/)
      .fill('Agreed to call the crisis line and her sister if urges rise.');
    await page.getByLabel('Cognitive restructuring').check();
    await page.getByLabel('Other interventions').fill('Paced breathing');
    await page.getByRole('button', { name: 'Sign note' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Sign this note' });
    await dialog.getByLabel('Your password').fill(STAFF_PASSWORD);
    await dialog.getByRole('button', { name: 'Sign note' }).click();

    await page.getByText('Note signed.').waitFor();
    const block = page.locator('.signature-block');
    await block.getByText(/Electronically signed by Casey Morgan, LCSW, License TX-40213 on/).waitFor();
    await page.locator('.note-status').getByText('Signed', { exact: true }).waitFor();
    await expect(page.getByRole('button', { name: 'Sign note' }).count()).resolves.toBe(0);
    await expect(page.locator('textarea, input[type="text"]').count()).resolves.toBe(0);
    await page.getByText('Suicidal ideation: Low').waitFor();
    await page.getByText('Cognitive restructuring; Other: Paced breathing').waitFor();
    await page.getByText('F41.1 Generalized anxiety disorder').waitFor();
    await expect(page.getByRole('link', { name: 'Download PDF' }).getAttribute('href')).resolves.toBe(
      `/api/v1/notes/${noteId}/pdf`,
    );

    await page.getByRole('button', { name: 'Add addendum' }).click();
    const add = page.getByRole('dialog', { name: 'Add an addendum' });
    await add.getByLabel('Reason for the addendum').fill('Information received after signing');
    await add.getByLabel('Addendum', { exact: true }).fill('Client called: sleep improved to seven hours.');
    await add.getByLabel('Your password').fill(STAFF_PASSWORD);
    await add.getByRole('button', { name: 'Sign and add addendum' }).click();
    await page.getByText('Addendum signed and added.').waitFor();
    const addendum = page.getByRole('listitem', { name: 'Addendum 1' });
    await addendum.getByText('Information received after signing').waitFor();
    await addendum.getByText('Client called: sleep improved to seven hours.').waitFor();
    await addendum.getByText(/Electronically signed by Casey Morgan, LCSW, License TX-40213/).waitFor();

    await page.getByRole('button', { name: 'Verify integrity' }).click();
    await page.getByText('Intact: the note and its addenda are exactly as signed.').waitFor();
    await page.getByText('1 addendum checked, all intact.').waitFor();
    await screenshot(page, SHOTS, '05-signed-note-with-addendum');

    const note = (await clinicianApi.get(`/api/v1/notes/${noteId}`)).json<{
      status: string;
      addenda: unknown[];
      content: { interventions: unknown };
    }>();
    expect(note.status).toBe('signed');
    expect(note.addenda).toHaveLength(1);
    expect(note.content.interventions).toEqual({
      selected: ['cognitive_restructuring'],
      other: 'Paced breathing',
    });
  });

  it('marks copied fields, refuses the stale save of a second tab without merging, and discards the draft', async () => {
    const copiedId = await draftFor(clinicianApi, ids.clinician, clientId, dayAgo(3), true);
    await openNote(page, copiedId);
    const report = page.getByLabel("Client's report");
    await expect(report.inputValue()).resolves.toBe(
      'Reports sleeping five hours a night and worrying about work.',
    );
    const badges = page.getByText('Copied from last note — edit or confirm');
    const copiedCount = await badges.count();
    expect(copiedCount).toBeGreaterThan(3);
    // Risk is assessed afresh each session: never copied.
    await expect(
      page.getByRole('group', { name: 'Suicidal ideation' }).getByLabel('Low').isChecked(),
    ).resolves.toBe(false);

    await screenshot(page, SHOTS, '06-copied-from-last-note');

    const second = await page.context().newPage();
    watchPage(second, pageErrors, EXPECTED_STATUSES);
    await openNote(second, copiedId);

    await report.fill('This week: sleeping six hours.');
    await expect(badges.count()).resolves.toBe(copiedCount - 1);
    // Overriding the suggested CPT code needs a reason; the override is saved only with one.
    await page.getByRole('button', { name: 'Override code' }).click();
    await page.getByLabel('Code 1').fill('90834');
    await page.getByText('Not saved yet: give the reason for overriding the code.').waitFor();
    await page.getByLabel(/^Reason for the override/).fill('Payer contract bills this service as 90834');
    await page.locator('.cpt-box').getByText('Overridden').waitFor();
    await page
      .locator('.cpt-value')
      .getByText(/^90834/)
      .waitFor();
    await page
      .getByText(/^All changes saved at/)
      .first()
      .waitFor();
    await screenshot(page, SHOTS, '06b-cpt-override');
    const overridden = (await clinicianApi.get(`/api/v1/notes/${copiedId}`)).json<{
      sessionFacts: { cpt: { code: string }[]; cptOverrideReason: string | null };
      copiedFields: string[];
    }>();
    expect(overridden.sessionFacts.cpt.map((c) => c.code)).toEqual(['90834']);
    expect(overridden.sessionFacts.cptOverrideReason).toBe('Payer contract bills this service as 90834');
    expect(overridden.copiedFields).not.toContain('subjective');
    expect(overridden.copiedFields).toContain('plan');

    await second.getByLabel(/^Plan \(required\)/).fill('Typed in the second tab and never merged.');
    const conflict = second
      .getByRole('alert')
      .filter({ hasText: 'This draft was changed in another tab or window' });
    await conflict.waitFor({ timeout: 20_000 });
    await conflict.getByText('Your latest typing has NOT been saved.').waitFor();
    await second.getByText('Not saved: this draft was changed in another tab or window.').first().waitFor();
    await screenshot(second, SHOTS, '07-two-tabs-conflict');

    await conflict.getByRole('button', { name: 'Copy my text' }).click();
    const copy = second.getByRole('dialog', { name: 'Your unsaved text' });
    await expect(copy.getByLabel('Plan', { exact: true }).inputValue()).resolves.toBe(
      'Typed in the second tab and never merged.',
    );
    await copy.getByRole('button', { name: 'Close' }).click();

    await conflict.getByRole('button', { name: 'Load the saved version' }).click();
    await second
      .getByRole('alertdialog', { name: 'Load the saved version?' })
      .getByRole('button', { name: 'Load the saved version' })
      .click();
    await second.getByText('Showing the saved version of the draft.').waitFor();
    await expect(second.getByLabel("Client's report").inputValue()).resolves.toBe(
      'This week: sleeping six hours.',
    );
    await expect(second.getByLabel(/^Plan \(required\)/).inputValue()).resolves.toBe(
      'Continue weekly CBT; review the thought records.',
    );
    await second.close();

    const stored = (await clinicianApi.get(`/api/v1/notes/${copiedId}`)).json<{
      content: { plan: string };
    }>();
    expect(stored.content.plan).toBe('Continue weekly CBT; review the thought records.');

    await page.getByRole('button', { name: 'Discard draft' }).first().click();
    await page
      .getByRole('alertdialog', { name: 'Discard this draft?' })
      .getByRole('button', { name: 'Discard draft' })
      .click();
    await page.getByText('Draft discarded.').waitFor();
    expect((await clinicianApi.get(`/api/v1/notes/${copiedId}`)).statusCode).toBe(404);
  });

  it('edits a standalone intake note: date of service and the mental status exam with suggestions', async () => {
    const { id: intakeId } = await startNote(clinicianApi, {
      clientId,
      kind: 'intake',
      dateOfService: dayAgo(5),
    });
    await openNote(page, intakeId, 'Intake assessment');
    const date = page.getByLabel(/^Date of service/);
    await expect(date.inputValue()).resolves.toBe(dayAgo(5));
    await date.fill(dayAgo(4));
    const mse = page.getByRole('group', { name: /^Mental status exam/ });
    const mood = mse.getByLabel('Mood');
    const suggestions = await mood.getAttribute('list');
    await expect(
      page
        .locator(`datalist[id="${suggestions ?? ''}"] option`)
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
    ).resolves.toContain('Euthymic');
    await mood.fill('Anxious');
    await mse.getByLabel('Insight').fill('Fair');
    await page.getByLabel(/^Presenting problem \(required\)/).fill('Panic attacks at work.');
    await page
      .getByText(/^All changes saved at/)
      .first()
      .waitFor();
    await screenshot(page, SHOTS, '07-intake-mental-status-exam');
    const stored = (await clinicianApi.get(`/api/v1/notes/${intakeId}`)).json<{
      dateOfService: string;
      content: { mse: Record<string, string> };
    }>();
    expect(stored.dateOfService).toBe(dayAgo(4));
    expect(stored.content.mse).toMatchObject({ mood: 'Anxious', insight: 'Fair', affect: '' });
  });

  it("co-signs a supervisee's note in the browser", async () => {
    const { id: sClient } = await newClient(superviseeApi, {
      legalFirstName: 'Robin',
      preferredName: 'Robin',
      email: 'robin.rivera@example.test',
    });
    // Ten days ago: past the deadline, so the note is a late entry.
    const sNote = await draftFor(superviseeApi, ids.supervisee, sClient, dayAgo(10));
    const draft = (await superviseeApi.get(`/api/v1/notes/${sNote}`)).json<{ id: string; version: number }>();
    await saveDraft(superviseeApi, draft, {
      content: soapContent({
        subjective: 'Low mood most days; less time with friends.',
        objective: 'Flat affect, slowed speech, good eye contact.',
        assessment: 'Depressive symptoms with functional impairment at work.',
        clientResponse: 'Agreed to schedule two pleasant activities.',
        interventions: { selected: ['behavioral_activation'], other: '' },
        plan: 'Weekly sessions; start an activity log.',
      }),
      diagnosisCodes: ['F32.1'],
    });

    const sid = await newPage();
    await openSignedIn(sid, server.baseUrl, SUPERVISEE.email, STAFF_PASSWORD);
    await openNote(sid, sNote);
    await sid.getByRole('button', { name: 'Sign note' }).first().click();
    const dialog = sid.getByRole('dialog', { name: 'Sign this note' });
    await dialog.getByText('Sam Okafor will be asked to co-sign it.').waitFor();
    await dialog.getByLabel('Your password').fill(STAFF_PASSWORD);
    await dialog.getByRole('button', { name: 'Sign note' }).click();
    await sid.getByText('Note signed and sent for co-signature.').waitFor();
    await sid.getByText('Awaiting co-signature by Sam Okafor.').waitFor();
    await sid.locator('.note-status').getByText('Awaiting co-signature').waitFor();
    await expect(sid.getByRole('button', { name: 'Co-sign' }).count()).resolves.toBe(0);

    // The supervisor first sends it back with comments; the supervisee sees them above the form.
    const sam = await newPage();
    await openSignedIn(sam, server.baseUrl, SUPERVISOR.email, STAFF_PASSWORD);
    await openNote(sam, sNote);
    await sam.getByText('Awaiting co-signature by Sam Okafor.').waitFor();
    await sam.getByRole('button', { name: 'Return with comments' }).click();
    const back = sam.getByRole('dialog', { name: 'Return the note with comments' });
    await back.getByLabel('What needs changing').fill("Add the client's PHQ-9 score to the observations.");
    await back.getByRole('button', { name: 'Return to author' }).click();
    await sam.getByText('Note returned to Sid Patel with your comments.').waitFor();
    await sam.locator('.note-status').getByText('Returned').waitFor();

    await openNote(sid, sNote);
    const banner = sid.locator('.returned-banner');
    await banner.getByText(/^Returned by Sam Okafor on .* with comments:$/).waitFor();
    await banner.getByText("Add the client's PHQ-9 score to the observations.").waitFor();
    await expect(sid.getByRole('button', { name: 'Discard draft' }).count()).resolves.toBe(0);
    await screenshot(sid, SHOTS, '08-returned-with-comments');
    await sid
      .getByLabel("Clinician's observations")
      .fill('Flat affect, slowed speech, good eye contact. PHQ-9 = 14.');
    await sid.getByRole('button', { name: 'Sign note' }).first().click();
    await dialog.getByLabel('Your password').fill(STAFF_PASSWORD);
    await dialog.getByRole('button', { name: 'Sign note' }).click();
    await sid.getByText('Awaiting co-signature by Sam Okafor.').waitFor();

    await openNote(sam, sNote);
    await sam.getByText('PHQ-9 = 14', { exact: false }).waitFor();
    await sam.getByRole('button', { name: 'Co-sign' }).click();
    const cosign = sam.getByRole('dialog', { name: 'Co-sign this note' });
    await cosign.getByText(/By co-signing you attest/).waitFor();
    await cosign.getByLabel('Your password').fill(STAFF_PASSWORD);
    await cosign.getByRole('button', { name: 'Co-sign note' }).click();
    await sam.getByText('Note co-signed.').waitFor();
    const block = sam.locator('.signature-block');
    await block.getByText(/Electronically signed by Sid Patel, LCSW on/).waitFor();
    await block.getByText(/Co-signed by Sam Okafor, LCSW, License TX-10077 on/).waitFor();
    await sam.locator('.note-status').getByText('Signed', { exact: true }).waitFor();
    await sam.getByText(/^Late entry — signed .*, date of service/).waitFor();
    await sam.getByRole('button', { name: 'Verify integrity' }).click();
    await sam.getByText('Intact: the note is exactly as signed.').waitFor();
    await screenshot(sam, SHOTS, '09-cosigned-note');

    const read = (await superviseeApi.get(`/api/v1/notes/${sNote}`)).json<{
      status: string;
      lateEntry: boolean;
      cosignature: { name: string } | null;
    }>();
    expect(read).toMatchObject({ status: 'signed', lateEntry: true, cosignature: { name: 'Sam Okafor' } });
  });

  it('raised no script errors or unexpected failed requests in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
