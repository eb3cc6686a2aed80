// Glossia's `:api` pipeline starts with Phoenix's `accepts ["json"]` (reference 1.1): on the OAuth
// machine endpoints, the discovery documents and the REST API, a request whose Accept header
// names no JSON-compatible type is refused with 406 before anything else looks at it (token, rate
// limit, client). Phoenix renders that error with its HTML error view: `Not Acceptable`, text/html.
// Pipelines run only for a path and method the router serves: anything else is a plain 404.
import type { Context, Next } from 'koa';
import { TextError } from './errors.js';
import { bodyParams, queryParams } from './params.js';

const OAUTH_MACHINE_PATHS: ReadonlySet<string> = new Set([
  '/oauth/register',
  '/oauth/device_authorization',
  '/oauth/token',
  '/oauth/revoke',
  '/oauth/introspect',
]);

/** The routes behind the `:api` pipeline (the MCP endpoints are too; their transport checks Accept itself). */
export function behindApiPipeline(method: string, path: string): boolean {
  if (method === 'OPTIONS') return false;
  return path.startsWith('/api/') || path.startsWith('/.well-known/') || (method === 'POST' && OAUTH_MACHINE_PATHS.has(path));
}

/**
 * Pure: would Phoenix's `accepts(conn, ["json"])` let this through? A missing header does; so does
 * any entry (whatever its q, even 0) that is application/json, application/* or * / *. A
 * `_format` parameter replaces the header and must be `json`.
 */
export function acceptsJson(accept: string | undefined, format: unknown): boolean {
  if (format !== undefined) return format === 'json';
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((entry) => {
    const type = entry.split(';')[0]!.trim().toLowerCase();
    return type === '*/*' || type === 'application/*' || type === 'application/json';
  });
}

/** `served(method, path)`: the router has a route for them. */
export const requireJsonAccept = (served: (method: string, path: string) => boolean) => async (ctx: Context, next: Next) => {
  if (behindApiPipeline(ctx.method, ctx.path) && served(ctx.method, ctx.path)) {
    // Phoenix's merged params: the body's value over the query's, the last of a repeated one.
    const raw = bodyParams(ctx)['_format'] ?? queryParams(ctx)['_format'];
    const format = Array.isArray(raw) ? raw.at(-1) : raw;
    if (!acceptsJson(ctx.get('Accept') || undefined, format)) throw new TextError(406, 'Not Acceptable', {}, 'text/html; charset=utf-8');
  }
  await next();
};
