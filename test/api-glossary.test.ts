// The glossary (terminology) API (reference 9.8) over real HTTP: seed answers, the per-locale
// form, versions and history, writes with their 422s, the 401/403/404 order of 9.1, and the
// policy of 6.2 — a public account's glossary is not public (17.3).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvalidToken } from './helpers/api.js';
import { startTestMock, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';

interface FixtureEntry {
  id: string;
  term: string;
  definition: string | null;
  case_sensitive: boolean;
  translations: { locale: string; translation: string }[];
}
interface FixtureGlossary {
  version: number;
  change_note: string | null;
  inserted_at: string;
  entries: FixtureEntry[];
}

const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/glossaries.json', import.meta.url), 'utf8')) as {
  account: string;
  versions: FixtureGlossary[];
}[];
const fixture = (account: string, version: number): FixtureGlossary => {
  const g = FIXTURE.find((a) => a.account === account)?.versions.find((x) => x.version === version);
  if (!g) throw new Error(`fixture glossary ${account} v${version} is missing`);
  return g;
};
/** The GET shape of a fixture version: entries without their ids. */
const getShape = (g: FixtureGlossary) => ({
  version: g.version,
  change_note: g.change_note,
  inserted_at: g.inserted_at,
  entries: g.entries.map(({ id: _id, ...e }) => e),
});
/** The per-locale entry of a fixture entry. */
const localized = (account: string, version: number, term: string, translation: string) => {
  const e = fixture(account, version).entries.find((x) => x.term === term)!;
  return { id: e.id, term: e.term, definition: e.definition, case_sensitive: e.case_sensitive, translation };
};

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EMPTY_META = { total_pages: 1, current_page: 1, page_size: 50, 'has_next_page?': false, 'has_previous_page?': false };

