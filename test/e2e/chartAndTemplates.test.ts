import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  launchChromium,
  newBrowserContext,
  openSignedIn,
  screenshot,
  waitForHeading,
  watchPage,
} from '../support/browser.js';
import { attendedSession, saveDraft, signNote, soapContent, startNote } from '../support/clinical.js';
import { startE2eServer, type E2eServer } from '../support/e2eServer.js';
import { login, type Agent } from '../support/testApp.js';

const SHOTS = 'test-results/e2e';
const ZONE = 'America/Chicago';
const OWNER = { email: 'owner@birchclinic.example', password: 'granite willow beacon 2040' };
const SUPERVISOR = {
  name: 'Sam Supervisor',
  email: 'sam@birchclinic.example',
  password: 'copper fjord lantern 2041',
};
const CLINICIAN = {
  name: 'Casey Clinician',
  email: 'casey@birchclinic.example',
  password: 'meadow quartz signal 2042',
};
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// A word only the signed note holds, so finding it proves the search reached that note.
const SEARCH_WORD = 'kayaking';
// The 401 (not yet signed in), 412 (stale save) and 422 (template problems) are expected.
const EXPECTED_STATUSES = [401, 412, 422];

let server: E2eServer;
let browser: Browser;
let supervisorContext: BrowserContext;
let clinicianContext: BrowserContext;
let supervisor: Page;
let clinician: Page;
let clinicianApi: Agent;
let supervisorApi: Agent;
let clientId = '';
let signedNoteId = '';
let templateId = '';
let psychotherapyNoteId = '';
const pageErrors: string[] = [];

async function newStaff(owner: Agent, who: typeof CLINICIAN, roles: string[]): Promise<Agent> {
  const created = await owner.post('/api/v1/users', {
    email: who.email,
    fullName: who.name,
    roles,
    credentials: 'LCSW',
  });
  expect(created.statusCode, created.body).toBe(201);
  const token = created.json<{ setPasswordLink: { url: string } }>().setPasswordLink.url.split('#token=')[1];
  const set = await server.app.inject({
    method: 'POST',
    url: '/api/v1/auth/set-password',
    payload: { token, password: who.password },
  });
  expect(set.statusCode).toBe(200);
  return login(server.app, who.email, who.password);
}

/** A practice with an owner, a supervisor and a clinician; a client with one signed progress note. */
async function seedPractice(): Promise<void> {
  const setup = await server.app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    payload: {
      practiceName: 'Birch Clinic',
      timeZone: ZONE,
      kind: 'clinical',
      owner: { email: OWNER.email, fullName: 'Rae Owner', password: OWNER.password, alsoClinician: false },
    },
  });
  expect(setup.statusCode).toBe(201);
  const owner = await login(server.app, OWNER.email, OWNER.password);
  supervisorApi = await newStaff(owner, SUPERVISOR, ['supervisor', 'clinician']);
  clinicianApi = await newStaff(owner, CLINICIAN, ['clinician']);
  const me = (await clinicianApi.get('/api/v1/auth/me')).json<{ user: { id: string } }>();

  const client = await clinicianApi.post('/api/v1/clients', {
    legalFirstName: 'Jordan',
    legalLastName: 'Rivera',
    preferredName: 'Jo',
    dateOfBirth: '1991-04-12',
  });
  expect(client.statusCode, client.body).toBe(201);
  clientId = client.json<{ id: string }>().id;

  const session = await attendedSession(clinicianApi, {
    clientIds: [clientId],
    clinicianId: me.user.id,
    startLocal: '2026-03-02T10:00',
    durationMinutes: 53,
  });
  const draft = await startNote(clinicianApi, { clientId, sessionId: session.id });
  const filled = await saveDraft(clinicianApi, draft, {
    content: soapContent({
      subjective: `Went ${SEARCH_WORD} with a friend at the weekend; sleeping six hours a night.`,
      objective: 'Arrived on time, casually dressed, affect brighter than last week.',
      assessment: 'Anxiety symptoms easing; progress toward goal 1 is good.',
      clientResponse: 'Engaged with the behavioural experiment and planned the next one.',
      interventions: { selected: ['behavioral_activation'], other: '' },
      plan: 'Continue weekly sessions; schedule two more valued activities.',
      homework: 'Two activity logs before the next session.',
    }),
    diagnosisCodes: ['F41.1'],
  });
  signedNoteId = (await signNote(clinicianApi, filled, CLINICIAN.password)).id;
}

