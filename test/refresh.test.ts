// POST /oauth/token, grant_type=refresh_token (reference 5.6), over real HTTP: rotation, reuse
// detection per profile, scope narrowing, client authentication, expiry.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, expectApiOk, expectInvalidToken } from './helpers/api.js';
import { expectError, json } from './helpers/http.js';
import { basic, DEMO, later, postForm, SPA, startTestMock, type TestMock } from './helpers/mock.js';
import { ok, refresh, registerClient, spaClient, tokensFor } from './helpers/tokens.js';

const ALNUM86 = /^[A-Za-z0-9]{86}$/;
const INVALID_REFRESH = { error: 'invalid_grant', error_description: 'Given refresh token is invalid, revoked, or expired.' };
const BAD_SECRET = { error: 'invalid_client', error_description: 'Invalid client_id or client_secret.' };

let doc: TestMock;
let prod: TestMock;
let shortRefresh: TestMock;

beforeAll(async () => {
  [doc, prod, shortRefresh] = await Promise.all([
    startTestMock({ autoApprove: 'dev' }),
    startTestMock({ autoApprove: 'dev', profile: 'production' }),
    startTestMock({ autoApprove: 'dev', refreshTokenTtl: 100 }),
  ]);
});

afterAll(async () => {
  await Promise.all([doc, prod, shortRefresh].filter(Boolean).map((m) => m.close()));
});

/** Production has no /api/projects; ask introspection (as a registered client) instead. */
async function prodActive(token: string, introspector: { clientId: string; secret: string }): Promise<boolean> {
  const res = await postForm(`${prod.url}/oauth/introspect`, { token }, { Authorization: basic(introspector.clientId, introspector.secret) });
  expect(res.status).toBe(200);
  return ((await json(res)) as { active: boolean }).active;
}

describe('refresh_token grant: rotation', () => {
  it('issues a new access and refresh token each time; the old refresh token then fails', async () => {
    const t0 = await tokensFor(doc);
    const res = await refresh(doc, t0.refresh_token);
    const t1 = await ok(res);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(t1).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(t1.token_type).toBe('bearer');
    expect(t1.expires_in).toBe(3600);
    expect(t1.scope).toBe('user:read project:read');
    expect(t1.refresh_token).toMatch(ALNUM86);
    expect(t1.refresh_token).not.toBe(t0.refresh_token);
    expect(t1.access_token).not.toBe(t0.access_token);
    const claims = decodeJwt(t1.access_token);
    expect(claims['scope']).toBe('user:read project:read');
    expect(claims['client_id']).toBe(DEMO.clientId);
    expect(claims.jti).not.toBe(decodeJwt(t0.access_token).jti);

    const t2 = await ok(await refresh(doc, t1.refresh_token));
    expect(new Set([t0.refresh_token, t1.refresh_token, t2.refresh_token]).size).toBe(3);
    await expectApiOk(doc, t2.access_token);
  });

  it('accepts client_secret_basic for the refresh', async () => {
    const t0 = await tokensFor(doc);
    const t1 = await ok(await refresh(doc, t0.refresh_token, { client_id: undefined, client_secret: undefined }, { Authorization: basic(DEMO.clientId, DEMO.secret) }));
    expect(t1.refresh_token).toMatch(ALNUM86);
  });

  it('documented: reusing a rotated refresh token revokes the whole family', async () => {
    const t0 = await tokensFor(doc);
    const t1 = await ok(await refresh(doc, t0.refresh_token));
    await expectApiOk(doc, t0.access_token);
    await expectApiOk(doc, t1.access_token);

    await expectError(await refresh(doc, t0.refresh_token), 400, INVALID_REFRESH);

    await expectError(await refresh(doc, t1.refresh_token), 400, INVALID_REFRESH);
    await expectInvalidToken(await api(doc, t1.access_token));
    await expectInvalidToken(await api(doc, t0.access_token));
  });

  it('documented: reuse revokes only that family, not the user’s other grants', async () => {
    const other = await tokensFor(doc);
    const t0 = await tokensFor(doc);
    await ok(await refresh(doc, t0.refresh_token));
    await expectError(await refresh(doc, t0.refresh_token), 400, INVALID_REFRESH);
    await expectApiOk(doc, other.access_token);
    await ok(await refresh(doc, other.refresh_token));
  });

  it('production: reusing a rotated refresh token only fails; the newest tokens keep working', async () => {
    const introspector = await registerClient(prod, 'refresh tests');
    const t0 = await tokensFor(prod, 'project:read');
    const t1 = await ok(await refresh(prod, t0.refresh_token));
    expect(t1.expires_in).toBe(86399);
    expect(t1.access_token).toMatch(ALNUM86);
    expect(Object.keys(t1).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);

    await expectError(await refresh(prod, t0.refresh_token), 400, INVALID_REFRESH);

    expect(await prodActive(t1.access_token, introspector)).toBe(true);
    expect(await prodActive(t0.access_token, introspector)).toBe(true);
    await ok(await refresh(prod, t1.refresh_token));
  });

  it('production: the secret is checked at the refresh (unlike the code exchange)', async () => {
    const t0 = await tokensFor(prod);
    await expectError(await refresh(prod, t0.refresh_token, { client_secret: 'wrong' }), 401, BAD_SECRET);
    await expectError(await refresh(prod, t0.refresh_token, { client_secret: undefined }), 401, BAD_SECRET);
    await ok(await refresh(prod, t0.refresh_token));
  });
});

