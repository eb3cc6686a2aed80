// Pure unit tests of the fault-rule model: the `--fail` flag syntax, rule validation, path
// patterns, matching, the seeded PRNG, the registry's once / N times / sticky / probability logic,
// and the rate limiter's fixed windows on an injected clock. No server is started here.
import { describe, expect, it } from 'vitest';
import { createFaultRegistry } from '../src/faults/registry.js';
import {
  FaultSpecError,
  parseFailFlag,
  pathMatches,
  readFaultSpec,
  ruleMatches,
  seededRandom,
  type FaultSpec,
  type RequestFacts,
} from '../src/faults/rules.js';
import { createRateLimiter, GLOSSIA_LIMITS, readLimitTable } from '../src/limits/rate-limiter.js';

/** The FaultSpecError a call throws (fails when it does not throw one). */
function specError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FaultSpecError);
    return (err as Error).message;
  }
  throw new Error('expected a FaultSpecError');
}

describe('parseFailFlag: the documented forms', () => {
  it.each<[string, FaultSpec]>([
    ['token=invalid_grant', { endpoint: 'token', error: 'invalid_grant' }],
    ['authorize=access_denied:once', { endpoint: 'authorize', error: 'access_denied', times: 1 }],
    ['api=429', { endpoint: 'api', status: 429 }],
    [
      'token[grant_type=refresh_token]=invalid_grant:3',
      { endpoint: 'token', grant_type: 'refresh_token', error: 'invalid_grant', times: 3 },
    ],
    [
      'api[path=/api/*/projects,user=maria]=503:p=0.5:seed=7',
      { endpoint: 'api', path: '/api/*/projects', user: 'maria', status: 503, probability: 0.5, seed: 7 },
    ],
    ['token=delay=800', { endpoint: 'token', delay_ms: 800 }],
    ['discovery=drop', { endpoint: 'discovery', drop: true }],
  ])('%s', (flag, expected) => {
    expect(parseFailFlag(flag)).toEqual(expected);
  });

  it.each<[string, FaultSpec]>([
    ['token=invalid_grant:sticky', { endpoint: 'token', error: 'invalid_grant' }],
    ['api=503:retry_after=5', { endpoint: 'api', status: 503, retry_after: 5 }],
    ['token=invalid_grant:delay=150', { endpoint: 'token', error: 'invalid_grant', delay_ms: 150 }],
    ['authorize[client_id=0b5e3d8c-7f2a-4c1e-9a6b-3d2f1e0c9b8a]=access_denied', { endpoint: 'authorize', client_id: '0b5e3d8c-7f2a-4c1e-9a6b-3d2f1e0c9b8a', error: 'access_denied' }],
    ['  jwks=500  ', { endpoint: 'jwks', status: 500 }],
    ['device_authorization=slow_down:2', { endpoint: 'device_authorization', error: 'slow_down', times: 2 }],
    // A filter value may itself contain "=".
    ['api[path=/api/a=b]=500', { endpoint: 'api', path: '/api/a=b', status: 500 }],
  ])('also: %s', (flag, expected) => {
    expect(parseFailFlag(flag)).toEqual(expected);
  });

  it('every endpoint name is accepted', () => {
    for (const endpoint of ['register', 'authorize', 'token', 'revoke', 'introspect', 'device_authorization', 'device', 'discovery', 'jwks', 'api'])
      expect(parseFailFlag(`${endpoint}=500`)).toEqual({ endpoint, status: 500 });
  });
});

