// Account tokens over real HTTP (reference 9.9): GET/POST /api/:handle/tokens and
// DELETE /api/:handle/tokens/:id, the check order of 9.1 and the two-layer authorization of 6.2, and
// the `glsa_…` tokens themselves as bearer credentials.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { answer, call, expectInsufficientScope, expectInvalidToken, expectNotAuthorized, expectUnauthorized, onePage } from './helpers/api.js';
import { acrossRestart, later, mockStarter, USERS, type TestMock } from './helpers/mock.js';
import { accessToken, CREDS, credentialTokens } from './helpers/tokens.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const PLAIN = /^glsa_[0-9a-f]{40}$/;
const ITEM_KEYS = ['description', 'expires_at', 'id', 'inserted_at', 'last_used_at', 'name', 'scope', 'token_prefix'];
const DAY_MS = 86_400_000;
/** The account token fixtures/account_tokens.json seeds for dev. */
const FIXTURE_TOKEN_ID = '019c46ac-230b-76c9-bfcf-6826f3451673';

interface TokenItem {
  id: string;
  name: string;
  description: string | null;
  token_prefix: string;
  scope: string;
  expires_at: string | null;
  last_used_at: string | null;
  inserted_at: string;
}
interface Created {
  token: TokenItem;
  plain_token: string;
}
interface Listed {
  tokens: TokenItem[];
  meta: Record<string, unknown>;
}

let doc: TestMock;
/** OAuth access tokens of the fixture users (documented profile, demo client). */
const t = { dev: '', devRead: '', noScope: '', alex: '', maria: '' };

const start = mockStarter({ autoApprove: 'dev' });

beforeAll(async () => {
  doc = await start();
  Object.assign(t, await credentialTokens(doc));

});

const create = async (m: TestMock, token: string, handle: string, body: Record<string, unknown>) =>
  answer<Created>(await call(m, token, 'POST', `/api/${handle}/tokens`, body), 201);
const list = async (m: TestMock, token: string, handle: string, query = '') =>
  answer<Listed>(await call(m, token, 'GET', `/api/${handle}/tokens${query}`), 200);

