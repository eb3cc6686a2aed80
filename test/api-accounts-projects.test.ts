// GET /api/accounts and /api/:handle/projects, with the seed-data answers of reference 17.3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './helpers/http.js';
import { startTestMock, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';

let m: TestMock;
const token: Record<'dev' | 'alex' | 'maria' | 'noProjects', string> = { dev: '', alex: '', maria: '', noProjects: '' };

beforeAll(async () => {
  m = await startTestMock({ autoApprove: 'dev' });
  const scope = 'account:read project:read project:write glossary:read';
  const [dev, alex, maria, none] = await Promise.all([
    tokensFor(m, scope, { user: 'dev' }),
    tokensFor(m, scope, { user: 'alex' }),
    tokensFor(m, scope, { user: 'maria' }),
    tokensFor(m, 'account:read', { user: 'maria' }),
  ]);
  Object.assign(token, { dev: dev.access_token, alex: alex.access_token, maria: maria.access_token, noProjects: none.access_token });
});
afterAll(async () => {
  await m.close();
  expect(m.logs).toEqual([]);
});

const get = (path: string, who: keyof typeof token) => fetch(`${m.url}${path}`, { headers: { authorization: `Bearer ${token[who]}` } });
const post = (path: string, who: keyof typeof token, body: unknown) =>
  fetch(`${m.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const handles = async (res: Response, key: string) => {
  expect(res.status).toBe(200);
  return ((await res.json())[key] as { handle: string }[]).map((x) => x.handle);
};

describe('reference 17.3: the seed set', () => {
  it('alex lists the accounts acme, alex, northwind (sorted by handle)', async () => {
    const res = await get('/api/accounts', 'alex');
    const body = await res.json();
    expect(body).toEqual({
      accounts: [
        { handle: 'acme', visibility: 'public' },
        { handle: 'alex', visibility: 'private' },
        { handle: 'northwind', visibility: 'private' },
      ],
      meta: { total_count: 3, total_pages: 1, current_page: 1, page_size: 50, 'has_next_page?': false, 'has_previous_page?': false },
    });
  });

  it('maria reads acme (linguist) and dev (public) projects but not northwind', async () => {
    expect(await handles(await get('/api/acme/projects', 'maria'), 'projects')).toEqual(['acme-docs', 'mobile', 'platform']);
    expect(await handles(await get('/api/dev/projects', 'maria'), 'projects')).toEqual(['blog', 'cli', 'docs', 'glossia', 'landing-page', 'marketing-site']);
    await expectError(await get('/api/northwind/projects', 'maria'), 403, { error: 'not_authorized' });
  });

  it('maria may not create projects in acme; glossary of public dev is closed, of acme open', async () => {
    await expectError(await post('/api/acme/projects', 'maria', { project_handle: 'x1', name: 'X' }), 403, { error: 'not_authorized' });
    await expectError(await get('/api/dev/glossary', 'maria'), 403, { error: 'not_authorized' });
    expect((await get('/api/acme/glossary', 'maria')).status).toBe(200);
  });

  it('a token without project:read is refused with the scope it lacks; an unknown account is 404 first', async () => {
    const res = await get('/api/acme/projects', 'noProjects');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="project:read"');
    await expectError(res, 403, { error: 'insufficient_scope', required_scope: 'project:read' });
    await expectError(await get('/api/nope/projects', 'noProjects'), 404, { error: 'account not found' });
  });
});

describe('GET /api/:handle/projects', () => {
  it('has Glossia’s item shape (no id, no account handle)', async () => {
    const res = await get('/api/dev/projects', 'dev');
    const { projects } = await res.json();
    expect(projects.find((p: { handle: string }) => p.handle === 'glossia')).toEqual({
      handle: 'glossia',
      name: 'Glossia',
      github_repo_full_name: 'glossia/glossia',
      setup_status: 'completed',
      inserted_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
  });

  it('sorts with order_by[]/order_directions[] and filters with Flop filters', async () => {
    expect(await handles(await get('/api/dev/projects?order_by[]=name&order_directions[]=desc', 'dev'), 'projects')).toEqual([
      'marketing-site',
      'landing-page',
      'glossia',
      'docs',
      'cli',
      'blog',
    ]);
    const contains = await get(`/api/dev/projects?${encodeURIComponent('filters[0][field]')}=name&${encodeURIComponent('filters[0][op]')}==~&${encodeURIComponent('filters[0][value]')}=SITE`, 'dev');
    expect(await handles(contains, 'projects')).toEqual(['marketing-site']);
    const bad = await get('/api/dev/projects?order_by[]=secret', 'dev');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ errors: { order_by: ['must be one of: handle, name, inserted_at'] } });
    const badFilter = await get('/api/dev/projects?filters[handle]=docs', 'dev');
    expect(badFilter.status).toBe(400);
  });
});

describe('POST /api/:handle/projects', () => {
  it('creates with project_handle (201), then lists it', async () => {
    const res = await post('/api/alex/projects', 'alex', { project_handle: '2fa-app', name: 'Two-factor app', handle: 'ignored' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ handle: '2fa-app', name: 'Two-factor app', github_repo_full_name: null, setup_status: null });
    expect(await handles(await get('/api/alex/projects', 'alex'), 'projects')).toEqual(['2fa-app']);
  });

  it('answers Glossia’s 422 messages', async () => {
    await expectError(await post('/api/alex/projects', 'alex', {}), 422, { errors: { handle: ["can't be blank"], name: ["can't be blank"] } });
    await expectError(await post('/api/alex/projects', 'alex', { project_handle: 'Bad_Handle', name: 'x' }), 422, {
      errors: { handle: ['must contain only lowercase letters, numbers, and hyphens'] },
    });
    await expectError(await post('/api/alex/projects', 'alex', { project_handle: 'a', name: 'x' }), 422, {
      errors: { handle: ['should be at least 2 character(s)'] },
    });
    await post('/api/alex/projects', 'alex', { project_handle: 'twice', name: 'x' });
    await expectError(await post('/api/alex/projects', 'alex', { project_handle: 'twice', name: 'x' }), 422, {
      errors: { account_id: ['has already been taken'] },
    });
  });

  it('50 parallel creates make 50 projects', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post('/api/northwind/projects', 'alex', { project_handle: `bulk-${i}`, name: `Bulk ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const listed = await (await get('/api/northwind/projects?page_size=100', 'alex')).json();
    expect(listed.meta.total_count).toBe(51);
  });
});
