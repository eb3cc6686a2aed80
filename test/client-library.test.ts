// A real OAuth client library (oauth4webapi v3) drives whole flows against the mock, with its own
// validation switched fully on: issuer check at discovery, state and iss at the callback, PKCE at
// the code exchange, RFC 9068 checks on the access token. Only HTTPS enforcement is relaxed, since
// the mock listens on http://localhost.
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api as projects, expectInvalidToken } from './helpers/api.js';
import { later, startTestMock, type TestMock } from './helpers/mock.js';

const REDIRECT_URI = 'http://127.0.0.1:4999/cb';
const SCOPE = 'user:read project:read';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

let m: TestMock;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  m = await startTestMock({ autoApprove: 'dev' });
  const issuer = new URL(m.issuer);
  // RFC 8414 discovery (/.well-known/oauth-authorization-server), the endpoint the guide names.
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oauth2' }));
});
afterAll(() => m?.close());
afterEach(() => {
  expect(m.logs).toEqual([]);
});

interface Registered {
  client: oauth.Client;
  secret: string | undefined;
}

async function registerClient(metadata: Partial<oauth.OmitSymbolProperties<oauth.Client>> = {}): Promise<Registered> {
  const res = await oauth.dynamicClientRegistrationRequest(
    as,
    { client_name: 'oauth4webapi test', redirect_uris: [REDIRECT_URI], ...metadata },
    insecure,
  );
  const client = await oauth.processDynamicClientRegistrationResponse(res);
  const secret = typeof client.client_secret === 'string' ? client.client_secret : undefined;
  return { client, secret };
}

/** Builds the authorization URL from discovery and follows it once, as a browser would. */
async function authorize(client: oauth.Client, scope = SCOPE) {
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', REDIRECT_URI);
  url.searchParams.set('scope', scope);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status, await res.clone().text()).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return { verifier, state, location };
}

async function codeFlow(client: oauth.Client, auth: oauth.ClientAuth) {
  const { verifier, state, location } = await authorize(client);
  const params = oauth.validateAuthResponse(as, client, location, state);
  const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT_URI, verifier, insecure);
  return { tokens: await oauth.processAuthorizationCodeResponse(as, client, res), params, verifier };
}

