// The production profile's quirks of the real glossia.ai server (reference §5, §9, §16) that a client
// can hit there after passing against the documented profile, each next to the documented answer.
import { createHash, createVerify } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearer } from './helpers/api.js';
import { Browser, signIn } from './helpers/browser-session.js';
import { expectError, json } from './helpers/http.js';
import { authorizeUrl, autoApprovedCode, basic, DEMO, mockStarter, pkce, postForm, USERS, type TestMock } from './helpers/mock.js';
import { introspect, ok, registerClient, tokensFor } from './helpers/tokens.js';

const start = mockStarter();
const [doc, prod, prodManual] = await Promise.all([
  start({ autoApprove: 'dev' }),
  start({ autoApprove: 'dev', profile: 'production' }),
  start({ profile: 'production' }),
]);

const tokenUrl = (m: TestMock) => `${m.url}/oauth/token`;

/** A dynamically registered client of `m`: on the production profile it holds all seven library grants. */
const registered = (m: TestMock, redirectUris: string[] = [DEMO.redirectUri]) => registerClient(m, 'Prod quirks', redirectUris);

describe('sign-in comes first (reference 5.1 step 1)', () => {
  it('signed out, even a garbage request goes to /auth/login remembering the request as sent', async () => {
    const path = '/oauth/authorize?client_id=nope&client_id=again&x=%20y';
    const res = await fetch(`${prodManual.url}${path}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!, prodManual.url);
    expect(location.pathname).toBe('/auth/login');
    expect(location.searchParams.get('return_to')).toBe(path);
    // Signed in, the same request is validated: Glossia's JSON error, on the mock's origin.
    const b = new Browser(prodManual.url);
    const back = await signIn(b, 'dev', path);
    expect(back.headers.get('location')).toBe(path);
    const validated = await b.get(path);
    expect(validated.status).toBe(400);
    expect(await json(validated)).toMatchObject({ error: 'invalid_request' });
  });

  it('documented: a signed-out request with an unknown client is an HTML error, not a sign-in redirect', async () => {
    const m = await start();
    const res = await fetch(`${m.url}/oauth/authorize?client_id=nope`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('response_mode (reference 5.1)', () => {
  it('fragment is accepted, and the code still comes back in the query', async () => {
    const { location } = await autoApprovedCode(prod.url, { state: 's1', extra: { response_mode: 'fragment' } });
    expect(location.hash).toBe('');
    expect([...location.searchParams.keys()]).toEqual(['code', 'expires_in', 'state']);
  });

  it('any other value is boruta’s pattern error; the documented profile allows query only', async () => {
    const { challenge } = pkce();
    const url = (m: TestMock, mode: string) => authorizeUrl(m.url, { challenge, extra: { response_mode: mode } });
    await expectError(await fetch(url(prod, 'form_post'), { redirect: 'manual' }), 400, {
      error: 'invalid_request',
      error_description: 'Query params validation failed. #/response_mode do match required pattern /^(query|fragment)$/.',
    });
    const res = await fetch(url(doc, 'fragment'), { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });
});

describe('repeated parameters: the last value wins (Phoenix)', () => {
  it('at /oauth/authorize and /oauth/token; the documented profile refuses them', async () => {
    const { verifier, challenge } = pkce();
    const url = `${authorizeUrl(prod.url, { challenge, scope: 'user:read', state: 'first' })}&scope=project:read&state=last`;
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('last');
    const body = new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: DEMO.redirectUri });
    body.append('client_id', DEMO.clientId);
    body.append('code_verifier', 'wrong');
    body.append('code_verifier', verifier);
    const tokens = await ok(await fetch(tokenUrl(prod), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
    const projects = await fetch(`${prod.url}/api/dev/projects`, { headers: bearer(tokens.access_token) });
    expect(projects.status).toBe(200);

    const refused = await fetch(url.replace(prod.url, doc.url), { redirect: 'manual' });
    expect(new URL(refused.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('name[] still makes a list: a form registration with redirect_uris[] keeps both', async () => {
    const body = new URLSearchParams([
      ['client_name', 'form'],
      ['redirect_uris[]', 'https://a.example/cb'],
      ['redirect_uris[]', 'https://b.example/cb'],
    ]);
    const res = await fetch(`${prod.url}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(201);
    expect(((await json(res)) as { redirect_uris: string[] }).redirect_uris).toEqual(['https://a.example/cb', 'https://b.example/cb']);
  });
});

describe('the library grants of dynamically registered clients (reference 5.7, §16 #31)', () => {
  it('response_type=token: a token in the fragment (access_token, expires_in, state, token_type) that works at the API', async () => {
    const client = await registered(prod);
    const res = await fetch(authorizeUrl(prod.url, { challenge: '', clientId: client.clientId, scope: 'project:read', state: 'st', extra: { response_type: 'token' } }), {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}${location.search}`).toBe(DEMO.redirectUri);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect([...fragment.keys()]).toEqual(['access_token', 'expires_in', 'state', 'token_type']);
    expect(fragment.get('access_token')).toMatch(/^[A-Za-z0-9]{86}$/);
    expect(fragment.get('expires_in')).toBe('86399');
    expect(fragment.get('state')).toBe('st');
    expect(fragment.get('token_type')).toBe('bearer');
    const projects = await fetch(`${prod.url}/api/dev/projects`, { headers: bearer(fragment.get('access_token')!) });
    expect(projects.status).toBe(200);
  });

  it('password: a 401 invalid_resource_owner for every user, after the schema and client checks', async () => {
    const client = await registered(prod);
    const password = (values: Record<string, string | undefined>) =>
      postForm(tokenUrl(prod), { grant_type: 'password', client_id: client.clientId, ...values });
    await expectError(await password({ username: 'nobody@example.test', password: 'x' }), 401, {
      error: 'invalid_resource_owner',
      error_description: 'User not found.',
    });
    await expectError(await password({ username: 'dev@glossia.ai', password: 'x' }), 401, {
      error: 'invalid_resource_owner',
      error_description: 'Password authentication is not supported. Use OAuth login.',
    });
    await expectError(await password({}), 400, {
      error: 'invalid_request',
      error_description: 'Request body validation failed. Required properties username, password are missing at #.',
    });
    await expectError(await password({ client_id: DEMO.clientId, username: 'dev@glossia.ai', password: 'x' }), 400, {
      error: 'unsupported_grant_type',
      error_description: 'Client do not support given grant type.',
    });
  });

  it('client_credentials: with the secret and no scope, a user-less token the API refuses; any Glossia scope is invalid_scope', async () => {
    const client = await registered(prod);
    const cc = (values: Record<string, string | undefined>) =>
      postForm(tokenUrl(prod), { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret, ...values });
    const tokens = await ok(await cc({}));
    expect(Object.keys(tokens).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(tokens.expires_in).toBe(86399);
    const api = await fetch(`${prod.url}/api/accounts`, { headers: bearer(tokens.access_token) });
    expect(api.status).toBe(401);
    expect(JSON.parse(await api.text())).toEqual({ error: 'invalid_token' });
    const seen = await ok<Record<string, unknown>>(await introspect(prod, tokens.access_token, client));
    expect(seen).toMatchObject({ active: true, client_id: client.clientId, username: null, sub: null, scope: '' });
    await ok(await cc({ scope: 'openid' }));
    await expectError(await cc({ scope: 'project:read' }), 400, { error: 'invalid_scope', error_description: 'Given scopes are unknown or unauthorized.' });
    await expectError(await cc({ client_secret: 'wrong' }), 401, { error: 'invalid_client', error_description: 'Invalid client_id or client_secret.' });
    await expectError(await cc({ client_id: DEMO.clientId, client_secret: DEMO.secret }), 400, {
      error: 'unsupported_grant_type',
      error_description: 'Client do not support given grant type.',
    });
  });
});

describe('wildcard redirect URIs (reference 4)', () => {
  it('a * matches one label of 3-63 characters, at authorize and at the code exchange', async () => {
    const client = await registered(prod, ['https://*.preview.example.com/cb']);
    const { code, verifier, location } = await autoApprovedCode(prod.url, { clientId: client.clientId, redirectUri: 'https://pr-12.preview.example.com/cb' });
    expect(location.origin).toBe('https://pr-12.preview.example.com');
    await ok(
      await postForm(tokenUrl(prod), {
        grant_type: 'authorization_code',
        code,
        client_id: client.clientId,
        redirect_uri: 'https://pr-12.preview.example.com/cb',
        code_verifier: verifier,
      }),
    );
    const { challenge } = pkce();
    for (const uri of ['https://a.b.preview.example.com/cb', 'https://ab.preview.example.com/cb', 'https://x.preview.example.com/cb/']) {
      await expectError(await fetch(authorizeUrl(prod.url, { challenge, clientId: client.clientId, redirectUri: uri }), { redirect: 'manual' }), 401, {
        error: 'invalid_client',
        error_description: 'Invalid client_id or redirect_uri.',
      });
    }
  });

  it('documented: the * is a literal character (exact matching)', async () => {
    const client = await registered(doc, ['https://*.preview.example.com/cb']);
    const { challenge } = pkce();
    const res = await fetch(authorizeUrl(doc.url, { challenge, clientId: client.clientId, redirectUri: 'https://pr-12.preview.example.com/cb' }), { redirect: 'manual' });
    expect(res.status).toBe(401);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('multipart bodies (reference 1.1)', () => {
  it('are parsed on the OAuth endpoints; the documented profile reads no parameters from them', async () => {
    const multipartToken = async (m: TestMock) => {
      const { code, verifier } = await autoApprovedCode(m.url, { scope: 'project:read' });
      const body = new FormData();
      for (const [k, v] of Object.entries({ grant_type: 'authorization_code', code, redirect_uri: DEMO.redirectUri, client_id: DEMO.clientId, client_secret: DEMO.secret, code_verifier: verifier }))
        body.set(k, v);
      return fetch(tokenUrl(m), { method: 'POST', body });
    };
    const tokens = await ok(await multipartToken(prod));
    expect(tokens.access_token).toMatch(/^[A-Za-z0-9]{86}$/);
    await expectError(await multipartToken(doc), 400, {
      error: 'invalid_request',
      error_description: 'Request is not a valid OAuth request. Need a grant_type param.',
    });

    const registration = new FormData();
    registration.set('client_name', 'multipart');
    registration.append('redirect_uris[]', 'https://a.example/cb');
    const res = await fetch(`${prod.url}/oauth/register`, { method: 'POST', body: registration });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ redirect_uris: ['https://a.example/cb'] });
  });

  it('a malformed multipart body is a 400, never a 500', async () => {
    const res = await fetch(tokenUrl(prod), {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nauthorization_code',
    });
    expect(res.status).toBe(400);
    expect(await json(res)).toStrictEqual({ errors: { detail: 'Bad Request' } });
  });
});

describe('a body that does not parse (reference 11A.1 row 6)', () => {
  it('is Plug.Parsers’ 400 before any route or authentication in production, invalid_request in the documented profile', async () => {
    const post = (m: TestMock, path: string) =>
      fetch(`${m.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: '{"jsonrpc":',
      });
    for (const path of ['/mcp', '/api/acme/projects', '/oauth/token', '/oauth/register']) {
      const res = await post(prod, path);
      expect({ path, status: res.status, body: await json(res) }).toStrictEqual({ path, status: 400, body: { errors: { detail: 'Bad Request' } } });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      await expectError(await post(doc, path), 400, {
        error: 'invalid_request',
        error_description: 'The request body could not be parsed; send a JSON object or a form.',
      });
    }
  });
});

describe('the REST API', () => {
  it('bad list parameters: Flop’s 500 in production, a 400 naming them in the documented profile', async () => {
    const token = (await tokensFor(prod, 'project:read')).access_token;
    const res = await fetch(`${prod.url}/api/dev/projects?page_size=0`, { headers: bearer(token) });
    expect(res.status).toBe(500);
    expect(await json(res)).toStrictEqual({ errors: { detail: 'Internal Server Error' } });
    const docToken = (await tokensFor(doc, 'project:read')).access_token;
    const documented = await fetch(`${doc.url}/api/dev/projects?page_size=0`, { headers: bearer(docToken) });
    expect(documented.status).toBe(400);
  });

  it('invalid_token: 401 with WWW-Authenticate: Bearer and no content type (documented: JSON)', async () => {
    const res = await fetch(`${prod.url}/api/dev/projects`, { headers: bearer('not-a-token') });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('content-type')).toBeNull();
    expect(await res.text()).toBe('{"error":"invalid_token"}');
    const documented = await fetch(`${doc.url}/api/dev/projects`, { headers: bearer('not-a-token') });
    expect(documented.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});

describe('id_token (reference 5.8)', () => {
  it('is signed RS512 with a 1024-bit key of the client’s own, kid from that key, at_hash from SHA-512', async () => {
    const client = await registered(prod);
    const idToken = async () => {
      const { code, verifier } = await autoApprovedCode(prod.url, { clientId: client.clientId, scope: 'openid user:read', extra: { nonce: 'n-1' } });
      const body = await ok<{ access_token: string; id_token: string }>(
        await postForm(tokenUrl(prod), { grant_type: 'authorization_code', code, client_id: client.clientId, redirect_uri: DEMO.redirectUri, code_verifier: verifier }),
      );
      return { ...body, parts: body.id_token.split('.') };
    };
    const first = await idToken();
    const [header, payload, signature] = first.parts.map((p) => Buffer.from(p!, 'base64url'));
    const head = JSON.parse(header!.toString());
    expect(Object.keys(head)).toEqual(['alg', 'kid', 'typ']);
    expect(head).toMatchObject({ alg: 'RS512', typ: 'JWT' });
    expect(head.kid).toMatch(/^[A-Za-z0-9+/]{17}$/);
    expect(signature!.length).toBe(128);
    const { publicKey } = await prod.mock.clientKeys.keyFor(client.clientId);
    const verify = createVerify('sha512').update(`${first.parts[0]}.${first.parts[1]}`);
    expect(verify.verify(publicKey, signature!)).toBe(true);
    const claims = JSON.parse(payload!.toString());
    const digest = createHash('sha512').update(first.access_token).digest();
    expect(claims).toMatchObject({ iss: prod.issuer, sub: USERS.dev, aud: client.clientId, nonce: 'n-1', email: 'dev@glossia.ai', at_hash: digest.subarray(0, 32).toString('base64url') });
    expect(claims.exp - claims.iat).toBe(86400);
    // The same client keeps its key; another client has its own.
    expect(JSON.parse(Buffer.from((await idToken()).parts[0]!, 'base64url').toString()).kid).toBe(head.kid);
    const other = await registered(prod);
    expect((await prod.mock.clientKeys.keyFor(other.clientId)).kid).not.toBe(head.kid);
  });
});

describe('JWT client authentication (reference 4, 5.4)', () => {
  async function registerJwt(m: TestMock, metadata: Record<string, unknown>) {
    const res = await fetch(`${m.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'jwt', redirect_uris: [DEMO.redirectUri], ...metadata }),
    });
    return { status: res.status, body: (await json(res)) as Record<string, unknown> };
  }

  /** A refresh token of `clientId` (the code exchange never checks client credentials). */
  async function refreshTokenOf(clientId: string): Promise<string> {
    const { code, verifier } = await autoApprovedCode(prod.url, { clientId, scope: 'project:read' });
    const tokens = await ok(await postForm(tokenUrl(prod), { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: DEMO.redirectUri, code_verifier: verifier }));
    return tokens.refresh_token;
  }

  const assertion = (clientId: string, claims: Record<string, unknown> = {}) =>
    new SignJWT({ aud: prod.issuer, ...claims }).setIssuer(clientId).setSubject(clientId).setExpirationTime('5m');

  const refreshWith = (refreshToken: string, values: Record<string, string>) =>
    postForm(tokenUrl(prod), { grant_type: 'refresh_token', refresh_token: refreshToken, ...values });

  const jwtBearer = (jwt: string) => ({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt });

  it('client_secret_jwt: registered and echoed; the refresh needs an HS256 assertion signed with the secret', async () => {
    const { status, body } = await registerJwt(prod, { token_endpoint_auth_method: 'client_secret_jwt' });
    expect(status).toBe(201);
    expect(body['token_endpoint_auth_method']).toBe('client_secret_jwt');
    const clientId = body['client_id'] as string;
    const secret = new TextEncoder().encode(body['client_secret'] as string);
    const signed = await assertion(clientId).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    await ok(await refreshWith(await refreshTokenOf(clientId), jwtBearer(signed)));

    const refreshToken = await refreshTokenOf(clientId);
    await expectError(await refreshWith(refreshToken, { client_id: clientId, client_secret: body['client_secret'] as string }), 401, {
      error: 'invalid_client',
      error_description: 'Given client expects the credentials to be provided with a jwt assertion.',
    });
    const forged = await assertion(clientId).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('not the secret'));
    await expectError(await refreshWith(refreshToken, jwtBearer(forged)), 401, {
      error: 'invalid_client',
      error_description: 'The given client secret jwt does not match signature key.',
    });
    const noAud = await new SignJWT({}).setIssuer(clientId).setSubject(clientId).setExpirationTime('5m').setProtectedHeader({ alg: 'HS256' }).sign(secret);
    await expectError(await refreshWith(refreshToken, jwtBearer(noAud)), 400, {
      error: 'invalid_request',
      error_description: 'Client assertion aud claim not found in client assertion JWT.',
    });
  });

  it('private_key_jwt: the one key of jwks verifies RS256 assertions; another key’s do not', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const { status, body } = await registerJwt(prod, {
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256' }] },
    });
    expect(status).toBe(201);
    expect(body['token_endpoint_auth_method']).toBe('private_key_jwt');
    const clientId = body['client_id'] as string;
    await ok(await refreshWith(await refreshTokenOf(clientId), jwtBearer(await assertion(clientId).setProtectedHeader({ alg: 'RS256' }).sign(privateKey))));
    const other = await generateKeyPair('RS256');
    await expectError(
      await refreshWith(await refreshTokenOf(clientId), jwtBearer(await assertion(clientId).setProtectedHeader({ alg: 'RS256' }).sign(other.privateKey))),
      401,
      { error: 'invalid_client', error_description: 'The given client secret jwt does not match signature key.' },
    );
  });

  it('a jwks key with an unknown alg is refused; the documented profile does not register JWT methods', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const bad = await registerJwt(prod, { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] } });
    expect(bad).toEqual({ status: 400, body: { error: 'invalid_client_metadata', error_description: { token_endpoint_jwt_auth_alg: ['is invalid'] } } });
    const documented = await registerJwt(doc, { token_endpoint_auth_method: 'client_secret_jwt' });
    expect(documented.status).toBe(400);
    expect(documented.body['error']).toBe('invalid_client_metadata');
  });
});

describe('HTTP Basic client credentials (reference 5.4)', () => {
  it('the header wins over the body’s client_id and client_secret; a malformed header is a 400', async () => {
    const client = await registered(prod);
    const refreshToken = async () => (await tokensFor(prod, 'project:read', { client: { ...client, redirectUri: DEMO.redirectUri } })).refresh_token;
    const refresh = async (headers: Record<string, string>, extra: Record<string, string> = {}) =>
      postForm(tokenUrl(prod), { grant_type: 'refresh_token', refresh_token: await refreshToken(), ...extra }, headers);
    await ok(await refresh({ Authorization: basic(client.clientId, client.secret) }, { client_id: DEMO.clientId, client_secret: 'not-the-secret' }));
    await expectError(await refresh({ Authorization: `basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}` }), 400, {
      error: 'invalid_request',
      error_description: `\`basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}\` is not a valid Basic authorization header.`,
    });
    for (const encoded of ['!!!', Buffer.from('no-colon').toString('base64'), Buffer.from('a:b:c').toString('base64')])
      await expectError(await refresh({ Authorization: `Basic ${encoded}` }), 400, { error: 'invalid_request', error_description: 'Given credentials are invalid.' });
    // The documented profile: RFC 6749 2.3.1, a disagreeing body client_id is refused.
    const docClient = await registered(doc);
    const { refresh_token } = await tokensFor(doc, 'project:read', { client: { ...docClient, redirectUri: DEMO.redirectUri } });
    const res = await postForm(tokenUrl(doc), { grant_type: 'refresh_token', refresh_token, client_id: DEMO.clientId }, { Authorization: basic(docClient.clientId, docClient.secret) });
    expect(res.status).toBe(400);
  });
});

