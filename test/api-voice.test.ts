// The voice API (reference 9.7) over real HTTP: seed answers, locale resolution, versions and
// history, writes with their 422s, the 401/403/404 order of 9.1 and the policy of 6.2.
import { describe, expect, it } from 'vitest';
import { answer, apiOk, call, expectInvalidToken, expectNotAuthorized, expectUnauthorized, onePage } from './helpers/api.js';
import { fixtureVersions, itChecksScopesThenHandle, itKeepsWritesAcrossRestart, versionedMocks } from './helpers/versioned.js';

interface FixtureVoice {
  version: number;
  tone: string | null;
  formality: string | null;
  target_audience: string | null;
  guidelines: string | null;
  description: string | null;
  target_countries: string[];
  cultural_notes: Record<string, string>;
  inserted_at: string;
  overrides: { locale: string; tone: string | null; formality: string | null; target_audience: string | null; guidelines: string | null }[];
}

const fixture = fixtureVersions<FixtureVoice>('voices.json');
/** The GET shape of a fixture version. */
const getShape = (v: FixtureVoice) => ({
  version: v.version,
  tone: v.tone,
  formality: v.formality,
  target_audience: v.target_audience,
  guidelines: v.guidelines,
  inserted_at: v.inserted_at,
  overrides: v.overrides,
});
/** The resolved shape of a fixture version with no override applied. */
const resolvedShape = (v: FixtureVoice) => ({
  version: v.version,
  tone: v.tone,
  formality: v.formality,
  target_audience: v.target_audience,
  guidelines: v.guidelines,
  description: v.description,
  target_countries: v.target_countries,
  cultural_notes: v.cultural_notes,
});

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

const mocks = versionedMocks('voice', 'project:read voice:write glossary:read');
const { t } = mocks;

describe('GET /api/:handle/voice: the seed data (reference 17.2)', () => {
  it('dev: the latest version is v2, in the GET shape', async () => {
    const body = await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/voice');
    expect(body).toEqual(getShape(fixture('dev', 2)));
    expect(Object.keys(body)).toEqual(['version', 'tone', 'formality', 'target_audience', 'guidelines', 'inserted_at', 'overrides']);
    expect(body).toMatchObject({
      version: 2,
      tone: 'authoritative',
      formality: 'formal',
      target_audience: 'Engineering leaders and localization managers',
      overrides: [],
    });
  });

  it('?version=1 answers that version', async () => {
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/voice?version=1')).toEqual(getShape(fixture('dev', 1)));
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/voice?version=2')).toEqual(getShape(fixture('dev', 2)));
  });

  it('acme: v1 with its es-MX override', async () => {
    const body = await apiOk(mocks.seed, t.dev, 'GET', '/api/acme/voice');
    expect(body).toEqual(getShape(fixture('acme', 1)));
    expect(body['overrides']).toEqual([
      {
        locale: 'es-MX',
        tone: 'authoritative',
        formality: 'formal',
        target_audience: null,
        guidelines: 'Usa un tono formal y directo. Evita anglicismos innecesarios.',
      },
    ]);
  });

  it('?version=N that does not exist → 404 no voice configured', async () => {
    await answer(await call(mocks.seed, t.dev, 'GET', '/api/dev/voice?version=3'), 404, { error: 'no voice configured' });
    await answer(await call(mocks.seed, t.dev, 'GET', '/api/dev/voice?version=0'), 404, { error: 'no voice configured' });
  });

  it('?version that is not an integer → 400 invalid_version', async () => {
    for (const v of ['abc', '1.5', '', '2x', '1e3'])
      await answer(await call(mocks.seed, t.dev, 'GET', `/api/dev/voice?version=${v}`), 400, { error: 'invalid_version' });
  });

  it('an account without a voice → 404 no voice configured', async () => {
    await answer(await call(mocks.seed, t.alex, 'GET', '/api/northwind/voice'), 404, { error: 'no voice configured' });
    await answer(await call(mocks.seed, t.alex, 'GET', '/api/northwind/voice?locale=en'), 404, { error: 'no voice configured' });
  });
});

