// The control API's time and access: POST /_mock/expire (one code or token expires now),
// GET/POST /_mock/clock (the whole mock moves forward, so lifetimes run out without sleeping), and
// the guard in front of /_mock (loopback clients only, or a bearer --control-token).
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/options.js';
import { expectInvalidToken } from './helpers/api.js';
import { expectError, json } from './helpers/http.js';
import { autoApprovedCode, exchange, postForm, startTestMock, type TestMock } from './helpers/mock.js';
import { introspect, ok, refresh, tokensFor, type Tokens } from './helpers/tokens.js';

const MOBILE = '6b7a2d2b-5f2a-4a57-9ea5-31a4d5b0c5f9';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

let m: TestMock; // documented profile (3600 s access tokens, 60 s codes), auto-approving as dev

beforeAll(async () => {
  m = await startTestMock({ autoApprove: 'dev' });
});
afterAll(async () => {
  await m?.close();
});
afterEach(() => {
  expect(m.logs).toEqual([]);
});

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const expire = (body: unknown) => postJson(`${m.url}/_mock/expire`, body);

interface ClockView {
  now: string;
  epoch: number;
  offset: number;
}

async function clock(base = m.url): Promise<ClockView> {
  const res = await fetch(`${base}/_mock/clock`);
  expect(res.status).toBe(200);
  return (await res.json()) as ClockView;
}

async function advance(seconds: unknown, base = m.url): Promise<Response> {
  return postJson(`${base}/_mock/clock`, { advance: seconds });
}

const api = (token: string) => fetch(`${m.url}/api/projects`, { headers: { Authorization: `Bearer ${token}` } });

async function expectExpired(res: Response, kind: string) {
  const body = (await json(res)) as { expired: string; expires_at: number };
  expect(res.status).toBe(200);
  expect(body.expired).toBe(kind);
  expect(body.expires_at).toBeLessThanOrEqual((await clock()).epoch);
}

// =============================================================================================
describe('POST /_mock/expire', () => {
  it('a code: the exchange then fails with invalid_grant', async () => {
    const { code, verifier } = await autoApprovedCode(m.url);
    await expectExpired(await expire({ code }), 'code');
    await expectError(await exchange(m.url, code, verifier), 400, {
      error: 'invalid_grant',
      error_description: 'The authorization code has expired or was already used.',
    });
  });

  it('an access token: 401 invalid_token at the API, inactive at introspection; its refresh token still works', async () => {
    const tokens = await tokensFor(m);
    expect((await api(tokens.access_token)).status).toBe(200);
    await expectExpired(await expire({ access_token: tokens.access_token }), 'access_token');
    await expectInvalidToken(await api(tokens.access_token));
    expect(await (await introspect(m, tokens.access_token)).json()).toEqual({ active: false });
    const refreshed = await ok(await refresh(m, tokens.refresh_token));
    expect((await api(refreshed.access_token)).status).toBe(200);
  });

  it('a refresh token: the refresh fails with invalid_grant; its access token still works', async () => {
    const tokens = await tokensFor(m);
    await expectExpired(await expire({ refresh_token: tokens.refresh_token }), 'refresh_token');
    await expectError(await refresh(m, tokens.refresh_token), 400, {
      error: 'invalid_grant',
      error_description: 'Given refresh token is invalid, revoked, or expired.',
    });
    expect((await api(tokens.access_token)).status).toBe(200);
  });

  it('a device code: polling answers expired_token', async () => {
    const start = async () => {
      const res = await postForm(`${m.url}/oauth/device_authorization`, { client_id: MOBILE, scope: 'user:read' });
      expect(res.status).toBe(200);
      return ((await res.json()) as { device_code: string }).device_code;
    };
    const poll = (deviceCode: string) => postForm(`${m.url}/oauth/token`, { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: MOBILE });
    const [expired, control] = [await start(), await start()];
    await expectExpired(await expire({ device_code: expired }), 'device_code');
    await expectError(await poll(expired), 400, { error: 'expired_token', error_description: 'Device code has expired.' });
    await ok(await poll(control)); // auto-approved, and not expired
  });

  it('also takes a form body; expiring twice is harmless', async () => {
    const tokens = await tokensFor(m);
    const res = await postForm(`${m.url}/_mock/expire`, { access_token: tokens.access_token });
    await expectExpired(res, 'access_token');
    await expectExpired(await expire({ access_token: tokens.access_token }), 'access_token');
    await expectInvalidToken(await api(tokens.access_token));
  });

  it('refuses anything but exactly one known value', async () => {
    const tokens = await tokensFor(m);
    const one = { error: 'invalid_request', error_description: 'Send exactly one of: code, access_token, refresh_token, device_code.' };
    await expectError(await expire({}), 400, one);
    await expectError(await expire({ access_token: tokens.access_token, refresh_token: tokens.refresh_token }), 400, one);
    await expectError(await expire({ token: tokens.access_token }), 400, one);
    await expectError(await expire({ access_token: 'nope' }), 404, { error: 'not_found', error_description: 'This mock issued no such access_token.' });
    // A refresh token is not an access token.
    await expectError(await expire({ access_token: tokens.refresh_token }), 404, {
      error: 'not_found',
      error_description: 'This mock issued no such access_token.',
    });
    await expectError(await expire({ code: 'nope' }), 404, { error: 'not_found', error_description: 'This mock issued no such code.' });
    await expectError(await expire({ access_token: ['a', 'b'] }), 400, {
      error: 'invalid_request',
      error_description: 'The access_token parameter must not be repeated.',
    });
    // None of that touched the token.
    expect((await api(tokens.access_token)).status).toBe(200);
  });
});

