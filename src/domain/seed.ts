// Fixtures → the store's world: Glossia's accounts, memberships, projects, voices, glossaries, LLM
// models and account tokens as the REST API reads and writes them. Every user also gets a personal
// account of their handle, an organization named "Personal" where they are admin (reference 6.2).
import { createHash } from 'node:crypto';
import { accountTokenHash } from '../crypto/random.js';
import { isoMicros } from '../clock.js';
import type { Fixtures } from '../fixtures/types.js';
import type { StoreData, World } from '../store/schema.js';

const INVITATION_DAYS = 7;
const DAY_MS = 86_400_000;

export function fixturesHash(fixtures: Fixtures): string {
  return createHash('sha256').update(JSON.stringify(fixtures)).digest('base64url');
}

export function seedWorld(fixtures: Fixtures, nowMs: number): World {
  const userId = new Map(fixtures.users.map((u) => [u.handle, u.id]));
  const id = (handle: string) => userId.get(handle)!;
  const world: World = {
    fixturesHash: fixturesHash(fixtures),
    organizations: [],
    memberships: [],
    invitations: [],
    projects: [],
    voices: [],
    glossaries: [],
    accountTokens: [],
    oauthApps: [],
    models: [],
  };
  for (const u of fixtures.users) {
    world.organizations.push({ id: u.id, handle: u.handle, name: 'Personal', visibility: u.visibility, personal: true, inserted_at: u.inserted_at });
    world.memberships.push({ organization: u.handle, userId: u.id, role: 'admin', joined_at: u.inserted_at });
  }
  for (const o of fixtures.organizations) {
    world.organizations.push({ id: o.id, handle: o.handle, name: o.name, visibility: o.visibility, personal: false, inserted_at: o.inserted_at });
    for (const m of o.members) world.memberships.push({ organization: o.handle, userId: id(m.user), role: m.role, joined_at: m.joined_at });
    for (const i of o.invitations ?? [])
      world.invitations.push({
        id: i.id,
        organization: o.handle,
        email: i.email,
        role: i.role,
        status: 'pending',
        invited_by: id(i.invited_by),
        // Seed invitations are pending "now", whatever date the fixtures were written on.
        expires_at: isoMicros(nowMs + INVITATION_DAYS * DAY_MS),
        inserted_at: i.inserted_at,
      });
  }
  for (const p of fixtures.projects)
    world.projects.push({
      id: p.id,
      account: p.account,
      handle: p.handle,
      name: p.name,
      description: p.description ?? null,
      github_repo_full_name: p.github_repo_full_name,
      setup_status: p.setup_status,
      inserted_at: p.inserted_at,
    });
  for (const v of fixtures.voices)
    for (const version of v.versions) {
      const { created_by, overrides, ...rest } = version;
      world.voices.push({ account: v.account, ...rest, created_by: id(created_by), overrides: overrides.map((o) => ({ ...o })) });
    }
  for (const g of fixtures.glossaries)
    for (const version of g.versions)
      world.glossaries.push({
        account: g.account,
        version: version.version,
        change_note: version.change_note,
        created_by: id(version.created_by),
        inserted_at: version.inserted_at,
        entries: version.entries.map((e) => ({ ...e, translations: e.translations.map((t) => ({ ...t })) })),
      });
  for (const m of fixtures.models)
    world.models.push({
      id: m.id,
      account: m.account,
      handle: m.handle,
      model: m.model,
      api_key: m.api_key,
      base_url: m.base_url,
      default: m.default,
      created_by: id(m.created_by),
      inserted_at: m.inserted_at,
      updated_at: m.inserted_at,
    });
  for (const t of fixtures.account_tokens)
    world.accountTokens.push({
      id: t.id,
      account: t.account,
      userId: id(t.user),
      name: t.name,
      description: t.description,
      token_prefix: t.token.slice(0, 12),
      // Only the hash is stored, as for a token created through the API.
      token_hash: accountTokenHash(t.token),
      scope: t.scope,
      // Like the invitations: valid for that many days from "now", whatever date the fixtures were written on.
      expires_at: t.expires_in_days === null ? null : isoMicros(nowMs + t.expires_in_days * DAY_MS),
      last_used_at: null,
      revoked_at: null,
      inserted_at: t.inserted_at,
      updated_at: t.inserted_at,
    });
  return world;
}

/** Seeds the world on first start, and again when the fixtures changed since. */
export function ensureWorld(data: StoreData, fixtures: Fixtures, nowMs: number): 'kept' | 'seeded' | 'reseeded' {
  if (data.world && data.world.fixturesHash === fixturesHash(fixtures)) return 'kept';
  const had = data.world !== null;
  data.world = seedWorld(fixtures, nowMs);
  return had ? 'reseeded' : 'seeded';
}
