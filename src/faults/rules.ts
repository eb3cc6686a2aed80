// Fault rules: where a forced failure applies, what it is, and how often. Pure data and pure
// functions; the registry holds live rules, deliver.ts turns a fired rule into Glossia's response.

export const ENDPOINTS = [
  'register',
  'authorize',
  'token',
  'revoke',
  'introspect',
  'device_authorization',
  'device',
  'discovery',
  'jwks',
  'api',
  'mcp',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export interface FaultSpec {
  endpoint: Endpoint;
  // API path pattern: `*` matches one path segment, `**` any rest, e.g. "/api/*/projects".
  path?: string;
  client_id?: string;
  /** Fixture user handle. */
  user?: string;
  grant_type?: string;
  /** MCP tool name (endpoint `mcp`): the rule fires for calls of that tool only. */
  tool?: string;
  /** An OAuth/API error code to answer with (at `mcp`, a tool error in Glossia's words)… */
  error?: string;
  description?: string;
  /** …or an HTTP status (429, 500, 502, 503, …)… */
  status?: number;
  /** …and/or a delay before answering (alone: the request then proceeds normally)… */
  delay_ms?: number;
  /** …or drop the connection without answering. */
  drop?: boolean;
  /** Retry-After seconds for 429/503 (default 60). */
  retry_after?: number;
  /** Fire this many times, then stop; null/absent = until cleared. */
  times?: number | null;
  /** Fire with this probability (0..1), drawn from a PRNG seeded with `seed` so runs repeat. */
  probability?: number;
  seed?: number;
}

export interface FaultRule extends FaultSpec {
  id: string;
  fired: number;
  created_at: string;
}

export class FaultSpecError extends Error {}

const ERROR_CODE = /^[a-z_]+$/;

/** Pure: validates an untrusted rule (JSON from the control API or a parsed CLI flag). */
export function readFaultSpec(input: unknown): FaultSpec {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new FaultSpecError('A fault rule is a JSON object.');
  const r = input as Record<string, unknown>;
  const known = new Set([
    'endpoint', 'path', 'client_id', 'user', 'grant_type', 'tool', 'error', 'description', 'status', 'delay_ms', 'drop',
    'retry_after', 'times', 'probability', 'seed',
  ]);
  for (const key of Object.keys(r)) if (!known.has(key)) throw new FaultSpecError(`Unknown field "${key}" in fault rule.`);
  if (typeof r['endpoint'] !== 'string' || !(ENDPOINTS as readonly string[]).includes(r['endpoint']))
    throw new FaultSpecError(`"endpoint" must be one of: ${ENDPOINTS.join(', ')}.`);
  const spec: FaultSpec = { endpoint: r['endpoint'] as Endpoint };
  for (const key of ['path', 'client_id', 'user', 'grant_type', 'tool', 'description'] as const) {
    if (r[key] === undefined) continue;
    if (typeof r[key] !== 'string' || r[key] === '') throw new FaultSpecError(`"${key}" must be a non-empty string.`);
    spec[key] = r[key] as string;
  }
  if (spec.path !== undefined && (spec.endpoint !== 'api' || !spec.path.startsWith('/')))
    throw new FaultSpecError('"path" applies to endpoint "api" and starts with "/", e.g. "/api/*/projects".');
  if (spec.tool !== undefined && spec.endpoint !== 'mcp') throw new FaultSpecError('"tool" applies to endpoint "mcp".');
  if (r['error'] !== undefined) {
    if (typeof r['error'] !== 'string' || !ERROR_CODE.test(r['error'])) throw new FaultSpecError('"error" must be an error code such as "invalid_grant".');
    spec.error = r['error'];
  }
  const int = (key: 'status' | 'delay_ms' | 'retry_after' | 'times' | 'seed', min: number, max: number) => {
    const v = r[key];
    if (v === undefined || (key === 'times' && v === null)) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new FaultSpecError(`"${key}" must be a whole number from ${min} to ${max}.`);
    spec[key] = v;
  };
  int('status', 400, 599);
  int('delay_ms', 0, 120_000);
  int('retry_after', 1, 86_400);
  int('times', 1, 1_000_000);
  int('seed', 0, 2 ** 32 - 1);
  if (r['drop'] !== undefined) {
    if (typeof r['drop'] !== 'boolean') throw new FaultSpecError('"drop" must be true or false.');
    if (r['drop']) spec.drop = true;
  }
  if (r['probability'] !== undefined) {
    const p = r['probability'];
    if (typeof p !== 'number' || !(p > 0 && p <= 1)) throw new FaultSpecError('"probability" must be a number above 0 and at most 1.');
    spec.probability = p;
  }
  if (spec.error === undefined && spec.status === undefined && spec.delay_ms === undefined && !spec.drop)
    throw new FaultSpecError('A fault rule needs "error", "status", "delay_ms" or "drop".');
  if (spec.drop && (spec.error !== undefined || spec.status !== undefined))
    throw new FaultSpecError('"drop" cannot be combined with "error" or "status".');
  return spec;
}

// Pure: `--fail` syntax. ENDPOINT[filters]=WHAT[:HOW...], e.g. token=invalid_grant,
// authorize=access_denied:once, api=429, token[grant_type=refresh_token]=invalid_grant:3,
// api[path=/api/*/projects,user=maria]=503:p=0.5:seed=7, token=delay=800, discovery=drop,
// mcp[tool=list_projects]=not_authorized.
export function parseFailFlag(flag: string): FaultSpec {
  const m = /^([a-z_]+)(?:\[([^\]]*)\])?=(.+)$/.exec(flag.trim());
  if (!m) throw new FaultSpecError(`--fail "${flag}": expected ENDPOINT[filters]=WHAT[:HOW], e.g. token=invalid_grant:once`);
  const rule: Record<string, unknown> = { endpoint: m[1] };
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const [k, ...v] = pair.split('=');
    if (!k || v.length === 0) throw new FaultSpecError(`--fail "${flag}": filter "${pair}" is not key=value`);
    rule[k.trim()] = v.join('=').trim();
  }
  const [what, ...how] = m[3]!.split(':');
  if (what === 'drop') rule['drop'] = true;
  else if (/^delay=\d+$/.test(what!)) rule['delay_ms'] = Number(what!.slice(6));
  else if (/^\d{3}$/.test(what!)) rule['status'] = Number(what);
  else rule['error'] = what;
  for (const h of how) {
    if (h === 'once') rule['times'] = 1;
    else if (h === 'sticky') rule['times'] = null;
    else if (/^\d+$/.test(h)) rule['times'] = Number(h);
    else if (/^p=/.test(h)) rule['probability'] = Number(h.slice(2));
    else if (/^seed=\d+$/.test(h)) rule['seed'] = Number(h.slice(5));
    else if (/^retry_after=\d+$/.test(h)) rule['retry_after'] = Number(h.slice(12));
    else if (/^delay=\d+$/.test(h)) rule['delay_ms'] = Number(h.slice(6));
    else throw new FaultSpecError(`--fail "${flag}": "${h}" is not once, sticky, a count, p=…, seed=…, delay=… or retry_after=…`);
  }
  try {
    return readFaultSpec(rule);
  } catch (err) {
    throw new FaultSpecError(`--fail "${flag}": ${(err as Error).message}`);
  }
}

// Pure: "/api/*/projects" against "/api/acme/projects".
export function pathMatches(pattern: string, path: string): boolean {
  const p = pattern.split('/');
  const s = path.split('/');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '**') return true;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

/** What is known about a request when rules are matched. */
export interface RequestFacts {
  endpoint: Endpoint;
  path: string;
  clientId?: string | undefined;
  user?: string | undefined;
  grantType?: string | undefined;
  /** The tool an MCP request calls. */
  tool?: string | undefined;
}

export function ruleMatches(rule: FaultSpec, f: RequestFacts): boolean {
  return (
    rule.endpoint === f.endpoint &&
    (rule.path === undefined || pathMatches(rule.path, f.path)) &&
    (rule.client_id === undefined || rule.client_id === f.clientId) &&
    (rule.user === undefined || rule.user === f.user) &&
    (rule.grant_type === undefined || rule.grant_type === f.grantType) &&
    (rule.tool === undefined || rule.tool === f.tool) &&
    // A forced error at `mcp` is a tool error: only tool calls can carry it.
    (rule.endpoint !== 'mcp' || rule.error === undefined || f.tool !== undefined)
  );
}

/** mulberry32: a tiny, fast PRNG; the same seed gives the same sequence of decisions. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
