// POST /oauth/token, grant_type=authorization_code, over real HTTP: success shape, the RS256 JWT
// access token, client authentication, every error row of reference 5.5, code replay and expiry,
// TTL overrides, and the production profile's quirks.
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, expectInvalidToken } from './helpers/api.js';
import { expectError, json } from './helpers/http.js';
import {
  autoApprovedCode,
  basic,
  codeForm,
  DEMO,
  exchange,
  later,
  pkce,
  postForm,
  SPA,
  startTestMock,
  USERS,
  type TestMock,
} from './helpers/mock.js';
import { refresh, registerClient, tokensFor } from './helpers/tokens.js';

const ALNUM86 = /^[A-Za-z0-9]{86}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GUIDE_INVALID_CODE = { error: 'invalid_grant', error_description: 'The authorization code has expired or was already used.' };
const PROD_INVALID_CODE = { error: 'invalid_grant', error_description: 'Given authorization code is invalid, revoked, or expired.' };
const INVALID_REFRESH = { error: 'invalid_grant', error_description: 'Given refresh token is invalid, revoked, or expired.' };
const BAD_SECRET = { error: 'invalid_client', error_description: 'Invalid client_id or client_secret.' };

let doc: TestMock;
let prod: TestMock;
let short: TestMock;

beforeAll(async () => {
  [doc, prod, short] = await Promise.all([
    startTestMock({ autoApprove: 'dev' }),
    startTestMock({ autoApprove: 'dev', profile: 'production' }),
    startTestMock({ autoApprove: 'dev', codeTtl: 5, accessTokenTtl: 120 }),
  ]);
});

afterAll(async () => {
  await Promise.all([doc, prod, short].filter(Boolean).map((m) => m.close()));
});

const tokenUrl = (m: TestMock) => `${m.url}/oauth/token`;

