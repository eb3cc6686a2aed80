// Streamable HTTP with the MCP SDK's own transport: one transport and server per session, created
// by `initialize` and bound to the user who initialized it. The SDK answers everything else
// (session checks, SSE streams, JSON-RPC framing); the Koa context only carries its Response.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'koa';
import type { Mock } from '../mock.js';
import type { ToolCatalog } from './catalog.js';
import { authInfoOf, createMcpServer } from './server.js';
import { SESSION_IDLE_MS, type McpTransport } from './transport.js';

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  userId: string;
  seen: number;
}

/** Sessions kept per server; the oldest is closed beyond this (a mock has few clients). */
const MAX_SESSIONS = 500;

function webRequest(ctx: Context): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(ctx.headers)) if (typeof value === 'string') headers.set(name, value);
  // The body is already parsed (koa-bodyparser); the SDK takes it as parsedBody.
  return new Request(new URL(ctx.originalUrl, 'http://mcp.invalid'), { method: ctx.method, headers });
}

async function sendResponse(ctx: Context, response: Response): Promise<void> {
  ctx.status = response.status;
  response.headers.forEach((value, name) => ctx.set(name, value));
  if (!response.body) {
    ctx.body = null;
    ctx.status = response.status;
    return;
  }
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    const stream = Readable.fromWeb(response.body as NodeReadableStream);
    ctx.req.on('close', () => stream.destroy());
    ctx.body = stream;
    ctx.flushHeaders();
  } else ctx.body = await response.text();
}

const notFoundSession = { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null };

export function sdkTransport(mock: Mock, catalog: ToolCatalog): McpTransport {
  const sessions = new Map<string, Session>();
  const open = (userId: string) => {
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, userId, seen: mock.clock.nowMs() });
        if (sessions.size > MAX_SESSIONS) void sessions.values().next().value?.transport.close();
      },
      onsessionclosed: (id) => void sessions.delete(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    void createMcpServer(mock, catalog).connect(transport);
    return transport;
  };
  return {
    async handle(ctx, token, context) {
      const now = mock.clock.nowMs();
      for (const s of sessions.values()) if (now - s.seen > SESSION_IDLE_MS) void s.transport.close();
      const id = ctx.get('mcp-session-id');
      const body = (ctx.request as { body?: unknown }).body;
      let transport: WebStandardStreamableHTTPServerTransport;
      if (id) {
        const session = sessions.get(id);
        // A session belongs to the user who opened it: to anyone else it does not exist.
        if (!session || session.userId !== context.caller.user.id) {
          ctx.status = 404;
          ctx.type = 'application/json';
          ctx.body = JSON.stringify(notFoundSession);
          return;
        }
        session.seen = now;
        transport = session.transport;
      } else {
        transport = open(context.caller.user.id);
        // Anything but an initialize gets the SDK's "not initialized" answer from a transport that is then dropped.
        if (!(ctx.method === 'POST' && isInitializeRequest(body))) ctx.res.once('finish', () => void transport.close());
      }
      const response = await transport.handleRequest(webRequest(ctx), {
        parsedBody: ctx.method === 'POST' ? body : undefined,
        authInfo: authInfoOf(token, context),
      });
      await sendResponse(ctx, response);
    },
  };
}
