// /mcp in the production profile: Glossia's server as deployed (Hermes 0.14.1, reference 11A.1 and
// 11A.2), asserted on the wire with raw JSON-RPC posts, plus the SDK client on what does work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWithToken } from './helpers/mcp.js';
import { startTestMock, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';

let m: TestMock;
let token: string;

const ACCEPT = 'application/json, text/event-stream';
const SESSION = /^session_[A-Za-z0-9_-]{19}=$/;
const ERR_ID = /^err_[A-Za-z0-9_-]{19}=$/;

function post(body: unknown, { session, accept = ACCEPT, bearer = token }: { session?: string; accept?: string; bearer?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept };
  if (bearer) headers['authorization'] = `Bearer ${bearer}`;
  if (session) headers['mcp-session-id'] = session;
  return fetch(`${m.url}/mcp`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

const initialize = (id = 1, protocolVersion = '2025-06-18') => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'c', version: '1' } },
});
const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
const callTool = (id: number, name: string, args: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

/** A session that went through initialize and notifications/initialized. */
async function openSession(bearer = token): Promise<string> {
  const res = await post(initialize(), { bearer });
  const session = res.headers.get('mcp-session-id')!;
  expect((await post(initialized, { session, bearer })).status).toBe(202);
  return session;
}

beforeAll(async () => {
  m = await startTestMock({ profile: 'production', autoApprove: 'dev' });
  token = (await tokensFor(m, 'account:read project:read organization:write', { user: 'dev' })).access_token;
});
afterAll(() => m?.close());

describe('HTTP and sessions (reference 11A.1)', () => {
  it('401 without a token carries no WWW-Authenticate; a bad token gets a bare Bearer challenge', async () => {
    const none = await post(initialize(), { bearer: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBeNull();
    expect(await none.text()).toBe('{"error":"unauthorized"}');
    const bad = await post(initialize(), { bearer: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers initialize with 2025-03-26 in plain JSON, sorted keys, and a Hermes session id', async () => {
    const res = await post(initialize(1, '2025-06-18'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('mcp-session-id')).toMatch(SESSION);
    expect(await res.text()).toBe(
      '{"id":1,"jsonrpc":"2.0","result":{"capabilities":{"tools":{}},"protocolVersion":"2025-03-26","serverInfo":{"name":"Glossia","version":"1.0.0"}}}\n',
    );
    const old = await (await post(initialize(2, '2024-10-07'))).json();
    expect(old.result.protocolVersion).toBe('2024-10-07');
  });

  it('gates every request but initialize and ping until notifications/initialized; unknown ids start fresh', async () => {
    const first = await post(initialize());
    const session = first.headers.get('mcp-session-id')!;
    const gated = await post({ jsonrpc: '2.0', id: 5, method: 'tools/list' }, { session });
    expect(gated.status).toBe(200);
    expect(gated.headers.get('mcp-session-id')).toBeNull();
    const body = await gated.json();
    expect(body).toEqual({ error: { code: -32600, data: { message: 'Server not initialized' }, message: 'Invalid Request' }, id: expect.stringMatching(ERR_ID), jsonrpc: '2.0' });
    expect(await (await post({ jsonrpc: '2.0', id: 6, method: 'ping' }, { session })).json()).toEqual({ id: 6, jsonrpc: '2.0', result: {} });
    expect((await post(initialized, { session })).status).toBe(202);
    const listed = await (await post({ jsonrpc: '2.0', id: 7, method: 'tools/list' }, { session })).json();
    expect(listed.result.tools).toHaveLength(24);
    // Any id is taken as is: an unknown one is a new, uninitialized session.
    const unknown = await (await post({ jsonrpc: '2.0', id: 8, method: 'tools/list' }, { session: 'session_madeup' })).json();
    expect(unknown.error.data).toEqual({ message: 'Server not initialized' });
  });

  it('406s: Phoenix before authentication, Hermes after', async () => {
    const phoenix = await post(initialize(), { accept: 'text/event-stream', bearer: null });
    expect(phoenix.status).toBe(406);
    expect(phoenix.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await phoenix.text()).toBe('Not Acceptable');
    const hermes = await post(initialize(), { accept: 'application/json' });
    expect(hermes.status).toBe(406);
    expect(await hermes.json()).toEqual({
      error: {
        code: -32600,
        data: { data: { http_status: 406, message: 'Not Acceptable: Client must accept both application/json and text/event-stream' } },
        message: 'Invalid Request',
      },
      id: expect.stringMatching(ERR_ID),
      jsonrpc: '2.0',
    });
    const get = await fetch(`${m.url}/mcp`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    expect(get.status).toBe(406);
    expect((await get.json()).error.data.data.message).toBe('Accept header must include text/event-stream');
  });

  it('refuses batches as parse errors, DELETE without a session, and other methods', async () => {
    const batch = await post([initialize()]);
    expect(batch.status).toBe(400);
    expect((await batch.json()).error).toEqual({ code: -32700, data: { message: 'Invalid JSON' }, message: 'Parse error' });
    const del = await fetch(`${m.url}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(del.status).toBe(400);
    expect((await del.json()).error.data.data).toEqual({ http_status: 400, message: 'Session ID required' });
    const put = await fetch(`${m.url}/mcp/anything`, { method: 'PUT', headers: { authorization: `Bearer ${token}` } });
    expect(put.status).toBe(405);
    expect((await put.json()).error.data.data).toEqual({ http_status: 405, message: 'Method not allowed' });
  });

  it('with a GET stream open, a POST is 202 and its answer is an event on the stream', async () => {
    const session = await openSession();
    const controller = new AbortController();
    const stream = await fetch(`${m.url}/mcp`, { headers: { authorization: `Bearer ${token}`, accept: ACCEPT, 'mcp-session-id': session }, signal: controller.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = stream.body!.getReader();
    const accepted = await post({ jsonrpc: '2.0', id: 9, method: 'ping' }, { session });
    expect(accepted.status).toBe(202);
    expect(await accepted.text()).toBe('{}');
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe('id: 0\nevent: message\ndata: {"id":9,"jsonrpc":"2.0","result":{}}\ndata: \n\n');
    controller.abort();
  });
});

describe('tools as deployed (reference 11A.2)', () => {
  it('list_accounts works; failures are -32000 JSON-RPC errors, not isError results', async () => {
    const session = await openSession();
    const ok = await (await post(callTool(10, 'list_accounts', {}), { session })).json();
    expect(ok.result.isError).toBe(false);
    expect(JSON.parse(ok.result.content[0].text)).toContainEqual({ handle: 'acme', visibility: 'public' });
    // The handle never reaches create_organization's changeset.
    expect(await (await post(callTool(11, 'create_organization', { handle: 'neworg' }), { session })).json()).toEqual({
      error: { code: -32000, message: "Validation failed: handle: can't be blank" },
      id: 11,
      jsonrpc: '2.0',
    });
    const glossary = await (await post(callTool(12, 'save_glossary', { handle: 'acme', entries: [{ term: 'x' }] }), { session })).json();
    expect(glossary.error).toEqual({ code: -32602, data: { message: 'entries: expected a nested schema but received schema: {:array, :map}' }, message: 'Invalid params' });
    const days = await (await post(callTool(13, 'create_token', { handle: 'acme', name: 't', expires_in_days: 5 }), { session })).json();
    expect(days.error.data.message).toBe('expires_in_days: expected type of :number received 5 value');
  });

  it('scope and role failures are -32000 errors; /admin/mcp is 403 for others before any session', async () => {
    const narrow = (await tokensFor(m, 'project:read', { user: 'alex' })).access_token;
    const session = await openSession(narrow);
    expect(await (await post(callTool(30, 'list_accounts', {}), { session, bearer: narrow })).json()).toEqual({
      error: { code: -32000, message: 'Insufficient scope (required: account:read)' },
      id: 30,
      jsonrpc: '2.0',
    });
    const admin = await fetch(`${m.url}/admin/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT, authorization: `Bearer ${narrow}` },
      body: JSON.stringify(initialize()),
    });
    expect(admin.status).toBe(403);
    expect(await admin.text()).toBe('{"error":"forbidden","message":"Super admin access required"}');
  });

  it('a tool with a handle crashes the server: 400 server_unavailable, and every session must initialize again', async () => {
    const bystander = await openSession();
    const session = await openSession();
    const crash = await post(callTool(14, 'list_projects', { handle: 'acme' }), { session });
    expect(crash.status).toBe(400);
    expect(await crash.text()).toBe('{"error":{"code":-32603,"data":{"reason":"server_unavailable"},"message":"Internal error"},"id":14,"jsonrpc":"2.0"}\n');
    const after = await (await post({ jsonrpc: '2.0', id: 15, method: 'tools/list' }, { session: bystander })).json();
    expect(after.error.data).toEqual({ message: 'Server not initialized' });
    expect(m.logs.some((l) => l.includes('list_projects crashed'))).toBe(true);
  });

  it('initialize without clientInfo and tools/call without arguments crash the server too; unimplemented methods answer as Hermes', async () => {
    const session = await openSession();
    const noInfo = await post({ jsonrpc: '2.0', id: 20, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {} } }, { session });
    expect(noInfo.status).toBe(400);
    expect((await noInfo.json()).error.data).toEqual({ reason: 'server_unavailable' });
    const again = await openSession();
    const noArgs = await post({ jsonrpc: '2.0', id: 21, method: 'tools/call', params: { name: 'list_accounts' } }, { session: again });
    expect(noArgs.status).toBe(400);
    const fresh = await openSession();
    const answer = async (method: string, params?: Record<string, unknown>) =>
      (await (await post({ jsonrpc: '2.0', id: 22, method, ...(params ? { params } : {}) }, { session: fresh })).json()) as Record<string, unknown>;
    expect((await answer('resources/list')).result).toEqual({ resources: [] });
    expect((await answer('prompts/list')).result).toEqual({ prompts: [] });
    expect((await answer('resources/read', { uri: 'x://y' })).error).toEqual({ code: -32002, data: { message: 'Resource not found: x://y' }, message: 'Resource not found' });
    expect((await answer('logging/setLevel', { level: 'info' })).error).toEqual({ code: -32601, data: { method: 'logging/setLevel' }, message: 'Method not found' });
    expect((await answer('tools/call', { name: 'nope', arguments: {} })).error).toEqual({ code: -32602, data: { message: 'Tool not found: nope' }, message: 'Invalid params' });
  });

  it('the SDK client connects (its own GET stream gets the 406) and calls list_accounts', async () => {
    const client = await connectWithToken(`${m.url}/mcp`, token);
    const result = (await client.callTool({ name: 'list_accounts', arguments: {} })) as { content: { text: string }[] };
    expect(JSON.parse(result.content[0]!.text)).toContainEqual({ handle: 'dev', visibility: 'public' });
    await expect(client.callTool({ name: 'create_organization', arguments: { handle: 'zz' } })).rejects.toMatchObject({
      code: -32000,
      message: expect.stringContaining("Validation failed: handle: can't be blank"),
    });
    await client.close();
  });

  it('admin tools ignore their arguments: get_user never finds anyone', async () => {
    const admin = (await tokensFor(m, 'account:read', { user: 'dev' })).access_token;
    const res = await fetch(`${m.url}/admin/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT, authorization: `Bearer ${admin}` },
      body: JSON.stringify(initialize()),
    });
    const session = res.headers.get('mcp-session-id')!;
    expect((await res.json()).result.serverInfo).toEqual({ name: 'Glossia Admin', version: '1.0.0' });
    const adminPost = (body: unknown) =>
      fetch(`${m.url}/admin/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT, authorization: `Bearer ${admin}`, 'mcp-session-id': session },
        body: JSON.stringify(body),
      });
    await adminPost(initialized);
    expect((await (await adminPost(callTool(1, 'get_user', { email: 'dev@glossia.test' }))).json()).error).toEqual({ code: -32000, message: 'User not found' });
    expect((await (await adminPost(callTool(2, 'get_discussion', { id: 'x' }))).json()).error.message).toBe('Discussion ID must be a string');
  });
});
