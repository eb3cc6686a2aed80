// Getting, refreshing, revoking and introspecting tokens over the mock's OAuth endpoints.
import { expect } from 'vitest';
import { json } from './http.js';
import { autoApprovedCode, codeForm, DEMO, postForm, SPA, type TestMock } from './mock.js';

/** A token endpoint success body (RFC 6749 5.1). */
export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope?: string;
}

/** A client as it authenticates: a public client has no secret. */
export interface Client {
  clientId: string;
  secret: string | undefined;
  redirectUri?: string;
}

export const demoClient: Client = { clientId: DEMO.clientId, secret: DEMO.secret, redirectUri: DEMO.redirectUri };
export const spaClient: Client = { clientId: SPA.clientId, secret: undefined, redirectUri: SPA.redirectUri };

/** The client's credentials in the body (a missing secret is left out), then `extra`. */
export function creds(client: Client, extra: Record<string, string | undefined> = {}) {
  return { client_id: client.clientId, client_secret: client.secret, ...extra };
}

/** A 200 JSON answer's body; anything else fails with the body in the message. */
export async function ok<T = Tokens>(res: Response): Promise<T> {
  const body = (await json(res)) as T;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** Authorize (auto-approved, as `user` when given) and exchange the code for `client`. */
export async function tokensFor(
  m: TestMock,
  scope = 'user:read project:read',
  { client = demoClient, user }: { client?: Client; user?: string } = {},
): Promise<Tokens> {
  const redirectUri = client.redirectUri ?? DEMO.redirectUri;
  const { code, verifier } = await autoApprovedCode(m.url, {
    clientId: client.clientId,
    redirectUri,
    scope,
    ...(user ? { extra: { login_hint: user } } : {}),
  });
  return ok(
    await postForm(
      `${m.url}/oauth/token`,
      codeForm(code, verifier, { redirect_uri: redirectUri, client_id: client.clientId, client_secret: client.secret }),
    ),
  );
}

/** The guide's step 6: refresh with the demo client's client_id + client_secret in the body, then `extra`. */
export const refresh = (
  m: TestMock,
  refreshToken: string | undefined,
  extra: Record<string, string | undefined> = {},
  headers: Record<string, string> = {},
) => postForm(`${m.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, ...creds(demoClient), ...extra }, headers);

/** POST /oauth/revoke with `client`'s credentials in the body. */
export const revoke = (m: TestMock, extra: Record<string, string | undefined>, client: Client = demoClient, headers: Record<string, string> = {}) =>
  postForm(`${m.url}/oauth/revoke`, creds(client, extra), headers);

/** POST /oauth/introspect with `client`'s credentials in the body. */
export const introspect = (m: TestMock, token: string | undefined, client: Client = demoClient, headers: Record<string, string> = {}) =>
  postForm(`${m.url}/oauth/introspect`, creds(client, { token }), headers);

/** Registers a confidential client (201) for the demo redirect URI, or the given ones. */
export async function registerClient(
  m: TestMock,
  clientName: string,
  redirectUris: string[] = [DEMO.redirectUri],
): Promise<{ clientId: string; secret: string }> {
  const res = await fetch(`${m.url}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: clientName, redirect_uris: redirectUris }),
  });
  const body = (await json(res)) as { client_id: string; client_secret: string };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { clientId: body.client_id, secret: body.client_secret };
}

/** A token to get: on this mock, with this scope, as this user (the mock's auto-approve user when absent). */
export type TokenSpec = [m: TestMock, scope: string, user?: string];

/** An access token for the demo client: on `m`, with `scope`, as `user` (the mock's auto-approve user when absent). */
export async function accessToken(m: TestMock, scope: string, user?: string): Promise<string> {
  return (await tokensFor(m, scope, user === undefined ? {} : { user })).access_token;
}

/** Access tokens for the demo client, fetched in parallel, under the names they are asked for. */
export async function accessTokens<K extends string>(specs: Record<K, TokenSpec>): Promise<Record<K, string>> {
  const entries = await Promise.all(Object.entries<TokenSpec>(specs).map(async ([name, spec]) => [name, await accessToken(...spec)] as const));
  return Object.fromEntries(entries) as Record<K, string>;
}

/** The scopes of the routes that manage credentials: account tokens and OAuth apps (reference 9.9, 9.10). */
export const CREDS = 'api_credentials:read api_credentials:write';

/**
 * Tokens for the credential routes on `m`, which auto-approves as dev: dev with both scopes, dev
 * read-only, dev without them, and alex and maria with both.
 */
export const credentialTokens = (m: TestMock) =>
  accessTokens({
    dev: [m, CREDS],
    devRead: [m, 'api_credentials:read'],
    noScope: [m, 'user:read project:read project:write'],
    alex: [m, CREDS, 'alex'],
    maria: [m, CREDS, 'maria'],
  });
