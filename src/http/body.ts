// Request bodies: JSON and form for every route (as Glossia), multipart too where the profile says
// so, size-capped, and any unreadable body turned into invalid_request instead of an exception.
import type { Context, Middleware, Next } from 'koa';
import { JsonError, oauthError } from './errors.js';

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

const tooLarge = (limitBytes: number) => oauthError(413, 'invalid_request', `The request body is larger than ${limitBytes} bytes.`);
type Unparsable = () => JsonError;
const UNPARSABLE: Record<BodyOptions['unparsable'], Unparsable> = {
  oauth: () => oauthError(400, 'invalid_request', 'The request body could not be parsed; send a JSON object or a form.'),
  phoenix: () => new JsonError(400, { errors: { detail: 'Bad Request' } }),
};

export interface BodyOptions {
  limitBytes: number;
  /** Parse multipart/form-data like a form (Phoenix's Plug.Parsers does, on every route). */
  multipart: boolean;
  /** How a body that does not parse is answered (the profile's `unparsableBody`). */
  unparsable: 'oauth' | 'phoenix';
}

export function parseBodies({ limitBytes, multipart, unparsable: style }: BodyOptions): Middleware {
  const unparsable = UNPARSABLE[style];
  // koa-bodyparser and its dependency tree cost tens of ms to load; discovery and the
  // authorization redirect never need it, so it is loaded with the first request that has a body.
  let parser: Promise<Middleware> | null = null;
  return async function parseBody(ctx: Context, next: Next) {
    if (BODYLESS.has(ctx.method) && !ctx.request.length) return next();
    if (multipart && ctx.is('multipart/form-data')) {
      (ctx.request as { body?: unknown }).body = await readMultipart(ctx, limitBytes, unparsable);
      return next();
    }
    parser ??= import('koa-bodyparser').then(({ default: bodyParser }) => createParser(bodyParser, limitBytes, unparsable));
    return (await parser)(ctx, next);
  };
}

async function readRaw(ctx: Context, limitBytes: number): Promise<Buffer> {
  const declared = ctx.request.length;
  if (declared !== undefined && declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Fields of a multipart body, by name. Like Plug: `name[]` collects a list under `name`, a repeated
 * plain name keeps its last value, and a file part is not a string (so a parameter check refuses it).
 */
async function readMultipart(ctx: Context, limitBytes: number, unparsable: Unparsable): Promise<Record<string, unknown>> {
  const raw = await readRaw(ctx, limitBytes);
  let form: FormData;
  try {
    // The WHATWG fetch implementation built into Node parses multipart/form-data.
    form = await new Response(raw, { headers: { 'content-type': ctx.get('Content-Type') } }).formData();
  } catch {
    throw unparsable();
  }
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    const v = typeof value === 'string' ? value : { filename: value.name };
    if (name.endsWith('[]')) {
      const base = name.slice(0, -2);
      const list = Array.isArray(fields[base]) ? (fields[base] as unknown[]) : [];
      list.push(v);
      fields[base] = list;
    } else {
      fields[name] = v;
    }
  }
  return fields;
}

function createParser(bodyParser: typeof import('koa-bodyparser'), limitBytes: number, unparsable: Unparsable): Middleware {
  return bodyParser({
    enableTypes: ['json', 'form'],
    jsonLimit: String(limitBytes),
    formLimit: String(limitBytes),
    strict: true,
    onerror(err: Error & { status?: number; type?: string }) {
      if (err.type === 'entity.too.large' || err.status === 413) throw tooLarge(limitBytes);
      if (err.status === 415 || err.type === 'encoding.unsupported' || err.type === 'charset.unsupported')
        throw oauthError(415, 'invalid_request', 'Unsupported request body encoding.');
      if (err instanceof SyntaxError || err.status === 400) throw unparsable();
      throw oauthError(400, 'invalid_request', 'The request body could not be read.');
    },
  });
}
