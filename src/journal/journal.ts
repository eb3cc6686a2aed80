// The request journal: a bounded, newest-first record of what clients did, with every secret cut
// to a prefix, and the requests of one grant (authorize → token → refresh → API) linked by `flow`.
import { isoMicros } from '../clock.js';

export interface JournalEntry {
  id: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number | 'dropped';
  duration_ms: number;
  client_id: string | null;
  /** Fixture user handle. */
  user: string | null;
  /** Id of the fault rule that fired ("header" for X-Glossia-Mock-Fault), or null. */
  fault: string | null;
  /** The grant this request belongs to: one per authorization, shared by its tokens. */
  flow: string | null;
  /** Redirect target, redacted. */
  location?: string;
  /** The MCP tool a tools/call request called. */
  tool?: string;
  /** What the conformance report reads besides the line above (absent when there is nothing). */
  facts?: EntryFacts;
}

/**
 * Facts about a request that its method, path, query and status do not show. A credential appears
 * only as a fingerprint (a prefix of its SHA-256), which tells two values apart and reveals neither.
 */
export interface EntryFacts {
  /** The error code answered: OAuth `error`, the API's error, or the `error` of a redirect. */
  error?: string;
  /** Seconds, from the answer's Retry-After. */
  retry_after?: number;
  grant_type?: string;
  /** The credential presented: a code, refresh token, access token, device code, or a revoked token. */
  credential?: { kind: CredentialKind; fp: string };
  /** How the client authenticated: HTTP Basic, client_secret in the body or query, or not at all. */
  client_auth?: 'basic' | 'post' | 'none';
  /** The code_verifier's length and whether it keeps to RFC 7636's characters. */
  verifier?: { length: number; valid: boolean };
  /** redirect_uri sent in the body (code exchange, consent form). */
  redirect_uri?: string;
  /** scope sent in the body (device authorization). */
  scope?: string;
  /** The scope the API route requires. */
  required_scope?: string;
}

export type CredentialKind = 'code' | 'refresh_token' | 'access_token' | 'device_code' | 'unknown_token';

export interface JournalFilter {
  path?: string;
  client_id?: string;
  user?: string;
  flow?: string;
  limit?: number;
}

/** What the middleware records: the time as epoch ms, turned into `time` only when listed. */
export type JournalRecord = Omit<JournalEntry, 'id' | 'time'> & { atMs: number };

export interface Journal {
  record(entry: JournalRecord): void;
  list(filter?: JournalFilter): JournalEntry[];
  clear(): void;
}

const SECRET_KEYS = new Set([
  'code',
  'code_verifier',
  'client_secret',
  'refresh_token',
  'access_token',
  'id_token',
  'token',
  'device_code',
  '_csrf',
  'plain_token',
]);

/** A secret cut to a prefix long enough to tell values apart, too short to use. */
export const redact = (value: string): string => (value.length <= 8 ? '…' : `${value.slice(0, 6)}…`);

export function redactParams(params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const text = Array.isArray(v) ? v.join(',') : String(v);
    out[k] = SECRET_KEYS.has(k) ? redact(text) : text;
  }
  return out;
}

/** A redirect target with the secrets of its query and fragment cut short, the rest byte for byte. */
export function redactLocation(location: string): string {
  return location.replace(/([?#&])([^=&#]+)=([^&#]*)/g, (pair, separator: string, key: string, value: string) =>
    SECRET_KEYS.has(key) ? `${separator}${key}=${redact(value)}` : pair,
  );
}

/** The entry as listed: `id` first, then `time`, then the rest, in the order recorded. */
function listed(id: number, { atMs, ...rest }: JournalRecord): JournalEntry {
  return { id, time: isoMicros(atMs), ...rest };
}

/** `onRecord` sees every entry as it is recorded, with its id (the conformance report keeps its verdicts from it). */
export function createJournal(capacity: number, onRecord?: (id: number, entry: JournalRecord) => void): Journal {
  // A ring: recording costs the same with a full journal as with an empty one. Slot i % capacity
  // holds entry i + 1; the timestamp is formatted when someone reads the journal, not per request.
  const ring: (JournalRecord | undefined)[] = new Array(capacity);
  let recorded = 0;
  let cleared = 0;
  return {
    record(entry) {
      ring[recorded % capacity] = entry;
      recorded++;
      onRecord?.(recorded, entry);
    },
    list(filter = {}) {
      const out: JournalEntry[] = [];
      const oldest = Math.max(cleared, recorded - capacity);
      for (let i = recorded - 1; i >= oldest && out.length < (filter.limit ?? capacity); i--) {
        const e = ring[i % capacity]!;
        if (filter.path !== undefined && !e.path.startsWith(filter.path)) continue;
        if (filter.client_id !== undefined && e.client_id !== filter.client_id) continue;
        if (filter.user !== undefined && e.user !== filter.user) continue;
        if (filter.flow !== undefined && e.flow !== filter.flow) continue;
        out.push(listed(i + 1, e));
      }
      return out;
    },
    clear() {
      cleared = recorded;
      ring.fill(undefined);
    },
  };
}
