// The RS256 signing key. Generated once per store and kept there, so a restarted mock still
// verifies the tokens it issued. Generation (tens of ms) never blocks start-up: it runs in the
// background after listen, and the first signer awaits it.
import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { JWK } from 'jose';
import type { Store } from '../store/store.js';
import type { StoredKey } from '../store/schema.js';

const generate = promisify(generateKeyPair);

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

export interface KeyRing {
  /** Starts generating a key if the store has none; safe to call many times. */
  warm(): void;
  signingKey(): Promise<SigningKey>;
  jwks(): Promise<{ keys: JWK[] }>;
}

export function createKeyRing(store: Store, now: () => number): KeyRing {
  let pending: Promise<StoredKey> | null = null;
  let current: SigningKey | null = null;

  const stored = (): Promise<StoredKey> => {
    const existing = store.data.signingKeys.at(-1);
    if (existing) return Promise.resolve(existing);
    pending ??= (async () => {
      const { privateKey } = await generate('rsa', { modulusLength: 2048 });
      const privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
      const { kty, n, e } = privateJwk;
      const { calculateJwkThumbprint } = await import('jose');
      const kid = await calculateJwkThumbprint({ kty, n, e } as JWK);
      const key: StoredKey = {
        kid,
        alg: 'RS256',
        privateJwk,
        publicJwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' } as JWK,
        createdAt: now(),
      };
      store.data.signingKeys.push(key);
      await store.persistNow();
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
    async signingKey() {
      if (current) return current;
      const key = await stored();
      current = { kid: key.kid, privateKey: createPrivateKey({ key: key.privateJwk as never, format: 'jwk' }) };
      return current;
    },
    async jwks() {
      await stored();
      return { keys: store.data.signingKeys.map((k) => k.publicJwk) };
    },
  };
}
