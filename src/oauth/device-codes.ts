// Device authorization records (RFC 8628, reference 7): a secret device_code for the device,
// a short user_code for the person, one status that the verification page moves along.
import { randomBytes } from 'node:crypto';
import { randomBase64url, tokenKey } from '../crypto/random.js';
import type { Mock } from '../mock.js';
import type { DeviceCodeRecord } from '../store/schema.js';

export const DEVICE_CODE_TTL = 900;
export const DEVICE_POLL_INTERVAL = 5;
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomUserCode(): string {
  let out = '';
  for (const byte of randomBytes(8)) out += USER_CODE_ALPHABET[byte % USER_CODE_ALPHABET.length];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/** Upper-case, strip everything but letters and digits; 8 left ⇒ `XXXX-XXXX`, else null. */
export function normaliseUserCode(input: string): string | null {
  const bare = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return bare.length === 8 ? `${bare.slice(0, 4)}-${bare.slice(4)}` : null;
}

export function createDeviceCode(mock: Mock, clientId: string, scope: string, approvedBy: string | null) {
  const codes = mock.store.tokens;
  const taken = new Set(Array.from(codes.values('deviceCodes'), (c) => c.userCode));
  let userCode = randomUserCode();
  for (let i = 0; taken.has(userCode) && i < 5; i++) userCode = randomUserCode();
  const deviceCode = randomBase64url(32);
  codes.put('deviceCodes', {
    key: tokenKey(deviceCode),
    userCode,
    clientId,
    scope,
    status: approvedBy ? 'approved' : 'pending',
    interval: DEVICE_POLL_INTERVAL,
    expiresAt: mock.clock.now() + DEVICE_CODE_TTL,
    lastPolledAt: null,
    userId: approvedBy,
  });
  return { deviceCode, userCode };
}

export function findByDeviceCode(mock: Mock, deviceCode: string): DeviceCodeRecord | undefined {
  return mock.store.tokens.get('deviceCodes', tokenKey(deviceCode));
}

export function findByUserCode(mock: Mock, userCode: string): DeviceCodeRecord | undefined {
  for (const c of mock.store.tokens.values('deviceCodes')) if (c.userCode === userCode) return c;
  return undefined;
}
