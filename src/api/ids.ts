// Record ids in paths, the way Glossia's id type (Uniq.UUID, an Ecto type) casts them for a query
// (reference 1.3): the hyphenated form, 32 hex digits, a 22-character URL-safe base64 slug, or any
// 16 bytes read as the raw UUID. An id that does not cast makes the real server's query raise,
// which Phoenix answers 400 {"errors":{"detail":"Bad Request"}}; one that casts but names no
// record is the controller's own 404.
import { JsonError } from '../http/errors.js';

const HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{32}$/i;
const SLUG = /^[A-Za-z0-9_-]{22}$/;

const hyphenate = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** Pure: the canonical (lower-case, hyphenated) UUID `raw` casts to, or null when it does not cast. */
export function castUuid(raw: string): string | null {
  if (HYPHENATED.test(raw)) return raw.toLowerCase();
  if (HEX.test(raw)) return hyphenate(raw.toLowerCase());
  const bytes = Buffer.from(raw, 'utf8');
  if (bytes.length === 16) return hyphenate(bytes.toString('hex'));
  if (SLUG.test(raw)) return hyphenate(Buffer.from(raw, 'base64url').toString('hex'));
  return null;
}

/** An id a handler looks a record up by: its canonical form, or Phoenix's 400 when it does not cast. */
export function queryId(raw: string): string {
  const id = castUuid(raw);
  if (id === null) throw new JsonError(400, { errors: { detail: 'Bad Request' } });
  return id;
}
