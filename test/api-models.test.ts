// LLM models over real HTTP (reference 9.11): GET|POST /api/:handle/models and
// GET|PATCH|DELETE /api/:handle/models/:id, the check order of 9.1 and the two-layer authorization
// of 6.2, default handling, the API key never returned, the fixtures' models, persistence.
import { beforeAll, describe, expect, it } from 'vitest';
import { answer, call, expectInsufficientScope, expectInvalidToken, expectNotAuthorized, expectUnauthorized, onePage } from './helpers/api.js';
import { acrossRestart, mockStarter, USERS, type TestMock } from './helpers/mock.js';
import { accessToken, accessTokens } from './helpers/tokens.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const ITEM_KEYS = ['base_url', 'default', 'handle', 'id', 'inserted_at', 'model', 'updated_at'];
const RW = 'llm_model:read llm_model:write';
const UNKNOWN_ID = '019c0000-0000-7000-8000-00000000abcd';

interface ModelItem {
  id: string;
  handle: string;
  model: string;
  base_url: string | null;
  default: boolean;
  inserted_at: string;
  updated_at: string;
}
interface One {
  model: ModelItem;
}
interface Listed {
  models: ModelItem[];
  meta: Record<string, unknown>;
}

const start = mockStarter({ autoApprove: 'dev' });
let doc: TestMock;
const t = { dev: '', devRead: '', noScope: '', alex: '', maria: '' };

beforeAll(async () => {
  doc = await start();
  Object.assign(
    t,
    await accessTokens({
      dev: [doc, RW],
      devRead: [doc, 'llm_model:read'],
      noScope: [doc, 'user:read project:read project:write'],
      alex: [doc, RW, 'alex'],
      maria: [doc, RW, 'maria'],
    }),
  );
});

const create = async (m: TestMock, token: string, handle: string, body: unknown) =>
  (await answer<One>(await call(m, token, 'POST', `/api/${handle}/models`, body), 201)).model;
const list = async (m: TestMock, token: string, handle: string, query = '') =>
  answer<Listed>(await call(m, token, 'GET', `/api/${handle}/models${query}`), 200);
const defaults = async (m: TestMock, token: string, handle: string) =>
  (await list(m, token, handle)).models.filter((x) => x.default).map((x) => x.handle);
/** Every model key of the account as stored (to check none leaks). */
const storedKeys = (m: TestMock) => m.mock.store.data.world!.models.map((x) => x.api_key);

describe('the fixtures\' models', () => {
  it('dev and acme have theirs, sorted by handle; one default each', async () => {
    const m = await start();
    const token = await accessToken(m, 'llm_model:read');
    const dev = await list(m, token, 'dev');
    expect(dev.models.map((x) => x.handle)).toEqual(['claude-sonnet', 'fast-drafts', 'gpt-4o', 'local-claude', 'local-codex', 'local-pi', 'long-form-guides']);
    expect(dev.meta).toEqual(onePage(7));
    expect(dev.models.find((x) => x.handle === 'claude-sonnet')!.model).toBe('anthropic/claude-sonnet-5');
    expect(dev.models.find((x) => x.handle === 'gpt-4o')!.model).toBe('openai/gpt-4o');
    expect(dev.models.filter((x) => x.default).map((x) => [x.handle, x.model])).toEqual([['local-codex', 'openai/gpt-5.4']]);
    const acme = await list(m, token, 'acme');
    expect(acme.models.map((x) => [x.handle, x.default])).toEqual([
      ['acme-claude', true],
      ['acme-fast-drafts', false],
    ]);
    expect((await list(m, token, 'northwind')).models).toEqual([]);
    const text = JSON.stringify([dev, acme]);
    expect(text).not.toContain('api_key');
    for (const key of storedKeys(m)) expect(text).not.toContain(key);
  });
});

