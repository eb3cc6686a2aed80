// Error switches over real HTTP: fault rules set through /_mock/faults (and the per-request
// X-Glossia-Mock-Fault header), and exactly what a client sees at each endpoint when one fires —
// redirects or pages at /oauth/authorize, RFC 6749 JSON at the OAuth endpoints, the API's 401/403
// bodies and WWW-Authenticate headers, 429 with Retry-After, 5xx bodies, delays and dropped
// connections. Then how often rules fire (once, N, sticky, seeded probability), the filters, the
// control API, a real OAuth client library meeting the errors, and the CLI's --fail validation.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseFailFlag, type FaultRule } from '../src/faults/rules.js';
import { expectInvalidToken } from './helpers/api.js';
import { expectError, json } from './helpers/http.js';
import {
  authorizeUrl,
  autoApprovedCode,
  basic,
  DEMO,
  exchange,
  pkce,
  postForm,
  SPA,
  startTestMock,
  type TestMock,
} from './helpers/mock.js';
import { creds, demoClient, introspect, ok, refresh, revoke, spaClient, tokensFor, type Tokens } from './helpers/tokens.js';

const MOBILE = '6b7a2d2b-5f2a-4a57-9ea5-31a4d5b0c5f9';
const UNKNOWN_CLIENT = '00000000-0000-4000-8000-000000000000';
const BIN = new URL('../bin/glossia-mock.js', import.meta.url).pathname;
const RATE_LIMITED = { error: 'too_many_requests', error_description: 'Rate limit exceeded' };

let m: TestMock; // documented profile, auto-approving as dev
let prod: TestMock; // production profile, auto-approving as dev
let devTokens: Tokens; // user:read project:read, for the API

