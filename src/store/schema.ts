// What the lowdb file holds. Tokens and codes are keyed by the SHA-256 of their value (tokenKey),
// so the file never contains a usable bearer credential.
import type { JWK } from 'jose';

export const STORE_VERSION = 1;

export interface StoredKey {
  kid: string;
  alg: 'RS256';
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: number; // epoch seconds
}

export interface StoredClient {
  client_id: string;
  /** null for public clients. */
  client_secret: string | null;
  client_name: string;
  redirect_uris: string[];
  grant_types: string[];
  /** null: client_secret_basic or client_secret_post; otherwise the only method accepted. */
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'none' | null;
  /** What registration echoed back (the profile decides, e.g. basic when "none" was dropped). */
  registered_auth_method: string;
  logo_uri?: string;
  first_party?: boolean;
  device_flow?: boolean;
  created_at: number;
  source: 'fixture' | 'registration' | 'oauth-app';
}

export interface CodeRecord {
  clientId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  challenge: string;
  method: 'S256' | 'plain';
  nonce: string | null;
  grantId: string;
  expiresAt: number; // epoch seconds
  usedAt: number | null;
}

/** A grant: one user's consent to one client, the family every token of one code belongs to. */
export interface GrantRecord {
  clientId: string;
  userId: string;
  scope: string;
  createdAt: number;
  revokedAt: number | null;
  /** Last time any token of the grant can still be valid; used for purging. */
  expiresAt: number;
}

export interface AccessTokenRecord {
  jti: string;
  grantId: string;
  clientId: string;
  userId: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** tokenKey of the refresh token issued alongside, revoked together (RFC 7009 2.1). */
  refreshKey: string | null;
}

export interface RefreshTokenRecord {
  grantId: string;
  clientId: string;
  userId: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
  accessKey: string;
}

export interface DeviceCodeRecord {
  userCode: string; // XXXX-XXXX
  clientId: string;
  scope: string;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  interval: number;
  expiresAt: number;
  lastPolledAt: number | null;
  userId: string | null;
}

export interface StoreData {
  version: number;
  /** Random per-store secret for cookie signing and CSRF tokens. */
  secret: string | null;
  signingKeys: StoredKey[];
  clients: Record<string, StoredClient>;
  codes: Record<string, CodeRecord>;
  grants: Record<string, GrantRecord>;
  accessTokens: Record<string, AccessTokenRecord>;
  refreshTokens: Record<string, RefreshTokenRecord>;
  /** Keyed by tokenKey(device_code). */
  deviceCodes: Record<string, DeviceCodeRecord>;
}

export function emptyStore(): StoreData {
  return {
    version: STORE_VERSION,
    secret: null,
    signingKeys: [],
    clients: {},
    codes: {},
    grants: {},
    accessTokens: {},
    refreshTokens: {},
    deviceCodes: {},
  };
}