describe('parseFailFlag: invalid flags get clear messages', () => {
  it.each<[string, RegExp]>([
    ['token', /^--fail "token": expected ENDPOINT\[filters\]=WHAT\[:HOW\], e\.g\. token=invalid_grant:once$/],
    ['token=', /expected ENDPOINT\[filters\]=WHAT/],
    ['=invalid_grant', /expected ENDPOINT\[filters\]=WHAT/],
    ['tokens=invalid_grant', /^--fail "tokens=invalid_grant": "endpoint" must be one of: register, authorize, token, revoke, introspect, device_authorization, device, discovery, jwks, api, mcp\.$/],
    ['token=invalid_grant:twice', /^--fail "token=invalid_grant:twice": "twice" is not once, sticky, a count, p=…, seed=…, delay=… or retry_after=…$/],
    ['api=429:p=2', /"probability" must be a number above 0 and at most 1\./],
    ['api=429:p=abc', /"probability" must be a number above 0 and at most 1\./],
    ['api=429:0', /"times" must be a whole number from 1 to 1000000\./],
    ['token[user]=invalid_grant', /^--fail "token\[user\]=invalid_grant": filter "user" is not key=value$/],
    ['token[color=red]=invalid_grant', /Unknown field "color" in fault rule\./],
    ['token[path=/api/x]=500', /"path" applies to endpoint "api" and starts with "\/"/],
    ['api[path=api/x]=500', /"path" applies to endpoint "api" and starts with "\/"/],
    ['token=Invalid-Grant', /"error" must be an error code such as "invalid_grant"\./],
    ['token=200', /"status" must be a whole number from 400 to 599\./],
    ['token=999', /"status" must be a whole number from 400 to 599\./],
    ['token=delay=999999', /"delay_ms" must be a whole number from 0 to 120000\./],
    ['token=drop:retry_after=0', /"retry_after" must be a whole number from 1 to 86400\./],
  ])('%s', (flag, message) => {
    expect(specError(() => parseFailFlag(flag))).toMatch(message);
  });
});

describe('readFaultSpec (the JSON of POST /_mock/faults)', () => {
  it('keeps exactly the fields given', () => {
    expect(
      readFaultSpec({ endpoint: 'api', path: '/api/**', user: 'dev', error: 'not_authorized', status: 403, times: 2, probability: 1, seed: 0 }),
    ).toEqual({ endpoint: 'api', path: '/api/**', user: 'dev', error: 'not_authorized', status: 403, times: 2, probability: 1, seed: 0 });
    expect(readFaultSpec({ endpoint: 'token', error: 'invalid_grant', times: null, drop: false })).toEqual({ endpoint: 'token', error: 'invalid_grant' });
  });

  it.each<[unknown, RegExp]>([
    [null, /A fault rule is a JSON object\./],
    [[{ endpoint: 'token' }], /A fault rule is a JSON object\./],
    ['token=invalid_grant', /A fault rule is a JSON object\./],
    [{ endpoint: 'token' }, /A fault rule needs "error", "status", "delay_ms" or "drop"\./],
    [{ endpoint: 'token', drop: true, error: 'invalid_grant' }, /"drop" cannot be combined with "error" or "status"\./],
    [{ endpoint: 'token', drop: true, status: 500 }, /"drop" cannot be combined/],
    [{ endpoint: 'token', drop: 'yes' }, /"drop" must be true or false\./],
    [{ endpoint: 'token', error: 'invalid_grant', client_id: '' }, /"client_id" must be a non-empty string\./],
    [{ endpoint: 'token', error: 'invalid_grant', user: 7 }, /"user" must be a non-empty string\./],
    [{ endpoint: 'token', status: '500' }, /"status" must be a whole number from 400 to 599\./],
    [{ endpoint: 'token', status: 500.5 }, /"status" must be a whole number/],
    [{ endpoint: 'token', error: 'x', probability: 0 }, /"probability" must be a number above 0 and at most 1\./],
    [{ endpoint: 'token', error: 'x', seed: -1 }, /"seed" must be a whole number from 0 to 4294967295\./],
    [{ endpoint: 'token', error: 'x', times: 0 }, /"times" must be a whole number from 1/],
    [{ endpoint: 'nope', error: 'x' }, /"endpoint" must be one of/],
    [{ error: 'x' }, /"endpoint" must be one of/],
    [{ endpoint: 'token', error: 'x', fired: 3 }, /Unknown field "fired" in fault rule\./],
  ])('refuses %j', (input, message) => {
    expect(specError(() => readFaultSpec(input))).toMatch(message);
  });
});

