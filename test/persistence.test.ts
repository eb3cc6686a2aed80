import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenKey } from '../src/crypto/random.js';
import { StoreError } from '../src/store/store.js';
import { autoApprovedCode, exchange, pkce, postForm, startTestMock } from './helpers/mock.js';
import { durableState } from './helpers/store-files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glossia-mock-store-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function register(base: string) {
  const res = await fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Persisted', redirect_uris: ['http://localhost:9999/cb'] }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { client_id: string; client_secret: string };
}

const readStore = async (file: string) => JSON.parse(await readFile(file, 'utf8'));

describe('the lowdb store', () => {
  it('has a registration on disk before the 201 is sent', async () => {
    const file = join(dir, 'register.json');
    const m = await startTestMock({ dataFile: file });
    try {
      const client = await register(m.url);
      expect(durableState(file).clients[client.client_id]!.client_name).toBe('Persisted');
    } finally {
      await m.close();
    }
  });

  it('keeps clients, tokens and the signing key across a restart', async () => {
    const file = join(dir, 'restart.json');
    const first = await startTestMock({ dataFile: file, autoApprove: 'maria' });
    const client = await register(first.url);
    const { code, verifier } = await autoApprovedCode(first.url, { scope: 'project:read' });
    const tokens = await (await exchange(first.url, code, verifier)).json();
    const kid = (await (await fetch(`${first.url}/.well-known/jwks.json`)).json()).keys[0].kid;
    await first.close();

    const onDisk = await readFile(file, 'utf8');
    // The file holds hashes of tokens, never the bearer values themselves.
    expect(onDisk).not.toContain(tokens.access_token);
    expect(onDisk).not.toContain(tokens.refresh_token);

    const second = await startTestMock({ dataFile: file, autoApprove: 'maria' });
    try {
      const jwks = await (await fetch(`${second.url}/.well-known/jwks.json`)).json();
      expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([kid]);
      // The access token from before the restart still works at the API...
      const api = await fetch(`${second.url}/api/projects`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(api.status).toBe(200);
      // ...the refresh token still refreshes...
      const refreshed = await postForm(`${second.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: '0b5e3d8c-7f2a-4c1e-9a6b-3d2f1e0c9b8a',
        client_secret: '4DonTWojcxIQHy2EnFkLm1SZn9Z4wn9YLN7oCyfmiJo96qRAYwCjvdCCIVnuHYTFzDmH2kwIED1nmljMLEc1cU',
      });
      expect(refreshed.status).toBe(200);
      // ...and the dynamically registered client can still start a flow.
      const { challenge } = pkce();
      const authorize = await fetch(
        `${second.url}/oauth/authorize?response_type=code&client_id=${client.client_id}&redirect_uri=${encodeURIComponent('http://localhost:9999/cb')}&code_challenge=${challenge}&code_challenge_method=S256`,
        { redirect: 'manual' },
      );
      expect(authorize.status).toBe(302);
      expect(new URL(authorize.headers.get('location')!).searchParams.get('code')).toMatch(/^[A-Za-z0-9]{86}$/);
    } finally {
      await second.close();
    }
  });

  it('has code and token bookkeeping in the journal beside the file before the response is sent', async () => {
    const file = join(dir, 'journal.json');
    const m = await startTestMock({ dataFile: file, autoApprove: 'dev' });
    try {
      const { code, verifier } = await autoApprovedCode(m.url);
      const tokens = await (await exchange(m.url, code, verifier)).json();
      const lines = (await readFile(join(dir, 'journal.tokens.jsonl'), 'utf8')).trimEnd().split('\n');
      expect(lines[0]).toBe('{"glossiaMockTokens":1}');
      const records = new Map(lines.slice(1).map((l) => JSON.parse(l)).map(([table, record]) => [`${table} ${record.key}`, record]));
      expect(records.get(`codes ${tokenKey(code)}`)).toMatchObject({ usedAt: expect.any(Number) });
      expect(records.get(`accessTokens ${tokenKey(tokens.access_token)}`)).toMatchObject({ revokedAt: null });
      expect(records.get(`refreshTokens ${tokenKey(tokens.refresh_token)}`)).toMatchObject({ usedAt: null });
      // Tokens stay out of the lowdb file, and neither file holds a bearer value.
      const onDisk = await readFile(file, 'utf8');
      expect(JSON.parse(onDisk)).not.toHaveProperty('accessTokens');
      expect(lines.join('\n')).not.toContain(tokens.refresh_token);
    } finally {
      await m.close();
    }
  });

  it('refuses to start on a corrupt file and leaves it untouched', async () => {
    const file = join(dir, 'corrupt.json');
    await writeFile(file, '{"version":1,"clients":{');
    await expect(startTestMock({ dataFile: file })).rejects.toThrow(StoreError);
    await expect(startTestMock({ dataFile: file })).rejects.toThrow(/corrupt\.json is not valid JSON/);
    expect(await readFile(file, 'utf8')).toBe('{"version":1,"clients":{');
  });

  it('refuses a file of another format version or shape', async () => {
    const file = join(dir, 'other.json');
    await writeFile(file, JSON.stringify({ version: 99 }));
    await expect(startTestMock({ dataFile: file })).rejects.toThrow(/format version 99/);
    await writeFile(file, JSON.stringify([1, 2]));
    await expect(startTestMock({ dataFile: file })).rejects.toThrow(/does not hold a JSON object/);
    await writeFile(file, JSON.stringify({ version: 1, clients: [] }));
    await expect(startTestMock({ dataFile: file })).rejects.toThrow(/invalid "clients" section/);
  });

  it('purges expired codes and tokens', async () => {
    const m = await startTestMock({ autoApprove: 'dev' });
    try {
      const { code, verifier } = await autoApprovedCode(m.url);
      await exchange(m.url, code, verifier);
      const tokens = m.mock.store.tokens;
      expect(tokens.size('accessTokens')).toBe(1);
      m.mock.clock.advance(31 * 24 * 3600);
      expect(await m.mock.store.purge(m.mock.clock.now())).toBeGreaterThanOrEqual(1);
      for (const table of ['codes', 'accessTokens', 'refreshTokens', 'grants'] as const) expect(tokens.size(table)).toBe(0);
    } finally {
      await m.close();
    }
  });
});

describe('reset to the fixtures', () => {
  it('--reset forgets API writes, clients and tokens but keeps the signing key', async () => {
    const file = join(dir, 'reset.json');
    const first = await startTestMock({ dataFile: file, autoApprove: 'dev' });
    const client = await register(first.url);
    const { code, verifier } = await autoApprovedCode(first.url, { scope: 'project:read project:write' });
    const tokens = await (await exchange(first.url, code, verifier)).json();
    const created = await fetch(`${first.url}/api/dev/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ project_handle: 'scratch', name: 'Scratch' }),
    });
    expect(created.status).toBe(201);
    const kid = (await (await fetch(`${first.url}/.well-known/jwks.json`)).json()).keys[0].kid;
    await first.close();

    const kept = await startTestMock({ dataFile: file });
    expect(kept.mock.store.data.world!.projects.some((p) => p.handle === 'scratch')).toBe(true);
    await kept.close();

    const reset = await startTestMock({ dataFile: file, reset: true });
    try {
      expect(reset.mock.store.data.world!.projects.some((p) => p.handle === 'scratch')).toBe(false);
      expect(reset.mock.clients.find(client.client_id)).toBeUndefined();
      const api = await fetch(`${reset.url}/api/dev/projects`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(api.status).toBe(401);
      const jwks = await (await fetch(`${reset.url}/.well-known/jwks.json`)).json();
      expect(jwks.keys[0].kid).toBe(kid);
    } finally {
      await reset.close();
    }
  });

  it('re-seeds the API data when the fixtures changed since the store was written', async () => {
    const file = join(dir, 'reseed.json');
    const first = await startTestMock({ dataFile: file });
    const localEdit = { ...first.mock.store.data.world!.projects[0]!, id: 'local-edit', handle: 'local-edit' };
    first.mock.store.data.world!.projects.push(localEdit);
    first.mock.store.recordChanged('projects', localEdit);
    await first.close();
    const onDisk = await readStore(file);
    onDisk.world.fixturesHash = 'older-fixtures';
    await writeFile(file, JSON.stringify(onDisk));
    const second = await startTestMock({ dataFile: file });
    try {
      expect(second.mock.store.data.world!.projects.some((p) => p.handle === 'local-edit')).toBe(false);
      expect(second.logs).toEqual(['The fixtures changed since the store was seeded: API data was reset to the new fixtures.']);
    } finally {
      await second.close();
    }
  });

  it('opens a store written before the world had models, and re-seeds it with the fixtures\' models', async () => {
    const file = join(dir, 'no-models.json');
    const first = await startTestMock({ dataFile: file });
    await first.close();
    const onDisk = await readStore(file);
    delete onDisk.world.models;
    onDisk.world.fixturesHash = 'fixtures-before-models';
    await writeFile(file, JSON.stringify(onDisk));
    const second = await startTestMock({ dataFile: file });
    try {
      expect(second.mock.store.data.world!.models.map((m) => m.handle)).toContain('local-codex');
      expect(second.logs).toEqual(['The fixtures changed since the store was seeded: API data was reset to the new fixtures.']);
    } finally {
      await second.close();
    }
  });

  it('still refuses a world whose models section is not a list', async () => {
    const file = join(dir, 'bad-models.json');
    const first = await startTestMock({ dataFile: file });
    await first.close();
    const onDisk = await readStore(file);
    onDisk.world.models = {};
    await writeFile(file, JSON.stringify(onDisk));
    await expect(startTestMock({ dataFile: file })).rejects.toThrow(/invalid "world.models" section/);
  });
});
