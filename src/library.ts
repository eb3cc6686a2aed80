// The package's main export: start isolated mock instances from a test suite in a few lines.
//
//   const idp = await startGlossiaMock({ autoApprove: 'dev' });
//   …point the app at idp.issuer…
//   await idp.stop();
import { defaultConfig, type Config } from './config.js';
import { mintToken, type MintRequest } from './domain/mint.js';
import { resetInstance } from './domain/reset.js';
import { defaultFixturesDir } from './fixtures/load.js';
import { parseFailFlag, readFaultSpec, type FaultRule, type FaultSpec } from './faults/rules.js';
import type { JournalEntry, JournalFilter } from './journal/journal.js';
import { GLOSSIA_LIMITS, type Counter, type LimitTable } from './limits/rate-limiter.js';
import type { ProfileName } from './profiles.js';
import type { ClientReport, Report } from './report/engine.js';
import { startMock } from './server.js';
import type { TokenResponse } from './oauth/tokens.js';

export interface GlossiaMockOptions {
  /** Default 'documented'. */
  profile?: ProfileName;
  /** Default 0: a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Public issuer URL when clients reach the mock under another name. */
  issuer?: string;
  /** Folder of fixture JSON files; default the bundled fixtures. */
  fixtures?: string;
  /** lowdb file; default none (in memory, isolated). */
  dataFile?: string;
  /** Approve every authorization request at once as this fixture user. */
  autoApprove?: string;
  accessTokenTtl?: number;
  refreshTokenTtl?: number;
  codeTtl?: number;
  /** Live grants kept before the oldest is evicted (default 20,000). */
  maxGrants?: number;
  /** 'glossia' (default, Glossia's numbers), 'off', or a table of limits. */
  rateLimits?: 'glossia' | 'off' | LimitTable;
  /** Fault rules active from the start, as objects or `--fail` strings. */
  faults?: (FaultSpec | string)[];
  /** Require this bearer token on the /_mock control API. */
  controlToken?: string;
  /** Where log lines go; default stderr. */
  log?: (line: string) => void;
  /**
   * Generate a signing key for this instance. By default in-memory instances in one process share
   * one key (generated when first needed), which saves 50-500 ms of CPU per instance.
   */
  ownSigningKey?: boolean;
}

export interface GlossiaMock {
  /** Where the server listens, e.g. http://127.0.0.1:53211. */
  readonly url: string;
  /** The issuer clients must use (discovery, tokens, redirects). */
  readonly issuer: string;
  stop(): Promise<void>;
  /** Back to the fixtures: data, clients, tokens, fault rules, rate-limit windows, journal, report, clock. */
  reset(): Promise<void>;
  readonly faults: {
    add(rule: FaultSpec | string): FaultRule;
    list(): FaultRule[];
    remove(id: string): boolean;
    clear(): void;
  };
  readonly clock: {
    advance(seconds: number): void;
    now(): Date;
  };
  readonly rateLimits: {
    counters(): Counter[];
    reset(): void;
  };
  /** A valid access + refresh token for a fixture user, without the browser flow. */
  mintToken(request: MintRequest): Promise<TokenResponse & { client_id: string; sub: string }>;
  /** The request journal, newest first. */
  requests(filter?: JournalFilter): JournalEntry[];
  /** The client conformance report: every client seen since start (or reset). */
  report(): Report;
  /** One client's conformance report; undefined when the mock knows no such client. */
  report(clientId: string): ClientReport | undefined;
}

const toSpec = (rule: FaultSpec | string): FaultSpec => (typeof rule === 'string' ? parseFailFlag(rule) : readFaultSpec(rule));

function toLimits(option: GlossiaMockOptions['rateLimits']): LimitTable {
  if (option === undefined || option === 'glossia') return { ...GLOSSIA_LIMITS };
  if (option === 'off') return {};
  return { ...option };
}

export async function startGlossiaMock(options: GlossiaMockOptions = {}): Promise<GlossiaMock> {
  const base = defaultConfig(options.fixtures ?? defaultFixturesDir);
  const config: Config = {
    ...base,
    port: options.port ?? 0,
    host: options.host ?? base.host,
    issuer: options.issuer ?? null,
    profile: options.profile ?? 'documented',
    dataFile: options.dataFile ?? null,
    autoApprove: options.autoApprove ?? null,
    accessTokenTtl: options.accessTokenTtl ?? null,
    refreshTokenTtl: options.refreshTokenTtl ?? base.refreshTokenTtl,
    codeTtl: options.codeTtl ?? base.codeTtl,
    maxGrants: options.maxGrants ?? base.maxGrants,
    rateLimits: toLimits(options.rateLimits),
    faults: (options.faults ?? []).map(toSpec),
    controlToken: options.controlToken ?? null,
    ownSigningKey: options.ownSigningKey ?? false,
  };
  const running = await startMock(config, options.log);
  const { mock } = running;
  return {
    url: running.url,
    issuer: running.issuer,
    stop: () => running.close(),
    reset: () => resetInstance(mock),
    faults: {
      add: (rule) => mock.faults.add(toSpec(rule)),
      list: () => mock.faults.list(),
      remove: (id) => mock.faults.remove(id),
      clear: () => mock.faults.clear(),
    },
    clock: {
      advance: (seconds) => mock.clock.advance(seconds),
      now: () => new Date(mock.clock.nowMs()),
    },
    rateLimits: {
      counters: () => mock.limits.counters(),
      reset: () => mock.limits.reset(),
    },
    mintToken: (request) => mintToken(mock, request),
    requests: (filter) => mock.journal.list(filter),
    report: ((clientId?: string) => (clientId === undefined ? mock.report.report() : mock.report.clientReport(clientId))) as GlossiaMock['report'],
  };
}
