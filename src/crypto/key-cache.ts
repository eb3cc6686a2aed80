// The process's shared key, kept between processes. A test runner starts a process per test file
// (vitest's forks, jest's workers), and each would otherwise wait 50-500 ms for a fresh RSA-2048
// key before its first token. The key is generated on this machine, like every key, and kept in a
// folder only this user can read, the way a store file on disk keeps its key; it is replaced after
// a day. GLOSSIA_MOCK_KEY_CACHE names another file, or `off` to generate a key in every process.
import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { StoredKey } from '../store/schema.js';

/** A kept key older than this is replaced by a fresh one. */
export const KEY_CACHE_MAX_AGE_S = 24 * 60 * 60;

/** The cache file, or null when caching is off. */
export function keyCachePath(env: NodeJS.ProcessEnv = process.env): string | null {
  const setting = env['GLOSSIA_MOCK_KEY_CACHE']?.trim();
  if (setting === 'off' || setting === '0' || setting === 'false') return null;
  if (setting) return setting;
  let user: string;
  try {
    user = String(userInfo().uid);
  } catch {
    return null;
  }
  return join(tmpdir(), `glossia-mock-${user}`, 'shared-signing-key.json');
}

/** The folder is ours and closed to others: otherwise someone else could have planted the key. */
function folderIsPrivate(folder: string): boolean {
  const st = lstatSync(folder);
  const uid = process.getuid?.();
  return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0;
}

function isStoredKey(v: unknown): v is StoredKey {
  const k = v as Partial<StoredKey> | null;
  return (
    !!k &&
    typeof k === 'object' &&
    k.alg === 'RS256' &&
    typeof k.kid === 'string' &&
    typeof k.createdAt === 'number' &&
    k.privateJwk?.kty === 'RSA' &&
    typeof k.privateJwk.d === 'string' &&
    k.publicJwk?.kty === 'RSA'
  );
}

/** The kept key if there is a usable one (fresh, well formed, in a private folder); never throws. */
export function readCachedKey(path: string, now: number): StoredKey | null {
  try {
    if (!folderIsPrivate(dirname(path))) return null;
    const key: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isStoredKey(key) || key.createdAt > now || now - key.createdAt > KEY_CACHE_MAX_AGE_S) return null;
    return key;
  } catch {
    return null;
  }
}

/** Keeps `key` for the next process (atomically: concurrent writers each leave a whole file); never throws. */
export function writeCachedKey(path: string, key: StoredKey): void {
  try {
    const folder = dirname(path);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!folderIsPrivate(folder)) return;
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(key), { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written only costs the next process a key generation.
  }
}
