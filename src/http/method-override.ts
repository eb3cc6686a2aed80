// Plug.MethodOverride, which Glossia's endpoint runs before its router (reference 1.1): a POST whose
// body carries `_method` = DELETE, PUT or PATCH (any case) is routed as that method, so an HTML
// form or a JSON body can reach the API's DELETE and PATCH routes.
import type { Context, Next } from 'koa';
import { bodyParams } from './params.js';

const OVERRIDABLE: ReadonlySet<string> = new Set(['DELETE', 'PUT', 'PATCH']);

export async function methodOverride(ctx: Context, next: Next): Promise<void> {
  if (ctx.method === 'POST') {
    const wanted = bodyParams(ctx)['_method'];
    if (typeof wanted === 'string' && OVERRIDABLE.has(wanted.toUpperCase())) ctx.method = wanted.toUpperCase();
  }
  await next();
}