async function call(m: TestMock, method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${m.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

async function ok(m: TestMock, method: string, path: string, token: string, body?: unknown) {
  const res = await call(m, method, path, token, body);
  expect(res.status, res.text).toBe(method === 'POST' ? 201 : 200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return res.body as Record<string, unknown>;
}

async function expectError(m: TestMock, method: string, path: string, token: string | undefined, status: number, body: unknown, payload?: unknown) {
  const res = await call(m, method, path, token, payload);
  expect({ status: res.status, body: res.body }).toEqual({ status, body });
  return res;
}

async function expectInsufficientScope(m: TestMock, method: string, path: string, token: string, scope: string, payload?: unknown) {
  const res = await expectError(m, method, path, token, 403, { error: 'insufficient_scope', required_scope: scope }, payload);
  expect(res.headers.get('www-authenticate')).toBe(`Bearer error="insufficient_scope", scope="${scope}"`);
}

const terms = (body: Record<string, unknown>) => (body['entries'] as { term: string }[]).map((e) => e.term);

let seed: TestMock;
let rw: TestMock;
let dir: string;
const t = { dev: '', alex: '', maria: '', noScope: '', devW: '', alexW: '', mariaW: '', readOnly: '' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glossia-mock-glossary-'));
  [seed, rw] = await Promise.all([startTestMock({ autoApprove: 'dev' }), startTestMock({ autoApprove: 'dev' })]);
  const token = async (m: TestMock, scope: string, user: string) => (await tokensFor(m, scope, { user })).access_token;
  [t.dev, t.alex, t.maria, t.noScope, t.devW, t.alexW, t.mariaW, t.readOnly] = await Promise.all([
    token(seed, 'glossary:read', 'dev'),
    token(seed, 'glossary:read', 'alex'),
    token(seed, 'glossary:read', 'maria'),
    token(seed, 'project:read voice:read glossary:write', 'dev'),
    token(rw, 'glossary:read glossary:write', 'dev'),
    token(rw, 'glossary:read glossary:write', 'alex'),
    token(rw, 'glossary:read glossary:write', 'maria'),
    token(rw, 'glossary:read', 'dev'),
  ]);
});

afterAll(async () => {
  await Promise.all([seed, rw].filter(Boolean).map((m) => m.close()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('GET /api/:handle/glossary: the seed data (reference 17.2)', () => {
  it('dev: the latest version is v2, in the GET shape (no entry ids)', async () => {
    const body = await ok(seed, 'GET', '/api/dev/glossary', t.dev);
    expect(body).toEqual(getShape(fixture('dev', 2)));
    expect(Object.keys(body)).toEqual(['version', 'change_note', 'inserted_at', 'entries']);
    expect(body).toMatchObject({ version: 2, change_note: 'Add French translations and account term' });
    expect(terms(body)).toEqual(['project', 'voice', 'terminology', 'API', 'account']);
    expect((body['entries'] as object[])[0]).toEqual({
      term: 'project',
      definition: 'A repository or application tracked by Glossia.',
      case_sensitive: false,
      translations: [
        { locale: 'es', translation: 'proyecto' },
        { locale: 'ja', translation: 'プロジェクト' },
        { locale: 'de', translation: 'Projekt' },
        { locale: 'fr', translation: 'projet' },
      ],
    });
  });

  it('?version=1 answers that version', async () => {
    const body = await ok(seed, 'GET', '/api/dev/glossary?version=1', t.dev);
    expect(body).toEqual(getShape(fixture('dev', 1)));
    expect(body['change_note']).toBe('Initial terminology');
    expect(terms(body)).toEqual(['project', 'voice', 'terminology', 'API']);
  });

  it('acme: v1', async () => {
    expect(await ok(seed, 'GET', '/api/acme/glossary', t.dev)).toEqual(getShape(fixture('acme', 1)));
  });

  it('?version=N that does not exist → 404; not an integer → 400 invalid_version', async () => {
    await expectError(seed, 'GET', '/api/dev/glossary?version=3', t.dev, 404, { error: 'no terminology configured' });
    for (const v of ['abc', '1.5', '', 'v1'])
      await expectError(seed, 'GET', `/api/dev/glossary?version=${v}`, t.dev, 400, { error: 'invalid_version' });
  });

  it('an account without a glossary → 404 no terminology configured', async () => {
    await expectError(seed, 'GET', '/api/northwind/glossary', t.alex, 404, { error: 'no terminology configured' });
    await expectError(seed, 'GET', '/api/alex/glossary?locale=fr', t.alex, 404, { error: 'no terminology configured' });
  });
});

describe('GET /api/:handle/glossary?locale=', () => {
  it('fr: every v2 entry with its French translation and id, sorted by term', async () => {
    const body = await ok(seed, 'GET', '/api/dev/glossary?locale=fr', t.dev);
    expect(body).toEqual({
      version: 2,
      locale: 'fr',
      entries: [
        localized('dev', 2, 'API', 'API'),
        localized('dev', 2, 'account', 'compte'),
        localized('dev', 2, 'project', 'projet'),
        localized('dev', 2, 'terminology', 'terminologie'),
        localized('dev', 2, 'voice', 'voix'),
      ],
    });
    expect(Object.keys((body['entries'] as object[])[0]!)).toEqual(['id', 'term', 'definition', 'case_sensitive', 'translation']);
  });

  it('fr-CA and fr_CA fall back to fr', async () => {
    for (const locale of ['fr-CA', 'fr_CA']) {
      const body = await ok(seed, 'GET', `/api/dev/glossary?locale=${locale}`, t.dev);
      expect(body).toMatchObject({ version: 2, locale: 'fr-CA' });
      expect(terms(body)).toEqual(['API', 'account', 'project', 'terminology', 'voice']);
    }
  });

  it('locale wins over version; a locale nobody translated → no entries', async () => {
    expect(await ok(seed, 'GET', '/api/dev/glossary?version=1&locale=fr', t.dev)).toMatchObject({ version: 2 });
    expect(await ok(seed, 'GET', '/api/dev/glossary?locale=ko', t.dev)).toEqual({ version: 2, locale: 'ko', entries: [] });
  });

  it('acme: es-MX is exact; es does not reach es-MX; es-AR does not either', async () => {
    expect(await ok(seed, 'GET', '/api/acme/glossary?locale=es-MX', t.dev)).toEqual({
      version: 1,
      locale: 'es-MX',
      entries: [localized('acme', 1, 'platform', 'plataforma'), localized('acme', 1, 'workspace', 'espacio de trabajo')],
    });
    expect(await ok(seed, 'GET', '/api/acme/glossary?locale=es', t.dev)).toEqual({ version: 1, locale: 'es', entries: [] });
    expect(await ok(seed, 'GET', '/api/acme/glossary?locale=es-AR', t.dev)).toEqual({ version: 1, locale: 'es-AR', entries: [] });
  });
});

describe('GET /api/:handle/glossary/history', () => {
  it('dev: newest first, with change notes and meta', async () => {
    expect(await ok(seed, 'GET', '/api/dev/glossary/history', t.dev)).toEqual({
      versions: [
        { version: 2, change_note: 'Add French translations and account term', inserted_at: fixture('dev', 2).inserted_at },
        { version: 1, change_note: 'Initial terminology', inserted_at: fixture('dev', 1).inserted_at },
      ],
      meta: { total_count: 2, ...EMPTY_META },
    });
  });

  it('sorts by version or inserted_at, filters by version and change_note', async () => {
    const versions = async (query: string) =>
      ((await ok(seed, 'GET', `/api/dev/glossary/history?${query}`, t.dev))['versions'] as { version: number }[]).map((v) => v.version);
    expect(await versions('order_by[]=version&order_directions[]=asc')).toEqual([1, 2]);
    expect(await versions('order_by[]=inserted_at&order_directions[]=desc')).toEqual([2, 1]);
    expect(await versions('filters[0][field]=change_note&filters[0][op]=%3D~&filters[0][value]=french')).toEqual([2]);
    expect(await versions('filters[0][field]=version&filters[0][op]=%3D%3D&filters[0][value]=1')).toEqual([1]);
  });

  it('unknown sort/filter fields → 400', async () => {
    expect((await call(seed, 'GET', '/api/dev/glossary/history?order_by[]=change_note', t.dev)).status).toBe(400);
    expect((await call(seed, 'GET', '/api/dev/glossary/history?filters[0][field]=tone&filters[0][value]=x', t.dev)).status).toBe(400);
  });
});

describe('glossary: authentication and authorization (reference 9.1, 6.2, 17.3)', () => {
  const paths = ['/api/dev/glossary', '/api/dev/glossary/history'];

  it('no token → 401 unauthorized without WWW-Authenticate; unknown token → 401 invalid_token', async () => {
    for (const path of paths) {
      const res = await expectError(seed, 'GET', path, undefined, 401, { error: 'unauthorized' });
      expect(res.headers.get('www-authenticate')).toBeNull();
      await expectInvalidToken(await fetch(`${seed.url}${path}`, { headers: { Authorization: 'Bearer nope' } }));
    }
    await expectError(seed, 'POST', '/api/dev/glossary', undefined, 401, { error: 'unauthorized' }, {});
  });

  it('a token without glossary:read → 403 insufficient_scope', async () => {
    for (const path of paths) await expectInsufficientScope(seed, 'GET', path, t.noScope, 'glossary:read');
  });

  it('a token without glossary:write → 403 insufficient_scope', async () => {
    await expectInsufficientScope(rw, 'POST', '/api/dev/glossary', t.readOnly, 'glossary:write', { entries: 'x' });
  });

  it('an unknown handle → 404 account not found, even without the scope', async () => {
    for (const path of ['/api/nope/glossary', '/api/nope/glossary/history']) {
      await expectError(seed, 'GET', path, t.dev, 404, { error: 'account not found' });
      await expectError(seed, 'GET', path, t.noScope, 404, { error: 'account not found' });
    }
    await expectError(rw, 'POST', '/api/nope/glossary', t.readOnly, 404, { error: 'account not found' }, {});
  });

  it('maria: dev is public but its glossary is not → 403 not_authorized; acme (linguist) → 200', async () => {
    for (const path of [...paths, '/api/dev/glossary?locale=fr', '/api/northwind/glossary'])
      await expectError(seed, 'GET', path, t.maria, 403, { error: 'not_authorized' });
    expect(await ok(seed, 'GET', '/api/acme/glossary', t.maria)).toEqual(getShape(fixture('acme', 1)));
    expect(await ok(seed, 'GET', '/api/acme/glossary/history', t.maria)).toMatchObject({ meta: { total_count: 1 } });
  });

  it('alex is no member of dev → 403; member of acme → 200', async () => {
    await expectError(seed, 'GET', '/api/dev/glossary', t.alex, 403, { error: 'not_authorized' });
    expect(await ok(seed, 'GET', '/api/acme/glossary', t.alex)).toMatchObject({ version: 1 });
  });

  it('only an org admin writes', async () => {
    const payload = { entries: [{ term: 'x' }] };
    await expectError(rw, 'POST', '/api/acme/glossary', t.mariaW, 403, { error: 'not_authorized' }, payload);
    await expectError(rw, 'POST', '/api/acme/glossary', t.alexW, 403, { error: 'not_authorized' }, payload);
    await expectError(rw, 'POST', '/api/dev/glossary', t.alexW, 403, { error: 'not_authorized' }, { entries: 'invalid' });
    expect(await ok(rw, 'GET', '/api/acme/glossary', t.devW)).toMatchObject({ version: 1 });
  });
});

describe('POST /api/:handle/glossary', () => {
  it('creates version max+1 in the GET shape, listed first in the history', async () => {
    const payload = {
      change_note: 'Add Japanese',
      entries: [
        { term: 'platform', definition: 'The product.', translations: [{ locale: 'ja', translation: 'プラットフォーム' }] },
        { term: 'API', definition: 'Always uppercase.', case_sensitive: true, translations: [{ locale: 'ja', translation: 'API' }, { locale: 'es-MX', translation: 'API' }] },
        { term: 'dashboard' },
      ],
    };
    const body = await ok(rw, 'POST', '/api/acme/glossary', t.devW, payload);
    expect(body).toEqual({
      version: 2,
      change_note: 'Add Japanese',
      inserted_at: expect.stringMatching(TIMESTAMP),
      entries: [
        { term: 'platform', definition: 'The product.', case_sensitive: false, translations: [{ locale: 'ja', translation: 'プラットフォーム' }] },
        {
          term: 'API',
          definition: 'Always uppercase.',
          case_sensitive: true,
          translations: [
            { locale: 'ja', translation: 'API' },
            { locale: 'es-MX', translation: 'API' },
          ],
        },
        { term: 'dashboard', definition: null, case_sensitive: false, translations: [] },
      ],
    });
    expect(await ok(rw, 'GET', '/api/acme/glossary', t.readOnly)).toEqual(body);
    const history = await ok(rw, 'GET', '/api/acme/glossary/history', t.readOnly);
    expect(history['versions']).toEqual([
      { version: 2, change_note: 'Add Japanese', inserted_at: body['inserted_at'] },
      { version: 1, change_note: 'Initial org terminology', inserted_at: fixture('acme', 1).inserted_at },
    ]);
    // The earlier version is untouched.
    expect(await ok(rw, 'GET', '/api/acme/glossary?version=1', t.readOnly)).toEqual(getShape(fixture('acme', 1)));
  });

  it('entries get fresh UUID v7 ids', async () => {
    const body = await ok(rw, 'GET', '/api/acme/glossary?locale=ja-JP', t.readOnly);
    expect(body).toMatchObject({ version: 2, locale: 'ja-JP' });
    const entries = body['entries'] as { id: string; term: string; translation: string }[];
    expect(entries.map((e) => [e.term, e.translation])).toEqual([
      ['API', 'API'],
      ['platform', 'プラットフォーム'],
    ]);
    for (const e of entries) expect(e.id).toMatch(UUID_V7);
    expect(new Set(entries.map((e) => e.id)).size).toBe(2);
    expect(entries.map((e) => e.id)).not.toContain(fixture('acme', 1).entries[0]!.id);
  });

  it('an empty body creates an empty version; the first version of an account is 1', async () => {
    expect(await ok(rw, 'POST', '/api/acme/glossary', t.devW, {})).toMatchObject({ version: 3, change_note: null, entries: [] });
    expect(await ok(rw, 'POST', '/api/northwind/glossary', t.alexW, { change_note: 'First' })).toMatchObject({ version: 1, change_note: 'First' });
  });

  it('422s (reference 9.8), and none of them creates a version', async () => {
    const before = await ok(rw, 'GET', '/api/dev/glossary/history', t.readOnly);
    const invalid = (payload: unknown, errors: Record<string, string[]>) =>
      expectError(rw, 'POST', '/api/dev/glossary', t.devW, 422, { errors }, payload);
    await invalid({ entries: [{ term: 'a' }, { term: 'b' }, { term: 'a' }] }, { glossary_id: ['has already been taken'] });
    await invalid({ entries: [{ definition: 'no term' }] }, { term: ["can't be blank"] });
    await invalid({ entries: [{ term: '  ' }] }, { term: ["can't be blank"] });
    await invalid({ entries: [{ term: 7 }] }, { term: ['is invalid'] });
    await invalid({ entries: [{ term: 'a', case_sensitive: 'maybe' }] }, { case_sensitive: ['is invalid'] });
    await invalid({ entries: 'project' }, { entries: ['is invalid'] });
    await invalid({ entries: [null] }, { entries: ['is invalid'] });
    await invalid({ change_note: 5 }, { change_note: ['is invalid'] });
    await invalid({ entries: [{ term: 'a', translations: {}, extra: 1 }, { term: 'b', translations: 'x' }] }, { translations: ['is invalid'] });
    await invalid({ entries: [{ term: 'a', translations: [{ translation: 'x' }] }] }, { locale: ["can't be blank"] });
    for (const locale of ['FR', 'fra', 'pt_BR', 'pt-B'])
      await invalid({ entries: [{ term: 'a', translations: [{ locale, translation: 'x' }] }] }, {
        locale: ["must be a valid locale like 'en', 'ja', 'es-MX'"],
      });
    await invalid({ entries: [{ term: 'a', translations: [{ locale: 'fr' }] }] }, { translation: ["can't be blank"] });
    await invalid({ entries: [{ term: 'a', translations: [{ locale: 'F', translation: '' }] }] }, {
      locale: ["must be a valid locale like 'en', 'ja', 'es-MX'"],
      translation: ["can't be blank"],
    });
    // The first failing record: the glossary, then each entry before its translations.
    await invalid({ change_note: 5, entries: [{}] }, { change_note: ['is invalid'] });
    await invalid({ entries: [{ term: 'a', translations: [{ locale: 'x' }] }, {}] }, {
      locale: ["must be a valid locale like 'en', 'ja', 'es-MX'"],
      translation: ["can't be blank"],
    });
    expect(await ok(rw, 'GET', '/api/dev/glossary/history', t.readOnly)).toEqual(before);
    // Terms differing in case are different terms.
    expect(await ok(rw, 'POST', '/api/dev/glossary', t.devW, { entries: [{ term: 'api' }, { term: 'API', case_sensitive: 'true' }] })).toMatchObject({
      version: 3,
      entries: [{ term: 'api', case_sensitive: false }, { term: 'API', case_sensitive: true }],
    });
  });
});

describe('glossary writes survive a restart', () => {
  it('POST, close, start again on the same file, read', async () => {
    const file = join(dir, 'glossary.json');
    const first = await startTestMock({ dataFile: file, autoApprove: 'dev' });
    let created: Record<string, unknown>;
    let ids: unknown;
    try {
      const tok = (await tokensFor(first, 'glossary:read glossary:write')).access_token;
      created = await ok(first, 'POST', '/api/dev/glossary', tok, {
        change_note: 'Persisted',
        entries: [{ term: 'locale', translations: [{ locale: 'fr', translation: 'paramètres régionaux' }] }],
      });
      expect(created['version']).toBe(3);
      ids = (await ok(first, 'GET', '/api/dev/glossary?locale=fr', tok))['entries'];
    } finally {
      await first.close();
    }
    const second = await startTestMock({ dataFile: file, autoApprove: 'dev' });
    try {
      const tok = (await tokensFor(second, 'glossary:read')).access_token;
      expect(await ok(second, 'GET', '/api/dev/glossary', tok)).toEqual(created);
      expect((await ok(second, 'GET', '/api/dev/glossary?locale=fr', tok))['entries']).toEqual(ids);
      expect(((await ok(second, 'GET', '/api/dev/glossary/history', tok))['versions'] as { version: number }[])[0]).toMatchObject({
        version: 3,
        change_note: 'Persisted',
      });
      expect(first.logs).toEqual([]);
      expect(second.logs).toEqual([]);
    } finally {
      await second.close();
    }
  });
});

describe('logs', () => {
  it('no mock logged an internal error', () => {
    for (const m of [seed, rw]) expect(m.logs).toEqual([]);
  });
});