describe('pathMatches and ruleMatches', () => {
  it('`*` is one segment, `**` any rest', () => {
    expect(pathMatches('/api/*/projects', '/api/acme/projects')).toBe(true);
    expect(pathMatches('/api/*/projects', '/api/projects')).toBe(false);
    expect(pathMatches('/api/*/projects', '/api/acme/projects/x')).toBe(false);
    expect(pathMatches('/api/*/projects', '/api/acme/voice')).toBe(false);
    expect(pathMatches('/api/projects', '/api/projects')).toBe(true);
    expect(pathMatches('/api/**', '/api/acme/projects')).toBe(true);
    expect(pathMatches('/api/organizations/**', '/api/organizations/acme/members')).toBe(true);
    expect(pathMatches('/api/organizations/**', '/api/acme/projects')).toBe(false);
  });

  it('every given filter must match', () => {
    const facts: RequestFacts = { endpoint: 'token', path: '/oauth/token', clientId: 'c1', user: 'maria', grantType: 'refresh_token' };
    expect(ruleMatches({ endpoint: 'token', error: 'x' }, facts)).toBe(true);
    expect(ruleMatches({ endpoint: 'revoke', error: 'x' }, facts)).toBe(false);
    expect(ruleMatches({ endpoint: 'token', error: 'x', client_id: 'c1', user: 'maria', grant_type: 'refresh_token' }, facts)).toBe(true);
    expect(ruleMatches({ endpoint: 'token', error: 'x', client_id: 'c2' }, facts)).toBe(false);
    expect(ruleMatches({ endpoint: 'token', error: 'x', user: 'dev' }, facts)).toBe(false);
    expect(ruleMatches({ endpoint: 'token', error: 'x', grant_type: 'authorization_code' }, facts)).toBe(false);
    expect(ruleMatches({ endpoint: 'token', error: 'x', user: 'maria' }, { ...facts, user: undefined })).toBe(false);
  });
});

