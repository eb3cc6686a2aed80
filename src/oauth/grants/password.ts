// grant_type=password, which boruta still serves to dynamically registered clients (reference 5.7):
// Glossia's resource-owner lookup refuses every password, so the best answer is a 401.
import { oauthError } from '../../http/errors.js';
import { param, type Params } from '../../http/params.js';
import type { Mock } from '../../mock.js';
import type { Credentials } from '../client-auth.js';
import { allowsGrant } from '../clients.js';
import type { TokenResponse } from '../tokens.js';
import { missingProperties } from './required.js';

export async function passwordGrant(mock: Mock, body: Params, creds: Credentials): Promise<TokenResponse> {
  const username = param(body, 'username');
  const password = param(body, 'password');
  const missing = missingProperties([
    ['client_id', creds.clientId !== undefined],
    ['username', username !== undefined],
    ['password', password !== undefined],
  ]);
  if (missing) throw missing;
  // The secret is only checked for confidential clients, and Glossia has none (reference 5.4).
  const client = mock.clients.find(creds.clientId!);
  if (!client) throw oauthError(401, 'invalid_client', 'Invalid client_id or client_secret.');
  if (!allowsGrant(client, 'password')) throw oauthError(400, 'unsupported_grant_type', 'Client do not support given grant type.');
  const known = mock.directory.users.some((u) => u.email === username);
  throw oauthError(
    401,
    'invalid_resource_owner',
    known ? 'Password authentication is not supported. Use OAuth login.' : 'User not found.',
  );
}
