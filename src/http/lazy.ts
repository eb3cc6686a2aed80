// A route whose handler is built by its first request. The modules behind pages and APIs that most
// runs never call (the dashboard, the home page, MCP, the OpenAPI document) are then neither
// compiled nor evaluated at start-up; the bundle puts each such dynamic import in a chunk of its own.
import type { Middleware } from 'koa';

export function lazyHandler(build: () => Promise<Middleware>): Middleware {
  let handler: Promise<Middleware> | undefined;
  return async (ctx, next) => {
    handler ??= build().catch((err: unknown) => {
      handler = undefined;
      throw err;
    });
    return (await handler)(ctx, next);
  };
}