describe('GET /api/:handle/models', () => {
  it('{"models":[…],"meta":{…}} with the documented item keys', async () => {
    const body = await list(doc, t.devRead, 'acme');
    expect(Object.keys(body).sort()).toEqual(['meta', 'models']);
    for (const item of body.models) {
      expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
      expect(item.id).toMatch(UUID_V7);
      expect(item.inserted_at).toMatch(ISO_MICROS);
      expect(item.updated_at).toMatch(ISO_MICROS);
    }
  });

  it('sorts by handle / model / inserted_at, filters by handle and model, paginates', async () => {
    const m = await start();
    const token = await accessToken(m, 'llm_model:read');
    const handles = async (q: string) => (await list(m, token, 'dev', q)).models.map((x) => x.handle);
    expect(await handles('?order_by[]=handle&order_directions[]=desc')).toEqual(['long-form-guides', 'local-pi', 'local-codex', 'local-claude', 'gpt-4o', 'fast-drafts', 'claude-sonnet']);
    expect((await handles('?order_by[]=model&order_by[]=handle')).slice(0, 2)).toEqual(['local-claude', 'long-form-guides']);
    expect(await handles('?order_by[]=inserted_at')).toEqual(['claude-sonnet', 'gpt-4o', 'local-codex', 'local-pi', 'local-claude', 'fast-drafts', 'long-form-guides']);
    expect(await handles('?filters[0][field]=handle&filters[0][op]=%3D~&filters[0][value]=LOCAL')).toEqual(['local-claude', 'local-codex', 'local-pi']);
    expect(await handles('?filters[0][field]=model&filters[0][value]=openai/gpt-4o')).toEqual(['gpt-4o']);
    const page = await list(m, token, 'dev', '?page=2&page_size=5');
    expect(page.models.map((x) => x.handle)).toEqual(['local-pi', 'long-form-guides']);
    expect(page.meta).toMatchObject({ total_count: 7, total_pages: 2, current_page: 2, 'has_previous_page?': true });
  });

  it('bad list parameters → 400 naming them', async () => {
    await answer(await call(doc, t.dev, 'GET', '/api/dev/models?order_by[]=base_url'), 400, {
      errors: { order_by: ['must be one of: handle, model, inserted_at'] },
    });
    await answer(await call(doc, t.dev, 'GET', '/api/dev/models?filters[0][field]=default&filters[0][value]=true'), 400, {
      errors: { 'filters[0][field]': ['must be one of: handle, model'] },
    });
  });
});

