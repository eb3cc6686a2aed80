// Who is calling the API: Glossia's bearer check (reference 9.1). The header must be exactly
// `Bearer <token>`; anything else is "no token".
import type { Context, Next } from 'koa';
import { JsonError } from '../http/errors.js';
import type { FixtureUser } from '../fixtures/types.js';
import type { Mock } from '../mock.js';

export interface Caller {
  user: FixtureUser;
  scope: string;
  clientId: string | null;
}

export const UNAUTHORIZED = () => new JsonError(401, { error: 'unauthorized' });
export const INVALID_TOKEN = () => new JsonError(401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer' });

export function authenticate(mock: Mock, header: string): Caller {
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match) throw UNAUTHORIZED();
  const token = mock.tokens.activeAccessToken(match[1]!);
  const user = token && mock.directory.userById(token.userId);
  if (!token || !user) throw INVALID_TOKEN();
  return { user, scope: token.scope, clientId: token.clientId };
}

export const requireBearer = (mock: Mock) => async (ctx: Context, next: Next) => {
  ctx.state['caller'] = authenticate(mock, ctx.get('Authorization'));
  await next();
};

export const caller = (ctx: Context): Caller => ctx.state['caller'] as Caller;
