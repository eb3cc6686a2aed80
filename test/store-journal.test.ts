import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { appendFile, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError, openStore } from '../src/store/store.js';
import { MAX_PAIRS_PER_GRANT } from '../src/store/token-tables.js';
import { DEMO, autoApprovedCode, exchange, postForm, startTestMock, type TestMock } from './helpers/mock.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glossia-mock-journal-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const INVALID_REFRESH = { error: 'invalid_grant', error_description: 'Given refresh token is invalid, revoked, or expired.' };

async function flow(m: TestMock): Promise<{ access_token: string; refresh_token: string }> {
  const { code, verifier } = await autoApprovedCode(m.url, { scope: 'project:read' });
  const res = await exchange(m.url, code, verifier);
  expect(res.status).toBe(200);
  return res.json();
}

const refresh = (m: TestMock, token: string) =>
  postForm(`${m.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: token, client_id: DEMO.clientId, client_secret: DEMO.secret });

const apiStatus = async (m: TestMock, accessToken: string) =>
  (await fetch(`${m.url}/api/projects`, { headers: { authorization: `Bearer ${accessToken}` } })).status;

/** A mock on `file` that has run one flow and stopped; the flow's tokens. */
async function oneFlowOn(file: string) {
  const m = await startTestMock({ dataFile: file, autoApprove: 'dev' });
  try {
    return await flow(m);
  } finally {
    await m.close();
  }
}

describe('the token journal', () => {
  it('skips a torn last record with a warning and keeps every complete one', async () => {
    const file = join(dir, 'torn.json');
    const journal = join(dir, 'torn.tokens.jsonl');
    const tokens = await oneFlowOn(file);
    await appendFile(journal, '["accessTokens",{"key":"half-writ');
    const m = await startTestMock({ dataFile: file });
    try {
      expect(m.logs).toEqual([`The token journal ${journal} ends in an incomplete record (the process was killed while writing it); that record was skipped.`]);
      expect(await apiStatus(m, tokens.access_token)).toBe(200);
      expect((await refresh(m, tokens.refresh_token)).status).toBe(200);
    } finally {
      await m.close();
    }
    expect(await readFile(journal, 'utf8')).not.toContain('half-writ');
    const again = await startTestMock({ dataFile: file });
    expect(again.logs).toEqual([]);
    await again.close();
  });

  it('refuses to start on any other damage and leaves the journal untouched', async () => {
    const file = join(dir, 'damaged.json');
    const journal = join(dir, 'damaged.tokens.jsonl');
    await oneFlowOn(file);
    const lines = (await readFile(journal, 'utf8')).split('\n');
    const damaged = [lines[0], '["accessTokens",{"key":42}]', ...lines.slice(1)].join('\n');
    await writeFile(journal, damaged);
    const failure = startTestMock({ dataFile: file });
    await expect(failure).rejects.toThrow(StoreError);
    await expect(failure).rejects.toThrow(`The token journal ${journal} has an invalid record on line 2.`);
    expect(await readFile(journal, 'utf8')).toBe(damaged);
    await writeFile(journal, 'not a journal\n');
    await expect(startTestMock({ dataFile: file })).rejects.toThrow(/does not start with the journal header/);
  });

  it('moves the token sections of a file written before the journal into it', async () => {
    const file = join(dir, 'legacy.json');
    const journal = join(dir, 'legacy.tokens.jsonl');
    const tokens = await oneFlowOn(file);
    const doc = JSON.parse(await readFile(file, 'utf8'));
    for (const line of (await readFile(journal, 'utf8')).trimEnd().split('\n').slice(1)) {
      const [table, { key, ...record }] = JSON.parse(line);
      (doc[table] ??= {})[key] = record;
    }
    await unlink(journal);
    await writeFile(file, JSON.stringify(doc));
    const m = await startTestMock({ dataFile: file });
    try {
      expect(await apiStatus(m, tokens.access_token)).toBe(200);
      expect((await refresh(m, tokens.refresh_token)).status).toBe(200);
      expect(JSON.parse(await readFile(file, 'utf8'))).not.toHaveProperty('refreshTokens');
    } finally {
      await m.close();
    }
    const again = await startTestMock({ dataFile: file });
    try {
      expect(await apiStatus(again, tokens.access_token)).toBe(200);
    } finally {
      await again.close();
    }
  });

  it('replays a journal of many chunks in order, and names the line of a damaged record deep inside it', async () => {
    const file = join(dir, 'long.json');
    const journal = join(dir, 'long.tokens.jsonl');
    const store = await openStore(file, { log: () => undefined });
    const grant = (key: string, scope: string) => ({ key, clientId: 'c', userId: 'u', scope, createdAt: 0, revokedAt: null, expiresAt: 4_000_000_000 });
    for (let i = 0; i < 3_000; i++) store.tokens.put('grants', grant(`g${i}`, 'first'));
    await store.settled();
    for (let i = 0; i < 3_000; i += 2) store.tokens.put('grants', grant(`g${i}`, 'second'));
    store.tokens.delete('grants', 'g2999');
    await store.close();
    const text = await readFile(journal, 'utf8');
    expect(text.length).toBeGreaterThan(4 * 64 * 1024);
    const reopened = await openStore(file);
    try {
      expect(reopened.tokens.size('grants')).toBe(2_999);
      expect(reopened.tokens.get('grants', 'g0')?.scope).toBe('second');
      expect(reopened.tokens.get('grants', 'g1')?.scope).toBe('first');
      expect(reopened.tokens.get('grants', 'g2999')).toBeUndefined();
    } finally {
      await reopened.close();
    }
    const lines = text.split('\n');
    // Two records on one line, an empty line, a line that is JSON but no record.
    for (const bad of ['["grants","g1"],["grants","g3"]', '', '{"grants":1}']) {
      const damaged = [...lines.slice(0, 2_500), bad, ...lines.slice(2_500)].join('\n');
      await writeFile(journal, damaged);
      await expect(openStore(file)).rejects.toThrow(`The token journal ${journal} has an invalid record on line 2501.`);
      expect(await readFile(journal, 'utf8')).toBe(damaged);
    }
  });

  it('compacts to one line per live record, keeping what changed while it ran', async () => {
    const file = join(dir, 'compact.json');
    const store = await openStore(file, { log: () => undefined });
    const housekeeping: unknown[] = [];
    const seen = (message: unknown) => housekeeping.push(message);
    subscribe('glossia-mock:housekeeping', seen);
    const grant = (key: string, expiresAt: number) => ({ key, clientId: 'c', userId: 'u', scope: 's', createdAt: 0, revokedAt: null, expiresAt });
    for (let i = 0; i < 600; i++) store.tokens.put('grants', grant(`g${i}`, i < 500 ? 10 : 99));
    await store.settled();
    expect(await store.purge(50)).toBe(500);
    await store.settled();
    const compaction = store.compact();
    store.tokens.put('grants', grant('late', 99));
    store.tokens.delete('grants', 'g599');
    await compaction;
    await store.close();
    unsubscribe('glossia-mock:housekeeping', seen);
    // What `npm run soak` reports: each task, with the longest stretch a request could wait behind it.
    expect(housekeeping).toEqual([
      { kind: 'purge', records: 500, ms: expect.any(Number), longestSliceMs: expect.any(Number), longestSliceCpuMs: expect.any(Number) },
      { kind: 'compaction', records: 100, ms: expect.any(Number), longestSliceMs: expect.any(Number), longestSliceCpuMs: expect.any(Number) },
    ]);
    const lines = (await readFile(join(dir, 'compact.tokens.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines.length).toBeLessThan(110);
    const reopened = await openStore(file);
    try {
      expect(reopened.tokens.size('grants')).toBe(100);
      expect(reopened.tokens.get('grants', 'late')).toBeDefined();
      expect(reopened.tokens.get('grants', 'g599')).toBeUndefined();
    } finally {
      await reopened.close();
    }
  });

  it('finishes a compaction while grants keep coming and the oldest are evicted', async () => {
    const file = join(dir, 'busy.json');
    const store = await openStore(file, { maxGrants: 2_000, log: () => undefined });
    let n = 0;
    const grant = () => ({ key: `g${n++}`, clientId: 'c', userId: 'u', scope: 's', createdAt: 0, revokedAt: null, expiresAt: 99 });
    for (let i = 0; i < 2_000; i++) store.tokens.put('grants', grant());
    let done = false;
    const compaction = store.compact().then(() => (done = true));
    // Faster than the compaction writes chunks: a compaction that followed the Map would never end.
    for (let turn = 0; turn < 200 && !done; turn++) {
      for (let i = 0; i < 1_000; i++) store.tokens.put('grants', grant());
      await store.settled();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(done).toBe(true);
    await compaction;
    await store.close();
    const reopened = await openStore(file, { maxGrants: 2_000 });
    try {
      expect(reopened.tokens.size('grants')).toBe(2_000);
      expect(reopened.tokens.get('grants', `g${n - 1}`)).toBeDefined();
    } finally {
      await reopened.close();
    }
  });
});

describe('bounded memory', () => {
  it('evicts the oldest grant beyond --max-grants, answers its tokens like expired ones, and says so once', async () => {
    const m = await startTestMock({ autoApprove: 'dev', maxGrants: 2 });
    try {
      const first = await flow(m);
      const second = await flow(m);
      await flow(m);
      await flow(m);
      expect(await refresh(m, first.refresh_token).then((r) => r.json())).toEqual(INVALID_REFRESH);
      expect(await apiStatus(m, first.access_token)).toBe(401);
      expect(await apiStatus(m, second.access_token)).toBe(401);
      expect(m.logs).toEqual([
        'More than 2 live grants: the oldest are evicted from now on, their codes and tokens answered like expired ones (--max-grants raises the cap).',
      ]);
      expect(m.mock.store.tokens.size('grants')).toBe(2);
    } finally {
      await m.close();
    }
  });

  it(`keeps a grant's newest ${MAX_PAIRS_PER_GRANT} token pairs as its refresh tokens rotate`, async () => {
    const m = await startTestMock({ autoApprove: 'dev' });
    try {
      const pairs = [await flow(m)];
      for (let i = 0; i < MAX_PAIRS_PER_GRANT; i++) {
        const res = await refresh(m, pairs.at(-1)!.refresh_token);
        expect(res.status).toBe(200);
        pairs.push(await res.json());
      }
      expect(await apiStatus(m, pairs[0]!.access_token)).toBe(401);
      expect(await apiStatus(m, pairs[1]!.access_token)).toBe(200);
      expect(await apiStatus(m, pairs.at(-1)!.access_token)).toBe(200);
      expect(m.mock.store.tokens.size('accessTokens')).toBe(MAX_PAIRS_PER_GRANT);
    } finally {
      await m.close();
    }
  });
});
