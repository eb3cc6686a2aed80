// Turning a rate-limit verdict into Glossia's 429: JSON on machine endpoints, plain text on the
// browser routes, and a description-less body for floods of invalid bearer tokens.
import type { Context, Next } from 'koa';
import { clientIp } from '../http/client-ip.js';
import { JsonError, TextError } from '../http/errors.js';
import { bodyParams, queryParams } from '../http/params.js';
import type { Mock } from '../mock.js';
import type { LimitName } from './rate-limiter.js';

export type TooManyBody = 'json' | 'text' | 'bare';

export function enforce(mock: Mock, name: LimitName, keys: readonly string[], body: TooManyBody = 'json'): void {
  const verdict = mock.limits.hit(name, keys);
  if (verdict.allowed) return;
  const headers = { 'Retry-After': String(verdict.retryAfter) };
  if (body === 'text') throw new TextError(429, 'Rate limit exceeded', headers);
  if (body === 'bare') throw new JsonError(429, { error: 'too_many_requests' }, headers, mock.profile.invalidTokenContentType);
  throw new JsonError(429, { error: 'too_many_requests', error_description: 'Rate limit exceeded' }, headers);
}

/** Limits keyed by address (and client_id), decided by the path alone. */
function pathLimit(method: string, path: string): { name: LimitName; byClient: boolean; body: TooManyBody } | null {
  if (path.startsWith('/.well-known/')) return { name: 'well_known', byClient: false, body: 'json' };
  if (method === 'POST') {
    switch (path) {
      case '/oauth/register':
        return { name: 'register', byClient: false, body: 'json' };
      case '/oauth/token':
        return { name: 'token', byClient: true, body: 'json' };
      case '/oauth/revoke':
        return { name: 'revoke', byClient: true, body: 'json' };
      case '/oauth/introspect':
        return { name: 'introspect', byClient: true, body: 'json' };
      case '/oauth/device_authorization':
        return { name: 'device_authorization', byClient: true, body: 'json' };
    }
  }
  if (path === '/api/openapi.json') return { name: 'openapi', byClient: false, body: 'json' };
  if (path === '/auth/login') return { name: 'login', byClient: false, body: 'text' };
  if (path === '/oauth/device') return { name: 'device', byClient: false, body: 'text' };
  return null;
}

export const limitByPath = (mock: Mock) => async (ctx: Context, next: Next) => {
  const rule = pathLimit(ctx.method, ctx.path);
  if (rule) {
    const keys = [`ip:${clientIp(ctx)}`];
    if (rule.byClient) {
      // Glossia's client bucket reads the client_id parameter; Basic-auth-only requests skip it.
      const id = bodyParams(ctx)['client_id'] ?? queryParams(ctx)['client_id'];
      if (typeof id === 'string' && id !== '') keys.push(`client:${id}`);
    }
    enforce(mock, rule.name, keys, rule.body);
  }
  await next();
};
