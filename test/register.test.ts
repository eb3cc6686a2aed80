// POST /oauth/register (RFC 7591 subset, reference 4) over real HTTP, in both profiles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, authorizeUrl, pkce, postForm, startTestMock, type TestMock } from './helpers/mock.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ALNUM_86 = /^[A-Za-z0-9]{86}$/;
const ALL_GRANTS = ['client_credentials', 'password', 'authorization_code', 'refresh_token', 'implicit', 'revoke', 'introspect'];

let doc: TestMock;
let prod: TestMock;

beforeAll(async () => {
  [doc, prod] = await Promise.all([
    startTestMock({ autoApprove: 'dev' }),
    startTestMock({ profile: 'production', autoApprove: 'dev' }),
  ]);
});

afterAll(async () => {
  await Promise.all([doc, prod].filter(Boolean).map((m) => m.close()));
});

interface Answer {
  res: Response;
  body: Record<string, any>;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Record<string, any>;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`not JSON (${res.status}): ${text.slice(0, 200)}`);
  }
  return { res, body };
}

/** POST a JSON body; a string is sent as-is (for malformed JSON). */
async function registerJson(m: TestMock, body: unknown): Promise<Answer> {
  return answer(
    await fetch(`${m.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

async function registerForm(m: TestMock, pairs: [string, string][]): Promise<Answer> {
  return answer(
    await fetch(`${m.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(pairs),
    }),
  );
}

