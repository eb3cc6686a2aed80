// The RS256 signing key. A store on disk keeps its own key, so a restarted mock still verifies the
// tokens it issued. In-memory stores (startGlossiaMock without dataFile, --in-memory) take the
// process's shared key unless asked for their own: RSA-2048 generation costs 50-500 ms of CPU,
// which a suite that starts a mock per test file would otherwise pay for every one (the shared key
// is also kept for the next process: key-cache.ts). Every key is generated on this machine when
// first needed; none ships with the package. Generation runs on
// the thread pool and never delays listening: the first signer awaits it.
import { createPrivateKey, generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { JWK } from 'jose';
import type { Store } from '../store/store.js';
import type { StoredKey } from '../store/schema.js';
import { rsaThumbprint } from './jwt.js';
import { keyCachePath, readCachedKey, writeCachedKey } from './key-cache.js';

const generate = promisify(generateKeyPair);

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

export interface KeyRing {
  /** Starts generating a key if the store has none; safe to call many times. */
  warm(): void;
  /** The store is closing: a key still being generated is not written to it. */
  close(): void;
  signingKey(): Promise<SigningKey>;
  jwks(): Promise<{ keys: JWK[] }>;
  /** jwks() serialised, reused until the key list changes. */
  jwksJson(): Promise<string>;
}

/** 'shared': the process's key (in-memory stores only); 'own': generated for this store. */
export type KeySource = 'shared' | 'own';

async function generateKey(now: number): Promise<StoredKey> {
  const { privateKey } = await generate('rsa', { modulusLength: 2048 });
  const privateJwk = privateKey.export({ format: 'jwk' }) as JsonWebKey;
  const { kty, n, e } = privateJwk;
  const kid = rsaThumbprint({ n, e });
  return { kid, alg: 'RS256', privateJwk: privateJwk as JWK, publicJwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' } as JWK, createdAt: now };
}

let shared: Promise<StoredKey> | null = null;

/**
 * The process's shared key: the one kept by an earlier process (key-cache.ts) or one generated on
 * first call and kept for the next (a failed generation is retried next time).
 */
export function sharedKey(now: () => number = () => Math.floor(Date.now() / 1000)): Promise<StoredKey> {
  if (!shared) {
    const cache = keyCachePath();
    const kept = cache === null ? null : readCachedKey(cache, now());
    shared = kept
      ? Promise.resolve(kept)
      : generateKey(now()).then((key) => {
          if (cache !== null) writeCachedKey(cache, key);
          return key;
        });
    shared.catch(() => {
      shared = null;
    });
  }
  return shared;
}

export function createKeyRing(store: Store, now: () => number, source: KeySource = 'own'): KeyRing {
  let pending: Promise<StoredKey> | null = null;
  let current: SigningKey | null = null;
  let closed = false;
  let serialised: { list: StoredKey[]; count: number; json: string } | null = null;

  const stored = (): Promise<StoredKey> => {
    const existing = store.data.signingKeys.at(-1);
    if (existing) return Promise.resolve(existing);
    pending ??= (async () => {
      const key = source === 'shared' ? { ...(await sharedKey(now)) } : await generateKey(now());
      // Generation outlived the instance (a quick start and stop): writing now would recreate the
      // store file after close(), under a caller that may be deleting its folder.
      if (closed) return key;
      store.data.signingKeys.push(key);
      store.recordChanged('signingKeys', key);
      await store.settled();
      return key;
    })();
    pending.catch(() => {
      pending = null;
    });
    return pending;
  };

  return {
    warm() {
      stored().catch(() => undefined);
    },
    close() {
      closed = true;
    },
    async signingKey() {
      if (current) return current;
      const key = await stored();
      current = { kid: key.kid, privateKey: createPrivateKey({ key: key.privateJwk as JsonWebKey, format: 'jwk' }) };
      return current;
    },
    async jwks() {
      await stored();
      return { keys: store.data.signingKeys.map((k) => k.publicJwk) };
    },
    async jwksJson() {
      await stored();
      const list = store.data.signingKeys;
      if (serialised?.list !== list || serialised.count !== list.length)
        serialised = { list, count: list.length, json: JSON.stringify({ keys: list.map((k) => k.publicJwk) }) };
      return serialised.json;
    },
  };
}