describe('GET /api/:handle/voice?locale=: the resolved voice', () => {
  const acme = () => fixture('acme', 1);
  const esMX = () => ({
    ...resolvedShape(acme()),
    guidelines: 'Usa un tono formal y directo. Evita anglicismos innecesarios.',
    locale: 'es-MX',
  });

  it('es-MX: the override applies; its null target_audience keeps the base one', async () => {
    const body = await apiOk(mocks.seed, t.dev, 'GET', '/api/acme/voice?locale=es-MX');
    expect(body).toEqual(esMX());
    expect(body['target_audience']).toBe('Enterprise customers and partner engineers');
    expect(Object.keys(body)).toEqual([
      'version',
      'tone',
      'formality',
      'target_audience',
      'guidelines',
      'description',
      'target_countries',
      'cultural_notes',
      'locale',
    ]);
  });

  it('"_" is read as "-"', async () => {
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/acme/voice?locale=es_MX')).toEqual(esMX());
  });

  it('es: the fallback is the prefix of the requested locale, so es does not pick es-MX; no "locale" key', async () => {
    const body = await apiOk(mocks.seed, t.dev, 'GET', '/api/acme/voice?locale=es');
    expect(body).toEqual(resolvedShape(acme()));
    expect(body).not.toHaveProperty('locale');
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/acme/voice?locale=es-AR')).toEqual(resolvedShape(acme()));
  });

  it('dev v2 for a locale without overrides: description, countries and cultural notes', async () => {
    const body = await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/voice?locale=de');
    expect(body).toEqual(resolvedShape(fixture('dev', 2)));
    expect(body['target_countries']).toEqual(['US', 'DE', 'JP', 'ES']);
    expect(Object.keys(body['cultural_notes'] as object)).toEqual(['US', 'DE', 'JP', 'ES']);
  });

  it('locale wins over version (even a bad one)', async () => {
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/voice?version=1&locale=de')).toEqual(resolvedShape(fixture('dev', 2)));
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/voice?version=abc&locale=de')).toMatchObject({ version: 2 });
  });
});

describe('GET /api/:handle/voice/history', () => {
  it('dev: newest first, with meta', async () => {
    expect(await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/voice/history')).toEqual({
      versions: [
        { version: 2, inserted_at: fixture('dev', 2).inserted_at },
        { version: 1, inserted_at: fixture('dev', 1).inserted_at },
      ],
      meta: onePage(2),
    });
  });

  it('sorts by version or inserted_at', async () => {
    const asc = await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/voice/history?order_by[]=version&order_directions[]=asc');
    expect((asc['versions'] as { version: number }[]).map((v) => v.version)).toEqual([1, 2]);
    const byTime = await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/voice/history?order_by[]=inserted_at');
    expect((byTime['versions'] as { version: number }[]).map((v) => v.version)).toEqual([1, 2]);
  });

  it('filters by version, tone and formality', async () => {
    const q = (field: string, op: string, value: string) =>
      `/api/dev/voice/history?filters[0][field]=${field}&filters[0][op]=${encodeURIComponent(op)}&filters[0][value]=${value}`;
    const versions = async (path: string) => ((await apiOk(mocks.seed, t.dev, 'GET', path))['versions'] as { version: number }[]).map((v) => v.version);
    expect(await versions(q('tone', '==', 'casual'))).toEqual([1]);
    expect(await versions(q('formality', '==', 'formal'))).toEqual([2]);
    expect(await versions(q('version', '>=', '2'))).toEqual([2]);
    expect(await versions(q('version', '==', '1'))).toEqual([1]);
  });

  it('unknown sort/filter fields → 400', async () => {
    expect((await call(mocks.seed, t.dev, 'GET', '/api/dev/voice/history?order_by[]=guidelines')).status).toBe(400);
    expect((await call(mocks.seed, t.dev, 'GET', '/api/dev/voice/history?filters[0][field]=guidelines&filters[0][value]=x')).status).toBe(400);
  });

  it('paginates', async () => {
    const body = await apiOk(mocks.seed, t.dev, 'GET', '/api/dev/voice/history?page_size=1&page=2');
    expect(body['versions']).toEqual([{ version: 1, inserted_at: fixture('dev', 1).inserted_at }]);
    expect(body['meta']).toMatchObject({ total_count: 2, total_pages: 2, current_page: 2, 'has_previous_page?': true });
  });

  it('an account without a voice: an empty list', async () => {
    expect(await apiOk(mocks.seed, t.alex, 'GET', '/api/northwind/voice/history')).toEqual({
      versions: [],
      meta: { ...onePage(0), total_pages: 0 },
    });
  });
});