function expectJsonResponse(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

describe('documented profile: successful registration', () => {
  it('the guide example → 201 with the RFC 7591 fields', async () => {
    const before = nowSeconds();
    const { res, body } = await registerJson(doc, {
      client_name: 'My App',
      redirect_uris: ['https://myapp.com/auth/callback'],
      grant_types: ['authorization_code'],
    });
    expectJsonResponse(res, 201);
    expect(Object.keys(body).sort()).toEqual(
      [
        'client_id',
        'client_id_issued_at',
        'client_name',
        'client_secret',
        'client_secret_expires_at',
        'grant_types',
        'redirect_uris',
        'token_endpoint_auth_method',
      ].sort(),
    );
    expect(body['client_id']).toMatch(UUID_V4);
    expect(body['client_secret']).toMatch(ALNUM_86);
    expect(body['redirect_uris']).toEqual(['https://myapp.com/auth/callback']);
    expect(body['grant_types']).toEqual(['authorization_code', 'refresh_token']);
    expect(body['token_endpoint_auth_method']).toBe('client_secret_basic');
    expect(body['client_name']).toBe('My App');
    expect(Number.isInteger(body['client_id_issued_at'])).toBe(true);
    expect(body['client_id_issued_at']).toBeGreaterThanOrEqual(before);
    expect(body['client_id_issued_at']).toBeLessThanOrEqual(nowSeconds());
    expect(body['client_secret_expires_at']).toBe(0);
  });

  it('every registration gets a fresh client_id and secret', async () => {
    const a = await registerJson(doc, { redirect_uris: ['https://a.example/cb'] });
    const b = await registerJson(doc, { redirect_uris: ['https://a.example/cb'] });
    expect(a.res.status).toBe(201);
    expect(b.res.status).toBe(201);
    expect(a.body['client_id']).not.toBe(b.body['client_id']);
    expect(a.body['client_secret']).not.toBe(b.body['client_secret']);
  });

  it('unread fields are dropped and not echoed', async () => {
    const { res, body } = await registerJson(doc, {
      client_name: 'Dropper',
      redirect_uris: ['https://a.example/cb'],
      scope: 'user:read',
      response_types: ['code'],
      client_uri: 'https://a.example',
      software_id: 'x',
      logo_uri: 'https://a.example/logo.png',
    });
    expect(res.status).toBe(201);
    for (const k of ['scope', 'response_types', 'client_uri', 'software_id', 'logo_uri', 'registration_access_token', 'registration_client_uri'])
      expect(body).not.toHaveProperty(k);
  });

  it('omitted redirect_uris and client_name → [] and ""', async () => {
    const { res, body } = await registerJson(doc, {});
    expectJsonResponse(res, 201);
    expect(body['redirect_uris']).toEqual([]);
    expect(body['client_name']).toBe('');
  });

  it('several redirect URIs, custom schemes and IPv6 literals are kept in order', async () => {
    const uris = ['myapp://callback', 'http://localhost:3000/cb?x=1', 'http://[::1]:3000/cb', 'https://a.example/cb'];
    const { res, body } = await registerJson(doc, { redirect_uris: uris });
    expect(res.status).toBe(201);
    expect(body['redirect_uris']).toEqual(uris);
  });

  it('token_endpoint_auth_method "none" → a public client: no secret, no secret expiry', async () => {
    const { res, body } = await registerJson(doc, {
      client_name: 'SPA',
      redirect_uris: ['https://spa.example/cb'],
      token_endpoint_auth_method: 'none',
    });
    expectJsonResponse(res, 201);
    expect(body['token_endpoint_auth_method']).toBe('none');
    expect(body).not.toHaveProperty('client_secret');
    expect(body).not.toHaveProperty('client_secret_expires_at');
    expect(body['client_id']).toMatch(UUID_V4);
    expect(body['client_name']).toBe('SPA');
  });

  it.each(['client_secret_basic', 'client_secret_post'])('token_endpoint_auth_method %s is echoed', async (method) => {
    const { res, body } = await registerJson(doc, { redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: method });
    expect(res.status).toBe(201);
    expect(body['token_endpoint_auth_method']).toBe(method);
    expect(body['client_secret']).toMatch(ALNUM_86);
  });

  it('a form body works too; repeated redirect_uris become a list', async () => {
    const { res, body } = await registerForm(doc, [
      ['client_name', 'Form App'],
      ['redirect_uris', 'https://form.example/one'],
      ['redirect_uris', 'https://form.example/two'],
      ['token_endpoint_auth_method', 'client_secret_post'],
    ]);
    expectJsonResponse(res, 201);
    expect(body['client_name']).toBe('Form App');
    expect(body['redirect_uris']).toEqual(['https://form.example/one', 'https://form.example/two']);
    expect(body['token_endpoint_auth_method']).toBe('client_secret_post');
    expect(body['client_secret']).toMatch(ALNUM_86);
  });

  it('a form body with redirect_uris[] (Phoenix array syntax) works', async () => {
    const { res, body } = await registerForm(doc, [
      ['redirect_uris[]', 'https://form.example/a'],
      ['redirect_uris[]', 'https://form.example/b'],
    ]);
    expect(res.status).toBe(201);
    expect(body['redirect_uris']).toEqual(['https://form.example/a', 'https://form.example/b']);
  });

  it('a form body with a single redirect_uris value is not an array → 400', async () => {
    const { res, body } = await registerForm(doc, [['redirect_uris', 'https://form.example/a']]);
    expectJsonResponse(res, 400);
    expect(body).toStrictEqual({ error: 'invalid_client_metadata', error_description: 'redirect_uris: is invalid' });
  });

  it('a repeated client_name in a form is not a string → 400 naming client_name', async () => {
    const { res, body } = await registerForm(doc, [
      ['client_name', 'One'],
      ['client_name', 'Two'],
      ['redirect_uris[]', 'https://form.example/a'],
    ]);
    expectJsonResponse(res, 400);
    expect(body).toStrictEqual({ error: 'invalid_client_metadata', error_description: 'client_name: is invalid' });
  });

  it('a body just under 64 KiB is accepted', async () => {
    const name = 'n'.repeat(60 * 1024);
    const { res, body } = await registerJson(doc, { client_name: name, redirect_uris: ['https://a.example/cb'] });
    expect(res.status).toBe(201);
    expect(body['client_name']).toBe(name);
  });
});

describe('documented profile: errors', () => {
  const cases: [string, unknown, string][] = [
    ['a URI with a scheme but no host', { redirect_uris: ['com.example:/cb'] }, 'redirect_uris: `com.example:/cb` is invalid'],
    ['an OOB URN', { redirect_uris: ['urn:ietf:wg:oauth:2.0:oob'] }, 'redirect_uris: `urn:ietf:wg:oauth:2.0:oob` is invalid'],
    ['a relative URI', { redirect_uris: ['/callback'] }, 'redirect_uris: `/callback` is invalid'],
    ['not a URL at all', { redirect_uris: ['not a url'] }, 'redirect_uris: `not a url` is invalid'],
    ['http with an empty authority', { redirect_uris: ['http:///cb'] }, 'redirect_uris: `http:///cb` is invalid'],
    ['https without //', { redirect_uris: ['https:/cb'] }, 'redirect_uris: `https:/cb` is invalid'],
    ['a fragment', { redirect_uris: ['https://a.example/cb#frag'] }, 'redirect_uris: `https://a.example/cb#frag` is invalid'],
    ['an empty fragment', { redirect_uris: ['https://a.example/cb#'] }, 'redirect_uris: `https://a.example/cb#` is invalid'],
    ['an empty string', { redirect_uris: [''] }, 'redirect_uris: `` is invalid'],
    ['a number in the list', { redirect_uris: [42] }, 'redirect_uris: `42` is invalid'],
    ['null in the list', { redirect_uris: [null] }, 'redirect_uris: `null` is invalid'],
    ['redirect_uris a string', { redirect_uris: 'https://a.example/cb' }, 'redirect_uris: is invalid'],
    ['redirect_uris an object', { redirect_uris: { a: 'https://a.example/cb' } }, 'redirect_uris: is invalid'],
    ['redirect_uris null', { redirect_uris: null }, "redirect_uris: can't be blank"],
    ['an unknown auth method', { token_endpoint_auth_method: 'magic' }, 'token_endpoint_auth_method: has an invalid entry'],
    ['an auth method that is not a string', { token_endpoint_auth_method: ['none'] }, 'token_endpoint_auth_method: has an invalid entry'],
    [
      'client_secret_jwt',
      { token_endpoint_auth_method: 'client_secret_jwt' },
      'token_endpoint_auth_method: is not supported by this server (use client_secret_basic, client_secret_post or none)',
    ],
    ['client_name a number', { client_name: 7 }, 'client_name: is invalid'],
    ['client_name an object', { client_name: { en: 'x' } }, 'client_name: is invalid'],
  ];

  it.each(cases)('%s → 400 invalid_client_metadata with a string description naming the field', async (_, input, description) => {
    const { res, body } = await registerJson(doc, input);
    expectJsonResponse(res, 400);
    expect(body).toStrictEqual({ error: 'invalid_client_metadata', error_description: description });
  });

  it('several problems are all reported, field by field', async () => {
    const { res, body } = await registerJson(doc, {
      client_name: 1,
      redirect_uris: ['https://ok.example/cb', 'bad', 'https://a.example/#x'],
      token_endpoint_auth_method: 'nope',
    });
    expect(res.status).toBe(400);
    expect(body['error']).toBe('invalid_client_metadata');
    expect(body['error_description']).toBe(
      'client_name: is invalid; redirect_uris: `bad` is invalid, `https://a.example/#x` is invalid; token_endpoint_auth_method: has an invalid entry',
    );
  });

  it('one bad URI among good ones registers nothing', async () => {
    const { res } = await registerJson(doc, { redirect_uris: ['https://only-if-valid.example/cb', 'x'] });
    expect(res.status).toBe(400);
  });

  it.each([
    ['a JSON array', '[{"redirect_uris":["https://a.example/cb"]}]'],
    ['an empty JSON array', '[]'],
  ])('%s body → 400 (must be an object)', async (_, raw) => {
    const { res, body } = await registerJson(doc, raw);
    expectJsonResponse(res, 400);
    expect(body).toStrictEqual({
      error: 'invalid_client_metadata',
      error_description: 'The request body must be a JSON object of client metadata.',
    });
  });

  it.each(['{"redirect_uris": [', '{redirect_uris: 1}', '{"a":1}}', '"just a string"', 'null'])(
    'malformed or non-container JSON %j → 400 invalid_request, never 500',
    async (raw) => {
      const { res, body } = await registerJson(doc, raw);
      expectJsonResponse(res, 400);
      expect(body['error']).toBe('invalid_request');
      expect(typeof body['error_description']).toBe('string');
    },
  );

  it('malformed JSON has the exact description', async () => {
    const { body } = await registerJson(doc, '{"redirect_uris": [');
    expect(body).toStrictEqual({
      error: 'invalid_request',
      error_description: 'The request body could not be parsed; send a JSON object or a form.',
    });
  });

  it('a JSON body over 64 KiB → 413 invalid_request', async () => {
    const { res, body } = await registerJson(doc, { client_name: 'x'.repeat(70 * 1024), redirect_uris: ['https://a.example/cb'] });
    expectJsonResponse(res, 413);
    expect(body).toStrictEqual({ error: 'invalid_request', error_description: 'The request body is larger than 65536 bytes.' });
  });

  it('a form body over 64 KiB → 413 invalid_request', async () => {
    const { res, body } = await registerForm(doc, [['client_name', 'x'.repeat(70 * 1024)]]);
    expectJsonResponse(res, 413);
    expect(body['error']).toBe('invalid_request');
  });

  it('GET /oauth/register → 405 Allow: POST', async () => {
    const res = await fetch(`${doc.url}/oauth/register`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('production profile', () => {
  it('201 with exactly the five fields and the seven library grant types', async () => {
    const { res, body } = await registerJson(prod, {
      client_name: 'My App',
      redirect_uris: ['https://myapp.com/auth/callback'],
      grant_types: ['authorization_code'],
    });
    expectJsonResponse(res, 201);
    expect(Object.keys(body).sort()).toEqual(['client_id', 'client_secret', 'grant_types', 'redirect_uris', 'token_endpoint_auth_method']);
    expect(body['client_id']).toMatch(UUID_V4);
    expect(body['client_secret']).toMatch(ALNUM_86);
    expect(body['redirect_uris']).toEqual(['https://myapp.com/auth/callback']);
    expect(body['grant_types']).toEqual(ALL_GRANTS);
    expect(body['token_endpoint_auth_method']).toBe('client_secret_basic');
  });

  it('"none" is dropped: the client still gets a secret and client_secret_basic', async () => {
    const { res, body } = await registerJson(prod, { redirect_uris: ['https://spa.example/cb'], token_endpoint_auth_method: 'none' });
    expectJsonResponse(res, 201);
    expect(body['client_secret']).toMatch(ALNUM_86);
    expect(body['token_endpoint_auth_method']).toBe('client_secret_basic');
  });

  it('client_secret_post is echoed', async () => {
    const { res, body } = await registerJson(prod, { redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'client_secret_post' });
    expect(res.status).toBe(201);
    expect(body['token_endpoint_auth_method']).toBe('client_secret_post');
  });

  it('a JSON array body still registers a client with every field absent', async () => {
    const { res, body } = await registerJson(prod, '[1,2]');
    expectJsonResponse(res, 201);
    expect(body['client_id']).toMatch(UUID_V4);
    expect(body['client_secret']).toMatch(ALNUM_86);
    expect(body['redirect_uris']).toEqual([]);
    expect(body['grant_types']).toEqual(ALL_GRANTS);
  });

  it('a form body works', async () => {
    const { res, body } = await registerForm(prod, [['redirect_uris[]', 'https://form.example/a']]);
    expect(res.status).toBe(201);
    expect(body['redirect_uris']).toEqual(['https://form.example/a']);
    expect(Object.keys(body)).toHaveLength(5);
  });

  const cases: [string, unknown, Record<string, string[]>][] = [
    ['not a url', { redirect_uris: ['not a url'] }, { redirect_uris: ['`not a url` is invalid'] }],
    ['no host', { redirect_uris: ['com.example:/cb'] }, { redirect_uris: ['`com.example:/cb` is invalid'] }],
    ['a fragment', { redirect_uris: ['https://a.example/cb#f'] }, { redirect_uris: ['`https://a.example/cb#f` is invalid'] }],
    ['not a string', { redirect_uris: [5] }, { redirect_uris: ['`5` is invalid'] }],
    ['not an array', { redirect_uris: 'https://a.example/cb' }, { redirect_uris: ['is invalid'] }],
    ['null', { redirect_uris: null }, { redirect_uris: ["can't be blank"] }],
    ['unknown auth method', { token_endpoint_auth_method: 'magic' }, { token_endpoint_auth_method: ['has an invalid entry'] }],
    ['client_name not a string', { client_name: false }, { client_name: ['is invalid'] }],
    [
      'two bad URIs',
      { redirect_uris: ['a', 'https://b.example/#'] },
      { redirect_uris: ['`a` is invalid', '`https://b.example/#` is invalid'] },
    ],
  ];

  it.each(cases)('%s → 400 with error_description as a field ⇒ messages object', async (_, input, description) => {
    const { res, body } = await registerJson(prod, input);
    expectJsonResponse(res, 400);
    expect(body).toStrictEqual({ error: 'invalid_client_metadata', error_description: description });
  });

  it('malformed JSON → Plug.Parsers’ 400 (never 500)', async () => {
    const { res, body } = await registerJson(prod, '{"a":');
    expect(res.status).toBe(400);
    expect(body).toStrictEqual({ errors: { detail: 'Bad Request' } });
  });

  it('over 64 KiB → 413 invalid_request', async () => {
    const { res, body } = await registerJson(prod, { client_name: 'y'.repeat(65 * 1024) });
    expectJsonResponse(res, 413);
    expect(body['error']).toBe('invalid_request');
  });
});

describe('a registered client can be used at once', () => {
  async function authorizeWith(m: TestMock, clientId: string, redirectUri: string, state: string) {
    const { verifier, challenge } = pkce();
    const res = await fetch(authorizeUrl(m.url, { clientId, redirectUri, challenge, scope: 'user:read', state }), { redirect: 'manual' });
    expect(res.status, await res.clone().text()).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe(state);
    const code = location.searchParams.get('code')!;
    expect(code).toMatch(ALNUM_86);
    return { code, verifier };
  }

  it('documented: confidential client → code → tokens with its secret (Basic)', async () => {
    const redirectUri = 'https://fresh.example/callback';
    const reg = await registerJson(doc, { client_name: 'Fresh', redirect_uris: [redirectUri] });
    expect(reg.res.status).toBe(201);
    const { client_id: clientId, client_secret: secret } = reg.body;
    const { code, verifier } = await authorizeWith(doc, clientId, redirectUri, 'st-1');
    const res = await postForm(
      `${doc.url}/oauth/token`,
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier },
      { authorization: basic(clientId, secret) },
    );
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(body['token_type']).toBe('bearer');
    expect(body['scope']).toBe('user:read');
  });

  it('documented: the secret is really checked (wrong secret → 401 invalid_client)', async () => {
    const redirectUri = 'https://fresh.example/callback2';
    const reg = await registerJson(doc, { redirect_uris: [redirectUri] });
    const { code, verifier } = await authorizeWith(doc, reg.body['client_id'], redirectUri, 's');
    const res = await postForm(
      `${doc.url}/oauth/token`,
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier },
      { authorization: basic(reg.body['client_id'], 'wrong') },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await res.json())['error']).toBe('invalid_client');
  });

  it('documented: public client → code → tokens with only its client_id', async () => {
    const redirectUri = 'http://localhost:9999/cb';
    const reg = await registerJson(doc, { redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' });
    expect(reg.res.status).toBe(201);
    const { code, verifier } = await authorizeWith(doc, reg.body['client_id'], redirectUri, 'pub');
    const res = await postForm(`${doc.url}/oauth/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: reg.body['client_id'],
      code_verifier: verifier,
    });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it('documented: a form-registered client works too', async () => {
    const redirectUri = 'https://form-used.example/cb';
    const reg = await registerForm(doc, [['redirect_uris[]', redirectUri]]);
    expect(reg.res.status).toBe(201);
    await authorizeWith(doc, reg.body['client_id'], redirectUri, 'f');
  });

  it('documented: only the registered URI matches', async () => {
    const reg = await registerJson(doc, { redirect_uris: ['https://exact.example/cb'] });
    const { challenge } = pkce();
    const res = await fetch(
      authorizeUrl(doc.url, { clientId: reg.body['client_id'], redirectUri: 'https://exact.example/cb/', challenge }),
      { redirect: 'manual' },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('location')).toBeNull();
  });

  it('production: the new client authorizes and exchanges its code', async () => {
    const redirectUri = 'https://prod-fresh.example/cb';
    const reg = await registerJson(prod, { redirect_uris: [redirectUri] });
    expect(reg.res.status).toBe(201);
    const { code, verifier } = await authorizeWith(prod, reg.body['client_id'], redirectUri, 'p');
    const res = await postForm(
      `${prod.url}/oauth/token`,
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier },
      { authorization: basic(reg.body['client_id'], reg.body['client_secret']) },
    );
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body['access_token']).toMatch(ALNUM_86);
    expect(body).not.toHaveProperty('scope');
  });

  it('no internal errors were logged', () => {
    expect(doc.logs).toEqual([]);
    expect(prod.logs).toEqual([]);
  });
});
