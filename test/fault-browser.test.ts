// QA's way to see a forced failure: start the command-line mock with
// `--fail authorize=access_denied:once` and open the demo client's authorization URL in a real
// browser (headless Debian Chromium via playwright-core; no downloaded browsers). The first attempt
// lands on the client's callback with error=access_denied and the state; the rule has then fired,
// so the second attempt shows the sign-in page and the normal flow ends with a code.
// Nothing listens on the demo redirect URI: Chromium's requests to http://localhost:3000 are
// answered in-process through CDP's Fetch domain (see helpers/chromium.ts for why not page.route()).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackUrl, launchChromium, openPage, pickUser } from './helpers/chromium.js';
import { startCli, type Started } from './helpers/cli.js';
import { authorizeUrl, DEMO, exchange, pkce } from './helpers/mock.js';

let cli: Started | undefined;
let base: string;
let browser: Browser | undefined;
let page: Page;
/** Console errors, uncaught exceptions and CSP violations seen by the page. */
let problems: string[];

beforeAll(async () => {
  cli = startCli(['--port', '0', '--in-memory', '--fail', 'authorize=access_denied:once']);
  await Promise.all([cli.url.then((url) => (base = url)), launchChromium().then((launched) => (browser = launched))]);
  ({ page, problems } = await openPage(browser!));
});

afterAll(async () => {
  await browser?.close();
  await cli?.stop();
});

describe('--fail authorize=access_denied:once, seen in a browser', () => {
  it('the first attempt lands on the callback with access_denied and the state; the second signs in normally', async () => {
    const state = 'qa-state-7Yb';
    const first = authorizeUrl(base, { challenge: pkce().challenge, scope: 'user:read', state });
    await page.goto(first);
    const callback = await callbackUrl(page);
    expect(`${callback.origin}${callback.pathname}`).toBe(DEMO.redirectUri);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('error_description')).toBe('The user denied the authorization request.');
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.has('code')).toBe(false);
    await expect(page.getByRole('heading', { name: 'callback' }).count()).resolves.toBe(1);

    // The rule is spent: the control API says it fired once.
    const faults = (await (await fetch(`${base}/_mock/faults`)).json()) as { faults: { endpoint: string; error: string; times: number; fired: number }[] };
    expect(faults.faults).toEqual([expect.objectContaining({ endpoint: 'authorize', error: 'access_denied', times: 1, fired: 1 })]);

    // Second attempt: the sign-in page, as without any rule…
    const { verifier, challenge } = pkce();
    await page.goto(authorizeUrl(base, { challenge, scope: 'user:read', state: 'qa-state-2' }));
    expect(new URL(page.url()).pathname).toBe('/auth/login');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Log in to Glossia');

    // …and the flow goes on to a code that works.
    await pickUser(page, /Maria Rossi/);
    await page.waitForURL((u) => u.pathname === '/oauth/authorize');
    await page.getByRole('button', { name: 'Authorize Glossia Mock Demo' }).click();
    const approved = await callbackUrl(page);
    expect(approved.searchParams.get('state')).toBe('qa-state-2');
    const code = approved.searchParams.get('code');
    expect(code).toBeTruthy();
    const res = await exchange(base, code!, verifier);
    expect(res.status, await res.clone().text()).toBe(200);

    expect(problems).toEqual([]);
    expect(cli!.stderr()).toBe('');
  });
});