describe('voice: authentication and authorization (reference 9.1, 6.2)', () => {
  const paths = ['/api/dev/voice', '/api/dev/voice/history'];

  it('no token → 401 unauthorized without WWW-Authenticate', async () => {
    for (const path of paths) {
      await expectUnauthorized(await call(mocks.seed, null, 'GET', path));
    }
    await expectUnauthorized(await call(mocks.seed, null, 'POST', '/api/dev/voice', {}));
    // The bearer check comes before the handle.
    await expectUnauthorized(await call(mocks.seed, null, 'GET', '/api/nope/voice'));
  });

  it('an unknown token → 401 invalid_token', async () => {
    await expectInvalidToken(await fetch(`${mocks.seed.url}/api/dev/voice`, { headers: { Authorization: 'Bearer nope' } }));
  });

  itChecksScopesThenHandle('voice', mocks, { tone: 'nope' });


  it('maria reads the public dev voice and her acme voice, not the private northwind one', async () => {
    expect(await apiOk(mocks.seed, t.maria, 'GET', '/api/dev/voice')).toEqual(getShape(fixture('dev', 2)));
    expect(await apiOk(mocks.seed, t.maria, 'GET', '/api/dev/voice/history')).toMatchObject({ meta: { total_count: 2 } });
    expect(await apiOk(mocks.seed, t.maria, 'GET', '/api/acme/voice?locale=es-MX')).toMatchObject({ locale: 'es-MX' });
    for (const path of ['/api/northwind/voice', '/api/northwind/voice/history'])
      await expectNotAuthorized(await call(mocks.seed, t.maria, 'GET', path));
  });

  it('alex (not a member of dev) reads the public dev voice', async () => {
    expect(await apiOk(mocks.seed, t.alex, 'GET', '/api/dev/voice')).toMatchObject({ version: 2 });
  });

  it('only an org admin writes: maria (linguist) and alex (member) of acme → 403 not_authorized', async () => {
    await expectNotAuthorized(await call(mocks.rw, t.mariaW, 'POST', '/api/acme/voice', { tone: 'casual' }));
    await expectNotAuthorized(await call(mocks.rw, t.alexW, 'POST', '/api/acme/voice', { tone: 'casual' }));
    await expectNotAuthorized(await call(mocks.rw, t.alexW, 'POST', '/api/dev/voice', { tone: 'casual' }));
    // The policy comes before validation.
    await expectNotAuthorized(await call(mocks.rw, t.mariaW, 'POST', '/api/acme/voice', { tone: 'nope' }));
    expect(await apiOk(mocks.rw, t.devW, 'GET', '/api/acme/voice')).toMatchObject({ version: 1 });
  });
});

