// What the store holds: the lowdb file (StoreData) and the token journal beside it (the token
// records). Tokens and codes are keyed by the SHA-256 of their value (tokenKey), so neither file
// contains a usable bearer credential.
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
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none' | null;
  /** JWT client authentication (production profile): the assertion's algorithm and, for private_key_jwt, the public key. */
  jwt_alg?: string;
  jwk?: JWK;
  /** What registration echoed back (the profile decides, e.g. basic when "none" was dropped). */
  registered_auth_method: string;
  logo_uri?: string;
  first_party?: boolean;
  device_flow?: boolean;
  created_at: number;
  source: 'fixture' | 'registration' | 'oauth-app';
}

export interface CodeRecord {
  /** tokenKey(code): the record's key in its table. */
  key: string;
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
  /** The grant id: the record's key in its table. */
  key: string;
  clientId: string;
  userId: string;
  scope: string;
  createdAt: number;
  revokedAt: number | null;
  /** Last time any token of the grant can still be valid; used for purging. */
  expiresAt: number;
}

export interface AccessTokenRecord {
  /** tokenKey(access token): the record's key in its table. */
  key: string;
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
  /** tokenKey(refresh token): the record's key in its table. */
  key: string;
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
  /** tokenKey(device_code): the record's key in its table. */
  key: string;
  userCode: string; // XXXX-XXXX
  clientId: string;
  scope: string;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  interval: number;
  expiresAt: number;
  lastPolledAt: number | null;
  userId: string | null;
}

// ---- Glossia's own data, seeded from the fixtures and changed through the REST API ----

export type Role = 'admin' | 'member' | 'linguist';

export interface OrganizationRecord {
  id: string;
  handle: string;
  name: string;
  visibility: 'public' | 'private';
  /** A user's personal account ("Personal" organization); cannot be deleted. */
  personal: boolean;
  inserted_at: string;
}

export interface MembershipRecord {
  organization: string; // handle
  userId: string;
  role: Role;
  joined_at: string;
}

export interface InvitationRecord {
  id: string;
  organization: string;
  email: string;
  role: Role;
  status: 'pending' | 'accepted' | 'declined' | 'revoked';
  invited_by: string; // user id
  expires_at: string;
  inserted_at: string;
}

export interface ProjectRecord {
  id: string;
  account: string; // handle
  handle: string;
  name: string;
  description: string | null;
  github_repo_full_name: string | null;
  setup_status: 'pending' | 'running' | 'completed' | 'failed' | null;
  inserted_at: string;
}

export interface VoiceOverrideRecord {
  locale: string;
  tone: string | null;
  formality: string | null;
  target_audience: string | null;
  guidelines: string | null;
}

export interface VoiceRecord {
  account: string;
  version: number;
  tone: string | null;
  formality: string | null;
  target_audience: string | null;
  guidelines: string | null;
  description: string | null;
  target_countries: string[];
  cultural_notes: Record<string, string>;
  created_by: string | null; // user id
  inserted_at: string;
  overrides: VoiceOverrideRecord[];
}

export interface GlossaryEntryRecord {
  id: string;
  term: string;
  definition: string | null;
  case_sensitive: boolean;
  translations: { locale: string; translation: string }[];
}

export interface GlossaryRecord {
  account: string;
  version: number;
  change_note: string | null;
  created_by: string | null;
  inserted_at: string;
  entries: GlossaryEntryRecord[];
}

export interface AccountTokenRecord {
  id: string;
  account: string;
  userId: string;
  name: string;
  description: string | null;
  token_prefix: string;
  /** SHA-256 hex of the plain token; the plain value is shown once. */
  token_hash: string;
  scope: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  inserted_at: string;
  updated_at: string;
}

export interface OAuthAppRecord {
  id: string;
  account: string;
  userId: string;
  name: string;
  description: string | null;
  homepage_url: string | null;
  client_id: string;
  inserted_at: string;
  updated_at: string;
}

export interface ModelRecord {
  id: string;
  account: string; // handle
  handle: string;
  /** `provider/model`, e.g. `anthropic/claude-sonnet-5`. */
  model: string;
  /** The provider's API key: stored, never returned by the API. */
  api_key: string;
  base_url: string | null;
  default: boolean;
  created_by: string | null; // user id
  inserted_at: string;
  updated_at: string;
}

export interface World {
  /** Hash of the fixtures this world was seeded from; a change re-seeds it. */
  fixturesHash: string;
  organizations: OrganizationRecord[];
  memberships: MembershipRecord[];
  invitations: InvitationRecord[];
  projects: ProjectRecord[];
  voices: VoiceRecord[];
  glossaries: GlossaryRecord[];
  accountTokens: AccountTokenRecord[];
  oauthApps: OAuthAppRecord[];
  /** LLM model configurations (reference 9.11). */
  models: ModelRecord[];
}

export interface StoreData {
  version: number;
  /** The number of the last change of the change journal (changes.ts) this file already contains. */
  appliedChanges: number;
  /** Random per-store secret for cookie signing and CSRF tokens. */
  secret: string | null;
  signingKeys: StoredKey[];
  clients: Record<string, StoredClient>;
  /** null until seeded from the fixtures. */
  world: World | null;
}

/**
 * Token bookkeeping as files written before the token journal kept it, inside the lowdb file;
 * such a file is migrated when opened. Device codes are keyed by tokenKey(device_code).
 */
export interface LegacyTokenSections {
  codes?: Record<string, CodeRecord>;
  grants?: Record<string, GrantRecord>;
  accessTokens?: Record<string, AccessTokenRecord>;
  refreshTokens?: Record<string, RefreshTokenRecord>;
  deviceCodes?: Record<string, DeviceCodeRecord>;
}

export function emptyStore(): StoreData {
  return {
    version: STORE_VERSION,
    appliedChanges: 0,
    secret: null,
    signingKeys: [],
    clients: {},
    world: null,
  };
}
