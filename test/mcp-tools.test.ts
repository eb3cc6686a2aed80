// Every user tool of /mcp (documented profile) once, through the SDK client: payload shapes of
// reference 11A.4, and the REST API seeing what the tools changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { apiOk } from './helpers/api.js';
import { connectWithToken, errorText, payload } from './helpers/mcp.js';
import { startTestMock, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';

let m: TestMock;
let client: Client;
let token: string;
const SCOPES =
  'account:read organization:read organization:write organization:delete members:read members:write project:read project:write ' +
  'voice:read voice:write glossary:read glossary:write api_credentials:read api_credentials:write llm_model:read llm_model:write';

beforeAll(async () => {
  m = await startTestMock({ autoApprove: 'dev' });
  token = (await tokensFor(m, SCOPES, { user: 'dev' })).access_token;
  client = await connectWithToken(`${m.url}/mcp`, token);
});
afterAll(async () => {
  await client?.close();
  await m?.close();
});

const tool = async (name: string, args: Record<string, unknown> = {}) => payload(await client.callTool({ name, arguments: args })) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('organizations and members', () => {
  it('create, get, update, list, invite, list invitations, revoke, members, remove, delete', async () => {
    expect(await tool('create_organization', { handle: 'mcp-org' })).toEqual({ handle: 'mcp-org', name: 'mcp-org', type: 'organization' });
    expect(await tool('get_organization', { handle: 'mcp-org' })).toEqual({ handle: 'mcp-org', name: 'mcp-org', type: 'organization', visibility: 'private' });
    expect(await tool('update_organization', { handle: 'mcp-org', visibility: 'public' })).toMatchObject({ visibility: 'public' });
    expect(await errorText(client.callTool({ name: 'update_organization', arguments: { handle: 'mcp-org', visibility: 'secret' } }))).toBe(
      'Update failed: visibility: is invalid',
    );
    expect(await tool('list_organizations')).toContainEqual({ handle: 'mcp-org', name: 'mcp-org', visibility: 'public' });
    const invitation = await tool('invite_organization_member', { handle: 'mcp-org', email: 'new@x.test' });
    expect(invitation).toMatchObject({ email: 'new@x.test', role: 'member', status: 'pending' });
    expect(await errorText(client.callTool({ name: 'invite_organization_member', arguments: { handle: 'mcp-org', email: 'nope' } }))).toBe(
      'Invitation failed: email: has invalid format',
    );
    expect(await tool('list_organization_invitations', { handle: 'mcp-org' })).toEqual([invitation]);
    expect(await tool('revoke_organization_invitation', { handle: 'mcp-org', invitation_id: invitation.id })).toEqual({ revoked: true, invitation_id: invitation.id });
    expect(await tool('list_organization_members', { handle: 'acme' })).toContainEqual(expect.objectContaining({ handle: 'alex', role: 'member' }));
    expect(await tool('remove_organization_member', { handle: 'acme', user_handle: 'maria' })).toEqual({ removed: true, user_handle: 'maria' });
    expect(await errorText(client.callTool({ name: 'remove_organization_member', arguments: { handle: 'acme', user_handle: 'ghost' } }))).toBe("User 'ghost' not found");
    expect(await errorText(client.callTool({ name: 'delete_organization', arguments: { handle: 'dev' } }))).toBe('A personal organization cannot be deleted.');
    expect(await tool('delete_organization', { handle: 'mcp-org' })).toEqual({ deleted: true, handle: 'mcp-org' });
    const rest = await apiOk<{ organizations: { handle: string }[] }>(m, token, 'GET', '/api/organizations');
    expect(rest.organizations.map((o) => o.handle)).not.toContain('mcp-org');
  });
});

describe('voice and glossary', () => {
  it('save_voice adds a version REST serves; get_voice resolves a locale', async () => {
    const saved = await tool('save_voice', {
      handle: 'acme',
      tone: 'playful',
      formality: 'informal',
      overrides: [{ locale: 'es', tone: 'formal', formality: 'formal' }],
    });
    expect(saved).toMatchObject({ tone: 'playful', formality: 'informal', overrides: [{ locale: 'es', tone: 'formal', formality: 'formal' }] });
    expect(await apiOk(m, token, 'GET', '/api/acme/voice')).toMatchObject({ version: saved.version, tone: 'playful' });
    expect(await tool('get_voice', { handle: 'acme', locale: 'es-MX' })).toMatchObject({ tone: 'formal', locale: 'es-MX' });
    expect(await tool('get_voice', { handle: 'dev', version: 1 })).toMatchObject({ version: 1, tone: 'casual' });
    expect(await errorText(client.callTool({ name: 'save_voice', arguments: { handle: 'acme', tone: 'loud' } }))).toBe('Validation failed: tone: is invalid');
  });

  it('save_glossary adds a version; get_glossary filters by locale', async () => {
    const saved = await tool('save_glossary', {
      handle: 'acme',
      change_note: 'via MCP',
      entries: [{ term: 'widget', translations: [{ locale: 'de', translation: 'Widget-DE' }] }, { term: 'gadget' }],
    });
    expect(saved).toEqual({ version: expect.any(Number), change_note: 'via MCP', entry_count: 2 });
    expect(await tool('get_glossary', { handle: 'acme', locale: 'de' })).toMatchObject({
      version: saved.version,
      locale: 'de',
      entries: [expect.objectContaining({ term: 'widget', translation: 'Widget-DE' })],
    });
    expect(await errorText(client.callTool({ name: 'get_glossary', arguments: { handle: 'acme', version: 999 } }))).toBe("No terminology configured for 'acme'");
  });
});

describe('credentials and models', () => {
  it('tokens, OAuth apps and LLM models', async () => {
    const made = await tool('create_token', { handle: 'acme', name: 'from mcp' });
    expect(made).toMatchObject({ name: 'from mcp', scope: '', expires_at: null });
    expect(await tool('list_tokens', { handle: 'acme' })).toContainEqual(expect.objectContaining({ id: made.id, token_prefix: made.plain_token.slice(0, 12) }));
    expect(await tool('revoke_token', { handle: 'acme', token_id: made.id })).toEqual({ status: 'revoked', id: made.id });
    expect(await errorText(client.callTool({ name: 'revoke_token', arguments: { handle: 'acme', token_id: made.id } }))).toBe('Token not found');

    const app = await apiOk<{ client_id: string }>(m, token, 'POST', '/api/acme/oauth-apps', { name: 'App', redirect_uris: ['http://localhost:9/cb'] });
    expect(await tool('list_oauth_apps', { handle: 'acme' })).toContainEqual(expect.objectContaining({ name: 'App', client_id: app.client_id }));

    const model = await tool('create_llm_model', { handle: 'acme', model_handle: 'mcp-model', model: 'openai/gpt-5', api_key: 'k' });
    // acme has models already: a new one is the default only when asked.
    expect(model).toEqual({ id: expect.any(String), handle: 'mcp-model', model: 'openai/gpt-5', base_url: null, default: false });
    expect(await errorText(client.callTool({ name: 'create_llm_model', arguments: { handle: 'acme', model_handle: 'X', model: 'bad', api_key: 'k' } }))).toBe(
      'Could not create model',
    );
    const rest = await apiOk<{ models: { handle: string }[] }>(m, token, 'GET', '/api/acme/models');
    expect(await tool('list_llm_models', { handle: 'acme' })).toEqual(rest.models);
    expect(rest.models.map((r) => r.handle)).toContain('mcp-model');
    expect(await tool('delete_llm_model', { handle: 'acme', model_id: model.id })).toEqual({ status: 'deleted', handle: 'mcp-model' });
    expect(await errorText(client.callTool({ name: 'delete_llm_model', arguments: { handle: 'acme', model_id: model.id } }))).toBe('Model not found');
  });
});
