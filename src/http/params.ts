// Reading OAuth parameters. RFC 6749 3.1/3.2: parameters must not repeat, and every value is a
// string. Form parsing can produce arrays (repeats) and objects (`a[b]=c`); JSON bodies can
// produce anything. All of that is turned into invalid_request here, never a crash.
import type { Context } from 'koa';
import { oauthError } from './errors.js';

export type Params = Record<string, unknown>;

export function bodyParams(ctx: Context): Params {
  const body = (ctx.request as { body?: unknown }).body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Params) : {};
}

/** Where a middleware leaves the query as the handlers should read it (see repeated.ts). */
export const READ_QUERY = 'readQuery';

export function queryParams(ctx: Context): Params {
  return ((ctx.state as Record<string, unknown>)[READ_QUERY] as Params | undefined) ?? (ctx.query as Params);
}

/**
 * Query and body parameters in one object, the body's value winning, as Phoenix merges them.
 * Read-only: most requests carry only one of the two, which is then returned as it is.
 */
export function requestParams(ctx: Context): Params {
  const query = queryParams(ctx);
  const body = bodyParams(ctx);
  if (isEmpty(body)) return query;
  return isEmpty(query) ? body : { ...query, ...body };
}

function isEmpty(params: Params): boolean {
  for (const _ in params) return false;
  return true;
}

/** A single string parameter, or undefined when absent. */
export function param(params: Params, name: string): string | undefined {
  if (!Object.hasOwn(params, name)) return undefined;
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) throw oauthError(400, 'invalid_request', `The ${name} parameter must not be repeated.`);
  if (typeof value !== 'string') throw oauthError(400, 'invalid_request', `The ${name} parameter must be a string.`);
  return value;
}

/** Every parameter as a string (for carrying a request through a form); repeats and objects fail. */
export function stringParams(params: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(params)) {
    const v = param(params, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}
