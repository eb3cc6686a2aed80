// The guide's "Option A: Through the dashboard", followed in headless Chromium (Debian's
// /usr/bin/chromium via playwright-core; no downloaded browsers): sign in, open the API section's
// "OAuth apps", "New application", fill the name and callback URL, "Create application", note the
// Client ID and Client secret — then use them to log a user in through the consent page.
// Screenshots go to test-results/ for a human look (not asserted).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { callbackUrl, chromiumSuite, expectNamedControls, pickUser, screenshot } from './helpers/chromium.js';
import { authorizeUrl, pkce, postForm, type TestMock } from './helpers/mock.js';

const CALLBACK = 'http://localhost:3000/callback';
const APP = 'Acme Reader';
/** The roles of the dashboard forms' controls. */
const ROLES = ['textbox', 'button', 'combobox'];

let m: TestMock;
let page: Page;
/** Console errors, uncaught exceptions and CSP violations seen by the current page. */
let problems: string[];
chromiumSuite({ viewport: { width: 1280, height: 900 } }, (s) => ({ m, page, problems } = s));

const h1 = () => page.getByRole('heading', { level: 1 }).textContent();

/** "Sign in to Glossia and go to your account dashboard." */
async function signInToDashboard(name: string, handle: string): Promise<void> {
  await page.goto(`${m.url}/dashboard`);
  expect(new URL(page.url()).pathname).toBe('/auth/login');
  await pickUser(page, name);
  await page.waitForURL((u) => u.pathname === `/${handle}`);
}

describe("the guide's Option A in Chromium", () => {
  it('registers an app in the dashboard and logs a user in with its Client ID and Client secret', async () => {
    await signInToDashboard('Dev User', 'dev');
    await expect(h1()).resolves.toBe('Dev User');
    await screenshot(page, 'dashboard-overview');

    // "Open the API section from the sidebar and click OAuth apps."
    const sidebar = page.getByRole('navigation', { name: 'Dashboard' });
    const api = sidebar.getByRole('list', { name: 'API' });
    await expect(api.count()).resolves.toBe(1);
    await api.getByRole('link', { name: 'OAuth apps' }).click();
    await page.waitForURL((u) => u.pathname === '/dev/-/settings/apps');
    await expect(h1()).resolves.toBe('OAuth apps');
    await expect(page.getByText('No OAuth applications yet').count()).resolves.toBe(1);

    // "Click New application."
    await page.getByRole('link', { name: 'New application' }).click();
    await page.waitForURL((u) => u.pathname === '/dev/-/settings/apps/new');
    await expect(h1()).resolves.toBe('New application');

    // "Fill in the application name and callback URL (also called redirect URI)."
    await page.getByLabel('Application name').fill(APP);
    await page.getByLabel('Description').fill('Reads Acme projects for the support team.');
    await page.getByLabel('Callback URL').fill(CALLBACK);
    await expectNamedControls(page, ROLES);
    await screenshot(page, 'dashboard-new-app');

    // "Click Create application."
    await page.getByRole('button', { name: 'Create application' }).click();
    await page.waitForURL((u) => u.pathname === '/dev/-/settings/apps');

    // "Note the Client ID and Client secret. The secret is shown once."
    const alert = page.getByRole('status');
    await expect(alert.getByRole('heading', { name: 'Application registered' }).count()).resolves.toBe(1);
    const clientId = await page.getByLabel('Client ID').inputValue();
    const secret = await page.getByLabel('Client secret').inputValue();
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(secret).toMatch(/^[A-Za-z0-9]{86}$/);
    expect(page.url()).not.toContain(secret);
    await expect(page.getByRole('row', { name: new RegExp(APP) }).getByText(clientId).count()).resolves.toBe(1);
    await expectNamedControls(page, ROLES);
    await screenshot(page, 'dashboard-apps-registered');

    await page.reload();
    await expect(page.getByRole('status').count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain(secret);

    // The app's page, for a look.
    await page.getByRole('link', { name: APP }).click();
    await page.waitForURL((u) => /^\/dev\/-\/settings\/apps\/[0-9a-f-]{36}$/.test(u.pathname));
    await expect(page.getByLabel('Client ID').inputValue()).resolves.toBe(clientId);
    await expectNamedControls(page, ROLES);
    await screenshot(page, 'dashboard-app');

    // Steps 2-4 of the guide with those credentials: consent as the signed-in user, then the exchange.
    const { verifier, challenge } = pkce();
    await page.goto(authorizeUrl(m.url, { clientId, redirectUri: CALLBACK, challenge, scope: 'project:read', state: 'guide' }));
    await expect(h1()).resolves.toBe(`Authorize ${APP}`);
    await page.getByRole('button', { name: `Authorize ${APP}` }).click();
    const callback = await callbackUrl(page);
    expect(callback.searchParams.get('state')).toBe('guide');
    const code = callback.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const res = await postForm(`${m.url}/oauth/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: clientId,
      client_secret: secret,
      code_verifier: verifier,
    });
    const tokens = (await res.json()) as { access_token?: string };
    expect(res.status, JSON.stringify(tokens)).toBe(200);
    const projects = await fetch(`${m.url}/api/dev/projects`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(projects.status).toBe(200);

    expect(problems).toEqual([]);
    expect(m.logs).toEqual([]);
  });

  it('a bad callback URL comes back with the message next to the field and the values kept', async () => {
    await signInToDashboard('Maria Rossi', 'maria');
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'OAuth apps' }).click();
    await page.getByRole('link', { name: 'New application' }).click();
    await page.getByLabel('Application name').fill('Typo app');
    await page.getByLabel('Homepage URL').fill('https://typo.example');
    await page.getByLabel('Callback URL').fill('localhost:3000/callback');
    await page.getByRole('button', { name: 'Create application' }).click();
    await page.waitForURL((u) => u.pathname === '/maria/-/settings/apps');

    await expect(h1()).resolves.toBe('New application');
    const callback = page.getByLabel('Callback URL');
    await expect(callback.inputValue()).resolves.toBe('localhost:3000/callback');
    await expect(callback.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByRole('alert').allInnerTexts()).resolves.toEqual([
      'Callback URL “localhost:3000/callback” is invalid: use a full URL such as https://example.com/auth/callback.',
    ]);
    await expect(page.getByLabel('Application name').inputValue()).resolves.toBe('Typo app');
    await screenshot(page, 'dashboard-new-app-errors');
    // Chromium logs every 4xx document load; nothing else may show up.
    expect(problems).toEqual([expect.stringMatching(/^error: Failed to load resource: .*status of 422/)]);
  });
});
