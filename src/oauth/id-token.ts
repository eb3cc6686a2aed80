// The id_token of "Login with Glossia" (reference 5.8): issued at the code exchange when the
// granted scope contains `openid`, carrying who signed in. The documented profile signs it with the
// issuer's RS256 key (so clients can verify it against the JWKS); the real server signs it RS512
// with a key of the client's own that it never publishes.
import { createHash } from 'node:crypto';
import type { ClientKeys } from '../crypto/client-keys.js';
import { signJwt } from '../crypto/jwt.js';
import type { FixtureUser } from '../fixtures/types.js';
import type { Mock } from '../mock.js';

const ID_TOKEN_TTL = 86_400;

/** OIDC at_hash: the left half of the access token's hash (SHA-256 for RS256, SHA-512 for RS512), base64url. */
export function atHash(accessToken: string, hash: 'sha256' | 'sha512' = 'sha256'): string {
  const digest = createHash(hash).update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

async function signWithClientKey(clientKeys: ClientKeys, clientId: string, claims: Record<string, unknown>): Promise<string> {
  const key = await clientKeys.keyFor(clientId);
  // Joken's header, keys in Jason's alphabetical order (RSA-1024 keys, which jose would refuse).
  return signJwt({ alg: 'RS512', kid: key.kid, typ: 'JWT' }, claims, key.privateKey);
}

export async function signIdToken(
  mock: Mock,
  opts: { user: FixtureUser; clientId: string; nonce: string | null; accessToken: string },
): Promise<string> {
  const iat = mock.clock.now();
  const { user } = opts;
  const perClient = mock.profile.idTokenSigning === 'client-rs512';
  const claims = {
    iss: mock.issuer,
    sub: user.id,
    aud: opts.clientId,
    iat,
    exp: iat + ID_TOKEN_TTL,
    email: user.email,
    name: user.name,
    preferred_username: user.handle,
    handle: user.handle,
    nonce: opts.nonce,
    auth_time: iat,
    at_hash: atHash(opts.accessToken, perClient ? 'sha512' : 'sha256'),
  };
  if (perClient) return signWithClientKey(mock.clientKeys, opts.clientId, claims);
  const key = await mock.keys.signingKey();
  return signJwt({ alg: 'RS256', typ: 'JWT', kid: key.kid }, claims, key.privateKey);
}
