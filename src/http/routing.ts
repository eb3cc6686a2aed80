// Which route serves a request, decided once per method and path. @koa/router tries every one of
// its ~100 path patterns on every request, and the Accept check needs the answer before the router
// runs; here the answer (and the parameters taken from the path) is kept per method and path, so a
// request costs one map lookup, and the Accept check, the dispatch and the 404/405 answer share it.
// The router stays the table routes are declared in; this module only reads its layers.
import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { sendJson } from './errors.js';

type Layer = Router['stack'][number];

export interface RouteMatch {
  /** Some route serves this method on this path. */
  readonly served: boolean;
  /** Every method served on this path, for a 405's Allow (empty: the path is unknown). */
  readonly allow: string;
  /** The matched routes' handlers, chained as @koa/router chains them. */
  readonly run: Middleware;
}

export interface Routing {
  match(method: string, path: string): RouteMatch;
  /** Runs the route a request matches; anything unmatched gets Glossia's JSON 404 (or a 405). */
  dispatch: Middleware;
}

/** Paths are kept up to this many (method, path) pairs, then forgotten all at once: memory stays bounded. */
export const MAX_REMEMBERED = 2_000;
/** A longer path is matched afresh every time: 2,000 of them could otherwise hold tens of MB. */
export const MAX_REMEMBERED_PATH = 512;

/** `ctx.params` as @koa/router sets it: each matched layer adds its captures, URI-decoded. */
function withParams(layer: Layer, path: string, before: Record<string, string>): Record<string, string> {
  return layer.params(path, layer.captures(path), before) as Record<string, string>;
}

/** Runs `fns` in order, each one's `next` calling the following one, the last one's `next` the caller's. */
function chain(fns: readonly Middleware[]): Middleware {
  if (fns.length === 1) return fns[0]!;
  return (ctx: Context, next: Next) => {
    const step = (i: number): Promise<unknown> => (i === fns.length ? next() : Promise.resolve(fns[i]!(ctx, () => step(i + 1))));
    return step(0);
  };
}

const passOn: Middleware = (_ctx: Context, next: Next) => next();

function resolve(router: Router, method: string, path: string): RouteMatch {
  const run: Middleware[] = [];
  const allowed = new Set<string>();
  let params: Record<string, string> = {};
  let served = false;
  for (const layer of router.stack) {
    if (!layer.match(path)) continue;
    for (const m of layer.methods) allowed.add(m);
    if (layer.methods.length > 0) {
      if (!layer.methods.includes(method)) continue;
      served = true;
    }
    params = withParams(layer, path, params);
    const own = params;
    const handlers = chain(layer.stack as Middleware[]);
    run.push((ctx: Context, next: Next) => {
      // A copy per request: the remembered parameters must not see what a handler does with them.
      ctx['params'] = { ...own };
      return handlers(ctx, next);
    });
  }
  return { served, allow: [...allowed].join(', '), run: served ? chain(run) : passOn };
}

export function createRouting(router: Router): Routing {
  const known = new Map<string, RouteMatch>();
  const notFound: Middleware = async (ctx: Context, next: Next) => {
    await next();
    if (ctx.status !== 404 || ctx.body != null) return;
    const { allow } = match(ctx.method, ctx.path);
    if (allow !== '')
      return sendJson(ctx, 405, { error: 'method_not_allowed', error_description: `${ctx.method} is not allowed on ${ctx.path}.` }, { Allow: allow });
    sendJson(ctx, 404, { errors: { detail: 'Not Found' } });
  };
  function match(method: string, path: string): RouteMatch {
    if (path.length > MAX_REMEMBERED_PATH) return resolve(router, method.toUpperCase(), path);
    const key = `${method} ${path}`;
    let m = known.get(key);
    if (m === undefined) {
      if (known.size >= MAX_REMEMBERED) known.clear();
      m = resolve(router, method.toUpperCase(), path);
      known.set(key, m);
    }
    return m;
  }
  return {
    match,
    dispatch: (ctx: Context, next: Next) => match(ctx.method, ctx.path).run(ctx, () => notFound(ctx, next)),
  };
}
