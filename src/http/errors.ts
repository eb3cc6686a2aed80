// The one place that turns failures into HTTP responses. Handlers throw; this middleware renders.
// Three renderings exist because OAuth has three audiences for an error: a machine (JSON), a
// client's callback (redirect), and a person whose browser cannot safely be sent back (HTML).
import type { Context, Next } from 'koa';
import { errorPage } from '../ui/pages/error.js';
import { sendHtml } from '../ui/respond.js';

export type ErrorBody = Record<string, unknown>;

/** A JSON error exactly as Glossia sends it at that endpoint. */
export class JsonError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
    readonly headers: Readonly<Record<string, string>> = {},
    /** false: the JSON goes out without a content type, as a few of Glossia's plug-level answers do. */
    readonly typed = true,
  ) {
    super(typeof body?.['error'] === 'string' ? body['error'] : `HTTP ${status}`);
  }
}

/** `{"error","error_description"}`, the body of every OAuth endpoint error (RFC 6749 5.2). */
export function oauthError(
  status: number,
  error: string,
  description?: string | Record<string, string[]>,
  headers?: Record<string, string>,
): JsonError {
  const body: ErrorBody = { error };
  if (description !== undefined) body['error_description'] = description;
  return new JsonError(status, body, headers);
}

/**
 * Glossia's other JSON envelope, `{"error":{"message","type":"api_error","code":null}}`, which the
 * translate controller uses for its own errors (reference 9.12).
 */
export const apiErrorEnvelope = (status: number, message: string, headers?: Record<string, string>): JsonError =>
  new JsonError(status, { error: { message, type: 'api_error', code: null } }, headers);

/**
 * A JSON-RPC error answering an MCP request (reference 11A.1 row 31): `code`, `message` and `data`
 * reach the client as they are (the MCP SDK's own McpError would prefix the message).
 */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** A failed MCP tool, with Glossia's text ("Insufficient scope (required: project:read)"). */
export const toolError = (message: string): RpcError => new RpcError(-32000, message);

/**
 * A bare-text error: Glossia's browser routes send their 429 (`Rate limit exceeded`) as text, and
 * Phoenix's fallback error view its `Not Acceptable` as text/html.
 */
export class TextError extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly type = 'text/plain; charset=utf-8',
  ) {
    super(text);
  }
}

/** An authorization error delivered to the client's redirect URI (RFC 6749 4.1.2.1). */
export class RedirectError extends Error {
  readonly location: string;
  constructor(redirectUri: string, params: { error: string; error_description?: string; state?: string | undefined }) {
    super(params.error);
    this.location = appendQuery(redirectUri, params);
  }
}

/** An authorization error shown to the user because the redirect target cannot be trusted. */
export class HtmlError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(error);
  }
}

/** Appends parameters to a URI, keeping any query it already has byte for byte (RFC 6749 3.1.2). */
export function appendQuery(uri: string, params: Record<string, string | number | undefined>): string {
  const added = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) added.append(key, String(value));
  const query = added.toString();
  if (query === '') return uri;
  // Registered redirect URIs never carry a fragment, so the query is the URI's tail.
  const separator = !uri.includes('?') ? '?' : uri.endsWith('?') || uri.endsWith('&') ? '' : '&';
  return `${uri}${separator}${query}`;
}

export function sendJson(
  ctx: Context,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
  typed = true,
): void {
  if (body === null) {
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    for (const [k, v] of Object.entries(headers)) ctx.set(k, v);
    ctx.body = null;
    ctx.status = status; // koa resets to 204 on null body
  } else sendJsonText(ctx, status, JSON.stringify(body), headers, typed);
}

/** sendJson for a body serialised once and reused (discovery, JWKS). */
export function sendJsonText(ctx: Context, status: number, json: string, headers: Readonly<Record<string, string>> = {}, typed = true): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  for (const [k, v] of Object.entries(headers)) ctx.set(k, v);
  if (typed) {
    // The header itself, not ctx.type: Koa would look the full type up in mime-types on every response.
    ctx.set('Content-Type', 'application/json; charset=utf-8');
    ctx.body = json;
  } else {
    ctx.body = json;
    ctx.remove('Content-Type'); // Koa would label a string text/plain
  }
}

function errorCode(err: unknown): string | undefined {
  if (err instanceof JsonError) return typeof err.body?.['error'] === 'string' ? err.body['error'] : undefined;
  if (err instanceof TextError) return err.status === 429 ? 'too_many_requests' : undefined;
  if (err instanceof HtmlError) return err.error;
  if (err instanceof RedirectError) return err.message;
  return 'server_error';
}

export function errorHandler(log: (message: string) => void) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      // Which error the client got, for the journal (and so the conformance report).
      ctx.state['error'] = errorCode(err);
      if (err instanceof JsonError) return sendJson(ctx, err.status, err.body, err.headers, err.typed);
      if (err instanceof TextError) {
        ctx.status = err.status;
        ctx.set(err.headers);
        ctx.set('Cache-Control', 'no-store');
        ctx.type = err.type;
        ctx.body = err.text;
        return;
      }
      if (err instanceof RedirectError) {
        ctx.set('Cache-Control', 'no-store');
        return ctx.redirect(err.location);
      }
      if (err instanceof HtmlError) {
        sendHtml(ctx, err.status, errorPage({ status: err.status, error: err.error, description: err.description }));
        ctx.set(err.headers);
        return;
      }
      log(`internal error on ${ctx.method} ${ctx.path}: ${(err as Error)?.stack ?? String(err)}`);
      sendJson(ctx, 500, { error: 'server_error', error_description: 'The mock hit an unexpected error; see its log.' });
    }
  };
}
