// Token material. Every secret the mock hands out comes from here so that the alphabet, length
// and entropy match Glossia's (86 alphanumerics = 512 bits) and lookups never store raw values.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Uniformly random alphanumeric string (rejection sampling keeps it unbiased). */
export function randomAlnum(length = 86): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALNUM[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function randomBase64url(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function uuidv4(): string {
  const id = randomUUID();
  // Node builds the UUID as a tree of ~20 concatenated pieces (~490 bytes of heap); reading a
  // character makes V8 flatten it to one 36-byte string, which matters for ids kept per token.
  id.charCodeAt(0);
  return id;
}

/** UUID v7 (time-ordered), the format of Glossia's own record ids. */
export function uuidv7(ms: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

let lastValue: string | null = null;
let lastKey = '';

/** Store key for a token: never keep the bearer value itself on disk. */
export function tokenKey(value: string): string {
  // One request looks its token up two or three times (journal, fault rules, the check itself).
  if (value !== lastValue) {
    lastKey = sha256(value).toString('base64url');
    lastValue = value;
  }
  return lastKey;
}

/** Constant-time comparison that also hides the length of the expected secret. */
export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected)) && given.length === expected.length;
}

/** Store key of an account token `glsa_…`: SHA-256 hex, as Glossia keeps it. */
export const accountTokenHash = (plain: string): string => sha256(plain).toString('hex');

/** PKCE S256 transform (RFC 7636 4.2). */
export function s256(verifier: string): string {
  return sha256(verifier).toString('base64url');
}
