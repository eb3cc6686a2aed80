// The "Login with Glossia" example app (examples/login-with-glossia) against a real mock, end to end
// in headless Chromium (Debian's /usr/bin/chromium via playwright-core): the app really listens on a
// random port and is registered with the mock through POST /oauth/register, so every hop of the
// flow — app → mock sign-in → consent → app callback → token → API — is a real HTTP request.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createExampleApp } from '../examples/login-with-glossia/app.js';
import { startGlossiaMock, type GlossiaMock } from '../src/library.js';
import { launchChromium, pickUser } from './helpers/chromium.js';
import { checksWith } from './helpers/report.js';

const CLIENT_NAME = 'Login with Glossia example';

interface FixtureProject {
  account: string;
  name: string;
}
const PROJECTS = JSON.parse(readFileSync(new URL('../fixtures/projects.json', import.meta.url), 'utf8')) as FixtureProject[];
/** Names of the fixture projects of these accounts, sorted. */
const projectsOf = (...accounts: string[]) =>
  PROJECTS.filter((p) => accounts.includes(p.account))
    .map((p) => p.name)
    .sort();
// maria: her own account, dev's public personal account, acme (linguist). Not northwind (private).
const MARIA_PROJECTS = projectsOf('maria', 'dev', 'acme');
// alex: also northwind, where he is admin.
const ALEX_PROJECTS = projectsOf('alex', 'dev', 'acme', 'northwind');

let idp: GlossiaMock;
let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let appUrl: string;
let client: { client_id: string; client_secret: string };
const mockLogs: string[] = [];

/** Every successful token response the app received (it never shows tokens to the browser). */
const issued: { access_token: string; refresh_token: string }[] = [];

async function startAppServer(): Promise<Server> {
  // Listen first (port 0), register the redirect URI, then attach the app.
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return s;
}

