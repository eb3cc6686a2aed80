// grant_type=client_credentials, which boruta still serves to dynamically registered clients
// (reference 5.7): the secret is always checked, and only an empty or `openid` scope can be granted,
// to a token without a user (which the API therefore refuses).
import { oauthError } from '../../http/errors.js';
import { param, type Params } from '../../http/params.js';
import type { Mock } from '../../mock.js';
import { authenticateClient, type Credentials } from '../client-auth.js';
import { allowsGrant } from '../clients.js';
import { OPENID, parseScope } from '../scopes.js';
import type { TokenResponse } from '../tokens.js';
import { missingProperties } from './required.js';

/** The user id of a token issued to a client on its own behalf. */
export const NO_USER = '';

export async function clientCredentialsGrant(mock: Mock, body: Params, creds: Credentials): Promise<TokenResponse> {
  const missing = missingProperties([['client_id', creds.clientId !== undefined]]);
  if (missing) throw missing;
  const found = mock.clients.find(creds.clientId!);
  if (!found) throw oauthError(401, 'invalid_client', 'Invalid client_id or client_secret.');
  // boruta checks the grant before the secret.
  if (!allowsGrant(found, 'client_credentials')) throw oauthError(400, 'unsupported_grant_type', 'Client do not support given grant type.');
  const client = authenticateClient(mock, creds, { checkSecret: true, missing: () => missing! });
  const scope = parseScope(param(body, 'scope') ?? '');
  if (scope.some((s) => s !== OPENID)) throw oauthError(400, 'invalid_scope', 'Given scopes are unknown or unauthorized.');
  const granted = scope.join(' ');
  const grantId = mock.tokens.createGrant(client.client_id, NO_USER, granted, mock.clock.now());
  return mock.tokens.issue(grantId, client.client_id, NO_USER, granted);
}