describe('POST /api/:handle/models', () => {
  it('201 {"model":{…}}; the API key is stored but never returned', async () => {
    const res = await call(doc, t.dev, 'POST', '/api/dev/models', {
      model_handle: 'reviewer',
      model: 'anthropic/claude-sonnet-4-20250514',
      api_key: 'sk-secret-reviewer-key',
      base_url: 'https://llm.example.test/v1',
    });
    const text = await res.clone().text();
    const body = await answer<One>(res, 201);
    expect(Object.keys(body)).toEqual(['model']);
    expect(body.model).toEqual({
      id: expect.stringMatching(UUID_V7),
      handle: 'reviewer',
      model: 'anthropic/claude-sonnet-4-20250514',
      base_url: 'https://llm.example.test/v1',
      default: false,
      inserted_at: expect.stringMatching(ISO_MICROS),
      updated_at: body.model.inserted_at,
    });
    expect(text).not.toContain('sk-secret-reviewer-key');
    expect(text).not.toContain('api_key');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const record = doc.mock.store.data.world!.models.find((x) => x.id === body.model.id)!;
    expect(record).toMatchObject({ account: 'dev', api_key: 'sk-secret-reviewer-key', created_by: USERS.dev });
    // The seeded default stays the default.
    expect(await defaults(doc, t.dev, 'dev')).toEqual(['local-codex']);
  });

  it('base_url is optional (null); a form body works, default as a form string', async () => {
    const plain = await create(doc, t.dev, 'dev', { model_handle: 'plain', model: 'openai/gpt-4o-mini', api_key: 'k' });
    expect(plain.base_url).toBeNull();
    const viaForm = await create(doc, t.dev, 'dev', new URLSearchParams({ model_handle: 'via-form', model: 'openai/gpt-4o', api_key: 'k', default: 'false' }));
    expect(viaForm).toMatchObject({ handle: 'via-form', default: false, base_url: null });
  });

  it('the first model of an account is always default, even when asked otherwise', async () => {
    const first = await create(doc, t.maria, 'maria', { model_handle: 'first', model: 'openai/gpt-4o', api_key: 'k', default: false });
    expect(first.default).toBe(true);
    const second = await create(doc, t.maria, 'maria', { model_handle: 'second', model: 'openai/gpt-4o', api_key: 'k' });
    expect(second.default).toBe(false);
    expect(await defaults(doc, t.maria, 'maria')).toEqual(['first']);
  });

  it('default: true makes it the only default', async () => {
    await create(doc, t.alex, 'northwind', { model_handle: 'nw-one', model: 'openai/gpt-4o', api_key: 'k' });
    const two = await create(doc, t.alex, 'northwind', { model_handle: 'nw-two', model: 'anthropic/claude-sonnet-5', api_key: 'k', default: true });
    expect(two.default).toBe(true);
    expect(await defaults(doc, t.alex, 'northwind')).toEqual(['nw-two']);
  });

  it('422 with every problem at once; nothing stored', async () => {
    const before = doc.mock.store.data.world!.models.length;
    const post = (body: unknown) => call(doc, t.dev, 'POST', '/api/dev/models', body);
    await answer(await post({}), 422, {
      errors: { handle: ["can't be blank"], model: ["can't be blank"], api_key: ["can't be blank"] },
    });
    await answer(await post({ model_handle: 'Bad_Handle', model: 'no-provider', api_key: '  ', base_url: 'ftp://x', default: 'yes' }), 422, {
      errors: {
        handle: ['must start with a lowercase letter and contain only lowercase letters, numbers, and hyphens'],
        model: ['must be in the format provider/model'],
        api_key: ["can't be blank"],
        base_url: ['must start with http:// or https://'],
        default: ['is invalid'],
      },
    });
    await answer(await post({ model_handle: 'x', model: 'a/b', api_key: 'k' }), 422, { errors: { handle: ['should be at least 2 character(s)'] } });
    await answer(await post({ model_handle: 'a'.repeat(65), model: 'a/b', api_key: 'k' }), 422, { errors: { handle: ['should be at most 64 character(s)'] } });
    await answer(await post({ model_handle: '1abc', model: 'a/b', api_key: 'k' }), 422, {
      errors: { handle: ['must start with a lowercase letter and contain only lowercase letters, numbers, and hyphens'] },
    });
    await answer(await post({ model_handle: 7, model: 'a/b', api_key: 'k' }), 422, { errors: { handle: ['is invalid'] } });
    await answer(await post({ model_handle: 'gpt-4o', model: 'openai/gpt-4o', api_key: 'k' }), 422, { errors: { handle: ['has already been taken'] } });
    expect(doc.mock.store.data.world!.models).toHaveLength(before);
    // 64 characters is fine; the same handle in another account is fine.
    expect((await create(doc, t.dev, 'dev', { model_handle: `a${'b'.repeat(63)}`, model: 'a/b', api_key: 'k' })).handle).toHaveLength(64);
    await create(doc, t.dev, 'acme', { model_handle: 'gpt-4o', model: 'openai/gpt-4o', api_key: 'k' });
  });
});

describe('GET /api/:handle/models/:id', () => {
  it('{"model":{…}}; unknown or another account\'s id → 404 {"error":"model not found"}; one that is no UUID → 400', async () => {
    const made = await create(doc, t.dev, 'dev', { model_handle: 'shown', model: 'openai/gpt-4o', api_key: 'sk-shown-key' });
    const res = await call(doc, t.devRead, 'GET', `/api/dev/models/${made.id}`);
    const text = await res.clone().text();
    await answer(res, 200, { model: made });
    expect(text).not.toContain('sk-shown-key');
    // Any form the id type casts finds it: upper case, 32 hex digits.
    for (const id of [made.id.toUpperCase(), made.id.replaceAll('-', '')])
      await answer(await call(doc, t.dev, 'GET', `/api/dev/models/${id}`), 200, { model: made });
    await answer(await call(doc, t.dev, 'GET', `/api/dev/models/${UNKNOWN_ID}`), 404, { error: 'model not found' });
    // The real server's query raises on an id that does not cast: Phoenix's 400, on every method.
    for (const method of ['GET', 'PATCH', 'DELETE'])
      await answer(await call(doc, t.dev, method, '/api/dev/models/not-a-uuid', method === 'PATCH' ? { model: 'a/b' } : undefined), 400, {
        errors: { detail: 'Bad Request' },
      });
    await answer(await call(doc, t.dev, 'GET', `/api/acme/models/${made.id}`), 404, { error: 'model not found' });
  });
});

