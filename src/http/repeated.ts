// Repeated parameters the way Phoenix reads them (Plug.Conn.Query): `a=1&a=2` is `a=2`, the last
// value; only `a[]=1&a[]=2` makes a list. The strict reading (RFC 6749 3.1: parameters must not
// repeat, so a repeat is invalid_request) is in params.ts; this middleware runs instead of it.
import type { Context, Next } from 'koa';
import { READ_QUERY } from './params.js';

type Params = Record<string, unknown>;

/** Pure: the query with every repeated plain name reduced to its last value (`name[]` lists stay). */
export function lastValuesOfQuery(query: Params): Params | null {
  let changed = false;
  const out: Params = {};
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value) && !name.endsWith('[]')) {
      out[name] = value.at(-1);
      changed = true;
    } else out[name] = value;
  }
  return changed ? out : null;
}

/**
 * Pure: a parsed form body with each plain name that the raw body repeats reduced to its last value.
 * The parser turns both `a=1&a=2` and `a[]=1&a[]=2` into a list, so the raw body tells them apart.
 */
export function lastValuesOfForm(body: Params, raw: string): Params {
  const seen = new Map<string, number>();
  for (const name of new URLSearchParams(raw).keys()) seen.set(name, (seen.get(name) ?? 0) + 1);
  const out: Params = { ...body };
  for (const [name, count] of seen) {
    const value = out[name];
    if (count > 1 && Array.isArray(value)) out[name] = value.at(-1);
  }
  return out;
}

export async function lastValueWins(ctx: Context, next: Next): Promise<void> {
  // Kept apart from ctx.query: the raw query string stays as sent (the sign-in's return path uses it).
  const query = lastValuesOfQuery(ctx.query as Params);
  if (query) ctx.state[READ_QUERY] = query;
  const request = ctx.request as { body?: unknown; rawBody?: string };
  if (ctx.is('application/x-www-form-urlencoded') && request.body && typeof request.body === 'object' && typeof request.rawBody === 'string')
    request.body = lastValuesOfForm(request.body as Params, request.rawBody);
  await next();
}
