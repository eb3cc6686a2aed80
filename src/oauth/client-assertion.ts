// JWT client authentication as boruta does it (reference 4, 5.4): a client registered with
// client_secret_jwt (HMAC with its secret) or private_key_jwt (RSA, the key of its registered
// `jwks`) sends client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer and a
// client_assertion. The assertion is peeked first (sub = client_id; iss, aud, exp must be present;
// aud must start with the issuer), and only its signature is checked later — no expiry or replay
// checks, as Joken with an empty token config does.
import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import type { JWK } from 'jose';
import { oauthError } from '../http/errors.js';
import type { StoredClient } from '../store/schema.js';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Algorithms boruta's registration accepts for a client's JWK. */
export const JWT_ALGS = ['RS256', 'RS384', 'RS512', 'HS256', 'HS384', 'HS512'] as const;

// boruta's verification clauses spell the 384 variants "HS364" / "RS364", so they never match.
const HMAC_VERIFIABLE: Readonly<Record<string, string>> = { HS256: 'sha256', HS512: 'sha512' };
const RSA_VERIFIABLE: Readonly<Record<string, string>> = { RS256: 'sha256', RS512: 'sha512' };

function decodePart(part: string | undefined): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The client_id an assertion names (its sub), or boruta's 400 for an assertion it cannot use. */
export function assertionClientId(assertion: string, issuer: string): string | undefined {
  const claims = decodePart(assertion.split('.')[1]);
  const fail = (description: string) => oauthError(400, 'invalid_request', description);
  if (!claims) throw fail('Could not decode client assertion JWT.');
  if (!('iss' in claims)) throw fail('Client assertion iss claim not found in client assertion JWT.');
  if (!('aud' in claims)) throw fail('Client assertion aud claim not found in client assertion JWT.');
  if (typeof claims['aud'] !== 'string' || !claims['aud'].startsWith(issuer))
    throw fail(`Client assertion aud claim does not match with authorization server (${issuer}).`);
  if (!('exp' in claims)) throw fail('Client assertion exp claim not found in client assertion JWT.');
  return typeof claims['sub'] === 'string' ? claims['sub'] : undefined;
}

/**
 * Checks the assertion's signature for a JWT-authenticating client: null when it holds, else
 * boruta's invalid_client description.
 */
export function assertionProblem(client: StoredClient, assertion: string | undefined): string | null {
  const alg = client.jwt_alg ?? 'HS256';
  const hmac = client.token_endpoint_auth_method === 'client_secret_jwt' ? HMAC_VERIFIABLE[alg] : undefined;
  const rsa = client.token_endpoint_auth_method === 'private_key_jwt' && client.jwk ? RSA_VERIFIABLE[alg] : undefined;
  if (!hmac && !rsa) return 'Bad client jwt authentication method configuration (jwks and token endpoint jwt auth algorithm do not match).';
  if (assertion === undefined) return 'Given client expects the credentials to be provided with a jwt assertion.';
  const [header, payload, signature = ''] = assertion.split('.');
  const signed = Buffer.from(`${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  let valid = decodePart(header)?.['alg'] === alg;
  if (valid && hmac) {
    const expected = createHmac(hmac, client.client_secret ?? '').update(signed).digest();
    valid = expected.length === given.length && timingSafeEqual(expected, given);
  } else if (valid && rsa) {
    try {
      valid = verify(rsa, signed, createPublicKey({ key: client.jwk as JWK & { kty: string }, format: 'jwk' }), given);
    } catch {
      valid = false;
    }
  }
  return valid ? null : 'The given client secret jwt does not match signature key.';
}
