// /mcp and /admin/mcp over HTTP (reference 11, 11A.1): Glossia's plug order — Accept check, bearer
// token, the 240/min transport limit per user (shared by both paths), the super-admin check for
// /admin/mcp — then the profile's Streamable HTTP transport.
import type { Context } from 'koa';
import { authorizationHeader, bearerValue, INVALID_TOKEN, resolveBearer, UNAUTHORIZED } from '../api/bearer.js';
import { acceptsJson } from '../http/accept.js';
import { clientIp } from '../http/client-ip.js';
import { queryParams } from '../http/params.js';
import { JsonError, TextError } from '../http/errors.js';
import { enforce } from '../limits/enforce.js';
import type { Mock } from '../mock.js';
import { adminCatalog } from './admin-tools.js';
import { userCatalog, type CallContext, type ToolCatalog } from './catalog.js';
import type { McpTransport } from './transport.js';

function challenge(mock: Mock, base: JsonError): JsonError {
  if (!mock.profile.mcpResourceMetadata) return base;
  const resourceMetadata = `resource_metadata="${mock.issuer}/.well-known/oauth-protected-resource"`;
  const error = base.body?.['error'] === 'invalid_token' ? ', error="invalid_token"' : '';
  return new JsonError(base.status, base.body, { 'WWW-Authenticate': `Bearer ${resourceMetadata}${error}` }, base.typed);
}

/**
 * Loaded by the first MCP request, not at start-up: the MCP SDK (with zod) costs ~200 ms of CPU and
 * ~13 MB to load, more than the rest of the server, and most runs never call /mcp.
 */
async function transportFor(mock: Mock, catalog: ToolCatalog): Promise<McpTransport> {
  if (mock.profile.mcpTransport === 'hermes') return (await import('./hermes.js')).hermesTransport(mock, catalog);
  return (await import('./sdk-sessions.js')).sdkTransport(mock, catalog);
}

export function serveMcp(mock: Mock, server: 'user' | 'admin') {
  let transport: Promise<McpTransport> | undefined;
  return async (ctx: Context) => {
    if (mock.profile.mcpAcceptBeforeAuth && !acceptsJson(ctx.get('Accept') || undefined, queryParams(ctx)['_format']))
      throw new TextError(406, 'Not Acceptable', {}, 'text/html; charset=utf-8');
    // Glossia's BearerAuth runs in the /mcp pipeline too (reference 11A.1 row 3): the same reading as the REST API.
    const header = authorizationHeader(ctx);
    const caller = resolveBearer(mock, header);
    if (caller === 'invalid') {
      enforce(mock, 'invalid_bearer', [`ip:${clientIp(ctx)}`], 'bare');
      throw challenge(mock, INVALID_TOKEN(mock.profile.invalidTokenContentType));
    }
    if (!caller) throw challenge(mock, UNAUTHORIZED());
    enforce(mock, 'mcp', [`user:${caller.user.id}`]);
    if (server === 'admin' && caller.user.super_admin !== true)
      throw new JsonError(403, { error: 'forbidden', message: 'Super admin access required' });
    const context: CallContext = { caller, forced: ctx.state['mcpFault'] as CallContext['forced'] };
    transport ??= transportFor(mock, server === 'admin' ? adminCatalog(mock) : userCatalog(mock));
    await (await transport).handle(ctx, bearerValue(header)!, context);
  };
}
