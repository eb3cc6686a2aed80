// The change journal beside db.json (src/store/changes.ts, durable.ts): what a kill leaves (db.json
// from the last checkpoint plus the journal) opens to exactly the state the killed process had, a
// torn last line is skipped with a warning, other damage stops the server and leaves the files as
// they are, and a checkpoint keeps what changed while it ran.
import { appendFile, copyFile, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesPathFor } from '../src/store/changes.js';
import type { ProjectRecord, StoreData, StoredClient } from '../src/store/schema.js';
import { openStore, StoreError, type Store } from '../src/store/store.js';
import { startTestMock, type TestMock } from './helpers/mock.js';
import { accessToken } from './helpers/tokens.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glossia-mock-changes-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Only explicit checkpoints: what is on disk does not depend on how fast the machine is. */
const NO_BACKGROUND = { checkpointMinBytes: Infinity, checkpointQuietMs: Infinity, log: () => undefined };

const project = (n: number): ProjectRecord => ({
  id: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  account: 'dev',
  handle: `replayed-${n}`,
  name: `Replayed ${n}`,
  description: null,
  github_repo_full_name: null,
  setup_status: null,
  inserted_at: '2026-01-01T00:00:00.000000Z',
});

const client = (n: number): StoredClient => ({
  client_id: `client-${n}`,
  client_secret: 'secret',
  client_name: `Client ${n}`,
  redirect_uris: ['http://localhost:9999/cb'],
  grant_types: ['authorization_code'],
  token_endpoint_auth_method: null,
  registered_auth_method: 'client_secret_basic',
  created_at: 0,
  source: 'registration',
});

/**
 * A store seeded by the mock, then changed by `change` and "killed": copies of its db.json and
 * change journal as they were before any checkpoint after the changes. Returns the copy's path and
 * the state the killed process had.
 */
async function killedAfter(name: string, change: (store: Store) => void): Promise<{ file: string; journal: string; live: StoreData }> {
  const seeded = join(dir, `${name}-live.json`);
  await (await startTestMock({ dataFile: seeded })).close();
  const store = await openStore(seeded, NO_BACKGROUND);
  try {
    change(store);
    await store.settled();
    const file = join(dir, `${name}.json`);
    const journal = changesPathFor(file);
    await copyFile(changesPathFor(seeded), journal);
    await copyFile(seeded, file);
    return { file, journal, live: structuredClone(store.data) };
  } finally {
    await store.close();
  }
}

/** Adds two projects, changes one record in place, removes another, registers a client and removes a second one. */
function someChanges(store: Store) {
  const world = store.data.world!;
  for (const p of [project(1), project(2)]) {
    world.projects.push(p);
    store.recordChanged('projects', p);
  }
  const acme = world.organizations.find((o) => o.handle === 'acme')!;
  acme.name = 'Acme (renamed)';
  store.recordChanged('organizations', acme);
  const [gone] = world.projects.splice(0, 1);
  store.recordRemoved('projects', gone!);
  for (const c of [client(1), client(2)]) {
    store.data.clients[c.client_id] = c;
    store.recordChanged('clients', c);
  }
  delete store.data.clients['client-2'];
  store.recordRemoved('clients', client(2));
}

async function projectHandles(m: TestMock): Promise<string[]> {
  const token = await accessToken(m, 'project:read', 'dev');
  const res = await fetch(`${m.url}/api/dev/projects?page_size=1000`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { projects: { handle: string }[] }).projects.map((p) => p.handle);
}

