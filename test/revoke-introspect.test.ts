// POST /oauth/revoke (RFC 7009, reference 8.1) and POST /oauth/introspect (RFC 7662, reference 8.2)
// over real HTTP, in both profiles.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './helpers/api.js';
import { expectError, json } from './helpers/http.js';
import { basic, DEMO, later, postForm, SPA, startTestMock, USERS, type TestMock } from './helpers/mock.js';
import {
  creds,
  demoClient as demo,
  introspect,
  refresh,
  registerClient,
  revoke,
  spaClient as spa,
  tokensFor,
  type Client,
  type Tokens,
} from './helpers/tokens.js';

const BAD_SECRET = { error: 'invalid_client', error_description: 'Invalid client_id or client_secret.' };
const INVALID_REFRESH = { error: 'invalid_grant', error_description: 'Given refresh token is invalid, revoked, or expired.' };
const RFC_INACTIVE = '{"active":false}';
const BORUTA_INACTIVE =
  '{"active":false,"client_id":null,"username":null,"scope":null,"sub":null,"iss":"boruta","exp":null,"iat":null}';

let doc: TestMock;
let prod: TestMock;
/** Dynamically registered production clients (registration grants revoke and introspect). */
let prodA: Client;
let prodB: Client;
/** A confidential production client without the revoke/introspect grants (like dashboard apps). */
const noGrants: Client = { clientId: '3c1d0e6a-9b7f-4d2e-8a5c-1f0e9d8c7b6a', secret: 'N'.repeat(86) };

beforeAll(async () => {
  [doc, prod] = await Promise.all([
    startTestMock({ autoApprove: 'dev' }),
    startTestMock({ autoApprove: 'dev', profile: 'production' }),
  ]);
  prodA = await registerClient(prod, 'revoke tests');
  prodB = await registerClient(prod, 'revoke tests');
  await prod.mock.clients.add({
    client_id: noGrants.clientId,
    client_secret: noGrants.secret!,
    client_name: 'Dashboard app',
    redirect_uris: [DEMO.redirectUri],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: null,
    registered_auth_method: 'client_secret_basic',
    created_at: 0,
    source: 'oauth-app',
  });
});

afterAll(async () => {
  await Promise.all([doc, prod].filter(Boolean).map((m) => m.close()));
});

async function expectRevoked200(res: Response) {
  expect(res.status, await res.clone().text()).toBe(200);
  expect(await res.text()).toBe('');
  expect(res.headers.get('content-type')).toBeNull();
  expect(res.headers.get('cache-control')).toBe('no-store');
}

async function apiStatus(m: TestMock, token: string): Promise<number> {
  const res = await api(m, token);
  if (res.status === 401) {
    expect(await res.text()).toBe('{"error":"invalid_token"}');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  }
  return res.status;
}

async function introspectText(m: TestMock, token: string, client: Client = demo): Promise<string> {
  const res = await introspect(m, token, client);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return res.text();
}

const isActive = async (m: TestMock, token: string, client: Client = demo) =>
  ((JSON.parse(await introspectText(m, token, client)) as { active: boolean }).active);

