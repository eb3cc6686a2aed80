// One MCP SDK server (the protocol side: initialize, tools/list, tools/call) over a tool catalog.
// Each transport session gets its own; the caller of a request travels in the SDK's authInfo.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { CallToolRequestSchema, InitializeRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { RpcError } from '../http/errors.js';
import type { Mock } from '../mock.js';
import type { CallContext, ToolCatalog } from './catalog.js';

export const authInfoOf = (token: string, context: CallContext): AuthInfo => ({
  token,
  clientId: context.caller.clientId ?? '',
  scopes: context.caller.scope.split(' ').filter(Boolean),
  extra: { context },
});

const contextOf = (auth: AuthInfo | undefined): CallContext => {
  const context = auth?.extra?.['context'] as CallContext | undefined;
  // Every HTTP request is authenticated before it reaches a server.
  if (!context) throw new RpcError(-32000, 'Authentication required');
  return context;
};

export function createMcpServer(mock: Mock, catalog: ToolCatalog): Server {
  const server = new Server(catalog.serverInfo, { capabilities: { tools: {} } });
  const versions = mock.profile.mcpProtocolVersions;
  if (versions) {
    server.setRequestHandler(InitializeRequestSchema, (request) => ({
      capabilities: { tools: {} },
      protocolVersion: versions.includes(request.params.protocolVersion) ? request.params.protocolVersion : versions[0]!,
      serverInfo: catalog.serverInfo,
    }));
  }
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: catalog.list() }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const context = contextOf(extra.authInfo);
    try {
      const payload = await catalog.call(request.params.name, request.params.arguments ?? {}, context);
      return { content: [{ type: 'text', text: JSON.stringify(payload) }], isError: false };
    } catch (err) {
      if (err instanceof RpcError) throw err;
      mock.log(`MCP tool ${request.params.name} crashed: ${(err as Error)?.stack ?? String(err)}`);
      throw new RpcError(-32603, 'Internal error');
    }
  });
  return server;
}
