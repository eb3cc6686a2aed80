// Command-line flags (and their GLOSSIA_MOCK_* environment twins) turned into a Config.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs as parseFlags } from 'node:util';
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
  data: { type: 'string', default: DEFAULT_DATA_FILE, describe: 'lowdb JSON file holding clients, API data and keys (recent changes and tokens: journals beside it)' },
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
  'key-cache': {
    type: 'string',
    describe: 'With --in-memory: FILE keeping the signing key for the next process (default: a private folder in the temp dir; off: a new key every start)',
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
  'key-cache'?: string;
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

/** GLOSSIA_MOCK_AUTO_APPROVE for auto-approve, as yargs' .env('GLOSSIA_MOCK') names them. */
const ENV_PREFIX = 'GLOSSIA_MOCK_';
const envName = (name: Name) => `${ENV_PREFIX}${name.toUpperCase().replace(/-/g, '_')}`;

/** A flag's or variable's text as its option's type, or undefined when yargs should judge it. */
function typed(name: Name, value: string | boolean | string[]): Args[Name] | undefined {
  const type = OPTIONS[name].type;
  if (type === 'boolean') return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : undefined;
  if (name === 'fail') return typeof value === 'string' ? [value] : (value as string[]);
  if (typeof value !== 'string') return undefined;
  if (type === 'number') return /^-?\d+$/.test(value) ? Number(value) : undefined;
  return value;
}

/**
 * The common case, parsed with Node's own util.parseArgs: yargs costs ~70 ms of start-up to load
 * (yargs-parser alone ~8 ms and ~1 MB), which only --help, --version and mistakes need. Anything
 * unusual (a repeated flag, `--flag=value` on a boolean, an unknown variable) → null, and yargs
 * reads it instead, so both always agree (test/cli-options.test.ts).
 */
export function quickParse(argv: string[]): Args | null {
  const names = Object.keys(OPTIONS) as Name[];
  const options = Object.fromEntries(
    names.map((n) => [n, { type: OPTIONS[n].type === 'boolean' ? ('boolean' as const) : ('string' as const), multiple: n === 'fail' }]),
  );
  let parsed;
  try {
    parsed = parseFlags({ args: argv, options, strict: true, allowPositionals: false, allowNegative: true, tokens: true });
  } catch {
    return null;
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') return null;
    if (seen.has(token.name) && token.name !== 'fail') return null;
    seen.add(token.name);
  }
  const known = new Set(names.map(envName));
  if (Object.keys(process.env).some((k) => k.startsWith(ENV_PREFIX) && !known.has(k))) return null;
  const args: Record<string, unknown> = {};
  for (const n of names) {
    const given = (parsed.values as Record<string, string | boolean | string[] | undefined>)[n] ?? process.env[envName(n)];
    if (given === undefined) {
      if ('default' in OPTIONS[n]) args[n] = (OPTIONS[n] as { default: unknown }).default;
      continue;
    }
    const value = typed(n, given);
    if (value === undefined) return null;
    args[n] = value;
  }
  return problemWith(args as unknown as Args) === null ? (args as unknown as Args) : null;
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
  const args = quickParse(argv) ?? (await yargsParse(argv));
  // The shared key is the process's (src/crypto/key-cache.ts), read before any config exists.
  if (args['key-cache'] !== undefined) process.env['GLOSSIA_MOCK_KEY_CACHE'] = args['key-cache'];
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