beforeAll(async () => {
  [m, prod] = await Promise.all([startTestMock({ autoApprove: 'dev' }), startTestMock({ profile: 'production', autoApprove: 'dev' })]);
  devTokens = await tokensFor(m, 'user:read project:read organization:read');
});
afterAll(async () => {
  await Promise.all([m?.close(), prod?.close()]);
});
afterEach(async () => {
  // Every test leaves the mocks without rules, and nothing may have crashed inside them.
  await Promise.all([clearFaults(m), clearFaults(prod)]);
  expect(m.logs).toEqual([]);
  expect(prod.logs).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// The control API, as a test or QA engineer drives it.

async function addFault(t: TestMock, spec: unknown): Promise<FaultRule> {
  const res = await fetch(`${t.url}/_mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body as FaultRule;
}

async function listFaults(t: TestMock): Promise<FaultRule[]> {
  const res = await fetch(`${t.url}/_mock/faults`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { faults: FaultRule[] }).faults;
}

async function clearFaults(t: TestMock | undefined): Promise<number> {
  if (!t) return 0;
  const res = await fetch(`${t.url}/_mock/faults`, { method: 'DELETE' });
  expect(res.status).toBe(200);
  return ((await res.json()) as { cleared: number }).cleared;
}

const firedOf = async (t: TestMock, id: string) => (await listFaults(t)).find((r) => r.id === id)?.fired;

// ---------------------------------------------------------------------------------------------
// One ordinary, valid request per endpoint: each answers 2xx/3xx while no rule fires.

type Endpoint = 'register' | 'authorize' | 'token' | 'revoke' | 'introspect' | 'device_authorization' | 'device' | 'discovery' | 'jwks' | 'api';

const STATE = 'st-Zx9_42';

function authorizeReq(t: TestMock, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return fetch(authorizeUrl(t.url, { challenge: pkce().challenge, state: STATE, scope: 'user:read', extra }), { redirect: 'manual', headers });
}

/** A code exchange for the demo client (with a code fetched now, unless one is given). */
async function tokenReq(t: TestMock, headers: Record<string, string> = {}, given?: { code: string; verifier: string }) {
  const { code, verifier } = given ?? (await autoApprovedCode(t.url));
  return postForm(`${t.url}/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: DEMO.redirectUri, ...creds(demoClient), code_verifier: verifier }, headers);
}

const REQUESTS: Record<Endpoint, (t: TestMock, headers?: Record<string, string>) => Promise<Response>> = {
  register: (t, headers = {}) =>
    fetch(`${t.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ client_name: 'Fault test', redirect_uris: [DEMO.redirectUri] }),
    }),
  authorize: (t, headers = {}) => authorizeReq(t, {}, headers),
  token: (t, headers = {}) => tokenReq(t, headers),
  revoke: (t, headers = {}) => postForm(`${t.url}/oauth/revoke`, creds(demoClient, { token: 'not-a-token' }), headers),
  introspect: (t, headers = {}) => postForm(`${t.url}/oauth/introspect`, creds(demoClient, { token: 'not-a-token' }), headers),
  device_authorization: (t, headers = {}) => postForm(`${t.url}/oauth/device_authorization`, { client_id: MOBILE, scope: 'user:read' }, headers),
  device: (t, headers = {}) => fetch(`${t.url}/oauth/device`, { redirect: 'manual', headers }),
  discovery: (t, headers = {}) => fetch(`${t.url}/.well-known/oauth-authorization-server`, { headers }),
  jwks: (t, headers = {}) => fetch(`${t.url}/.well-known/jwks.json`, { headers }),
  api: (t, headers = {}) => fetch(`${t.url}/api/projects`, { headers: { Authorization: `Bearer ${devTokens.access_token}`, ...headers } }),
};
const ENDPOINTS = Object.keys(REQUESTS) as Endpoint[];
const NORMAL: Record<Endpoint, number> = {
  register: 201,
  authorize: 302,
  token: 200,
  revoke: 200,
  introspect: 200,
  device_authorization: 200,
  device: 302,
  discovery: 200,
  jwks: 200,
  api: 200,
};

/** The endpoint answers as it does without faults. */
async function expectNormal(t: TestMock, endpoint: Endpoint) {
  const res = await REQUESTS[endpoint](t);
  expect(res.status, `${endpoint}: ${await res.clone().text()}`).toBe(NORMAL[endpoint]);
  if (endpoint === 'authorize') expect(new URL(res.headers.get('location')!).searchParams.has('code')).toBe(true);
  return res;
}

async function expectJson429(res: Response, retryAfter = '60') {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(retryAfter);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await res.json()).toEqual(RATE_LIMITED);
}

async function expectText429(res: Response, retryAfter = '60') {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(retryAfter);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(res.headers.get('location')).toBeNull();
  expect(await res.text()).toBe('Rate limit exceeded');
}

/** An HTML error page (no redirect) showing this status and error code. */
async function expectErrorPage(res: Response, status: number, error: string, text?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await res.text();
  expect(html).toContain(`<code>${error}</code>`);
  expect(html).toContain(`HTTP status ${status}`);
  if (text) expect(html).toContain(text);
}

function callback(res: Response): URL {
  expect(res.status, `expected a redirect, got ${res.status}`).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(DEMO.redirectUri);
  return location;
}

const DESCRIPTIONS = {
  access_denied: 'The user denied the authorization request.',
  invalid_request: 'The request is missing a required parameter, or is otherwise malformed.',
  invalid_scope: 'Given scopes are unknown or unauthorized.',
  invalid_client: 'Invalid client_id or client_secret.',
  invalid_grant: 'Given authorization code is invalid, revoked, or expired.',
  unauthorized_client: 'Client do not support given grant type.',
  unsupported_grant_type: 'Client do not support given grant type.',
  unsupported_response_type: 'The authorization server does not support this response type.',
  server_error: 'The authorization server encountered an unexpected condition.',
  temporarily_unavailable: 'The authorization server is temporarily unable to handle the request.',
  invalid_client_metadata: 'The client metadata is invalid.',
  invalid_redirect_uri: 'A redirect URI is invalid.',
  authorization_pending: 'User has not completed device authorization yet.',
  slow_down: 'Slow down your polling frequency.',
  expired_token: 'Device code has expired.',
} as const;

// =============================================================================================
describe('1. what a client sees when a rule fires', () => {
  describe('/oauth/authorize', () => {
    it.each([
      'access_denied',
      'invalid_request',
      'invalid_scope',
      'unsupported_response_type',
      'unauthorized_client',
      'server_error',
      'temporarily_unavailable',
    ] as const)('%s: a redirect to the client with error, error_description and state', async (error) => {
      await addFault(m, { endpoint: 'authorize', error });
      const location = callback(await authorizeReq(m));
      expect([...location.searchParams]).toEqual([
        ['error', error],
        ['error_description', DESCRIPTIONS[error]],
        ['state', STATE],
      ]);
    });

    it('is the same redirect the real check gives (invalid_scope), and a description can be set', async () => {
      const real = callback(await fetch(authorizeUrl(m.url, { challenge: pkce().challenge, state: STATE, scope: 'no_such:scope' }), { redirect: 'manual' }));
      await addFault(m, { endpoint: 'authorize', error: 'invalid_scope', times: 1 });
      const forced = callback(await authorizeReq(m));
      expect(forced.href).toBe(real.href);

      await addFault(m, { endpoint: 'authorize', error: 'access_denied', description: 'Nope, not today.', times: 1 });
      expect(callback(await authorizeReq(m)).searchParams.get('error_description')).toBe('Nope, not today.');
      // Without a state, no state comes back.
      await addFault(m, { endpoint: 'authorize', error: 'access_denied', times: 1 });
      const res = await fetch(authorizeUrl(m.url, { challenge: pkce().challenge }), { redirect: 'manual' });
      expect([...callback(res).searchParams.keys()]).toEqual(['error', 'error_description']);
    });

    it('an unknown client or unregistered redirect URI gets an HTML page, never a redirect', async () => {
      await addFault(m, { endpoint: 'authorize', error: 'access_denied' });
      const unknown = await fetch(authorizeUrl(m.url, { challenge: pkce().challenge, state: STATE, clientId: UNKNOWN_CLIENT }), { redirect: 'manual' });
      await expectErrorPage(unknown, 400, 'access_denied', DESCRIPTIONS.access_denied);
      const elsewhere = await fetch(authorizeUrl(m.url, { challenge: pkce().challenge, state: STATE, redirectUri: 'https://evil.example/cb' }), { redirect: 'manual' });
      await expectErrorPage(elsewhere, 400, 'access_denied');
      const garbage = await fetch(`${m.url}/oauth/authorize?client_id=nope`, { redirect: 'manual' });
      await expectErrorPage(garbage, 400, 'access_denied');
    });

    it('also on the consent POST', async () => {
      await addFault(m, { endpoint: 'authorize', error: 'access_denied', times: 1 });
      const { challenge } = pkce();
      const res = await fetch(`${m.url}/oauth/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ response_type: 'code', client_id: DEMO.clientId, redirect_uri: DEMO.redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: STATE }),
        redirect: 'manual',
      });
      expect(callback(res).searchParams.get('state')).toBe(STATE);
    });

    it('production profile: JSON on Glossia’s own URL, nothing redirected', async () => {
      await addFault(prod, { endpoint: 'authorize', error: 'access_denied' });
      const res = await authorizeReq(prod);
      expect(res.headers.get('location')).toBeNull();
      await expectError(res, 400, { error: 'access_denied', error_description: DESCRIPTIONS.access_denied });
      // …also when the client is unknown, as the production profile's own invalid_client error is.
      const unknown = await fetch(authorizeUrl(prod.url, { challenge: pkce().challenge, state: STATE, clientId: UNKNOWN_CLIENT }), { redirect: 'manual' });
      await expectError(unknown, 400, { error: 'access_denied', error_description: DESCRIPTIONS.access_denied });
      await clearFaults(prod);
      const real = await fetch(authorizeUrl(prod.url, { challenge: pkce().challenge, state: STATE, clientId: UNKNOWN_CLIENT }), { redirect: 'manual' });
      await expectError(real, 401, { error: 'invalid_client', error_description: 'Invalid client_id or redirect_uri.' });
    });

    it('429: plain-text "Rate limit exceeded" with Retry-After (for a status and for the code)', async () => {
      await addFault(m, { endpoint: 'authorize', status: 429, times: 1 });
      await expectText429(await authorizeReq(m));
      await addFault(m, { endpoint: 'authorize', status: 429, retry_after: 9, times: 1 });
      await expectText429(await authorizeReq(m), '9');
      await addFault(m, { endpoint: 'authorize', error: 'too_many_requests', times: 1 });
      await expectText429(await authorizeReq(m));
    });

    it.each([
      [500, 'Internal Server Error'],
      [502, 'Bad Gateway'],
      [503, 'Service Unavailable'],
    ])('%i: an error page', async (status, reason) => {
      await addFault(m, { endpoint: 'authorize', status });
      await expectErrorPage(await authorizeReq(m), status, 'server_error', `${status} ${reason}`);
    });
  });

  describe('the device verification page', () => {
    it('an error code: an HTML page; 429: plain text; 5xx: a page', async () => {
      await addFault(m, { endpoint: 'device', error: 'access_denied', times: 1 });
      await expectErrorPage(await REQUESTS.device(m), 400, 'access_denied', DESCRIPTIONS.access_denied);
      await addFault(m, { endpoint: 'device', status: 429, times: 1 });
      await expectText429(await REQUESTS.device(m));
      await addFault(m, { endpoint: 'device', error: 'too_many_requests', retry_after: 3, times: 1 });
      await expectText429(await REQUESTS.device(m), '3');
      await addFault(m, { endpoint: 'device', status: 502, times: 1 });
      await expectErrorPage(await REQUESTS.device(m), 502, 'server_error', '502 Bad Gateway');
      // The confirm form is the same endpoint.
      await addFault(m, { endpoint: 'device', status: 429, times: 1 });
      await expectText429(await postForm(`${m.url}/oauth/device/confirm`, { user_code: 'ABCD-EFGH' }));
      await expectNormal(m, 'device');
    });
  });

  describe('the JSON OAuth endpoints', () => {
    const CASES: [string, number][] = [
      ['invalid_request', 400],
      ['invalid_client', 401],
      ['invalid_grant', 400],
      ['unauthorized_client', 400],
      ['unsupported_grant_type', 400],
      ['invalid_scope', 400],
      ['invalid_client_metadata', 400],
      ['invalid_redirect_uri', 400],
      ['authorization_pending', 400],
      ['slow_down', 400],
      ['expired_token', 400],
      ['access_denied', 400],
      ['server_error', 500],
    ];
    const JSON_ENDPOINTS = ['register', 'token', 'revoke', 'introspect', 'device_authorization'] as const;

    it.each(JSON_ENDPOINTS)('%s: {"error","error_description"} with the status per code (invalid_client 401)', async (endpoint) => {
      for (const [error, status] of CASES) {
        await addFault(m, { endpoint, error, times: 1 });
        const res = await REQUESTS[endpoint](m);
        // The token request here is a code exchange: invalid_grant then reads as a bad code.
        const description =
          endpoint === 'token' && error === 'invalid_grant' ? 'The authorization code has expired or was already used.' : DESCRIPTIONS[error as keyof typeof DESCRIPTIONS];
        await expectError(res, status, { error, error_description: description });
        expect(res.headers.get('retry-after'), error).toBeNull();
      }
      await addFault(m, { endpoint, error: 'temporarily_unavailable', times: 1 });
      const unavailable = await REQUESTS[endpoint](m);
      expect(unavailable.headers.get('retry-after')).toBe('60');
      await expectError(unavailable, 503, { error: 'temporarily_unavailable', error_description: DESCRIPTIONS.temporarily_unavailable });
      // A code this mock has no description for, an explicit status and description.
      await addFault(m, { endpoint, error: 'custom_failure', times: 1 });
      await expectError(await REQUESTS[endpoint](m), 400, { error: 'custom_failure', error_description: 'Forced custom_failure (glossia-mock fault rule).' });
      await addFault(m, { endpoint, error: 'invalid_grant', status: 409, description: 'Conflict!', times: 1 });
      await expectError(await REQUESTS[endpoint](m), 409, { error: 'invalid_grant', error_description: 'Conflict!' });
      await expectNormal(m, endpoint);
    });

    it('token: invalid_grant is described as Glossia describes it for the grant type (and profile)', async () => {
      // authorization_code: exactly what a replayed code gets.
      const { code, verifier } = await autoApprovedCode(m.url);
      await ok(await exchange(m.url, code, verifier));
      const replay = await exchange(m.url, code, verifier);
      const realBody = await json(replay);
      await addFault(m, { endpoint: 'token', error: 'invalid_grant' });
      const forced = await tokenReq(m);
      expect({ status: forced.status, body: await json(forced) }).toEqual({ status: replay.status, body: realBody });

      // refresh_token: the refresh-token wording.
      await expectError(await refresh(m, devTokens.refresh_token), 400, {
        error: 'invalid_grant',
        error_description: 'Given refresh token is invalid, revoked, or expired.',
      });
      // production profile: boruta's wording for codes.
      await addFault(prod, { endpoint: 'token', error: 'invalid_grant' });
      await expectError(await tokenReq(prod), 400, { error: 'invalid_grant', error_description: 'Given authorization code is invalid, revoked, or expired.' });
    });

    it.each(['register', 'token', 'revoke', 'introspect', 'device_authorization', 'discovery', 'jwks'] as const)(
      '%s: 429 JSON with Retry-After; 500/502/503 framework bodies',
      async (endpoint) => {
        await addFault(m, { endpoint, status: 429, times: 1 });
        await expectJson429(await REQUESTS[endpoint](m));
        await addFault(m, { endpoint, error: 'too_many_requests', retry_after: 12, times: 1 });
        await expectJson429(await REQUESTS[endpoint](m), '12');
        for (const [status, detail] of [
          [500, 'Internal Server Error'],
          [502, 'Bad Gateway'],
          [503, 'Service Unavailable'],
        ] as const) {
          await addFault(m, { endpoint, status, times: 1 });
          const res = await REQUESTS[endpoint](m);
          expect(res.status).toBe(status);
          expect(res.headers.get('content-type')).toMatch(/^application\/json/);
          expect(res.headers.get('retry-after')).toBe(status === 503 ? '60' : null);
          expect(await res.json()).toEqual({ errors: { detail } });
        }
        await expectNormal(m, endpoint);
      },
    );

    it('discovery and jwks: an error code gives an OAuth JSON error', async () => {
      await addFault(m, { endpoint: 'discovery', error: 'server_error', times: 1 });
      await expectError(await REQUESTS.discovery(m), 500, { error: 'server_error', error_description: DESCRIPTIONS.server_error });
      await addFault(m, { endpoint: 'jwks', error: 'temporarily_unavailable', times: 1 });
      const res = await REQUESTS.jwks(m);
      expect(res.headers.get('retry-after')).toBe('60');
      await expectError(res, 503, { error: 'temporarily_unavailable', error_description: DESCRIPTIONS.temporarily_unavailable });
      // The protected-resource document is discovery too.
      await addFault(m, { endpoint: 'discovery', status: 503, times: 1 });
      expect((await fetch(`${m.url}/.well-known/oauth-protected-resource`)).status).toBe(503);
    });
  });

  describe('the API', () => {
    const get = (path: string, token = devTokens.access_token) => fetch(`${m.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

    it('invalid_token: 401 with WWW-Authenticate: Bearer, the same answer as for a revoked token', async () => {
      await addFault(m, { endpoint: 'api', error: 'invalid_token', times: 1 });
      await expectInvalidToken(await get('/api/projects'));
      await expectInvalidToken(await get('/api/projects', 'no-such-token'));
    });

    it('insufficient_scope: 403 naming the route’s own scope, as the real scope check does', async () => {
      // The real check, with a token that only has user:read.
      const narrow = await tokensFor(m, 'user:read');
      const real = await get('/api/projects', narrow.access_token);
      const realHeaders = { status: real.status, wwwAuthenticate: real.headers.get('www-authenticate'), body: await real.text() };
      expect(realHeaders).toEqual({
        status: 403,
        wwwAuthenticate: 'Bearer error="insufficient_scope", scope="project:read"',
        body: '{"error":"insufficient_scope","required_scope":"project:read"}',
      });
      await addFault(m, { endpoint: 'api', error: 'insufficient_scope' });
      const forced = await get('/api/projects');
      expect({ status: forced.status, wwwAuthenticate: forced.headers.get('www-authenticate'), body: await forced.text() }).toEqual(realHeaders);

      const scopeOf = async (method: string, path: string) => {
        const res = await fetch(`${m.url}${path}`, {
          method,
          headers: { Authorization: `Bearer ${devTokens.access_token}`, 'content-type': 'application/json' },
          body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
        });
        expect(res.status).toBe(403);
        const body = (await res.json()) as { required_scope: string };
        expect(res.headers.get('www-authenticate')).toBe(`Bearer error="insufficient_scope", scope="${body.required_scope}"`);
        return body.required_scope;
      };
      expect(await scopeOf('GET', '/api/acme/projects')).toBe('project:read');
      expect(await scopeOf('POST', '/api/acme/projects')).toBe('project:write');
      expect(await scopeOf('GET', '/api/organizations')).toBe('organization:read');
      expect(await scopeOf('DELETE', '/api/organizations/acme')).toBe('organization:delete');
      expect(await scopeOf('GET', '/api/organizations/acme/members')).toBe('members:read');
      expect(await scopeOf('POST', '/api/acme/voice')).toBe('voice:write');
      expect(await scopeOf('GET', '/api/acme/voice')).toBe('voice:read');
      expect(await scopeOf('GET', '/api/acme/glossary/history')).toBe('glossary:read');
    });

    it('not_authorized: 403 {"error":"not_authorized"} as the policy check gives; unauthorized: 401 without WWW-Authenticate', async () => {
      // maria is a linguist at acme, not an admin: creating a project there is refused by policy.
      const maria = await tokensFor(m, 'project:write', { user: 'maria' });
      const real = await fetch(`${m.url}/api/acme/projects`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${maria.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ project_handle: 'nope', name: 'Nope' }),
      });
      expect(real.status).toBe(403);
      const realBody = await real.text();
      expect(realBody).toBe('{"error":"not_authorized"}');

      await addFault(m, { endpoint: 'api', error: 'not_authorized', times: 1 });
      const forced = await get('/api/projects');
      expect(forced.status).toBe(403);
      expect(forced.headers.get('www-authenticate')).toBeNull();
      expect(await forced.text()).toBe(realBody);

      await addFault(m, { endpoint: 'api', error: 'unauthorized', times: 1 });
      const unauthorized = await get('/api/projects');
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.headers.get('www-authenticate')).toBeNull();
      expect(await unauthorized.text()).toBe('{"error":"unauthorized"}');
    });

    it('429 (status or code) with Retry-After; 500/502/503', async () => {
      await addFault(m, { endpoint: 'api', status: 429, times: 1 });
      await expectJson429(await get('/api/projects'));
      await addFault(m, { endpoint: 'api', error: 'too_many_requests', retry_after: 30, times: 1 });
      await expectJson429(await get('/api/projects'), '30');
      for (const [status, detail] of [
        [500, 'Internal Server Error'],
        [502, 'Bad Gateway'],
        [503, 'Service Unavailable'],
      ] as const) {
        await addFault(m, { endpoint: 'api', status, times: 1 });
        const res = await get('/api/projects');
        expect(res.status).toBe(status);
        expect(res.headers.get('retry-after')).toBe(status === 503 ? '60' : null);
        expect(await res.json()).toEqual({ errors: { detail } });
      }
      await expectNormal(m, 'api');
    });
  });

  describe('delay_ms and drop', () => {
    it('delay_ms alone: the request proceeds normally, at least that much later', async () => {
      const DELAY = 150;
      for (const endpoint of ['token', 'api', 'authorize', 'discovery'] as const) await addFault(m, { endpoint, delay_ms: DELAY });
      const timed = async (endpoint: Endpoint) => {
        const start = performance.now();
        const res = await expectNormal(m, endpoint);
        await res.arrayBuffer();
        return performance.now() - start;
      };
      // Concurrently: the delays overlap, and each one is still at least DELAY.
      const times = await Promise.all((['token', 'api', 'authorize', 'discovery'] as const).map(timed));
      for (const t of times) expect(t).toBeGreaterThanOrEqual(DELAY - 5);
    });

    it('delay_ms with an error: the error, after the delay', async () => {
      await addFault(m, { endpoint: 'api', status: 503, delay_ms: 150, times: 1 });
      const start = performance.now();
      const res = await REQUESTS.api(m);
      expect(res.status).toBe(503);
      expect(performance.now() - start).toBeGreaterThanOrEqual(145);
    });

    it.each(ENDPOINTS)('drop at %s: the connection closes without an answer, then service resumes', async (endpoint) => {
      const rule = await addFault(m, { endpoint, drop: true, times: 1 });
      await expect(REQUESTS[endpoint](m)).rejects.toThrow(TypeError);
      expect(await firedOf(m, rule.id)).toBe(1);
      await expectNormal(m, endpoint);
    });
  });
});

// =============================================================================================
describe('2. how often rules fire, filters, and the control API', () => {
  it('once: the first matching request only', async () => {
    const rule = await addFault(m, { endpoint: 'token', error: 'invalid_grant', times: 1 });
    expect(rule).toMatchObject({ endpoint: 'token', error: 'invalid_grant', times: 1, fired: 0 });
    expect(rule.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(rule.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect((await tokenReq(m)).status).toBe(400);
    expect((await tokenReq(m)).status).toBe(200);
    expect(await listFaults(m)).toEqual([{ ...rule, fired: 1 }]);
  });

  it('N times: exactly N matching requests', async () => {
    const rule = await addFault(m, { endpoint: 'introspect', error: 'invalid_client', times: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await REQUESTS.introspect(m)).status);
    expect(statuses).toEqual([401, 401, 401, 200, 200]);
    expect(await firedOf(m, rule.id)).toBe(3);
  });

  it('sticky: until cleared, then DELETE /_mock/faults/:id restores the normal flow', async () => {
    const rule = await addFault(m, { endpoint: 'revoke', error: 'invalid_client', times: null });
    for (let i = 0; i < 6; i++) expect((await REQUESTS.revoke(m)).status).toBe(401);
    expect(await firedOf(m, rule.id)).toBe(6);
    const del = await fetch(`${m.url}/_mock/faults/${rule.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    await expectNormal(m, 'revoke');
    expect(await listFaults(m)).toEqual([]);
    const again = await fetch(`${m.url}/_mock/faults/${rule.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ error: 'not_found', error_description: `No fault rule with id "${rule.id}".` });
  });

  it('DELETE /_mock/faults clears every rule and every endpoint answers normally again', async () => {
    const code = await autoApprovedCode(m.url); // the token request needs one, and authorize will fail
    for (const endpoint of ENDPOINTS) await addFault(m, { endpoint, status: 503 });
    for (const endpoint of ENDPOINTS)
      expect((await (endpoint === 'token' ? tokenReq(m, {}, code) : REQUESTS[endpoint](m))).status, endpoint).toBe(503);
    expect(await clearFaults(m)).toBe(ENDPOINTS.length);
    expect(await listFaults(m)).toEqual([]);
    for (const endpoint of ENDPOINTS) await expectNormal(m, endpoint);
    expect(await clearFaults(m)).toBe(0);
  });

  it('rules given at start-up (config.faults, what --fail produces) are live and listed', async () => {
    const started = await startTestMock({
      faults: [parseFailFlag('discovery=503:once'), parseFailFlag('token[grant_type=refresh_token]=invalid_grant:2')],
    });
    try {
      const rules = await listFaults(started);
      expect(rules.map(({ id: _id, created_at: _at, ...rest }) => rest)).toEqual([
        { endpoint: 'discovery', status: 503, times: 1, fired: 0 },
        { endpoint: 'token', grant_type: 'refresh_token', error: 'invalid_grant', times: 2, fired: 0 },
      ]);
      expect((await REQUESTS.discovery(started)).status).toBe(503);
      await expectNormal(started, 'discovery');
      expect((await listFaults(started)).map((r) => r.fired)).toEqual([1, 0]);
      expect(started.logs).toEqual([]);
    } finally {
      await started.close();
    }
  });

  it('the first live matching rule fires; exhausted rules step aside', async () => {
    const a = await addFault(m, { endpoint: 'discovery', status: 500, times: 1 });
    const b = await addFault(m, { endpoint: 'discovery', status: 502, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await REQUESTS.discovery(m)).status);
    expect(statuses).toEqual([500, 502, 502, 200]);
    expect((await listFaults(m)).map((r) => [r.id, r.fired])).toEqual([
      [a.id, 1],
      [b.id, 2],
    ]);
  });

  describe('seeded probability', () => {
    /** Which of 40 discovery requests failed, on a fresh mock with this rule. */
    async function sequence(spec: Record<string, unknown>): Promise<{ seq: string; fired: number }> {
      const fresh = await startTestMock();
      try {
        const rule = await addFault(fresh, { endpoint: 'discovery', status: 503, ...spec });
        let seq = '';
        for (let i = 0; i < 40; i++) {
          const res = await REQUESTS.discovery(fresh);
          await res.arrayBuffer();
          expect([200, 503]).toContain(res.status);
          seq += res.status === 503 ? '1' : '0';
        }
        const fired = (await firedOf(fresh, rule.id))!;
        expect(fresh.logs).toEqual([]);
        return { seq, fired };
      } finally {
        await fresh.close();
      }
    }

    it('the same seed gives the same sequence across two fresh mocks; another seed another', async () => {
      const [a, b, c] = await Promise.all([
        sequence({ probability: 0.5, seed: 7 }),
        sequence({ probability: 0.5, seed: 7 }),
        sequence({ probability: 0.5, seed: 8 }),
      ]);
      expect(a.seq).toBe(b.seq);
      expect(a.seq).toMatch(/0/);
      expect(a.seq).toMatch(/1/);
      expect(c.seq).not.toBe(a.seq);
      // fired counts only the requests that failed.
      expect(a.fired).toBe(a.seq.split('').filter((x) => x === '1').length);
      // Roughly half (p=0.5 over 40 draws of a fixed, known sequence).
      expect(a.fired).toBeGreaterThan(8);
      expect(a.fired).toBeLessThan(32);
    });

    it('probability composes with times; p=1 always fires', async () => {
      const limited = await sequence({ probability: 0.5, seed: 7, times: 3 });
      expect(limited.fired).toBe(3);
      expect(limited.seq.replace(/0/g, '')).toBe('111');
      const always = await sequence({ probability: 1, seed: 7 });
      expect(always.seq).toBe('1'.repeat(40));
    });
  });

  describe('filters select only matching requests', () => {
    it('client_id (from the body, or the Basic header)', async () => {
      const rule = await addFault(m, { endpoint: 'token', client_id: SPA.clientId, error: 'invalid_grant' });
      await tokensFor(m); // the demo client is untouched
      const { code, verifier } = await autoApprovedCode(m.url, { clientId: SPA.clientId, redirectUri: SPA.redirectUri });
      const res = await postForm(`${m.url}/oauth/token`, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: SPA.redirectUri,
        client_id: SPA.clientId,
        code_verifier: verifier,
      });
      expect((await json(res)) as object).toMatchObject({ error: 'invalid_grant' });
      expect(await firedOf(m, rule.id)).toBe(1);

      await clearFaults(m);
      await addFault(m, { endpoint: 'token', client_id: DEMO.clientId, grant_type: 'refresh_token', error: 'invalid_client' });
      const viaBasic = await postForm(
        `${m.url}/oauth/token`,
        { grant_type: 'refresh_token', refresh_token: devTokens.refresh_token },
        { Authorization: basic(DEMO.clientId, DEMO.secret) },
      );
      expect(viaBasic.status).toBe(401);
      const spa = await tokensFor(m, 'user:read', { client: spaClient });
      await ok(await postForm(`${m.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: spa.refresh_token, client_id: SPA.clientId }));
    });

    it('user, at /oauth/authorize via login_hint', async () => {
      const rule = await addFault(m, { endpoint: 'authorize', user: 'maria', error: 'access_denied' });
      expect(callback(await authorizeReq(m, { login_hint: 'maria' })).searchParams.get('error')).toBe('access_denied');
      expect(callback(await authorizeReq(m, { login_hint: 'alex' })).searchParams.has('code')).toBe(true);
      expect(callback(await authorizeReq(m)).searchParams.has('code')).toBe(true); // auto-approved as dev
      expect(await firedOf(m, rule.id)).toBe(1);
    });

    it('user, at the API and the token endpoint via the token’s (or code’s) user', async () => {
      const maria = await tokensFor(m, 'user:read project:read', { user: 'maria' });
      await addFault(m, { endpoint: 'api', user: 'maria', status: 503 });
      expect((await fetch(`${m.url}/api/projects`, { headers: { Authorization: `Bearer ${maria.access_token}` } })).status).toBe(503);
      await expectNormal(m, 'api'); // dev
      expect((await fetch(`${m.url}/api/projects`)).status).toBe(401); // no token, no user

      await addFault(m, { endpoint: 'token', user: 'maria', error: 'invalid_grant' });
      expect((await refresh(m, maria.refresh_token)).status).toBe(400);
      const { code, verifier } = await autoApprovedCode(m.url, { extra: { login_hint: 'maria' } });
      expect((await exchange(m.url, code, verifier)).status).toBe(400);
      await ok(await refresh(m, devTokens.refresh_token).then(async (res) => {
        devTokens = (await res.clone().json()) as Tokens;
        return res;
      }));

      await addFault(m, { endpoint: 'introspect', user: 'maria', error: 'invalid_request' });
      expect((await introspect(m, maria.access_token)).status).toBe(400);
      expect((await introspect(m, devTokens.access_token)).status).toBe(200);
      await addFault(m, { endpoint: 'revoke', user: 'maria', error: 'invalid_request' });
      expect((await revoke(m, { token: maria.refresh_token })).status).toBe(400);
      expect((await revoke(m, { token: 'unknown' })).status).toBe(200);
    });

    it('grant_type: the code exchange passes, the refresh fails', async () => {
      const rule = await addFault(m, { endpoint: 'token', grant_type: 'refresh_token', error: 'invalid_grant' });
      const tokens = await tokensFor(m);
      await expectError(await refresh(m, tokens.refresh_token), 400, {
        error: 'invalid_grant',
        error_description: 'Given refresh token is invalid, revoked, or expired.',
      });
      expect(await firedOf(m, rule.id)).toBe(1);
      await clearFaults(m);
      await ok(await refresh(m, tokens.refresh_token)); // the forced failure did not use the token up
    });

    it('API path pattern /api/*/projects', async () => {
      const rule = await addFault(m, { endpoint: 'api', path: '/api/*/projects', status: 503 });
      const get = (path: string) => fetch(`${m.url}${path}`, { headers: { Authorization: `Bearer ${devTokens.access_token}` } });
      expect((await get('/api/acme/projects')).status).toBe(503);
      expect((await get('/api/dev/projects')).status).toBe(503);
      expect((await get('/api/projects')).status).toBe(200);
      expect((await get('/api/organizations')).status).toBe(200);
      expect((await get('/api/acme/projects?page=2')).status).toBe(503); // the query is not part of the path
      expect(await firedOf(m, rule.id)).toBe(3);
    });

    it('the documented combination api[path=/api/*/projects,user=maria]', async () => {
      const maria = await tokensFor(m, 'user:read project:read', { user: 'maria' });
      await addFault(m, { endpoint: 'api', path: '/api/*/projects', user: 'maria', status: 503 });
      const get = (path: string, token: string) => fetch(`${m.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      expect((await get('/api/acme/projects', maria.access_token)).status).toBe(503);
      expect((await get('/api/acme/projects', devTokens.access_token)).status).toBe(200);
      expect((await get('/api/projects', maria.access_token)).status).toBe(200);
    });
  });

  describe('POST /_mock/faults validation', () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${m.url}/_mock/faults`, { method: 'POST', headers: { 'content-type': type }, body });

    it.each<[unknown, string]>([
      [{ endpoint: 'nope', error: 'x' }, '"endpoint" must be one of: register, authorize, token, revoke, introspect, device_authorization, device, discovery, jwks, api, mcp.'],
      [{ endpoint: 'token' }, 'A fault rule needs "error", "status", "delay_ms" or "drop".'],
      [{ endpoint: 'token', error: 'invalid_grant', colour: 'red' }, 'Unknown field "colour" in fault rule.'],
      [{ endpoint: 'token', drop: true, status: 500 }, '"drop" cannot be combined with "error" or "status".'],
      [{ endpoint: 'token', path: '/api/x', status: 500 }, '"path" applies to endpoint "api" and starts with "/", e.g. "/api/*/projects".'],
      [{ endpoint: 'api', status: 200 }, '"status" must be a whole number from 400 to 599.'],
      [{ endpoint: 'api', status: 503, probability: 1.5 }, '"probability" must be a number above 0 and at most 1.'],
      [{ endpoint: 'api', status: 503, times: 0 }, '"times" must be a whole number from 1 to 1000000.'],
      [{ endpoint: 'api', error: 'Not A Code' }, '"error" must be an error code such as "invalid_grant".'],
      [[{ endpoint: 'api', status: 503 }, 'token=invalid_grant'], 'A fault rule is a JSON object.'],
      [[{ endpoint: 'api', status: 503 }, { endpoint: 'api' }], 'A fault rule needs "error", "status", "delay_ms" or "drop".'],
    ])('%j → 400', async (body, description) => {
      const res = await post(JSON.stringify(body));
      await expectError(res, 400, { error: 'invalid_request', error_description: description });
      expect(await listFaults(m)).toEqual([]); // nothing was added, not even the valid half of a batch
    });

    it('a body that is not a JSON object or array → 400 JSON', async () => {
      for (const body of ['{nope', '"token=invalid_grant"', 'null']) {
        const res = await post(body);
        await expectError(res, 400, { error: 'invalid_request', error_description: 'The request body could not be parsed; send a JSON object or a form.' });
      }
      expect(await listFaults(m)).toEqual([]);
    });

    it('an array adds several rules at once', async () => {
      const res = await post(JSON.stringify([{ endpoint: 'api', status: 503 }, { endpoint: 'token', error: 'invalid_grant', times: 2 }]));
      expect(res.status).toBe(201);
      const { faults } = (await res.json()) as { faults: FaultRule[] };
      expect(faults.map((f) => [f.endpoint, f.fired])).toEqual([
        ['api', 0],
        ['token', 0],
      ]);
      expect(await listFaults(m)).toEqual(faults);
    });
  });

  describe('X-Glossia-Mock-Fault: one request only', () => {
    const H = 'X-Glossia-Mock-Fault';

    it('forces the error on the request that carries it, and nothing after', async () => {
      const { code, verifier } = await autoApprovedCode(m.url);
      const form = { grant_type: 'authorization_code', code, redirect_uri: DEMO.redirectUri, ...creds(demoClient), code_verifier: verifier };
      const forced = await postForm(`${m.url}/oauth/token`, form, { [H]: 'invalid_grant' });
      await expectError(forced, 400, { error: 'invalid_grant', error_description: 'The authorization code has expired or was already used.' });
      // The same code still works: the forced failure never reached the handler.
      await ok(await postForm(`${m.url}/oauth/token`, form));
      expect(await listFaults(m)).toEqual([]);

      await expectJson429(await REQUESTS.api(m, { [H]: '429' }));
      await expectNormal(m, 'api');
      const location = callback(await authorizeReq(m, {}, { [H]: 'access_denied' }));
      expect(location.searchParams.get('error')).toBe('access_denied');
      expect(location.searchParams.get('state')).toBe(STATE);
      await expectNormal(m, 'authorize');
    });

    it('delay=…, drop and retry_after work too; /up and the control API ignore it', async () => {
      await (await expectNormal(m, 'discovery')).arrayBuffer();
      const start = performance.now();
      const res = await REQUESTS.discovery(m, { [H]: 'delay=150' });
      expect(res.status).toBe(200);
      expect(performance.now() - start).toBeGreaterThanOrEqual(145);
      await expect(REQUESTS.jwks(m, { [H]: 'drop' })).rejects.toThrow(TypeError);
      await expectNormal(m, 'jwks');
      await expectJson429(await REQUESTS.register(m, { [H]: '429:retry_after=4' }), '4');
      expect((await fetch(`${m.url}/up`, { headers: { [H]: '500' } })).status).toBe(200);
      expect((await fetch(`${m.url}/_mock/faults`, { headers: { [H]: '500' } })).status).toBe(200);
    });

    it('takes precedence over rules without consuming them', async () => {
      const rule = await addFault(m, { endpoint: 'api', status: 502, times: 1 });
      expect((await REQUESTS.api(m, { [H]: '503' })).status).toBe(503);
      expect(await firedOf(m, rule.id)).toBe(0);
      expect((await REQUESTS.api(m)).status).toBe(502);
      expect(await firedOf(m, rule.id)).toBe(1);
    });

    it('an unreadable value → 400 invalid_request naming the header', async () => {
      const res = await REQUESTS.introspect(m, { [H]: 'nonsense:twice' });
      await expectError(res, 400, {
        error: 'invalid_request',
        error_description: 'X-Glossia-Mock-Fault: --fail "introspect=nonsense:twice": "twice" is not once, sticky, a count, p=…, seed=…, delay=… or retry_after=…',
      });
    });
  });
});

