// boruta's per-client id_token keys (reference 5.8): every client has its own RSA-1024 key pair and
// signs id_tokens with RS512; the kid is derived from the private key's PEM. The real server
// publishes none of these keys, so they live in memory only (a restart gives each client a new one).
import { createHash, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export interface ClientKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** boruta's Client.Crypto.kid_from_private_key: the first 17 characters of base64(MD5(PEM)). */
export function kidFromPrivatePem(pem: string): string {
  return createHash('md5').update(pem).digest('base64').slice(0, 17);
}

export interface ClientKeys {
  keyFor(clientId: string): Promise<ClientKey>;
}

export function createClientKeys(): ClientKeys {
  const keys = new Map<string, Promise<ClientKey>>();
  return {
    keyFor(clientId) {
      let key = keys.get(clientId);
      if (!key) {
        key = generate('rsa', { modulusLength: 1024 }).then(({ privateKey, publicKey }) => ({
          kid: kidFromPrivatePem(privateKey.export({ format: 'pem', type: 'pkcs1' }) as string),
          privateKey,
          publicKey,
        }));
        keys.set(clientId, key);
      }
      return key;
    },
  };
}
