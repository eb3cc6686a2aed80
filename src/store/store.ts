// The one place that owns persistence. lowdb keeps everything in memory and rewrites the whole file
// on write, so writes are split in two kinds: `persistNow` (registrations, before the response) and
// `persistSoon` (code/token bookkeeping, coalesced into one write a few ms later).
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low, Memory } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { emptyStore, STORE_VERSION, type StoreData } from './schema.js';

export class StoreError extends Error {}

const COALESCE_MS = 20;

export interface Store {
  readonly data: StoreData;
  readonly file: string | null;
  persistNow(): Promise<void>;
  persistSoon(): void;
  /** Removes codes and tokens that can no longer be used by anyone. */
  purge(now: number): number;
  close(): Promise<void>;
}

const WORLD_LISTS = ['organizations', 'memberships', 'invitations', 'projects', 'voices', 'glossaries', 'accountTokens', 'oauthApps', 'models'] as const;
/**
 * Lists added to the world after its first release. A store file written before one existed lacks
 * it: that world is left for ensureWorld to re-seed (the fixtures hash changed with the same
 * release), so an older store file still opens instead of failing the shape check.
 */
const WORLD_LISTS_ADDED_LATER: readonly (typeof WORLD_LISTS)[number][] = ['models'];
const RECORD_MAPS = ['clients', 'codes', 'grants', 'accessTokens', 'refreshTokens', 'deviceCodes'] as const;

function checkShape(value: unknown, file: string): StoreData {
  const fail = (why: string): never => {
    throw new StoreError(
      `The store file ${file} ${why}. It was left untouched; move it aside or delete it to start fresh, or run with --in-memory.`,
    );
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('does not hold a JSON object');
  const data = { ...emptyStore(), ...(value as Partial<StoreData>) };
  if (data.version !== STORE_VERSION) fail(`has format version ${String(data.version)}, expected ${STORE_VERSION}`);
  for (const key of RECORD_MAPS) {
    const map = data[key];
    if (!map || typeof map !== 'object' || Array.isArray(map)) fail(`has an invalid "${key}" section`);
  }
  if (!Array.isArray(data.signingKeys)) fail('has an invalid "signingKeys" section');
  const world = data.world as unknown;
  if (world !== null && (typeof world !== 'object' || Array.isArray(world))) fail('has an invalid "world" section');
  if (world) {
    const lists = world as Record<string, unknown>;
    for (const key of WORLD_LISTS) {
      if (lists[key] === undefined && WORLD_LISTS_ADDED_LATER.includes(key)) lists[key] = [];
      if (!Array.isArray(lists[key])) fail(`has an invalid "world.${key}" section`);
    }
  }
  return data;
}

export async function openStore(file: string | null): Promise<Store> {
  let db: Low<StoreData>;
  if (file === null) {
    db = new Low<StoreData>(new Memory<StoreData>(), emptyStore());
  } else {
    try {
      await mkdir(dirname(file), { recursive: true });
    } catch (err) {
      throw new StoreError(`Cannot create the folder for the store file ${file}: ${(err as Error).message}`);
    }
    const adapter = new DataFile<StoreData>(file, {
      parse: (text) => {
        try {
          return JSON.parse(text) as StoreData;
        } catch (err) {
          throw new StoreError(
            `The store file ${file} is not valid JSON (${(err as Error).message}). It was left untouched; move it aside or delete it to start fresh, or run with --in-memory.`,
          );
        }
      },
      stringify: (data) => JSON.stringify(data, null, 1),
    });
    db = new Low<StoreData>(adapter, emptyStore());
  }
  try {
    await db.read();
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(`Cannot read the store file ${file}: ${(err as Error).message}`);
  }
  db.data = file === null ? emptyStore() : checkShape(db.data, file);

  let timer: NodeJS.Timeout | null = null;
  let dirty = false;
  const write = async () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (file === null) return;
    dirty = false;
    try {
      // steno serialises overlapping writes and always ends with the newest data.
      await db.write();
    } catch (err) {
      dirty = true;
      throw new StoreError(`Cannot write the store file ${file}: ${(err as Error).message}`);
    }
  };
  let lastWrite: Promise<void> = Promise.resolve();

  return {
    get data() {
      return db.data;
    },
    file,
    persistNow() {
      lastWrite = write();
      return lastWrite;
    },
    persistSoon() {
      if (file === null) return;
      dirty = true;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        lastWrite = write().catch((err: Error) => process.emitWarning(err.message));
      }, COALESCE_MS);
    },
    purge(now) {
      const d = db.data;
      let removed = 0;
      const drop = <T>(map: Record<string, T>, dead: (r: T) => boolean) => {
        for (const [k, r] of Object.entries(map)) {
          if (dead(r)) {
            delete map[k];
            removed++;
          }
        }
      };
      // Used codes are kept until they expire so that a replay is still recognised as one.
      drop(d.codes, (c) => c.expiresAt < now);
      drop(d.accessTokens, (t) => t.expiresAt < now);
      drop(d.refreshTokens, (t) => t.expiresAt < now);
      drop(d.grants, (g) => g.expiresAt < now);
      drop(d.deviceCodes, (c) => c.expiresAt < now);
      return removed;
    },
    async close() {
      if (timer || dirty) lastWrite = write();
      await lastWrite;
    },
  };
}
