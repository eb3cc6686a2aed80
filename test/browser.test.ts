// The real sign-in and consent pages, driven in headless Chromium (Debian's /usr/bin/chromium via
// playwright-core; no downloaded browsers). Nothing listens on the demo client's redirect URI
// (http://localhost:3000/callback): the browser's requests to it are answered in-process, so the
// flow ends in the browser at the callback URL and its query can be read.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, USERS, authorizeUrl, exchange, pkce, postForm, startTestMock, type TestMock } from './helpers/mock.js';

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const CLIENT = 'Glossia Mock Demo';
const SCOPE = 'user:read project:read';

let m: TestMock;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  // Assigned one by one, so afterAll closes whichever started even if the other failed.
  await Promise.all([
    startTestMock().then((started) => (m = started)),
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    }).then((launched) => (browser = launched)),
    mkdir(RESULTS, { recursive: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), m?.close()]);
});

/** Console errors, uncaught exceptions and CSP violations seen by the current page. */
let problems: string[];

beforeEach(async () => {
  problems = [];
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  // Init scripts are injected by the browser, not subject to the page's CSP.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  page = await context.newPage();
  await answerCallback(page);
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()} (${page.url()})`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
});

afterEach(async () => {
  await context?.close();
});

/**
 * Answers every request to http://localhost:3000 with a stub callback page.
 *
 * Not `context.route()`: Playwright never routes a request that is the target of a redirect ("the
 * handler will only be called for the first url if the response is a redirect"), and the callback
 * is always reached by the 302 that follows the consent POST. With a route, that hop would really
 * go to port 3000 (ERR_CONNECTION_REFUSED, or another engineer's dev server), and only Chromium's
 * error-page auto-reload a second later would reach the route. CDP's Fetch domain pauses every hop,
 * redirects included; Chromium still applies the consent page's CSP form-action to the redirect first.
 */
async function answerCallback(p: Page): Promise<void> {
  const cdp = await p.context().newCDPSession(p);
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
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: 'http://localhost:3000/*', requestStage: 'Request' }] });
}

function startAuthorization(state: string) {
  const { verifier, challenge } = pkce();
  return { verifier, url: authorizeUrl(m.url, { challenge, scope: SCOPE, state }) };
}

/** From the login page: pick a user by name and continue. */
async function signInAs(name: string): Promise<void> {
  const group = page.getByRole('group', { name: 'Sign in as' });
  await group.getByRole('radio', { name }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => u.pathname === '/oauth/authorize');
}

async function expectConsentFor(userName: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Authorize ${CLIENT}`);
  await expect(page.getByText(`Signed in as ${userName}`).count()).resolves.toBe(1);
}

async function approve(): Promise<URL> {
  await page.getByRole('button', { name: `Authorize ${CLIENT}` }).click();
  await page.waitForURL((u) => u.origin === 'http://localhost:3000');
  return new URL(page.url());
}

async function subjectOf(code: string, verifier: string): Promise<string> {
  const res = await exchange(m.url, code, verifier);
  const tokens = await res.json();
  expect(res.status, JSON.stringify(tokens)).toBe(200);
  const intro = await postForm(`${m.url}/oauth/introspect`, {
    token: tokens.access_token,
    client_id: DEMO.clientId,
    client_secret: DEMO.secret,
  });
  const info = await intro.json();
  expect(intro.status, JSON.stringify(info)).toBe(200);
  expect(info.active).toBe(true);
  expect(info.scope).toBe(SCOPE);
  return info.sub;
}

/** Every visible form control (non-hidden input, button, select, textarea) has a non-empty accessible name. */
async function expectNamedControls(): Promise<number> {
  const controls = page.locator('input:not([type=hidden]), button, select, textarea');
  const n = await controls.count();
  for (let i = 0; i < n; i++) {
    const control = controls.nth(i);
    // The ARIA snapshot of a control is `- role "accessible name" …`; an unnamed one has no quotes.
    const snapshot = await control.ariaSnapshot();
    const html = await control.evaluate((el) => el.outerHTML);
    expect(snapshot, html).toMatch(/^- (radio|checkbox|textbox|button|combobox|listbox) "[^"]*\S[^"]*"/);
  }
  return n;
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: `${RESULTS}${name}.png`, fullPage: true });
}

