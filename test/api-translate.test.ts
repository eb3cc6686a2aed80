// POST /api/:handle/translate over real HTTP (reference 9.12): the check order of 9.1 with the
// route's own `api_error` envelope, model resolution, validation in Glossia's order, the offline
// pseudo-translator in every format, the forced provider failure (502) and the API rate limit.
import { beforeAll, describe, expect, it } from 'vitest';
import { answer, call, expectInsufficientScope, expectInvalidToken, expectNotAuthorized, expectUnauthorized } from './helpers/api.js';
import { mockStarter, type TestMock } from './helpers/mock.js';
import { accessToken, accessTokens } from './helpers/tokens.js';

const SCOPE = 'translation:write';

interface Translated {
  text: string;
  model: string;
  model_handle: string;
  provider: string;
}

const start = mockStarter({ autoApprove: 'dev' });
let m: TestMock;
const t = { dev: '', noScope: '', alex: '', maria: '' };

beforeAll(async () => {
  m = await start();
  Object.assign(
    t,
    await accessTokens({ dev: [m, SCOPE], noScope: [m, 'project:read llm_model:read'], alex: [m, SCOPE, 'alex'], maria: [m, SCOPE, 'maria'] }),
  );
});

const item = (over: Record<string, unknown> = {}) => ({
  source_language: 'English',
  language: 'Spanish',
  locale: 'es',
  source_content: 'Hello {name}',
  format: 'text',
  ...over,
});
const post = (token: string | null, handle: string, body: unknown = item()) => call(m, token, 'POST', `/api/${handle}/translate`, body);
const translated = async (res: Response) => answer<Translated>(res, 200);
const text = async (handle: string, over: Record<string, unknown>, token = t.dev) => (await translated(await post(token, handle, item(over)))).text;
const apiError = (message: string) => ({ error: { message, type: 'api_error', code: null } });

