// Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core
// (no downloaded browsers), a fresh context and page per test that report console errors, uncaught
// exceptions and CSP violations, and the demo client's callback (http://localhost:3000) answered
// in-process, since nothing listens there.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startTestMock, type TestMock } from './mock.js';

/** Where screenshots go, for a human look (not asserted). */
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** The origin of the demo clients' redirect URI, http://localhost:3000/callback. */
export const CALLBACK_ORIGIN = 'http://localhost:3000';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
}

/** Makes the screenshot folder, test-results/. */
const makeResultsDir = () => mkdir(RESULTS, { recursive: true });

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${RESULTS}${name}.png`, fullPage: true });
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Default timeout of the context's actions and waits, in ms (Playwright's own when absent). */
  timeout?: number;
}

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and warnings (CSP violations among them) and uncaught exceptions seen by the page. */
  problems: string[];
}

/**
 * A fresh context and page that collect their problems, with every request to `CALLBACK_ORIGIN`
 * answered in-process (see `answerCallback`).
 */
export async function openPage(browser: Browser, options: PageOptions = {}): Promise<OpenPage> {
  const problems: string[] = [];
  const context = await browser.newContext(options.viewport ? { viewport: options.viewport } : {});
  if (options.timeout !== undefined) context.setDefaultTimeout(options.timeout);
  // Init scripts are injected by the browser, not subject to the page's CSP.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  await answerCallback(page);
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()} (${page.url()})`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return { context, page, problems };
}

export interface ChromiumSuite extends OpenPage {
  m: TestMock;
  browser: Browser;
}

/**
 * For the test file this is called in: a mock, Chromium and the screenshot folder before all its
 * tests (closed after them), and a fresh page (`openPage` with `options`) for each test, closed after
 * it. `bind` gets the state whenever it changes: once the mock and browser are up, then before each
 * test with its page.
 */
export function chromiumSuite(options: PageOptions, bind: (s: ChromiumSuite) => void): void {
  const s = {} as ChromiumSuite;
  beforeAll(async () => {
    // Assigned one by one, so afterAll closes whichever started even if the other failed.
    await Promise.all([
      startTestMock().then((started) => (s.m = started)),
      launchChromium().then((launched) => (s.browser = launched)),
      makeResultsDir(),
    ]);
    bind(s);
  });
  afterAll(async () => {
    await Promise.all([s.browser?.close(), s.m?.close()]);
  });
  beforeEach(async () => {
    Object.assign(s, await openPage(s.browser, options));
    bind(s);
  });
  afterEach(async () => {
    await s.context?.close();
  });
}

/**
 * Answers every request to `origin` with a stub callback page (`<h1>callback</h1>`).
 *
 * Not `context.route()`: Playwright never routes a request that is the target of a redirect ("the
 * handler will only be called for the first url if the response is a redirect"), and the callback
 * is always reached by the 302 that follows the consent POST. With a route, that hop would really
 * go to port 3000 (ERR_CONNECTION_REFUSED, or another engineer's dev server), and only Chromium's
 * error-page auto-reload a second later would reach the route. CDP's Fetch domain pauses every hop,
 * redirects included; Chromium still applies the consent page's CSP form-action to the redirect first.
 */
export async function answerCallback(page: Page, origin = CALLBACK_ORIGIN): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Fetch.requestPaused', (e) => {
    void cdp
      .send('Fetch.fulfillRequest', {
        requestId: e.requestId,
        responseCode: 200,
        responseHeaders: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
        body: Buffer.from('<h1>callback</h1>').toString('base64'),
      })
      .catch(() => undefined); // the context may already be closing
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `${origin}/*`, requestStage: 'Request' }] });
}

/** Waits until the page is on `origin` (the callback, by default) and returns its URL. */
export async function callbackUrl(page: Page, origin = CALLBACK_ORIGIN): Promise<URL> {
  await page.waitForURL((u) => u.origin === origin);
  return new URL(page.url());
}

/**
 * Every visible form control (non-hidden input, button, select, textarea) has a non-empty
 * accessible name, and one of these roles. Returns how many there are.
 */
export async function expectNamedControls(page: Page, roles: readonly string[]): Promise<number> {
  const named = new RegExp(`^- (${roles.join('|')}) "[^"]*\\S[^"]*"`);
  const controls = page.locator('input:not([type=hidden]), button, select, textarea');
  const n = await controls.count();
  for (let i = 0; i < n; i++) {
    const control = controls.nth(i);
    // The ARIA snapshot of a control is `- role "accessible name" …`; an unnamed one has no quotes.
    const snapshot = await control.ariaSnapshot();
    const html = await control.evaluate((el) => el.outerHTML);
    expect(snapshot, html).toMatch(named);
  }
  return n;
}

/** From the sign-in page: pick the user whose radio is named `name` and continue. */
export async function pickUser(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('group', { name: 'Sign in as' }).getByRole('radio', { name }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
}
