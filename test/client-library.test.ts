// A real OAuth client library (oauth4webapi v3) drives whole flows against the mock, with its own
// validation switched fully on: issuer check at discovery, state and iss at the callback, PKCE at
// the code exchange, RFC 9068 checks on the access token. Only HTTPS enforcement is relaxed, since
// the mock listens on http://localhost. The same flows then run against the production profile,
// where the real server's differences show up as the library sees them.
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api as projects, expectInvalidToken } from './helpers/api.js';
import { later, startTestMock, type TestMock } from './helpers/mock.js';
import { checksWith } from './helpers/report.js';

const REDIRECT_URI = 'http://127.0.0.1:4999/cb';
const SCOPE = 'user:read project:read';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** A mock and what oauth4webapi discovered about it. */
interface Target {
  m: TestMock;
  as: oauth.AuthorizationServer;
}

async function discover(m: TestMock): Promise<Target> {
  const issuer = new URL(m.issuer);
  // RFC 8414 discovery (/.well-known/oauth-authorization-server), the endpoint the guide names.
  return { m, as: await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oauth2' })) };
}

let m: TestMock;
let as: oauth.AuthorizationServer;
/** The same library against the production profile (the real server's answers). */
let prod: Target;

beforeAll(async () => {
  const [documented, production] = await Promise.all([
    startTestMock({ autoApprove: 'dev' }).then(discover),
    startTestMock({ autoApprove: 'dev', profile: 'production' }).then(discover),
  ]);
  ({ m, as } = documented);
  prod = production;
});
afterAll(() => Promise.all([m?.close(), prod?.m.close()]));
afterEach(() => {
  expect(m.logs).toEqual([]);
  expect(prod.m.logs).toEqual([]);
});

/** The mock's conformance report finds nothing wrong with the library's requests. */
function expectConformant(client: oauth.Client) {
  const report = m.mock.report.clientReport(client.client_id);
  expect(report?.requests).toBeGreaterThan(0);
  expect(checksWith(report, 'fail'), JSON.stringify(report)).toEqual([]);
}

interface Registered {
  client: oauth.Client;
  secret: string | undefined;
}

async function registerClient(metadata: Partial<oauth.OmitSymbolProperties<oauth.Client>> = {}, t: Target = { m, as }): Promise<Registered> {
  const res = await oauth.dynamicClientRegistrationRequest(
    t.as,
    { client_name: 'oauth4webapi test', redirect_uris: [REDIRECT_URI], ...metadata },
    insecure,
  );
  const client = await oauth.processDynamicClientRegistrationResponse(res);
  const secret = typeof client.client_secret === 'string' ? client.client_secret : undefined;
  return { client, secret };
}

/** Builds the authorization URL from discovery and follows it once, as a browser would. */
async function authorize(client: oauth.Client, scope = SCOPE, t: Target = { m, as }) {
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const url = new URL(t.as.authorization_endpoint!);
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

async function codeFlow(client: oauth.Client, auth: oauth.ClientAuth, t: Target = { m, as }) {
  const { verifier, state, location } = await authorize(client, SCOPE, t);
  const params = oauth.validateAuthResponse(t.as, client, location, state);
  const res = await oauth.authorizationCodeGrantRequest(t.as, client, auth, params, REDIRECT_URI, verifier, insecure);
  return { tokens: await oauth.processAuthorizationCodeResponse(t.as, client, res), params, verifier };
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
    expectConformant(client);
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
    expectConformant(client);
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
    expectConformant(client);
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

// The production profile answers as the real server: where a difference breaks this library's
// flow, these show it (opaque tokens, no JWKS, JSON authorization errors, the secret a "none"
// client still needs to refresh).
describe('oauth4webapi against the production profile', () => {
  /** Registration by hand: the library refuses the real server's registration answer (see the first test). */
  async function registerProd(metadata: Record<string, unknown> = {}): Promise<Registered> {
    const res = await fetch(prod.as.registration_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'oauth4webapi test', redirect_uris: [REDIRECT_URI], ...metadata }),
    });
    expect(res.status).toBe(201);
    const client = (await res.json()) as oauth.Client & { client_secret: string };
    return { client, secret: client.client_secret };
  }

  it('registration: the library rejects the answer, which has a client_secret but no client_secret_expires_at (RFC 7591 3.2.1)', async () => {
    const res = await oauth.dynamicClientRegistrationRequest(prod.as, { client_name: 'oauth4webapi test', redirect_uris: [REDIRECT_URI] }, insecure);
    await expect(oauth.processDynamicClientRegistrationResponse(res)).rejects.toThrow(/client_secret_expires_at/);
  });

  /** The project list of reference 9.6, which the production profile serves instead of /api/projects. */
  const projectsOf = (token: string) => fetch(`${prod.m.url}/api/dev/projects`, { headers: { authorization: `Bearer ${token}` } });

  it('a. dynamic client: register → authorize → code (post) → API → refresh (basic fails, post works) → introspect → revoke', async () => {
    const { client, secret } = await registerProd();
    expect(client.grant_types).toEqual(['client_credentials', 'password', 'authorization_code', 'refresh_token', 'implicit', 'revoke', 'introspect']);
    const { tokens } = await codeFlow(client, oauth.ClientSecretPost(secret!), prod);
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 86399 });
    expect(tokens.scope).toBeUndefined();
    expect(tokens.access_token).toMatch(/^[A-Za-z0-9]{86}$/);
    expect((await projectsOf(tokens.access_token)).status).toBe(200);
    // The guide's flat project list is not there.
    expect((await projects(prod.m, tokens.access_token)).status).toBe(404);

    // The library form-encodes the client_id for Basic (its "-" become %2D, RFC 6749 2.3.1), which
    // boruta does not decode: an unknown client. Credentials in the body work.
    await expect(
      oauth.processRefreshTokenResponse(
        prod.as,
        client,
        await oauth.refreshTokenGrantRequest(prod.as, client, oauth.ClientSecretBasic(secret!), tokens.refresh_token!, insecure),
      ),
    ).rejects.toMatchObject({ status: 401, cause: [{ scheme: 'basic' }] });
    const refreshed = await oauth.processRefreshTokenResponse(
      prod.as,
      client,
      await oauth.refreshTokenGrantRequest(prod.as, client, oauth.ClientSecretPost(secret!), tokens.refresh_token!, insecure),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // Rotation leaves the previous access token valid (reference 5.6).
    expect((await projectsOf(tokens.access_token)).status).toBe(200);

    const introspect = async (token: string) =>
      oauth.processIntrospectionResponse(
        prod.as,
        client,
        await oauth.introspectionRequest(prod.as, client, oauth.ClientSecretPost(secret!), token, insecure),
      );
    expect(await introspect(refreshed.access_token)).toMatchObject({ active: true, client_id: client.client_id, scope: SCOPE, iss: prod.m.issuer });
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(prod.as, client, oauth.ClientSecretPost(secret!), refreshed.access_token, insecure),
    );
    await expectInvalidToken(await projectsOf(refreshed.access_token));
    expect(await introspect(refreshed.access_token)).toMatchObject({ active: false, iss: 'boruta' });
  });

  it('b. "none" registers a client with a secret: the code exchange works without it, the refresh does not', async () => {
    const { client, secret } = await registerProd({ token_endpoint_auth_method: 'none' });
    expect(client.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(secret).toMatch(/^[A-Za-z0-9]{86}$/);
    const { tokens } = await codeFlow(client, oauth.None(), prod);
    expect((await projectsOf(tokens.access_token)).status).toBe(200);
    await expect(
      oauth.processRefreshTokenResponse(prod.as, client, await oauth.refreshTokenGrantRequest(prod.as, client, oauth.None(), tokens.refresh_token!, insecure)),
    ).rejects.toMatchObject({ code: oauth.RESPONSE_BODY_ERROR, error: 'invalid_client', status: 401 });
    const refreshed = await oauth.processRefreshTokenResponse(
      prod.as,
      client,
      await oauth.refreshTokenGrantRequest(prod.as, client, oauth.ClientSecretPost(secret!), tokens.refresh_token!, insecure),
    );
    expect((await projectsOf(refreshed.access_token)).status).toBe(200);
  });

  it('c. discovery has no jwks_uri, so JWT access-token validation has nothing to check against', () => {
    expect(prod.as.jwks_uri).toBeUndefined();
    expect(prod.as.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('d. errors: an authorization error is JSON on the mock, a replay keeps the tokens, a wrong verifier is invalid_request', async () => {
    const { client, secret } = await registerProd();
    const url = new URL(prod.as.authorization_endpoint!);
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: client.client_id, redirect_uri: REDIRECT_URI, scope: 'no_such:scope', code_challenge: 'x' }))
      url.searchParams.set(k, v);
    const denied = await fetch(url, { redirect: 'manual' });
    expect(denied.status).toBe(400);
    expect(denied.headers.get('location')).toBeNull();
    expect(await denied.json()).toEqual({ error: 'invalid_scope', error_description: 'Given scopes are unknown or unauthorized.' });

    const auth = oauth.ClientSecretPost(secret!);
    const { tokens, params, verifier } = await codeFlow(client, auth, prod);
    const replay = await oauth.authorizationCodeGrantRequest(prod.as, client, auth, params, REDIRECT_URI, verifier, insecure);
    await expect(oauth.processAuthorizationCodeResponse(prod.as, client, replay)).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
    expect((await projectsOf(tokens.access_token)).status).toBe(200);

    const { state, location } = await authorize(client, SCOPE, prod);
    const fresh = oauth.validateAuthResponse(prod.as, client, location, state);
    const wrong = await oauth.authorizationCodeGrantRequest(prod.as, client, auth, fresh, REDIRECT_URI, oauth.generateRandomCodeVerifier(), insecure);
    await expect(oauth.processAuthorizationCodeResponse(prod.as, client, wrong)).rejects.toMatchObject({
      error: 'invalid_request',
      error_description: 'Code verifier is invalid.',
    });
  });
});