describe('POST /api/:handle/voice', () => {
  it('creates version max+1 in the GET shape, listed first in the history', async () => {
    const payload = {
      tone: 'playful',
      formality: 'informal',
      target_audience: 'Hobbyists',
      guidelines: '## Be fun',
      overrides: [
        { locale: 'de', formality: 'formal' },
        { locale: 'ja-JP', tone: 'neutral', formality: 'very_formal', target_audience: 'Japanese enterprises', guidelines: 'です/ます' },
      ],
    };
    const body = await apiOk(mocks.rw, t.devW, 'POST', '/api/dev/voice', payload);
    expect(body).toEqual({
      version: 3,
      tone: 'playful',
      formality: 'informal',
      target_audience: 'Hobbyists',
      guidelines: '## Be fun',
      inserted_at: expect.stringMatching(TIMESTAMP),
      overrides: [
        { locale: 'de', tone: null, formality: 'formal', target_audience: null, guidelines: null },
        { locale: 'ja-JP', tone: 'neutral', formality: 'very_formal', target_audience: 'Japanese enterprises', guidelines: 'です/ます' },
      ],
    });
    expect(Math.abs(Date.parse(body['inserted_at'] as string) - Date.now())).toBeLessThan(60_000);
    expect(await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/voice')).toEqual(body);
    expect(await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/voice?version=3')).toEqual(body);
    const history = await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/voice/history');
    expect(history['versions']).toEqual([
      { version: 3, inserted_at: body['inserted_at'] },
      { version: 2, inserted_at: fixture('dev', 2).inserted_at },
      { version: 1, inserted_at: fixture('dev', 1).inserted_at },
    ]);
    expect(history['meta']).toMatchObject({ total_count: 3 });
  });

  it('carries description, target countries and cultural notes over; overrides resolve', async () => {
    const v2 = fixture('dev', 2);
    expect(await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/voice?locale=de-AT')).toEqual({
      version: 3,
      tone: 'playful',
      formality: 'formal',
      target_audience: 'Hobbyists',
      guidelines: '## Be fun',
      description: v2.description,
      target_countries: v2.target_countries,
      cultural_notes: v2.cultural_notes,
      locale: 'de',
    });
    expect(await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/voice?locale=ja_JP')).toMatchObject({ tone: 'neutral', locale: 'ja-JP' });
    // "ja" alone does not reach the ja-JP override.
    expect(await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/voice?locale=ja')).not.toHaveProperty('locale');
  });

  it('description and friends are not settable', async () => {
    const body = await apiOk(mocks.rw, t.devW, 'POST', '/api/dev/voice', {
      description: 'changed',
      target_countries: ['FR'],
      cultural_notes: { FR: 'x' },
      version: 99,
    });
    expect(body).toMatchObject({ version: 4, tone: null, formality: null, target_audience: null, guidelines: null, overrides: [] });
    expect(await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/voice?locale=en')).toMatchObject({
      version: 4,
      description: fixture('dev', 2).description,
      target_countries: ['US', 'DE', 'JP', 'ES'],
    });
  });

  it('the first version of an account without a voice is 1, with empty carried-over fields', async () => {
    const body = await apiOk(mocks.rw, t.alexW, 'POST', '/api/northwind/voice', { tone: 'neutral', formality: '' });
    expect(body).toMatchObject({ version: 1, tone: 'neutral', formality: null, overrides: [] });
    expect(await apiOk(mocks.rw, t.alexW, 'GET', '/api/northwind/voice?locale=en')).toEqual({
      version: 1,
      tone: 'neutral',
      formality: null,
      target_audience: null,
      guidelines: null,
      description: null,
      target_countries: [],
      cultural_notes: {},
    });
  });

  it('accepts a form body with indexed overrides', async () => {
    const form = new URLSearchParams({ tone: 'formal', 'overrides[0][locale]': 'fr', 'overrides[0][tone]': 'neutral' });
    expect(await apiOk(mocks.rw, t.devW, 'POST', '/api/acme/voice', form)).toMatchObject({
      version: 2,
      tone: 'formal',
      overrides: [{ locale: 'fr', tone: 'neutral', formality: null, target_audience: null, guidelines: null }],
    });
  });

  it('422s (reference 9.7), and none of them creates a version', async () => {
    const before = await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/voice/history');
    const invalid = async (payload: unknown, errors: Record<string, string[]>) =>
      answer(await call(mocks.rw, t.devW, 'POST', '/api/dev/voice', payload), 422, { errors });
    await invalid({ tone: 'grumpy' }, { tone: ['is invalid'] });
    await invalid({ tone: 'Casual' }, { tone: ['is invalid'] });
    await invalid({ formality: 'casual' }, { formality: ['is invalid'] });
    await invalid({ tone: 42 }, { tone: ['is invalid'] });
    await invalid({ tone: 'grumpy', formality: 'stiff' }, { tone: ['is invalid'], formality: ['is invalid'] });
    await invalid({ target_audience: 'é'.repeat(251) }, { target_audience: ['should be at most 500 byte(s)'] });
    await invalid({ guidelines: 'x'.repeat(4001) }, { guidelines: ['should be at most 4000 byte(s)'] });
    await invalid({ overrides: 'es' }, { overrides: ['is invalid'] });
    await invalid({ overrides: ['es'] }, { overrides: ['is invalid'] });
    await invalid({ overrides: [{ tone: 'formal' }] }, { locale: ["can't be blank"] });
    await invalid({ overrides: [{ locale: '' }] }, { locale: ["can't be blank"] });
    for (const locale of ['EN', 'english', 'es_MX', 'es-M', 'e'])
      await invalid({ overrides: [{ locale }] }, { locale: ["must be a valid locale like 'en', 'ja', 'es-MX'"] });
    await invalid({ overrides: [{ locale: 'es', tone: 'grumpy' }] }, { tone: ['is invalid'] });
    // The first failing record: the voice before its overrides, then the overrides in order.
    await invalid({ tone: 'grumpy', overrides: [{ locale: 'EN' }] }, { tone: ['is invalid'] });
    await invalid({ overrides: [{ locale: 'es' }, { locale: 'x' }, { locale: 'fr', formality: 'nope' }] }, {
      locale: ["must be a valid locale like 'en', 'ja', 'es-MX'"],
    });
    expect(await apiOk(mocks.rw, t.readOnly, 'GET', '/api/dev/voice/history')).toEqual(before);
    // At the limits: accepted.
    const atLimit = await apiOk(mocks.rw, t.devW, 'POST', '/api/dev/voice', {
      target_audience: 'é'.repeat(250),
      guidelines: 'x'.repeat(4000),
      overrides: [{ locale: 'zh-Hans' }, { locale: 'pt-BR' }],
    });
    expect(atLimit['version']).toBe(5);
  });
});

describe('voice writes survive a restart', () => {
  itKeepsWritesAcrossRestart('voice', {
    account: 'acme',
    body: { tone: 'casual', overrides: [{ locale: 'pt-BR', tone: 'playful' }] },
    version: 2,
    reads: ['?locale=pt-BR', '/history'],
    after: async (m, token) => {
      expect(await apiOk(m, token, 'GET', '/api/acme/voice?locale=pt-BR')).toMatchObject({ version: 2, tone: 'playful', locale: 'pt-BR' });
      expect(((await apiOk(m, token, 'GET', '/api/acme/voice/history'))['versions'] as unknown[]).length).toBe(2);
    },
  });
});

describe('logs', () => {
  it('no mock logged an internal error', () => {
    for (const m of [mocks.seed, mocks.rw]) expect(m.logs).toEqual([]);
  });
});
