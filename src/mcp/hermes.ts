// Streamable HTTP as Glossia's server really speaks it: Hermes MCP 0.14.1 (reference 11A.1 rows
// 19-32). The SDK's transport cannot be bent into these rules (it rejects unknown session ids,
// answers initialize on an initialized session with 400, accepts batches, has no init gate and no
// `err_…` ids), so this front end is written by hand; behind it each session still has an SDK
// Server (tools/list, tools/call, initialize), reached through the SDK's in-memory transport.
import { randomBytes, createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'koa';
import type { Mock } from '../mock.js';
import type { CallContext, ToolCatalog } from './catalog.js';
import { authInfoOf, createMcpServer } from './server.js';
import { SESSION_IDLE_MS, type McpTransport } from './transport.js';

type Id = string | number;
interface Message {
  jsonrpc: '2.0';
  id?: Id;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

const REQUESTS = new Set([
  'initialize', 'ping', 'resources/list', 'resources/read', 'prompts/get', 'prompts/list', 'tools/call', 'tools/list',
  'logging/setLevel', 'completion/complete', 'roots/list', 'sampling/createMessage',
]);
const NOTIFICATIONS = new Set([
  'notifications/initialized', 'notifications/cancelled', 'notifications/progress', 'notifications/message', 'notifications/roots/list_changed',
]);
const NODE = createHash('sha256').update(String(process.pid)).digest().subarray(0, 3);

/** Hermes' ids: URL-safe Base64 with padding of a ns timestamp, a node hash and 3 random bytes. */
function hermesId(prefix: 'session_' | 'err_'): string {
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(process.hrtime.bigint() + BigInt(Date.now()) * 1_000_000n);
  return prefix + Buffer.concat([time, NODE, randomBytes(3)]).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Maps with string keys come out in byte order (Jason over Elixir maps). */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sorted(v)]));
}
const encode = (message: unknown) => `${JSON.stringify(sorted(message))}\n`;

const rpcError = (id: Id, code: number, message: string, data?: unknown) =>
  ({ jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } }) as const;
/** A transport-level error: the http status and message doubly wrapped in `data`. */
const httpError = (code: number, message: string, status: number, text: string) =>
  rpcError(hermesId('err_'), code, message, { data: { http_status: status, message: text } });
const PARSE_ERROR = () => rpcError(hermesId('err_'), -32700, 'Parse error', { message: 'Invalid JSON' });
const NOT_INITIALIZED = () => rpcError(hermesId('err_'), -32600, 'Invalid Request', { message: 'Server not initialized' });
const crashAnswer = (id: Id) => rpcError(id, -32603, 'Internal error', { reason: 'server_unavailable' });

/** Answers Hermes gives itself, for methods Glossia's servers do not implement (row 28). */
function unimplemented(m: Message): Message | null {
  const p = m.params ?? {};
  const id = m.id!;
  switch (m.method) {
    case 'resources/list':
      return { jsonrpc: '2.0', id, result: { resources: [] } };
    case 'prompts/list':
      return { jsonrpc: '2.0', id, result: { prompts: [] } };
    case 'resources/read':
      return rpcError(id, -32002, 'Resource not found', { message: `Resource not found: ${String(p['uri'])}` });
    case 'prompts/get':
      return rpcError(id, -32602, 'Invalid params', { message: `Prompt not found: ${String(p['name'])}` });
    case 'completion/complete':
      return rpcError(id, -32601, 'Method not found', { message: 'Server does not implement handle_completion/3', method: m.method });
    case 'logging/setLevel':
    case 'roots/list':
    case 'sampling/createMessage':
      return rpcError(id, -32601, 'Method not found', { method: m.method });
    case 'ping':
      return { jsonrpc: '2.0', id, result: {} };
  }
  return null;
}

/** One JSON-RPC 2.0 object Hermes accepts (row 23 d), or null. */
function readMessage(body: unknown): Message | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const m = body as Message;
  if (m.jsonrpc !== '2.0') return null;
  const validId = (typeof m.id === 'string' || Number.isSafeInteger(m.id)) && m.id !== undefined;
  if (m.method === undefined) return validId && ('result' in m || 'error' in m) ? m : null;
  if (typeof m.method !== 'string') return null;
  if ('id' in m) return validId && REQUESTS.has(m.method) ? m : null;
  return NOTIFICATIONS.has(m.method) ? m : null;
}

/** Why a request would crash Glossia's server process before any tool runs (row 17, 11A.3). */
function crashesServer(m: Message): boolean {
  const p = m.params;
  if (m.method === 'initialize') {
    const info = p?.['clientInfo'] as { name?: unknown; version?: unknown } | undefined;
    return p !== undefined && (typeof info?.name !== 'string' || typeof info?.version !== 'string' || typeof p['protocolVersion'] !== 'string');
  }
  return m.method === 'tools/call' && (p === undefined || p['arguments'] === undefined);
}

interface Session {
  server: Server;
  client: InMemoryTransport;
  pending: Map<Id, (answer: Message) => void>;
  initialized: boolean;
  /** An open GET stream: answers of POSTs go there instead (row 24). */
  stream?: PassThrough;
  events: number;
  seen: number;
}

