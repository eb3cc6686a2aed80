// Command-line flags (and their GLOSSIA_MOCK_* environment twins) turned into a Config.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFailFlag, type FaultSpec } from '../faults/rules.js';
import { GLOSSIA_LIMITS, readLimitTable, type LimitTable } from '../limits/rate-limiter.js';
import { DEFAULT_DATA_FILE, DEFAULT_HOST, DEFAULT_PORT, defaultConfig, type Config } from '../config.js';
import { defaultFixturesDir } from '../fixtures/load.js';
import type { ProfileName } from '../profiles.js';
import { DEFAULT_MAX_GRANTS } from '../store/limits.js';

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

const OPTIONS = {
  port: { type: 'number', default: DEFAULT_PORT, describe: 'Port to listen on (0 = a random free port)' },
  host: { type: 'string', default: DEFAULT_HOST, describe: 'Address to bind (0.0.0.0 to accept outside connections)' },
  issuer: { type: 'string', describe: 'Public issuer URL when it differs from the listen address (Docker, CI services)' },
  profile: {
    type: 'string',
    choices: ['documented', 'production'],
    default: 'documented',
    describe: "documented: as Glossia's public guide says; production: the real server's observed quirks",
  },
  data: { type: 'string', default: DEFAULT_DATA_FILE, describe: 'lowdb JSON file holding clients, API data and keys (tokens: a journal beside it)' },
  'in-memory': { type: 'boolean', default: false, describe: 'Keep everything in memory (no data file)' },
  fixtures: { type: 'string', describe: 'Folder of fixture JSON files (default: the bundled fixtures)' },
  'auto-approve': { type: 'string', describe: 'Approve every authorization request at once as this fixture user (headless CI)' },
  'access-token-ttl': { type: 'number', describe: 'Access token lifetime in seconds (default: 3600, production profile 86400)' },
  'refresh-token-ttl': { type: 'number', default: 30 * 24 * 3600, describe: 'Refresh token lifetime in seconds' },
  'code-ttl': { type: 'number', default: 60, describe: 'Authorization code lifetime in seconds' },
  'max-grants': {
    type: 'number',
    default: DEFAULT_MAX_GRANTS,
    describe: 'Live grants kept (each: its code and newest tokens); beyond it the oldest is evicted, its tokens answered as expired',
  },
  'log-requests': { type: 'boolean', default: false, describe: 'Log one line per request to stderr' },
  reset: { type: 'boolean', default: false, describe: 'Reset the data file to the fixtures (forgets API changes, clients and tokens)' },
  fail: {
    type: 'string',
    array: true,
    describe: 'Force an error, repeatable: ENDPOINT[filters]=WHAT[:HOW], e.g. token=invalid_grant, authorize=access_denied:once, api=429',
  },
  'rate-limits': { type: 'string', default: 'glossia', describe: "off, glossia (Glossia's numbers) or a JSON FILE of limits" },
  'control-token': { type: 'string', describe: 'Require this bearer token on the /_mock control API (else loopback clients only)' },
  report: { type: 'string', describe: 'Write the client conformance report to FILE at shutdown (JUnit XML if FILE ends in .xml, else JSON)' },
  'report-fail-on': {
    type: 'string',
    choices: ['fail', 'warn'],
    describe: 'Exit with status 1 at shutdown when a conformance check at this level (or worse) fired',
  },
} as const;

type Name = keyof typeof OPTIONS;

interface Args {
  port: number;
  host: string;
  issuer?: string;
  profile: string;
  data: string;
  'in-memory': boolean;
  fixtures?: string;
  'auto-approve'?: string;
  'access-token-ttl'?: number;
  'refresh-token-ttl': number;
  'code-ttl': number;
  'max-grants': number;
  'log-requests': boolean;
  reset: boolean;
  fail?: (string | number)[];
  'rate-limits': string;
  'control-token'?: string;
  report?: string;
  'report-fail-on'?: string;
}

