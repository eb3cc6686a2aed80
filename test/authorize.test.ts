// GET/POST /oauth/authorize, the sign-in page and the consent page, over real HTTP with a
// hand-rolled cookie jar (no browser): validation, where errors go, login, consent, CSRF.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO,
  SPA,
  USERS,
  authorizeUrl,
  autoApprovedCode,
  basic,
  exchange,
  form,
  pkce,
  postForm,
  startTestMock,
  type TestMock,
} from './helpers/mock.js';
import { Browser, hidden, hiddenInputs, signIn } from './helpers/browser-session.js';
import { ok, registerClient } from './helpers/tokens.js';

const ALNUM_86 = /^[A-Za-z0-9]{86}$/;
const UUID_PATTERN_ERROR =
  'Query params validation failed. #/client_id do match required pattern /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.';
const RESPONSE_TYPE_ERROR =
  'Invalid response_type param, may be on of `code` for Authorization Code request, `code id_token`, `code token`, `code id_token token` for Hybrid requests, or `token`, `id_token token` for Implicit requests.';
const WEIRD_STATE = `a b+c&d=e/f?g#h%20%zz ü€ "<>' \\ ;,`;

// ---------------------------------------------------------------------------------------------
// Helpers

function expectHtml(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
}

/** Location of a redirect, parsed (relative locations against the mock). */
function location(res: Response, base: string): URL {
  const loc = res.headers.get('location');
  expect(loc, `status ${res.status} without Location`).not.toBeNull();
  return new URL(loc!, base);
}

function queryPairs(url: URL): [string, string][] {
  return [...url.searchParams];
}

/** An authorization request as a path+query on the mock; `undefined` values are left out. */
function authorizePath(values: Record<string, string | undefined>): string {
  return `/oauth/authorize?${form(values)}`;
}

function validParams(challenge: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    response_type: 'code',
    client_id: DEMO.clientId,
    redirect_uri: DEMO.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope: 'user:read project:read',
    state: 'st-123',
    ...extra,
  };
}

/** Submit a consent page's form the way a browser would: its hidden fields plus the clicked button. */
function consentSubmission(html: string, decision?: string): [string, string][] {
  const form = /<form id="oauth-consent-form"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  expect(form, 'consent form').not.toBeNull();
  const pairs = hiddenInputs(form![1]!);
  return decision === undefined ? pairs : [...pairs, ['decision', decision]];
}

