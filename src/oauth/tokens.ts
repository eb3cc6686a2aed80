// Issuing, finding and revoking codes and tokens. Every token belongs to a grant (one user's
// consent to one client); revoking a grant kills every code and token of that family at once.
import type { Clock } from '../clock.js';
import type { KeyRing } from '../crypto/keys.js';
import { signJwt } from '../crypto/jwt.js';
import { randomAlnum, tokenKey, uuidv4 } from '../crypto/random.js';
import type { Profile } from '../profiles.js';
import type { AccessTokenRecord, CodeRecord, DeviceCodeRecord, RefreshTokenRecord } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Table, TokenRecords } from '../store/token-tables.js';

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
export type NewCode = Omit<CodeRecord, 'key' | 'grantId' | 'expiresAt' | 'usedAt'>;

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
  /** Marks a refresh token used (rotated). */
  consumeRefreshToken(record: RefreshTokenRecord): void;
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
  /** Makes a code or token expire at `at` at the latest; its expiry now. */
  expire<T extends Table>(table: T, record: TokenRecords[T], at: number): number;
}

/**
 * `value` with nothing else attached. V8 cuts a query parameter out of the request text as a slice
 * that keeps that whole text alive (about 300 bytes more per code, for as long as the code is kept);
 * a copy holds only its own characters. Shorter strings are copied by V8 anyway.
 */
const own = (value: string): string => (value.length < 13 ? value : Buffer.from(value, 'utf8').toString('utf8'));

export function createTokenService(d: TokenServiceDeps): TokenService {
  const { clock } = d;
  const tables = d.store.tokens;
  const grantRevoked = (grantId: string) => {
    const g = tables.get('grants', grantId);
    return !g || g.revokedAt !== null;
  };
  const revokeGrant = (grantId: string) => {
    const g = tables.get('grants', grantId);
    if (!g || g.revokedAt !== null) return;
    g.revokedAt = clock.now();
    tables.changed('grants', g);
  };
  const extendGrant = (grantId: string, until: number) => {
    const g = tables.get('grants', grantId);
    if (!g || g.expiresAt >= until) return;
    g.expiresAt = until;
    tables.changed('grants', g);
  };
  const revoke = <T extends 'accessTokens' | 'refreshTokens'>(table: T, record: TokenRecords[T] | undefined, now: number) => {
    if (!record || record.revokedAt !== null) return;
    record.revokedAt = now;
    tables.changed(table, record);
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
    tables.put('grants', { key: grantId, clientId, userId, scope, createdAt: clock.now(), revokedAt: null, expiresAt });
    return grantId;
  };

  return {
    createGrant,
    createCode(input) {
      const code = randomAlnum(86);
      const expiresAt = clock.now() + d.codeTtl;
      const grantId = createGrant(input.clientId, input.userId, input.scope, expiresAt);
      // Every field named: a spread would give each record a hidden class of its own (~600 bytes).
      const { clientId, userId, scope, method } = input;
      const [redirectUri, challenge, nonce] = [own(input.redirectUri), own(input.challenge), input.nonce === null ? null : own(input.nonce)];
      tables.put('codes', { key: tokenKey(code), clientId, userId, redirectUri, scope, challenge, method, nonce, grantId, expiresAt, usedAt: null });
      return { code, expiresIn: d.codeTtl };
    },
    findCode: (code) => tables.get('codes', tokenKey(code)),
    consumeCode(record) {
      if (record.usedAt !== null) return false;
      record.usedAt = clock.now();
      tables.changed('codes', record);
      return true;
    },
    consumeRefreshToken(record) {
      record.usedAt = clock.now();
      tables.changed('refreshTokens', record);
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
      extendGrant(grantId, Math.max(exp, refreshExp));
      tables.put('accessTokens', { key: accessKey, jti, grantId, clientId, userId, scope, issuedAt: iat, expiresAt: exp, revokedAt: null, refreshKey });
      tables.put('refreshTokens', {
        key: refreshKey,
        grantId,
        clientId,
        userId,
        scope,
        issuedAt: iat,
        expiresAt: refreshExp,
        usedAt: null,
        revokedAt: null,
        accessKey,
      });
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
      const t = tables.get('accessTokens', tokenKey(value));
      if (!t || t.revokedAt !== null || t.expiresAt <= clock.now() || grantRevoked(t.grantId)) return undefined;
      return t;
    },
    findAccessToken: (value) => tables.get('accessTokens', tokenKey(value)),
    findRefreshToken: (value) => tables.get('refreshTokens', tokenKey(value)),
    findDeviceCode: (value) => tables.get('deviceCodes', tokenKey(value)),
    isGrantRevoked: grantRevoked,
    revokeGrant,
    revokeClient(clientId) {
      for (const [grantId, g] of tables.entries('grants')) if (g.clientId === clientId) revokeGrant(grantId);
    },
    revokeAccessToken(record) {
      const now = clock.now();
      revoke('accessTokens', record, now);
      if (record.refreshKey) revoke('refreshTokens', tables.get('refreshTokens', record.refreshKey), now);
    },
    revokeRefreshToken(record, family) {
      const now = clock.now();
      revoke('refreshTokens', record, now);
      revoke('accessTokens', tables.get('accessTokens', record.accessKey), now);
      if (family) revokeGrant(record.grantId);
    },
    expire(table, record, at) {
      if (record.expiresAt > at) {
        record.expiresAt = at;
        tables.changed(table, record);
      }
      return record.expiresAt;
    },
  };
}
