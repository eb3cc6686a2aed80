// Records every request in the journal once it is answered. Who and which flow are read from what
// the request and response carry (client_id, codes, tokens), so handlers need not report anything.
import type { Context, Next } from 'koa';
import { bodyParams, queryParams } from '../http/params.js';
import type { Mock } from '../mock.js';
import { calledTool, isMcpPath } from '../mcp/request.js';
import { requestFacts } from './facts.js';
import { redactLocation, redactParams } from './journal.js';

interface Link {
  clientId?: string | undefined;
  userId?: string | undefined;
  flow?: string | undefined;
}

function fromToken(mock: Mock, value: unknown): Link {
  if (typeof value !== 'string' || value === '') return {};
  const t = mock.tokens.findAccessToken(value) ?? mock.tokens.findRefreshToken(value);
  return t ? { clientId: t.clientId, userId: t.userId, flow: t.grantId } : {};
}

function fromCode(mock: Mock, value: unknown): Link {
  if (typeof value !== 'string' || value === '') return {};
  const c = mock.tokens.findCode(value);
  return c ? { clientId: c.clientId, userId: c.userId, flow: c.grantId } : {};
}

function link(mock: Mock, ctx: Context, params: Record<string, unknown>): Link {
  const path = ctx.path;
  if (path === '/oauth/authorize') {
    const location = ctx.response.get('Location');
    if (!location) return {};
    // A code comes in the query, or in the fragment (response_mode=fragment); the implicit flow's
    // access token in the fragment.
    const url = new URL(location, mock.issuer);
    const fragment = new URLSearchParams(url.hash.slice(1));
    const viaCode = fromCode(mock, url.searchParams.get('code') ?? fragment.get('code'));
    return viaCode.flow ? viaCode : fromToken(mock, fragment.get('access_token'));
  }
  if (path === '/oauth/token') {
    if (ctx.status === 200 && typeof ctx.body === 'string') {
      try {
        return fromToken(mock, (JSON.parse(ctx.body) as { access_token?: unknown }).access_token);
      } catch {
        return {};
      }
    }
    const viaCode = fromCode(mock, params['code']);
    return viaCode.flow ? viaCode : fromToken(mock, params['refresh_token']);
  }
  if (path === '/oauth/revoke' || path === '/oauth/introspect') return fromToken(mock, params['token']);
  if (path.startsWith('/api/') || isMcpPath(path)) {
    const m = /^Bearer (\S+)$/.exec(ctx.get('Authorization'));
    // A token in the query string is refused, but still tells whose request it was.
    return fromToken(mock, m ? m[1] : ctx.query['access_token']);
  }
  return {};
}

export const journalRequests = (mock: Mock) => async (ctx: Context, next: Next) => {
  const start = performance.now();
  const atMs = mock.clock.nowMs();
  try {
    await next();
  } finally {
    // The control API, the stylesheet and health checks (every 10 s in Docker) would drown the rest.
    if (ctx.path !== '/_mock' && !ctx.path.startsWith('/_mock/') && ctx.path !== '/assets/glossia-mock.css' && ctx.path !== '/up') {
      const params = { ...queryParams(ctx), ...bodyParams(ctx) };
      const l = link(mock, ctx, params);
      const clientId = typeof params['client_id'] === 'string' ? params['client_id'] : l.clientId;
      const location = ctx.response.get('Location');
      const tool = isMcpPath(ctx.path) ? calledTool(bodyParams(ctx)) : undefined;
      const facts = requestFacts(mock, ctx, params);
      mock.journal.record({
        atMs,
        method: ctx.method,
        path: ctx.path,
        query: redactParams(queryParams(ctx)),
        status: ctx.respond === false ? 'dropped' : ctx.status,
        duration_ms: Math.round((performance.now() - start) * 10) / 10,
        client_id: clientId ?? null,
        user: (l.userId && mock.directory.userById(l.userId)?.handle) ?? null,
        fault: (ctx.state['fault'] as string | undefined) ?? null,
        flow: l.flow ?? null,
        ...(location ? { location: redactLocation(location) } : {}),
        ...(tool ? { tool } : {}),
        ...(facts ? { facts } : {}),
      });
    }
  }
};
