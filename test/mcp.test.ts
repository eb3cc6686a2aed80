// /mcp in the documented profile, driven by the official MCP SDK client over Streamable HTTP: from
// no token to tool calls, tools built on the REST routes (same data, same checks), and the errors a
// client sees.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { apiOk, call } from './helpers/api.js';
import { clientInfo, connectWithOAuth, connectWithToken, errorText, payload } from './helpers/mcp.js';
import { startTestMock, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';

let m: TestMock;
let client: Client;
let token: string;

beforeAll(async () => {
  m = await startTestMock({ autoApprove: 'dev' });
  const connected = await connectWithOAuth(`${m.issuer}/mcp`);
  client = connected.client;
  token = connected.provider.saved!.access_token;
});
afterAll(async () => {
  await client?.close();
  await m?.close();
});

describe('connecting', () => {
  it('refuses a request without a token, pointing at the protected-resource metadata', async () => {
    const res = await fetch(`${m.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${m.issuer}/.well-known/oauth-protected-resource"`);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
  });

  it('registered a public client and connected with the token it got', () => {
    expect(client.getServerVersion()).toEqual({ name: 'Glossia', version: '1.0.0' });
    expect(client.getServerCapabilities()).toEqual({ tools: {} });
  });

  it('lists the 24 tools by name, with the published schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'create_llm_model', 'create_organization', 'create_project', 'create_token', 'delete_llm_model', 'delete_organization',
      'get_glossary', 'get_organization', 'get_voice', 'invite_organization_member', 'list_accounts', 'list_llm_models',
      'list_oauth_apps', 'list_organization_invitations', 'list_organization_members', 'list_organizations', 'list_projects',
      'list_tokens', 'remove_organization_member', 'revoke_organization_invitation', 'revoke_token', 'save_glossary', 'save_voice',
      'update_organization',
    ]);
    const project = tools.find((t) => t.name === 'create_project')!;
    expect(project.description).toBe('Create a new project for an account.');
    expect(project.inputSchema).toEqual({
      type: 'object',
      properties: {
        handle: { type: 'string', description: 'Account handle to create the project under.' },
        project_handle: { type: 'string', description: 'URL-friendly project identifier (lowercase letters, numbers, hyphens; 2-39 chars).' },
        name: { type: 'string', description: 'Display name for the project.' },
      },
      required: ['handle', 'project_handle', 'name'],
    });
    expect(tools.find((t) => t.name === 'list_accounts')!.inputSchema).toEqual({ type: 'object', properties: {} });
    // Glossia publishes list-of-object and number fields without a type.
    expect(tools.find((t) => t.name === 'save_glossary')!.inputSchema.properties!['entries']).not.toHaveProperty('type');
  });
});

