// The id_token of "Login with Glossia" (reference 5.8): issued at the code exchange when the
// granted scope contains `openid`, signed with the same RS256 key as access tokens (so clients can
// verify it against the JWKS), carrying who signed in.
import { createHash } from 'node:crypto';
import type { FixtureUser } from '../fixtures/types.js';
import type { Mock } from '../mock.js';

const ID_TOKEN_TTL = 86_400;

/** OIDC at_hash: left half of the SHA-256 of the access token, base64url. */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export async function signIdToken(
  mock: Mock,
  opts: { user: FixtureUser; clientId: string; nonce: string | null; accessToken: string },
): Promise<string> {
  const [{ SignJWT }, key] = await Promise.all([import('jose'), mock.keys.signingKey()]);
  const iat = mock.clock.now();
  const { user } = opts;
  return new SignJWT({
    email: user.email,
    name: user.name,
    preferred_username: user.handle,
    handle: user.handle,
    nonce: opts.nonce,
    auth_time: iat,
    at_hash: atHash(opts.accessToken),
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuer(mock.issuer)
    .setSubject(user.id)
    .setAudience(opts.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ID_TOKEN_TTL)
    .sign(key.privateKey);
}