describe('success', () => {
  it("dev's default model translates; the answer names it", async () => {
    expect(await translated(await post(t.dev, 'dev'))).toEqual({
      text: '[es] Ĥéļļö {name}',
      model: 'openai/gpt-5.4',
      model_handle: 'local-codex',
      provider: 'openai',
    });
  });

  it('`model` picks an account model by handle (spaces trimmed)', async () => {
    const body = await translated(await post(t.dev, 'dev', item({ model: ' claude-sonnet ' })));
    expect([body.model, body.model_handle, body.provider]).toEqual(['anthropic/claude-sonnet-5', 'claude-sonnet', 'anthropic']);
  });

  it('an organization member (linguist) translates with the organization default and its glossary', async () => {
    const body = await translated(await post(t.maria, 'acme', item({ locale: 'es-MX', source_content: 'Open the platform workspace' })));
    expect(body).toMatchObject({ model_handle: 'acme-claude', text: '[es-MX] Öþéñ ţĥé plataforma espacio de trabajo' });
  });

  it('is deterministic and takes a form body too', async () => {
    const form = new URLSearchParams(item({ source_content: 'Same text' }) as Record<string, string>);
    const [a, b] = await Promise.all([post(t.dev, 'dev', form), post(t.dev, 'dev')]);
    expect((await translated(a)).text).toBe('[es] Šåɱé ţéẋţ');
    await translated(b);
    expect(await text('dev', { source_content: 'Same text' })).toBe('[es] Šåɱé ţéẋţ');
  });

  it('an empty source_content is translated to nothing; content without letters is unchanged', async () => {
    expect(await text('dev', { source_content: '' })).toBe('');
    expect(await text('dev', { source_content: '{count} %s 42' })).toBe('{count} %s 42');
  });

  it('markdown (the default format): syntax, code, links, placeholders and ICU kept; glossary terms translated', async () => {
    const source = [
      '# The project',
      '',
      'Hello {name}, {count, plural, one {# file} other {# files}} and {{user}} in %s.',
      'Run `glossia translate`, read [the API docs](https://glossia.ai/docs) or <b>voice</b> &amp; more.',
      '- [ ] A task',
      '',
      '```sh',
      'echo project',
      '```',
      '| Term | Note |',
      '|------|------|',
    ].join('\n');
    expect(await text('dev', { source_content: source, format: undefined })).toBe(
      [
        '# [es] Ţĥé proyecto',
        '',
        '[es] Ĥéļļö {name}, {count, plural, one {# ƒîļé} other {# ƒîļéš}} åñð {{user}} îñ %s.',
        '[es] Ŕûñ `glossia translate`, ŕéåð [ţĥé API ðöçš](https://glossia.ai/docs) öŕ <b>voz</b> &amp; ɱöŕé.',
        '- [ ] [es] Å ţåšķ',
        '',
        '```sh',
        'echo project',
        '```',
        '| Ţéŕɱ | Ñöţé |',
        '|------|------|',
      ].join('\n'),
    );
  });

  it('json: keys, key order, whitespace and non-strings untouched; string values translated', async () => {
    const source = '{\n  "2": "Two",\n  "1": "One {n}",\n  "nested": {"list": ["Yes", 3, true, null, "https://a.b"]}\n}\n';
    expect(await text('dev', { source_content: source, format: 'json' })).toBe(
      '{\n  "2": "[es] Ţŵö",\n  "1": "[es] Öñé {n}",\n  "nested": {"list": ["[es] Ýéš", 3, true, null, "https://a.b"]}\n}\n',
    );
  });

  it('yaml: keys, comments, anchors and scalars that are not strings untouched', async () => {
    const source = '# Strings\ntitle: Welcome   # shown first\ncount: 3\nenabled: true\nitems:\n  - The project\n  - "Quoted"\nbody: |\n  Line one\nalias: &a Anchored\n';
    expect(await text('dev', { source_content: source, format: 'yaml' })).toBe(
      '# Strings\ntitle: "[es] Ŵéļçöɱé"   # shown first\ncount: 3\nenabled: true\nitems:\n  - "[es] Ţĥé proyecto"\n  - "[es] Ǫûöţéð"\nbody: |\n  [es] Ļîñé öñé\nalias: &a "[es] Åñçĥöŕéð"\n',
    );
  });

  it('po: msgids and comments kept, msgstr written from them, header gets Language and Plural-Forms', async () => {
    const source = [
      'msgid ""',
      'msgstr ""',
      '"Language: en\\n"',
      '',
      '#: lib/page.ex:3',
      'msgid "Hello %{name}"',
      'msgstr ""',
      '',
      'msgid "One project"',
      'msgid_plural "%d projects"',
      'msgstr[0] ""',
      'msgstr[1] ""',
      '',
    ].join('\n');
    expect(await text('dev', { source_content: source, format: 'po', locale: 'ja' })).toBe(
      [
        'msgid ""',
        'msgstr ""',
        '"Language: ja\\n"',
        '"Plural-Forms: nplurals=1; plural=0;\\n"',
        '',
        '#: lib/page.ex:3',
        'msgid "Hello %{name}"',
        'msgstr "[ja] Ĥéļļö %{name}"',
        '',
        'msgid "One project"',
        'msgid_plural "%d projects"',
        'msgstr[0] "[ja] Öñé プロジェクト"',
        '',
      ].join('\n'),
    );
  });

  it('text: every line marked, a case-sensitive term kept as written when it has no translation', async () => {
    expect(await text('dev', { source_content: 'The API\nthe api\n', format: 'text', locale: 'fr' })).toBe('[fr] Ţĥé API\n[fr] ţĥé åþî\n');
  });
});