describe('browser flow (Chromium)', () => {
  it('signs in on the login page, approves on the consent page, and the code works', async () => {
    const state = 'state-approve-1';
    const { url, verifier } = startAuthorization(state);
    await page.goto(url);

    expect(new URL(page.url()).pathname).toBe('/auth/login');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Log in to Glossia');
    await expect(page.getByText(`to continue to ${CLIENT}`).count()).resolves.toBe(1);
    const group = page.getByRole('group', { name: 'Sign in as' });
    await expect(group.getByRole('radio').count()).resolves.toBe(3);
    await expect(group.getByRole('radio', { name: /Alex Chen/ }).count()).resolves.toBe(1);
    await signInAs('Alex Chen');

    await expectConsentFor('Alex Chen');
    await expect(page.getByRole('heading', { name: 'Requested permissions:' }).count()).resolves.toBe(1);
    const items = page.getByRole('list', { name: 'Requested permissions:' }).getByRole('listitem');
    await expect(items.allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^user:read\s+Read user profile information$/),
      expect.stringMatching(/^project:read\s+Read projects$/),
    ]);

    const callback = await approve();
    expect(callback.pathname).toBe('/callback');
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();
    await expect(page.getByRole('heading', { name: 'callback' }).count()).resolves.toBe(1);

    await expect(subjectOf(code!, verifier)).resolves.toBe(USERS.alex);
    expect(m.logs).toEqual([]);
  });

  it('denying on the consent page sends access_denied and the state back, no code', async () => {
    const state = 'state-deny-2';
    await page.goto(startAuthorization(state).url);
    await signInAs('Alex Chen');
    await expectConsentFor('Alex Chen');

    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((u) => u.origin === 'http://localhost:3000');
    const callback = new URL(page.url());
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('a second authorization reuses the session; "Not you?" switches the user', async () => {
    await page.goto(startAuthorization('first').url);
    await signInAs('Alex Chen');
    const first = await approve();
    expect(first.searchParams.get('code')).toBeTruthy();

    // Same browser context: the session cookie skips the login page.
    const second = startAuthorization('second');
    await page.goto(second.url);
    expect(new URL(page.url()).pathname).toBe('/oauth/authorize');
    await expectConsentFor('Alex Chen');

    await page.getByRole('link', { name: 'Not you?' }).click();
    await page.waitForURL((u) => u.pathname === '/auth/login');
    const group = page.getByRole('group', { name: 'Sign in as' });
    await expect(group.getByRole('radio', { name: /Alex Chen/ }).isChecked()).resolves.toBe(true);
    await signInAs('Maria Rossi');
    await expectConsentFor('Maria Rossi');
    await expect(page.getByText('Signed in as Alex Chen').count()).resolves.toBe(0);

    const callback = await approve();
    expect(callback.searchParams.get('state')).toBe('second');
    await expect(subjectOf(callback.searchParams.get('code')!, second.verifier)).resolves.toBe(USERS.maria);
  });

  it('an invalid request (unknown client) shows the error page and stays on the mock', async () => {
    const { challenge } = pkce();
    const url = authorizeUrl(m.url, { challenge, clientId: '00000000-0000-4000-8000-000000000000', state: 'x' });
    const res = await page.goto(url);
    expect(res?.status()).toBe(401);
    expect(new URL(page.url()).origin).toBe(new URL(m.url).origin);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Authorization error');
    const alert = page.getByRole('alert');
    await expect(alert.count()).resolves.toBe(1);
    await expect(alert.innerText()).resolves.toContain('invalid_client');
    // Chromium logs every 4xx document load; nothing else may show up.
    expect(problems).toEqual([expect.stringMatching(/^error: Failed to load resource: .*status of 401/)]);
  });

  it('login, consent and home pages: no console errors or CSP violations, every control named', async () => {
    await page.goto(startAuthorization('a11y').url);
    // The stylesheet loaded under the CSP (the primary button has the accent colour).
    await expect(
      page.getByRole('button', { name: 'Continue' }).evaluate((el) => getComputedStyle(el).backgroundColor),
    ).resolves.toBe('rgb(79, 70, 229)');
    expect(await expectNamedControls()).toBe(4); // three radios + Continue
    await screenshot('login');

    await signInAs('Alex Chen');
    await expectConsentFor('Alex Chen');
    expect(await expectNamedControls()).toBe(2); // Authorize + Deny
    await screenshot('consent');

    await page.goto(`${m.url}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('glossia-mock');
    await expectNamedControls();
    await screenshot('home');

    expect(problems).toEqual([]);
  });
});
