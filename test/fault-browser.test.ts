// QA's way to see a forced failure: start the command-line mock with
// `--fail authorize=access_denied:once` and open the demo client's authorization URL in a real
// browser (headless Debian Chromium via playwright-core; no downloaded browsers). The first attempt
// lands on the client's callback with error=access_denied and the state; the rule has then fired,
// so the second attempt shows the sign-in page and the normal flow ends with a code.
// Nothing listens on the demo redirect URI: Chromium's requests to http://localhost:3000 are
// answered in-process through CDP's Fetch domain (see browser.test.ts for why not page.route()).
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeUrl, DEMO, exchange, pkce } from './helpers/mock.js';

const BIN = new URL('../bin/glossia-mock.js', import.meta.url).pathname;

let child: ChildProcess | undefined;
let stderr = '';
let base: string;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

/** Starts the CLI and resolves with the address it listens on once the banner is printed. */
function startCli(args: string[]): Promise<string> {
  const proc = spawn('node', [BIN, '--port', '0', '--in-memory', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let out = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}${stderr}`)), 10_000);
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const listening = /listening\s+(\S+)/.exec(out);
      if (listening && /Pre-registered clients:[\s\S]*redirect_uris/.test(out)) {
        clearTimeout(timer);
        resolve(listening[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`exited ${code}: ${out}${stderr}`)));
  });
}

beforeAll(async () => {
  await Promise.all([
    startCli(['--fail', 'authorize=access_denied:once']).then((url) => (base = url)),
    chromium
      .launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      })
      .then((launched) => (browser = launched)),
  ]);
  context = await browser!.newContext();
  page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  const cdp = await context.newCDPSession(page);
  cdp.on('Fetch.requestPaused', (e) => {
    void cdp
      .send('Fetch.fulfillRequest', {
        requestId: e.requestId,
        responseCode: 200,
        responseHeaders: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
        body: Buffer.from('<h1>callback</h1>').toString('base64'),
      })
      .catch(() => undefined);
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: 'http://localhost:3000/*', requestStage: 'Request' }] });
});

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

describe('--fail authorize=access_denied:once, seen in a browser', () => {
  it('the first attempt lands on the callback with access_denied and the state; the second signs in normally', async () => {
    const state = 'qa-state-7Yb';
    const first = authorizeUrl(base, { challenge: pkce().challenge, scope: 'user:read', state });
    await page.goto(first);
    await page.waitForURL((u) => u.origin === 'http://localhost:3000');
    const callback = new URL(page.url());
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
    await page.getByRole('group', { name: 'Sign in as' }).getByRole('radio', { name: /Maria Rossi/ }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((u) => u.pathname === '/oauth/authorize');
    await page.getByRole('button', { name: 'Authorize Glossia Mock Demo' }).click();
    await page.waitForURL((u) => u.origin === 'http://localhost:3000');
    const approved = new URL(page.url());
    expect(approved.searchParams.get('state')).toBe('qa-state-2');
    const code = approved.searchParams.get('code');
    expect(code).toBeTruthy();
    const res = await exchange(base, code!, verifier);
    expect(res.status, await res.clone().text()).toBe(200);

    expect(problems).toEqual([]);
    expect(stderr).toBe('');
  });
});