describe('seededRandom', () => {
  it('the same seed gives the same sequence; another seed another one', () => {
    const draw = (seed: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: 20 }, r);
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    for (const x of draw(42)) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('the fault registry', () => {
  const facts: RequestFacts = { endpoint: 'token', path: '/oauth/token' };
  const firings = (reg: ReturnType<typeof createFaultRegistry>, n: number) =>
    Array.from({ length: n }, () => (reg.fire(facts) ? 1 : 0)).join('');

  it('once, N times and sticky', () => {
    const reg = createFaultRegistry(() => Date.UTC(2026, 0, 1));
    const once = reg.add({ endpoint: 'token', error: 'x', times: 1 });
    expect(once).toMatchObject({ endpoint: 'token', error: 'x', times: 1, fired: 0, created_at: '2026-01-01T00:00:00.000000Z' });
    expect(firings(reg, 3)).toBe('100');
    expect(reg.idle()).toBe(true);
    reg.add({ endpoint: 'token', error: 'x', times: 3 });
    expect(firings(reg, 5)).toBe('11100');
    const sticky = reg.add({ endpoint: 'token', error: 'x' });
    expect(firings(reg, 50)).toBe('1'.repeat(50));
    expect(reg.list().find((r) => r.id === sticky.id)!.fired).toBe(50);
    expect(reg.remove(sticky.id)).toBe(true);
    expect(reg.remove(sticky.id)).toBe(false);
    expect(firings(reg, 2)).toBe('00');
  });

  it('list() hands out copies', () => {
    const reg = createFaultRegistry(Date.now);
    reg.add({ endpoint: 'token', error: 'x' });
    reg.list()[0]!.fired = 99;
    expect(reg.list()[0]!.fired).toBe(0);
  });

  it('seeded probability repeats across registries and differs by seed', () => {
    const run = (seed: number) => {
      const reg = createFaultRegistry(Date.now);
      reg.add({ endpoint: 'token', error: 'x', probability: 0.5, seed });
      return firings(reg, 40);
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
    expect(run(7)).toMatch(/0/);
    expect(run(7)).toMatch(/1/);
  });

  it('probability with times stops after N firings; a rule that does not match is not rolled', () => {
    const reg = createFaultRegistry(Date.now);
    reg.add({ endpoint: 'token', error: 'x', probability: 0.5, seed: 1, times: 3 });
    const seq = firings(reg, 40);
    expect(seq.replace(/0/g, '')).toBe('111');
    // Requests to other endpoints do not consume the sequence.
    const a = createFaultRegistry(Date.now);
    const b = createFaultRegistry(Date.now);
    a.add({ endpoint: 'token', error: 'x', probability: 0.5, seed: 3 });
    b.add({ endpoint: 'token', error: 'x', probability: 0.5, seed: 3 });
    for (let i = 0; i < 10; i++) b.fire({ endpoint: 'api', path: '/api/projects' });
    expect(firings(a, 30)).toBe(firings(b, 30));
  });

  it('needsUser only while a live rule filters on a user; clear() empties', () => {
    const reg = createFaultRegistry(Date.now);
    reg.add({ endpoint: 'token', error: 'x' });
    expect(reg.needsUser()).toBe(false);
    reg.add({ endpoint: 'api', error: 'x', user: 'maria', times: 1 });
    expect(reg.needsUser()).toBe(true);
    expect(reg.fire({ endpoint: 'api', path: '/api/projects', user: 'maria' })).toBeDefined();
    expect(reg.needsUser()).toBe(false);
    reg.clear();
    expect(reg.list()).toEqual([]);
    expect(reg.idle()).toBe(true);
  });
});

describe('the rate limiter', () => {
  it('allows exactly the limit per fixed window aligned to the epoch, then recovers', () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 10); // 10 s into a window
    const rl = createRateLimiter({ register: { limit: 5, window: 60 } }, () => now);
    for (let i = 0; i < 5; i++) expect(rl.hit('register', ['ip:a'])).toEqual({ allowed: true, retryAfter: 0 });
    expect(rl.hit('register', ['ip:a'])).toEqual({ allowed: false, retryAfter: 50 });
    expect(rl.hit('register', ['ip:b']).allowed).toBe(true);
    now += 49_500;
    expect(rl.hit('register', ['ip:a'])).toEqual({ allowed: false, retryAfter: 1 });
    expect(rl.counters()).toEqual([
      { bucket: 'register:ip:a', limit: 5, window: 60, count: 7, remaining: 0, resets_in: 1 },
      { bucket: 'register:ip:b', limit: 5, window: 60, count: 1, remaining: 4, resets_in: 1 },
    ]);
    now += 500; // the next window
    expect(rl.hit('register', ['ip:a']).allowed).toBe(true);
    expect(rl.counters()).toEqual([{ bucket: 'register:ip:a', limit: 5, window: 60, count: 1, remaining: 4, resets_in: 60 }]);
    expect(rl.hit('token', ['ip:a'])).toEqual({ allowed: true, retryAfter: 0 }); // no such limit: allowed
    rl.reset();
    expect(rl.counters()).toEqual([]);
  });

  it('counts every key in turn and stops at the first one over its limit', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const rl = createRateLimiter({ token: { limit: 2, window: 60 } }, () => now);
    rl.hit('token', ['ip:a', 'client:x']);
    rl.hit('token', ['ip:a', 'client:x']);
    // ip:a goes over first, so client:x is not counted this time…
    expect(rl.hit('token', ['ip:a', 'client:x']).allowed).toBe(false);
    // …nor is client:y.
    expect(rl.hit('token', ['ip:a', 'client:y']).allowed).toBe(false);
    expect(rl.counters().map((c) => [c.bucket, c.count])).toEqual([
      ['token:client:x', 2],
      ['token:ip:a', 4],
    ]);
    // From another address the full client bucket still refuses; another client passes.
    expect(rl.hit('token', ['ip:b', 'client:x']).allowed).toBe(false);
    expect(rl.hit('token', ['ip:b', 'client:y']).allowed).toBe(true);
    expect(rl.counters().map((c) => [c.bucket, c.count])).toEqual([
      ['token:client:x', 3],
      ['token:client:y', 1],
      ['token:ip:a', 4],
      ['token:ip:b', 2],
    ]);
  });

  it('readLimitTable overlays a file on Glossia’s numbers and validates it', () => {
    const table = readLimitTable({ register: { limit: 2 }, token: null, api: false, login: { limit: 1, window: 10 } }, 'limits.json');
    expect(table.register).toEqual({ limit: 2, window: 60 });
    expect(table.token).toBeUndefined();
    expect(table.api).toBeUndefined();
    expect(table.login).toEqual({ limit: 1, window: 10 });
    expect(table.authorize).toEqual(GLOSSIA_LIMITS.authorize);
    expect(() => readLimitTable([], 'f.json')).toThrow('f.json: expected a JSON object of limits');
    expect(() => readLimitTable({ nope: { limit: 1 } }, 'f.json')).toThrow('f.json: unknown limit "nope"');
    expect(() => readLimitTable({ token: { limit: 0 } }, 'f.json')).toThrow('"token" must be {"limit": N, "window": SECONDS}');
    expect(() => readLimitTable({ token: 5 }, 'f.json')).toThrow('"token" must be {"limit": N, "window": SECONDS}');
  });
});
