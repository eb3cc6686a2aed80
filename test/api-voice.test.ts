// The voice API (reference 9.7) over real HTTP: seed answers, locale resolution, versions and
// history, writes with their 422s, the 401/403/404 order of 9.1 and the policy of 6.2.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvalidToken } from './helpers/api.js';
import { startTestMock, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';

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

const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/voices.json', import.meta.url), 'utf8')) as {
  account: string;
  versions: FixtureVoice[];
}[];
const fixture = (account: string, version: number): FixtureVoice => {
  const v = FIXTURE.find((a) => a.account === account)?.versions.find((x) => x.version === version);
  if (!v) throw new Error(`fixture voice ${account} v${version} is missing`);
  return v;
};
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
const EMPTY_META = { total_pages: 1, current_page: 1, page_size: 50, 'has_next_page?': false, 'has_previous_page?': false };

async function call(m: TestMock, method: string, path: string, token?: string, body?: unknown, form?: URLSearchParams) {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(`${m.url}${path}`, { method, headers, body: form ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

async function ok(m: TestMock, method: string, path: string, token: string, body?: unknown, status = method === 'POST' ? 201 : 200) {
  const res = await call(m, method, path, token, body);
  expect(res.status, res.text).toBe(status);
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

let seed: TestMock;
let rw: TestMock;
let dir: string;
const t = { dev: '', alex: '', maria: '', noScope: '', devW: '', alexW: '', mariaW: '', readOnly: '' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glossia-mock-voice-'));
  [seed, rw] = await Promise.all([startTestMock({ autoApprove: 'dev' }), startTestMock({ autoApprove: 'dev' })]);
  const token = async (m: TestMock, scope: string, user: string) => (await tokensFor(m, scope, { user })).access_token;
  [t.dev, t.alex, t.maria, t.noScope, t.devW, t.alexW, t.mariaW, t.readOnly] = await Promise.all([
    token(seed, 'voice:read', 'dev'),
    token(seed, 'voice:read', 'alex'),
    token(seed, 'voice:read', 'maria'),
    token(seed, 'project:read voice:write glossary:read', 'dev'),
    token(rw, 'voice:read voice:write', 'dev'),
    token(rw, 'voice:read voice:write', 'alex'),
    token(rw, 'voice:read voice:write', 'maria'),
    token(rw, 'voice:read', 'dev'),
  ]);
});

afterAll(async () => {
  await Promise.all([seed, rw].filter(Boolean).map((m) => m.close()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('GET /api/:handle/voice: the seed data (reference 17.2)', () => {
  it('dev: the latest version is v2, in the GET shape', async () => {
    const body = await ok(seed, 'GET', '/api/dev/voice', t.dev);
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
    expect(await ok(seed, 'GET', '/api/dev/voice?version=1', t.dev)).toEqual(getShape(fixture('dev', 1)));
    expect(await ok(seed, 'GET', '/api/dev/voice?version=2', t.dev)).toEqual(getShape(fixture('dev', 2)));
  });

  it('acme: v1 with its es-MX override', async () => {
    const body = await ok(seed, 'GET', '/api/acme/voice', t.dev);
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
    await expectError(seed, 'GET', '/api/dev/voice?version=3', t.dev, 404, { error: 'no voice configured' });
    await expectError(seed, 'GET', '/api/dev/voice?version=0', t.dev, 404, { error: 'no voice configured' });
  });

  it('?version that is not an integer → 400 invalid_version', async () => {
    for (const v of ['abc', '1.5', '', '2x', '1e3'])
      await expectError(seed, 'GET', `/api/dev/voice?version=${v}`, t.dev, 400, { error: 'invalid_version' });
  });

  it('an account without a voice → 404 no voice configured', async () => {
    await expectError(seed, 'GET', '/api/northwind/voice', t.alex, 404, { error: 'no voice configured' });
    await expectError(seed, 'GET', '/api/northwind/voice?locale=en', t.alex, 404, { error: 'no voice configured' });
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
    const body = await ok(seed, 'GET', '/api/acme/voice?locale=es-MX', t.dev);
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
    expect(await ok(seed, 'GET', '/api/acme/voice?locale=es_MX', t.dev)).toEqual(esMX());
  });

  it('es: the fallback is the prefix of the requested locale, so es does not pick es-MX; no "locale" key', async () => {
    const body = await ok(seed, 'GET', '/api/acme/voice?locale=es', t.dev);
    expect(body).toEqual(resolvedShape(acme()));
    expect(body).not.toHaveProperty('locale');
    expect(await ok(seed, 'GET', '/api/acme/voice?locale=es-AR', t.dev)).toEqual(resolvedShape(acme()));
  });

  it('dev v2 for a locale without overrides: description, countries and cultural notes', async () => {
    const body = await ok(seed, 'GET', '/api/dev/voice?locale=de', t.dev);
    expect(body).toEqual(resolvedShape(fixture('dev', 2)));
    expect(body['target_countries']).toEqual(['US', 'DE', 'JP', 'ES']);
    expect(Object.keys(body['cultural_notes'] as object)).toEqual(['US', 'DE', 'JP', 'ES']);
  });

  it('locale wins over version (even a bad one)', async () => {
    expect(await ok(seed, 'GET', '/api/dev/voice?version=1&locale=de', t.dev)).toEqual(resolvedShape(fixture('dev', 2)));
    expect(await ok(seed, 'GET', '/api/dev/voice?version=abc&locale=de', t.dev)).toMatchObject({ version: 2 });
  });
});

describe('GET /api/:handle/voice/history', () => {
  it('dev: newest first, with meta', async () => {
    expect(await ok(seed, 'GET', '/api/dev/voice/history', t.dev)).toEqual({
      versions: [
        { version: 2, inserted_at: fixture('dev', 2).inserted_at },
        { version: 1, inserted_at: fixture('dev', 1).inserted_at },
      ],
      meta: { total_count: 2, ...EMPTY_META },
    });
  });

  it('sorts by version or inserted_at', async () => {
    const asc = await ok(seed, 'GET', '/api/dev/voice/history?order_by[]=version&order_directions[]=asc', t.dev);
    expect((asc['versions'] as { version: number }[]).map((v) => v.version)).toEqual([1, 2]);
    const byTime = await ok(seed, 'GET', '/api/dev/voice/history?order_by[]=inserted_at', t.dev);
    expect((byTime['versions'] as { version: number }[]).map((v) => v.version)).toEqual([1, 2]);
  });

  it('filters by version, tone and formality', async () => {
    const q = (field: string, op: string, value: string) =>
      `/api/dev/voice/history?filters[0][field]=${field}&filters[0][op]=${encodeURIComponent(op)}&filters[0][value]=${value}`;
    const versions = async (path: string) => ((await ok(seed, 'GET', path, t.dev))['versions'] as { version: number }[]).map((v) => v.version);
    expect(await versions(q('tone', '==', 'casual'))).toEqual([1]);
    expect(await versions(q('formality', '==', 'formal'))).toEqual([2]);
    expect(await versions(q('version', '>=', '2'))).toEqual([2]);
    expect(await versions(q('version', '==', '1'))).toEqual([1]);
  });

  it('unknown sort/filter fields → 400', async () => {
    expect((await call(seed, 'GET', '/api/dev/voice/history?order_by[]=guidelines', t.dev)).status).toBe(400);
    expect((await call(seed, 'GET', '/api/dev/voice/history?filters[0][field]=guidelines&filters[0][value]=x', t.dev)).status).toBe(400);
  });

  it('paginates', async () => {
    const body = await ok(seed, 'GET', '/api/dev/voice/history?page_size=1&page=2', t.dev);
    expect(body['versions']).toEqual([{ version: 1, inserted_at: fixture('dev', 1).inserted_at }]);
    expect(body['meta']).toMatchObject({ total_count: 2, total_pages: 2, current_page: 2, 'has_previous_page?': true });
  });

  it('an account without a voice: an empty list', async () => {
    expect(await ok(seed, 'GET', '/api/northwind/voice/history', t.alex)).toEqual({
      versions: [],
      meta: { total_count: 0, ...EMPTY_META, total_pages: 0 },
    });
  });
});

describe('voice: authentication and authorization (reference 9.1, 6.2)', () => {
  const paths = ['/api/dev/voice', '/api/dev/voice/history'];

  it('no token → 401 unauthorized without WWW-Authenticate', async () => {
    for (const path of paths) {
      const res = await expectError(seed, 'GET', path, undefined, 401, { error: 'unauthorized' });
      expect(res.headers.get('www-authenticate')).toBeNull();
    }
    await expectError(seed, 'POST', '/api/dev/voice', undefined, 401, { error: 'unauthorized' }, {});
    // The bearer check comes before the handle.
    await expectError(seed, 'GET', '/api/nope/voice', undefined, 401, { error: 'unauthorized' });
  });

  it('an unknown token → 401 invalid_token', async () => {
    await expectInvalidToken(await fetch(`${seed.url}/api/dev/voice`, { headers: { Authorization: 'Bearer nope' } }));
  });

  it('a token without voice:read → 403 insufficient_scope', async () => {
    for (const path of paths) await expectInsufficientScope(seed, 'GET', path, t.noScope, 'voice:read');
  });

  it('a token without voice:write → 403 insufficient_scope, before the body is looked at', async () => {
    await expectInsufficientScope(rw, 'POST', '/api/dev/voice', t.readOnly, 'voice:write', { tone: 'nope' });
  });

  it('an unknown handle → 404 account not found, even without the scope', async () => {
    for (const path of ['/api/nope/voice', '/api/nope/voice/history']) {
      await expectError(seed, 'GET', path, t.dev, 404, { error: 'account not found' });
      await expectError(seed, 'GET', path, t.noScope, 404, { error: 'account not found' });
    }
    await expectError(rw, 'POST', '/api/nope/voice', t.readOnly, 404, { error: 'account not found' }, {});
  });

  it('maria reads the public dev voice and her acme voice, not the private northwind one', async () => {
    expect(await ok(seed, 'GET', '/api/dev/voice', t.maria)).toEqual(getShape(fixture('dev', 2)));
    expect(await ok(seed, 'GET', '/api/dev/voice/history', t.maria)).toMatchObject({ meta: { total_count: 2 } });
    expect(await ok(seed, 'GET', '/api/acme/voice?locale=es-MX', t.maria)).toMatchObject({ locale: 'es-MX' });
    for (const path of ['/api/northwind/voice', '/api/northwind/voice/history'])
      await expectError(seed, 'GET', path, t.maria, 403, { error: 'not_authorized' });
  });

  it('alex (not a member of dev) reads the public dev voice', async () => {
    expect(await ok(seed, 'GET', '/api/dev/voice', t.alex)).toMatchObject({ version: 2 });
  });

  it('only an org admin writes: maria (linguist) and alex (member) of acme → 403 not_authorized', async () => {
    await expectError(rw, 'POST', '/api/acme/voice', t.mariaW, 403, { error: 'not_authorized' }, { tone: 'casual' });
    await expectError(rw, 'POST', '/api/acme/voice', t.alexW, 403, { error: 'not_authorized' }, { tone: 'casual' });
    await expectError(rw, 'POST', '/api/dev/voice', t.alexW, 403, { error: 'not_authorized' }, { tone: 'casual' });
    // The policy comes before validation.
    await expectError(rw, 'POST', '/api/acme/voice', t.mariaW, 403, { error: 'not_authorized' }, { tone: 'nope' });
    expect(await ok(rw, 'GET', '/api/acme/voice', t.devW)).toMatchObject({ version: 1 });
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
    const body = await ok(rw, 'POST', '/api/dev/voice', t.devW, payload);
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
    expect(await ok(rw, 'GET', '/api/dev/voice', t.readOnly)).toEqual(body);
    expect(await ok(rw, 'GET', '/api/dev/voice?version=3', t.readOnly)).toEqual(body);
    const history = await ok(rw, 'GET', '/api/dev/voice/history', t.readOnly);
    expect(history['versions']).toEqual([
      { version: 3, inserted_at: body['inserted_at'] },
      { version: 2, inserted_at: fixture('dev', 2).inserted_at },
      { version: 1, inserted_at: fixture('dev', 1).inserted_at },
    ]);
    expect(history['meta']).toMatchObject({ total_count: 3 });
  });

  it('carries description, target countries and cultural notes over; overrides resolve', async () => {
    const v2 = fixture('dev', 2);
    expect(await ok(rw, 'GET', '/api/dev/voice?locale=de-AT', t.readOnly)).toEqual({
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
    expect(await ok(rw, 'GET', '/api/dev/voice?locale=ja_JP', t.readOnly)).toMatchObject({ tone: 'neutral', locale: 'ja-JP' });
    // "ja" alone does not reach the ja-JP override.
    expect(await ok(rw, 'GET', '/api/dev/voice?locale=ja', t.readOnly)).not.toHaveProperty('locale');
  });

  it('description and friends are not settable', async () => {
    const body = await ok(rw, 'POST', '/api/dev/voice', t.devW, {
      description: 'changed',
      target_countries: ['FR'],
      cultural_notes: { FR: 'x' },
      version: 99,
    });
    expect(body).toMatchObject({ version: 4, tone: null, formality: null, target_audience: null, guidelines: null, overrides: [] });
    expect(await ok(rw, 'GET', '/api/dev/voice?locale=en', t.readOnly)).toMatchObject({
      version: 4,
      description: fixture('dev', 2).description,
      target_countries: ['US', 'DE', 'JP', 'ES'],
    });
  });

  it('the first version of an account without a voice is 1, with empty carried-over fields', async () => {
    const body = await ok(rw, 'POST', '/api/northwind/voice', t.alexW, { tone: 'neutral', formality: '' });
    expect(body).toMatchObject({ version: 1, tone: 'neutral', formality: null, overrides: [] });
    expect(await ok(rw, 'GET', '/api/northwind/voice?locale=en', t.alexW)).toEqual({
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
    const res = await call(rw, 'POST', '/api/acme/voice', t.devW, undefined, form);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      version: 2,
      tone: 'formal',
      overrides: [{ locale: 'fr', tone: 'neutral', formality: null, target_audience: null, guidelines: null }],
    });
  });

  it('422s (reference 9.7), and none of them creates a version', async () => {
    const before = await ok(rw, 'GET', '/api/dev/voice/history', t.readOnly);
    const invalid = (payload: unknown, errors: Record<string, string[]>) =>
      expectError(rw, 'POST', '/api/dev/voice', t.devW, 422, { errors }, payload);
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
    expect(await ok(rw, 'GET', '/api/dev/voice/history', t.readOnly)).toEqual(before);
    // At the limits: accepted.
    const atLimit = await ok(rw, 'POST', '/api/dev/voice', t.devW, {
      target_audience: 'é'.repeat(250),
      guidelines: 'x'.repeat(4000),
      overrides: [{ locale: 'zh-Hans' }, { locale: 'pt-BR' }],
    });
    expect(atLimit['version']).toBe(5);
  });
});

describe('voice writes survive a restart', () => {
  it('POST, close, start again on the same file, read', async () => {
    const file = join(dir, 'voice.json');
    const first = await startTestMock({ dataFile: file, autoApprove: 'dev' });
    let created: Record<string, unknown>;
    try {
      const tok = (await tokensFor(first, 'voice:read voice:write')).access_token;
      created = await ok(first, 'POST', '/api/acme/voice', tok, { tone: 'casual', overrides: [{ locale: 'pt-BR', tone: 'playful' }] });
      expect(created['version']).toBe(2);
    } finally {
      await first.close();
    }
    const second = await startTestMock({ dataFile: file, autoApprove: 'dev' });
    try {
      const tok = (await tokensFor(second, 'voice:read')).access_token;
      expect(await ok(second, 'GET', '/api/acme/voice', tok)).toEqual(created);
      expect(await ok(second, 'GET', '/api/acme/voice?locale=pt-BR', tok)).toMatchObject({ version: 2, tone: 'playful', locale: 'pt-BR' });
      expect(((await ok(second, 'GET', '/api/acme/voice/history', tok))['versions'] as unknown[]).length).toBe(2);
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
