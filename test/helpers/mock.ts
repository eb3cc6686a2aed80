// Test harness: a real mock instance on a random port, in memory, quiet; the mocks of a whole test
// file, and a mock restarted on a data file.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { defaultConfig, type Config } from '../../src/config.js';
import { defaultFixturesDir } from '../../src/fixtures/load.js';
import { startMock, type RunningMock } from '../../src/server.js';

export const DEMO = {
  clientId: '0b5e3d8c-7f2a-4c1e-9a6b-3d2f1e0c9b8a',
  secret: '4DonTWojcxIQHy2EnFkLm1SZn9Z4wn9YLN7oCyfmiJo96qRAYwCjvdCCIVnuHYTFzDmH2kwIED1nmljMLEc1cU',
  redirectUri: 'http://localhost:3000/callback',
} as const;

export const SPA = {
  clientId: '5f1c9a2e-3b4d-4e6f-8a7b-9c0d1e2f3a4b',
  redirectUri: 'http://localhost:3000/callback',
} as const;

export const USERS = {
  dev: '019bb17b-dd78-7779-bf27-7a3ce5b99319',
  alex: '019bd690-b88d-7e64-aef6-6367506ec2ea',
  maria: '019c2317-a7b6-7fe6-9d8e-c8c38dcde3d2',
} as const;

export interface TestMock extends RunningMock {
  /** Lines the mock logged (internal errors show up here). */
  logs: string[];
}

export async function startTestMock(overrides: Partial<Config> = {}): Promise<TestMock> {
  const logs: string[] = [];
  // Rate limits are off unless a test turns them on: suites make far more than 30 requests a minute.
  const config: Config = { ...defaultConfig(defaultFixturesDir), port: 0, dataFile: null, rateLimits: {}, ...overrides };
  const running = await startMock(config, (m) => logs.push(m));
  return Object.assign(running, { logs });
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function form(values: Record<string, string | undefined>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) p.set(k, v);
  return p;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export interface AuthorizeOptions {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  state?: string;
  challenge?: string;
  extra?: Record<string, string>;
}

export function authorizeUrl(base: string, o: AuthorizeOptions & { challenge: string }): string {
  const q = form({
    response_type: 'code',
    client_id: o.clientId ?? DEMO.clientId,
    redirect_uri: o.redirectUri ?? DEMO.redirectUri,
    code_challenge: o.challenge,
    code_challenge_method: 'S256',
    scope: o.scope,
    state: o.state,
    ...o.extra,
  });
  return `${base}/oauth/authorize?${q}`;
}

/**
 * Runs /oauth/authorize on a mock started with autoApprove and returns the code from the redirect.
 */
export async function autoApprovedCode(
  base: string,
  o: AuthorizeOptions = {},
): Promise<{ code: string; verifier: string; location: URL }> {
  const { verifier, challenge } = pkce();
  const res = await fetch(authorizeUrl(base, { ...o, challenge: o.challenge ?? challenge }), { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  const location = new URL(res.headers.get('location')!);
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location.href}`);
  return { code, verifier, location };
}

export async function postForm(url: string, values: Record<string, string | undefined>, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form(values),
  });
}

/** A code-exchange form for the demo client, minus whatever the test wants to change. */
export function codeForm(code: string, verifier: string, extra: Record<string, string | undefined> = {}) {
  return {
    grant_type: 'authorization_code',
    code,
    redirect_uri: DEMO.redirectUri,
    client_id: DEMO.clientId,
    client_secret: DEMO.secret,
    code_verifier: verifier,
    ...extra,
  };
}

/** Code → tokens for the demo client, the guide's step 4. */
export async function exchange(base: string, code: string, verifier: string, extra: Record<string, string> = {}) {
  return postForm(`${base}/oauth/token`, codeForm(code, verifier, extra));
}

/** Runs `fn` with the mock's clock moved forward, then moves it back for the next tests. */
export async function later(m: TestMock, seconds: number, fn: () => Promise<void>) {
  m.mock.clock.advance(seconds);
  try {
    await fn();
  } finally {
    m.mock.clock.advance(-seconds);
  }
}

/**
 * `start` for a test file's mocks (`defaults`, then the overrides of each call): after all the
 * file's tests, none may have logged an internal error, and each is closed.
 */
export function mockStarter(defaults: Partial<Config> = {}): (overrides?: Partial<Config>) => Promise<TestMock> {
  const mocks: TestMock[] = [];
  afterAll(async () => {
    for (const m of mocks) expect(m.logs.filter((l) => /internal error|koa error/.test(l))).toEqual([]);
    await Promise.all(mocks.map((m) => m.close()));
  });
  return async (overrides = {}) => {
    const m = await startTestMock({ ...defaults, ...overrides });
    mocks.push(m);
    return m;
  };
}

/**
 * Persistence across a restart: starts a mock on a fresh data file (with `config`), runs `first` and
 * closes it; then starts another on the same file (with `secondConfig`, else `config`) and runs
 * `second` with what `first` returned. Each mock is closed even when its part fails, before the
 * file's folder is removed, and neither may log anything.
 */
export async function acrossRestart<T>(
  config: Partial<Config>,
  first: (m: TestMock) => Promise<T>,
  second: (m: TestMock, carried: T) => Promise<void>,
  secondConfig: Partial<Config> = config,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'glossia-mock-restart-'));
  const dataFile = join(dir, 'db.json');
  try {
    const before = await startTestMock({ ...config, dataFile });
    let carried: T;
    try {
      carried = await first(before);
    } finally {
      await before.close();
    }
    const after = await startTestMock({ ...secondConfig, dataFile });
    try {
      await second(after, carried);
    } finally {
      await after.close();
    }
    expect(before.logs).toEqual([]);
    expect(after.logs).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