describe('authorization_code grant, documented profile: success', () => {
  it('answers 200 with the RFC 6749 5.1 body and no-store caching', async () => {
    const { code, verifier, location } = await autoApprovedCode(doc.url, { scope: 'user:read project:read', state: 's1' });
    expect(location.searchParams.get('state')).toBe('s1');
    expect(location.searchParams.has('expires_in')).toBe(false);
    const res = await exchange(doc.url, code, verifier);
    const body = (await json(res)) as Record<string, unknown>;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(body['token_type']).toBe('bearer');
    expect(body['expires_in']).toBe(3600);
    expect(body['scope']).toBe('user:read project:read');
    expect(body['refresh_token']).toMatch(ALNUM86);
    expect(body['access_token']).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(body['refresh_token']).not.toBe(body['access_token']);
  });

  it('grants the default scope user:read when none was requested', async () => {
    const body = await tokensFor(doc, '');
    expect(body.scope).toBe('user:read');
    expect(decodeJwt(body.access_token)['scope']).toBe('user:read');
  });

  it('issues an RS256 at+jwt access token that verifies against the published JWKS', async () => {
    const before = Math.floor(Date.now() / 1000);
    const body = await tokensFor(doc, 'project:read');
    const after = Math.floor(Date.now() / 1000);

    const header = decodeProtectedHeader(body.access_token);
    expect(header.alg).toBe('RS256');
    expect(header.typ).toBe('at+jwt');
    expect(typeof header.kid).toBe('string');

    const jwksRes = await fetch(`${doc.url}/.well-known/jwks.json`);
    expect(jwksRes.status).toBe(200);
    const jwks = (await json(jwksRes)) as { keys: { kid: string; kty: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
    for (const k of jwks.keys) expect(k.d, 'the JWKS must not leak the private exponent').toBeUndefined();

    const keySet = createRemoteJWKSet(new URL(`${doc.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(body.access_token, keySet, {
      issuer: doc.issuer,
      audience: doc.issuer,
      typ: 'at+jwt',
      algorithms: ['RS256'],
    });
    expect(protectedHeader.kid).toBe(header.kid);
    expect(Object.keys(payload).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub']);
    expect(payload.iss).toBe(doc.issuer);
    expect(payload.sub).toBe(USERS.dev);
    expect(payload.aud).toBe(doc.issuer);
    expect(payload['client_id']).toBe(DEMO.clientId);
    expect(payload['scope']).toBe('project:read');
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(after);
    expect(payload.exp).toBe(payload.iat! + 3600);
    expect(payload.jti).toMatch(UUID);

    // A token with a flipped signature byte must not verify (the check above can fail).
    const [h, p, s] = body.access_token.split('.');
    const flipped = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`;
    await expect(jwtVerify(flipped, keySet, { issuer: doc.issuer, audience: doc.issuer })).rejects.toThrow();
  });

  it('gives every access token its own jti', async () => {
    const [a, b] = await Promise.all([tokensFor(doc), tokensFor(doc)]);
    expect(decodeJwt(a.access_token).jti).not.toBe(decodeJwt(b.access_token).jti);
    expect(a.refresh_token).not.toBe(b.refresh_token);
  });
});

describe('authorization_code grant, documented profile: client authentication', () => {
  it('accepts client_secret_post', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url);
    const res = await postForm(tokenUrl(doc), codeForm(code, verifier));
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it('accepts client_secret_basic, with or without client_id in the body', async () => {
    for (const clientId of [DEMO.clientId, undefined]) {
      const { code, verifier } = await autoApprovedCode(doc.url);
      const res = await postForm(tokenUrl(doc), codeForm(code, verifier, { client_id: clientId, client_secret: undefined }), {
        Authorization: basic(DEMO.clientId, DEMO.secret),
      });
      const body = (await json(res)) as Record<string, unknown>;
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(decodeJwt(body['access_token'] as string)['client_id']).toBe(DEMO.clientId);
    }
  });

  it('refuses Basic and client_secret at once with 400 invalid_request', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url);
    const res = await postForm(tokenUrl(doc), codeForm(code, verifier), { Authorization: basic(DEMO.clientId, DEMO.secret) });
    await expectError(res, 400, {
      error: 'invalid_request',
      error_description: 'Use one client authentication method: HTTP Basic or client_secret in the body, not both.',
    });
  });

  it('answers 401 invalid_client to a wrong or missing secret, and the code survives those attempts', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url);

    const wrongPost = await postForm(tokenUrl(doc), codeForm(code, verifier, { client_secret: `${DEMO.secret.slice(0, -1)}x` }));
    await expectError(wrongPost, 401, BAD_SECRET);
    expect(wrongPost.headers.get('www-authenticate')).toBeNull();

    const missing = await postForm(tokenUrl(doc), codeForm(code, verifier, { client_secret: undefined }));
    await expectError(missing, 401, BAD_SECRET);
    expect(missing.headers.get('www-authenticate')).toBeNull();

    const wrongBasic = await postForm(tokenUrl(doc), codeForm(code, verifier, { client_secret: undefined }), {
      Authorization: basic(DEMO.clientId, 'not-the-secret'),
    });
    await expectError(wrongBasic, 401, BAD_SECRET);
    expect(wrongBasic.headers.get('www-authenticate')).toMatch(/^Basic\b/);

    const good = await postForm(tokenUrl(doc), codeForm(code, verifier));
    expect(good.status, await good.clone().text()).toBe(200);
  });

  it('answers 401 invalid_client to an unknown client_id (reference 5.5 row 2)', async () => {
    for (const m of [doc, prod]) {
      const { code, verifier } = await autoApprovedCode(m.url);
      const res = await postForm(tokenUrl(m), codeForm(code, verifier, { client_id: '00000000-0000-4000-8000-000000000000' }));
      await expectError(res, 401, { error: 'invalid_client', error_description: 'Invalid client_id or redirect_uri.' });
    }
  });

  it('refuses a non-Basic Authorization header with 400 invalid_request', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url);
    const res = await postForm(tokenUrl(doc), codeForm(code, verifier, { client_secret: undefined }), { Authorization: 'Bearer abc' });
    await expectError(res, 400, { error: 'invalid_request', error_description: '`Bearer abc` is not a valid Basic authorization header.' });
  });

  it('lets the public SPA client exchange with only its client_id', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url, { clientId: SPA.clientId, redirectUri: SPA.redirectUri });
    const res = await postForm(tokenUrl(doc), codeForm(code, verifier, { client_id: SPA.clientId, client_secret: undefined }));
    const body = (await json(res)) as Record<string, unknown>;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body['refresh_token']).toMatch(ALNUM86);
    expect(decodeJwt(body['access_token'] as string)['client_id']).toBe(SPA.clientId);
  });

  it('answers 401 invalid_client when the public SPA client sends a secret (body or Basic)', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url, { clientId: SPA.clientId, redirectUri: SPA.redirectUri });
    const expected = { error: 'invalid_client', error_description: 'This client is public and has no secret; send only its client_id.' };
    const post = await postForm(tokenUrl(doc), codeForm(code, verifier, { client_id: SPA.clientId, client_secret: 'anything' }));
    await expectError(post, 401, expected);
    const viaBasic = await postForm(tokenUrl(doc), codeForm(code, verifier, { client_id: undefined, client_secret: undefined }), {
      Authorization: basic(SPA.clientId, 'anything'),
    });
    await expectError(viaBasic, 401, expected);
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic\b/);
  });
});

