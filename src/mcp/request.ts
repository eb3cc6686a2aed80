// What the rest of the mock (fault rules, the journal) reads from an MCP request.

/** /mcp, /admin/mcp and everything below them (Glossia forwards the whole subtree). */
export const isMcpPath = (path: string): boolean => /^\/(admin\/)?mcp(\/|$)/.test(path);

/** The tool a tools/call request calls. */
export function calledTool(body: unknown): string | undefined {
  const b = body as { method?: unknown; params?: { name?: unknown } } | null;
  return b && b.method === 'tools/call' && typeof b.params?.name === 'string' ? b.params.name : undefined;
}
