// Client authentication at the token, revocation and introspection endpoints (RFC 6749 2.3):
// client_secret_basic, client_secret_post, or none for public clients; client_secret_jwt and
// private_key_jwt where the profile has them (client-assertion.ts). Secrets are compared in
// constant time; a client may use one method per request.
import type { Context } from 'koa';
import { safeEqual } from '../crypto/random.js';
import { JsonError, oauthError } from '../http/errors.js';
import { param, type Params } from '../http/params.js';
import type { Mock } from '../mock.js';
import type { StoredClient } from '../store/schema.js';
import { isPublicClient } from './clients.js';
import { ASSERTION_TYPE, assertionClientId, assertionProblem } from './client-assertion.js';

export interface Credentials {
  clientId: string | undefined;
  secret: string | undefined;
  via: 'basic' | 'post' | 'none' | 'jwt';
  /** The client_assertion (via 'jwt'). */
  assertion?: string;
}

export function readCredentials(ctx: Context, body: Params, mock: Mock): Credentials {
  // boruta reads a client assertion before the Authorization header; its sub names the client.
  const assertion = mock.profile.jwtClientAuth && param(body, 'client_assertion_type') === ASSERTION_TYPE ? param(body, 'client_assertion') : undefined;
  if (assertion !== undefined) return { clientId: assertionClientId(assertion, mock.issuer), secret: undefined, via: 'jwt', assertion };
  const header = ctx.get('Authorization');
  const bodyId = param(body, 'client_id');
  const bodySecret = param(body, 'client_secret');
  if (!header) return { clientId: bodyId, secret: bodySecret, via: bodySecret === undefined ? 'none' : 'post' };
  if (mock.profile.basicAuth === 'boruta') return borutaBasic(header);

  const match = /^Basic ([A-Za-z0-9+/=]*)$/i.exec(header);
  if (!match) throw oauthError(400, 'invalid_request', `\`${header}\` is not a valid Basic authorization header.`);
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw oauthError(401, 'invalid_client', 'Given credentials are invalid.', { 'WWW-Authenticate': 'Basic' });
  let clientId: string;
  let secret: string;
  try {
    // RFC 6749 2.3.1: both halves are form-urlencoded before base64.
    clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
  } catch {
    throw oauthError(401, 'invalid_client', 'Given credentials are invalid.', { 'WWW-Authenticate': 'Basic' });
  }
  if (bodySecret !== undefined)
    throw oauthError(400, 'invalid_request', 'Use one client authentication method: HTTP Basic or client_secret in the body, not both.');
  if (bodyId !== undefined && bodyId !== clientId)
    throw oauthError(400, 'invalid_request', 'client_id in the body does not match the one in the Authorization header.');
  return { clientId, secret, via: 'basic' };
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * boruta's BasicAuth.decode: exactly `Basic `, padded base64, exactly one colon, no URL-decoding;
 * its failures are 400 invalid_request, and the header's client and secret win over the body's.
 */
function borutaBasic(header: string): Credentials {
  if (!header.startsWith('Basic ')) throw oauthError(400, 'invalid_request', `\`${header}\` is not a valid Basic authorization header.`);
  const encoded = header.slice('Basic '.length);
  const parts = STRICT_BASE64.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8').split(':') : [];
  if (parts.length !== 2) throw oauthError(400, 'invalid_request', 'Given credentials are invalid.');
  return { clientId: parts[0], secret: parts[1], via: 'basic' };
}

export interface AuthOptions {
  /** Check the secret of confidential clients (Glossia skips it at the code exchange). */
  checkSecret: boolean;
  /** The error when no client_id was sent at all. */
  missing: () => JsonError;
}

export function authenticateClient(mock: Mock, creds: Credentials, opts: AuthOptions): StoredClient {
  const challenge = creds.via === 'basic' ? { 'WWW-Authenticate': 'Basic realm="glossia"' } : undefined;
  const invalid = (description = 'Invalid client_id or client_secret.') => oauthError(401, 'invalid_client', description, challenge);
  if (!creds.clientId) throw opts.missing();
  const client = mock.clients.find(creds.clientId);
  if (!client) throw invalid();

  if (isPublicClient(client)) {
    if (creds.secret !== undefined) throw invalid('This client is public and has no secret; send only its client_id.');
    return client;
  }
  if (!opts.checkSecret) return client;
  const only = client.token_endpoint_auth_method;
  if (only === 'client_secret_jwt' || only === 'private_key_jwt') {
    const problem = assertionProblem(client, creds.via === 'jwt' ? creds.assertion : undefined);
    if (problem) throw invalid(problem);
    return client;
  }
  // boruta tries the client's methods in order and reports the last one's expectation.
  if (creds.via === 'jwt')
    throw invalid(`Given client expects the credentials to be provided with ${only === 'client_secret_basic' ? 'BasicAuth' : 'POST body parameters'}.`);
  if (creds.secret === undefined) throw invalid();
  if (only === 'client_secret_basic' && creds.via !== 'basic')
    throw invalid('Given client expects the credentials to be provided with BasicAuth.');
  if (only === 'client_secret_post' && creds.via !== 'post')
    throw invalid('Given client expects the credentials to be provided with POST body parameters.');
  if (!safeEqual(creds.secret, client.client_secret!)) throw invalid();
  return client;
}