describe('authorization_code grant: request errors (reference 5.4/5.5 rows)', () => {
  it('missing grant_type → 400 invalid_request', async () => {
    const res = await postForm(tokenUrl(doc), { code: 'x', client_id: DEMO.clientId });
    await expectError(res, 400, {
      error: 'invalid_request',
      error_description: 'Request is not a valid OAuth request. Need a grant_type param.',
    });
  });

  it('unknown grant_type → unsupported_grant_type (documented) / the reference invalid_request (production)', async () => {
    for (const grant of ['password', 'client_credentials', 'toString', 'implicit']) {
      await expectError(await postForm(tokenUrl(doc), { grant_type: grant, client_id: DEMO.clientId }), 400, {
        error: 'unsupported_grant_type',
        error_description: 'The grant_type is not supported by this server.',
      });
    }
    // password and client_credentials are boruta grants the production profile serves (production.test.ts).
    for (const grant of ['toString', 'implicit', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
      await expectError(await postForm(tokenUrl(prod), { grant_type: grant, client_id: DEMO.clientId }), 400, {
        error: 'invalid_request',
        error_description:
          'Request body validation failed. #/grant_type do match required pattern /^(client_credentials|password|authorization_code|refresh_token)$/.',
      });
    }
  });

  it('missing code, redirect_uri or client_id → 400 invalid_request naming the property', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url);
    for (const name of ['code', 'redirect_uri', 'client_id'] as const) {
      const res = await postForm(tokenUrl(doc), codeForm(code, verifier, { [name]: undefined }));
      await expectError(res, 400, {
        error: 'invalid_request',
        error_description: `Request body validation failed. Required property ${name} is missing at #.`,
      });
    }
    // None of the refused requests used the code up.
    expect((await postForm(tokenUrl(doc), codeForm(code, verifier))).status).toBe(200);
  });

  it('a repeated parameter → 400 invalid_request', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url);
    const body = new URLSearchParams(codeForm(code, verifier) as Record<string, string>);
    body.append('code', code);
    const res = await fetch(tokenUrl(doc), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    await expectError(res, 400, { error: 'invalid_request', error_description: 'The code parameter must not be repeated.' });
  });

  it('unregistered redirect_uri → 401 invalid_client', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url);
    for (const uri of ['http://localhost:3000/other', 'http://localhost:3000/callback/', 'https://localhost:3000/callback']) {
      const res = await postForm(tokenUrl(doc), codeForm(code, verifier, { redirect_uri: uri }));
      await expectError(res, 401, { error: 'invalid_client', error_description: 'Invalid client_id or redirect_uri.' });
    }
  });

  it('a registered redirect_uri other than the code’s → 400 invalid_grant', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url);
    const res = await postForm(tokenUrl(doc), codeForm(code, verifier, { redirect_uri: 'http://localhost:3000/auth/callback' }));
    await expectError(res, 400, GUIDE_INVALID_CODE);
    // The mismatch did not consume the code.
    expect((await postForm(tokenUrl(doc), codeForm(code, verifier))).status).toBe(200);
  });

  it('missing or empty code_verifier → 400 "PKCE request invalid."', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url);
    for (const v of [undefined, '']) {
      const res = await postForm(tokenUrl(doc), codeForm(code, verifier, { code_verifier: v }));
      await expectError(res, 400, { error: 'invalid_request', error_description: 'PKCE request invalid.' });
    }
  });

  it('a well-formed but wrong verifier → invalid_grant (documented) / invalid_request (production)', async () => {
    const a = await autoApprovedCode(doc.url);
    await expectError(await postForm(tokenUrl(doc), codeForm(a.code, pkce().verifier)), 400, {
      error: 'invalid_grant',
      error_description: 'Code verifier is invalid.',
    });
    const b = await autoApprovedCode(prod.url);
    await expectError(await postForm(tokenUrl(prod), codeForm(b.code, pkce().verifier)), 400, {
      error: 'invalid_request',
      error_description: 'Code verifier is invalid.',
    });
    // A wrong verifier does not burn the code in either profile.
    expect((await postForm(tokenUrl(doc), codeForm(a.code, a.verifier))).status).toBe(200);
    expect((await postForm(tokenUrl(prod), codeForm(b.code, b.verifier))).status).toBe(200);
  });

  it('a malformed verifier → 400 invalid_request (documented, RFC 7636 4.1)', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url);
    const expected = {
      error: 'invalid_request',
      error_description: 'code_verifier must be 43 to 128 characters of [A-Z a-z 0-9 - . _ ~] (RFC 7636 4.1).',
    };
    for (const bad of ['short', 'a'.repeat(42), 'a'.repeat(129), `${verifier.slice(0, -1)}!`, `${verifier.slice(0, -1)}+`]) {
      await expectError(await postForm(tokenUrl(doc), codeForm(code, verifier, { code_verifier: bad })), 400, expected);
    }
    // 128 characters is still well-formed (and then simply wrong).
    await expectError(await postForm(tokenUrl(doc), codeForm(code, verifier, { code_verifier: 'a'.repeat(128) })), 400, {
      error: 'invalid_grant',
      error_description: 'Code verifier is invalid.',
    });
  });

  it('a malformed verifier is only a mismatch in production', async () => {
    const { code } = await autoApprovedCode(prod.url);
    await expectError(await postForm(tokenUrl(prod), codeForm(code, 'short')), 400, {
      error: 'invalid_request',
      error_description: 'Code verifier is invalid.',
    });
  });

  it('a code issued to another client → 400 invalid_grant, and stays usable by its owner', async () => {
    const spa = await autoApprovedCode(doc.url, { clientId: SPA.clientId, redirectUri: SPA.redirectUri });
    await expectError(await postForm(tokenUrl(doc), codeForm(spa.code, spa.verifier)), 400, GUIDE_INVALID_CODE);
    const own = await postForm(tokenUrl(doc), codeForm(spa.code, spa.verifier, { client_id: SPA.clientId, client_secret: undefined }));
    expect(own.status, await own.clone().text()).toBe(200);
  });

  it('an unknown code → 400 invalid_grant', async () => {
    await expectError(await postForm(tokenUrl(doc), codeForm('x'.repeat(86), pkce().verifier)), 400, GUIDE_INVALID_CODE);
    await expectError(await postForm(tokenUrl(prod), codeForm('x'.repeat(86), pkce().verifier)), 400, PROD_INVALID_CODE);
  });

  it('a code older than 60 s → 400 invalid_grant with the guide’s text', async () => {
    const fresh = await autoApprovedCode(doc.url);
    const stale = await autoApprovedCode(doc.url);
    await later(doc, 55, async () => {
      expect((await postForm(tokenUrl(doc), codeForm(fresh.code, fresh.verifier))).status).toBe(200);
    });
    await later(doc, 61, async () => {
      await expectError(await postForm(tokenUrl(doc), codeForm(stale.code, stale.verifier)), 400, GUIDE_INVALID_CODE);
    });
  });

  it('production checks the verifier before expiry, then answers its own invalid_grant text', async () => {
    const { code, verifier } = await autoApprovedCode(prod.url);
    await later(prod, 61, async () => {
      await expectError(await postForm(tokenUrl(prod), codeForm(code, pkce().verifier)), 400, {
        error: 'invalid_request',
        error_description: 'Code verifier is invalid.',
      });
      await expectError(await postForm(tokenUrl(prod), codeForm(code, verifier)), 400, PROD_INVALID_CODE);
    });
  });
});

