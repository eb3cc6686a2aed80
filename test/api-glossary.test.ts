// The glossary (terminology) API (reference 9.8) over real HTTP: seed answers, the per-locale
// form, versions and history, writes with their 422s, the 401/403/404 order of 9.1, and the
// policy of 6.2 — a public account's glossary is not public (17.3).
import { describe, expect, it } from 'vitest';
import { answer, apiOk, call, expectInvalidToken, expectNotAuthorized, expectUnauthorized, onePage } from './helpers/api.js';
import { fixtureVersions, itChecksScopesThenHandle, itKeepsWritesAcrossRestart, versionedMocks } from './helpers/versioned.js';

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

const fixture = fixtureVersions<FixtureGlossary>('glossaries.json');
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

const terms = (body: Record<string, unknown>) => (body['entries'] as { term: string }[]).map((e) => e.term);

const mocks = versionedMocks('glossary', 'project:read voice:read glossary:write');
const { t } = mocks;

describe('GET /api/:handle/glossary: the seed data (reference 17.2)', () => {
  it('dev: the latest version is v2, in the GET shape (no entry ids)', async () => {
    const body = await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/glossary');
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
    const body = await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/glossary?version=1');
    expect(body).toEqual(getShape(fixture('dev', 1)));
    expect(body['change_note']).toBe('Initial terminology');
    expect(terms(body)).toEqual(['project', 'voice', 'terminology', 'API']);
  });

  it('acme: v1', async () => {
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/acme/glossary')).toEqual(getShape(fixture('acme', 1)));
  });

  it('?version=N that does not exist → 404; not an integer → 400 invalid_version', async () => {
    await answer(await call(mocks.seed, t.dev, 'GET', '/api/dev/glossary?version=3'), 404, { error: 'no terminology configured' });
    for (const v of ['abc', '1.5', '', 'v1'])
      await answer(await call(mocks.seed, t.dev, 'GET', `/api/dev/glossary?version=${v}`), 400, { error: 'invalid_version' });
  });

  it('an account without a glossary → 404 no terminology configured', async () => {
    await answer(await call(mocks.seed, t.alex, 'GET', '/api/northwind/glossary'), 404, { error: 'no terminology configured' });
    await answer(await call(mocks.seed, t.alex, 'GET', '/api/alex/glossary?locale=fr'), 404, { error: 'no terminology configured' });
  });
});

describe('GET /api/:handle/glossary?locale=', () => {
  it('fr: every v2 entry with its French translation and id, sorted by term', async () => {
    const body = await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/glossary?locale=fr');
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
      const body = await apiOk(mocks.seed, t.dev, 'GET', `/api/dev/glossary?locale=${locale}`);
      expect(body).toMatchObject({ version: 2, locale: 'fr-CA' });
      expect(terms(body)).toEqual(['API', 'account', 'project', 'terminology', 'voice']);
    }
  });

  it('locale wins over version; a locale nobody translated → no entries', async () => {
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/glossary?version=1&locale=fr')).toMatchObject({ version: 2 });
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/glossary?locale=ko')).toEqual({ version: 2, locale: 'ko', entries: [] });
  });

  it('acme: es-MX is exact; es does not reach es-MX; es-AR does not either', async () => {
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/acme/glossary?locale=es-MX')).toEqual({
      version: 1,
      locale: 'es-MX',
      entries: [localized('acme', 1, 'platform', 'plataforma'), localized('acme', 1, 'workspace', 'espacio de trabajo')],
    });
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/acme/glossary?locale=es')).toEqual({ version: 1, locale: 'es', entries: [] });
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/acme/glossary?locale=es-AR')).toEqual({ version: 1, locale: 'es-AR', entries: [] });
  });
});

describe('GET /api/:handle/glossary/history', () => {
  it('dev: newest first, with change notes and meta', async () => {
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/glossary/history')).toEqual({
      versions: [
        { version: 2, change_note: 'Add French translations and account term', inserted_at: fixture('dev', 2).inserted_at },
        { version: 1, change_note: 'Initial terminology', inserted_at: fixture('dev', 1).inserted_at },
      ],
      meta: onePage(2),
    });
  });

  it('sorts by version or inserted_at, filters by version and change_note', async () => {
    const versions = async (query: string) =>
      ((await apiOk(mocks.seed, t.dev, 'GET', `/api/dev/glossary/history?${query}`))['versions'] as { version: number }[]).map((v) => v.version);
    expect(await versions('order_by[]=version&order_directions[]=asc')).toEqual([1, 2]);
    expect(await versions('order_by[]=inserted_at&order_directions[]=desc')).toEqual([2, 1]);
    expect(await versions('filters[0][field]=change_note&filters[0][op]=%3D~&filters[0][value]=french')).toEqual([2]);
    expect(await versions('filters[0][field]=version&filters[0][op]=%3D%3D&filters[0][value]=1')).toEqual([1]);
  });

  it('unknown sort/filter fields → 400', async () => {
    expect((await call(mocks.seed, t.dev, 'GET', '/api/dev/glossary/history?order_by[]=change_note')).status).toBe(400);
    expect((await call(mocks.seed, t.dev, 'GET', '/api/dev/glossary/history?filters[0][field]=tone&filters[0][value]=x')).status).toBe(400);
  });
});

