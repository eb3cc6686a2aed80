// grant_type=refresh_token (RFC 6749 6) with rotation: every refresh token is single use.
import { oauthError } from '../../http/errors.js';
import { param, type Params } from '../../http/params.js';
import type { Mock } from '../../mock.js';
import { authenticateClient, type Credentials } from '../client-auth.js';
import { allowsGrant } from '../clients.js';
import { parseScope } from '../scopes.js';
import type { TokenResponse } from '../tokens.js';

const INVALID = 'Given refresh token is invalid, revoked, or expired.';

export async function refreshTokenGrant(mock: Mock, body: Params, creds: Credentials): Promise<TokenResponse> {
  const value = param(body, 'refresh_token');
  const requestedScope = param(body, 'scope');
  if (!value)
    throw oauthError(400, 'invalid_request', 'Request body validation failed. Required property refresh_token is missing at #.');
  const client = authenticateClient(mock, creds, {
    checkSecret: true,
    missing: () => oauthError(401, 'invalid_client', 'Invalid client.'),
  });
  if (!allowsGrant(client, 'refresh_token'))
    throw oauthError(400, 'unsupported_grant_type', 'Client do not support given grant type.');

  const record = mock.tokens.findRefreshToken(value);
  const now = mock.clock.now();
  if (!record || record.clientId !== client.client_id) throw oauthError(400, 'invalid_grant', INVALID);
  if (record.usedAt !== null) {
    // OAuth 2.1 4.3.1: a rotated token coming back means one of two parties holds a stolen copy.
    if (mock.profile.refreshReuseRevokesFamily) mock.tokens.revokeGrant(record.grantId);
    throw oauthError(400, 'invalid_grant', INVALID);
  }
  if (record.revokedAt !== null || record.expiresAt <= now || mock.tokens.isGrantRevoked(record.grantId))
    throw oauthError(400, 'invalid_grant', INVALID);

  let scope = record.scope;
  if (requestedScope !== undefined && requestedScope.trim() !== '') {
    const granted = new Set(parseScope(record.scope));
    const wanted = parseScope(requestedScope);
    if (wanted.some((s) => !granted.has(s))) throw oauthError(400, 'invalid_scope', 'Given scopes are unknown or unauthorized.');
    scope = [...new Set(wanted)].join(' ');
  }
  mock.tokens.consumeRefreshToken(record);
  return mock.tokens.issue(record.grantId, client.client_id, record.userId, scope);
}
