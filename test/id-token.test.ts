// "Login with Glossia" identity: scope openid adds an id_token that verifies against the JWKS.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atHash } from '../src/oauth/id-token.js';
import { autoApprovedCode, DEMO, exchange, postForm, startTestMock, USERS, type TestMock } from './helpers/mock.js';

let m: TestMock;
beforeAll(async () => {
  m = await startTestMock({ autoApprove: 'maria' });
});
afterAll(async () => {
  await m.close();
  expect(m.logs).toEqual([]);
});

describe('id_token', () => {
  it('comes with openid, verifies with the JWKS, and names the user', async () => {
    const { code, verifier } = await autoApprovedCode(m.url, { scope: 'openid project:read', extra: { nonce: 'n-0S6_WzA2Mj' } });
    const res = await exchange(m.url, code, verifier);
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.scope).toBe('openid project:read');
    const jwks = createRemoteJWKSet(new URL(`${m.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(body.id_token, jwks, { issuer: m.issuer, audience: DEMO.clientId });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      sub: USERS.maria,
      email: 'maria.rossi@glossia.test',
      name: 'Maria Rossi',
      preferred_username: 'maria',
      nonce: 'n-0S6_WzA2Mj',
      at_hash: atHash(body.access_token),
    });
    expect(payload.exp! - payload.iat!).toBe(86400);
  });

  it('is absent without openid and on refresh', async () => {
    const { code, verifier } = await autoApprovedCode(m.url, { scope: 'project:read' });
    const first = await (await exchange(m.url, code, verifier)).json();
    expect(first.id_token).toBeUndefined();

    const withOpenid = await autoApprovedCode(m.url, { scope: 'openid' });
    const tokens = await (await exchange(m.url, withOpenid.code, withOpenid.verifier)).json();
    expect(typeof tokens.id_token).toBe('string');
    const refreshed = await (
      await postForm(`${m.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: DEMO.clientId,
        client_secret: DEMO.secret,
      })
    ).json();
    expect(refreshed.access_token).toBeDefined();
    expect(refreshed.id_token).toBeUndefined();
  });

  it('carries a null nonce when the request had none', async () => {
    const { code, verifier } = await autoApprovedCode(m.url, { scope: 'openid' });
    const body = await (await exchange(m.url, code, verifier)).json();
    const payload = JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url').toString());
    expect(payload.nonce).toBeNull();
  });
});