// =============================================================================================
describe('3. a real OAuth client library (oauth4webapi) meets the forced errors', () => {
  const REDIRECT_URI = 'http://127.0.0.1:4999/cb';
  const insecure = { [oauth.allowInsecureRequests]: true } as const;
  let as: oauth.AuthorizationServer;
  let client: oauth.Client;
  let auth: oauth.ClientAuth;

  beforeAll(async () => {
    const issuer = new URL(m.issuer);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oauth2' }));
    client = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(as, { client_name: 'fault test', redirect_uris: [REDIRECT_URI] }, insecure),
    );
    auth = oauth.ClientSecretPost(client.client_secret as string);
  });

  async function authorize() {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      scope: 'user:read project:read',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }))
      url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return { verifier, state, location: new URL(res.headers.get('location')!) };
  }

  async function tokens() {
    const { verifier, state, location } = await authorize();
    const params = oauth.validateAuthResponse(as, client, location, state);
    return oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT_URI, verifier, insecure),
    );
  }

  it('access_denied at the callback: validateAuthResponse throws it, after checking the state', async () => {
    await addFault(m, { endpoint: 'authorize', error: 'access_denied', times: 1 });
    const { state, location } = await authorize();
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    // The state is checked first: a callback with another state is refused as such.
    expect(() => oauth.validateAuthResponse(as, client, location, 'another-state')).toThrow(expect.objectContaining({ code: oauth.INVALID_RESPONSE }));
    let caught: unknown;
    try {
      oauth.validateAuthResponse(as, client, location, state);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(oauth.AuthorizationResponseError);
    expect(caught).toMatchObject({
      code: oauth.AUTHORIZATION_RESPONSE_ERROR,
      error: 'access_denied',
      error_description: 'The user denied the authorization request.',
    });
    // The rule fired once: the next attempt completes.
    const next = await authorize();
    expect(oauth.validateAuthResponse(as, client, next.location, next.state).get('code')).toEqual(expect.any(String));
  });

  it('invalid_grant at refresh: processRefreshTokenResponse throws it', async () => {
    const rule = await addFault(m, { endpoint: 'token', grant_type: 'refresh_token', error: 'invalid_grant', times: 1 });
    const issued = await tokens();
    const attempt = () => oauth.refreshTokenGrantRequest(as, client, auth, issued.refresh_token!, insecure);
    await expect(oauth.processRefreshTokenResponse(as, client, await attempt())).rejects.toMatchObject({
      code: oauth.RESPONSE_BODY_ERROR,
      error: 'invalid_grant',
      error_description: 'Given refresh token is invalid, revoked, or expired.',
      status: 400,
    });
    expect(await firedOf(m, rule.id)).toBe(1);
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await attempt());
    expect(refreshed.access_token).toEqual(expect.any(String));
  });

  it('429 with Retry-After at the token endpoint and at the API', async () => {
    await addFault(m, { endpoint: 'token', status: 429, retry_after: 7, times: 1 });
    const { verifier, state, location } = await authorize();
    const params = oauth.validateAuthResponse(as, client, location, state);
    const exchangeCode = () => oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT_URI, verifier, insecure);
    let caught: unknown;
    try {
      await oauth.processAuthorizationCodeResponse(as, client, await exchangeCode());
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(oauth.ResponseBodyError);
    const e = caught as oauth.ResponseBodyError;
    expect({ error: e.error, description: e.error_description, status: e.status }).toEqual({
      error: 'too_many_requests',
      description: 'Rate limit exceeded',
      status: 429,
    });
    expect(e.response.headers.get('retry-after')).toBe('7');
    // Retrying after the (here: zero) wait succeeds with the same, still unused code.
    const issued = await oauth.processAuthorizationCodeResponse(as, client, await exchangeCode());

    await addFault(m, { endpoint: 'api', status: 429, times: 1 });
    const limited = await oauth.protectedResourceRequest(issued.access_token, 'GET', new URL(`${m.url}/api/projects`), undefined, undefined, insecure);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(await limited.json()).toEqual(RATE_LIMITED);
    const fine = await oauth.protectedResourceRequest(issued.access_token, 'GET', new URL(`${m.url}/api/projects`), undefined, undefined, insecure);
    expect(fine.status).toBe(200);
  });
});

