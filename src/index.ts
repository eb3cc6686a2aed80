// Library entry point: `startGlossiaMock` for test suites, plus the types and constants they need.
// First, so that the shared signing key is being generated while everything else loads.
import './crypto/early-key.js';
export { startGlossiaMock, type GlossiaMock, type GlossiaMockOptions } from './library.js';
export type { MintRequest } from './domain/mint.js';
export type { FaultRule, FaultSpec, Endpoint } from './faults/rules.js';
export type { JournalEntry, JournalFilter, EntryFacts } from './journal/journal.js';
export type { Report, ClientReport, CheckResult, Evidence } from './report/engine.js';
export { toJUnit, type FailOn } from './report/junit.js';
export { writeReport } from './report/output.js';
export { GLOSSIA_LIMITS, type LimitTable, type Limit } from './limits/rate-limiter.js';
export { profiles, documented, production, type Profile, type ProfileName } from './profiles.js';
export { SCOPES } from './oauth/scopes.js';
export { defaultFixturesDir } from './fixtures/load.js';
/** Lower-level: start from a full Config (what the CLI does). */
export { startMock, type RunningMock } from './server.js';
export { defaultConfig, type Config } from './config.js';
