// Command-line flags (and their GLOSSIA_MOCK_* environment twins) turned into a Config.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFailFlag, type FaultSpec } from '../faults/rules.js';
import { GLOSSIA_LIMITS, readLimitTable, type LimitTable } from '../limits/rate-limiter.js';
import yargs from 'yargs';
import { DEFAULT_DATA_FILE, DEFAULT_HOST, DEFAULT_PORT, defaultConfig, type Config } from '../config.js';
import { defaultFixturesDir } from '../fixtures/load.js';
import type { ProfileName } from '../profiles.js';

const seconds = (name: string) => (value: number) => {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a whole number of seconds above 0 (got ${value})`);
  return value;
};

/** Flags may also come as one GLOSSIA_MOCK_FAIL value with rules separated by ";" or newlines. */
function failRules(flags: readonly (string | number)[]): FaultSpec[] {
  return flags
    .flatMap((f) => String(f).split(/[;\n]/))
    .map((f) => f.trim())
    .filter(Boolean)
    .map(parseFailFlag);
}

function limitTable(value: string): LimitTable {
  if (value === 'off') return {};
  if (value === 'glossia') return { ...GLOSSIA_LIMITS };
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (err) {
    throw new Error(`--rate-limits: expected off, glossia or a readable JSON file (${(err as Error).message})`);
  }
  try {
    return readLimitTable(JSON.parse(text), value);
  } catch (err) {
    throw new Error(`--rate-limits ${(err as Error).message}`);
  }
}

export function parseArgs(argv: string[]): Config {
  const args = yargs(argv)
    .scriptName('glossia-mock')
    .usage('$0 [options]\n\nA local mock of the Glossia identity provider (OAuth 2.1 + REST API).')
    .env('GLOSSIA_MOCK')
    .options({
      port: { type: 'number', default: DEFAULT_PORT, describe: 'Port to listen on (0 = a random free port)' },
      host: { type: 'string', default: DEFAULT_HOST, describe: 'Address to bind (0.0.0.0 to accept outside connections)' },
      issuer: { type: 'string', describe: 'Public issuer URL when it differs from the listen address (Docker, CI services)' },
      profile: {
        choices: ['documented', 'production'] as const,
        default: 'documented' as const,
        describe: "documented: as Glossia's public guide says; production: the real server's observed quirks",
      },
      data: { type: 'string', default: DEFAULT_DATA_FILE, describe: 'lowdb JSON file holding clients, tokens and keys' },
      'in-memory': { type: 'boolean', default: false, describe: 'Keep everything in memory (no data file)' },
      fixtures: { type: 'string', describe: 'Folder of fixture JSON files (default: the bundled fixtures)' },
      'auto-approve': { type: 'string', describe: 'Approve every authorization request at once as this fixture user (headless CI)' },
      'access-token-ttl': { type: 'number', describe: 'Access token lifetime in seconds (default: 3600, production profile 86400)' },
      'refresh-token-ttl': { type: 'number', default: 30 * 24 * 3600, describe: 'Refresh token lifetime in seconds' },
      'code-ttl': { type: 'number', default: 60, describe: 'Authorization code lifetime in seconds' },
      'log-requests': { type: 'boolean', default: false, describe: 'Log one line per request to stderr' },
      reset: { type: 'boolean', default: false, describe: 'Reset the data file to the fixtures (forgets API changes, clients and tokens)' },
      fail: {
        type: 'string',
        array: true,
        describe: 'Force an error, repeatable: ENDPOINT[filters]=WHAT[:HOW], e.g. token=invalid_grant, authorize=access_denied:once, api=429',
      },
      'rate-limits': { type: 'string', default: 'glossia', describe: "off, glossia (Glossia's numbers) or a JSON FILE of limits" },
      'control-token': { type: 'string', describe: 'Require this bearer token on the /_mock control API (else loopback clients only)' },
    })
    .coerce('access-token-ttl', seconds('access-token-ttl'))
    .coerce('refresh-token-ttl', seconds('refresh-token-ttl'))
    .coerce('code-ttl', seconds('code-ttl'))
    .check((a) => {
      if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new Error(`--port must be 0-65535 (got ${a.port})`);
      if (a.issuer !== undefined) {
        try {
          new URL(a.issuer);
        } catch {
          throw new Error(`--issuer must be an absolute URL (got ${a.issuer})`);
        }
      }
      return true;
    })
    .example('$0 --fail token=invalid_grant:once', 'the next token request fails with invalid_grant')
    .example('$0', 'serve the bundled fixtures on http://localhost:4050')
    .example('$0 --port 0 --in-memory --auto-approve dev', 'a throw-away instance for CI that approves as "dev"')
    .strict()
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .parseSync();

  const config = defaultConfig(args.fixtures ? resolve(args.fixtures) : defaultFixturesDir);
  return {
    ...config,
    port: args.port,
    host: args.host,
    issuer: args.issuer ?? null,
    profile: args.profile as ProfileName,
    dataFile: args['in-memory'] ? null : resolve(args.data),
    autoApprove: args['auto-approve'] ?? null,
    accessTokenTtl: args['access-token-ttl'] ?? null,
    refreshTokenTtl: args['refresh-token-ttl'] ?? config.refreshTokenTtl,
    codeTtl: args['code-ttl'] ?? config.codeTtl,
    logRequests: args['log-requests'],
    reset: args.reset,
    faults: failRules(args.fail ?? []),
    rateLimits: limitTable(args['rate-limits']),
    controlToken: args['control-token'] ?? null,
  };
}
