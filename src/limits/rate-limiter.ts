// Glossia's rate limiting (reference 12): fixed windows aligned to the epoch (a 60 s window resets
// at each whole minute of the mock's clock), counted per key; denied requests still count.

export const LIMIT_NAMES = [
  'register',
  'token',
  'revoke',
  'introspect',
  'device_authorization',
  'authorize',
  'device',
  'device_confirm',
  'well_known',
  'openapi',
  'api',
  'invalid_bearer',
  'login',
  'mcp',
  'mcp_tool_read',
  'mcp_tool_write',
  'mcp_tool_admin',
  'mcp_tool',
  'admin_mcp_tool',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export interface Limit {
  limit: number;
  /** Window length in seconds. */
  window: number;
}

export type LimitTable = Partial<Record<LimitName, Limit>>;

/** Glossia's numbers, per 60 s window. */
export const GLOSSIA_LIMITS: Readonly<Record<LimitName, Limit>> = {
  register: { limit: 5, window: 60 },
  token: { limit: 30, window: 60 },
  revoke: { limit: 30, window: 60 },
  introspect: { limit: 30, window: 60 },
  device_authorization: { limit: 20, window: 60 },
  authorize: { limit: 30, window: 60 },
  device: { limit: 60, window: 60 },
  device_confirm: { limit: 30, window: 60 },
  well_known: { limit: 120, window: 60 },
  openapi: { limit: 120, window: 60 },
  api: { limit: 120, window: 60 },
  invalid_bearer: { limit: 30, window: 60 },
  login: { limit: 120, window: 60 },
  // MCP (reference 11A.6): the transport per user, then per-tool buckets per token and account.
  mcp: { limit: 240, window: 60 },
  mcp_tool_read: { limit: 120, window: 60 },
  mcp_tool_write: { limit: 30, window: 60 },
  mcp_tool_admin: { limit: 15, window: 60 },
  mcp_tool: { limit: 60, window: 60 },
  admin_mcp_tool: { limit: 60, window: 60 },
};

export interface Verdict {
  allowed: boolean;
  /** Seconds until the window ends (1..window). */
  retryAfter: number;
}

export interface Counter {
  bucket: string;
  limit: number;
  window: number;
  count: number;
  remaining: number;
  resets_in: number;
}

export interface RateLimiter {
  readonly table: LimitTable;
  /** Counts one request against each key in turn, stopping at the first one over its limit. */
  hit(name: LimitName, keys: readonly string[]): Verdict;
  counters(): Counter[];
  reset(): void;
}

export function createRateLimiter(table: LimitTable, nowMs: () => number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const windowOf = (l: Limit, now: number) => Math.floor(now / (l.window * 1000)) * l.window * 1000;
  const retryAfter = (l: Limit, start: number, now: number) => Math.max(1, Math.ceil((start + l.window * 1000 - now) / 1000));
  return {
    table,
    hit(name, keys) {
      const limit = table[name];
      if (!limit) return { allowed: true, retryAfter: 0 };
      const now = nowMs();
      const start = windowOf(limit, now);
      if (windows.size > 50_000) for (const [k, w] of windows) if (w.start < start) windows.delete(k);
      for (const key of keys) {
        const bucket = `${name}:${key}`;
        let w = windows.get(bucket);
        if (!w || w.start !== start) windows.set(bucket, (w = { start, count: 0 }));
        w.count++;
        if (w.count > limit.limit) return { allowed: false, retryAfter: retryAfter(limit, start, now) };
      }
      return { allowed: true, retryAfter: 0 };
    },
    counters() {
      const now = nowMs();
      const out: Counter[] = [];
      for (const [bucket, w] of windows) {
        const name = bucket.slice(0, bucket.indexOf(':')) as LimitName;
        const limit = table[name];
        if (!limit || w.start !== windowOf(limit, now)) continue;
        out.push({
          bucket,
          limit: limit.limit,
          window: limit.window,
          count: w.count,
          remaining: Math.max(0, limit.limit - w.count),
          resets_in: retryAfter(limit, w.start, now),
        });
      }
      return out.sort((a, b) => a.bucket.localeCompare(b.bucket));
    },
    reset() {
      windows.clear();
    },
  };
}

/** `--rate-limits FILE`: `{"token":{"limit":100,"window":60},"api":null,…}` over Glossia's numbers. */
export function readLimitTable(input: unknown, source: string): LimitTable {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error(`${source}: expected a JSON object of limits`);
  const table: LimitTable = { ...GLOSSIA_LIMITS };
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if (!(LIMIT_NAMES as readonly string[]).includes(name)) throw new Error(`${source}: unknown limit "${name}" (known: ${LIMIT_NAMES.join(', ')})`);
    if (value === null || value === false) {
      delete table[name as LimitName];
      continue;
    }
    const v = value as Record<string, unknown>;
    const limit = v?.['limit'];
    const window = v?.['window'] ?? 60;
    if (!Number.isInteger(limit) || (limit as number) < 1 || !Number.isInteger(window) || (window as number) < 1)
      throw new Error(`${source}: "${name}" must be {"limit": N, "window": SECONDS} with whole numbers above 0, or null`);
    table[name as LimitName] = { limit: limit as number, window: window as number };
  }
  return table;
}