describe('POST /oauth/revoke, documented profile', () => {
  it('revoking an access token: 200 empty; the token and its refresh token stop working', async () => {
    const t = await tokensFor(doc);
    expect(await apiStatus(doc, t.access_token)).toBe(200);
    await expectRevoked200(await revoke(doc, { token: t.access_token }));
    expect(await apiStatus(doc, t.access_token)).toBe(401);
    expect(await introspectText(doc, t.access_token)).toBe(RFC_INACTIVE);
    await expectError(await refresh(doc, t.refresh_token), 400, INVALID_REFRESH);
  });

  it('revoking a refresh token: 200 empty; its access tokens stop working', async () => {
    const t = await tokensFor(doc);
    await expectRevoked200(await revoke(doc, { token: t.refresh_token }));
    expect(await apiStatus(doc, t.access_token)).toBe(401);
    expect(await introspectText(doc, t.access_token)).toBe(RFC_INACTIVE);
    await expectError(await refresh(doc, t.refresh_token), 400, INVALID_REFRESH);
  });

  it('revoking the newest refresh token of a chain kills the earlier access tokens of the grant too', async () => {
    const t0 = await tokensFor(doc);
    const r = await refresh(doc, t0.refresh_token);
    const t1 = (await json(r)) as Tokens;
    expect(r.status).toBe(200);
    await expectRevoked200(await revoke(doc, { token: t1.refresh_token }));
    expect(await apiStatus(doc, t1.access_token)).toBe(401);
    expect(await apiStatus(doc, t0.access_token)).toBe(401);
  });

  it('an unknown or already revoked token still answers 200 empty', async () => {
    await expectRevoked200(await revoke(doc, { token: 'not-a-token' }));
    await expectRevoked200(await revoke(doc, { token: 'B'.repeat(86) }));
    const t = await tokensFor(doc);
    await expectRevoked200(await revoke(doc, { token: t.access_token }));
    await expectRevoked200(await revoke(doc, { token: t.access_token }));
  });

  it('revoking one grant leaves the user’s other grants alone', async () => {
    const keep = await tokensFor(doc);
    const drop = await tokensFor(doc);
    await expectRevoked200(await revoke(doc, { token: drop.refresh_token }));
    expect(await apiStatus(doc, keep.access_token)).toBe(200);
    expect(await isActive(doc, keep.access_token)).toBe(true);
  });

  it('token_type_hint is only a hint: a wrong hint still finds the token', async () => {
    const a = await tokensFor(doc);
    await expectRevoked200(await revoke(doc, { token: a.access_token, token_type_hint: 'refresh_token' }));
    expect(await apiStatus(doc, a.access_token)).toBe(401);

    const b = await tokensFor(doc);
    await expectRevoked200(await revoke(doc, { token: b.refresh_token, token_type_hint: 'access_token' }));
    expect(await apiStatus(doc, b.access_token)).toBe(401);
    await expectError(await refresh(doc, b.refresh_token), 400, INVALID_REFRESH);

    const c = await tokensFor(doc);
    await expectRevoked200(await revoke(doc, { token: c.access_token, token_type_hint: 'access_token' }));
    expect(await apiStatus(doc, c.access_token)).toBe(401);
  });

  it('a bad token_type_hint → 400 invalid_request, and nothing is revoked', async () => {
    const t = await tokensFor(doc);
    for (const hint of ['id_token', 'ACCESS_TOKEN', '']) {
      await expectError(await revoke(doc, { token: t.access_token, token_type_hint: hint }), 400, {
        error: 'invalid_request',
        error_description: 'Request validation failed. #/token_type_hint do match required pattern /^(access_token|refresh_token)$/.',
      });
    }
    expect(await apiStatus(doc, t.access_token)).toBe(200);
  });

  it('missing token or client_id → 400 invalid_request', async () => {
    await expectError(await revoke(doc, {}), 400, {
      error: 'invalid_request',
      error_description: 'Request validation failed. Required property token is missing at #.',
    });
    await expectError(await postForm(`${doc.url}/oauth/revoke`, { token: 'x', client_secret: DEMO.secret }), 400, {
      error: 'invalid_request',
      error_description: 'Request validation failed. Required property client_id is missing at #.',
    });
  });

  it('a wrong or missing secret → 401 invalid_client, and the token stays valid', async () => {
    const t = await tokensFor(doc);
    await expectError(await revoke(doc, { token: t.access_token, client_secret: 'wrong' }), 401, BAD_SECRET);
    await expectError(await revoke(doc, { token: t.access_token, client_secret: undefined }), 401, BAD_SECRET);
    const viaBasic = await revoke(doc, { token: t.access_token, client_id: undefined, client_secret: undefined }, demo, {
      Authorization: basic(DEMO.clientId, 'wrong'),
    });
    await expectError(viaBasic, 401, BAD_SECRET);
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic\b/);
    await expectError(await revoke(doc, { token: t.access_token, client_id: '00000000-0000-4000-8000-000000000000' }), 401, BAD_SECRET);
    expect(await apiStatus(doc, t.access_token)).toBe(200);
  });

  it('accepts client_secret_basic', async () => {
    const t = await tokensFor(doc);
    await expectRevoked200(
      await revoke(doc, { token: t.access_token, client_id: undefined, client_secret: undefined }, demo, {
        Authorization: basic(DEMO.clientId, DEMO.secret),
      }),
    );
    expect(await apiStatus(doc, t.access_token)).toBe(401);
  });

  it('the public SPA client revokes its own token with client_id only', async () => {
    const t = await tokensFor(doc, 'user:read project:read', { client: spa });
    await expectRevoked200(await revoke(doc, { token: t.refresh_token }, spa));
    expect(await apiStatus(doc, t.access_token)).toBe(401);
  });

  it('revoking another client’s token → 400 unauthorized_client, and the token stays valid', async () => {
    const demoTokens = await tokensFor(doc);
    const spaTokens = await tokensFor(doc, 'user:read project:read', { client: spa });
    const expected = { error: 'unauthorized_client', error_description: 'The token was issued to another client.' };
    await expectError(await revoke(doc, { token: demoTokens.access_token }, spa), 400, expected);
    await expectError(await revoke(doc, { token: demoTokens.refresh_token }, spa), 400, expected);
    await expectError(await revoke(doc, { token: spaTokens.access_token }, demo), 400, expected);
    expect(await apiStatus(doc, demoTokens.access_token)).toBe(200);
    expect(await apiStatus(doc, spaTokens.access_token)).toBe(200);
    const r = await refresh(doc, demoTokens.refresh_token);
    expect(r.status, await r.clone().text()).toBe(200);
  });
});