// =============================================================================================
describe('GET/POST /_mock/clock', () => {
  it('reports the mock’s time and moves it (and back)', async () => {
    const before = await clock();
    expect(before.now).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Math.abs(Date.parse(before.now) / 1000 - before.epoch)).toBeLessThan(1);
    const res = await advance(90);
    expect(res.status).toBe(200);
    const moved = (await res.json()) as ClockView;
    expect(moved.offset).toBe(before.offset + 90);
    expect(moved.epoch - before.epoch).toBeGreaterThanOrEqual(90);
    expect(moved.epoch - before.epoch).toBeLessThan(100);
    expect((await clock()).offset).toBe(before.offset + 90);
    const back = (await (await advance(-90)).json()) as ClockView;
    expect(back.offset).toBe(before.offset);
  });

  it('{"advance":3601}: a 3600 s access token is expired at the API and introspection; refresh still works', async () => {
    const tokens: Tokens = await tokensFor(m);
    expect(tokens.expires_in).toBe(3600);
    expect(((await (await introspect(m, tokens.access_token)).json()) as { active: boolean }).active).toBe(true);
    expect((await advance(3590)).status).toBe(200);
    expect((await api(tokens.access_token)).status).toBe(200); // ten seconds to go
    expect((await advance(11)).status).toBe(200);
    try {
      await expectInvalidToken(await api(tokens.access_token));
      expect(await (await introspect(m, tokens.access_token)).json()).toEqual({ active: false });
      const refreshed = await ok(await refresh(m, tokens.refresh_token));
      expect((await api(refreshed.access_token)).status).toBe(200);
    } finally {
      await advance(-3601);
    }
  });

  it('the token endpoint honours it: a code older than 60 s is invalid_grant', async () => {
    const fresh = await autoApprovedCode(m.url);
    await advance(55);
    try {
      await ok(await exchange(m.url, fresh.code, fresh.verifier)); // 55 s old: still good
    } finally {
      await advance(-55);
    }
    const stale = await autoApprovedCode(m.url);
    await advance(61);
    try {
      await expectError(await exchange(m.url, stale.code, stale.verifier), 400, {
        error: 'invalid_grant',
        error_description: 'The authorization code has expired or was already used.',
      });
    } finally {
      await advance(-61);
    }
  });

  it('refuses an advance that is not a whole number of seconds', async () => {
    const before = (await clock()).offset;
    const refused = { error: 'invalid_request', error_description: '"advance" must be a whole number of seconds, e.g. {"advance": 3600}.' };
    for (const value of ['abc', 1.5, null, 11 * 365 * 86_400, true])
      await expectError(await advance(value), 400, refused);
    await expectError(await postJson(`${m.url}/_mock/clock`, {}), 400, refused);
    // A form value is read as a number.
    const form = await postForm(`${m.url}/_mock/clock`, { advance: '5' });
    expect(((await form.json()) as ClockView).offset).toBe(before + 5);
    await advance(-5);
    expect((await clock()).offset).toBe(before);
  });
});