function section(p: Page, n: number): Locator {
  return p.getByRole('group', { name: `Section ${n}`, exact: true });
}

function field(p: Page, s: number, n: number): Locator {
  return section(p, s).getByRole('group', { name: new RegExp(`^Field ${n}:`) });
}

async function addField(p: Page, s: number, kind: string): Promise<void> {
  await section(p, s).getByLabel('Kind of field to add').selectOption({ label: kind });
  await section(p, s)
    .getByRole('button', { name: `Add field to section ${s}` })
    .click();
}

describe('chart, notes, psychotherapy notes, search and templates in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startE2eServer(inject('serverUrl'), inject('databaseUrl'));
    await seedPractice();
    browser = await launchChromium();
    supervisorContext = await newBrowserContext(browser, { timezoneId: ZONE });
    clinicianContext = await newBrowserContext(browser, { timezoneId: ZONE });
    supervisor = await supervisorContext.newPage();
    clinician = await clinicianContext.newPage();
    watchPage(supervisor, pageErrors, EXPECTED_STATUSES);
    watchPage(clinician, pageErrors, EXPECTED_STATUSES);
  });

  afterAll(async () => {
    await supervisorContext?.close();
    await clinicianContext?.close();
    await browser?.close();
    await server?.close();
  });

  it('a supervisor builds a practice template with a live preview, and the server’s errors land on the inputs', async () => {
    const p = supervisor;
    await openSignedIn(p, server.baseUrl, SUPERVISOR.email, SUPERVISOR.password);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await waitForHeading(p, 'Note templates');
    await p.getByRole('link', { name: 'Progress note (SOAP)', exact: true }).waitFor();
    await p.getByRole('link', { name: 'New template' }).click();
    await waitForHeading(p, 'New template');
    await p.getByText('saving creates version 1').waitFor();

    await p.getByLabel('Template name').fill('Anxiety follow-up');
    await p.getByLabel('Format').selectOption({ label: 'DAP' });
    await p.getByRole('button', { name: 'Add section' }).click();
    // A new section's title takes focus, ready to type.
    await expect(p.evaluate(() => document.activeElement?.id)).resolves.toBe('f-sections-0-title');
    await section(p, 1).getByLabel('Section title').fill('Check-in');
    await expect(section(p, 1).getByLabel('Section id').inputValue()).resolves.toBe('checkIn');

    await addField(p, 1, 'Long text');
    await field(p, 1, 1).getByLabel('Label', { exact: true }).fill('How the week went');
    await expect(field(p, 1, 1).getByLabel('Field id').inputValue()).resolves.toBe('howTheWeekWent');

    await addField(p, 1, 'Single choice');
    await field(p, 1, 2).getByLabel('Label', { exact: true }).fill('Mood compared with last session');
    await field(p, 1, 2).getByLabel('Option 1', { exact: true }).fill('Better');
    await field(p, 1, 2).getByLabel('Option 2', { exact: true }).fill('Worse');
    await expect(field(p, 1, 2).getByLabel('Stored as').nth(1).inputValue()).resolves.toBe('worse');

    await addField(p, 1, 'Scale');
    const scale = field(p, 1, 3);
    await scale.getByLabel('Label', { exact: true }).fill('Anxiety today');
    await scale.getByLabel('Lowest value', { exact: true }).fill('0');
    await scale.getByLabel('Highest value', { exact: true }).fill('10');
    await scale.getByLabel('Label for the lowest value').fill('Calm');
    await scale.getByLabel('Label for the highest value').fill('Panicked');

    // Reorder: the scale moves above the choice, and focus stays on the button that moved it.
    await scale.getByRole('button', { name: 'Move field 3 up' }).click();
    await expect(field(p, 1, 2).getByLabel('Label', { exact: true }).inputValue()).resolves.toBe(
      'Anxiety today',
    );
    await expect(p.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(
      'Move field 2 up',
    );

    const preview = p.getByRole('region', { name: 'Live preview' });
    await preview.getByRole('heading', { name: 'Anxiety follow-up' }).waitFor();
    await preview.getByText('Progress note (DAP)').waitFor();
    await preview.getByLabel('How the week went').waitFor();
    await preview
      .getByRole('group', { name: 'Mood compared with last session' })
      .getByLabel('Better')
      .waitFor();
    const points = preview.getByRole('group', { name: 'Anxiety today' }).getByRole('radio');
    await expect(points.count()).resolves.toBe(11);
    await preview.getByText('Panicked').waitFor();

    // An id the server refuses: the 422 comes back with its path and is shown on that input.
    await field(p, 1, 1).getByLabel('Field id').fill('9 bad');
    await p.getByRole('button', { name: 'Save template' }).click();
    const summary = p.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary
      .getByRole('link', { name: /field 1 \(How the week went\) › id: Start with a lower-case letter/ })
      .click();
    await expect(p.evaluate(() => document.activeElement?.id)).resolves.toBe('f-sections-0-fields-0-id');
    await expect(field(p, 1, 1).getByLabel('Field id').getAttribute('aria-invalid')).resolves.toBe('true');
    await field(p, 1, 1).getByLabel('Field id').fill('weekSummary');
    await screenshot(p, SHOTS, 'chart-01-template-builder-errors');

    await p.getByRole('button', { name: 'Save template' }).click();
    await p.getByText('Template saved as version 1.').waitFor();
    await waitForHeading(p, 'Edit template: Anxiety follow-up');
    await p.getByText(/Version 1\s*— notes keep the version they were written with/).waitFor();
    const path = new URL(p.url()).pathname;
    expect(path).toMatch(new RegExp(`^/templates/${UUID}$`));
    templateId = path.split('/').pop() ?? '';
    await screenshot(p, SHOTS, 'chart-02-template-builder-v1');
  });

  it('edits a label and saves version 2; a stale tab is refused with a clear message', async () => {
    const p = supervisor;
    await field(p, 1, 3).getByLabel('Label', { exact: true }).fill('Mood compared with the last session');
    await p.getByRole('button', { name: 'Save as version 2' }).click();
    await p.getByText('Saved as version 2.').waitFor();
    await p.getByText(/Version 2\s*— notes keep the version they were written with/).waitFor();
    const v1 = (await supervisorApi.get(`/api/v1/note-templates/${templateId}/versions/1`)).json<{
      sections: { fields: { id: string; label: string }[] }[];
    }>();
    expect(v1.sections[0]?.fields.map((f) => f.label)).toEqual([
      'How the week went',
      'Anxiety today',
      'Mood compared with last session',
    ]);
    const v2 = (await supervisorApi.get(`/api/v1/note-templates/${templateId}/versions/2`)).json<typeof v1>();
    expect(v2.sections[0]?.fields.map((f) => f.id)).toEqual([
      'weekSummary',
      'anxietyToday',
      'moodComparedWithLastSession',
    ]);
    expect(v2.sections[0]?.fields[2]?.label).toBe('Mood compared with the last session');

    const other = await supervisorContext.newPage();
    watchPage(other, pageErrors, EXPECTED_STATUSES);
    await other.goto(`${server.baseUrl}/templates/${templateId}`);
    await waitForHeading(other, 'Edit template: Anxiety follow-up');
    await field(p, 1, 1).getByLabel('Help text').fill('What went well, what was hard.');
    await p.getByRole('button', { name: 'Save as version 3' }).click();
    await p.getByText('Saved as version 3.').waitFor();

    await field(other, 1, 2).getByLabel('Label', { exact: true }).fill('Anxiety right now');
    await other.getByRole('button', { name: 'Save as version 3' }).click();
    const stale = other.getByRole('alert').filter({ hasText: 'Someone else saved a newer version' });
    await stale.getByText('Your changes have not been saved').waitFor();
    await stale.getByRole('button', { name: 'Load the latest version' }).click();
    await other.getByText(/Version 3\s*— notes keep/).waitFor();
    await expect(field(other, 1, 2).getByLabel('Label', { exact: true }).inputValue()).resolves.toBe(
      'Anxiety today',
    );
    await other.close();
  });

  it('shows the client chart timeline with filters', async () => {
    const p = clinician;
    await openSignedIn(p, server.baseUrl, CLINICIAN.email, CLINICIAN.password);
    await p.goto(`${server.baseUrl}/clients/${clientId}`);
    await waitForHeading(p, 'Jo Rivera');
    const chart = p.getByRole('region', { name: 'Chart' });
    const entries = chart.getByRole('list', { name: 'Chart entries, newest first' });
    await entries.getByRole('link', { name: 'Individual session — Attended — 53 min' }).waitFor();
    await entries.getByRole('link', { name: 'Progress note (SOAP) — Signed, late entry' }).waitFor();
    await expect(
      entries.getByRole('link', { name: 'Progress note (SOAP) — Signed, late entry' }).getAttribute('href'),
    ).resolves.toBe(`/notes/${signedNoteId}`);
    await chart.getByText(/Casey Clinician · note signed/).waitFor();
    // The timeline never carries the narrative.
    await expect(chart.getByText(SEARCH_WORD).count()).resolves.toBe(0);
    await screenshot(p, SHOTS, 'chart-03-client-chart');

    await chart.getByLabel('Sessions').uncheck();
    await expect.poll(() => entries.getByRole('listitem').count()).toBe(1);
    await entries.getByRole('link', { name: /Progress note/ }).waitFor();
    await chart.getByLabel('Sessions').check();
    await chart.getByLabel('From').fill('2026-04-01');
    await chart.getByText('No entries match.').waitFor();
    await chart.getByLabel('From').fill('');
    await expect.poll(() => entries.getByRole('listitem').count()).toBe(2);
  });

  it('starts a standalone note from the practice template through the New note dialog', async () => {
    const p = clinician;
    await p.getByRole('region', { name: 'Chart' }).getByRole('button', { name: 'New note' }).click();
    const dialog = p.getByRole('dialog', { name: 'New note' });
    await dialog.getByLabel('Kind of note').selectOption('progress');
    await dialog.getByLabel('Template').selectOption({ label: 'Anxiety follow-up (DAP) · practice, v3' });
    // The template fixes the format, so the format choice goes away.
    await expect(dialog.getByLabel('Format').count()).resolves.toBe(0);
    await dialog.getByText('Written in the DAP format, as the template sets.').waitFor();
    await dialog.getByLabel('Date of service').fill('2026-11-02');
    await screenshot(p, SHOTS, 'chart-04-new-note-dialog');
    await dialog.getByRole('button', { name: 'Start note' }).click();
    await p.waitForURL(new RegExp(`/notes/${UUID}$`));
    const noteId = new URL(p.url()).pathname.split('/').pop() ?? '';
    const note = (await clinicianApi.get(`/api/v1/notes/${noteId}`)).json<{
      templateKey: string;
      templateVersion: number;
      format: string;
      dateOfService: string;
      status: string;
    }>();
    expect(note).toMatchObject({
      templateKey: `practice.${templateId}`,
      templateVersion: 3,
      format: 'dap',
      dateOfService: '2026-11-02',
      status: 'draft',
    });
  });

  it('writes a private psychotherapy note, refuses a stale save, and shows it to nobody else', async () => {
    const p = clinician;
    await p.goto(`${server.baseUrl}/clients/${clientId}`);
    await waitForHeading(p, 'Jo Rivera');
    await p.getByRole('link', { name: 'My psychotherapy notes' }).click();
    await waitForHeading(p, 'Psychotherapy notes: Jo Rivera');
    const banner = p.getByRole('note', { name: 'Private psychotherapy notes' });
    await banner.getByText('Psychotherapy notes — private to you.').waitFor();
    await banner.getByText('Kept apart from the record; never shared, exported or billed.').waitFor();
    await p.getByText('You have no psychotherapy notes about this client.').waitFor();
    await p.getByLabel('Session date').fill('2026-03-02');
    await p.getByRole('button', { name: 'Start a psychotherapy note' }).click();
    await p.waitForURL(new RegExp(`/psychotherapy-notes/${UUID}$`));
    await waitForHeading(p, /^Psychotherapy note$/);
    psychotherapyNoteId = new URL(p.url()).pathname.split('/').pop() ?? '';
    expect(psychotherapyNoteId).toMatch(new RegExp(`^${UUID}$`));

    await p
      .getByLabel('Impressions of the session')
      .fill('Felt stuck when the talk turned to the father; my own frustration rose.');
    await p.getByLabel('Hypotheses and themes to explore').fill('Avoidance of anger as a family rule?');
    await p.getByRole('button', { name: 'Save', exact: true }).click();
    await p.getByText(/^Saved /).waitFor();
    await p.getByText('All changes saved').waitFor();
    await screenshot(p, SHOTS, 'chart-05-psychotherapy-note');

    // A second tab still holds the first version: its save is refused, not merged.
    const other = await clinicianContext.newPage();
    watchPage(other, pageErrors, EXPECTED_STATUSES);
    await other.goto(`${server.baseUrl}/psychotherapy-notes/${psychotherapyNoteId}`);
    await waitForHeading(other, /^Psychotherapy note$/);
    await p.getByLabel('Hypotheses and themes to explore').fill('Avoidance of anger as a family rule.');
    await p.getByRole('button', { name: 'Save', exact: true }).click();
    await p.getByText('All changes saved').waitFor();
    await other.getByLabel('Impressions of the session').fill('typed in the other tab');
    await other.getByRole('button', { name: 'Save', exact: true }).click();
    const stale = other
      .getByRole('alert')
      .filter({ hasText: 'This note was saved from another window or tab' });
    await stale.getByText('Your changes have not been saved').waitFor();
    await stale.getByRole('button', { name: 'Load the saved version' }).click();
    await expect(other.getByLabel('Hypotheses and themes to explore').inputValue()).resolves.toBe(
      'Avoidance of anger as a family rule.',
    );
    await other.close();

    await p.getByRole('link', { name: 'All your psychotherapy notes for this client' }).click();
    await waitForHeading(p, 'Psychotherapy notes: Jo Rivera');
    await p.getByRole('link', { name: 'Session of Mar 2, 2026' }).waitFor();
    await p.getByText(/^Felt stuck when the talk turned/).waitFor();
    await screenshot(p, SHOTS, 'chart-06-psychotherapy-notes');

    // Nobody else, not even the clinician's supervisor, can open it; and the chart never lists it.
    const bySupervisor = await supervisorApi.get(`/api/v1/psychotherapy-notes/${psychotherapyNoteId}`);
    expect(bySupervisor.statusCode).toBe(404);
    const chart = (await clinicianApi.get(`/api/v1/clients/${clientId}/chart`)).json<{
      items: { id: string }[];
    }>();
    expect(chart.items.map((i) => i.id)).not.toContain(psychotherapyNoteId);
  });

  it('finds the signed note by a word in it, and nothing for a word that is not there', async () => {
    const p = clinician;
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search notes' }).click();
    await waitForHeading(p, 'Search notes');
    await p.getByText('Search covers the notes you may read').waitFor();
    await p.getByLabel('Words').fill(SEARCH_WORD);
    await p.getByRole('button', { name: 'Search', exact: true }).click();
    const table = p.getByRole('table', { name: /Matching notes/ });
    const row = table.getByRole('row', { name: /Jo Rivera/ });
    await row.waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);
    await row.getByText('Progress note (SOAP)').waitFor();
    await row.getByText('Casey Clinician').waitFor();
    await row.getByText('Signed').waitFor();
    await expect(row.getByRole('link', { name: 'Mar 2, 2026' }).getAttribute('href')).resolves.toBe(
      `/notes/${signedNoteId}`,
    );
    // The words never go into the address bar.
    expect(p.url()).not.toContain(SEARCH_WORD);
    await screenshot(p, SHOTS, 'chart-07-note-search');

    await p.getByLabel('Words').fill('snorkelling');
    await p.getByRole('button', { name: 'Search', exact: true }).click();
    await p.getByText('No notes match.').waitFor();
  });

  it('archives the template: a new version, and new notes can no longer start from it', async () => {
    const p = supervisor;
    await p.getByRole('button', { name: 'Archive template' }).click();
    await p.getByText('Template archived (version 4). New notes can no longer start from it.').waitFor();
    await p.getByRole('button', { name: 'Restore template' }).waitFor();
    await p.getByRole('link', { name: 'All templates' }).click();
    await waitForHeading(p, 'Note templates');
    await p
      .getByRole('row', { name: /Anxiety follow-up/ })
      .getByText('Archived')
      .waitFor();

    const c = clinician;
    await c.goto(`${server.baseUrl}/clients/${clientId}`);
    await c.getByRole('region', { name: 'Chart' }).getByRole('button', { name: 'New note' }).click();
    const dialog = c.getByRole('dialog', { name: 'New note' });
    await dialog.getByText('The practice has no templates of this kind; the built-in one is used.').waitFor();
    await expect(dialog.getByRole('option', { name: /Anxiety follow-up/ }).count()).resolves.toBe(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('raised no script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
