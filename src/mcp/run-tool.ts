// Running a user tool: its arguments become the request of the REST route it names, the route runs
// through the same pipeline as over HTTP (`:handle` → tool rate limit → scope → policy → work), and
// failures come back in the tool's words (reference 11A.3, 11A.4).
import { apiRoutes } from '../api/index.js';
import type { Caller } from '../api/bearer.js';
import type { ApiRoute, RouteGate } from '../api/route.js';
import { runRoute } from '../api/route.js';
import type { Account } from '../domain/directory.js';
import { JsonError, toolError } from '../http/errors.js';
import type { Params } from '../http/params.js';
import type { LimitName } from '../limits/rate-limiter.js';
import type { Mock } from '../mock.js';
import type { Profile } from '../profiles.js';
import { MAX_PAGE_SIZE } from '../api/pagination.js';
import type { Args, UserTool } from './tools.js';

export interface BoundTool {
  tool: UserTool;
  route: ApiRoute;
}

/** Each tool with its route; a tool naming a route that does not exist is a programming error. */
export function bindTools(profile: Profile, tools: readonly UserTool[]): BoundTool[] {
  const routes = apiRoutes(profile);
  return tools.map((tool) => {
    const route = routes.find((r) => `${r.method.toUpperCase()} ${r.path}` === tool.route);
    if (!route) throw new Error(`MCP tool ${tool.name}: no API route ${tool.route}`);
    return { tool, route };
  });
}

/** The per-tool bucket, by the kind of scope the tool needs (reference 11A.6). */
export function toolBucket(scope: string): LimitName {
  const kind = scope.slice(scope.lastIndexOf(':') + 1);
  if (kind === 'read') return 'mcp_tool_read';
  if (kind === 'write' || kind === 'delete') return 'mcp_tool_write';
  if (kind === 'admin') return 'mcp_tool_admin';
  return 'mcp_tool';
}

export const rateLimited = (retryAfter: number) => toolError(`Rate limit exceeded. Retry in ${retryAfter}s.`);

/** `token:<id>` (or `user:<id>`), plus `:account:<id>` when the tool targets an account. */
function meter(mock: Mock, scope: string, caller: Caller, account: Account | undefined): void {
  const actor = caller.tokenId ? `token:${caller.tokenId}` : `user:${caller.user.id}`;
  const verdict = mock.limits.hit(toolBucket(scope), [account ? `${actor}:account:${account.id}` : actor]);
  if (!verdict.allowed) throw rateLimited(verdict.retryAfter);
}

function toolGate(mock: Mock, route: ApiRoute, caller: Caller): RouteGate {
  return {
    notFound: (r, handle) => toolError(r.target === 'organization' ? `Organization '${handle}' not found` : `Account '${handle}' not found`),
    insufficientScope: (scope) => toolError(`Insufficient scope (required: ${scope})`),
    notAuthorized: () => toolError('Not authorized'),
    meter: (account) => meter(mock, route.scope, caller, account),
  };
}

/** Ecto's `"<field>: <msg>, <msg>"`, one per field, joined by "; ". */
export const changesetText = (errors: Record<string, string[]>): string =>
  Object.entries(errors)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ');

function inToolWords(err: unknown, tool: UserTool, args: Args): unknown {
  if (!(err instanceof JsonError) || !err.body) return err;
  const { errors, error } = err.body as { errors?: unknown; error?: unknown };
  if (errors && typeof errors === 'object') {
    const invalid = tool.invalid ?? { prefix: 'Validation failed: ' };
    return toolError('text' in invalid ? invalid.text : invalid.prefix + changesetText(errors as Record<string, string[]>));
  }
  if (typeof error === 'string') return toolError(tool.messages?.[error]?.(args) ?? error);
  return err;
}

/** Lists have no pages over MCP: every page of a paginated route, its lists joined. */
async function everyPage(run: (query: Params, gate: boolean) => Promise<unknown>, query: Params) {
  const merged: Record<string, unknown> = {};
  for (let page = 1; ; page++) {
    const answer = (await run({ ...query, page: String(page), page_size: String(MAX_PAGE_SIZE) }, page === 1)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(answer))
      if (Array.isArray(value)) merged[key] = [...((merged[key] as unknown[]) ?? []), ...value];
    const meta = answer['meta'] as { 'has_next_page?'?: boolean } | undefined;
    if (!meta?.['has_next_page?']) return merged;
  }
}

/** Runs a tool whose arguments passed validation; resolves to its payload or throws an RpcError. */
export async function runUserTool(mock: Mock, { tool, route }: BoundTool, caller: Caller, args: Args): Promise<unknown> {
  const params: Record<string, string> = {};
  const rest: Args = { ...args };
  const toPath = { ...(route.path.includes(':handle') ? { handle: 'handle' } : {}), ...tool.path };
  // Glossia's tools match their arguments in function heads: without them the tool crashes.
  for (const arg of Object.keys(toPath)) if (typeof args[arg] !== 'string') throw new Error(`${tool.name}: no clause matches without "${arg}"`);
  for (const [arg, param] of Object.entries(toPath)) {
    params[param] = String(args[arg]);
    delete rest[arg];
  }
  const input = tool.request ? tool.request(rest) : rest;
  const peeked = tool.peek?.(mock, args);
  const gate = toolGate(mock, route, caller);
  const run = (query: Params, metered: boolean) =>
    runRoute(
      route,
      { mock, caller, params, query, body: route.method === 'get' ? {} : input },
      metered ? gate : { ...gate, meter: undefined },
    );
  try {
    const answer = route.paginated ? await everyPage(run, input) : await run(route.method === 'get' ? input : {}, true);
    return tool.payload(answer, args, mock, peeked);
  } catch (err) {
    throw inToolWords(err, tool, args);
  }
}