describe('oauth4webapi against the mock', () => {
  it('discovers the issuer the mock announces', () => {
    expect(as.issuer).toBe(m.issuer);
    expect(as.authorization_endpoint).toBe(`${m.issuer}/oauth/authorize`);
    expect(as.token_endpoint).toBe(`${m.issuer}/oauth/token`);
    expect(as.code_challenge_methods_supported).toContain('S256');
  });

  it('discovery against the wrong issuer is refused by the library', async () => {
    const wrong = new URL('http://localhost:1');
    const res = await oauth.discoveryRequest(new URL(m.issuer), { ...insecure, algorithm: 'oauth2' });
    await expect(oauth.processDiscoveryResponse(wrong, res)).rejects.toMatchObject({ code: oauth.JSON_ATTRIBUTE_COMPARISON });
  });

  it('a. confidential client: register → authorize → code (post) → API → refresh (basic) → revoke', async () => {
    const { client, secret } = await registerClient();
    expect(client.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(secret).toEqual(expect.any(String));
    expect(client.redirect_uris).toEqual([REDIRECT_URI]);

    const { tokens } = await codeFlow(client, oauth.ClientSecretPost(secret!));
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope).toBe(SCOPE);
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const api = await oauth.protectedResourceRequest(tokens.access_token, 'GET', new URL(`${m.url}/api/projects`), undefined, undefined, insecure);
    expect(api.status).toBe(200);
    const body = await api.json();
    expect(body.projects.length).toBeGreaterThan(0);

    const refreshRes = await oauth.refreshTokenGrantRequest(as, client, oauth.ClientSecretBasic(secret!), tokens.refresh_token!, insecure);
    const refreshed = await oauth.processRefreshTokenResponse(as, client, refreshRes);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.scope).toBe(SCOPE);
    expect((await projects(m, refreshed.access_token)).status).toBe(200);

    const introspect = async (token: string) =>
      oauth.processIntrospectionResponse(
        as,
        client,
        await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(secret!), token, insecure),
      );
    const before = await introspect(refreshed.access_token);
    expect(before).toMatchObject({ active: true, client_id: client.client_id, scope: SCOPE, iss: m.issuer });

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, oauth.ClientSecretPost(secret!), refreshed.access_token, insecure),
    );
    await expectInvalidToken(await projects(m, refreshed.access_token));
    expect(await introspect(refreshed.access_token)).toEqual({ active: false });
  });

  it('b. public client: register with "none" → authorize → code → refresh → revoke', async () => {
    const { client, secret } = await registerClient({ token_endpoint_auth_method: 'none' });
    expect(secret).toBeUndefined();
    expect(client.token_endpoint_auth_method).toBe('none');
    const auth = oauth.None();

    const { tokens } = await codeFlow(client, auth);
    expect(tokens.token_type).toBe('bearer');
    expect((await projects(m, tokens.access_token)).status).toBe(200);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await projects(m, refreshed.access_token)).status).toBe(200);

    // Revoking the refresh token ends the whole grant, access token included.
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, refreshed.refresh_token!, insecure));
    await expectInvalidToken(await projects(m, refreshed.access_token));
    await expect(
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, auth, refreshed.refresh_token!, insecure),
      ),
    ).rejects.toMatchObject({ code: oauth.RESPONSE_BODY_ERROR, error: 'invalid_grant', status: 400 });
  });

  it('c. the access token is an RFC 9068 JWT that validateJwtAccessToken accepts (JWKS from discovery)', async () => {
    expect(as.jwks_uri).toBe(`${m.issuer}/.well-known/jwks.json`);
    const { client, secret } = await registerClient();
    const { tokens } = await codeFlow(client, oauth.ClientSecretPost(secret!));
    const request = new Request(`${m.url}/api/projects`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const claims = await oauth.validateJwtAccessToken(as, request, m.issuer, { ...insecure, signingAlgorithms: ['RS256'] });
    expect(claims).toMatchObject({ iss: m.issuer, aud: m.issuer, client_id: client.client_id, scope: SCOPE });
    expect(claims.exp - claims.iat).toBe(3600);

    // The same check must fail for a resource server that expects another audience.
    await expect(oauth.validateJwtAccessToken(as, request, 'https://other.example', insecure)).rejects.toMatchObject({
      code: oauth.JWT_CLAIM_COMPARISON,
    });
  });

  describe('d. errors surface through the library', () => {
    it('an authorization error redirect (invalid_scope) raises AuthorizationResponseError', async () => {
      const { client } = await registerClient();
      const { state, location } = await authorize(client, 'user:read no_such:scope');
      expect(location.searchParams.get('error')).toBe('invalid_scope');
      expect(location.searchParams.get('state')).toBe(state);
      expect(location.searchParams.has('code')).toBe(false);

      let caught: unknown;
      try {
        oauth.validateAuthResponse(as, client, location, state);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(oauth.AuthorizationResponseError);
      expect(caught).toMatchObject({ code: oauth.AUTHORIZATION_RESPONSE_ERROR, error: 'invalid_scope' });

      // …and the library's state check is live: the same redirect with another expected state fails first.
      expect(() => oauth.validateAuthResponse(as, client, location, 'not-the-state')).toThrow(
        expect.objectContaining({ code: oauth.INVALID_RESPONSE }),
      );
    });

    it('a replayed code makes processAuthorizationCodeResponse throw invalid_grant', async () => {
      const { client, secret } = await registerClient();
      const auth = oauth.ClientSecretPost(secret!);
      const { tokens, params, verifier } = await codeFlow(client, auth);
      const replay = await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT_URI, verifier, insecure);
      let caught: unknown;
      try {
        await oauth.processAuthorizationCodeResponse(as, client, replay);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(oauth.ResponseBodyError);
      expect(caught).toMatchObject({ error: 'invalid_grant', status: 400 });
      // The replay revoked what the code had issued (OAuth 2.1 4.1.2).
      await expectInvalidToken(await projects(m, tokens.access_token));
    });

    it('a wrong PKCE verifier is refused with invalid_grant', async () => {
      const { client, secret } = await registerClient();
      const auth = oauth.ClientSecretPost(secret!);
      const { state, location } = await authorize(client);
      const params = oauth.validateAuthResponse(as, client, location, state);
      const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT_URI, oauth.generateRandomCodeVerifier(), insecure);
      await expect(oauth.processAuthorizationCodeResponse(as, client, res)).rejects.toMatchObject({
        code: oauth.RESPONSE_BODY_ERROR,
        error: 'invalid_grant',
      });
    });

    // Moves this mock's clock: keep it last.
    it('an expired access token gets 401 at the API', async () => {
      const { client, secret } = await registerClient();
      const { tokens } = await codeFlow(client, oauth.ClientSecretPost(secret!));
      expect((await projects(m, tokens.access_token)).status).toBe(200);
      await later(m, 3601, async () => expectInvalidToken(await projects(m, tokens.access_token)));
    });
  });
});