/** The guide's step 1 (option B) for an app listening on `s` at `url`, then the app attached to `s`. */
async function registerApp(issuer: string, s: Server, url: string): Promise<{ client_id: string; client_secret: string }> {
  const res = await fetch(`${issuer}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: CLIENT_NAME,
      redirect_uris: [`${url}/callback`],
      grant_types: ['authorization_code', 'refresh_token'],
    }),
  });
  const registered = await res.json();
  expect(res.status, JSON.stringify(registered)).toBe(201);
  const app = createExampleApp({ issuer, clientId: registered.client_id, clientSecret: registered.client_secret, redirectUri: `${url}/callback` });
  s.on('request', app.callback());
  return registered;
}

function closeServer(s: Server | undefined): Promise<void> | undefined {
  return s?.listening
    ? new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      })
    : undefined;
}

beforeAll(async () => {
  // Assigned one by one, so afterAll closes whichever started even if another failed.
  await Promise.all([
    startGlossiaMock({ rateLimits: 'off', log: (line) => mockLogs.push(line) }).then((started) => (idp = started)),
    startAppServer().then((s) => (server = s)),
    launchChromium().then((launched) => (browser = launched)),
  ]);
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  client = await registerApp(idp.issuer, server, appUrl);

  // Watch the app's token responses (the app calls the global fetch).
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const res = await realFetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/oauth/token') && res.ok) issued.push(await res.clone().json());
    return res;
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  const closeApp = closeServer(server);
  await Promise.all([browser?.close(), idp?.stop(), closeApp]);
});

beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
  idp.faults.clear();
  // Nothing went wrong inside the mock.
  expect(mockLogs).toEqual([]);
});

const appOrigin = () => new URL(appUrl).origin;
const mockOrigin = () => new URL(idp.issuer).origin;
const signInLink = () => page.getByRole('link', { name: 'Sign in with Glossia' });
const projectList = () => page.getByRole('list', { name: 'Your projects' });

async function shownProjects(): Promise<string[]> {
  await projectList().waitFor();
  return (await projectList().getByRole('listitem').locator('strong').allInnerTexts()).sort();
}

/** The app's home page → "Sign in with Glossia" → the mock's sign-in page → consent → back on the app. */
async function signIn(name: string): Promise<void> {
  await page.goto(`${appUrl}/`);
  await signInLink().click();
  await page.waitForURL((u) => u.origin === mockOrigin() && u.pathname === '/auth/login');
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Log in to Glossia');
  await pickUser(page, name);
  await page.waitForURL((u) => u.origin === mockOrigin() && u.pathname === '/oauth/authorize');
  await expect(page.getByText(`Signed in as ${name}`).count()).resolves.toBe(1);
  await page.getByRole('button', { name: `Authorize ${CLIENT_NAME}` }).click();
  await page.waitForURL((u) => u.origin === appOrigin() && u.pathname === '/');
}

/** The grant of the app's latest code exchange. */
function latestFlow(): string {
  const exchange = idp.requests({ client_id: client.client_id, path: '/oauth/token' }).find((e) => e.status === 200);
  expect(exchange?.flow).toBeTruthy();
  return exchange!.flow!;
}

/** `METHOD path status` of one flow's requests, oldest first. */
const flowSteps = (flow: string) =>
  idp
    .requests({ flow })
    .reverse()
    .map((e) => `${e.method} ${e.path} ${e.status}`);

describe('Login with Glossia example app (Chromium)', () => {
  it('signs in through the mock sign-in and consent pages and lists the user’s projects; one flow id', async () => {
    await signIn('Maria Rossi');
    const names = await shownProjects();
    expect(names).toEqual(MARIA_PROJECTS);
    expect(names).toEqual(expect.arrayContaining(['Platform', 'Mobile app', 'Marketing site']));
    expect(names).not.toContain('Product catalog'); // northwind is private and Maria is not a member

    // The authorization request is the guide's step 3.
    const authorize = idp.requests({ client_id: client.client_id, path: '/oauth/authorize' }).at(-1)!;
    expect(authorize.method).toBe('GET');
    expect(authorize.query).toMatchObject({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: `${appUrl}/callback`,
      code_challenge_method: 'S256',
      scope: 'user:read project:read',
    });
    expect(authorize.query['code_challenge']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.query['state']).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Consent → code exchange → API call: one grant, one flow id, all for maria.
    const flow = latestFlow();
    expect(flowSteps(flow)).toEqual(['POST /oauth/authorize 302', 'POST /oauth/token 200', 'GET /api/projects 200']);
    expect(idp.requests({ flow }).every((e) => e.user === 'maria' && e.client_id === client.client_id)).toBe(true);
  });

  it('access_denied from Glossia: the app verifies the state and shows its access-denied page', async () => {
    idp.faults.add({ endpoint: 'authorize', error: 'access_denied', times: 1 });
    await page.goto(`${appUrl}/`);
    const callback = page.waitForResponse((r) => r.url().startsWith(`${appUrl}/callback?`));
    await signInLink().click();
    const res = await callback;
    expect(res.status()).toBe(403);
    await page.waitForURL((u) => u.origin === appOrigin() && u.pathname === '/callback');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Access denied');
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/Access was denied/);

    // The error came back with the very state the app sent (and the fault fired exactly there).
    const url = new URL(page.url());
    expect(url.searchParams.get('error')).toBe('access_denied');
    const authorize = idp.requests({ client_id: client.client_id, path: '/oauth/authorize' })[0]!;
    expect(authorize.fault).toBeTruthy();
    expect(authorize.status).toBe(302);
    expect(url.searchParams.get('state')).toBe(authorize.query['state']);

    // The state is single use: the same callback again is a state mismatch, not another "denied".
    const replay = await page.goto(url.href);
    expect(replay?.status()).toBe(400);
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/state parameter does not match/);
    await expect(signInLink().count()).resolves.toBe(0);
  });

  it('invalid_grant on refresh: the app clears the session and asks to sign in again', async () => {
    await signIn('Alex Chen');
    await expect(shownProjects()).resolves.toEqual(ALEX_PROJECTS);
    const flow = latestFlow();

    idp.clock.advance(3601); // the access token has expired
    idp.faults.add('token[grant_type=refresh_token]=invalid_grant:once');
    await page.reload();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Your Glossia session expired — sign in again.');
    await expect(signInLink().isVisible()).resolves.toBe(true);
    const refresh = idp.requests({ flow })[0]!;
    expect(refresh).toMatchObject({ method: 'POST', path: '/oauth/token', status: 400 });
    expect(refresh.fault).toBeTruthy();
    expect(flowSteps(flow).slice(-2)).toEqual(['GET /api/projects 401', 'POST /oauth/token 400']);

    // The session is gone: another reload is the signed-out home page and calls nothing.
    const before = idp.requests().length;
    await page.reload();
    await signInLink().waitFor();
    await expect(page.getByText('session expired').count()).resolves.toBe(0);
    expect(idp.requests().length).toBe(before);
  });

  it('an expired access token is refreshed transparently and the projects still show', async () => {
    await signIn('Alex Chen');
    await expect(shownProjects()).resolves.toEqual(ALEX_PROJECTS);
    const flow = latestFlow();
    const first = issued.at(-1)!;

    idp.clock.advance(3601);
    await page.reload();
    await expect(shownProjects()).resolves.toEqual(ALEX_PROJECTS);
    expect(flowSteps(flow)).toEqual([
      'POST /oauth/authorize 302',
      'POST /oauth/token 200',
      'GET /api/projects 200',
      'GET /api/projects 401', // expired on the mock's clock
      'POST /oauth/token 200', // step 6: refresh
      'GET /api/projects 200', // retried once with the new access token
    ]);
    // The refresh token rotated.
    const second = issued.at(-1)!;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
  });

  it('sign out revokes the refresh token at Glossia and clears the session', async () => {
    await signIn('Maria Rossi');
    await expect(shownProjects()).resolves.toEqual(MARIA_PROJECTS);
    const flow = latestFlow();
    const tokens = issued.at(-1)!;

    const logout = page.waitForResponse((r) => r.url() === `${appUrl}/logout`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await logout).status()).toBe(303);
    await signInLink().waitFor();

    const revoke = idp.requests({ client_id: client.client_id, path: '/oauth/revoke' })[0]!;
    expect(revoke).toMatchObject({ method: 'POST', status: 200, flow, user: 'maria' });

    // The old tokens are dead.
    const refreshed = await fetch(`${idp.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: client.client_id,
        client_secret: client.client_secret,
      }),
    });
    expect(refreshed.status).toBe(400);
    await expect(refreshed.json()).resolves.toMatchObject({ error: 'invalid_grant' });
    const api = await fetch(`${idp.issuer}/api/projects`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(api.status).toBe(401);

    // And the app no longer has a session.
    await page.reload();
    await signInLink().waitFor();
    await expect(projectList().count()).resolves.toBe(0);
  });

  // Last: it judges every request the app made in the tests above.
  it('the mock’s conformance report finds nothing wrong with the app', () => {
    const report = idp.report(client.client_id);
    expect(report?.requests).toBeGreaterThan(0);
    expect(checksWith(report, 'fail'), JSON.stringify(report)).toEqual([]);
    expect(checksWith(report, 'warn'), JSON.stringify(report)).toEqual([]);
    expect(checksWith(report, 'pass')).toEqual(expect.arrayContaining(['pkce.s256', 'state.present', 'code.single_use', 'refresh.rotation', 'logout.revoke']));
  });
});

