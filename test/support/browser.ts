import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// The pieces every browser walkthrough uses: Chromium, a browser profile, a page whose script
// errors and CSP violations are collected, screenshots, and the sign-in form.

/** Debian's Chromium (or CHROMIUM_PATH), headless, with the GPU and all background traffic off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface ContextOptions {
  /** The browser's own zone; left out, the machine's. */
  timezoneId?: string;
  viewport?: { width: number; height: number };
}

/** A fresh browser context (profile) in US English, 1280×800 unless told otherwise, waiting up to 15 s a step. */
export async function newBrowserContext(
  browser: Browser,
  options: ContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: 'en-US',
    ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/**
 * Collects the page's script errors and console errors (CSP violations among them) into `errors`.
 * A failed request answered with one of `expectedStatuses` is left out: the walkthrough provokes
 * those on purpose, and the browser logs each one as a console error.
 */
export function watchPage(page: Page, errors: string[], expectedStatuses: readonly number[]): void {
  const expected = new RegExp(`status of (${expectedStatuses.join('|')})\\b`);
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && (expectedStatuses.length === 0 || !expected.test(msg.text())))
      errors.push(`console: ${msg.text()}`);
  });
}

/** A full-page screenshot, `<dir>/<name>.png`. */
export async function screenshot(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** Waits for the page's title heading (the one h1). */
export async function waitForHeading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** Fills in the sign-in form the page shows and submits it. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens the app, signs in and waits for the signed-in layout (its main navigation). */
export async function openSignedIn(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(baseUrl);
  await signIn(page, email, password);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

export interface BrowserPage {
  browser: Browser;
  /** The current profile and its page (replaced by newProfile). */
  context: BrowserContext;
  page: Page;
  /** Closes the profile and opens a fresh one (no cookies) with a watched page; returns that page. */
  newProfile(): Promise<Page>;
  /** Closes the profile, then the browser. */
  close(): Promise<void>;
}

/**
 * Chromium with one watched page (1280×900 unless told otherwise): the usual start of a
 * walkthrough's beforeAll. Script errors go to `errors` as in watchPage.
 */
export async function openBrowserPage(
  errors: string[],
  expectedStatuses: readonly number[],
  options: ContextOptions = { viewport: { width: 1280, height: 900 } },
): Promise<BrowserPage> {
  const browser = await launchChromium();
  const open = async () => {
    const context = await newBrowserContext(browser, options);
    const page = await context.newPage();
    watchPage(page, errors, expectedStatuses);
    return { context, page };
  };
  const out: BrowserPage = {
    browser,
    ...(await open()),
    newProfile: async () => {
      await out.context.close();
      Object.assign(out, await open());
      return out.page;
    },
    close: async () => {
      await out.context.close();
      await browser.close();
    },
  };
  return out;
}

/** For afterEach: after a failed test, a screenshot of the page and the page errors on stderr. */
export async function screenshotIfFailed(
  task: { name: string; result?: { state?: string } },
  page: Page | undefined,
  dir: string,
  errors: readonly string[],
): Promise<void> {
  if (task.result?.state !== 'fail' || !page) return;
  await screenshot(page, dir, `failed-${task.name.slice(0, 40)}`);
  if (errors.length) console.error('page errors:', errors);
}
