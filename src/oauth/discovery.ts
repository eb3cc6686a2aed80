// RFC 8414 authorization server metadata and RFC 9728 protected resource metadata.
import type { Context } from 'koa';
import type { Mock } from '../mock.js';
import { sendJsonText } from '../http/errors.js';
import { SCOPES } from './scopes.js';

export function authorizationServerMetadata(mock: Mock): Record<string, unknown> {
  const i = mock.issuer;
  const p = mock.profile;
  const metadata: Record<string, unknown> = {
    authorization_endpoint: `${i}/oauth/authorize`,
    code_challenge_methods_supported: ['S256'],
    device_authorization_endpoint: `${i}/oauth/device_authorization`,
    grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    introspection_endpoint: `${i}/oauth/introspect`,
    issuer: i,
    registration_endpoint: `${i}/oauth/register`,
    response_types_supported: ['code'],
    revocation_endpoint: `${i}/oauth/revoke`,
    scopes_supported: SCOPES,
    token_endpoint: `${i}/oauth/token`,
  };
  if (p.publishJwks) {
    const methods = ['client_secret_basic', 'client_secret_post', 'none'];
    Object.assign(metadata, {
      jwks_uri: `${i}/.well-known/jwks.json`,
      token_endpoint_auth_methods_supported: methods,
      revocation_endpoint_auth_methods_supported: methods,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  }
  // Members in byte order (every name is lowercase ASCII and "_"): localeCompare would give the same
  // order, but its first call loads ICU's collator, ~20 ms of the first discovery answer.
  return Object.fromEntries(Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function protectedResourceMetadata(mock: Mock): Record<string, unknown> {
  return {
    authorization_servers: [mock.issuer],
    bearer_methods_supported: ['header'],
    resource: mock.issuer,
    scopes_supported: SCOPES,
  };
}

/** Serves a document that depends only on the issuer (fixed once the server listens) and the profile. */
function serveFixed(mock: Mock, build: (mock: Mock) => Record<string, unknown>, headers?: Record<string, string>) {
  let cached: { issuer: string; json: string } | null = null;
  return (ctx: Context) => {
    if (cached?.issuer !== mock.issuer) cached = { issuer: mock.issuer, json: JSON.stringify(build(mock)) };
    sendJsonText(ctx, 200, cached.json, headers);
  };
}

export const serveAuthorizationServerMetadata = (mock: Mock) => serveFixed(mock, authorizationServerMetadata, { 'Cache-Control': 'no-cache' });

export const serveProtectedResourceMetadata = (mock: Mock) => serveFixed(mock, protectedResourceMetadata);
