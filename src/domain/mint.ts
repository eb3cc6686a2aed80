// Tokens without the browser flow, for API tests: a grant for a fixture user and a client, and a
// token pair in it that behaves exactly like one from /oauth/token (refresh, revoke, introspect).
import type { Mock } from '../mock.js';
import { parseScope, unknownOrRepeated } from '../oauth/scopes.js';
import type { TokenResponse } from '../oauth/tokens.js';

export interface MintRequest {
  /** Fixture user handle. */
  user: string;
  /** Space-separated scopes; default: the profile's default scope. */
  scope?: string;
  /** Default: the first pre-registered client. */
  clientId?: string;
  /** Access token lifetime in seconds; default: the configured one. */
  expiresIn?: number;
}

export class MintError extends Error {}

export async function mintToken(mock: Mock, req: MintRequest): Promise<TokenResponse & { client_id: string; sub: string }> {
  if (typeof req.user !== 'string') throw new MintError('"user" must be a fixture user handle.');
  const user = mock.directory.userByHandle(req.user);
  if (!user) throw new MintError(`"${req.user}" is not a fixture user; choose one of: ${mock.directory.users.map((u) => u.handle).join(', ')}.`);
  const clientId = req.clientId ?? mock.clients.fixtureClients()[0]?.client_id;
  const client = clientId === undefined ? undefined : mock.clients.find(clientId);
  if (!client) throw new MintError(`"${String(clientId)}" is not a client of this mock.`);
  if (req.scope !== undefined && typeof req.scope !== 'string') throw new MintError('"scope" must be a space-separated string.');
  const scopes = parseScope(req.scope ?? mock.profile.defaultScope);
  if (unknownOrRepeated(scopes)) throw new MintError(`"${req.scope}" names an unknown or repeated scope.`);
  const ttl = req.expiresIn ?? mock.accessTokenTtl;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new MintError('"expiresIn" must be a whole number of seconds above 0.');
  const scope = scopes.join(' ');
  const grantId = mock.tokens.createGrant(client.client_id, user.id, scope, mock.clock.now());
  const tokens = await mock.tokens.issue(grantId, client.client_id, user.id, scope, ttl);
  await mock.store.settled();
  return { ...tokens, scope, client_id: client.client_id, sub: user.id };
}
