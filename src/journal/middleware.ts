// Records every request in the journal once it is answered. Who and which flow are read from what
// the request and response carry (client_id, codes, tokens), so handlers need not report anything.
import type { Context, Next } from 'koa';
import { bodyParams, queryParams, requestParams, type Params } from '../http/params.js';
import type { Mock } from '../mock.js';
import { calledTool, isMcpPath } from '../mcp/request.js';
import { requestFacts } from './facts.js';
import { redactLocation, redactParams, type JournalRecord } from './journal.js';

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

function link(mock: Mock, ctx: Context, path: string, params: Params, location: string | undefined): Link {
  if (path === '/oauth/authorize') {
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

/** The control API, the stylesheet and health checks (every 10 s in Docker) would drown the rest. */
const UNRECORDED: ReadonlySet<string> = new Set(['/_mock', '/assets/glossia-mock.css', '/up']);

function entryOf(mock: Mock, ctx: Context, path: string, atMs: number, start: number): JournalRecord {
  const params = requestParams(ctx);
  const location = ctx.response.get('Location') as string | undefined;
  const l = link(mock, ctx, path, params, location);
  const clientId = typeof params['client_id'] === 'string' ? params['client_id'] : l.clientId;
  const facts = requestFacts(mock, ctx, params);
  // Optional members are added, not spread in: same order, and an object that stays cheap to read.
  const entry: JournalRecord = {
    atMs,
    method: ctx.method,
    path,
    query: redactParams(queryParams(ctx)),
    status: ctx.respond === false ? 'dropped' : ctx.status,
    duration_ms: Math.round((performance.now() - start) * 10) / 10,
    client_id: clientId ?? null,
    user: (l.userId && mock.directory.userById(l.userId)?.handle) ?? null,
    fault: (ctx.state['fault'] as string | undefined) ?? null,
    flow: l.flow ?? null,
  };
  if (location) entry.location = redactLocation(location);
  const tool = isMcpPath(path) ? calledTool(bodyParams(ctx)) : undefined;
  if (tool) entry.tool = tool;
  if (facts) entry.facts = facts;
  return entry;
}

export const journalRequests = (mock: Mock) => async (ctx: Context, next: Next) => {
  const start = performance.now();
  const atMs = mock.clock.nowMs();
  try {
    await next();
  } finally {
    const path = ctx.path;
    if (!UNRECORDED.has(path) && !path.startsWith('/_mock/')) {
      // On the next tick: after Koa has written the response (it does so in the microtasks that
      // follow this one), before any other request can be read. The client waits for no journal
      // entry or report verdict, and still finds its request listed once it has the answer.
      process.nextTick(() => {
        try {
          mock.journal.record(entryOf(mock, ctx, path, atMs, start));
        } catch (err) {
          mock.log(`journal: ${ctx.method} ${path} not recorded: ${(err as Error)?.stack ?? String(err)}`);
        }
      });
    }
  }
};
