// One mock instance: its settings, clock, store and the services built on them. Handlers receive
// this object; nothing is module-global, so several instances can run in one process.
import type { Config } from './config.js';
import { createClock, type Clock } from './clock.js';
import { createDirectory, type Directory } from './domain/directory.js';
import { ensureWorld } from './domain/seed.js';
import type { Fixtures } from './fixtures/types.js';
import { createClientKeys, type ClientKeys } from './crypto/client-keys.js';
import { createKeyRing, type KeyRing, type KeySource } from './crypto/keys.js';
import { createClientRegistry, type ClientRegistry } from './oauth/clients.js';
import { createTokenService, type TokenService } from './oauth/tokens.js';
import { profiles, type Profile } from './profiles.js';
import type { Store } from './store/store.js';
import { randomBase64url } from './crypto/random.js';
import { createFaultRegistry, type FaultRegistry } from './faults/registry.js';
import { createJournal, type Journal } from './journal/journal.js';
import { createRateLimiter, type RateLimiter } from './limits/rate-limiter.js';
import { DEVICE_POLL_INTERVAL } from './oauth/device-codes.js';
import { isPublicClient } from './oauth/clients.js';
import { createConformance, type Conformance } from './report/engine.js';

export interface Mock {
  readonly config: Config;
  readonly profile: Profile;
  /** Public issuer URL, fixed once the server listens. */
  issuer: string;
  readonly clock: Clock;
  readonly store: Store;
  readonly fixtures: Fixtures;
  readonly directory: Directory;
  readonly keys: KeyRing;
  /** Per-client id_token keys (production profile; never published, kept in memory). */
  readonly clientKeys: ClientKeys;
  readonly clients: ClientRegistry;
  readonly tokens: TokenService;
  readonly faults: FaultRegistry;
  readonly limits: RateLimiter;
  readonly journal: Journal;
  /** The client conformance report, fed by the journal. */
  readonly report: Conformance;
  /** When this instance started (machine time, ms). */
  readonly startedAt: number;
  /** Per-store secret for cookies and CSRF tokens. */
  readonly secret: string;
  readonly accessTokenTtl: number;
  log(message: string): void;
}

/** A store on disk keeps its own key; in-memory instances share the process's unless told not to. */
export const keySource = (config: Config): KeySource => (config.dataFile === null && !config.ownSigningKey ? 'shared' : 'own');

/** Whether this profile signs anything (JWT access tokens, or a published JWKS for id_tokens). */
export const signsTokens = (profile: Profile): boolean => profile.accessTokenFormat === 'jwt' || profile.publishJwks;

export function createMock(config: Config, fixtures: Fixtures, store: Store, log: (m: string) => void): Mock {
  const profile = profiles[config.profile];
  const clock = createClock();
  const secret = store.data.secret ?? randomBase64url(32);
  const world = ensureWorld(store.data, fixtures, clock.nowMs());
  if (secret !== store.data.secret || world !== 'kept') {
    store.data.secret = secret;
    store.documentChanged();
  }
  if (world === 'reseeded') log('The fixtures changed since the store was seeded: API data was reset to the new fixtures.');
  const keys = createKeyRing(store, clock.now, keySource(config));
  const accessTokenTtl = config.accessTokenTtl ?? profile.accessTokenTtl;
  const tokens = createTokenService({
    store,
    clock,
    keys,
    profile,
    issuer: () => mock.issuer,
    accessTokenTtl,
    refreshTokenTtl: config.refreshTokenTtl,
    codeTtl: config.codeTtl,
  });
  const clients = createClientRegistry(fixtures.clients, store);
  const report = createConformance({
    client(id) {
      const c = clients.find(id);
      return c && { name: c.client_name ?? null, public: isPublicClient(c), redirectUris: c.redirect_uris };
    },
    settings: { defaultScope: profile.defaultScope, deviceInterval: DEVICE_POLL_INTERVAL, redirectUriWildcards: profile.redirectUriWildcards },
    nowMs: clock.nowMs,
  });
  const mock: Mock = {
    config,
    profile,
    issuer: config.issuer ?? '',
    clock,
    store,
    fixtures,
    directory: createDirectory(fixtures.users, () => store.data.world!),
    keys,
    clientKeys: createClientKeys(),
    clients,
    tokens,
    faults: createFaultRegistry(clock.nowMs),
    limits: createRateLimiter(config.rateLimits, clock.nowMs),
    journal: createJournal(config.journalSize, report.observe),
    report,
    startedAt: Date.now(),
    secret,
    accessTokenTtl,
    log,
  };
  for (const spec of config.faults) mock.faults.add(spec);
  return mock;
}