async function introspectAs(m: TestMock, accessToken: string) {
  const res = await postForm(`${m.url}/oauth/introspect`, { token: accessToken }, { authorization: basic(DEMO.clientId, DEMO.secret) });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function json(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await res.json()) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------

let doc: TestMock; // documented, interactive
let docAuto: TestMock; // documented, --auto-approve dev
let prod: TestMock; // production, --auto-approve dev
let prodManual: TestMock; // production, interactive
let queryClient: { clientId: string; redirectUri: string };

beforeAll(async () => {
  [doc, docAuto, prod, prodManual] = await Promise.all([
    startTestMock(),
    startTestMock({ autoApprove: 'dev' }),
    startTestMock({ profile: 'production', autoApprove: 'dev' }),
    startTestMock({ profile: 'production' }),
  ]);
  // A client whose registered redirect URI already has a query.
  const redirectUri = 'http://localhost:3000/cb?tenant=acme&x=1';
  queryClient = { clientId: (await registerClient(docAuto, 'Query App', [redirectUri])).clientId, redirectUri };
});

afterAll(async () => {
  await Promise.all([doc, docAuto, prod, prodManual].filter(Boolean).map((m) => m.close()));
});

// ---------------------------------------------------------------------------------------------

describe('documented: errors before the client and redirect URI are trusted → HTML page, never a redirect', () => {
  const { challenge } = pkce();

  const cases: [string, Record<string, string | undefined>, number, string, string][] = [
    ['unknown client_id', { client_id: '11111111-2222-4333-8444-555555555555' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['non-UUID client_id', { client_id: 'my-app' }, 400, 'invalid_request', UUID_PATTERN_ERROR],
    ['UUID with extra characters', { client_id: `${DEMO.clientId}0` }, 400, 'invalid_request', UUID_PATTERN_ERROR],
    [
      'missing client_id',
      { client_id: undefined },
      400,
      'invalid_request',
      'Query params validation failed. Required property client_id is missing at #.',
    ],
    [
      'missing client_id and redirect_uri',
      { client_id: undefined, redirect_uri: undefined },
      400,
      'invalid_request',
      'Query params validation failed. Required properties client_id, redirect_uri are missing at #.',
    ],
    ['empty client_id', { client_id: '' }, 400, 'invalid_request', 'Query params validation failed. Required property client_id is missing at #.'],
    [
      'missing redirect_uri',
      { redirect_uri: undefined },
      400,
      'invalid_request',
      'Query params validation failed. Required property redirect_uri is missing at #.',
    ],
    ['trailing slash', { redirect_uri: 'http://localhost:3000/callback/' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['different port', { redirect_uri: 'http://localhost:3001/callback' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['different path case', { redirect_uri: 'http://localhost:3000/Callback' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['different host case', { redirect_uri: 'http://LOCALHOST:3000/callback' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['different scheme', { redirect_uri: 'https://localhost:3000/callback' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['extra query', { redirect_uri: 'http://localhost:3000/callback?next=/' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['a fragment', { redirect_uri: 'http://localhost:3000/callback#x' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['dot segments', { redirect_uri: 'http://localhost:3000/x/../callback' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['a prefix of the registered URI', { redirect_uri: 'http://localhost:3000/call' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['another origin', { redirect_uri: 'https://evil.example/callback' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    [
      "another client's redirect URI",
      { client_id: SPA.clientId, redirect_uri: 'http://localhost:8080/callback' },
      401,
      'invalid_client',
      'Invalid client_id or redirect_uri.',
    ],
  ];

  it.each(cases)('%s → %i HTML', async (_, override, status, error, description) => {
    // Same answer signed out (interactive mock) and with --auto-approve.
    for (const m of [doc, docAuto]) {
      const res = await fetch(`${m.url}${authorizePath(validParams(challenge, override))}`, { redirect: 'manual' });
      expectHtml(res, status);
      expect(res.headers.get('location')).toBeNull();
      const html = await res.text();
      expect(html).toContain('<h1>Authorization error</h1>');
      expect(html).toContain(`<code>${error}</code>`);
      expect(html).toContain(description.replace(/&/g, '&amp;'));
      expect(html).toContain(`HTTP status ${status}`);
      expect(html).not.toContain('evil.example');
    }
  });

  it('a repeated client_id or redirect_uri is an HTML 400, not a redirect', async () => {
    const base = form(validParams(challenge));
    for (const [name, value] of [
      ['client_id', SPA.clientId],
      ['redirect_uri', 'http://localhost:5173/callback'],
    ] as const) {
      const q = new URLSearchParams(base);
      q.append(name, value);
      const res = await fetch(`${docAuto.url}/oauth/authorize?${q}`, { redirect: 'manual' });
      expectHtml(res, 400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain(`The ${name} parameter must be given once, as a string.`);
    }
  });

  it('an otherwise broken request with an unknown client still never redirects', async () => {
    const res = await fetch(
      `${doc.url}${authorizePath({ client_id: '11111111-2222-4333-8444-555555555555', redirect_uri: 'https://evil.example/cb' })}`,
      { redirect: 'manual' },
    );
    expectHtml(res, 401);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('documented: errors once client and redirect URI are valid → 302 to the redirect URI', () => {
  const { challenge } = pkce();

  async function expectErrorRedirect(
    m: TestMock,
    query: string,
    error: string,
    description: string,
    state: string | undefined,
    redirectUri: string = DEMO.redirectUri,
  ) {
    const res = await fetch(`${m.url}/oauth/authorize?${query}`, { redirect: 'manual' });
    expect(res.status, await res.clone().text()).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const loc = location(res, m.url);
    expect(`${loc.origin}${loc.pathname}`).toBe(new URL(redirectUri).origin + new URL(redirectUri).pathname);
    const expected: [string, string][] = [...new URL(redirectUri).searchParams, ['error', error], ['error_description', description]];
    if (state !== undefined) expected.push(['state', state]);
    expect(queryPairs(loc)).toEqual(expected);
    expect(loc.searchParams.has('code')).toBe(false);
    expect(loc.hash).toBe('');
  }

  const cases: [string, Record<string, string | undefined>, string, string][] = [
    ['missing response_type', { response_type: undefined }, 'invalid_request', 'Request is not a valid OAuth request. Need a response_type param.'],
    ['response_type=token', { response_type: 'token' }, 'invalid_request', RESPONSE_TYPE_ERROR],
    ['response_type=code id_token', { response_type: 'code id_token' }, 'invalid_request', RESPONSE_TYPE_ERROR],
    ['an unknown scope', { scope: 'user:read repo' }, 'invalid_scope', 'Given scopes are unknown or unauthorized.'],
    ['a scope listed twice', { scope: 'user:read project:read user:read' }, 'invalid_scope', 'Given scopes are unknown or unauthorized.'],
    ['a scope in the wrong case', { scope: 'User:Read' }, 'invalid_scope', 'Given scopes are unknown or unauthorized.'],
    ['missing code_challenge', { code_challenge: undefined }, 'invalid_request', 'Code challenge is invalid.'],
    ['empty code_challenge', { code_challenge: '' }, 'invalid_request', 'Code challenge is invalid.'],
    ['missing code_challenge_method', { code_challenge_method: undefined }, 'invalid_request', 'code_challenge_method is required; use S256.'],
    ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request', 'The plain code_challenge_method is not allowed; use S256.'],
    [
      'code_challenge_method=S512',
      { code_challenge_method: 'S512' },
      'invalid_request',
      'Query params validation failed. #/code_challenge_method do match required pattern /S256/.',
    ],
    [
      'a 42-character S256 challenge',
      { code_challenge: challenge.slice(0, 42) },
      'invalid_request',
      'Code challenge is invalid: an S256 challenge is 43 base64url characters (RFC 7636 4.2).',
    ],
    [
      'a padded S256 challenge',
      { code_challenge: `${challenge}=` },
      'invalid_request',
      'Code challenge is invalid: an S256 challenge is 43 base64url characters (RFC 7636 4.2).',
    ],
    [
      'a base64 (not base64url) S256 challenge',
      { code_challenge: `+/${challenge.slice(2)}` },
      'invalid_request',
      'Code challenge is invalid: an S256 challenge is 43 base64url characters (RFC 7636 4.2).',
    ],
    [
      'response_mode=fragment',
      { response_mode: 'fragment' },
      'invalid_request',
      'Only response_mode=query is supported for the authorization code flow.',
    ],
    [
      'response_mode=form_post',
      { response_mode: 'form_post' },
      'invalid_request',
      'Only response_mode=query is supported for the authorization code flow.',
    ],
  ];

  it.each(cases)('%s', async (_, override, error, description) => {
    for (const m of [doc, docAuto]) {
      await expectErrorRedirect(m, form(validParams(challenge, override)).toString(), error, description, 'st-123');
    }
  });

  it.each(['scope', 'code_challenge', 'response_type', 'nonce'])('a repeated %s parameter → invalid_request', async (name) => {
    const q = form(validParams(challenge, { nonce: 'n1' }));
    q.append(name, q.get(name)!);
    await expectErrorRedirect(docAuto, q.toString(), 'invalid_request', `The ${name} parameter must not be repeated.`, 'st-123');
  });

  it('a repeated state is an error, and no state is echoed', async () => {
    const q = form(validParams(challenge, { state: 'one' }));
    q.append('state', 'two');
    await expectErrorRedirect(docAuto, q.toString(), 'invalid_request', 'The state parameter must not be repeated.', undefined);
  });

  it('no state sent → none in the error redirect', async () => {
    await expectErrorRedirect(
      docAuto,
      form(validParams(challenge, { state: undefined, scope: 'nope' })).toString(),
      'invalid_scope',
      'Given scopes are unknown or unauthorized.',
      undefined,
    );
  });

  it('a state with special characters is echoed exactly in an error redirect', async () => {
    await expectErrorRedirect(
      docAuto,
      form(validParams(challenge, { state: WEIRD_STATE, response_type: undefined })).toString(),
      'invalid_request',
      'Request is not a valid OAuth request. Need a response_type param.',
      WEIRD_STATE,
    );
  });

  it('an empty state is echoed as an empty state', async () => {
    await expectErrorRedirect(
      docAuto,
      form(validParams(challenge, { state: '', scope: 'bad' })).toString(),
      'invalid_scope',
      'Given scopes are unknown or unauthorized.',
      '',
    );
  });

  it('a redirect URI that already has a query keeps it (error)', async () => {
    const q = form(validParams(challenge, { client_id: queryClient.clientId, redirect_uri: queryClient.redirectUri, scope: 'x:y' }));
    await expectErrorRedirect(docAuto, q.toString(), 'invalid_scope', 'Given scopes are unknown or unauthorized.', 'st-123', queryClient.redirectUri);
    const res = await fetch(`${docAuto.url}/oauth/authorize?${q}`, { redirect: 'manual' });
    expect(res.headers.get('location')!.startsWith(`${queryClient.redirectUri}&error=invalid_scope&`)).toBe(true);
  });
});

describe('documented: --auto-approve', () => {
  it('a valid request → 302 with an 86-character code and the state, nothing else', async () => {
    const { challenge } = pkce();
    const res = await fetch(`${docAuto.url}${authorizePath(validParams(challenge, { state: 'xyz' }))}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const loc = location(res, docAuto.url);
    expect(`${loc.origin}${loc.pathname}`).toBe(DEMO.redirectUri);
    expect([...loc.searchParams.keys()]).toEqual(['code', 'state']);
    expect(loc.searchParams.get('code')).toMatch(ALNUM_86);
    expect(loc.searchParams.get('state')).toBe('xyz');
  });

  it('each request gets a different code', async () => {
    const a = await autoApprovedCode(docAuto.url);
    const b = await autoApprovedCode(docAuto.url);
    expect(a.code).not.toBe(b.code);
  });

  it('a state with special characters is echoed byte for byte', async () => {
    const { location: loc } = await autoApprovedCode(docAuto.url, { state: WEIRD_STATE });
    expect(loc.searchParams.get('state')).toBe(WEIRD_STATE);
  });

  it('no state → no state parameter', async () => {
    const { location: loc } = await autoApprovedCode(docAuto.url);
    expect(loc.searchParams.has('state')).toBe(false);
  });

  it('response_mode=query, openid and unknown extra parameters are accepted', async () => {
    const { location: loc } = await autoApprovedCode(docAuto.url, {
      scope: 'openid user:read',
      state: 's',
      extra: { response_mode: 'query', prompt: 'consent', resource: 'https://api.example', nonce: 'n' },
    });
    expect(loc.searchParams.get('code')).toMatch(ALNUM_86);
  });

  it('a redirect URI that already has a query keeps it (success)', async () => {
    const { challenge } = pkce();
    const res = await fetch(
      authorizeUrl(docAuto.url, { clientId: queryClient.clientId, redirectUri: queryClient.redirectUri, challenge, state: 'q' }),
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    const raw = res.headers.get('location')!;
    expect(raw.startsWith(`${queryClient.redirectUri}&code=`)).toBe(true);
    const loc = new URL(raw);
    expect([...loc.searchParams.keys()]).toEqual(['tenant', 'x', 'code', 'state']);
    expect(loc.searchParams.get('tenant')).toBe('acme');
    expect(loc.searchParams.get('state')).toBe('q');
  });

  it('the code belongs to the auto-approve user (dev) by default', async () => {
    const { code, verifier } = await autoApprovedCode(docAuto.url, { scope: 'user:read' });
    const tokens = await ok(await exchange(docAuto.url, code, verifier));
    const info = await introspectAs(docAuto, tokens['access_token']!);
    expect(info['active']).toBe(true);
    expect(info['sub']).toBe(USERS.dev);
  });

  it('login_hint=alex → a code for alex (proved by exchange + introspection)', async () => {
    const { code, verifier } = await autoApprovedCode(docAuto.url, { scope: 'user:read project:read', extra: { login_hint: 'alex' } });
    const tokens = await ok(await exchange(docAuto.url, code, verifier));
    expect(tokens['scope']).toBe('user:read project:read');
    const info = await introspectAs(docAuto, tokens['access_token']!);
    expect(info['active']).toBe(true);
    expect(info['sub']).toBe(USERS.alex);
    expect(info['username']).toBe('alex.chen@glossia.test');
    expect(info['client_id']).toBe(DEMO.clientId);
    expect(info['scope']).toBe('user:read project:read');
  });

  it('login_hint=nobody → error redirect with invalid_request and the state', async () => {
    const { challenge } = pkce();
    const res = await fetch(authorizeUrl(docAuto.url, { challenge, state: 'h1', extra: { login_hint: 'nobody' } }), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = location(res, docAuto.url);
    expect(`${loc.origin}${loc.pathname}`).toBe(DEMO.redirectUri);
    expect(queryPairs(loc)).toEqual([
      ['error', 'invalid_request'],
      ['error_description', 'login_hint "nobody" is not a fixture user of this mock.'],
      ['state', 'h1'],
    ]);
  });

  it('omitted scope → the documented default (user:read)', async () => {
    const { code, verifier } = await autoApprovedCode(docAuto.url);
    const tokens = await ok(await exchange(docAuto.url, code, verifier));
    expect(tokens['scope']).toBe('user:read');
  });
});

describe('documented: sign-in', () => {
  it('signed out → 302 to /auth/login with return_to = the authorize path+query', async () => {
    const { challenge } = pkce();
    const path = authorizePath(validParams(challenge, { state: WEIRD_STATE }));
    const b = new Browser(doc.url);
    const res = await b.get(path);
    expect(res.status).toBe(302);
    const loc = location(res, doc.url);
    expect(loc.origin).toBe(new URL(doc.url).origin);
    expect(loc.pathname).toBe('/auth/login');
    expect([...loc.searchParams.keys()]).toEqual(['return_to']);
    const returnTo = loc.searchParams.get('return_to')!;
    expect(returnTo).toBe(path);
    // Same parameters, same values, same order.
    expect([...new URL(returnTo, doc.url).searchParams]).toEqual([...new URL(path, doc.url).searchParams]);
  });

  it('login_hint is carried to the login page and preselects that user', async () => {
    const { challenge } = pkce();
    const b = new Browser(doc.url);
    const res = await b.get(authorizePath(validParams(challenge, { login_hint: 'maria' })));
    const loc = location(res, doc.url);
    expect(loc.searchParams.get('login_hint')).toBe('maria');
    const page = await b.get(loc.pathname + loc.search);
    const html = await page.text();
    expect(html).toMatch(/<input type="radio" id="login-user-\d" name="handle" value="maria" checked required>/);
    expect(html).not.toMatch(/value="dev" checked/);
  });

  it('the login page lists every fixture user, names the client and carries return_to and a CSRF token', async () => {
    const { challenge } = pkce();
    const path = authorizePath(validParams(challenge));
    const b = new Browser(doc.url);
    const res = await b.get(`/auth/login?${new URLSearchParams({ return_to: path })}`);
    expectHtml(res, 200);
    expect(res.headers.getSetCookie().length).toBeGreaterThan(0);
    const html = await res.text();
    expect(html).toContain('<h1>Log in to Glossia</h1>');
    expect(html).toContain('to continue to <strong>Glossia Mock Demo</strong>');
    for (const [handle, name, email] of [
      ['dev', 'Dev User', 'dev@glossia.ai'],
      ['alex', 'Alex Chen', 'alex.chen@glossia.test'],
      ['maria', 'Maria Rossi', 'maria.rossi@glossia.test'],
    ]) {
      expect(html).toContain(`name="handle" value="${handle}"`);
      expect(html).toContain(name);
      expect(html).toContain(email);
    }
    expect(hidden(html, 'return_to')).toBe(path);
    expect(hidden(html, '_csrf')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(html).toContain('<form method="post" action="/auth/login">');
  });

  it.each(['//evil.example', 'https://evil.example', '/\\evil.example', '/.//evil.example', '/..//evil.example', 'javascript:alert(1)'])(
    'return_to=%s is rendered as "/" and the sign-in lands on the mock',
    async (evil) => {
      const b = new Browser(doc.url);
      const page = await b.get(`/auth/login?${new URLSearchParams({ return_to: evil })}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(hidden(html, 'return_to')).toBe('/');
      const res = await b.post('/auth/login', [
        ['_csrf', hidden(html, '_csrf')],
        ['handle', 'dev'],
        ['return_to', hidden(html, 'return_to')],
      ]);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/');
    },
  );

  it.each(['//evil.example', 'https://evil.example/x', '/.//evil.example', '/%2e//evil.example', '/\t/evil.example'])(
    'a forged POST with return_to=%j still redirects onto the mock',
    async (evil) => {
      const b = new Browser(doc.url);
      const html = await (await b.get('/auth/login')).text();
      const res = await b.post('/auth/login', [
        ['_csrf', hidden(html, '_csrf')],
        ['handle', 'dev'],
        ['return_to', evil],
      ]);
      expect(res.status).toBe(302);
      const raw = res.headers.get('location')!;
      expect(raw.startsWith('/')).toBe(true);
      expect(raw.startsWith('//')).toBe(false);
      expect(new URL(raw, doc.url).origin).toBe(new URL(doc.url).origin);
    },
  );

  it('a signed-in user sent to /auth/login with a return path goes straight on', async () => {
    const b = new Browser(doc.url);
    await signIn(b, 'dev');
    const { challenge } = pkce();
    const path = authorizePath(validParams(challenge));
    const res = await b.get(`/auth/login?${new URLSearchParams({ return_to: path })}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(path);
  });

  it('POST /auth/login without a valid CSRF token → 403 and no session', async () => {
    const b = new Browser(doc.url);
    await b.get('/auth/login');
    const res = await b.post('/auth/login', [
      ['_csrf', 'forged'],
      ['handle', 'dev'],
      ['return_to', '/'],
    ]);
    expectHtml(res, 403);
    expect(res.headers.get('location')).toBeNull();
  });

  it('POST /auth/login with an unknown handle → 422 with the form again', async () => {
    const b = new Browser(doc.url);
    const html = await (await b.get('/auth/login')).text();
    const res = await b.post('/auth/login', [
      ['_csrf', hidden(html, '_csrf')],
      ['handle', 'mallory'],
      ['return_to', '/'],
    ]);
    expectHtml(res, 422);
    expect(await res.text()).toContain('Choose one of the users below to sign in.');
  });
});

describe('documented: consent over HTTP', () => {
  /** Start signed out, sign in as `handle` through the login form, end on the consent page. */
  async function toConsent(m: TestMock, handle: string, params: Record<string, string | undefined>) {
    const b = new Browser(m.url);
    const path = authorizePath(params);
    const first = await b.get(path);
    expect(first.status).toBe(302);
    const loginUrl = location(first, m.url);
    expect(loginUrl.pathname).toBe('/auth/login');
    const loginPage = await b.get(loginUrl.pathname + loginUrl.search);
    const loginHtml = await loginPage.text();
    const returnTo = hidden(loginHtml, 'return_to');
    expect(returnTo).toBe(path);
    const signedIn = await b.post('/auth/login', [
      ['_csrf', hidden(loginHtml, '_csrf')],
      ['handle', handle],
      ['return_to', returnTo],
    ]);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('location')).toBe(path);
    const consent = await b.get(signedIn.headers.get('location')!);
    const html = await consent.text();
    expect(consent.status, html).toBe(200);
    return { b, consent, html, path };
  }

  it('the consent page names the client, the user and the scopes with descriptions, with Authorize and Deny', async () => {
    const { challenge } = pkce();
    const params = validParams(challenge, { scope: 'user:read project:read', state: 'c1' });
    const { consent, html } = await toConsent(doc, 'alex', params);
    expectHtml(consent, 200);
    expect(consent.headers.get('content-security-policy')).toContain("form-action 'self' http://localhost:3000;");
    expect(html).toContain('<h1 class="center">Authorize Glossia Mock Demo</h1>');
    expect(html).toContain('Glossia Mock Demo wants to access your Glossia account.');
    expect(html).toContain('Signed in as Alex Chen (@alex)');
    expect(html).toContain('Requested permissions:');
    expect(html).toContain('<li><code>user:read</code> <span class="scope-desc">Read user profile information</span></li>');
    expect(html).toContain('<li><code>project:read</code> <span class="scope-desc">Read projects</span></li>');
    expect(html.indexOf('<code>user:read</code>')).toBeLessThan(html.indexOf('<code>project:read</code>'));
    expect(html).toContain('<button type="submit" name="decision" value="approve">Authorize Glossia Mock Demo</button>');
    expect(html).toContain('<button type="submit" name="decision" value="deny" class="secondary">Deny</button>');
    expect(html).toContain('<form id="oauth-consent-form" method="post" action="/oauth/authorize">');
    // Every original parameter is carried as a hidden field, then the CSRF token.
    const fields = consentSubmission(html);
    expect(fields.slice(0, -1)).toEqual(Object.entries(params));
    expect(fields.at(-1)![0]).toBe('_csrf');
  });

  it('an omitted scope shows the documented default scope', async () => {
    const { challenge } = pkce();
    const { html } = await toConsent(doc, 'dev', validParams(challenge, { scope: undefined }));
    expect(html).toContain('<li><code>user:read</code> <span class="scope-desc">Read user profile information</span></li>');
  });

  it('decision=approve → 302 with a code for the signed-in user, and the exact state', async () => {
    const { challenge, verifier } = pkce();
    const { b, html } = await toConsent(doc, 'alex', validParams(challenge, { state: WEIRD_STATE }));
    const res = await b.post('/oauth/authorize', consentSubmission(html, 'approve'));
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const loc = location(res, doc.url);
    expect(`${loc.origin}${loc.pathname}`).toBe(DEMO.redirectUri);
    expect([...loc.searchParams.keys()]).toEqual(['code', 'state']);
    expect(loc.searchParams.get('state')).toBe(WEIRD_STATE);
    const code = loc.searchParams.get('code')!;
    expect(code).toMatch(ALNUM_86);
    const tokens = await ok(await exchange(doc.url, code, verifier));
    const info = await introspectAs(doc, tokens['access_token']!);
    expect(info['sub']).toBe(USERS.alex);
    expect(info['scope']).toBe('user:read project:read');
  });

  it('decision=deny → 302 with access_denied and the state, no code', async () => {
    const { challenge } = pkce();
    const { b, html } = await toConsent(doc, 'dev', validParams(challenge, { state: 'deny-me' }));
    const res = await b.post('/oauth/authorize', consentSubmission(html, 'deny'));
    expect(res.status).toBe(302);
    const loc = location(res, doc.url);
    expect(`${loc.origin}${loc.pathname}`).toBe(DEMO.redirectUri);
    expect(queryPairs(loc)).toEqual([
      ['error', 'access_denied'],
      ['error_description', 'The user denied the authorization request.'],
      ['state', 'deny-me'],
    ]);
  });

  it('a consent POST without _csrf, with a wrong one, or with another session’s → 403, no code', async () => {
    const { challenge } = pkce();
    const { b, html } = await toConsent(doc, 'dev', validParams(challenge));
    const fields = consentSubmission(html, 'approve');
    const without = fields.filter(([n]) => n !== '_csrf');
    const other = await toConsent(doc, 'maria', validParams(challenge));
    const otherToken = hidden(other.html, '_csrf');
    expect(otherToken).not.toBe(hidden(html, '_csrf'));

    for (const body of [
      without,
      [...without, ['_csrf', 'wrong']] as [string, string][],
      [...without, ['_csrf', '']] as [string, string][],
      [...without, ['_csrf', otherToken]] as [string, string][],
    ]) {
      const res = await b.post('/oauth/authorize', body);
      expectHtml(res, 403);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).not.toMatch(/code=/);
    }
    // No cookie at all, but a once-valid token.
    const anon = await fetch(`${doc.url}/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
    expect(anon.status).toBe(403);
    expect(anon.headers.get('location')).toBeNull();
    // A valid _csrf in the query string does not count either.
    const inQuery = await b.post(`/oauth/authorize?${new URLSearchParams({ _csrf: hidden(html, '_csrf') })}`, without);
    expect(inQuery.status).toBe(403);
    // The genuine form still works afterwards.
    const ok = await b.post('/oauth/authorize', fields);
    expect(ok.status).toBe(302);
    expect(location(ok, doc.url).searchParams.get('code')).toMatch(ALNUM_86);
  });

  it('decision and _csrf on the original request are not carried into the form', async () => {
    const { challenge } = pkce();
    const { b, html } = await toConsent(doc, 'dev', validParams(challenge, { decision: 'deny', _csrf: 'attacker' }));
    expect(html.match(/name="_csrf"/g)).toHaveLength(1);
    expect(hiddenInputs(html).some(([n]) => n === 'decision')).toBe(false);
    expect(hidden(html, '_csrf')).not.toBe('attacker');
    const res = await b.post('/oauth/authorize', consentSubmission(html, 'approve'));
    expect(res.status).toBe(302);
    const loc = location(res, doc.url);
    expect(loc.searchParams.get('code')).toMatch(ALNUM_86);
    expect(loc.searchParams.has('error')).toBe(false);
  });

  it('a decision in the POST query string cannot override the body', async () => {
    const { challenge } = pkce();
    const { b, html } = await toConsent(doc, 'dev', validParams(challenge, { state: 'q' }));
    const approve = await b.post('/oauth/authorize?decision=deny', consentSubmission(html, 'approve'));
    expect(location(approve, doc.url).searchParams.get('code')).toMatch(ALNUM_86);
    const deny = await b.post('/oauth/authorize?decision=approve', consentSubmission(html, 'deny'));
    const loc = location(deny, doc.url);
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.has('code')).toBe(false);
  });

  it('the consent POST revalidates the request (a tampered field is an error redirect)', async () => {
    const { challenge } = pkce();
    const { b, html } = await toConsent(doc, 'dev', validParams(challenge, { state: 't' }));
    const tampered = consentSubmission(html, 'approve').map(([n, v]): [string, string] => (n === 'scope' ? [n, 'admin:root'] : [n, v]));
    const res = await b.post('/oauth/authorize', tampered);
    expect(res.status).toBe(302);
    const loc = location(res, doc.url);
    expect(loc.searchParams.get('error')).toBe('invalid_scope');
    expect(loc.searchParams.get('state')).toBe('t');
    const redirected = consentSubmission(html, 'approve').map(([n, v]): [string, string] =>
      n === 'redirect_uri' ? [n, 'https://evil.example/cb'] : [n, v],
    );
    const bad = await b.post('/oauth/authorize', redirected);
    expectHtml(bad, 401);
    expect(bad.headers.get('location')).toBeNull();
  });

  it('a signed-in user goes straight to consent', async () => {
    const b = new Browser(doc.url);
    await signIn(b, 'maria');
    const { challenge } = pkce();
    const res = await b.get(authorizePath(validParams(challenge)));
    expectHtml(res, 200);
    expect(await res.text()).toContain('Signed in as Maria Rossi (@maria)');
  });
});

describe('production profile', () => {
  const { challenge } = pkce();

  async function expectJsonError(m: TestMock, query: string, status: number, error: string, description: string, b?: Browser) {
    const res = b ? await b.get(`/oauth/authorize?${query}`) : await fetch(`${m.url}/oauth/authorize?${query}`, { redirect: 'manual' });
    expect(res.status).toBe(status);
    expect(res.headers.get('location')).toBeNull();
    expect(await json(res)).toStrictEqual({ error, error_description: description });
  }

  const cases: [string, Record<string, string | undefined>, number, string, string][] = [
    ['unknown client_id', { client_id: '11111111-2222-4333-8444-555555555555' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['unregistered redirect_uri', { redirect_uri: 'http://localhost:3000/callback/' }, 401, 'invalid_client', 'Invalid client_id or redirect_uri.'],
    ['non-UUID client_id', { client_id: 'abc' }, 400, 'invalid_request', UUID_PATTERN_ERROR],
    [
      'missing client_id',
      { client_id: undefined },
      400,
      'invalid_request',
      'Query params validation failed. Required property client_id is missing at #.',
    ],
    [
      'missing redirect_uri',
      { redirect_uri: undefined },
      400,
      'invalid_request',
      'Query params validation failed. Required property redirect_uri is missing at #.',
    ],
    [
      'missing client_id and redirect_uri',
      { client_id: undefined, redirect_uri: undefined },
      400,
      'invalid_request',
      'Query params validation failed. Required properties client_id, redirect_uri are missing at #.',
    ],
    ['missing response_type', { response_type: undefined }, 400, 'invalid_request', 'Request is not a valid OAuth request. Need a response_type param.'],
    ['response_type=id_token', { response_type: 'id_token' }, 400, 'invalid_request', RESPONSE_TYPE_ERROR],
    // The demo client lacks the implicit grant, like dashboard apps (reference 5.7).
    ['response_type=token', { response_type: 'token' }, 400, 'unsupported_grant_type', 'Client do not support given grant type.'],
    ['unknown scope', { scope: 'user:read nope' }, 400, 'invalid_scope', 'Given scopes are unknown or unauthorized.'],
    ['repeated scope', { scope: 'user:read user:read' }, 400, 'invalid_scope', 'Given scopes are unknown or unauthorized.'],
    ['missing code_challenge', { code_challenge: undefined }, 400, 'invalid_request', 'Code challenge is invalid.'],
    ['empty code_challenge', { code_challenge: '' }, 400, 'invalid_request', 'Code challenge is invalid.'],
    [
      'code_challenge_method=S512',
      { code_challenge_method: 'S512' },
      400,
      'invalid_request',
      'Query params validation failed. #/code_challenge_method do match required pattern /plain|S256/.',
    ],
  ];

  it.each(cases)('%s → JSON on the mock, never a redirect', async (_, override, status, error, description) => {
    await expectJsonError(prod, form(validParams(challenge, override)).toString(), status, error, description);
  });

  it('errors are JSON for a signed-in user too (interactive mock)', async () => {
    const b = new Browser(prodManual.url);
    await signIn(b, 'dev');
    await expectJsonError(
      prodManual,
      form(validParams(challenge, { scope: 'nope' })).toString(),
      400,
      'invalid_scope',
      'Given scopes are unknown or unauthorized.',
      b,
    );
    await expectJsonError(
      prodManual,
      form(validParams(challenge, { redirect_uri: 'https://evil.example/cb' })).toString(),
      401,
      'invalid_client',
      'Invalid client_id or redirect_uri.',
      b,
    );
  });

  it('success → 302 with code, expires_in and state, in that order', async () => {
    const res = await fetch(`${prod.url}${authorizePath(validParams(challenge, { state: 'ps' }))}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = location(res, prod.url);
    expect(`${loc.origin}${loc.pathname}`).toBe(DEMO.redirectUri);
    expect([...loc.searchParams.keys()]).toEqual(['code', 'expires_in', 'state']);
    expect(loc.searchParams.get('code')).toMatch(ALNUM_86);
    expect(loc.searchParams.get('expires_in')).toBe('59');
    expect(loc.searchParams.get('state')).toBe('ps');
  });

  it('state: echoed exactly, empty when sent empty, absent when not sent', async () => {
    const special = await autoApprovedCode(prod.url, { state: WEIRD_STATE });
    expect(special.location.searchParams.get('state')).toBe(WEIRD_STATE);
    const empty = await autoApprovedCode(prod.url, { state: '' });
    expect(empty.location.searchParams.get('state')).toBe('');
    const none = await autoApprovedCode(prod.url);
    expect(none.location.searchParams.has('state')).toBe(false);
    expect([...none.location.searchParams.keys()]).toEqual(['code', 'expires_in']);
  });

  it.each([
    ['plain', { code_challenge_method: 'plain' }],
    ['omitted (defaults to plain)', { code_challenge_method: undefined }],
  ])('code_challenge_method %s is accepted and the verifier is the challenge itself', async (_, override) => {
    const plain = 'a-plain-verifier-that-is-not-hashed';
    const res = await fetch(`${prod.url}${authorizePath(validParams(plain, override))}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const code = location(res, prod.url).searchParams.get('code')!;
    expect(code).toMatch(ALNUM_86);
    const tokens = await postForm(`${prod.url}/oauth/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: DEMO.redirectUri,
      client_id: DEMO.clientId,
      code_verifier: plain,
    });
    expect(tokens.status, await tokens.clone().text()).toBe(200);
  });

  it('a short, non-base64url S256 challenge is not format-checked', async () => {
    const res = await fetch(`${prod.url}${authorizePath(validParams('short+/='))}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(location(res, prod.url).searchParams.get('code')).toMatch(ALNUM_86);
  });

  it('omitted scope → an empty scope (seen through introspection by a registered client)', async () => {
    const redirectUri = 'https://prod-scope.example/cb';
    const reg = await fetch(`${prod.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [redirectUri] }),
    });
    const client = (await reg.json()) as { client_id: string; client_secret: string };
    const { code, verifier } = await autoApprovedCode(prod.url, { clientId: client.client_id, redirectUri });
    const tokenRes = await postForm(`${prod.url}/oauth/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: client.client_id,
      code_verifier: verifier,
    });
    const tokens = (await tokenRes.json()) as Record<string, string>;
    expect(tokenRes.status, JSON.stringify(tokens)).toBe(200);
    expect(tokens).not.toHaveProperty('scope');
    const info = await postForm(`${prod.url}/oauth/introspect`, { token: tokens['access_token'] }, { authorization: basic(client.client_id, client.client_secret) });
    const body = (await info.json()) as Record<string, unknown>;
    expect(info.status, JSON.stringify(body)).toBe(200);
    expect(body['active']).toBe(true);
    expect(body['scope']).toBe('');
    expect(body['sub']).toBe(USERS.dev);
  });

  it('signed out → 302 to /auth/login with return_to', async () => {
    const path = authorizePath(validParams(challenge));
    const res = await fetch(`${prodManual.url}${path}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = location(res, prodManual.url);
    expect(loc.pathname).toBe('/auth/login');
    expect(loc.searchParams.get('return_to')).toBe(path);
  });

  it('consent page: raw scope names, no descriptions, one Authorize button and no Deny', async () => {
    const b = new Browser(prodManual.url);
    await signIn(b, 'dev');
    const res = await b.get(authorizePath(validParams(challenge, { scope: 'user:read project:read', state: 'pc' })));
    expectHtml(res, 200);
    const html = await res.text();
    expect(html).toContain('<h1 class="center">Authorize Glossia Mock Demo</h1>');
    expect(html).toContain('Requested permissions:');
    expect(html).toContain('<li><code>user:read</code></li>');
    expect(html).toContain('<li><code>project:read</code></li>');
    expect(html).not.toContain('scope-desc');
    expect(html).not.toContain('Read user profile information');
    expect(html).not.toContain('value="deny"');
    expect(html).not.toMatch(/>Deny</);
    expect(html.match(/<button type="submit"/g)).toHaveLength(1);
    expect(html).toContain('<button type="submit" name="decision" value="approve">Authorize Glossia Mock Demo</button>');
    expect(html).toContain('By authorizing, you allow this application to access your account.');

    // Approving gives code + expires_in + state.
    const approved = await b.post('/oauth/authorize', consentSubmission(html, 'approve'));
    expect(approved.status).toBe(302);
    const loc = location(approved, prodManual.url);
    expect([...loc.searchParams.keys()]).toEqual(['code', 'expires_in', 'state']);
    expect(loc.searchParams.get('state')).toBe('pc');

    // There is no deny at Glossia: a forged decision=deny is ignored like any unknown field.
    const forged = await b.post('/oauth/authorize', consentSubmission(html, 'deny'));
    expect(forged.status).toBe(302);
    expect(location(forged, prodManual.url).searchParams.get('code')).toMatch(ALNUM_86);
  });

  it('consent page with no scope omits the permissions block', async () => {
    const b = new Browser(prodManual.url);
    await signIn(b, 'dev');
    const res = await b.get(authorizePath(validParams(challenge, { scope: undefined })));
    expectHtml(res, 200);
    expect(await res.text()).not.toContain('Requested permissions:');
  });

  it('a consent POST without CSRF → 403', async () => {
    const b = new Browser(prodManual.url);
    await signIn(b, 'dev');
    const html = await (await b.get(authorizePath(validParams(challenge)))).text();
    const res = await b.post(
      '/oauth/authorize',
      consentSubmission(html, 'approve').filter(([n]) => n !== '_csrf'),
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('housekeeping', () => {
  it('no mock logged an internal error', () => {
    expect(doc.logs).toEqual([]);
    expect(docAuto.logs).toEqual([]);
    expect(prod.logs).toEqual([]);
    expect(prodManual.logs).toEqual([]);
  });
});