// The same app against the production profile: sign-in and consent work, but the guide's
// GET /api/projects does not exist on the real server, and the app says so.
describe('the example app against the production profile (Chromium)', () => {
  let prodIdp: GlossiaMock;
  let prodServer: Server;
  let prodAppUrl: string;

  beforeAll(async () => {
    await Promise.all([
      startGlossiaMock({ rateLimits: 'off', profile: 'production', log: (line) => mockLogs.push(line) }).then((started) => (prodIdp = started)),
      startAppServer().then((s) => (prodServer = s)),
    ]);
    prodAppUrl = `http://127.0.0.1:${(prodServer.address() as AddressInfo).port}`;
    await registerApp(prodIdp.issuer, prodServer, prodAppUrl);
  });

  afterAll(() => Promise.all([prodIdp?.stop(), closeServer(prodServer)]));

  it('signs in through the sign-in page and the one-button consent, then shows the app’s error for the missing GET /api/projects', async () => {
    const prodOrigin = new URL(prodIdp.issuer).origin;
    await page.goto(`${prodAppUrl}/`);
    await signInLink().click();
    await page.waitForURL((u) => u.origin === prodOrigin && u.pathname === '/auth/login');
    await pickUser(page, 'Maria Rossi');
    await page.waitForURL((u) => u.origin === prodOrigin && u.pathname === '/oauth/authorize');
    await expect(page.getByRole('button', { name: 'Deny' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: `Authorize ${CLIENT_NAME}` }).click();
    await page.waitForURL((u) => u.origin === new URL(prodAppUrl).origin && u.pathname === '/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Glossia error');
    await expect(page.getByRole('alert').innerText()).resolves.toBe(
      'GET /api/projects answered 404: this server does not have the guide’s flat project listing.',
    );
    // The code exchange itself succeeded: the production token shape reached the app.
    expect(issued.at(-1)).toMatchObject({ token_type: 'bearer', expires_in: 86399 });
    expect(issued.at(-1)!.access_token).toMatch(/^[A-Za-z0-9]{86}$/);
  });
});
