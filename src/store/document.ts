// The lowdb file: durable state (clients, Glossia's world data, signing keys, cookie secret),
// written whole and atomically (temporary file + rename). Each change reaches the change journal
// beside it first (changes.ts); the file itself is rewritten now and then (durable.ts): in the
// background in chunks between requests, or with lowdb's writer at once when the store closes.
// Token bookkeeping is not in it (see journal.ts), so its size follows the API data only.
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LowSync, MemorySync } from 'lowdb';
import { DataFileSync } from 'lowdb/node';
import { StoreError } from './errors.js';
import { documentPieces, documentText } from './sliced-json.js';
import { emptyStore, STORE_VERSION, type LegacyTokenSections, type StoreData } from './schema.js';
import { TABLES } from './token-tables.js';

const WORLD_LISTS = ['organizations', 'memberships', 'invitations', 'projects', 'voices', 'glossaries', 'accountTokens', 'oauthApps', 'models'] as const;
/**
 * Lists added to the world after its first release. A store file written before one existed lacks
 * it: that world is left for ensureWorld to re-seed (the fixtures hash changed with the same
 * release), so an older store file still opens instead of failing the shape check.
 */
const WORLD_LISTS_ADDED_LATER: readonly (typeof WORLD_LISTS)[number][] = ['models'];

const untouched = (file: string, why: string) =>
  new StoreError(`The store file ${file} ${why}. It was left untouched; move it aside or delete it to start fresh, or run with --in-memory.`);

const isMap = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);

/** The file's data, and the token sections of a file written before the token journal (to migrate). */
export function checkShape(value: unknown, file: string): { data: StoreData; legacy: LegacyTokenSections | null } {
  const fail = (why: string): never => {
    throw untouched(file, why);
  };
  if (!isMap(value)) fail('does not hold a JSON object');
  const { codes, grants, accessTokens, refreshTokens, deviceCodes, ...rest } = value as StoreData & LegacyTokenSections;
  const legacySections: LegacyTokenSections = { codes, grants, accessTokens, refreshTokens, deviceCodes };
  const data: StoreData = { ...emptyStore(), ...rest };
  if (data.version !== STORE_VERSION) fail(`has format version ${String(data.version)}, expected ${STORE_VERSION}`);
  if (!Number.isSafeInteger(data.appliedChanges) || data.appliedChanges < 0) fail('has an invalid "appliedChanges" number');
  if (!isMap(data.clients)) fail('has an invalid "clients" section');
  let legacy: LegacyTokenSections | null = null;
  for (const table of TABLES) {
    const section = legacySections[table];
    if (section === undefined) continue;
    if (!isMap(section)) fail(`has an invalid "${table}" section`);
    legacy = legacySections;
  }
  if (!Array.isArray(data.signingKeys)) fail('has an invalid "signingKeys" section');
  const world = data.world as unknown;
  if (world !== null && !isMap(world)) fail('has an invalid "world" section');
  if (world) {
    const lists = world as Record<string, unknown>;
    for (const key of WORLD_LISTS) {
      if (lists[key] === undefined && WORLD_LISTS_ADDED_LATER.includes(key)) lists[key] = [];
      if (!Array.isArray(lists[key])) fail(`has an invalid "world.${key}" section`);
    }
  }
  return { data, legacy };
}

/** Indented by one space, one line per record (sliced-json.ts): readable in a diff. */
export const stringifyDocument = (data: StoreData): string => documentText(data as unknown as Record<string, unknown>);

/** A background rewrite hands a chunk to the file system after this much serialising, or this much text. */
const SLICE_MS = 4;
const CHUNK_CHARS = 1 << 20;

export interface Document {
  readonly data: StoreData;
  /** Token sections found in a file written before the token journal, once. */
  readonly legacy: LegacyTokenSections | null;
  /** Returns once the file is written (to the operating system). */
  write(): void;
  /**
   * Takes a snapshot of the data now (synchronously: the lists as they are) and writes it without
   * blocking the event loop, each chunk's write awaited through `yieldTo`; resolves with its size
   * once the file is replaced. One at a time, and none with `write`.
   */
  writeInBackground(yieldTo: <T>(work: Promise<T>) => Promise<T>): Promise<number>;
}

export async function openDocument(file: string | null): Promise<Document> {
  if (file === null) {
    const db = new LowSync<StoreData>(new MemorySync<StoreData>(), emptyStore());
    return { data: db.data, legacy: null, write: () => undefined, writeInBackground: () => Promise.resolve(0) };
  }
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (err) {
    throw new StoreError(`Cannot create the folder for the store file ${file}: ${(err as Error).message}`);
  }
  const adapter = new DataFileSync<StoreData>(file, {
    parse: (text) => {
      try {
        return JSON.parse(text) as StoreData;
      } catch (err) {
        throw untouched(file, `is not valid JSON (${(err as Error).message})`);
      }
    },
    stringify: stringifyDocument,
  });
  const db = new LowSync<StoreData>(adapter, emptyStore());
  try {
    db.read();
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(`Cannot read the store file ${file}: ${(err as Error).message}`);
  }
  const { data, legacy } = checkShape(db.data, file);
  db.data = data;
  return {
    data,
    legacy,
    write() {
      try {
        db.write();
      } catch (err) {
        throw new StoreError(`Cannot write the store file ${file}: ${(err as Error).message}`);
      }
    },
    writeInBackground: (yieldTo) => writeInChunks(file, documentPieces(data as unknown as Record<string, unknown>), yieldTo),
  };
}

/**
 * Writes `pieces` to a temporary file in chunks, each written while the event loop serves requests,
 * then renames it over `file` (as lowdb does). Resolves with the file's size.
 */
async function writeInChunks(file: string, pieces: Iterable<string>, yieldTo: <T>(work: Promise<T>) => Promise<T>): Promise<number> {
  const tmp = `${file}.checkpoint.tmp`;
  let size = 0;
  try {
    const handle = await yieldTo(open(tmp, 'w'));
    try {
      let chunk = '';
      let n = 0;
      let start = performance.now();
      for (const piece of pieces) {
        chunk += piece;
        if (++n % 64 !== 0 || (chunk.length < CHUNK_CHARS && performance.now() - start < SLICE_MS)) continue;
        size += (await yieldTo(handle.write(chunk))).bytesWritten;
        chunk = '';
        start = performance.now();
      }
      size += (await yieldTo(handle.write(chunk))).bytesWritten;
    } finally {
      await yieldTo(handle.close());
    }
    await yieldTo(rename(tmp, file));
    return size;
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new StoreError(`Cannot write the store file ${file}: ${(err as Error).message}`);
  }
}