describe('authorization_code grant: single use', () => {
  it('documented: a replayed code → invalid_grant and the first exchange’s tokens are revoked', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url, { scope: 'project:read' });
    const first = await exchange(doc.url, code, verifier);
    const tokens = (await json(first)) as { access_token: string; refresh_token: string };
    expect(first.status).toBe(200);
    expect((await api(doc, tokens.access_token)).status).toBe(200);

    await expectError(await exchange(doc.url, code, verifier), 400, GUIDE_INVALID_CODE);

    await expectInvalidToken(await api(doc, tokens.access_token));
    await expectError(await refresh(doc, tokens.refresh_token), 400, INVALID_REFRESH);
  });

  it('documented: a replay by another client neither succeeds nor revokes the owner’s tokens', async () => {
    const { code, verifier } = await autoApprovedCode(doc.url, { scope: 'project:read' });
    const tokens = await (async () => {
      const res = await exchange(doc.url, code, verifier);
      expect(res.status).toBe(200);
      return (await json(res)) as { access_token: string };
    })();
    const res = await postForm(tokenUrl(doc), codeForm(code, verifier, { client_id: SPA.clientId, client_secret: undefined }));
    await expectError(res, 400, GUIDE_INVALID_CODE);
    expect((await api(doc, tokens.access_token)).status).toBe(200);
  });

  it('production: a replayed code → invalid_grant, and the first tokens stay valid', async () => {
    const introspector = await registerClient(prod, 'token tests');
    const { code, verifier } = await autoApprovedCode(prod.url, { scope: 'project:read' });
    const first = await exchange(prod.url, code, verifier);
    const tokens = (await json(first)) as { access_token: string; refresh_token: string };
    expect(first.status).toBe(200);

    await expectError(await exchange(prod.url, code, verifier), 400, PROD_INVALID_CODE);
    // Reference 5.5: with a wrong verifier the replay reports the verifier first.
    await expectError(await postForm(tokenUrl(prod), codeForm(code, pkce().verifier)), 400, {
      error: 'invalid_request',
      error_description: 'Code verifier is invalid.',
    });

    const intro = await postForm(`${prod.url}/oauth/introspect`, { token: tokens.access_token }, {
      Authorization: basic(introspector.clientId, introspector.secret),
    });
    expect(intro.status).toBe(200);
    expect(((await json(intro)) as { active: boolean }).active).toBe(true);
    expect((await refresh(prod, tokens.refresh_token)).status).toBe(200);
  });

  it('two concurrent exchanges of one code → exactly one 200', async () => {
    for (const m of [doc, prod]) {
      const { code, verifier } = await autoApprovedCode(m.url);
      const results = await Promise.all(Array.from({ length: 5 }, () => exchange(m.url, code, verifier)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses, m.mock.profile.name).toEqual([200, 400, 400, 400, 400]);
      for (const r of results.filter((x) => x.status === 400))
        expect(((await json(r)) as { error: string }).error).toBe('invalid_grant');
    }
  });
});