describe('glossary: authentication and authorization (reference 9.1, 6.2, 17.3)', () => {
  const paths = ['/api/dev/glossary', '/api/dev/glossary/history'];

  it('no token → 401 unauthorized without WWW-Authenticate; unknown token → 401 invalid_token', async () => {
    for (const path of paths) {
      await expectUnauthorized(await call(mocks.seed, null, 'GET', path));
      await expectInvalidToken(await fetch(`${mocks.seed.url}${path}`, { headers: { Authorization: 'Bearer nope' } }));
    }
    await expectUnauthorized(await call(mocks.seed, null, 'POST', '/api/dev/glossary', {}));
  });

  itChecksScopesThenHandle('glossary', mocks, { entries: 'x' });


  it('maria: dev is public but its glossary is not → 403 not_authorized; acme (linguist) → 200', async () => {
    for (const path of [...paths, '/api/dev/glossary?locale=fr', '/api/northwind/glossary'])
      await expectNotAuthorized(await call(mocks.seed, t.maria, 'GET', path));
    expect(await apiOk(mocks.seed, t.maria, 'GET', '/api/acme/glossary')).toEqual(getShape(fixture('acme', 1)));
    expect(await apiOk(mocks.seed, t.maria, 'GET', '/api/acme/glossary/history')).toMatchObject({ meta: { total_count: 1 } });
  });

  it('alex is no member of dev → 403; member of acme → 200', async () => {
    await expectNotAuthorized(await call(mocks.seed, t.alex, 'GET', '/api/dev/glossary'));
    expect(await apiOk(mocks.seed, t.alex, 'GET', '/api/acme/glossary')).toMatchObject({ version: 1 });
  });

  it('only an org admin writes', async () => {
    const payload = { entries: [{ term: 'x' }] };
    await expectNotAuthorized(await call(mocks.rw, t.mariaW, 'POST', '/api/acme/glossary', payload));
    await expectNotAuthorized(await call(mocks.rw, t.alexW, 'POST', '/api/acme/glossary', payload));
    await expectNotAuthorized(await call(mocks.rw, t.alexW, 'POST', '/api/dev/glossary', { entries: 'invalid' }));
    expect(await apiOk(mocks.rw, t.devW, 'GET', '/api/acme/glossary')).toMatchObject({ version: 1 });
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
    const body = await apiOk(mocks.rw, t.devW, 'POST', '/api/acme/glossary', payload);
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
    expect(await apiOk(mocks.rw, t.readOnly, 'GET', '/api/acme/glossary')).toEqual(body);
    const history = await apiOk(mocks.rw, t.readOnly, 'GET', '/api/acme/glossary/history');
    expect(history['versions']).toEqual([
      { version: 2, change_note: 'Add Japanese', inserted_at: body['inserted_at'] },
      { version: 1, change_note: 'Initial org terminology', inserted_at: fixture('acme', 1).inserted_at },
    ]);
    // The earlier version is untouched.
    expect(await apiOk(mocks.rw, t.readOnly, 'GET', '/api/acme/glossary?version=1')).toEqual(getShape(fixture('acme', 1)));
  });

  it('entries get fresh UUID v7 ids', async () => {
    const body = await apiOk(mocks.rw, t.readOnly, 'GET', '/api/acme/glossary?locale=ja-JP');
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
    expect(await apiOk(mocks.rw, t.devW, 'POST', '/api/acme/glossary', {})).toMatchObject({ version: 3, change_note: null, entries: [] });
    expect(await apiOk(mocks.rw, t.alexW, 'POST', '/api/northwind/glossary', { change_note: 'First' })).toMatchObject({ version: 1, change_note: 'First' });
  });

  it('422s (reference 9.8), and none of them creates a version', async () => {
    const before = await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/glossary/history');
    const invalid = async (payload: unknown, errors: Record<string, string[]>) =>
      answer(await call(mocks.rw, t.devW, 'POST', '/api/dev/glossary', payload), 422, { errors });
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
    expect(await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/glossary/history')).toEqual(before);
    // Terms differing in case are different terms.
    expect(await apiOk(mocks.rw, t.devW, 'POST', '/api/dev/glossary', { entries: [{ term: 'api' }, { term: 'API', case_sensitive: 'true' }] })).toMatchObject({
      version: 3,
      entries: [{ term: 'api', case_sensitive: false }, { term: 'API', case_sensitive: true }],
    });
  });
});

describe('glossary writes survive a restart', () => {
  itKeepsWritesAcrossRestart('glossary', {
    account: 'dev',
    body: {
      change_note: 'Persisted',
      entries: [{ term: 'locale', translations: [{ locale: 'fr', translation: 'paramètres régionaux' }] }],
    },
    version: 3,
    reads: ['?locale=fr', '/history'],
    after: async (m, token) => {
      expect(((await apiOk(m, token, 'GET', '/api/dev/glossary/history'))['versions'] as { version: number }[])[0]).toMatchObject({
        version: 3,
        change_note: 'Persisted',
      });
    },
  });
});

describe('logs', () => {
  it('no mock logged an internal error', () => {
    for (const m of [mocks.seed, mocks.rw]) expect(m.logs).toEqual([]);
  });
});
