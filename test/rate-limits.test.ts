// Glossia's rate limits (reference 12) over real HTTP: exactly the configured number per fixed
// window, the right bucket keys (IP from X-Forwarded-For, client_id, user), JSON vs plain-text
// 429s with Retry-After, recovery in the next window by moving the mock's clock (no sleeping), the
// /_mock/rate-limits view and reset, and the CLI's --rate-limits off|glossia|FILE.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GLOSSIA_LIMITS, type LimitTable } from '../src/limits/rate-limiter.js';
import { expectInvalidToken } from './helpers/api.js';
import { cliFails, startCli } from './helpers/cli.js';
import { hiddenInputs, signedInCookie } from './helpers/browser-session.js';
import { authorizeUrl, basic, DEMO, pkce, postForm, SPA, startTestMock, USERS, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';

const MOBILE = '6b7a2d2b-5f2a-4a57-9ea5-31a4d5b0c5f9';
const RATE_LIMITED = { error: 'too_many_requests', error_description: 'Rate limit exceeded' };

interface Counter {
  bucket: string;
  limit: number;
  window: number;
  count: number;
  remaining: number;
  resets_in: number;
}
interface RateLimitsView {
  enabled: boolean;
  limits: LimitTable;
  counters: Counter[];
}

let m: TestMock; // Glossia's numbers, auto-approving as dev
let dir: string;

beforeAll(async () => {
  [m, dir] = await Promise.all([
    startTestMock({ rateLimits: { ...GLOSSIA_LIMITS }, autoApprove: 'dev' }),
    mkdtemp(join(tmpdir(), 'glossia-mock-limits-')),
  ]);
});
afterAll(async () => {
  await Promise.all([m?.close(), dir && rm(dir, { recursive: true, force: true })]);
});
beforeEach(async () => {
  // Each test starts at the very beginning of a fresh window, so it never straddles two.
  await freshWindow(m);
});
afterEach(() => {
  expect(m.logs).toEqual([]);
});

// ---------------------------------------------------------------------------------------------

async function clockEpoch(base: string): Promise<number> {
  const res = await fetch(`${base}/_mock/clock`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { epoch: number }).epoch;
}

async function advance(base: string, seconds: number) {
  const res = await fetch(`${base}/_mock/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: seconds }),
  });
  expect(res.status).toBe(200);
}

/** Moves the mock's clock to the start of the next `window`-second window. */
async function freshWindow(t: { url: string }, window = 60) {
  const epoch = await clockEpoch(t.url);
  await advance(t.url, window - (epoch % window));
}

async function view(base: string): Promise<RateLimitsView> {
  const res = await fetch(`${base}/_mock/rate-limits`);
  expect(res.status).toBe(200);
  return (await res.json()) as RateLimitsView;
}

const counter = async (base: string, bucket: string) => (await view(base)).counters.find((c) => c.bucket === bucket);

/** Retry-After is a whole number of seconds within the window. */
function retryAfter(res: Response, window = 60): number {
  const value = res.headers.get('retry-after');
  expect(value).toMatch(/^\d+$/);
  const n = Number(value);
  expect(n).toBeGreaterThanOrEqual(1);
  expect(n).toBeLessThanOrEqual(window);
  return n;
}

async function expectJson429(res: Response, window = 60) {
  expect(res.status).toBe(429);
  retryAfter(res, window);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await res.json()).toEqual(RATE_LIMITED);
}

async function expectText429(res: Response) {
  expect(res.status).toBe(429);
  retryAfter(res);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(await res.text()).toBe('Rate limit exceeded');
}

const xff = (ip: string) => ({ 'X-Forwarded-For': ip });

const register = (base: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ client_name: 'Limit test', redirect_uris: [DEMO.redirectUri] }),
  });

/**
 * A token request that is refused for its own reasons, but still counts: the demo client without
 * its secret (401 invalid_client), the public SPA client with an unknown refresh token (400).
 */
const tokenReq = (base: string, ip: string, clientId: string | undefined, headers: Record<string, string> = {}) =>
  postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: 'unknown', client_id: clientId }, { ...xff(ip), ...headers });

async function statuses(n: number, fn: () => Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fn();
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}

// =============================================================================================
describe('POST /oauth/register: 5 per minute per IP', () => {
  it('the 6th is 429 JSON with Retry-After; another IP is counted apart; the next window restores', async () => {
    const A = '203.0.113.10';
    expect(await statuses(5, () => register(m.url, xff(A)))).toEqual([201, 201, 201, 201, 201]);
    const sixth = await register(m.url, xff(A));
    await expectJson429(sixth);
    expect((await register(m.url, xff('203.0.113.11'))).status).toBe(201);
    // Denied requests still count.
    expect(await counter(m.url, `register:ip:${A}`)).toMatchObject({ limit: 5, window: 60, count: 6, remaining: 0 });
    await freshWindow(m);
    expect((await register(m.url, xff(A))).status).toBe(201);
    expect(await counter(m.url, `register:ip:${A}`)).toMatchObject({ count: 1, remaining: 4 });
  });

  it('X-Forwarded-For counts only when its first entry is an IP; else the socket address', async () => {
    await fetch(`${m.url}/_mock/rate-limits`, { method: 'DELETE' });
    await register(m.url, xff('198.18.0.1, 10.0.0.1'));
    await register(m.url, xff('not-an-ip'));
    await register(m.url);
    const buckets = (await view(m.url)).counters.filter((c) => c.bucket.startsWith('register:')).map((c) => [c.bucket, c.count]);
    expect(buckets).toEqual([
      ['register:ip:127.0.0.1', 2],
      ['register:ip:198.18.0.1', 1],
    ]);
  });
});

describe('POST /oauth/token: 30 per minute per IP and, separately, per client_id', () => {
  it('both buckets fill; Basic-auth-only requests skip the client bucket', async () => {
    const [A, B, C] = ['198.51.100.1', '198.51.100.2', '198.51.100.3'];
    const first = await statuses(30, () => tokenReq(m.url, A, DEMO.clientId));
    expect(first).toEqual(Array(30).fill(401)); // refused (no secret), but allowed through
    await expectJson429(await tokenReq(m.url, A, DEMO.clientId));
    // The demo client's bucket is full from any address…
    await expectJson429(await tokenReq(m.url, B, DEMO.clientId));
    // …another client from another address is fine…
    expect((await tokenReq(m.url, B, SPA.clientId)).status).toBe(400);
    // …but not from the address that is over its limit.
    await expectJson429(await tokenReq(m.url, A, SPA.clientId));
    // With Basic auth and no client_id parameter only the IP bucket applies.
    expect((await tokenReq(m.url, C, undefined, { Authorization: basic(DEMO.clientId, DEMO.secret) })).status).toBe(400);

    const counters = (await view(m.url)).counters.filter((c) => c.bucket.startsWith('token:')).map((c) => [c.bucket, c.count, c.remaining]);
    expect(counters).toEqual([
      [`token:client:${DEMO.clientId}`, 31, 0],
      [`token:client:${SPA.clientId}`, 1, 29],
      [`token:ip:${A}`, 32, 0],
      [`token:ip:${B}`, 2, 28],
      [`token:ip:${C}`, 1, 29],
    ]);

    await freshWindow(m);
    expect((await tokenReq(m.url, A, DEMO.clientId)).status).toBe(401);
  });
});

describe('/oauth/authorize: 30 per minute per signed-in user, plain text', () => {
  const authorize = (base: string, user: string, ip: string) =>
    fetch(authorizeUrl(base, { challenge: pkce().challenge, state: 's', extra: { login_hint: user } }), { redirect: 'manual', headers: xff(ip) });

  it('the 31st request of one user is a text 429, from any address; other users are unaffected', async () => {
    let i = 0;
    expect(await statuses(30, () => authorize(m.url, 'dev', `192.0.2.${++i}`))).toEqual(Array(30).fill(302));
    const limited = await authorize(m.url, 'dev', '192.0.2.200');
    expect(limited.headers.get('location')).toBeNull();
    await expectText429(limited);
    expect((await authorize(m.url, 'alex', '192.0.2.1')).status).toBe(302);
    expect(await counter(m.url, `authorize:user:${USERS.dev}`)).toMatchObject({ count: 31, remaining: 0, limit: 30 });
    await freshWindow(m);
    expect((await authorize(m.url, 'dev', '192.0.2.1')).status).toBe(302);
  });

  it('a signed-in browser (consent page and consent POST) is limited too; a signed-out one is sent to sign in', async () => {
    const small = await startTestMock({ rateLimits: { authorize: { limit: 2, window: 60 } } });
    try {
      await freshWindow(small);
      const url = authorizeUrl(small.url, { challenge: pkce().challenge, state: 's' });
      const cookie = await signedInCookie(small.url, 'maria', url);
      const get = () => fetch(url, { headers: { cookie }, redirect: 'manual' });
      const page = await get();
      expect(page.status).toBe(200);
      const form = hiddenInputs(await page.text());
      expect((await get()).status).toBe(200);
      await expectText429(await get());
      // Approving on the consent page is the same limit.
      const approve = await fetch(`${small.url}/oauth/authorize`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([...form, ['decision', 'approve']]),
        redirect: 'manual',
      });
      await expectText429(approve);
      // Signed out, the request goes to the sign-in page and is not counted.
      expect(await statuses(5, () => fetch(url, { redirect: 'manual' }))).toEqual(Array(5).fill(302));
      expect((await counter(small.url, `authorize:user:${USERS.maria}`))!.count).toBe(4);
      // In the next window the same form goes through to the client.
      await freshWindow(small);
      const later = await fetch(`${small.url}/oauth/authorize`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([...form, ['decision', 'approve']]),
        redirect: 'manual',
      });
      expect(later.status).toBe(302);
      expect(new URL(later.headers.get('location')!).searchParams.has('code')).toBe(true);
      expect(small.logs).toEqual([]);
    } finally {
      await small.close();
    }
  });
});

describe('/api: 120 per minute per user; 30 invalid bearer tokens per minute per IP', () => {
  it('the 121st request of one user is 429 JSON; other users go on; the next window restores', async () => {
    const [dev, alex] = await Promise.all([tokensFor(m), tokensFor(m, 'user:read project:read', { user: 'alex' })]);
    const get = (token: string, ip = '100.64.0.1') =>
      fetch(`${m.url}/api/projects`, { headers: { Authorization: `Bearer ${token}`, ...xff(ip) } });
    // In batches, from many addresses: the bucket is the user's.
    const codes: number[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => get(dev.access_token, `100.64.${batch}.${i + 1}`)));
      for (const res of answers) {
        codes.push(res.status);
        await res.arrayBuffer();
      }
    }
    expect(codes).toEqual(Array(120).fill(200));
    await expectJson429(await get(dev.access_token));
    expect((await get(alex.access_token)).status).toBe(200);
    expect(await counter(m.url, `api:user:${USERS.dev}`)).toMatchObject({ limit: 120, count: 121, remaining: 0 });
    await freshWindow(m);
    expect((await get(dev.access_token)).status).toBe(200);
  });

  it('requests without a token share the address’s bucket', async () => {
    const anon = () => fetch(`${m.url}/api/projects`, { headers: xff('100.65.0.1') });
    const codes = await Promise.all(Array.from({ length: 120 }, () => anon().then(async (r) => (await r.arrayBuffer(), r.status))));
    expect(codes).toEqual(Array(120).fill(401));
    await expectJson429(await anon());
    expect((await fetch(`${m.url}/api/projects`, { headers: xff('100.65.0.2') })).status).toBe(401);
  });

  it('the 31st invalid token from one IP: 429 {"error":"too_many_requests"}; valid tokens are not held back', async () => {
    const D = '100.66.0.1';
    const bogus = (ip: string) => fetch(`${m.url}/api/projects`, { headers: { Authorization: 'Bearer not-a-token', ...xff(ip) } });
    for (let i = 0; i < 30; i++) await expectInvalidToken(await bogus(D));
    const limited = await bogus(D);
    expect(limited.status).toBe(429);
    retryAfter(limited);
    expect(limited.headers.get('www-authenticate')).toBeNull();
    expect(await limited.text()).toBe('{"error":"too_many_requests"}');
    await expectInvalidToken(await bogus('100.66.0.2'));
    const dev = await tokensFor(m);
    expect((await fetch(`${m.url}/api/projects`, { headers: { Authorization: `Bearer ${dev.access_token}`, ...xff(D) } })).status).toBe(200);
    expect(await counter(m.url, `invalid_bearer:ip:${D}`)).toMatchObject({ limit: 30, count: 31 });
    await freshWindow(m);
    await expectInvalidToken(await bogus(D));
  });
});

describe('every limited endpoint answers 429 in its own format', () => {
  it('JSON at the machine endpoints, plain text at the browser pages (a custom table)', async () => {
    const one = { limit: 1, window: 60 };
    const small = await startTestMock({
      rateLimits: { revoke: one, introspect: one, device_authorization: one, well_known: one, openapi: one, device: one, login: one },
    });
    try {
      await freshWindow(small);
      const u = small.url;
      const json429: [string, () => Promise<Response>][] = [
        ['revoke', () => postForm(`${u}/oauth/revoke`, { token: 'x', client_id: DEMO.clientId, client_secret: DEMO.secret })],
        ['introspect', () => postForm(`${u}/oauth/introspect`, { token: 'x', client_id: DEMO.clientId, client_secret: DEMO.secret })],
        ['device_authorization', () => postForm(`${u}/oauth/device_authorization`, { client_id: MOBILE })],
        ['well_known', () => fetch(`${u}/.well-known/oauth-authorization-server`)],
        ['openapi', () => fetch(`${u}/api/openapi.json`)],
      ];
      for (const [name, req] of json429) {
        const first = await req();
        expect(first.status, name).toBeLessThan(429);
        await first.arrayBuffer();
        await expectJson429(await req());
      }
      // Every /.well-known/ document shares the one bucket.
      await expectJson429(await fetch(`${u}/.well-known/jwks.json`));
      for (const path of ['/oauth/device', '/auth/login']) {
        expect((await fetch(`${u}${path}`, { redirect: 'manual' })).status).toBeLessThan(429);
        await expectText429(await fetch(`${u}${path}`, { redirect: 'manual' }));
      }
      // Limits not in the table do not apply.
      expect(await statuses(7, () => register(u))).toEqual(Array(7).fill(201));
      expect(small.logs).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('a custom window: Retry-After stays within it and the limit resets with it', async () => {
    const small = await startTestMock({ rateLimits: { register: { limit: 2, window: 10 } } });
    try {
      await freshWindow(small, 10);
      expect(await statuses(2, () => register(small.url))).toEqual([201, 201]);
      const limited = await register(small.url);
      expect(limited.status).toBe(429);
      expect(retryAfter(limited, 10)).toBeGreaterThanOrEqual(5); // the window has only just begun
      await advance(small.url, 10);
      expect((await register(small.url)).status).toBe(201);
    } finally {
      await small.close();
    }
  });
});

describe('/_mock/rate-limits', () => {
  it('shows the table and the live counters; DELETE resets them mid-window', async () => {
    const before = await view(m.url);
    expect(before.enabled).toBe(true);
    expect(before.limits).toEqual(GLOSSIA_LIMITS);
    const ip = '203.0.113.50';
    for (let i = 0; i < 6; i++) await register(m.url, xff(ip));
    const c = await counter(m.url, `register:ip:${ip}`);
    expect(c).toEqual({ bucket: `register:ip:${ip}`, limit: 5, window: 60, count: 6, remaining: 0, resets_in: expect.any(Number) });
    expect(c!.resets_in).toBeGreaterThanOrEqual(50); // the window has only just begun
    expect(c!.resets_in).toBeLessThanOrEqual(60);

    const del = await fetch(`${m.url}/_mock/rate-limits`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await view(m.url)).counters).toEqual([]);
    expect((await register(m.url, xff(ip))).status).toBe(201);
  });

  it('counters of past windows are not shown', async () => {
    await register(m.url, xff('203.0.113.60'));
    expect(await counter(m.url, 'register:ip:203.0.113.60')).toBeDefined();
    await freshWindow(m);
    expect(await counter(m.url, 'register:ip:203.0.113.60')).toBeUndefined();
  });

  it('with rate limits off: enabled false, nothing counted or refused', async () => {
    const off = await startTestMock(); // the harness default: rateLimits {}
    try {
      expect(await view(off.url)).toEqual({ enabled: false, limits: {}, counters: [] });
      expect(await statuses(7, () => register(off.url))).toEqual(Array(7).fill(201));
      expect((await view(off.url)).counters).toEqual([]);
    } finally {
      await off.close();
    }
  });
});

// =============================================================================================
describe('the CLI: --rate-limits off | glossia | FILE', () => {
  const start = (args: string[]) => startCli(['--port', '0', '--in-memory', ...args]);

  it('FILE is honoured over Glossia’s numbers; off disables; the default is glossia', async () => {
    const file = join(dir, 'limits.json');
    await writeFile(file, JSON.stringify({ register: { limit: 2, window: 60 }, token: null }));
    const custom = start(['--rate-limits', file]);
    const off = start(['--rate-limits', 'off']);
    const plain = start([]);
    try {
      const [customUrl, offUrl, plainUrl] = await Promise.all([custom.url, off.url, plain.url]);

      await freshWindow({ url: customUrl });
      const table = await view(customUrl);
      expect(table.enabled).toBe(true);
      expect(table.limits.register).toEqual({ limit: 2, window: 60 });
      expect(table.limits.token).toBeUndefined();
      expect(table.limits.authorize).toEqual(GLOSSIA_LIMITS.authorize);
      expect(await statuses(2, () => register(customUrl))).toEqual([201, 201]);
      await expectJson429(await register(customUrl));
      // The token limit was removed: far more than 30 requests pass.
      const tokenCodes = await statuses(35, () => tokenReq(customUrl, '127.0.0.1', DEMO.clientId));
      expect(tokenCodes).toEqual(Array(35).fill(401));

      expect(await view(offUrl)).toEqual({ enabled: false, limits: {}, counters: [] });
      expect(await statuses(8, () => register(offUrl))).toEqual(Array(8).fill(201));

      expect((await view(plainUrl)).limits).toEqual(GLOSSIA_LIMITS);
      expect(custom.stderr() + off.stderr() + plain.stderr()).toBe('');
    } finally {
      await Promise.all([custom.stop(), off.stop(), plain.stop()]);
    }
  });

  it('a missing or invalid FILE stops the CLI with exit code 2 and a clear message', async () => {
    const fails = (value: string) => cliFails(['--port', '0', '--in-memory', '--rate-limits', value]);
    const bad = join(dir, 'bad-limits.json');
    const unknown = join(dir, 'unknown-limits.json');
    await writeFile(bad, JSON.stringify({ token: { limit: 0 } }));
    await writeFile(unknown, JSON.stringify({ tokens: { limit: 5 } }));
    const [missing, invalid, unknownName] = await Promise.all([fails(join(dir, 'nope.json')), fails(bad), fails(unknown)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^glossia-mock: --rate-limits: expected off, glossia or a readable JSON file \(ENOENT/);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toBe(
      `glossia-mock: --rate-limits ${bad}: "token" must be {"limit": N, "window": SECONDS} with whole numbers above 0, or null\n`,
    );
    expect(unknownName.code).toBe(2);
    expect(unknownName.stderr).toContain(`--rate-limits ${unknown}: unknown limit "tokens"`);
  });
});