describe('tools on the REST data', () => {
  it('lists accounts and projects as REST does', async () => {
    expect(payload(await client.callTool({ name: 'list_accounts', arguments: {} }))).toEqual([
      { handle: 'acme', visibility: 'public' },
      { handle: 'dev', visibility: 'public' },
      { handle: 'northwind', visibility: 'private' },
    ]);
    const rest = await apiOk<{ projects: { handle: string; name: string }[] }>(m, token, 'GET', '/api/dev/projects');
    expect(payload(await client.callTool({ name: 'list_projects', arguments: { handle: 'dev' } }))).toEqual(
      rest.projects.map(({ handle, name }) => ({ handle, name })),
    );
  });

  it('a project created over MCP shows in GET /api/:handle/projects, and one created over REST in list_projects', async () => {
    const created = payload(await client.callTool({ name: 'create_project', arguments: { handle: 'acme', project_handle: 'from-mcp', name: 'From MCP' } }));
    expect(created).toEqual({ handle: 'from-mcp', name: 'From MCP', inserted_at: expect.stringMatching(/^\d{4}-.*\.\d{6}Z$/) });
    const rest = await apiOk<{ projects: { handle: string }[] }>(m, token, 'GET', '/api/acme/projects');
    expect(rest.projects.map((p) => p.handle)).toContain('from-mcp');
    await apiOk(m, token, 'POST', '/api/acme/projects', { project_handle: 'from-rest', name: 'From REST' });
    const listed = payload(await client.callTool({ name: 'list_projects', arguments: { handle: 'acme' } })) as { handle: string }[];
    expect(listed.map((p) => p.handle)).toEqual(expect.arrayContaining(['from-mcp', 'from-rest']));
  });

  it('answers failures as -32000 JSON-RPC errors in Glossia words', async () => {
    const err = async (name: string, args: Record<string, unknown>) => await errorText(client.callTool({ name, arguments: args }));
    expect(await err('list_projects', { handle: 'nope' })).toBe("Account 'nope' not found");
    expect(await err('get_organization', { handle: 'nope' })).toBe("Organization 'nope' not found");
    const narrow = await connectWithToken(`${m.url}/mcp`, (await tokensFor(m, 'project:read', { user: 'dev' })).access_token);
    expect(await errorText(narrow.callTool({ name: 'list_tokens', arguments: { handle: 'acme' } }))).toBe(
      'Insufficient scope (required: api_credentials:read)',
    );
    await narrow.close();
    // dev is only a member of northwind: project:write needs the admin role.
    expect(await err('create_project', { handle: 'northwind', project_handle: 'x1', name: 'X' })).toBe('Not authorized');
    expect(await err('create_project', { handle: 'acme', project_handle: 'from-mcp', name: 'Again' })).toBe(
      'Validation failed: account_id: has already been taken',
    );
    expect(await err('get_voice', { handle: 'northwind' })).toBe("No voice configured for 'northwind'");
  });

  it('checks arguments before the tool runs (-32602 Invalid params)', async () => {
    await expect(client.callTool({ name: 'list_projects', arguments: {} })).rejects.toMatchObject({
      code: -32602,
      data: { message: 'handle: is required, expected type of :string' },
    });
    await expect(client.callTool({ name: 'get_voice', arguments: { handle: 'acme', version: '3' } })).rejects.toMatchObject({
      code: -32602,
      data: { message: 'version: expected type of :integer received "3" value' },
    });
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toMatchObject({
      code: -32602,
      data: { message: 'Tool not found: no_such_tool' },
    });
  });
});

describe('tokens other than the host\'s', () => {
  it('an account token acts as its creator, with its own scope', async () => {
    const tokens = await tokensFor(m, 'api_credentials:write api_credentials:read', { user: 'dev' });
    const admin = await connectWithToken(`${m.url}/mcp`, tokens.access_token);
    const made = payload(await admin.callTool({ name: 'create_token', arguments: { handle: 'acme', name: 'ci', scope: 'project:read', expires_in_days: 7.9 } })) as {
      plain_token: string;
      expires_at: string;
    };
    expect(made.plain_token).toMatch(/^glsa_[0-9a-f]{40}$/);
    expect(Date.parse(made.expires_at) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const viaAccountToken = await connectWithToken(`${m.url}/mcp`, made.plain_token);
    expect(payload(await viaAccountToken.callTool({ name: 'list_projects', arguments: { handle: 'acme' } }))).toContainEqual({ handle: 'from-mcp', name: 'From MCP' });
    await viaAccountToken.close();
    await admin.close();
  });

  it('a bad token is 401 invalid_token', async () => {
    const res = await call(m, 'not-a-token', 'POST', '/mcp', {});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${m.issuer}/.well-known/oauth-protected-resource", error="invalid_token"`);
  });
  it('reads the Authorization header as the REST API does: extra spaces are trimmed, two headers are no token', async () => {
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo } };
    const post = (authorization: string | string[]) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify(initialize);
        const req = request(
          `${m.url}/mcp`,
          { method: 'POST', headers: { authorization, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    expect(await post(`Bearer  ${token}`)).toBe(200);
    expect(await post([`Bearer ${token}`, `Bearer ${token}`])).toBe(401);
  });
});

describe('sessions', () => {
  it('a session idle for 30 minutes of the mock\'s clock is gone: 404 Session not found', async () => {
    const idle = await connectWithToken(`${m.url}/mcp`, token);
    payload(await idle.callTool({ name: 'list_accounts', arguments: {} }));
    await call(m, null, 'POST', '/_mock/clock', { advance: 1801 });
    await expect(idle.callTool({ name: 'list_accounts', arguments: {} })).rejects.toThrow(/Session not found/);
    await idle.close().catch(() => undefined);
  });
});
