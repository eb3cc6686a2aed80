// Request bodies: JSON and form for every route (as Glossia), size-capped, and any unreadable
// body turned into invalid_request instead of an exception.
import type { Context, Middleware, Next } from 'koa';
import { oauthError } from './errors.js';

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

export function parseBodies(limitBytes: number): Middleware {
  // koa-bodyparser and its dependency tree cost tens of ms to load; discovery and the
  // authorization redirect never need it, so it is loaded with the first request that has a body.
  let parser: Promise<Middleware> | null = null;
  return async function parseBody(ctx: Context, next: Next) {
    if (BODYLESS.has(ctx.method) && !ctx.request.length) return next();
    parser ??= import('koa-bodyparser').then(({ default: bodyParser }) => createParser(bodyParser, limitBytes));
    return (await parser)(ctx, next);
  };
}

function createParser(bodyParser: typeof import('koa-bodyparser'), limitBytes: number): Middleware {
  return bodyParser({
    enableTypes: ['json', 'form'],
    jsonLimit: String(limitBytes),
    formLimit: String(limitBytes),
    strict: true,
    onerror(err: Error & { status?: number; type?: string }) {
      if (err.type === 'entity.too.large' || err.status === 413)
        throw oauthError(413, 'invalid_request', `The request body is larger than ${limitBytes} bytes.`);
      if (err.status === 415 || err.type === 'encoding.unsupported' || err.type === 'charset.unsupported')
        throw oauthError(415, 'invalid_request', 'Unsupported request body encoding.');
      if (err instanceof SyntaxError || err.status === 400)
        throw oauthError(400, 'invalid_request', 'The request body could not be parsed; send a JSON object or a form.');
      throw oauthError(400, 'invalid_request', 'The request body could not be read.');
    },
  });
}
