// Issuing, finding and revoking codes and tokens. Every token belongs to a grant (one user's
// consent to one client); revoking a grant kills every code and token of that family at once.
import type { Clock } from '../clock.js';
import type { KeyRing } from '../crypto/keys.js';
import { signJwt } from '../crypto/jwt.js';
import { randomAlnum, tokenKey, uuidv4 } from '../crypto/random.js';
import type { Profile } from '../profiles.js';
import type { AccessTokenRecord, CodeRecord, DeviceCodeRecord, RefreshTokenRecord } from '../store/schema.js';
import type { Store } from '../store/store.js';

export interface TokenServiceDeps {
  store: Store;
  clock: Clock;
  keys: KeyRing;
  profile: Profile;
  issuer: () => string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  codeTtl: number;
}

/** What an authorization decides; the service adds the grant, expiry and use. */
export type NewCode = Omit<CodeRecord, 'grantId' | 'expiresAt' | 'usedAt'>;

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  scope?: string;
  id_token?: string;
}

export interface TokenService {
  /** A new grant (token family) for a user's consent to a client. */
  createGrant(clientId: string, userId: string, scope: string, expiresAt: number): string;
  createCode(input: NewCode): { code: string; expiresIn: number };
  findCode(code: string): CodeRecord | undefined;
  /** Marks a code used; returns false if it already was (single use). */
  consumeCode(record: CodeRecord): boolean;
  /** A new access + refresh token pair in a grant; `ttl` overrides the access token lifetime. */
  issue(grantId: string, clientId: string, userId: string, scope: string, ttl?: number): Promise<TokenResponse>;
  /** An access token that is known, unexpired and unrevoked. */
  activeAccessToken(value: string): AccessTokenRecord | undefined;
  findAccessToken(value: string): AccessTokenRecord | undefined;
  findRefreshToken(value: string): RefreshTokenRecord | undefined;
  findDeviceCode(value: string): DeviceCodeRecord | undefined;
  isGrantRevoked(grantId: string): boolean;
  revokeGrant(grantId: string): void;
  /** Revokes every grant (so every code and token) of a client, e.g. when the client is deleted. */
  revokeClient(clientId: string): void;
  revokeAccessToken(record: AccessTokenRecord): void;
  /** Revokes the refresh token and its paired access token, or (family) every token of its grant. */
  revokeRefreshToken(record: RefreshTokenRecord, family: boolean): void;
}

export function createTokenService(d: TokenServiceDeps): TokenService {
  const { store, clock } = d;
  const data = () => store.data;
  const lookup = <T>(map: Record<string, T>, value: string): T | undefined => {
    const key = tokenKey(value);
    return Object.hasOwn(map, key) ? map[key] : undefined;
  };
  const grantRevoked = (grantId: string) => {
    const g = data().grants[grantId];
    return !g || g.revokedAt !== null;
  };
  const revokeGrant = (grantId: string) => {
    const g = data().grants[grantId];
    if (g && g.revokedAt === null) g.revokedAt = clock.now();
    store.persistSoon();
  };
  const extendGrant = (grantId: string, until: number) => {
    const g = data().grants[grantId];
    if (g && g.expiresAt < until) g.expiresAt = until;
  };

  async function mintAccessToken(jti: string, clientId: string, userId: string, scope: string, iat: number, exp: number) {
    if (d.profile.accessTokenFormat === 'opaque') return randomAlnum(86);
    const key = await d.keys.signingKey();
    const issuer = d.issuer();
    // RFC 9068: typ at+jwt, the resource (here the issuer's own API) as audience.
    return signJwt(
      { alg: 'RS256', typ: 'at+jwt', kid: key.kid },
      { client_id: clientId, scope, iss: issuer, sub: userId, aud: issuer, iat, exp, jti },
      key.privateKey,
    );
  }

  const createGrant = (clientId: string, userId: string, scope: string, expiresAt: number) => {
    const grantId = uuidv4();
    data().grants[grantId] = { clientId, userId, scope, createdAt: clock.now(), revokedAt: null, expiresAt };
    return grantId;
  };

  return {
    createGrant,
    createCode(input) {
      const code = randomAlnum(86);
      const expiresAt = clock.now() + d.codeTtl;
      const grantId = createGrant(input.clientId, input.userId, input.scope, expiresAt);
      data().codes[tokenKey(code)] = { ...input, grantId, expiresAt, usedAt: null };
      store.persistSoon();
      return { code, expiresIn: d.codeTtl };
    },
    findCode: (code) => lookup(data().codes, code),
    consumeCode(record) {
      if (record.usedAt !== null) return false;
      record.usedAt = clock.now();
      store.persistSoon();
      return true;
    },
    async issue(grantId, clientId, userId, scope, ttl = d.accessTokenTtl) {
      const nowMs = clock.nowMs();
      const iat = Math.floor(nowMs / 1000);
      const exp = iat + ttl;
      const refreshExp = iat + d.refreshTokenTtl;
      const jti = uuidv4();
      const accessToken = await mintAccessToken(jti, clientId, userId, scope, iat, exp);
      const refreshToken = randomAlnum(86);
      const accessKey = tokenKey(accessToken);
      const refreshKey = tokenKey(refreshToken);
      data().accessTokens[accessKey] = {
        jti,
        grantId,
        clientId,
        userId,
        scope,
        issuedAt: iat,
        expiresAt: exp,
        revokedAt: null,
        refreshKey,
      };
      data().refreshTokens[refreshKey] = {
        grantId,
        clientId,
        userId,
        scope,
        issuedAt: iat,
        expiresAt: refreshExp,
        usedAt: null,
        revokedAt: null,
        accessKey,
      };
      extendGrant(grantId, Math.max(exp, refreshExp));
      store.persistSoon();
      const response: TokenResponse = {
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: d.profile.expiresInRoundsDown ? ttl - 1 : ttl,
        refresh_token: refreshToken,
      };
      if (d.profile.tokenResponseScope) response.scope = scope;
      return response;
    },
    activeAccessToken(value) {
      const t = lookup(data().accessTokens, value);
      if (!t || t.revokedAt !== null || t.expiresAt <= clock.now() || grantRevoked(t.grantId)) return undefined;
      return t;
    },
    findAccessToken: (value) => lookup(data().accessTokens, value),
    findRefreshToken: (value) => lookup(data().refreshTokens, value),
    findDeviceCode: (value) => lookup(data().deviceCodes, value),
    isGrantRevoked: grantRevoked,
    revokeGrant,
    revokeClient(clientId) {
      for (const [grantId, g] of Object.entries(data().grants)) if (g.clientId === clientId) revokeGrant(grantId);
      store.persistSoon();
    },
    revokeAccessToken(record) {
      const now = clock.now();
      record.revokedAt ??= now;
      const pair = record.refreshKey ? data().refreshTokens[record.refreshKey] : undefined;
      if (pair) pair.revokedAt ??= now;
      store.persistSoon();
    },
    revokeRefreshToken(record, family) {
      const now = clock.now();
      record.revokedAt ??= now;
      const pair = data().accessTokens[record.accessKey];
      if (pair) pair.revokedAt ??= now;
      if (family) revokeGrant(record.grantId);
      store.persistSoon();
    },
  };
}
