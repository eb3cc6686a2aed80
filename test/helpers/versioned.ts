// What the voice and glossary suites share, as the two resources share src/api/versioned.ts
// (reference 9.7, 9.8): numbered fixture versions per account, a mock with the seed data and one to
// write to with tokens for the fixture users, the checks of reference 9.1 that both answer alike,
// and writes that survive a restart.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { answer, apiOk, call, expectInsufficientScope } from './api.js';
import { acrossRestart, startTestMock, type TestMock } from './mock.js';
import { accessToken, accessTokens } from './tokens.js';

export type Resource = 'glossary' | 'voice';

/** A version of fixtures/<file> (voices.json, glossaries.json) by account and number; a missing one fails. */
export function fixtureVersions<V extends { version: number }>(file: string): (account: string, version: number) => V {
  const all = JSON.parse(readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), 'utf8')) as { account: string; versions: V[] }[];
  return (account, version) => {
    const found = all.find((a) => a.account === account)?.versions.find((x) => x.version === version);
    if (!found) throw new Error(`fixture ${file} ${account} v${version} is missing`);
    return found;
  };
}

export interface VersionedMocks {
  /** The seed data, never written to. */
  seed: TestMock;
  /** For writes. */
  rw: TestMock;
  /**
   * Access tokens, with `<resource>:read` on `seed`: dev, alex, maria, and noScope (dev, without
   * it); with `<resource>:read <resource>:write` on `rw`: devW, alexW, mariaW, and readOnly (dev,
   * read only). The same object all along, so it may be destructured before the tests run.
   */
  t: Record<'dev' | 'alex' | 'maria' | 'noScope' | 'devW' | 'alexW' | 'mariaW' | 'readOnly', string>;
}

/**
 * The two mocks of a versioned resource's suite (both auto-approving as dev), started with their
 * tokens before all its tests and closed after them; `noScope` is the scope of the token without
 * `<resource>:read`. Filled in by the time the first test runs.
 */
export function versionedMocks(resource: Resource, noScope: string): VersionedMocks {
  const read = `${resource}:read`;
  const write = `${read} ${resource}:write`;
  const mocks = { t: {} } as VersionedMocks;
  beforeAll(async () => {
    [mocks.seed, mocks.rw] = await Promise.all([startTestMock({ autoApprove: 'dev' }), startTestMock({ autoApprove: 'dev' })]);
    const { seed, rw } = mocks;
    Object.assign(
      mocks.t,
      await accessTokens({
        dev: [seed, read, 'dev'],
        alex: [seed, read, 'alex'],
        maria: [seed, read, 'maria'],
        noScope: [seed, noScope, 'dev'],
        devW: [rw, write, 'dev'],
        alexW: [rw, write, 'alex'],
        mariaW: [rw, write, 'maria'],
        readOnly: [rw, read, 'dev'],
      }),
    );
  });
  afterAll(async () => {
    await Promise.all([mocks.seed, mocks.rw].filter(Boolean).map((m) => m.close()));
  });
  return mocks;
}

/**
 * The checks of reference 9.1 that come before the policy, for /api/:handle/<resource> and its
 * /history: a token without the read or write scope is 403 insufficient_scope (for a write, before
 * its `invalidBody` is looked at), and an unknown handle is 404 even without the scope.
 */
export function itChecksScopesThenHandle(resource: Resource, mocks: VersionedMocks, invalidBody: Record<string, unknown>) {
  const paths = [`/api/dev/${resource}`, `/api/dev/${resource}/history`];

  it(`a token without ${resource}:read → 403 insufficient_scope`, async () => {
    for (const path of paths) await expectInsufficientScope(await call(mocks.seed, mocks.t.noScope, 'GET', path), `${resource}:read`);
  });

  it(`a token without ${resource}:write → 403 insufficient_scope, before the body is looked at`, async () => {
    await expectInsufficientScope(await call(mocks.rw, mocks.t.readOnly, 'POST', `/api/dev/${resource}`, invalidBody), `${resource}:write`);
  });

  it('an unknown handle → 404 account not found, even without the scope', async () => {
    for (const path of [`/api/nope/${resource}`, `/api/nope/${resource}/history`]) {
      await answer(await call(mocks.seed, mocks.t.dev, 'GET', path), 404, { error: 'account not found' });
      await answer(await call(mocks.seed, mocks.t.noScope, 'GET', path), 404, { error: 'account not found' });
    }
    await answer(await call(mocks.rw, mocks.t.readOnly, 'POST', `/api/nope/${resource}`, {}), 404, { error: 'account not found' });
  });
}

/**
 * A write survives a restart: on a mock on a fresh data file, POST `body` to `account`'s resource
 * (201, `version`), note what `reads` (paths below it) answer, close; on a mock started again on the
 * same file, the resource and every read answer the same. `after` checks more on the second mock.
 */
export function itKeepsWritesAcrossRestart(
  resource: Resource,
  { account, body, version, reads, after }: { account: string; body: unknown; version: number; reads: string[]; after: (m: TestMock, token: string) => Promise<void> },
) {
  const path = `/api/${account}/${resource}`;

  it('POST, close, start again on the same file, read', async () => {
    await acrossRestart(
      { autoApprove: 'dev' },
      async (first) => {
        const token = await accessToken(first, `${resource}:read ${resource}:write`);
        const created = await apiOk(first, token, 'POST', path, body);
        expect(created['version']).toBe(version);
        return { created, answers: await Promise.all(reads.map((r) => apiOk(first, token, 'GET', `${path}${r}`))) };
      },
      async (second, { created, answers }) => {
        const token = await accessToken(second, `${resource}:read`);
        expect(await apiOk(second, token, 'GET', path)).toEqual(created);
        expect(await Promise.all(reads.map((r) => apiOk(second, token, 'GET', `${path}${r}`)))).toEqual(answers);
        await after(second, token);
      },
    );
  });
}