// =============================================================================================
describe('who may use the control API', () => {
  const ROUTES: [string, string, unknown?][] = [
    ['GET', '/_mock/faults'],
    ['POST', '/_mock/faults', { endpoint: 'discovery', status: 503 }],
    ['DELETE', '/_mock/faults/nope'],
    ['DELETE', '/_mock/faults'],
    ['GET', '/_mock/rate-limits'],
    ['DELETE', '/_mock/rate-limits'],
    ['GET', '/_mock/clock'],
    ['POST', '/_mock/clock', { advance: 0 }],
    ['POST', '/_mock/expire', { code: 'nope' }],
  ];
  // What each route answers an authorised caller (the last two are valid requests for things that do not exist).
  const AUTHORISED = [200, 201, 404, 200, 200, 204, 200, 200, 404];

  const call = (base: string, [method, path, body]: [string, string, unknown?], headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('without --control-token, a loopback client may use every route', async () => {
    const statuses = [];
    for (const route of ROUTES) statuses.push((await call(m.url, route)).status);
    expect(statuses).toEqual(AUTHORISED);
  });

  describe('with --control-token', () => {
    const TOKEN = 'ctl-7f3a9c2e41b8';
    let t: TestMock;
    beforeAll(async () => {
      t = await startTestMock({ controlToken: TOKEN });
    });
    afterAll(async () => {
      await t?.close();
      expect(t.logs).toEqual([]);
    });

    it.each([
      ['no Authorization header', {}],
      ['a wrong token', { Authorization: 'Bearer ctl-wrong' }],
      ['a longer token', { Authorization: `Bearer ${TOKEN}x` }],
      ['the token with another scheme', { Authorization: `Basic ${TOKEN}` }],
      ['a lower-case scheme', { Authorization: `bearer ${TOKEN}` }],
    ])('%s → 401 on every route, and nothing happens', async (_name, headers: Record<string, string>) => {
      for (const route of ROUTES) {
        const res = await call(t.url, route, headers);
        expect(res.status, `${route[0]} ${route[1]}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="glossia-mock control"');
        expect(await res.json()).toEqual({
          error: 'unauthorized',
          error_description: 'The control API needs Authorization: Bearer <control token>.',
        });
      }
      expect(t.mock.faults.list()).toEqual([]);
      expect((await fetch(`${t.url}/.well-known/oauth-authorization-server`)).status).toBe(200);
    });

    it('the right token → the route answers (even from loopback, the token is required)', async () => {
      const statuses = [];
      for (const route of ROUTES) statuses.push((await call(t.url, route, { Authorization: `Bearer ${TOKEN}` })).status);
      expect(statuses).toEqual(AUTHORISED);
      expect(t.mock.faults.list()).toEqual([]); // the rule added was cleared again by DELETE
    });

    it('the CLI flag sets it', async () => {
      expect((await parseArgs(['--control-token', TOKEN])).controlToken).toBe(TOKEN);
      expect((await parseArgs([])).controlToken).toBeNull();
    });
  });

  // A real non-loopback connection: the mock listens on this machine's own network address, and
  // the test connects to that address, so the server sees a non-loopback peer.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

  describe.skipIf(!external)('from a non-loopback address', () => {
    it('without a control token: 403 on every route, while Glossia’s own routes answer', async () => {
      const remote = await startTestMock({ host: external! });
      try {
        const base = `http://${external}:${new URL(remote.url).port}`;
        for (const route of ROUTES) {
          const res = await call(base, route);
          expect(res.status, `${route[0]} ${route[1]}`).toBe(403);
          expect(await res.json()).toEqual({
            error: 'forbidden',
            error_description: 'The control API answers loopback clients only; start the mock with --control-token to use it remotely.',
          });
        }
        expect(remote.mock.faults.list()).toEqual([]);
        expect(remote.mock.clock.offset()).toBe(0);
        expect((await fetch(`${base}/.well-known/oauth-authorization-server`)).status).toBe(200);
        // X-Forwarded-For cannot make a remote client look local.
        expect((await fetch(`${base}/_mock/faults`, { headers: { 'X-Forwarded-For': '127.0.0.1' } })).status).toBe(403);
        expect(remote.logs).toEqual([]);
      } finally {
        await remote.close();
      }
    });

    it('with a control token: the right token works remotely', async () => {
      const remote = await startTestMock({ host: external!, controlToken: 'remote-token' });
      try {
        const base = `http://${external}:${new URL(remote.url).port}`;
        expect((await fetch(`${base}/_mock/faults`)).status).toBe(401);
        expect((await fetch(`${base}/_mock/faults`, { headers: { Authorization: 'Bearer remote-token' } })).status).toBe(200);
      } finally {
        await remote.close();
      }
    });
  });
});
