// Resolved settings of one mock instance. The CLI and the library API both produce a Config.
import type { FaultSpec } from './faults/rules.js';
import { GLOSSIA_LIMITS, type LimitTable } from './limits/rate-limiter.js';
import type { ProfileName } from './profiles.js';
import { DEFAULT_MAX_GRANTS } from './store/limits.js';

export interface Config {
  port: number;
  host: string;
  /** Public issuer URL; null = derived from the listen address once it is known. */
  issuer: string | null;
  profile: ProfileName;
  /** lowdb JSON file, or null for an in-memory store. */
  dataFile: string | null;
  fixturesDir: string;
  /** Fixture user handle that approves every authorization request at once (headless CI). */
  autoApprove: string | null;
  /** Seconds; null = the profile's default. */
  accessTokenTtl: number | null;
  refreshTokenTtl: number;
  codeTtl: number;
  /** Live grants the store keeps; beyond it the oldest is evicted with its codes and tokens. */
  maxGrants: number;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Log one line per request to stderr. */
  logRequests: boolean;
  /** Start from the fixtures again, discarding what the store holds (except its signing key). */
  reset: boolean;
  /** Fault rules active from the start (`--fail`). */
  faults: FaultSpec[];
  /** Rate limits by name; an empty table turns rate limiting off. */
  rateLimits: LimitTable;
  /** When set, the /_mock control API requires `Authorization: Bearer <token>`; else loopback only. */
  controlToken: string | null;
  /** How many requests the journal keeps (newest first). */
  journalSize: number;
  /** An in-memory store generates its own signing key instead of taking the process's shared one. */
  ownSigningKey: boolean;
  /** Write the conformance report here at shutdown (JUnit XML for *.xml, else JSON). */
  report: string | null;
  /** Exit non-zero at shutdown when a check of this level (or worse) fired. */
  reportFailOn: 'fail' | 'warn' | null;
}

export const DEFAULT_PORT = 4050;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_FILE = '.glossia-mock/db.json';

export function defaultConfig(fixturesDir: string): Config {
  return {
    port: DEFAULT_PORT,
    host: DEFAULT_HOST,
    issuer: null,
    profile: 'documented',
    dataFile: DEFAULT_DATA_FILE,
    fixturesDir,
    autoApprove: null,
    accessTokenTtl: null,
    refreshTokenTtl: 30 * 24 * 3600,
    codeTtl: 60,
    maxGrants: DEFAULT_MAX_GRANTS,
    bodyLimit: 64 * 1024,
    logRequests: false,
    reset: false,
    faults: [],
    rateLimits: { ...GLOSSIA_LIMITS },
    controlToken: null,
    journalSize: 1000,
    ownSigningKey: false,
    report: null,
    reportFailOn: null,
  };
}

/** Issuers have no trailing slash (reference 1.1); `localhost` reads better than 127.0.0.1 in URLs. */
export function issuerFor(host: string, port: number): string {
  const name = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' || host === '::1' ? 'localhost' : host;
  return `http://${name}:${port}`;
}

export function normaliseIssuer(issuer: string): string {
  const url = new URL(issuer);
  if (url.search || url.hash) throw new Error(`--issuer must not have a query or fragment: ${issuer}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--issuer must be an http(s) URL: ${issuer}`);
  return url.href.replace(/\/+$/, '');
}