describe('PATCH /api/:handle/models/:id', () => {
  it('changes only the fields given; 200 {"model":{…}} with a new updated_at; the new key is kept, not shown', async () => {
    const made = await create(doc, t.dev, 'dev', { model_handle: 'patched', model: 'openai/gpt-4o', api_key: 'old-key', base_url: 'http://localhost:9000' });
    doc.mock.clock.advance(2);
    const res = await call(doc, t.dev, 'PATCH', `/api/dev/models/${made.id}`, { model: 'openai/gpt-5.4', api_key: 'new-key' });
    const text = await res.clone().text();
    const body = await answer<One>(res, 200);
    expect(body.model).toEqual({ ...made, model: 'openai/gpt-5.4', updated_at: expect.stringMatching(ISO_MICROS) });
    expect(Date.parse(body.model.updated_at)).toBeGreaterThan(Date.parse(made.updated_at));
    expect(text).not.toContain('new-key');
    expect(doc.mock.store.data.world!.models.find((x) => x.id === made.id)!.api_key).toBe('new-key');

    const renamed = await answer<One>(await call(doc, t.dev, 'PATCH', `/api/dev/models/${made.id}`, { model_handle: 'patched-2', base_url: '' }), 200);
    expect(renamed.model).toMatchObject({ handle: 'patched-2', base_url: null, model: 'openai/gpt-5.4' });
    const same = await answer<One>(await call(doc, t.dev, 'PATCH', `/api/dev/models/${made.id}`, {}), 200);
    expect(same.model).toMatchObject({ handle: 'patched-2', model: 'openai/gpt-5.4', base_url: null, default: false });
  });

  it('default: true moves the default; default: false clears it', async () => {
    const m = await start();
    const token = await accessToken(m, RW);
    const acme = (await list(m, token, 'acme')).models;
    const fast = acme.find((x) => x.handle === 'acme-fast-drafts')!;
    const claude = acme.find((x) => x.handle === 'acme-claude')!;
    const moved = await answer<One>(await call(m, token, 'PATCH', `/api/acme/models/${fast.id}`, { default: true }), 200);
    expect(moved.model.default).toBe(true);
    expect(await defaults(m, token, 'acme')).toEqual(['acme-fast-drafts']);
    // The other account's default is untouched.
    expect(await defaults(m, token, 'dev')).toEqual(['local-codex']);
    await answer(await call(m, token, 'PATCH', `/api/acme/models/${claude.id}`, new URLSearchParams({ default: 'true' })), 200);
    expect(await defaults(m, token, 'acme')).toEqual(['acme-claude']);
    await answer(await call(m, token, 'PATCH', `/api/acme/models/${claude.id}`, { default: false }), 200);
    expect(await defaults(m, token, 'acme')).toEqual([]);
  });

  it('422 on bad values (nothing changed); a taken handle; its own handle is fine', async () => {
    const made = await create(doc, t.dev, 'dev', { model_handle: 'strict', model: 'openai/gpt-4o', api_key: 'k' });
    const path = `/api/dev/models/${made.id}`;
    await answer(await call(doc, t.dev, 'PATCH', path, { model_handle: '', model: 'gpt', api_key: '', base_url: 'localhost', default: 3 }), 422, {
      errors: {
        handle: ["can't be blank"],
        model: ['must be in the format provider/model'],
        api_key: ["can't be blank"],
        base_url: ['must start with http:// or https://'],
        default: ['is invalid'],
      },
    });
    await answer(await call(doc, t.dev, 'PATCH', path, { model_handle: 'gpt-4o' }), 422, { errors: { handle: ['has already been taken'] } });
    await answer(await call(doc, t.dev, 'GET', path), 200, { model: made });
    await answer(await call(doc, t.dev, 'PATCH', path, { model_handle: 'strict' }), 200);
  });

  it('unknown id → 404 {"error":"model not found"}', async () => {
    await answer(await call(doc, t.dev, 'PATCH', `/api/dev/models/${UNKNOWN_ID}`, { model: 'a/b' }), 404, { error: 'model not found' });
  });

  it('ids cast as Glossia\'s id type casts them: 16 raw bytes or a 22-character slug are UUIDs (404), 15 bytes are not (400)', async () => {
    for (const id of ['abcdefghijklmnop', 'AAAAAAAAAAAAAAAAAAAAAA'])
      await answer(await call(doc, t.dev, 'PATCH', `/api/dev/models/${id}`, { model: 'a/b' }), 404, { error: 'model not found' });
    await answer(await call(doc, t.dev, 'PATCH', '/api/dev/models/abcdefghijklmno', { model: 'a/b' }), 400, { errors: { detail: 'Bad Request' } });
  });
});

