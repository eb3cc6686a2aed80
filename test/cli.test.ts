// The command a developer runs: flags, environment variables, banner, and clear failures.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliFails, discoveryOf, startCli } from './helpers/cli.js';

const run = promisify(execFile);
const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glossia-mock-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('glossia-mock CLI', () => {
  it('--help lists every flag', async () => {
    const { stdout } = await run('node', [BIN, '--help']);
    for (const flag of [
      '--port',
      '--host',
      '--issuer',
      '--profile',
      '--data',
      '--in-memory',
      '--fixtures',
      '--auto-approve',
      '--access-token-ttl',
      '--refresh-token-ttl',
      '--code-ttl',
    ])
      expect(stdout).toContain(flag);
  });

  it('prints the issuer, discovery URL, users and client, and serves discovery', async () => {
    const s = startCli(['--port', '0', '--in-memory']);
    try {
      const banner = await s.ready;
      expect(banner).toMatch(/discovery\s+http:\/\/localhost:\d+\/\.well-known\/oauth-authorization-server/);
      expect(banner).toContain('dev@glossia.ai');
      expect(banner).toContain('0b5e3d8c-7f2a-4c1e-9a6b-3d2f1e0c9b8a');
      await discoveryOf(s);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('--profile production prints one line of the deliberate differences, linking the ledger file', async () => {
    const lines = async (args: string[]) => {
      const s = startCli(['--port', '0', '--in-memory', ...args]);
      try {
        const banner = await s.ready;
        await discoveryOf(s);
        return banner.split('\n').filter((l) => l.includes('except on purpose'));
      } finally {
        expect(await s.stop()).toBe(0);
      }
    };
    const production = await lines(['--profile', 'production']);
    const documented = await lines([]);
    expect(documented).toEqual([]);
    expect(production).toHaveLength(1);
    expect(production[0]).toContain('sign-in picks a fixture user (no passwords, no GitHub/GitLab)');
    const ledger = /Fidelity ledger: (\S+)$/.exec(production[0]!)![1]!;
    expect(ledger.endsWith('/docs/fidelity.md')).toBe(true);
    expect(readFileSync(ledger, 'utf8')).toMatch(/^# Fidelity ledger/);
  });

  it('reads flags from GLOSSIA_MOCK_* variables', async () => {
    const s = startCli([], {
      GLOSSIA_MOCK_PORT: '0',
      GLOSSIA_MOCK_IN_MEMORY: 'true',
      GLOSSIA_MOCK_PROFILE: 'production',
      GLOSSIA_MOCK_ISSUER: 'https://idp.example.test',
    });
    try {
      const banner = await s.ready;
      expect(banner).toContain('profile: production');
      expect(banner).toContain('issuer      https://idp.example.test');
      const meta = await discoveryOf(s);
      expect(meta['token_endpoint']).toBe('https://idp.example.test/oauth/token');
      expect(meta['jwks_uri']).toBeUndefined();
    } finally {
      await s.stop();
    }
  });

  it('stops with a message naming the file and field of a bad fixture', async () => {
    const bad = join(dir, 'fixtures');
    await mkdir(bad);
    await cp(FIXTURES, bad, { recursive: true });
    await writeFile(join(bad, 'users.json'), JSON.stringify([{ id: 'nope' }]));
    const { code, stderr } = await cliFails(['--port', '0', '--in-memory', '--fixtures', bad]);
    expect(code).toBe(1);
    expect(stderr).toContain('users.json');
    expect(stderr).toMatch(/\[0\]\.id/);
  });

  it('stops with a clear message on a corrupt data file', async () => {
    const file = join(dir, 'db.json');
    await writeFile(file, 'not json');
    const { code, stderr } = await cliFails(['--port', '0', '--data', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file} is not valid JSON`);
  });

  it('rejects bad flag values', async () => {
    expect((await cliFails(['--port', '70000'])).stderr).toContain('--port must be 0-65535');
    expect((await cliFails(['--code-ttl', '-5', '--in-memory'])).stderr).toContain('--code-ttl must be a whole number');
    expect((await cliFails(['--profile', 'staging'])).stderr).toMatch(/Invalid values|Choices/);
    expect((await cliFails(['--no-such-flag'])).stderr).toContain('Unknown argument');
  });

  it('warns when the issuer looks inconsistent with where it listens', async () => {
    const child = spawn('node', [BIN, '--port', '0', '--in-memory', '--issuer', 'http://localhost:9'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no warning: ${err}`)), 15_000);
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          if (err.includes('warning:')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect(err).toMatch(/warning: issuer port 9 differs from the listening port \d+; is a proxy in front\?/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses an --auto-approve user that is not in the fixtures', async () => {
    const { code, stderr } = await cliFails(['--port', '0', '--in-memory', '--auto-approve', 'nobody']);
    expect(code).toBe(1);
    expect(stderr).toContain('--auto-approve "nobody" is not a fixture user; choose one of: dev, alex, maria.');
  });

  it('explains a port already in use', async () => {
    const s = startCli(['--port', '0', '--in-memory']);
    try {
      const port = new URL(await s.url).port;
      const { stderr } = await cliFails(['--port', port, '--in-memory']);
      expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await s.stop();
    }
  });
});
