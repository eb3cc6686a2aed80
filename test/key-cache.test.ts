// The in-memory mock's signing key is kept for the next process (a test runner starts one per
// test file), in a file only this user can read; it can be turned off, and a planted or stale key
// is never used.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'glossia-mock-key-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the CLI in memory, reads the kid its JWKS publishes, stops it. */
async function kidOf(args: string[]): Promise<string> {
  const cli = startCli(['--port', '0', '--in-memory', ...args]);
  try {
    const res = await fetch(`${await cli.url}/.well-known/jwks.json`);
    const { keys } = (await res.json()) as { keys: { kid: string }[] };
    expect(res.status).toBe(200);
    expect(keys).toHaveLength(1);
    return keys[0]!.kid;
  } finally {
    await cli.stop();
  }
}

describe('the shared signing key, kept between processes', () => {
  it('a second process signs with the key the first one generated, kept readable by this user only', async () => {
    const file = join(dir, 'kept.json');
    const first = await kidOf(['--key-cache', file]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kid: first, alg: 'RS256' });
    expect(await kidOf(['--key-cache', file])).toBe(first);
  });

  it('--key-cache off: a new key every start, nothing written', async () => {
    const a = await kidOf(['--key-cache', 'off']);
    const b = await kidOf(['--key-cache', 'off']);
    expect(a).not.toBe(b);
  });

  it('a key in a folder others can open is not used', async () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    const file = join(open, 'kept.json');
    const planted = await kidOf(['--key-cache', join(dir, 'planted.json')]);
    writeFileSync(file, readFileSync(join(dir, 'planted.json')));
    chmodSync(open, 0o755);
    expect(await kidOf(['--key-cache', file])).not.toBe(planted);
  });

  it('a key kept for more than a day is replaced', async () => {
    const file = join(dir, 'stale.json');
    const old = await kidOf(['--key-cache', file]);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { createdAt: number };
    writeFileSync(file, JSON.stringify({ ...kept, createdAt: kept.createdAt - 2 * 24 * 3600 }), { mode: 0o600 });
    const fresh = await kidOf(['--key-cache', file]);
    expect(fresh).not.toBe(old);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kid: fresh });
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });
});