describe('POST /oauth/revoke, production profile', () => {
  it('a registered client revokes its token: 200 empty, both halves die', async () => {
    const t = await tokensFor(prod, 'project:read', { client: prodA });
    expect(await isActive(prod, t.access_token, prodA)).toBe(true);
    await expectRevoked200(await revoke(prod, { token: t.access_token }, prodA));
    expect(await introspectText(prod, t.access_token, prodA)).toBe(BORUTA_INACTIVE);
    await expectError(await refresh(prod, t.refresh_token, creds(prodA)), 400, INVALID_REFRESH);
  });

  it('revokes another client’s token (no ownership check)', async () => {
    const t = await tokensFor(prod, 'project:read', { client: prodA });
    await expectRevoked200(await revoke(prod, { token: t.access_token }, prodB));
    expect(await introspectText(prod, t.access_token, prodA)).toBe(BORUTA_INACTIVE);

    const demoTokens = await tokensFor(prod, 'project:read', { client: demo });
    await expectRevoked200(await revoke(prod, { token: demoTokens.refresh_token }, prodB));
    expect(await introspectText(prod, demoTokens.access_token, prodA)).toBe(BORUTA_INACTIVE);
  });

  it('revoking the newest refresh token kills only that pair, not earlier tokens of the chain', async () => {
    const t0 = await tokensFor(prod, 'project:read', { client: prodA });
    const r = await refresh(prod, t0.refresh_token, creds(prodA));
    expect(r.status).toBe(200);
    const t1 = (await json(r)) as Tokens;
    await expectRevoked200(await revoke(prod, { token: t1.refresh_token }, prodA));
    expect(await introspectText(prod, t1.access_token, prodA)).toBe(BORUTA_INACTIVE);
    expect(await isActive(prod, t0.access_token, prodA)).toBe(true);
  });

  it('a client without the revoke grant → 400 unsupported_grant_type', async () => {
    const t = await tokensFor(prod, 'project:read', { client: noGrants });
    await expectError(await revoke(prod, { token: t.access_token }, noGrants), 400, {
      error: 'unsupported_grant_type',
      error_description: 'Client do not support given grant type.',
    });
    expect(await isActive(prod, t.access_token, prodA)).toBe(true);
  });

  it('a wrong secret → 401 invalid_client', async () => {
    const t = await tokensFor(prod, 'project:read', { client: prodA });
    await expectError(await revoke(prod, { token: t.access_token, client_secret: 'wrong' }, prodA), 401, BAD_SECRET);
    expect(await isActive(prod, t.access_token, prodA)).toBe(true);
  });
});

