// One API route = one declaration: method, path, scope, who may call it, and the handler. The
// pipeline below applies Glossia's check order to every route alike (reference 9.1):
// bearer token → user → :handle (404) → scope (403 insufficient_scope) → policy (403 not_authorized).
// The OpenAPI document is generated from the same declarations, so it cannot drift.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Account } from '../domain/directory.js';
import { apiErrorEnvelope, JsonError, sendJson } from '../http/errors.js';
import { bodyParams, queryParams, type Params } from '../http/params.js';
import type { Mock } from '../mock.js';
import { clientIp } from '../http/client-ip.js';
import { enforce } from '../limits/enforce.js';
import { authorizationHeader, INVALID_TOKEN, resolveBearer, UNAUTHORIZED, type Caller } from './bearer.js';
import { ListParamsError } from './list-query.js';
import { hasScope } from '../oauth/scopes.js';
import { allowed, scopeError, type Principal } from './policy.js';

export type Method = 'get' | 'post' | 'patch' | 'delete';

export interface ApiRequest {
  /** The HTTP request; absent when an MCP tool runs the route. */
  ctx?: Context;
  mock: Mock;
  caller: Caller;
  /** The account named by `:handle`, when the route has one. */
  account: Account;
  params: Record<string, string>;
  query: Params;
  body: Params;
}

export interface ApiRoute {
  method: Method;
  /** Koa path, e.g. `/api/:handle/projects`. */
  path: string;
  scope: string;
  /** Who passes the policy on the target account; 'any-user' for collection routes without one. */
  who: readonly Principal[] | 'any-user';
  /** How `:handle` is resolved, and so which 404 body an unknown one gets. */
  target: 'account' | 'organization' | null;
  /**
   * `api_error`: the route answers its own errors (the unknown account included) in Glossia's
   * `{"error":{"message","type":"api_error","code":null}}` envelope; the 401/403/429 stay standard.
   */
  envelope?: 'api_error';
  summary: string;
  tag: string;
  /** Status of a successful answer. */
  status: number;
  /** Request body fields, for the OpenAPI document. */
  body?: Readonly<Record<string, 'string' | 'boolean' | 'integer' | 'array' | 'object'>>;
  /** Query parameters besides pagination, for the OpenAPI document. */
  queryParams?: readonly string[];
  paginated?: boolean;
  handle(req: ApiRequest): unknown;
}

export const notFound = (route: Pick<ApiRoute, 'target' | 'envelope'>, handle: string): JsonError => {
  if (route.envelope === 'api_error') return apiErrorEnvelope(404, 'account not found');
  return new JsonError(404, { error: route.target === 'organization' ? `Organization '${handle}' not found` : 'account not found' });
};

/** Glossia's BearerAuth → ApiRateLimit → RequireApiAuth (reference 9.1, 12). */
export function authenticateApi(mock: Mock, ctx: Context): Caller {
  const ip = `ip:${clientIp(ctx)}`;
  const caller = resolveBearer(mock, authorizationHeader(ctx));
  if (caller === 'invalid') {
    enforce(mock, 'invalid_bearer', [ip], 'bare');
    throw INVALID_TOKEN(mock.profile.invalidTokenContentType);
  }
  enforce(mock, 'api', [caller ? `user:${caller.user.id}` : ip]);
  if (!caller) throw UNAUTHORIZED();
  return caller;
}

/**
 * How a caller of the route pipeline reports the shared checks' failures and meters the call:
 * REST answers JSON errors, MCP tool errors (reference 11A.3) — the order of checks is the same.
 */
export interface RouteGate {
  notFound(route: ApiRoute, handle: string): Error;
  insufficientScope(scope: string): Error;
  notAuthorized(): Error;
  /** Counts the call once the target account is known, before scope and policy (MCP's per-tool limit). */
  meter?(account: Account | undefined): void;
}

export const REST_GATE: RouteGate = {
  notFound,
  insufficientScope: (scope) => scopeError(scope),
  notAuthorized: () => new JsonError(403, { error: 'not_authorized' }),
};

export type RouteInput = Omit<ApiRequest, 'account'>;

/** The shared part of every API route: `:handle` → meter → scope → policy → the handler. */
export async function runRoute(route: ApiRoute, input: RouteInput, gate: RouteGate = REST_GATE): Promise<unknown> {
  const { mock, caller, params } = input;
  let account: Account | undefined;
  if (route.target) {
    account = mock.directory.account(params['handle']!);
    if (!account) throw gate.notFound(route, params['handle']!);
  }
  gate.meter?.(account);
  if (!hasScope(caller.scope, route.scope)) throw gate.insufficientScope(route.scope);
  if (account && route.who !== 'any-user' && !allowed(mock.directory, caller, account, route.who)) throw gate.notAuthorized();
  const { ctx, query, body } = input;
  // Named, not spread: a spread copy is a slower object for every handler that reads it.
  const result = route.handle({ ctx, mock, caller, account: account!, params, query, body });
  if (route.method === 'get') return result;
  // What a write changed reaches the operating system before its result goes anywhere (REST or MCP).
  const written = await result;
  await mock.store.settled();
  return written;
}

export function mountApi(router: Router, mock: Mock, routes: readonly ApiRoute[]): void {
  for (const route of routes) {
    router[route.method](route.path, async (ctx: Context) => {
      // For the journal: what this call needed, whether or not it gets that far.
      ctx.state['requiredScope'] = route.scope;
      const caller = authenticateApi(mock, ctx);
      let result: unknown;
      try {
        result = await runRoute(route, {
          ctx,
          mock,
          caller,
          params: ctx['params'] as Record<string, string>,
          query: queryParams(ctx),
          body: bodyParams(ctx),
        });
      } catch (err) {
        // Flop's error tuples cannot be encoded, so the real server answers its generic 500 (reference 9.3).
        if (err instanceof ListParamsError && mock.profile.badListParamsStatus === 500)
          throw new JsonError(500, { errors: { detail: 'Internal Server Error' } });
        throw err;
      }
      if (route.status === 204) {
        ctx.status = 204;
        ctx.body = null;
        ctx.set('Cache-Control', 'no-store');
      } else sendJson(ctx, route.status, result);
    });
  }
}