describe('POST /api/:handle/tokens', () => {
  it('201 {"token":{…},"plain_token":"glsa_…"}: the secret once, only its SHA-256 kept', async () => {
    const res = await call(doc, t.dev, 'POST', '/api/dev/tokens', { name: 'CI', description: 'deploys', scope: 'project:read' });
    const body = await answer<Created>(res, 201);
    expect(Object.keys(body).sort()).toEqual(['plain_token', 'token']);
    expect(Object.keys(body.token).sort()).toEqual(ITEM_KEYS);
    expect(body.plain_token).toMatch(PLAIN);
    expect(body.token).toEqual({
      id: expect.stringMatching(UUID_V7),
      name: 'CI',
      description: 'deploys',
      token_prefix: body.plain_token.slice(0, 12),
      scope: 'project:read',
      expires_at: null,
      last_used_at: null,
      inserted_at: expect.stringMatching(ISO_MICROS),
    });
    expect(body.token.token_prefix).toMatch(/^glsa_[0-9a-f]{7}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const record = doc.mock.store.data.world!.accountTokens.find((r) => r.id === body.token.id)!;
    expect(record).toMatchObject({ account: 'dev', userId: USERS.dev, revoked_at: null });
    expect(record.token_hash).toBe(createHash('sha256').update(body.plain_token).digest('hex'));
    expect(JSON.stringify(doc.mock.store.data)).not.toContain(body.plain_token);
  });

  it('every token is different', async () => {
    const a = await create(doc, t.dev, 'dev', { name: 'a' });
    const b = await create(doc, t.dev, 'dev', { name: 'b' });
    expect(a.plain_token).not.toBe(b.plain_token);
    expect(a.token.id).not.toBe(b.token.id);
  });

  it('scope defaults to "" and is free-form (not validated); description defaults to null', async () => {
    const plain = await create(doc, t.dev, 'dev', { name: 'bare' });
    expect(plain.token).toMatchObject({ scope: '', description: null, expires_at: null });
    const odd = await create(doc, t.dev, 'dev', { name: 'odd', scope: 'nonsense:scope project:read  x', description: '' });
    expect(odd.token).toMatchObject({ scope: 'nonsense:scope project:read  x', description: null });
  });

  it('expires_in_days as a string sets expires_at that many days ahead', async () => {
    const body = await create(doc, t.dev, 'dev', { name: 'month', expires_in_days: '30' });
    expect(body.token.expires_at).toMatch(ISO_MICROS);
    expect(Date.parse(body.token.expires_at!) - Date.parse(body.token.inserted_at)).toBe(30 * DAY_MS);
  });

  it('a form body works the same (expires_in_days is a form string)', async () => {
    const res = await call(doc, t.dev, 'POST', '/api/dev/tokens', new URLSearchParams({ name: 'form', scope: 'project:read voice:read', expires_in_days: '7' }));
    const body = await answer<Created>(res, 201);
    expect(body.token).toMatchObject({ name: 'form', scope: 'project:read voice:read' });
    expect(Date.parse(body.token.expires_at!) - Date.parse(body.token.inserted_at)).toBe(7 * DAY_MS);
  });

  it('expires_in_days as a JSON number is ignored: the token never expires', async () => {
    const body = await create(doc, t.dev, 'dev', { name: 'number', expires_in_days: 30 });
    expect(body.token.expires_at).toBeNull();
  });

  it('a bad expires_in_days string → 422 "is invalid"', async () => {
    for (const days of ['abc', '0', '-1', '1.5', ' 3', '30d', '99999999999999999999']) {
      await answer(await call(doc, t.dev, 'POST', '/api/dev/tokens', { name: 'bad', expires_in_days: days }), 422, {
        errors: { expires_in_days: ['is invalid'] },
      });
    }
  });

  it('name is required, 1–255 characters → 422 with every problem at once', async () => {
    const post = (body: unknown) => call(doc, t.dev, 'POST', '/api/dev/tokens', body);
    await answer(await post({}), 422, { errors: { name: ["can't be blank"] } });
    await answer(await post({ name: '' }), 422, { errors: { name: ["can't be blank"] } });
    await answer(await post({ name: '   ' }), 422, { errors: { name: ["can't be blank"] } });
    await answer(await post({ name: 7 }), 422, { errors: { name: ['is invalid'] } });
    await answer(await post({ name: 'x'.repeat(256) }), 422, { errors: { name: ['should be at most 255 character(s)'] } });
    await answer(await post({ scope: 5, expires_in_days: 'x' }), 422, {
      errors: { name: ["can't be blank"], scope: ['is invalid'], expires_in_days: ['is invalid'] },
    });
    const longest = await create(doc, t.dev, 'dev', { name: 'é'.repeat(255) });
    expect(longest.token.name).toHaveLength(255);
  });

  it('nothing is stored when validation fails', async () => {
    const before = doc.mock.store.data.world!.accountTokens.length;
    await answer(await call(doc, t.dev, 'POST', '/api/dev/tokens', { name: '', expires_in_days: 'x' }), 422);
    expect(doc.mock.store.data.world!.accountTokens).toHaveLength(before);
  });
});

describe('GET /api/:handle/tokens', () => {
  let m: TestMock;
  let admin: string;
  const made: Record<string, Created> = {};

  beforeAll(async () => {
    m = await start();
    admin = await accessToken(m, CREDS);
    for (const [name, extra] of [
      ['beta', { scope: 'project:read', expires_in_days: '10' }],
      ['alpha', { expires_in_days: '2' }],
      ['gamma', {}],
      ['revoked', {}],
    ] as const) {
      made[name] = await create(m, admin, 'dev', { name, ...extra });
      m.mock.clock.advance(1);
    }
    made['elsewhere'] = await create(m, admin, 'acme', { name: 'elsewhere' });
    // The fixtures' own token of dev (CI Pipeline Token) is revoked so the list holds only these.
    await answer(await call(m, admin, 'DELETE', `/api/dev/tokens/${FIXTURE_TOKEN_ID}`), 200);
    await answer(await call(m, admin, 'DELETE', `/api/dev/tokens/${made['revoked']!.token.id}`), 200);
  });

  it('lists the account\'s non-revoked tokens, newest first, with meta; never a secret', async () => {
    const res = await call(m, admin, 'GET', '/api/dev/tokens');
    const text = await res.clone().text();
    const body = await answer<Listed>(res, 200);
    expect(Object.keys(body).sort()).toEqual(['meta', 'tokens']);
    expect(body.tokens.map((x) => x.name)).toEqual(['gamma', 'alpha', 'beta']);
    expect(body.tokens).toEqual([made['gamma']!.token, made['alpha']!.token, made['beta']!.token]);
    for (const item of body.tokens) expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
    expect(body.meta).toEqual(onePage(3));
    for (const c of Object.values(made)) expect(text).not.toContain(c.plain_token);
    expect(text).not.toContain('token_hash');
  });

  it('another account lists its own', async () => {
    const body = await list(m, admin, 'acme');
    expect(body.tokens).toEqual([made['elsewhere']!.token]);
    expect((await list(m, admin, 'northwind')).tokens).toEqual([]);
    expect((await list(m, admin, 'northwind')).meta).toMatchObject({ total_count: 0, total_pages: 0 });
  });

  it('sorts by name / expires_at / inserted_at, filters by name, paginates', async () => {
    const names = async (q: string) => (await list(m, admin, 'dev', q)).tokens.map((x) => x.name);
    expect(await names('?order_by[]=name')).toEqual(['alpha', 'beta', 'gamma']);
    expect(await names('?order_by[]=name&order_directions[]=desc')).toEqual(['gamma', 'beta', 'alpha']);
    expect(await names('?order_by[]=inserted_at')).toEqual(['beta', 'alpha', 'gamma']);
    expect(await names('?order_by[]=expires_at&order_directions[]=desc')).toEqual(['beta', 'alpha', 'gamma']);
    expect(await names('?filters[0][field]=name&filters[0][op]=%3D~&filters[0][value]=ET')).toEqual(['beta']);
    const page = await list(m, admin, 'dev', '?page=2&page_size=2');
    expect(page.tokens.map((x) => x.name)).toEqual(['beta']);
    expect(page.meta).toMatchObject({ total_count: 3, total_pages: 2, current_page: 2, 'has_previous_page?': true });
  });

  it('bad list parameters → 400 naming them', async () => {
    await answer(await call(m, admin, 'GET', '/api/dev/tokens?order_by[]=scope'), 400, {
      errors: { order_by: ['must be one of: name, inserted_at, last_used_at, expires_at'] },
    });
    await answer(await call(m, admin, 'GET', '/api/dev/tokens?filters[0][field]=scope&filters[0][value]=x'), 400, {
      errors: { 'filters[0][field]': ['must be one of: name'] },
    });
  });
});

describe('a glsa_ token as a bearer token', () => {
  it('works on another route with its scope, acting as its creator; sets last_used_at', async () => {
    const made = await create(doc, t.dev, 'dev', { name: 'reader', scope: 'project:read' });
    const res = await call(doc, made.plain_token, 'GET', '/api/dev/projects');
    const body = await answer<{ projects: unknown[] }>(res, 200);
    expect(body.projects.length).toBeGreaterThan(0);
    // Not tied to the account it was created under: dev can read acme's projects.
    await answer(await call(doc, made.plain_token, 'GET', '/api/acme/projects'), 200);

    const item = (await list(doc, t.dev, 'dev')).tokens.find((x) => x.id === made.token.id)!;
    expect(item.last_used_at).toMatch(ISO_MICROS);
    expect(Date.parse(item.last_used_at!)).toBeGreaterThanOrEqual(Date.parse(item.inserted_at));
    const stored = doc.mock.store.data.world!.accountTokens.find((r) => r.id === made.token.id)!;
    expect(stored.last_used_at).toBe(item.last_used_at);
  });

  it('its scope limits it: 403 insufficient_scope elsewhere', async () => {
    const made = await create(doc, t.dev, 'dev', { name: 'narrow', scope: 'project:read' });
    await expectInsufficientScope(await call(doc, made.plain_token, 'GET', '/api/dev/tokens'), 'api_credentials:read');
    const none = await create(doc, t.dev, 'dev', { name: 'empty scope' });
    await expectInsufficientScope(await call(doc, none.plain_token, 'GET', '/api/dev/projects'), 'project:read');
  });

  it('policy follows the creator: alex\'s token is refused on dev, accepted on northwind', async () => {
    const made = await create(doc, t.alex, 'northwind', { name: 'alex ci', scope: CREDS });
    await expectNotAuthorized(await call(doc, made.plain_token, 'GET', '/api/dev/tokens'));
    const listed = await list(doc, made.plain_token, 'northwind');
    expect(listed.tokens.map((x) => x.id)).toContain(made.token.id);
    expect(doc.mock.store.data.world!.accountTokens.find((r) => r.id === made.token.id)!.userId).toBe(USERS.alex);
  });

  it('can manage tokens itself when it holds api_credentials:write', async () => {
    const admin = await create(doc, t.dev, 'dev', { name: 'admin token', scope: CREDS });
    const child = await create(doc, admin.plain_token, 'dev', { name: 'child', scope: 'project:read' });
    await answer(await call(doc, child.plain_token, 'GET', '/api/dev/projects'), 200);
    await answer(await call(doc, admin.plain_token, 'DELETE', `/api/dev/tokens/${child.token.id}`), 200, { status: 'revoked' });
    await expectInvalidToken(await call(doc, child.plain_token, 'GET', '/api/dev/projects'));
  });

  it('a revoked token → 401 invalid_token', async () => {
    const made = await create(doc, t.dev, 'dev', { name: 'to revoke', scope: 'project:read' });
    await answer(await call(doc, made.plain_token, 'GET', '/api/dev/projects'), 200);
    await answer(await call(doc, t.dev, 'DELETE', `/api/dev/tokens/${made.token.id}`), 200, { status: 'revoked' });
    await expectInvalidToken(await call(doc, made.plain_token, 'GET', '/api/dev/projects'));
  });

  it('an expired token → 401 invalid_token, yet still listed', async () => {
    const made = await create(doc, t.dev, 'dev', { name: 'short', scope: 'project:read', expires_in_days: '1' });
    // A token that never expires does the listing while the OAuth tokens are long expired.
    const lister = await create(doc, t.dev, 'dev', { name: 'lister', scope: 'api_credentials:read' });
    await later(doc, DAY_MS / 1000 - 5, async () => {
      await answer(await call(doc, made.plain_token, 'GET', '/api/dev/projects'), 200);
    });
    await later(doc, DAY_MS / 1000, async () => {
      await expectInvalidToken(await call(doc, made.plain_token, 'GET', '/api/dev/projects'));
      const listed = await list(doc, lister.plain_token, 'dev');
      expect(listed.tokens.map((x) => x.id)).toContain(made.token.id);
    });
  });

  it('an unknown or tampered glsa_ token → 401 invalid_token', async () => {
    const made = await create(doc, t.dev, 'dev', { name: 'tamper', scope: 'project:read' });
    const flipped = made.plain_token.slice(0, -1) + (made.plain_token.endsWith('0') ? '1' : '0');
    await expectInvalidToken(await call(doc, flipped, 'GET', '/api/dev/projects'));
    await expectInvalidToken(await call(doc, `glsa_${'0'.repeat(40)}`, 'GET', '/api/dev/projects'));
  });
});

describe('DELETE /api/:handle/tokens/:id', () => {
  it('200 {"status":"revoked"}; the token leaves the list; a second time → 404', async () => {
    const made = await create(doc, t.dev, 'dev', { name: 'bye' });
    const path = `/api/dev/tokens/${made.token.id}`;
    const res = await call(doc, t.dev, 'DELETE', path);
    await answer(res, 200, { status: 'revoked' });
    expect((await list(doc, t.dev, 'dev', '?page_size=1000')).tokens.map((x) => x.id)).not.toContain(made.token.id);
    expect(doc.mock.store.data.world!.accountTokens.find((r) => r.id === made.token.id)!.revoked_at).toMatch(ISO_MICROS);
    await answer(await call(doc, t.dev, 'DELETE', path), 404, { error: 'token not found' });
  });

  it('unknown id or another account\'s token → 404 {"error":"token not found"}; an id that is no UUID → 400', async () => {
    const acme = await create(doc, t.dev, 'acme', { name: 'acme token' });
    await answer(await call(doc, t.dev, 'DELETE', '/api/dev/tokens/019bb17b-dd78-7779-bf27-7a3ce5b99319'), 404, { error: 'token not found' });
    await answer(await call(doc, t.dev, 'DELETE', '/api/dev/tokens/not-a-uuid'), 400, { errors: { detail: 'Bad Request' } });
    await answer(await call(doc, t.dev, 'DELETE', `/api/dev/tokens/${acme.token.id}`), 404, { error: 'token not found' });
    await answer(await call(doc, t.dev, 'DELETE', `/api/acme/tokens/${acme.token.id}`), 200, { status: 'revoked' });
  });
});

describe('authentication and authorization (reference 9.1, 6.2)', () => {
  const routes = (id: string) =>
    [
      ['GET', '/api/acme/tokens', 'api_credentials:read'],
      ['POST', '/api/acme/tokens', 'api_credentials:write'],
      ['DELETE', `/api/acme/tokens/${id}`, 'api_credentials:write'],
    ] as const;
  let acmeId: string;
  beforeAll(async () => {
    acmeId = (await create(doc, t.dev, 'acme', { name: 'acme target' })).token.id;
  });

  it('no Authorization header → 401 unauthorized without WWW-Authenticate', async () => {
    for (const [method, path] of routes(acmeId)) await expectUnauthorized(await call(doc, null, method, path, method === 'POST' ? { name: 'x' } : undefined));
  });

  it('an unknown token → 401 invalid_token', async () => {
    for (const [method, path] of routes(acmeId)) await expectInvalidToken(await call(doc, 'nope', method, path));
  });

  it('an unknown handle → 404 account not found, even without the scope', async () => {
    for (const token of [t.dev, t.noScope]) {
      await answer(await call(doc, token, 'GET', '/api/nobody/tokens'), 404, { error: 'account not found' });
      await answer(await call(doc, token, 'POST', '/api/nobody/tokens', { name: 'x' }), 404, { error: 'account not found' });
      await answer(await call(doc, token, 'DELETE', `/api/nobody/tokens/${acmeId}`), 404, { error: 'account not found' });
    }
  });

  it('a token without the scope → 403 insufficient_scope with WWW-Authenticate', async () => {
    for (const [method, path, scope] of routes(acmeId)) await expectInsufficientScope(await call(doc, t.noScope, method, path, method === 'POST' ? { name: 'x' } : undefined), scope);
    // read-only credentials cannot write
    await expectInsufficientScope(await call(doc, t.devRead, 'POST', '/api/dev/tokens', { name: 'x' }), 'api_credentials:write');
    await expectInsufficientScope(await call(doc, t.devRead, 'DELETE', `/api/acme/tokens/${acmeId}`), 'api_credentials:write');
    await list(doc, t.devRead, 'dev');
  });

  it('scope is checked before the body and the id: no 422/404 leaks to a token without it', async () => {
    await expectInsufficientScope(await call(doc, t.noScope, 'POST', '/api/dev/tokens', {}), 'api_credentials:write');
    await expectInsufficientScope(await call(doc, t.noScope, 'DELETE', '/api/dev/tokens/nope'), 'api_credentials:write');
  });

  it('a member (alex) or linguist (maria) of acme → 403 not_authorized', async () => {
    for (const token of [t.alex, t.maria])
      for (const [method, path] of routes(acmeId)) await expectNotAuthorized(await call(doc, token, method, path, method === 'POST' ? { name: 'x' } : undefined));
    // and on someone else's personal account
    await expectNotAuthorized(await call(doc, t.alex, 'GET', '/api/dev/tokens'));
  });

  it('policy comes before the body: an invalid body still gets 403 from a non-admin', async () => {
    await expectNotAuthorized(await call(doc, t.alex, 'POST', '/api/acme/tokens', {}));
  });

  it('super admin (dev) may list any account\'s tokens but only an org admin may write', async () => {
    await list(doc, t.dev, 'northwind'); // dev is only a member of northwind
    await list(doc, t.dev, 'alex');
    await expectNotAuthorized(await call(doc, t.dev, 'POST', '/api/northwind/tokens', { name: 'x' }));
    const alexs = await create(doc, t.alex, 'northwind', { name: 'northwind ci' });
    await expectNotAuthorized(await call(doc, t.dev, 'DELETE', `/api/northwind/tokens/${alexs.token.id}`));
    await answer(await call(doc, t.alex, 'DELETE', `/api/northwind/tokens/${alexs.token.id}`), 200, { status: 'revoked' });
  });

  it('each user is admin of their own personal account', async () => {
    const mine = await create(doc, t.maria, 'maria', { name: 'maria personal' });
    expect((await list(doc, t.maria, 'maria')).tokens.map((x) => x.id)).toEqual([mine.token.id]);
  });
});

describe('persistence', () => {
  it('created and revoked tokens survive a restart', async () => {
    // acrossRestart closes each mock before the data file's folder is removed (using a token schedules a write).
    await acrossRestart(
      { autoApprove: 'dev' },
      async (first) => {
        const admin = await accessToken(first, CREDS);
        const kept = await create(first, admin, 'dev', { name: 'kept', scope: 'project:read', expires_in_days: '3' });
        const gone = await create(first, admin, 'dev', { name: 'gone', scope: 'project:read' });
        await answer(await call(first, admin, 'DELETE', `/api/dev/tokens/${gone.token.id}`), 200);
        return { kept, gone };
      },
      async (second, { kept, gone }) => {
        const again = await accessToken(second, CREDS);
        const listed = await list(second, again, 'dev');
        expect(listed.tokens.filter((x) => x.id !== FIXTURE_TOKEN_ID)).toEqual([kept.token]);
        await answer(await call(second, kept.plain_token, 'GET', '/api/dev/projects'), 200);
        await expectInvalidToken(await call(second, gone.plain_token, 'GET', '/api/dev/projects'));
      },
    );
  });
});

describe('the fixtures\' account token (fixtures/account_tokens.json)', () => {
  /** Its plain value, fixed so CI configs can hard-code it. */
  const CI_TOKEN = 'glsa_5eedc1a0deadbeef0123456789abcdef01234567';

  it('works as a bearer token on GET /api/dev/voice, with its scope only', async () => {
    const m = await start();
    const body = await answer<{ version: number }>(await call(m, CI_TOKEN, 'GET', '/api/dev/voice'), 200);
    expect(body.version).toBe(2);
    await answer(await call(m, CI_TOKEN, 'GET', '/api/dev/glossary'), 200);
    await expectInsufficientScope(await call(m, CI_TOKEN, 'GET', '/api/dev/projects'), 'project:read');
  });

  it('is listed by GET /api/dev/tokens as the reference seeds it, without its plain value', async () => {
    const m = await start();
    const admin = await accessToken(m, CREDS);
    const res = await call(m, admin, 'GET', '/api/dev/tokens');
    const text = await res.clone().text();
    const body = await answer<Listed>(res, 200);
    expect(body.tokens).toEqual([
      {
        id: FIXTURE_TOKEN_ID,
        name: 'CI Pipeline Token',
        description: 'Used by GitHub Actions to push translations',
        token_prefix: 'glsa_5eedc1a',
        scope: 'voice:read voice:write glossary:read glossary:write',
        expires_at: expect.stringMatching(ISO_MICROS),
        last_used_at: null,
        inserted_at: expect.stringMatching(ISO_MICROS),
      },
    ]);
    expect(text).not.toContain(CI_TOKEN);
    // Valid for 90 days from when the world was seeded, whatever date the fixtures were written on.
    const expiresIn = Date.parse(body.tokens[0]!.expires_at!) - m.mock.clock.nowMs();
    expect(expiresIn).toBeGreaterThan(90 * DAY_MS - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(90 * DAY_MS);
    // Only its SHA-256 is stored.
    const record = m.mock.store.data.world!.accountTokens.find((r) => r.id === FIXTURE_TOKEN_ID)!;
    expect(record).toMatchObject({ account: 'dev', userId: USERS.dev, token_hash: createHash('sha256').update(CI_TOKEN).digest('hex') });
    expect(JSON.stringify(m.mock.store.data)).not.toContain(CI_TOKEN);

    // Using it sets last_used_at; it expires after the 90 days.
    await answer(await call(m, CI_TOKEN, 'GET', '/api/dev/voice'), 200);
    expect((await list(m, admin, 'dev')).tokens[0]!.last_used_at).toMatch(ISO_MICROS);
    await later(m, 90 * 86_400 + 60, async () => {
      await expectInvalidToken(await call(m, CI_TOKEN, 'GET', '/api/dev/voice'));
    });
  });
});