describe('DELETE /api/:handle/models/:id', () => {
  it('200 {"status":"deleted"}; gone from the list; a second time → 404', async () => {
    const made = await create(doc, t.dev, 'dev', { model_handle: 'bye', model: 'openai/gpt-4o', api_key: 'k' });
    const path = `/api/dev/models/${made.id}`;
    await answer(await call(doc, t.dev, 'DELETE', path), 200, { status: 'deleted' });
    expect((await list(doc, t.dev, 'dev', '?page_size=1000')).models.map((x) => x.id)).not.toContain(made.id);
    expect(doc.mock.store.data.world!.models.find((x) => x.id === made.id)).toBeUndefined();
    await answer(await call(doc, t.dev, 'DELETE', path), 404, { error: 'model not found' });
    await answer(await call(doc, t.dev, 'GET', path), 404, { error: 'model not found' });
  });

  it('another account\'s model → 404', async () => {
    const acme = await create(doc, t.dev, 'acme', { model_handle: 'acme-only', model: 'openai/gpt-4o', api_key: 'k' });
    await answer(await call(doc, t.dev, 'DELETE', `/api/dev/models/${acme.id}`), 404, { error: 'model not found' });
    await answer(await call(doc, t.dev, 'DELETE', `/api/acme/models/${acme.id}`), 200, { status: 'deleted' });
  });
});

