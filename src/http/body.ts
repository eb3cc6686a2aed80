// Request bodies: JSON and form for every route (as Glossia), multipart too where the profile says
// so, size-capped, and any unreadable body turned into invalid_request instead of an exception.
// JSON and forms are read as koa-bodyparser read them (strict JSON, a `__proto__` member refused,
// forms as qs reads them, gzip/deflate/br bodies inflated, UTF-8 with a BOM dropped); its 40
// modules cost ~40 ms of CPU and ~3 MB of memory at the first request with a body.
import type { Readable } from 'node:stream';
import Bourne from '@hapi/bourne';
import type { Context, Middleware, Next } from 'koa';
import { JsonError, oauthError } from './errors.js';
import { parseForm } from './form.js';

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

/** koa-bodyparser's JSON types; everything else that is not a form (or multipart) reads as no parameters. */
const JSON_TYPES = ['application/json', 'application/json-patch+json', 'application/vnd.api+json', 'application/csp-report', 'application/scim+json'];
const FORM_TYPE = 'application/x-www-form-urlencoded';
const STRICT_JSON = /^[\x20\x09\x0a\x0d]*[[{]/;
const unsupportedEncoding = () => oauthError(415, 'invalid_request', 'Unsupported request body encoding.');
const unreadable = () => oauthError(400, 'invalid_request', 'The request body could not be read.');

export function parseBodies({ limitBytes, multipart, unparsable: style }: BodyOptions): Middleware {
  const unparsable = UNPARSABLE[style];
  return async function parseBody(ctx: Context, next: Next) {
    if (BODYLESS.has(ctx.method) && !ctx.request.length) return next();
    const request = ctx.request as { body?: unknown; rawBody?: string };
    if (multipart && ctx.is('multipart/form-data')) {
      request.body = await readMultipart(ctx, limitBytes, unparsable);
      return next();
    }
    // A trailing ";" is forgiven for JSON only, as koa-bodyparser did.
    const contentType = ctx.get('Content-Type');
    const json = contentType.endsWith(';') ? JSON_TYPES.includes(mediaType(contentType)) : Boolean(ctx.is(JSON_TYPES));
    if (!json && !ctx.is(FORM_TYPE)) {
      request.body = {};
      return next();
    }
    const text = await readText(ctx, limitBytes);
    request.rawBody = text;
    request.body = json ? parseJson(text, unparsable) : await parseForm(text);
    return next();
  };
}

const mediaType = (contentType: string) => contentType.split(';', 1)[0]!.trim().toLowerCase();

/** Strict, as co-body was: an object or an array (an empty body is none), no `__proto__` member. */
function parseJson(text: string, unparsable: Unparsable): unknown {
  if (text === '') return {};
  if (!STRICT_JSON.test(text)) throw unparsable();
  try {
    return Bourne.parse(text, { protoAction: 'error' }) as unknown;
  } catch {
    throw unparsable();
  }
}

/** The body as UTF-8 text, inflated if it says it is compressed. */
async function readText(ctx: Context, limitBytes: number): Promise<string> {
  const encoding = ctx.get('Content-Encoding') || 'identity';
  let source: Readable = ctx.req;
  if (encoding !== 'identity') {
    if (!INFLATE.has(encoding)) throw unsupportedEncoding();
    const zlib = await import('node:zlib');
    const inflater = encoding === 'br' ? zlib.createBrotliDecompress() : zlib.createUnzip();
    ctx.req.once('error', (err) => inflater.destroy(err));
    source = ctx.req.pipe(inflater);
  }
  let raw: Buffer;
  try {
    // The declared length is what arrives only when nothing inflates it.
    raw = await readAll(source, limitBytes, encoding === 'identity' ? ctx.request.length : undefined);
  } catch (err) {
    throw err instanceof JsonError ? err : unreadable();
  }
  const text = raw.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const INFLATE = new Set(['gzip', 'deflate', 'br']);

async function readAll(source: AsyncIterable<Buffer>, limitBytes: number, declared: number | undefined): Promise<Buffer> {
  if (declared !== undefined && declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
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
  const raw = await readAll(ctx.req, limitBytes, ctx.request.length);
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
