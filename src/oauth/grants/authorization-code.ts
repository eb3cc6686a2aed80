// grant_type=authorization_code (RFC 6749 4.1.3, RFC 7636 4.5-4.6).
import { s256 } from '../../crypto/random.js';
import { oauthError } from '../../http/errors.js';
import { param, type Params } from '../../http/params.js';
import type { Mock } from '../../mock.js';
import type { Credentials } from '../client-auth.js';
import { authenticateClient } from '../client-auth.js';
import { allowsGrant } from '../clients.js';
import { isRegisteredRedirect } from '../redirect-uri.js';
import { signIdToken } from '../id-token.js';
import { OPENID, parseScope } from '../scopes.js';
import { CLIENT_ID_PATTERN, clientIdPatternDescription } from './required.js';
import type { TokenResponse } from '../tokens.js';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

const required = (name: string) =>
  oauthError(400, 'invalid_request', `Request body validation failed. Required property ${name} is missing at #.`);

export async function authorizationCodeGrant(mock: Mock, body: Params, creds: Credentials): Promise<TokenResponse> {
  const p = mock.profile;
  const code = param(body, 'code');
  const redirectUri = param(body, 'redirect_uri');
  const verifier = param(body, 'code_verifier');
  if (!code) throw required('code');
  if (!redirectUri) throw required('redirect_uri');

  // Reference 5.5 row 1: boruta's schema refuses a client_id that is not UUID-shaped before any lookup.
  if (p.tokenClientIdPattern && creds.clientId !== undefined && !CLIENT_ID_PATTERN.test(creds.clientId))
    throw oauthError(400, 'invalid_request', clientIdPatternDescription('Request body'));
  // Reference 5.5 row 2: an unknown client gets the same answer as an unregistered redirect_uri.
  if (creds.clientId && !mock.clients.find(creds.clientId))
    throw oauthError(401, 'invalid_client', 'Invalid client_id or redirect_uri.');
  const client = authenticateClient(mock, creds, { checkSecret: p.authenticateCodeExchange, missing: () => required('client_id') });
  if (!isRegisteredRedirect(client.redirect_uris, redirectUri, p.redirectUriWildcards))
    throw oauthError(401, 'invalid_client', 'Invalid client_id or redirect_uri.');
  if (!verifier) throw oauthError(400, 'invalid_request', 'PKCE request invalid.');
  if (!allowsGrant(client, 'authorization_code'))
    throw oauthError(400, 'unsupported_grant_type', 'Client do not support given grant type.');

  const [codeError, codeDescription] = p.errors.invalidCode;
  const record = mock.tokens.findCode(code);
  if (!record || record.clientId !== client.client_id || record.redirectUri !== redirectUri)
    throw oauthError(400, codeError, codeDescription);

  const usedOrExpired = () => {
    if (record.usedAt !== null && p.codeReplayRevokesGrant) mock.tokens.revokeGrant(record.grantId);
    return record.usedAt !== null || record.expiresAt <= mock.clock.now();
  };
  if (!p.verifierBeforeExpiry && usedOrExpired()) throw oauthError(400, codeError, codeDescription);
  if (p.strictPkceFormat && !VERIFIER.test(verifier))
    throw oauthError(400, 'invalid_request', 'code_verifier must be 43 to 128 characters of [A-Z a-z 0-9 - . _ ~] (RFC 7636 4.1).');
  const expected = record.method === 'S256' ? s256(verifier) : verifier;
  if (expected !== record.challenge) throw oauthError(400, p.errors.pkceMismatch[0], p.errors.pkceMismatch[1]);
  if (p.verifierBeforeExpiry && usedOrExpired()) throw oauthError(400, codeError, codeDescription);
  if (mock.tokens.isGrantRevoked(record.grantId) || !mock.tokens.consumeCode(record))
    throw oauthError(400, codeError, codeDescription);

  const response = await mock.tokens.issue(record.grantId, client.client_id, record.userId, record.scope);
  const user = mock.directory.userById(record.userId);
  if (user && parseScope(record.scope).includes(OPENID))
    response.id_token = await signIdToken(mock, { user, clientId: client.client_id, nonce: record.nonce, accessToken: response.access_token });
  return response;
}