describe('refresh_token grant: scope', () => {
  it('a narrower scope is granted and carried by the new access token', async () => {
    const t0 = await tokensFor(doc, 'user:read project:read');
    const t1 = await ok(await refresh(doc, t0.refresh_token, { scope: 'project:read' }));
    expect(t1.scope).toBe('project:read');
    expect(decodeJwt(t1.access_token)['scope']).toBe('project:read');
    await expectApiOk(doc, t1.access_token);
  });

  it('omitting scope keeps the current scope', async () => {
    const t0 = await tokensFor(doc, 'project:read');
    const t1 = await ok(await refresh(doc, t0.refresh_token));
    expect(t1.scope).toBe('project:read');
  });

  it('a wider scope → 400 invalid_scope, and the refresh token is not used up', async () => {
    const t0 = await tokensFor(doc, 'project:read');
    for (const scope of ['project:read project:write', 'project:write', 'nope:read']) {
      await expectError(await refresh(doc, t0.refresh_token, { scope }), 400, {
        error: 'invalid_scope',
        error_description: 'Given scopes are unknown or unauthorized.',
      });
    }
    const t1 = await ok(await refresh(doc, t0.refresh_token, { scope: 'project:read' }));
    expect(t1.scope).toBe('project:read');
  });
});

describe('refresh_token grant: errors', () => {
  it('missing refresh_token → 400 invalid_request', async () => {
    await expectError(await refresh(doc, undefined), 400, {
      error: 'invalid_request',
      error_description: 'Request body validation failed. Required property refresh_token is missing at #.',
    });
  });

  it('an unknown refresh token → 400 invalid_grant', async () => {
    await expectError(await refresh(doc, 'A'.repeat(86)), 400, INVALID_REFRESH);
  });

  it('an access token sent as refresh token → 400 invalid_grant', async () => {
    const t0 = await tokensFor(doc);
    await expectError(await refresh(doc, t0.access_token), 400, INVALID_REFRESH);
  });

  it('another client’s refresh token → 400 invalid_grant, and the owner can still use it', async () => {
    const t0 = await tokensFor(doc);
    await expectError(await refresh(doc, t0.refresh_token, { client_id: SPA.clientId, client_secret: undefined }), 400, INVALID_REFRESH);
    await ok(await refresh(doc, t0.refresh_token));

    const spa = await tokensFor(doc, 'project:read', { client: spaClient });
    await expectError(await refresh(doc, spa.refresh_token), 400, INVALID_REFRESH);
    await ok(await refresh(doc, spa.refresh_token, { client_id: SPA.clientId, client_secret: undefined }));
  });

  it('missing client_id → 401 invalid_client "Invalid client."', async () => {
    const t0 = await tokensFor(doc);
    for (const m of [doc, prod]) {
      const token = m === doc ? t0.refresh_token : (await tokensFor(prod)).refresh_token;
      await expectError(await refresh(m, token, { client_id: undefined, client_secret: undefined }), 401, {
        error: 'invalid_client',
        error_description: 'Invalid client.',
      });
    }
  });

  it('an unknown client → 401 invalid_client', async () => {
    const t0 = await tokensFor(doc);
    await expectError(await refresh(doc, t0.refresh_token, { client_id: '00000000-0000-4000-8000-000000000000' }), 401, BAD_SECRET);
  });

  it('the confidential client without or with a wrong secret → 401 invalid_client', async () => {
    const t0 = await tokensFor(doc);
    const missing = await refresh(doc, t0.refresh_token, { client_secret: undefined });
    await expectError(missing, 401, BAD_SECRET);
    expect(missing.headers.get('www-authenticate')).toBeNull();
    await expectError(await refresh(doc, t0.refresh_token, { client_secret: 'wrong' }), 401, BAD_SECRET);
    const viaBasic = await refresh(doc, t0.refresh_token, { client_id: undefined, client_secret: undefined }, { Authorization: basic(DEMO.clientId, 'wrong') });
    await expectError(viaBasic, 401, BAD_SECRET);
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic\b/);
    // Failed authentication does not consume the refresh token.
    await ok(await refresh(doc, t0.refresh_token));
  });

  it('the public SPA client refreshes with its client_id only', async () => {
    const t0 = await tokensFor(doc, 'project:read', { client: spaClient });
    const t1 = await ok(await refresh(doc, t0.refresh_token, { client_id: SPA.clientId, client_secret: undefined }));
    expect(decodeJwt(t1.access_token)['client_id']).toBe(SPA.clientId);
    await expectApiOk(doc, t1.access_token);
    await expectError(await refresh(doc, t1.refresh_token, { client_id: SPA.clientId, client_secret: 'x' }), 401, {
      error: 'invalid_client',
      error_description: 'This client is public and has no secret; send only its client_id.',
    });
  });
});

