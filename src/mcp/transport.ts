// What the HTTP side asks of a Streamable HTTP transport, whichever the profile uses.
import type { Context } from 'koa';
import type { CallContext } from './catalog.js';

export interface McpTransport {
  /** Answers one HTTP request of an authenticated caller (token = the bearer value). */
  handle(ctx: Context, token: string, context: CallContext): Promise<void>;
}

/** Sessions end after 30 minutes without a request, on the mock's clock (Hermes' default idle timeout). */
export const SESSION_IDLE_MS = 30 * 60_000;
