// /mcp and /admin/mcp around the tools: the admin server, the transport and per-tool rate limits,
// fault rules with a tool filter, and the journal's record of tool calls (documented profile).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { call } from './helpers/api.js';
import { connectWithToken, errorText, payload } from './helpers/mcp.js';
import { startTestMock, USERS, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';

let m: TestMock;
let dev: string;

beforeAll(async () => {
  m = await startTestMock({
    autoApprove: 'dev',
    rateLimits: { mcp: { limit: 40, window: 60 }, mcp_tool_read: { limit: 3, window: 60 }, admin_mcp_tool: { limit: 60, window: 60 } },
  });
  dev = (await tokensFor(m, 'account:read project:read', { user: 'dev' })).access_token;
});
afterAll(() => m?.close());

const control = (method: string, path: string, body?: unknown) => call(m, null, method, path, body);

describe('/admin/mcp', () => {
  it('is for super admins: others get the 403 body', async () => {
    const alex = (await tokensFor(m, 'account:read', { user: 'alex' })).access_token;
    const res = await call(m, alex, 'POST', '/admin/mcp', {});
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'forbidden', message: 'Super admin access required' });
  });

  it('lists users and accounts newest first, finds users, and has no discussions', async () => {
    const admin = await connectWithToken(`${m.url}/admin/mcp`, dev);
    expect(admin.getServerVersion()).toEqual({ name: 'Glossia Admin', version: '1.0.0' });
    expect((await admin.listTools()).tools.map((t) => t.name)).toEqual([
      'close_discussion', 'comment_discussion', 'get_discussion', 'get_user', 'list_accounts', 'list_discussions', 'list_users', 'set_super_admin',
    ]);
    const users = payload(await admin.callTool({ name: 'list_users', arguments: { page_size: 2 } })) as { handle: string }[];
    expect(users.map((u) => u.handle)).toEqual(['maria', 'alex']);
    expect(payload(await admin.callTool({ name: 'get_user', arguments: { handle: 'alex' } }))).toMatchObject({ id: USERS.alex, handle: 'alex', avatar_url: null });
    expect(await errorText(admin.callTool({ name: 'get_user', arguments: { email: 'nobody@x.test' } }))).toBe('User not found');
    expect(payload(await admin.callTool({ name: 'list_discussions', arguments: {} }))).toMatchObject({ discussions: [], meta: { total_count: 0 } });
    expect(await errorText(admin.callTool({ name: 'get_discussion', arguments: { id: '019c0000-0000-7000-8000-000000000000' } }))).toBe('Discussion not found');
    await admin.close();
  });
});

describe('rate limits', () => {
  it('the read bucket is per token and account: the 4th call is refused in Glossia words', async () => {
    const client = await connectWithToken(`${m.url}/mcp`, dev);
    for (let i = 0; i < 3; i++) payload(await client.callTool({ name: 'list_projects', arguments: { handle: 'dev' } }));
    expect(await errorText(client.callTool({ name: 'list_projects', arguments: { handle: 'dev' } }))).toMatch(/^Rate limit exceeded\. Retry in \d+s\.$/);
    // Another account is another bucket.
    payload(await client.callTool({ name: 'list_projects', arguments: { handle: 'acme' } }));
    const limits = (await (await control('GET', '/_mock/rate-limits')).json()) as { counters: { bucket: string; count: number }[] };
    expect(limits.counters).toContainEqual(expect.objectContaining({ bucket: expect.stringMatching(/^mcp_tool_read:token:.+:account:/), count: 4 }));
    expect(limits.counters).toContainEqual(expect.objectContaining({ bucket: `mcp:user:${USERS.dev}` }));
    const panel = await (await control('GET', '/_mock')).text();
    expect(panel).toContain(`<code>mcp:user:${USERS.dev}</code>`);
    await client.close();
  });

  it('the transport allows 40 requests here, then 429 JSON with Retry-After, shared with /admin/mcp', async () => {
    await control('DELETE', '/_mock/rate-limits');
    const maria = (await tokensFor(m, 'account:read', { user: 'maria' })).access_token;
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await call(m, maria, 'POST', i % 2 ? '/mcp' : '/admin/mcp', {})).status);
    expect(statuses.slice(0, 40).every((s) => s !== 429)).toBe(true);
    const res = await call(m, maria, 'POST', '/mcp', {});
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await res.json()).toEqual({ error: 'too_many_requests', error_description: 'Rate limit exceeded' });
  });
});

describe('fault rules and the journal', () => {
  let client: Client;
  beforeAll(async () => {
    await control('DELETE', '/_mock/rate-limits');
    client = await connectWithToken(`${m.url}/mcp`, dev);
  });
  afterAll(() => client?.close());

  it('a tool filter forces that tool\'s error only; status and drop rules act on the HTTP request', async () => {
    const rule = await control('POST', '/_mock/faults', { endpoint: 'mcp', tool: 'list_projects', error: 'not_authorized', times: 1 });
    expect(rule.status).toBe(201);
    payload(await client.callTool({ name: 'list_accounts', arguments: {} }));
    expect(await errorText(client.callTool({ name: 'list_projects', arguments: { handle: 'dev' } }))).toBe('Not authorized');
    payload(await client.callTool({ name: 'list_projects', arguments: { handle: 'dev' } }));

    await control('POST', '/_mock/faults', { endpoint: 'mcp', tool: 'list_accounts', status: 503, times: 1 });
    await expect(client.callTool({ name: 'list_accounts', arguments: {} })).rejects.toThrow(/Service Unavailable/);
    await control('POST', '/_mock/faults', { endpoint: 'mcp', tool: 'list_accounts', drop: true, times: 1 });
    await expect(client.callTool({ name: 'list_accounts', arguments: {} })).rejects.toThrow();
    await control('POST', '/_mock/faults', { endpoint: 'mcp', tool: 'list_accounts', error: 'too_many_requests', retry_after: 7, times: 1 });
    expect(await errorText(client.callTool({ name: 'list_accounts', arguments: {} }))).toBe('Rate limit exceeded. Retry in 7s.');
    const bad = await control('POST', '/_mock/faults', { endpoint: 'api', tool: 'list_accounts', error: 'not_authorized' });
    expect(bad.status).toBe(400);
  });

  it('records each tool call with its name, in the flow of the token', async () => {
    payload(await client.callTool({ name: 'list_projects', arguments: { handle: 'acme' } }));
    const all = (await (await control('GET', '/_mock/requests?path=/mcp')).json()) as { requests: { tool?: string; flow: string | null; user: string | null }[] };
    const entry = all.requests.find((e) => e.tool === 'list_projects')!;
    expect(entry).toMatchObject({ user: 'dev', flow: expect.any(String) });
    const flow = (await (await control('GET', `/_mock/requests?flow=${entry.flow}`)).json()) as { requests: { path: string; tool?: string }[] };
    expect(flow.requests.map((e) => e.path)).toEqual(expect.arrayContaining(['/oauth/authorize', '/oauth/token', '/mcp']));
    expect(flow.requests.filter((e) => e.tool).map((e) => e.tool)).toEqual(expect.arrayContaining(['list_projects', 'list_accounts']));
  });
});