describe('the check order and its errors', () => {
  it('no token, an invalid token', async () => {
    await expectUnauthorized(await post(null, 'dev'));
    await expectInvalidToken(await post('nope', 'dev'));
  });

  it('an unknown account is 404 in the api_error envelope, before the scope check', async () => {
    await answer(await post(t.noScope, 'nobody'), 404, apiError('account not found'));
  });

  it('scope, then policy: standard 403 bodies', async () => {
    await expectInsufficientScope(await post(t.noScope, 'dev'), SCOPE);
    await expectNotAuthorized(await post(t.maria, 'northwind'));
    // Neither a public account nor being super admin is enough: members only.
    await expectNotAuthorized(await post(t.maria, 'dev'));
    await expectNotAuthorized(await post(t.dev, 'alex'));
  });

  it("422s in Glossia's order: format first, then each required field", async () => {
    const expect422 = async (body: unknown, message: string) => answer(await post(t.dev, 'dev', body), 422, apiError(message));
    await expect422({}, 'missing required field: source_language');
    await expect422(item({ format: 'html', source_language: undefined }), 'unsupported format: html');
    await expect422(item({ format: '' }), 'unsupported format: ');
    await expect422(item({ source_language: '  ' }), 'missing required field: source_language');
    await expect422(item({ language: null }), 'missing required field: language');
    await expect422(item({ locale: '' }), 'missing required field: locale');
    await expect422(item({ source_content: undefined }), 'missing required field: source_content');
    await expect422(item({ source_content: { a: 1 } }), 'invalid value for field: source_content (expected a string)');
    await expect422(item({ format: 'po', source_content: 'hello' }), 'source_content is not valid po: line 1 is not a comment, keyword or string');
    // The parsers' own words follow (JSON.parse's differ between Node versions).
    for (const [format, source] of [['json', '{"a":'], ['yaml', 'a: [b']]) {
      const body = await answer<{ error: { message: string; type: string } }>(await post(t.dev, 'dev', item({ format, source_content: source })), 422);
      expect(body.error.message).toMatch(new RegExp(`^source_content is not valid ${format}: \\S`));
      expect(body.error.type).toBe('api_error');
    }
  });

  it('an unknown model, and an account without a default model, are 404', async () => {
    await answer(await post(t.dev, 'dev', item({ model: 'nope' })), 404, apiError("model 'nope' not found — configure it in account settings"));
    await answer(await post(t.alex, 'northwind'), 404, apiError("model '' not found — configure it in account settings"));
    // Another account's model is not this account's.
    await answer(await post(t.maria, 'acme', item({ model: 'claude-sonnet' })), 404, apiError("model 'claude-sonnet' not found — configure it in account settings"));
  });
});

describe('forced provider failure and rate limits', () => {
  it('a fault rule forces the 502 in the api_error envelope, with or without a message', async () => {
    const rules = [
      { endpoint: 'api', path: '/api/*/translate', status: 502, times: 1 },
      { endpoint: 'api', path: '/api/*/translate', status: 502, description: 'upstream timed out', times: 1 },
    ];
    for (const rule of rules) expect((await call(m, null, 'POST', '/_mock/faults', rule)).status).toBe(201);
    await answer(await post(t.dev, 'dev'), 502, apiError('Forced 502 Bad Gateway (glossia-mock fault rule).'));
    await answer(await post(t.dev, 'dev'), 502, apiError('upstream timed out'));
    await translated(await post(t.dev, 'dev'));
    const res = await fetch(`${m.url}/api/dev/translate`, { method: 'POST', headers: { 'X-Glossia-Mock-Fault': '502' } });
    await answer(res, 502, apiError('Forced 502 Bad Gateway (glossia-mock fault rule).'));
  });

  it('counts against the per-user API limit: the standard 429 with Retry-After', async () => {
    const limited = await start({ rateLimits: { api: { limit: 2, window: 60 } } });
    const token = await accessToken(limited, SCOPE);
    const send = () => call(limited, token, 'POST', '/api/dev/translate', item());
    await translated(await send());
    await translated(await send());
    const res = await send();
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    await answer(res, 429, { error: 'too_many_requests', error_description: 'Rate limit exceeded' });
  });
});

it('is in /api/openapi.json with its scope and its api_error answers', async () => {
  const doc = (await (await fetch(`${m.url}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { security: unknown; responses: Record<string, { content?: unknown }> }>>;
  };
  const op = doc.paths['/api/{handle}/translate']!['post']!;
  expect(op.security).toEqual([{ oauth2: [SCOPE] }, { bearerAuth: [] }]);
  expect(Object.keys(op.responses).sort()).toEqual(['200', '401', '403', '404', '422', '429', '502']);
  expect(JSON.stringify(op.responses['502']!.content)).toContain('#/components/schemas/ApiError');
});