describe('the change journal', () => {
  it('opens what a kill left (db.json from before the changes, the journal after) to the state the process had', async () => {
    const { file, journal, live } = await killedAfter('replay', someChanges);
    // The changes are only in the journal: db.json is the seeded world.
    expect(await readFile(file, 'utf8')).not.toContain('replayed-1');
    expect((await readFile(journal, 'utf8')).trimEnd().split('\n')).toHaveLength(1 + 6);
    const m = await startTestMock({ dataFile: file, autoApprove: 'dev' });
    try {
      // Order included: lists answer in the order records were made.
      expect(m.mock.store.data.world).toEqual(live.world);
      expect(m.mock.store.data.clients).toEqual(live.clients);
      expect(await projectHandles(m)).toEqual(expect.arrayContaining(['replayed-1', 'replayed-2']));
      expect(m.logs).toEqual([]);
    } finally {
      await m.close();
    }
    // A clean stop leaves everything in db.json and an empty journal.
    expect(JSON.parse(await readFile(file, 'utf8')).world.projects.map((p: ProjectRecord) => p.handle)).toContain('replayed-2');
    expect(await readFile(journal, 'utf8')).toBe('{"glossiaMockChanges":1}\n');
  });

  it('skips a torn last line with a warning and keeps every complete one', async () => {
    const { file, journal, live } = await killedAfter('torn', someChanges);
    await appendFile(journal, '[8,"projects",{"id":"half-writ');
    const m = await startTestMock({ dataFile: file, autoApprove: 'dev' });
    try {
      expect(m.logs).toEqual([`The change journal ${journal} ends in an incomplete record (the process was killed while writing it); that record was skipped.`]);
      expect(m.mock.store.data.world).toEqual(live.world);
      expect(await projectHandles(m)).toContain('replayed-2');
    } finally {
      await m.close();
    }
    expect(await readFile(journal, 'utf8')).not.toContain('half-writ');
  });

  it('refuses to start on any other damage and leaves both files untouched', async () => {
    const { file, journal } = await killedAfter('damaged', someChanges);
    const document = await readFile(file, 'utf8');
    const lines = (await readFile(journal, 'utf8')).trimEnd().split('\n');
    const refused = async (text: string, message: string) => {
      await writeFile(journal, text);
      const failure = startTestMock({ dataFile: file });
      await expect(failure).rejects.toThrow(StoreError);
      await expect(failure).rejects.toThrow(message);
      expect(await readFile(journal, 'utf8')).toBe(text);
      expect(await readFile(file, 'utf8')).toBe(document);
    };
    const seq = (line: string) => JSON.parse(line)[0] as number;
    await refused([lines[0], lines[1], '[1,"projects",{"id":42}]', ...lines.slice(2)].join('\n') + '\n', `The change journal ${journal} has an invalid record on line 3.`);
    await refused([lines[0], '["projects",{}]', ...lines.slice(1)].join('\n') + '\n', 'has an invalid record on line 2');
    await refused([lines[0], '[1,"nonsense","x"]'].join('\n') + '\n', 'has an invalid record on line 2');
    const gap = [lines[0], lines[1], ...lines.slice(3)];
    await refused(gap.join('\n') + '\n', `skips from change ${seq(lines[1]!)} to ${seq(lines[3]!)} on line 3`);
    await refused('not a journal\n', 'does not start with the journal header');
    expect(await readFile(file, 'utf8')).toBe(document);
  });

  it('refuses a journal that does not continue its db.json (another store\'s, or an older db.json)', async () => {
    const { file, journal } = await killedAfter('mismatch', someChanges);
    const lines = (await readFile(journal, 'utf8')).trimEnd().split('\n');
    const first = JSON.parse(lines[1]!)[0] as number;
    await writeFile(journal, [lines[0], ...lines.slice(2)].join('\n') + '\n');
    await expect(startTestMock({ dataFile: file })).rejects.toThrow(
      `starts at change ${first + 1} but the store file holds changes up to ${first - 1} only (it is not this store file's journal)`,
    );
  });

  it('a checkpoint rewrites db.json without what changed while it ran, which the journal keeps', async () => {
    const file = join(dir, 'checkpoint.json');
    const store = await openStore(file, NO_BACKGROUND);
    for (let i = 0; i < 300; i++) {
      const c = client(i);
      store.data.clients[c.client_id] = c;
      store.recordChanged('clients', c);
    }
    await store.settled();
    const running = store.checkpoint();
    // After the snapshot (taken on the next turn), before the file is replaced.
    await new Promise((resolve) => setImmediate(resolve));
    const late = client(300);
    store.data.clients[late.client_id] = late;
    store.recordChanged('clients', late);
    await store.settled();
    await running;
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as StoreData;
    expect(Object.keys(onDisk.clients)).toHaveLength(300);
    const journal = (await readFile(changesPathFor(file), 'utf8')).trimEnd().split('\n');
    expect(journal.slice(1).map((l) => JSON.parse(l))).toEqual([[onDisk.appliedChanges + 1, 'clients', late]]);
    // Killed now (nothing closed): a restart has all 301.
    const copy = join(dir, 'checkpoint-copy.json');
    await copyFile(changesPathFor(file), changesPathFor(copy));
    await copyFile(file, copy);
    await store.close();
    const reopened = await openStore(copy, NO_BACKGROUND);
    try {
      expect(Object.keys(reopened.data.clients)).toHaveLength(301);
    } finally {
      await reopened.close();
    }
  });

  const addClient = async (store: Store, n: number) => {
    const c = client(n);
    store.data.clients[c.client_id] = c;
    store.recordChanged('clients', c);
    await store.settled();
  };
  const clientsOnDisk = async (file: string) =>
    Object.keys((JSON.parse(await readFile(file, 'utf8').catch(() => '{"clients":{}}')) as StoreData).clients).length;

  it('starts a checkpoint by itself once the journal outgrows its minimum (and half of db.json)', async () => {
    const file = join(dir, 'by-size.json');
    const store = await openStore(file, { ...NO_BACKGROUND, checkpointMinBytes: 10_000 });
    let n = 0;
    try {
      // Each client adds ~250 bytes of journal: about 40 of them start one.
      while ((await clientsOnDisk(file)) === 0 && n < 400) {
        await addClient(store, n++);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(n).toBeGreaterThan(30);
      expect(n).toBeLessThan(100);
    } finally {
      await store.close();
    }
    // Closed: db.json alone holds every client.
    await unlink(changesPathFor(file));
    expect(await clientsOnDisk(file)).toBe(n);
  });

  it('starts a checkpoint by itself after a quiet moment', async () => {
    const file = join(dir, 'by-quiet.json');
    const store = await openStore(file, { ...NO_BACKGROUND, checkpointQuietMs: 50 });
    try {
      for (let n = 0; n < 3; n++) await addClient(store, n);
      await expect.poll(() => clientsOnDisk(file), { timeout: 5_000 }).toBe(3);
      expect((await readFile(changesPathFor(file), 'utf8')).trimEnd().split('\n')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
