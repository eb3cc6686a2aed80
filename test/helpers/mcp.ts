// MCP clients for tests: the official SDK Client over Streamable HTTP, authorized the way an MCP
// host does it (discovery, dynamic registration, code flow with PKCE on a loopback redirect), and
// raw JSON-RPC posts for asserting on the wire.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/** Everything an MCP host keeps between runs, in memory; the browser step is recorded, not opened. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  readonly redirectUrl = 'http://127.0.0.1:33418/callback';
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'glossia-mock MCP test',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

export const clientInfo = { name: 'glossia-mock-test', version: '1.0.0' };

/**
 * From nothing to a connected client: the first connect is refused (401), the provider discovers,
 * registers and sends the user to /oauth/authorize (auto-approved by the mock), the code is
 * exchanged, and the second connect succeeds. Like MCP hosts, the SDK asks for every scope the
 * protected-resource metadata lists.
 */
export async function connectWithOAuth(url: string): Promise<{ client: Client; provider: MemoryOAuthProvider }> {
  const provider = new MemoryOAuthProvider();
  const first = new Client(clientInfo);
  const refused = await first.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider })).then(
    () => null,
    (err: unknown) => err,
  );
  if (!(refused instanceof UnauthorizedError)) throw new Error(`expected UnauthorizedError, got ${String(refused)}`);
  const res = await fetch(provider.authorizationUrl!, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  await transport.finishAuth(code);
  const client = new Client(clientInfo);
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
  return { client, provider };
}

/** A connected client with a bearer token the test already has. */
export async function connectWithToken(url: string, token: string): Promise<Client> {
  const client = new Client(clientInfo);
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** The JSON inside a tool result's text part. */
export function payload(result: unknown): unknown {
  const r = result as { content: { type: string; text: string }[]; isError?: boolean };
  if (r.isError) throw new Error(`tool error: ${r.content[0]?.text}`);
  return JSON.parse(r.content[0]!.text);
}

/** Glossia's text of a failing tool call: a JSON-RPC -32000 error (reference 11A.1 row 31), never an isError result. */
export async function errorText(call: Promise<unknown>): Promise<string> {
  const outcome = await call.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a -32000 error, got ${JSON.stringify(outcome.result)}`);
  const err = outcome.error;
  if (!(err instanceof McpError) || err.code !== -32000) throw err;
  return err.message.replace(/^MCP error -32000: /, '');
}