// =============================================================================================
describe('8. the CLI refuses a bad --fail', () => {
  const run = promisify(execFile);
  async function fails(args: string[], env: Record<string, string> = {}) {
    try {
      await run('node', [BIN, '--port', '0', '--in-memory', ...args], { env: { ...process.env, ...env }, timeout: 10_000 });
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
    throw new Error('expected the command to fail');
  }

  it('exits 2 with the parser’s message, before listening', async () => {
    const [twice, endpoint, env] = await Promise.all([
      fails(['--fail', 'token=invalid_grant:once', '--fail', 'token=invalid_grant:twice']),
      fails(['--fail', 'tokens=invalid_grant']),
      fails([], { GLOSSIA_MOCK_FAIL: 'api=503;api=999' }),
    ]);
    expect(twice).toEqual({
      code: 2,
      stdout: '',
      stderr: 'glossia-mock: --fail "token=invalid_grant:twice": "twice" is not once, sticky, a count, p=…, seed=…, delay=… or retry_after=…\n',
    });
    expect(endpoint.code).toBe(2);
    expect(endpoint.stderr).toBe(
      'glossia-mock: --fail "tokens=invalid_grant": "endpoint" must be one of: register, authorize, token, revoke, introspect, device_authorization, device, discovery, jwks, api, mcp.\n',
    );
    expect(env.code).toBe(2);
    expect(env.stderr).toBe('glossia-mock: --fail "api=999": "status" must be a whole number from 400 to 599.\n');
  });
});
