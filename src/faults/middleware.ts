// Where fault rules meet requests: identify the endpoint and what is known about the request,
// ask the registry whether a rule fires, then delay, drop or answer with the forced error.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, Next } from 'koa';
import { oauthError } from '../http/errors.js';
import { bodyParams, queryParams, requestParams, type Params } from '../http/params.js';
import { session } from '../http/session.js';
import type { Mock } from '../mock.js';
import { apiRoutes } from '../api/index.js';
import type { ApiRoute } from '../api/route.js';
import { calledTool, isMcpPath } from '../mcp/request.js';
import { faultError } from './deliver.js';
import { parseFailFlag, type Endpoint, type FaultSpec, type RequestFacts } from './rules.js';

export const FAULT_HEADER = 'X-Glossia-Mock-Fault';

export function endpointOf(method: string, path: string): Endpoint | null {
  if (path === '/oauth/authorize') return 'authorize';
  if (path === '/oauth/device' || path === '/oauth/device/confirm') return 'device';
  if (path === '/.well-known/jwks.json') return 'jwks';
  if (path.startsWith('/.well-known/')) return 'discovery';
  if (path.startsWith('/api/')) return 'api';
  if (isMcpPath(path)) return 'mcp';
  if (method !== 'POST') return null;
  switch (path) {
    case '/oauth/register':
      return 'register';
    case '/oauth/token':
      return 'token';
    case '/oauth/revoke':
      return 'revoke';
    case '/oauth/introspect':
      return 'introspect';
    case '/oauth/device_authorization':
      return 'device_authorization';
  }
  return null;
}

function basicClientId(ctx: Context): string | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(ctx.get('Authorization'));
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

/** The fixture user a request acts for, as far as it can be told before the handler runs. */
function userOf(mock: Mock, ctx: Context, endpoint: Endpoint, params: Params): string | undefined {
  const d = mock.directory;
  const handleOf = (id: string | null | undefined) => (id ? d.userById(id)?.handle : undefined);
  switch (endpoint) {
    case 'api':
    case 'mcp': {
      const m = /^Bearer (\S+)$/.exec(ctx.get('Authorization'));
      return m ? handleOf(mock.tokens.activeAccessToken(m[1]!)?.userId) : undefined;
    }
    case 'authorize':
    case 'device': {
      const hint = params['login_hint'];
      if (typeof hint === 'string' && d.userByHandle(hint)) return hint;
      return handleOf(session(ctx, mock).userId) ?? mock.config.autoApprove ?? undefined;
    }
    case 'token': {
      const code = params['code'];
      const refresh = params['refresh_token'];
      if (typeof code === 'string') return handleOf(mock.tokens.findCode(code)?.userId);
      if (typeof refresh === 'string') return handleOf(mock.tokens.findRefreshToken(refresh)?.userId);
      return undefined;
    }
    case 'revoke':
    case 'introspect': {
      const t = params['token'];
      if (typeof t !== 'string') return undefined;
      return handleOf(mock.tokens.findAccessToken(t)?.userId ?? mock.tokens.findRefreshToken(t)?.userId);
    }
    default:
      return undefined;
  }
}

function apiRouteAt(mock: Mock, method: string, path: string): ApiRoute | undefined {
  return apiRoutes(mock.profile).find(
    (r) => r.method.toUpperCase() === method && new RegExp(`^${r.path.replace(/:[A-Za-z_]+/g, '[^/]+')}$`).test(path),
  );
}

/** `X-Glossia-Mock-Fault: invalid_grant | 429 | delay=500 | drop`, for this one request. */
function headerSpec(value: string, endpoint: Endpoint): FaultSpec {
  return parseFailFlag(`${endpoint}=${value}`);
}

export const injectFaults = (mock: Mock) => async (ctx: Context, next: Next) => {
  const header = ctx.get(FAULT_HEADER);
  if (!header && mock.faults.idle()) return next();
  const endpoint = endpointOf(ctx.method, ctx.path);
  if (!endpoint) return next();
  const params: Params = endpoint === 'authorize' && ctx.method === 'GET' ? queryParams(ctx) : requestParams(ctx);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

  let spec: FaultSpec | undefined;
  if (header) {
    try {
      spec = headerSpec(header, endpoint);
    } catch (err) {
      throw oauthError(400, 'invalid_request', `${FAULT_HEADER}: ${(err as Error).message}`);
    }
  } else {
    const facts: RequestFacts = {
      endpoint,
      path: ctx.path,
      clientId: str(params['client_id']) ?? basicClientId(ctx),
      grantType: str(params['grant_type']),
      tool: endpoint === 'mcp' ? calledTool(bodyParams(ctx)) : undefined,
      user: mock.faults.needsUser() ? userOf(mock, ctx, endpoint, params) : undefined,
    };
    const rule = mock.faults.fire(facts);
    if (rule) ctx.state['fault'] = rule.id;
    spec = rule;
  }
  if (!spec) return next();
  ctx.state['fault'] ??= 'header';

  if (spec.delay_ms) await sleep(spec.delay_ms);
  if (spec.drop) {
    ctx.respond = false;
    ctx.req.socket.destroy();
    return;
  }
  if (spec.error === undefined && spec.status === undefined) return next();
  // A tool error travels inside the JSON-RPC answer: the tool call raises it.
  if (endpoint === 'mcp' && spec.error !== undefined && spec.status === undefined) {
    if (calledTool(bodyParams(ctx)) === undefined) return next();
    ctx.state['mcpFault'] = { error: spec.error, description: spec.description, retry_after: spec.retry_after };
    return next();
  }
  throw faultError(mock, spec, {
    endpoint,
    params,
    basicAuth: /^Basic /i.test(ctx.get('Authorization')),
    apiRoute: endpoint === 'api' ? apiRouteAt(mock, ctx.method, ctx.path) : undefined,
    grantType: str(params['grant_type']),
  });
};
