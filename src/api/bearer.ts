// Who is calling the API: Glossia's bearer check (reference 9.1, plugs/bearer_auth.ex). One
// Authorization header starting with `Bearer ` (case-sensitive) carries a token: the rest, trimmed;
// anything else is "no token". A token is an OAuth access token or, failing that, an account token
// `glsa_…`.
import type { Context } from 'koa';
import { accountTokenHash } from '../crypto/random.js';
import { isoMicros } from '../clock.js';
import { JsonError } from '../http/errors.js';
import type { FixtureUser } from '../fixtures/types.js';
import type { Mock } from '../mock.js';

export interface Caller {
  user: FixtureUser;
  scope: string;
  clientId: string | null;
  /** The token's own id (an access token's jti, an account token's id): MCP meters tools per token. */
  tokenId?: string;
}

export const UNAUTHORIZED = () => new JsonError(401, { error: 'unauthorized' });
/** `typed`: with a JSON content type; Glossia's BearerAuth sends this answer without one. */
export const INVALID_TOKEN = (typed: boolean) => new JsonError(401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer' }, typed);

export { accountTokenHash };

function accountTokenCaller(mock: Mock, plain: string): Caller | undefined {
  const hash = accountTokenHash(plain);
  const record = mock.directory.world().accountTokens.find((t) => t.token_hash === hash);
  if (!record || record.revoked_at !== null) return undefined;
  const nowMs = mock.clock.nowMs();
  if (record.expires_at !== null && Date.parse(record.expires_at) <= nowMs) return undefined;
  const user = mock.directory.userById(record.userId);
  if (!user) return undefined;
  record.last_used_at = isoMicros(nowMs);
  mock.store.recordChanged('accountTokens', record);
  return { user, scope: record.scope, clientId: null, tokenId: record.id };
}

/** The token of an Authorization header, or null for none: `Bearer  x` is `x`, `Bearer a b` the (invalid) `a b`. */
export function bearerValue(header: string): string | null {
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
}

/** The request's Authorization header; '' when it is absent or sent more than once (no token for Glossia). */
export function authorizationHeader(ctx: Context): string {
  const all = ctx.req.headersDistinct['authorization'];
  return all?.length === 1 ? all[0]! : '';
}

/**
 * The caller, or null when the request carries no usable bearer header. An unknown, expired or
 * revoked token is `invalid` (Glossia answers it before anything else).
 */
export function resolveBearer(mock: Mock, header: string): Caller | null | 'invalid' {
  const value = bearerValue(header);
  if (value === null) return null;
  const token = mock.tokens.activeAccessToken(value);
  const user = token && mock.directory.userById(token.userId);
  if (token && user) return { user, scope: token.scope, clientId: token.clientId, tokenId: token.jti };
  const viaAccountToken = value.startsWith('glsa_') ? accountTokenCaller(mock, value) : undefined;
  return viaAccountToken ?? 'invalid';
}