describe('POST /oauth/introspect, documented profile', () => {
  it('an active token → the RFC 7662 members, matching the JWT', async () => {
    const t = await tokensFor(doc, 'user:read project:read', { client: demo });
    const claims = decodeJwt(t.access_token);
    const res = await introspect(doc, t.access_token);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await json(res)) as Record<string, unknown>;
    expect(body).toStrictEqual({
      active: true,
      client_id: DEMO.clientId,
      username: 'dev@glossia.ai',
      scope: 'user:read project:read',
      sub: USERS.dev,
      iss: doc.issuer,
      exp: claims.exp,
      iat: claims.iat,
      aud: doc.issuer,
      jti: claims.jti,
      token_type: 'bearer',
    });
    expect((body['exp'] as number) - (body['iat'] as number)).toBe(3600);
  });

  it('reports the token’s own user and client, not the caller’s', async () => {
    const t = await tokensFor(doc, 'project:read', { client: spa, user: 'maria' });
    const body = (await json(await introspect(doc, t.access_token))) as Record<string, unknown>;
    expect(body['active']).toBe(true);
    expect(body['client_id']).toBe(SPA.clientId);
    expect(body['username']).toBe('maria.rossi@glossia.test');
    expect(body['sub']).toBe(USERS.maria);
    expect(body['scope']).toBe('project:read');
  });

  it('accepts client_secret_basic', async () => {
    const t = await tokensFor(doc);
    const res = await introspect(doc, t.access_token, { clientId: DEMO.clientId, secret: undefined }, {
      Authorization: basic(DEMO.clientId, DEMO.secret),
    });
    // creds() put client_id in the body too; it matches the header, which is allowed.
    expect(res.status).toBe(200);
    expect(((await json(res)) as { active: boolean }).active).toBe(true);
  });

  it('unknown, revoked and refresh tokens → exactly {"active":false}', async () => {
    const t = await tokensFor(doc);
    expect(await introspectText(doc, 'C'.repeat(86))).toBe(RFC_INACTIVE);
    expect(await introspectText(doc, t.refresh_token)).toBe(RFC_INACTIVE);
    expect(await isActive(doc, t.access_token)).toBe(true);
    await expectRevoked200(await revoke(doc, { token: t.access_token }));
    expect(await introspectText(doc, t.access_token)).toBe(RFC_INACTIVE);
  });

  it('an expired token → exactly {"active":false}', async () => {
    const t = await tokensFor(doc);
    await later(doc, 3590, async () => expect(await isActive(doc, t.access_token)).toBe(true));
    await later(doc, 3601, async () => expect(await introspectText(doc, t.access_token)).toBe(RFC_INACTIVE));
  });

  it('a public client → 401 invalid_client', async () => {
    const t = await tokensFor(doc, 'user:read project:read', { client: spa });
    await expectError(await introspect(doc, t.access_token, spa), 401, {
      error: 'invalid_client',
      error_description: 'Public clients cannot introspect tokens; use a confidential client.',
    });
  });

  it('no credentials → 400; a wrong or missing secret → 401; no token → 400', async () => {
    const t = await tokensFor(doc);
    await expectError(await postForm(`${doc.url}/oauth/introspect`, { token: t.access_token }), 400, {
      error: 'invalid_request',
      error_description: 'Request validation failed. Required property client_id is missing at #.',
    });
    await expectError(await introspect(doc, t.access_token, { clientId: DEMO.clientId, secret: 'wrong' }), 401, BAD_SECRET);
    await expectError(await introspect(doc, t.access_token, { clientId: DEMO.clientId, secret: undefined }), 401, BAD_SECRET);
    const viaBasic = await postForm(`${doc.url}/oauth/introspect`, { token: t.access_token }, {
      Authorization: basic(DEMO.clientId, 'wrong'),
    });
    await expectError(viaBasic, 401, BAD_SECRET);
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic\b/);
    await expectError(await introspect(doc, undefined), 400, {
      error: 'invalid_request',
      error_description: 'Request validation failed. Required property token is missing at #.',
    });
  });
});

describe('POST /oauth/introspect, production profile', () => {
  it('an active token → exactly boruta’s member set', async () => {
    const t = await tokensFor(prod, 'project:read user:read', { client: prodA, user: 'alex' });
    const res = await introspect(prod, t.access_token, prodB);
    expect(res.status).toBe(200);
    const body = (await json(res)) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['active', 'client_id', 'username', 'scope', 'sub', 'iss', 'exp', 'iat']);
    expect(body).toMatchObject({
      active: true,
      client_id: prodA.clientId,
      username: 'alex.chen@glossia.test',
      scope: 'project:read user:read',
      sub: USERS.alex,
      iss: prod.issuer,
    });
    const now = Math.floor(Date.now() / 1000);
    expect(Math.abs((body['iat'] as number) - now)).toBeLessThanOrEqual(5);
    expect((body['exp'] as number) - (body['iat'] as number)).toBe(86400);
  });

  it('unknown, revoked, refresh and expired tokens → boruta’s all-null object with iss "boruta"', async () => {
    const t = await tokensFor(prod, 'project:read', { client: prodA });
    expect(await introspectText(prod, 'D'.repeat(86), prodA)).toBe(BORUTA_INACTIVE);
    expect(await introspectText(prod, t.refresh_token, prodA)).toBe(BORUTA_INACTIVE);

    const expiring = await tokensFor(prod, 'project:read', { client: prodA });
    await later(prod, 86401, async () => expect(await introspectText(prod, expiring.access_token, prodA)).toBe(BORUTA_INACTIVE));
    expect(await isActive(prod, expiring.access_token, prodA)).toBe(true);

    await expectRevoked200(await revoke(prod, { token: t.refresh_token }, prodA));
    expect(await introspectText(prod, t.access_token, prodA)).toBe(BORUTA_INACTIVE);
  });

  it('a client without the introspect grant → 400 unsupported_grant_type', async () => {
    const t = await tokensFor(prod, 'project:read', { client: prodA });
    await expectError(await introspect(prod, t.access_token, noGrants), 400, {
      error: 'unsupported_grant_type',
      error_description: 'Client do not support given grant type.',
    });
  });

  it('a wrong secret → 401 invalid_client', async () => {
    const t = await tokensFor(prod, 'project:read', { client: prodA });
    await expectError(await introspect(prod, t.access_token, { clientId: prodA.clientId, secret: 'wrong' }), 401, BAD_SECRET);
  });
});

describe('logs', () => {
  it('no mock logged an internal error', () => {
    for (const m of [doc, prod]) expect(m.logs).toEqual([]);
  });
});