/** What is wrong with parsed flags, in yargs' words, or null. */
function problemWith(a: Args): string | null {
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) return `--port must be 0-65535 (got ${a.port})`;
  for (const name of ['access-token-ttl', 'refresh-token-ttl', 'code-ttl'] as const) {
    const v = a[name];
    if (v !== undefined && (!Number.isInteger(v) || v <= 0)) return `--${name} must be a whole number of seconds above 0 (got ${v})`;
  }
  if (!Number.isInteger(a['max-grants']) || a['max-grants'] <= 0) return `--max-grants must be a whole number above 0 (got ${a['max-grants']})`;
  if (!(OPTIONS.profile.choices as readonly string[]).includes(a.profile)) return `--profile must be one of: ${OPTIONS.profile.choices.join(', ')}`;
  const failOn = a['report-fail-on'];
  if (failOn !== undefined && !(OPTIONS['report-fail-on'].choices as readonly string[]).includes(failOn))
    return `--report-fail-on must be one of: ${OPTIONS['report-fail-on'].choices.join(', ')}`;
  if (a.report === '') return '--report needs a file name';
  if (a.issuer !== undefined) {
    try {
      new URL(a.issuer);
    } catch {
      return `--issuer must be an absolute URL (got ${a.issuer})`;
    }
  }
  return null;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const namesOf = (type: string) => (Object.keys(OPTIONS) as Name[]).filter((n) => OPTIONS[n].type === type);

/**
 * The common case, parsed with yargs-parser (yargs' own parser) alone: loading all of yargs costs
 * ~70 ms of start-up, which only --help, --version and mistakes need. Anything unusual → null.
 */
export async function quickParse(argv: string[]): Promise<Args | null> {
  if (argv.some((a) => a === '--help' || a === '-h' || a === '--version' || a === 'help')) return null;
  const { default: parse } = await import('yargs-parser');
  const defaults = Object.fromEntries(
    (Object.keys(OPTIONS) as Name[]).flatMap((n) => ('default' in OPTIONS[n] ? [[n, (OPTIONS[n] as { default: unknown }).default]] : [])),
  );
  const parsed = parse(argv, {
    boolean: namesOf('boolean'),
    string: namesOf('string'),
    number: namesOf('number'),
    array: ['fail'],
    default: defaults,
    envPrefix: 'GLOSSIA_MOCK',
    configuration: { 'camel-case-expansion': true },
  });
  const known = new Set<string>(['_', '$0', ...Object.keys(OPTIONS), ...Object.keys(OPTIONS).map(camel)]);
  if (parsed._.length > 0 || Object.keys(parsed).some((k) => !known.has(k))) return null;
  for (const n of Object.keys(OPTIONS) as Name[]) {
    // Variables arrive under the camelCase name only (GLOSSIA_MOCK_AUTO_APPROVE → autoApprove).
    if (parsed[n] === undefined && parsed[camel(n)] !== undefined) parsed[n] = parsed[camel(n)];
    if (OPTIONS[n].type === 'number' && typeof parsed[n] === 'string' && /^-?\d+$/.test(parsed[n])) parsed[n] = Number(parsed[n]);
    const v = parsed[n];
    if (Array.isArray(v) && n !== 'fail') return null; // a flag given twice: let yargs explain
  }
  const args = parsed as unknown as Args;
  return problemWith(args) === null ? args : null;
}

/** Full yargs: help, version, and the error messages for anything quickParse declined. */
export async function yargsParse(argv: string[]): Promise<Args> {
  const { default: yargs } = await import('yargs');
  return yargs(argv)
    .scriptName('glossia-mock')
    .usage('$0 [options]\n\nA local mock of the Glossia identity provider (OAuth 2.1 + REST API).')
    .env('GLOSSIA_MOCK')
    .options(OPTIONS as unknown as Record<Name, import('yargs').Options>)
    .check((a) => {
      const problem = problemWith(a as unknown as Args);
      if (problem) throw new Error(problem);
      return true;
    })
    .example('$0 --fail token=invalid_grant:once', 'the next token request fails with invalid_grant')
    .example('$0', 'serve the bundled fixtures on http://localhost:4050')
    .example('$0 --port 0 --in-memory --auto-approve dev', 'a throw-away instance for CI that approves as "dev"')
    .example('$0 --report conformance.xml --report-fail-on fail', 'at shutdown: JUnit report of every client, exit 1 if a check failed')
    .strict()
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .parseSync() as unknown as Args;
}

export async function parseArgs(argv: string[]): Promise<Config> {
  const args = (await quickParse(argv)) ?? (await yargsParse(argv));
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
    maxGrants: args['max-grants'] ?? config.maxGrants,
    logRequests: args['log-requests'],
    reset: args.reset,
    faults: failRules(args.fail ?? []),
    rateLimits: limitTable(args['rate-limits']),
    controlToken: args['control-token'] ?? null,
    report: args.report ? resolve(args.report) : null,
    reportFailOn: (args['report-fail-on'] as Config['reportFailOn'] | undefined) ?? null,
  };
}
