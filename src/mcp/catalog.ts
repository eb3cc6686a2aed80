// A tool catalog: what one MCP server lists and how it runs a call. The user server's catalog is
// built from the REST routes (tools.ts); the admin server's from admin-tools.ts. Both check the
// arguments the same way and report failures as JSON-RPC errors (RpcError).
import type { Caller } from '../api/bearer.js';
import { RpcError, toolError } from '../http/errors.js';
import type { Mock } from '../mock.js';
import { checkArguments, inputSchema, type Inputs, type JsonSchema } from './arguments.js';
import { bindTools, runUserTool } from './run-tool.js';
import { USER_TOOLS, type Args } from './tools.js';

export interface ListedTool {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

/** What a tool call knows about its HTTP request. */
export interface CallContext {
  caller: Caller;
  /** A fault rule's forced error for this call (reference: fault rules, endpoint `mcp`). */
  forced?: { error: string; description?: string | undefined; retry_after?: number | undefined } | undefined;
}

export interface ToolCatalog {
  readonly serverInfo: { name: string; version: string };
  list(): ListedTool[];
  /** The tool's payload, or an RpcError; any other exception is a crash of the tool. */
  call(name: string, args: Args, context: CallContext): Promise<unknown>;
}

/** A catalog entry, before the per-profile argument handling. */
export interface ToolEntry {
  name: string;
  description: string;
  inputs: Inputs;
  /** The scope a forced insufficient_scope names. */
  scope?: string;
  run(args: Args, context: CallContext): Promise<unknown>;
}

const invalidParams = (message: string) => new RpcError(-32602, 'Invalid params', { message });

/** A fault rule's forced tool error, in Glossia's words where the code has some. */
function forcedError(entry: ToolEntry, args: Args, forced: NonNullable<CallContext['forced']>): RpcError {
  if (forced.description) return toolError(forced.description);
  switch (forced.error) {
    case 'insufficient_scope':
      return toolError(`Insufficient scope (required: ${entry.scope ?? 'unknown'})`);
    case 'not_authorized':
      return toolError('Not authorized');
    case 'too_many_requests':
      return toolError(`Rate limit exceeded. Retry in ${forced.retry_after ?? 60}s.`);
    case 'not_found':
      return toolError(`Account '${String(args['handle'] ?? '')}' not found`);
    default:
      return toolError(`Forced ${forced.error} (glossia-mock fault rule).`);
  }
}

/**
 * Sorted by name, arguments checked, forced faults applied. When the profile's arguments do not
 * reach the tools (Glossia as deployed, reference 11A.2), a tool runs as if called with none.
 */
export function catalogOf(mock: Mock, serverInfo: ToolCatalog['serverInfo'], entries: readonly ToolEntry[]): ToolCatalog {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : 1));
  const byName = new Map(sorted.map((e) => [e.name, e]));
  const { mcpUntypedFields, mcpArgumentsReachTools } = mock.profile;
  return {
    serverInfo,
    list: () => sorted.map((e) => ({ name: e.name, description: e.description, inputSchema: inputSchema(e.inputs) })),
    async call(name, raw, context) {
      const entry = byName.get(name);
      if (!entry) throw invalidParams(`Tool not found: ${name}`);
      const checked = checkArguments(entry.inputs, raw, mcpUntypedFields === 'accepted');
      if (!checked.ok) throw invalidParams(checked.message);
      const args = mcpArgumentsReachTools ? checked.args : {};
      if (context.forced) throw forcedError(entry, args, context.forced);
      return entry.run(args, context);
    },
  };
}

export function userCatalog(mock: Mock): ToolCatalog {
  const entries = bindTools(mock.profile, USER_TOOLS).map((bound): ToolEntry => ({
    name: bound.tool.name,
    description: bound.tool.description,
    inputs: bound.tool.inputs,
    scope: bound.route.scope,
    run: (args, { caller }) => runUserTool(mock, bound, caller, args),
  }));
  return catalogOf(mock, { name: 'Glossia', version: '1.0.0' }, entries);
}