describe('--code-ttl and --access-token-ttl overrides', () => {
  it('expires_in and the JWT lifetime follow accessTokenTtl', async () => {
    const body = await tokensFor(short, 'project:read');
    expect(body.expires_in).toBe(120);
    const claims = decodeJwt(body.access_token);
    expect(claims.exp! - claims.iat!).toBe(120);

    // Margins of seconds: iat is rounded down, and a loaded machine takes time between requests.
    short.mock.clock.advance(100);
    expect((await api(short, body.access_token)).status).toBe(200);
    short.mock.clock.advance(21);
    const expired = await api(short, body.access_token);
    expect(expired.status).toBe(401);
    expect(await expired.text()).toBe('{"error":"invalid_token"}');
  });

  it('codes live codeTtl seconds', async () => {
    const ok = await autoApprovedCode(short.url);
    const late = await autoApprovedCode(short.url);
    // Seconds of margin either side: a loaded machine takes time between these requests.
    short.mock.clock.advance(2);
    expect((await exchange(short.url, ok.code, ok.verifier)).status).toBe(200);
    short.mock.clock.advance(4);
    await expectError(await exchange(short.url, late.code, late.verifier), 400, GUIDE_INVALID_CODE);
  });
});

describe('authorization_code grant, production profile', () => {
  it('answers an opaque 86-character token, expires_in 86399 and no scope member', async () => {
    const { code, verifier, location } = await autoApprovedCode(prod.url, { scope: 'project:read' });
    expect(location.searchParams.get('expires_in')).toBe('59');
    const res = await exchange(prod.url, code, verifier);
    const body = (await json(res)) as Record<string, unknown>;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(body['access_token']).toMatch(ALNUM86);
    expect(body['refresh_token']).toMatch(ALNUM86);
    expect(body['token_type']).toBe('bearer');
    expect(body['expires_in']).toBe(86399);
  });

  it('does not check the secret at the code exchange', async () => {
    const a = await autoApprovedCode(prod.url);
    expect((await postForm(tokenUrl(prod), codeForm(a.code, a.verifier, { client_secret: 'wrong' }))).status).toBe(200);
    const b = await autoApprovedCode(prod.url);
    expect((await postForm(tokenUrl(prod), codeForm(b.code, b.verifier, { client_secret: undefined }))).status).toBe(200);
    const c = await autoApprovedCode(prod.url);
    const viaBasic = await postForm(tokenUrl(prod), codeForm(c.code, c.verifier, { client_id: undefined, client_secret: undefined }), {
      Authorization: basic(DEMO.clientId, 'wrong'),
    });
    expect(viaBasic.status, await viaBasic.clone().text()).toBe(200);
  });

  it('publishes no JWKS', async () => {
    expect((await fetch(`${prod.url}/.well-known/jwks.json`)).status).toBe(404);
  });
});

describe('logs', () => {
  it('no mock logged an internal error', () => {
    for (const m of [doc, prod, short]) expect(m.logs).toEqual([]);
  });
});
