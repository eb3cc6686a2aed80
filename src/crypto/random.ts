// Token material. Every secret the mock hands out comes from here so that the alphabet, length
// and entropy match Glossia's (86 alphanumerics = 512 bits) and lookups never store raw values.
import { hash, randomBytes, randomFillSync, randomUUID, timingSafeEqual } from 'node:crypto';

const ALNUM = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'latin1');

// Random bytes are drawn from a pool refilled 4 KiB at a time, as Node's randomUUID does: one call
// into OpenSSL per ~40 tokens instead of one (and a new Buffer) per token.
const pool = Buffer.alloc(4096);
let poolUsed = pool.length;

function randomByte(): number {
  if (poolUsed === pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  return pool[poolUsed++]!;
}

/** Uniformly random alphanumeric string (rejection sampling keeps it unbiased). */
export function randomAlnum(length = 86): string {
  const chars = Buffer.allocUnsafe(length);
  for (let n = 0; n < length; ) {
    const byte = randomByte();
    if (byte < 248) chars[n++] = ALNUM[byte % 62]!;
  }
  return chars.toString('latin1');
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

// crypto.hash, not createHash: one call instead of a Hash object per digest (~3x cheaper).
export function sha256(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

let lastValue: string | null = null;
let lastKey = '';

/** Store key for a token: never keep the bearer value itself on disk. */
export function tokenKey(value: string): string {
  // One request looks its token up two or three times (journal, fault rules, the check itself).
  if (value !== lastValue) {
    lastKey = hash('sha256', value, 'base64url');
    lastValue = value;
  }
  return lastKey;
}

/** Constant-time comparison that also hides the length of the expected secret. */
export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected)) && given.length === expected.length;
}

/** Store key of an account token `glsa_…`: SHA-256 hex, as Glossia keeps it. */
export const accountTokenHash = (plain: string): string => hash('sha256', plain, 'hex');

/** PKCE S256 transform (RFC 7636 4.2). */
export function s256(verifier: string): string {
  return hash('sha256', verifier, 'base64url');
}