describe('authentication and authorization (reference 9.1, 6.2)', () => {
  let acmeId: string;
  const routes = () =>
    [
      ['GET', '/api/acme/models', 'llm_model:read'],
      ['POST', '/api/acme/models', 'llm_model:write'],
      ['GET', `/api/acme/models/${acmeId}`, 'llm_model:read'],
      ['PATCH', `/api/acme/models/${acmeId}`, 'llm_model:write'],
      ['DELETE', `/api/acme/models/${acmeId}`, 'llm_model:write'],
    ] as const;
  const bodyFor = (method: string) => (method === 'POST' || method === 'PATCH' ? { model_handle: 'x-model', model: 'a/b', api_key: 'k' } : undefined);
  beforeAll(async () => {
    acmeId = (await list(doc, t.dev, 'acme')).models.find((x) => x.handle === 'acme-claude')!.id;
  });

  it('no Authorization header → 401 unauthorized', async () => {
    for (const [method, path] of routes()) await expectUnauthorized(await call(doc, null, method, path, bodyFor(method)));
  });

  it('an unknown token → 401 invalid_token', async () => {
    for (const [method, path] of routes()) await expectInvalidToken(await call(doc, 'nope', method, path, bodyFor(method)));
  });

  it('an unknown handle → 404 account not found, even without the scope', async () => {
    for (const token of [t.dev, t.noScope])
      for (const [method, path] of routes())
        await answer(await call(doc, token, method, path.replace('/api/acme/', '/api/nobody/'), bodyFor(method)), 404, { error: 'account not found' });
  });

  it('a token without the scope → 403 insufficient_scope, before the body or the id is looked at', async () => {
    for (const [method, path, scope] of routes()) await expectInsufficientScope(await call(doc, t.noScope, method, path, bodyFor(method)), scope);
    await expectInsufficientScope(await call(doc, t.devRead, 'POST', '/api/dev/models', {}), 'llm_model:write');
    await expectInsufficientScope(await call(doc, t.devRead, 'PATCH', `/api/dev/models/${UNKNOWN_ID}`, {}), 'llm_model:write');
    await expectInsufficientScope(await call(doc, t.devRead, 'DELETE', `/api/acme/models/${acmeId}`), 'llm_model:write');
  });

  it('a member (alex) or linguist (maria) of acme → 403 not_authorized, even to read, even with a bad body', async () => {
    for (const token of [t.alex, t.maria])
      for (const [method, path] of routes()) await expectNotAuthorized(await call(doc, token, method, path, bodyFor(method)));
    await expectNotAuthorized(await call(doc, t.alex, 'POST', '/api/acme/models', {}));
    await expectNotAuthorized(await call(doc, t.alex, 'GET', '/api/dev/models'));
    // Nothing changed.
    expect((await list(doc, t.dev, 'acme')).models.find((x) => x.id === acmeId)).toMatchObject({ handle: 'acme-claude' });
  });

  it('super admin (dev) may read any account\'s models but only an org admin may write', async () => {
    const nw = await create(doc, t.alex, 'northwind', { model_handle: 'nw-auth', model: 'openai/gpt-4o', api_key: 'k' });
    await list(doc, t.dev, 'northwind'); // dev is only a member of northwind
    await answer(await call(doc, t.dev, 'GET', `/api/northwind/models/${nw.id}`), 200);
    await list(doc, t.dev, 'alex');
    await expectNotAuthorized(await call(doc, t.dev, 'POST', '/api/northwind/models', bodyFor('POST')));
    await expectNotAuthorized(await call(doc, t.dev, 'PATCH', `/api/northwind/models/${nw.id}`, { default: true }));
    await expectNotAuthorized(await call(doc, t.dev, 'DELETE', `/api/northwind/models/${nw.id}`));
    await answer(await call(doc, t.alex, 'DELETE', `/api/northwind/models/${nw.id}`), 200, { status: 'deleted' });
  });
});

describe('persistence', () => {
  it('created, changed and deleted models survive a restart', async () => {
    await acrossRestart(
      { autoApprove: 'dev' },
      async (first) => {
        const token = await accessToken(first, RW);
        const kept = await create(first, token, 'acme', { model_handle: 'kept', model: 'openai/gpt-4o', api_key: 'kept-key', default: true });
        const gone = await create(first, token, 'acme', { model_handle: 'gone', model: 'openai/gpt-4o', api_key: 'k' });
        await answer(await call(first, token, 'DELETE', `/api/acme/models/${gone.id}`), 200);
        const claude = (await list(first, token, 'acme')).models.find((x) => x.handle === 'acme-claude')!;
        await answer(await call(first, token, 'PATCH', `/api/acme/models/${claude.id}`, { model: 'anthropic/claude-opus-4-1' }), 200);
        return { kept, gone };
      },
      async (second, { kept, gone }) => {
        const token = await accessToken(second, RW);
        const acme = await list(second, token, 'acme');
        expect(acme.models.map((x) => [x.handle, x.model, x.default])).toEqual([
          ['acme-claude', 'anthropic/claude-opus-4-1', false],
          ['acme-fast-drafts', 'openai/gpt-4o-mini', false],
          ['kept', 'openai/gpt-4o', true],
        ]);
        await answer(await call(second, token, 'GET', `/api/acme/models/${kept.id}`), 200, { model: kept });
        await answer(await call(second, token, 'GET', `/api/acme/models/${gone.id}`), 404, { error: 'model not found' });
        expect(second.mock.store.data.world!.models.find((x) => x.id === kept.id)!.api_key).toBe('kept-key');
      },
    );
  });
});