export function hermesTransport(mock: Mock, catalog: ToolCatalog): McpTransport {
  const sessions = new Map<string, Session>();

  const open = (): Session => {
    const [client, serverSide] = InMemoryTransport.createLinkedPair();
    const session: Session = { server: createMcpServer(mock, catalog), client, pending: new Map(), initialized: false, events: 0, seen: 0 };
    client.onmessage = (message) => {
      const m = message as Message;
      if (m.id !== undefined) session.pending.get(m.id)?.(m);
      session.pending.delete(m.id!);
    };
    void session.server.connect(serverSide);
    void client.start();
    return session;
  };

  const sessionFor = (id: string): Session => {
    const now = mock.clock.nowMs();
    for (const [key, s] of sessions) if (now - s.seen > SESSION_IDLE_MS) drop(key, s);
    let session = sessions.get(id);
    if (!session) sessions.set(id, (session = open()));
    session.seen = now;
    return session;
  };

  const drop = (id: string, s: Session) => {
    sessions.delete(id);
    s.stream?.end();
    void s.server.close();
  };

  /** The supervisor restarts the server with one_for_all: every session is gone (row 30). */
  const crash = () => {
    for (const [id, s] of [...sessions]) drop(id, s);
  };

  const forward = (session: Session, m: Message, context: CallContext, token: string) =>
    new Promise<Message>((resolve) => {
      session.pending.set(m.id!, resolve);
      void session.client.send(m as JSONRPCMessage, { authInfo: authInfoOf(token, context) });
    });

  async function answerRequest(session: Session, m: Message, context: CallContext, token: string): Promise<Message | 'crash'> {
    if (m.method !== 'initialize' && m.method !== 'ping' && !session.initialized) return NOT_INITIALIZED();
    if (m.method === 'initialize' && m.params === undefined) return rpcError(m.id!, -32601, 'Method not found', { method: 'initialize' });
    if (crashesServer(m)) return 'crash';
    const own = unimplemented(m);
    if (own) return own;
    if (m.method === 'initialize') session.initialized = false;
    const answer = await forward(session, m, context, token);
    return answer.error?.code === -32603 ? 'crash' : answer;
  }

  /** Hermes' answers: JSON-RPC objects end with a newline; the `{}` of a 202 or a DELETE does not. */
  const send = (ctx: Context, status: number, body: Message | 'empty', headers: Record<string, string> = {}) => {
    ctx.status = status;
    ctx.set({ 'cache-control': 'max-age=0, private, must-revalidate', ...headers });
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = body === 'empty' ? '{}' : encode(body);
  };

  function handleGet(ctx: Context) {
    if (!ctx.get('Accept').includes('text/event-stream'))
      return send(ctx, 406, httpError(-32600, 'Invalid Request', 406, 'Accept header must include text/event-stream'));
    const id = ctx.get('mcp-session-id') || hermesId('session_');
    const session = sessionFor(id);
    ctx.status = 200;
    ctx.set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', 'mcp-session-id': id });
    if (ctx.method === 'HEAD') return;
    const stream = new PassThrough();
    session.stream?.end();
    session.stream = stream;
    session.events = 0;
    ctx.req.on('close', () => {
      if (session.stream === stream) session.stream = undefined;
      stream.end();
    });
    ctx.body = stream;
    // Hermes sends nothing on its own: the headers must not wait for a first event.
    ctx.flushHeaders();
  }

  async function handlePost(ctx: Context, token: string, context: CallContext) {
    const accept = ctx.get('Accept');
    if (!accept.includes('application/json') || !accept.includes('text/event-stream'))
      return send(ctx, 406, httpError(-32600, 'Invalid Request', 406, 'Not Acceptable: Client must accept both application/json and text/event-stream'));
    const m = ctx.request.is('application/json') ? readMessage((ctx.request as { body?: unknown }).body) : null;
    if (!m) return send(ctx, 400, PARSE_ERROR());
    const given = ctx.get('mcp-session-id');
    const id = given || hermesId('session_');
    const session = sessionFor(id);
    if (m.method === undefined || m.id === undefined) {
      if (m.method === 'notifications/initialized') session.initialized = true;
      return send(ctx, 202, 'empty');
    }
    const answer = await answerRequest(session, m, context, token);
    if (answer === 'crash') {
      crash();
      return send(ctx, 400, crashAnswer(m.id));
    }
    if (session.stream) {
      session.stream.write(`id: ${session.events++}\nevent: message\ndata: ${encode(answer)}data: \n\n`);
      return send(ctx, 202, 'empty');
    }
    send(ctx, 200, answer, given ? {} : { 'mcp-session-id': id });
  }

  return {
    async handle(ctx, token, context) {
      switch (ctx.method) {
        case 'GET':
        case 'HEAD':
          return handleGet(ctx);
        case 'POST':
          return handlePost(ctx, token, context);
        case 'DELETE': {
          const id = ctx.get('mcp-session-id');
          if (!id) return send(ctx, 400, httpError(-32603, 'Internal error', 400, 'Session ID required'));
          const session = sessions.get(id);
          session?.stream?.end();
          if (session) session.stream = undefined;
          return send(ctx, 200, 'empty');
        }
        default:
          return send(ctx, 405, httpError(-32601, 'Method not found', 405, 'Method not allowed'));
      }
    },
  };
}
