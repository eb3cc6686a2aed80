// The fast path (Node's util.parseArgs) and full yargs must read the same flags the same way.
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs, quickParse, yargsParse } from '../src/cli/options.js';

const KEYS = [
  'port', 'host', 'issuer', 'profile', 'data', 'in-memory', 'fixtures', 'auto-approve', 'access-token-ttl',
  'refresh-token-ttl', 'code-ttl', 'log-requests', 'reset', 'fail', 'rate-limits', 'control-token', 'max-grants', 'report',
  'report-fail-on',
] as const;
const pick = (a: object) => Object.fromEntries(KEYS.map((k) => [k, (a as Record<string, unknown>)[k]]));

afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('GLOSSIA_MOCK_')) delete process.env[k];
});

describe('flag parsing', () => {
  it.each([
    [[]],
    [['--port', '0', '--in-memory', '--auto-approve', 'dev']],
    [['--port=5000', '--host', '0.0.0.0', '--issuer', 'https://idp.example.test', '--profile', 'production']],
    [['--fail', 'token=invalid_grant', '--fail', 'api=429', '--rate-limits', 'off', '--control-token', 's3cret']],
    [['--access-token-ttl', '120', '--refresh-token-ttl', '600', '--code-ttl', '5', '--log-requests', '--reset', '--no-in-memory']],
    [['--no-log-requests', '--fail=token=invalid_grant', '--max-grants', '500', '--report', 'r.xml', '--report-fail-on', 'warn', '--data', 'x.json']],
  ])('reads %j the same way as yargs', async (argv) => {
    const quick = await quickParse(argv);
    expect(quick).not.toBeNull();
    expect(pick(quick!)).toEqual(pick(await yargsParse(argv)));
  });

  it('reads GLOSSIA_MOCK_* variables the same way as yargs', async () => {
    Object.assign(process.env, {
      GLOSSIA_MOCK_PORT: '0',
      GLOSSIA_MOCK_IN_MEMORY: 'true',
      GLOSSIA_MOCK_AUTO_APPROVE: 'alex',
      GLOSSIA_MOCK_PROFILE: 'production',
      GLOSSIA_MOCK_ACCESS_TOKEN_TTL: '120',
      GLOSSIA_MOCK_FAIL: 'token=invalid_grant;api=429',
    });
    const quick = await quickParse([]);
    expect(pick(quick!)).toEqual(pick(await yargsParse([])));
    expect(quick).toMatchObject({ port: 0, 'in-memory': true, 'auto-approve': 'alex', profile: 'production', 'access-token-ttl': 120 });
  });

  it('reads a boolean variable set to false, and a flag over its variable, the same way as yargs', async () => {
    Object.assign(process.env, { GLOSSIA_MOCK_RESET: 'false', GLOSSIA_MOCK_LOG_REQUESTS: 'true', GLOSSIA_MOCK_PORT: '4100' });
    const quick = await quickParse(['--port', '4200']);
    expect(pick(quick!)).toEqual(pick(await yargsParse(['--port', '4200'])));
    expect(quick).toMatchObject({ port: 4200, reset: false, 'log-requests': true });
  });

  it('leaves an unknown GLOSSIA_MOCK_* variable to yargs', async () => {
    process.env['GLOSSIA_MOCK_PROT'] = '1';
    expect(await quickParse([])).toBeNull();
  });

  it.each([
    [['--help']], [['--bogus']], [['--port', '70000']], [['--profile', 'staging']], [['--code-ttl', '-1']], [['extra']], [['--port', '1', '--port', '2']],
    [['--port', 'abc']], [['--in-memory=yes']], [['--', 'x']], [['-h']],
  ])(
    'leaves %j to yargs (help or an error message)',
    async (argv) => {
      expect(await quickParse(argv)).toBeNull();
    },
  );

  it('turns flags into a Config', async () => {
    const config = await parseArgs(['--port', '0', '--in-memory', '--fail', 'token=invalid_grant:once;api=429', '--rate-limits', 'off']);
    expect(config).toMatchObject({ port: 0, dataFile: null, rateLimits: {}, autoApprove: null, profile: 'documented' });
    expect(config.faults).toEqual([
      { endpoint: 'token', error: 'invalid_grant', times: 1 },
      { endpoint: 'api', status: 429 },
    ]);
  });
});
