// The real sign-in and consent pages, driven in headless Chromium (Debian's /usr/bin/chromium via
// playwright-core; no downloaded browsers). Nothing listens on the demo client's redirect URI
// (http://localhost:3000/callback): the browser's requests to it are answered in-process, so the
// flow ends in the browser at the callback URL and its query can be read.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { callbackUrl, chromiumSuite, expectNamedControls, pickUser, screenshot } from './helpers/chromium.js';
import { DEMO, USERS, authorizeUrl, exchange, pkce, postForm, type TestMock } from './helpers/mock.js';

const CLIENT = 'Glossia Mock Demo';
const SCOPE = 'user:read project:read';
/** The roles of the sign-in and consent pages' controls. */
const ROLES = ['radio', 'checkbox', 'textbox', 'button', 'combobox', 'listbox'];

let m: TestMock;
let page: Page;
/** Console errors, uncaught exceptions and CSP violations seen by the current page. */
let problems: string[];
chromiumSuite({ viewport: { width: 1200, height: 900 } }, (s) => ({ m, page, problems } = s));

function startAuthorization(state: string) {
  const { verifier, challenge } = pkce();
  return { verifier, url: authorizeUrl(m.url, { challenge, scope: SCOPE, state }) };
}

/** From the login page: pick a user by name and continue. */
async function signInAs(name: string): Promise<void> {
  await pickUser(page, name);
  await page.waitForURL((u) => u.pathname === '/oauth/authorize');
}

async function expectConsentFor(userName: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Authorize ${CLIENT}`);
  await expect(page.getByText(`Signed in as ${userName}`).count()).resolves.toBe(1);
}

async function approve(): Promise<URL> {
  await page.getByRole('button', { name: `Authorize ${CLIENT}` }).click();
  return callbackUrl(page);
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
    const callback = await callbackUrl(page);
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
    expect(await expectNamedControls(page, ROLES)).toBe(4); // three radios + Continue
    await screenshot(page, 'login');

    await signInAs('Alex Chen');
    await expectConsentFor('Alex Chen');
    expect(await expectNamedControls(page, ROLES)).toBe(2); // Authorize + Deny
    await screenshot(page, 'consent');

    await page.goto(`${m.url}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('glossia-mock');
    await expectNamedControls(page, ROLES);
    await screenshot(page, 'home');

    expect(problems).toEqual([]);
  });
});