describe('refresh_token grant: lifetimes', () => {
  it('the previous access token still works after a refresh', async () => {
    const t0 = await tokensFor(doc, 'project:read');
    const t1 = await ok(await refresh(doc, t0.refresh_token));
    await expectApiOk(doc, t0.access_token);
    await expectApiOk(doc, t1.access_token);
  });

  it('a refresh token older than refreshTokenTtl → 400 invalid_grant; each refresh restarts the window', async () => {
    const a = await tokensFor(shortRefresh);
    const b = await tokensFor(shortRefresh);
    // Margins of tens of seconds: wall-clock time passes between these requests on a loaded machine.
    shortRefresh.mock.clock.advance(50);
    const a1 = await ok(await refresh(shortRefresh, a.refresh_token));
    shortRefresh.mock.clock.advance(51);
    await expectError(await refresh(shortRefresh, b.refresh_token), 400, INVALID_REFRESH);
    // a1 was issued 51 s ago with a fresh 100 s window, though a's and b's first window is over.
    const a2 = await ok(await refresh(shortRefresh, a1.refresh_token));
    shortRefresh.mock.clock.advance(101);
    await expectError(await refresh(shortRefresh, a2.refresh_token), 400, INVALID_REFRESH);
  });

  it('an access token past its expiry → API 401 invalid_token; refreshing still works', async () => {
    const t0 = await tokensFor(doc, 'project:read');
    await later(doc, 3590, () => expectApiOk(doc, t0.access_token));
    await later(doc, 3601, async () => {
      await expectInvalidToken(await api(doc, t0.access_token));
      const t1 = await ok(await refresh(doc, t0.refresh_token));
      await expectApiOk(doc, t1.access_token);
      await expectInvalidToken(await api(doc, t0.access_token));
    });
  });
});

describe('logs', () => {
  it('no mock logged an internal error', () => {
    for (const m of [doc, prod, shortRefresh]) expect(m.logs).toEqual([]);
  });
});