describe('a client_id that is not a UUID at the code exchange (reference 5.5 row 1)', () => {
  it('is boruta’s 400 pattern error, from the body or the Basic header; the documented profile answers 401 invalid_client', async () => {
    const { code, verifier } = await autoApprovedCode(prod.url, { scope: 'project:read' });
    const exchange = (m: TestMock, clientId: string, headers: Record<string, string> = {}) =>
      postForm(tokenUrl(m), { grant_type: 'authorization_code', code, redirect_uri: DEMO.redirectUri, code_verifier: verifier, client_id: clientId }, headers);
    const patternError = {
      error: 'invalid_request',
      error_description:
        'Request body validation failed. #/client_id do match required pattern /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.',
    };
    await expectError(await exchange(prod, 'demo-app'), 400, patternError);
    await expectError(await exchange(prod, DEMO.clientId, { Authorization: basic('demo-app', 'x') }), 400, patternError);
    // The code was not spent by the refused attempts.
    await ok(await exchange(prod, DEMO.clientId));
    await expectError(await exchange(doc, 'demo-app'), 401, { error: 'invalid_client', error_description: 'Invalid client_id or redirect_uri.' });
  });
});

describe('openid goes last in the granted scope (reference 5.2; boruta’s scope intersection)', () => {
  it('on the consent page and in the token’s scope; the documented profile keeps the requested order', async () => {
    const scope = 'openid user:read project:read';
    const consentList = async (m: TestMock) => {
      const b = new Browser(m.url);
      const path = new URL(authorizeUrl(m.url, { challenge: pkce().challenge, scope })).search;
      await signIn(b, 'dev', `/oauth/authorize${path}`);
      const html = await (await b.get(`/oauth/authorize${path}`)).text();
      return [...html.matchAll(/<li><code>([^<]+)<\/code>/g)].map((match) => match[1]);
    };
    expect(await consentList(prodManual)).toEqual(['user:read', 'project:read', 'openid']);
    const client = await registered(prod);
    const tokens = await tokensFor(prod, scope, { client: { ...client, redirectUri: DEMO.redirectUri } });
    const seen = await ok<Record<string, unknown>>(await introspect(prod, tokens.access_token, client));
    expect(seen['scope']).toBe('user:read project:read openid');
    expect((await tokensFor(doc, scope)).scope).toBe(scope);
  });
});

describe('a registered redirect URI with a query (boruta’s URI.decode_query / Map.merge / URI.encode_query)', () => {
  it('production re-encodes and sorts that query after the response; the documented profile keeps it byte for byte', async () => {
    const redirectUri = 'https://app.example.com/cb?z=1&a=b%2fc&flag&a=2&sp=x+y&t=~%2a';
    const location = async (m: TestMock) => {
      const client = await registered(m, [redirectUri]);
      const res = await fetch(authorizeUrl(m.url, { challenge: pkce().challenge, clientId: client.clientId, redirectUri, state: 'a b*~' }), { redirect: 'manual' });
      expect(res.status).toBe(302);
      return res.headers.get('location')!;
    };
    expect(await location(prod)).toMatch(/^https:\/\/app\.example\.com\/cb\?code=[A-Za-z0-9]{86}&expires_in=(59|60)&state=a\+b%2A~&a=2&flag=&sp=x\+y&t=~%2A&z=1$/);
    const documented = await location(doc);
    expect(documented).toMatch(/^https:\/\/app\.example\.com\/cb\?z=1&a=b%2fc&flag&a=2&sp=x\+y&t=~%2a&code=[^&]+&state=a\+b\*%7E$/);
  });
});
