// RSA JSON Web Signatures (RFC 7515 compact form) and JWK thumbprints (RFC 7638), with node:crypto.
// jose did the RS256 ones before; its WebCrypto signing hops to the thread pool for every token (CPU
// that competes with the client on a 2-core CI runner, and latency for a sequential client), and
// loading it costs ~46 modules at start-up. What is signed here is verified with jose in the tests.
import { createHash, sign, type KeyObject } from 'node:crypto';

const HASH = { RS256: 'sha256', RS512: 'sha512' } as const;

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * `header.payload.signature`, RSASSA-PKCS1-v1_5 with the header's `alg`. The header is serialised as
 * given, members in the caller's order.
 */
export function signJwt(header: { alg: keyof typeof HASH } & Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${sign(HASH[header.alg], Buffer.from(input), privateKey).toString('base64url')}`;
}

/** RFC 7638 SHA-256 thumbprint of an RSA public key: the required members in lexicographic order. */
export function rsaThumbprint(jwk: { e?: string; n?: string }): string {
  return createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n })).digest('base64url');
}
