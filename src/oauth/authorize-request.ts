// Validation of an authorization request (RFC 6749 4.1.1, RFC 7636 4.3), in an order that decides
// where an error may go: until the client and its redirect URI are known good, nothing is ever
// redirected (RFC 6749 4.1.2.1, no open redirects); after that, the profile decides.
import { HtmlError, oauthError, RedirectError } from '../http/errors.js';
import { param, stringParams, type Params } from '../http/params.js';
import type { Mock } from '../mock.js';
import type { StoredClient } from '../store/schema.js';
import { allowsGrant } from './clients.js';
import { CLIENT_ID_PATTERN, clientIdPatternDescription } from './grants/required.js';
import { isRegisteredRedirect } from './redirect-uri.js';
import { openidLast, parseScope, unknownOrRepeated } from './scopes.js';

export interface AuthorizeRequest {
  /** `code`, or `token` for the implicit flow (production profile, clients with the implicit grant). */
  responseType: 'code' | 'token';
  client: StoredClient;
  redirectUri: string;
  state: string | undefined;
  scope: string;
  challenge: string;
  method: 'S256' | 'plain';
  nonce: string | null;
  loginHint: string | undefined;
  /** Every request parameter, carried through the sign-in and consent forms. */
  params: Record<string, string>;
}

const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** An error before the redirect URI is trusted: a page for the user (or Glossia's JSON). */
function untrusted(mock: Mock, status: number, error: string, description: string): Error {
  return mock.profile.authorizeErrors === 'redirect'
    ? new HtmlError(status, error, description)
    : oauthError(status, error, description);
}

export function authorizeError(
  mock: Mock,
  target: { redirectUri: string; state: string | undefined },
  status: number,
  error: string,
  description: string,
): Error {
  return mock.profile.authorizeErrors === 'redirect'
    ? new RedirectError(target.redirectUri, { error, error_description: description, state: target.state })
    : oauthError(status, error, description);
}

function single(mock: Mock, params: Params, name: string): string | undefined {
  try {
    return param(params, name);
  } catch {
    throw untrusted(mock, 400, 'invalid_request', `The ${name} parameter must be given once, as a string.`);
  }
}

export interface TrustedTarget {
  client: StoredClient;
  redirectUri: string;
  state: string | undefined;
}

/** The client and redirect URI, once they are known good; until then errors never redirect. */
export function trustedTarget(mock: Mock, raw: Params): TrustedTarget {
  const clientId = single(mock, raw, 'client_id');
  const redirectUri = single(mock, raw, 'redirect_uri');
  if (!clientId && !redirectUri)
    throw untrusted(mock, 400, 'invalid_request', 'Query params validation failed. Required properties client_id, redirect_uri are missing at #.');
  if (!clientId) throw untrusted(mock, 400, 'invalid_request', 'Query params validation failed. Required property client_id is missing at #.');
  if (!CLIENT_ID_PATTERN.test(clientId)) throw untrusted(mock, 400, 'invalid_request', clientIdPatternDescription('Query params'));
  if (!redirectUri)
    throw untrusted(mock, 400, 'invalid_request', 'Query params validation failed. Required property redirect_uri is missing at #.');
  const client = mock.clients.find(clientId);
  if (!client || !isRegisteredRedirect(client.redirect_uris, redirectUri, mock.profile.redirectUriWildcards))
    throw untrusted(mock, 401, 'invalid_client', 'Invalid client_id or redirect_uri.');
  const stateValue = raw['state'];
  return { client, redirectUri, state: typeof stateValue === 'string' ? stateValue : undefined };
}

export function readAuthorizeRequest(mock: Mock, raw: Params): AuthorizeRequest {
  const target = trustedTarget(mock, raw);
  const { client, redirectUri } = target;
  // From here on the redirect URI is the client's own; errors may go back to it.
  const fail = (status: number, error: string, description: string) => authorizeError(mock, target, status, error, description);

  let params: Record<string, string>;
  try {
    params = stringParams(raw);
  } catch (err) {
    throw fail(400, 'invalid_request', (err as Error & { body?: { error_description?: string } }).body?.error_description ?? 'Invalid parameters.');
  }

  const responseType = params['response_type'];
  if (!responseType) throw fail(400, 'invalid_request', 'Request is not a valid OAuth request. Need a response_type param.');
  const p = mock.profile;
  if (!(p.responseTypes as readonly string[]).includes(responseType))
    throw fail(
      400,
      'invalid_request',
      'Invalid response_type param, may be on of `code` for Authorization Code request, `code id_token`, `code token`, `code id_token token` for Hybrid requests, or `token`, `id_token token` for Implicit requests.',
    );
  if (!allowsGrant(client, responseType === 'token' ? 'implicit' : 'authorization_code'))
    throw fail(400, 'unsupported_grant_type', 'Client do not support given grant type.');

  // boruta accepts fragment, yet answers a code flow in the query all the same.
  const mode = params['response_mode'];
  if (mode !== undefined && !p.responseModes.includes(mode))
    throw fail(
      400,
      'invalid_request',
      p.responseModes.length > 1
        ? `Query params validation failed. #/response_mode do match required pattern /^(${p.responseModes.join('|')})$/.`
        : 'Only response_mode=query is supported for the authorization code flow.',
    );

  const requested = parseScope(params['scope'] ?? '');
  if (unknownOrRepeated(requested)) throw fail(400, 'invalid_scope', 'Given scopes are unknown or unauthorized.');
  const granted = mock.profile.openidLast ? openidLast(requested) : requested;
  const scope = granted.length > 0 ? granted.join(' ') : mock.profile.defaultScope;
  const common = { client, redirectUri, state: params['state'], scope, nonce: params['nonce'] ?? null, loginHint: params['login_hint'], params };
  // The implicit flow has no PKCE (boruta's token request schema has no code_challenge).
  if (responseType === 'token') return { responseType, ...common, challenge: '', method: 'plain' };

  const challenge = params['code_challenge'];
  if (!challenge) throw fail(400, 'invalid_request', 'Code challenge is invalid.');
  const givenMethod = params['code_challenge_method'];
  const method = givenMethod ?? p.pkceDefaultMethod;
  if (method === null) throw fail(400, 'invalid_request', 'code_challenge_method is required; use S256.');
  if (!(p.pkceMethods as readonly string[]).includes(method))
    throw fail(
      400,
      'invalid_request',
      method === 'plain' ? 'The plain code_challenge_method is not allowed; use S256.' : `Query params validation failed. #/code_challenge_method do match required pattern /${p.pkceMethods.includes('plain') ? 'plain|S256' : 'S256'}/.`,
    );
  if (p.strictPkceFormat && method === 'S256' && !S256_CHALLENGE.test(challenge))
    throw fail(400, 'invalid_request', 'Code challenge is invalid: an S256 challenge is 43 base64url characters (RFC 7636 4.2).');

  return { responseType: 'code', ...common, challenge, method: method as 'S256' | 'plain' };
}
