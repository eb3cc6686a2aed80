// GET /api/projects (the guide's example call; documented profile only) over real HTTP: bearer
// authentication (reference 9.1), scope check, two-layer authorization (6.2), pagination (9.3).
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvalidToken } from './helpers/api.js';
import { basic, DEMO, later, startTestMock, type TestMock } from './helpers/mock.js';
import { ok, refresh, revoke, tokensFor } from './helpers/tokens.js';

interface FixtureProjectRow {
  account: string;
  handle: string;
  name: string;
  github_repo_full_name: string | null;
  setup_status: string | null;
  inserted_at: string;
}

const FIXTURE_PROJECTS = JSON.parse(readFileSync(new URL('../fixtures/projects.json', import.meta.url), 'utf8')) as FixtureProjectRow[];

/** Reference 17.2 seed projects per account. */
const SEED: Readonly<Record<string, readonly string[]>> = {
  acme: ['acme-docs', 'mobile', 'platform'],
  dev: ['blog', 'cli', 'docs', 'glossia', 'landing-page', 'marketing-site'],
  northwind: ['catalog'],
};

/** What GET /api/projects must list for one account, built from the fixture rows. */
function expectedItems(accounts: readonly string[]) {
  return accounts.flatMap((account) =>
    SEED[account]!.map((handle) => {
      const p = FIXTURE_PROJECTS.find((row) => row.account === account && row.handle === handle);
      if (!p) throw new Error(`fixture project ${account}/${handle} is missing`);
      return {
        handle: p.handle,
        name: p.name,
        github_repo_full_name: p.github_repo_full_name,
        setup_status: p.setup_status,
        inserted_at: p.inserted_at,
        account_handle: account,
      };
    }),
  );
}

interface ProjectsBody {
  projects: { handle: string; account_handle: string }[];
  meta: Record<string, unknown>;
}

let doc: TestMock;
let prod: TestMock;
const tokens: Record<'dev' | 'alex' | 'maria' | 'noScope', string> = { dev: '', alex: '', maria: '', noScope: '' };

beforeAll(async () => {
  [doc, prod] = await Promise.all([
    startTestMock({ autoApprove: 'dev' }),
    startTestMock({ autoApprove: 'dev', profile: 'production' }),
  ]);
  tokens.dev = (await tokensFor(doc, 'user:read project:read')).access_token;
  tokens.alex = (await tokensFor(doc, 'project:read', { user: 'alex' })).access_token;
  tokens.maria = (await tokensFor(doc, 'project:read voice:read', { user: 'maria' })).access_token;
  tokens.noScope = (await tokensFor(doc, 'user:read voice:read project:write')).access_token;
});

afterAll(async () => {
  await Promise.all([doc, prod].filter(Boolean).map((m) => m.close()));
});

const get = (m: TestMock, query = '', headers: Record<string, string> = {}) => fetch(`${m.url}/api/projects${query}`, { headers });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function expectUnauthorized(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await res.text()).toBe('{"error":"unauthorized"}');
}

async function projects(res: Response): Promise<ProjectsBody> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return JSON.parse(text) as ProjectsBody;
}

async function expect400(res: Response, body: unknown) {
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await res.json()).toEqual(body);
}

describe('GET /api/projects: authentication', () => {
  it('no Authorization header → 401 {"error":"unauthorized"} without WWW-Authenticate', async () => {
    await expectUnauthorized(await get(doc));
  });

  it('anything but one header starting "Bearer " counts as no token', async () => {
    for (const header of [
      `bearer ${tokens.dev}`,
      `BEARER ${tokens.dev}`,
      `Bearer`,
      `Bearer `,
      basic(DEMO.clientId, DEMO.secret),
      tokens.dev,
      `Token ${tokens.dev}`,
    ]) {
      await expectUnauthorized(await get(doc, '', { Authorization: header }));
    }
  });

  it('two Authorization headers count as no token, even when both carry it', async () => {
    const twice = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${doc.url}/api/projects`, { headers: { authorization: [`Bearer ${tokens.dev}`, `Bearer ${tokens.dev}`] } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(twice).toEqual({ status: 401, body: '{"error":"unauthorized"}' });
  });

  it('after "Bearer " the rest is trimmed (bearer_auth.ex): extra spaces still carry the token, an inner one makes it invalid', async () => {
    expect((await get(doc, '', { Authorization: `Bearer  ${tokens.dev}` })).status).toBe(200);
    await expectInvalidToken(await get(doc, '', { Authorization: `Bearer ${tokens.dev} ${tokens.dev}` }));
  });

  it('a token in the query string is not a token', async () => {
    await expectUnauthorized(await get(doc, `?access_token=${tokens.dev}`));
  });

  it('an unknown token → 401 invalid_token with WWW-Authenticate: Bearer', async () => {
    await expectInvalidToken(await get(doc, '', bearer('x')));
    await expectInvalidToken(await get(doc, '', bearer(`${tokens.dev.slice(0, -2)}AA`)));
  });

  it('a refresh token is not a bearer token', async () => {
    const t = await tokensFor(doc, 'project:read');
    await expectInvalidToken(await get(doc, '', bearer(t.refresh_token)));
  });

  it('a token from another mock instance → invalid_token', async () => {
    const other = await tokensFor(prod, 'project:read');
    await expectInvalidToken(await get(doc, '', bearer(other.access_token)));
  });

  it('an expired token → 401 invalid_token', async () => {
    const t = await tokensFor(doc, 'project:read');
    await later(doc, 3590, async () => void (await projects(await get(doc, '', bearer(t.access_token)))));
    await later(doc, 3601, async () => expectInvalidToken(await get(doc, '', bearer(t.access_token))));
  });

  it('a revoked token → 401 invalid_token', async () => {
    const t = await tokensFor(doc, 'project:read');
    await projects(await get(doc, '', bearer(t.access_token)));
    const res = await revoke(doc, { token: t.access_token });
    expect(res.status).toBe(200);
    await expectInvalidToken(await get(doc, '', bearer(t.access_token)));
  });
});

describe('GET /api/projects: scope', () => {
  it('a token without project:read → 403 insufficient_scope', async () => {
    const res = await get(doc, '', bearer(tokens.noScope));
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="project:read"');
    expect(await res.text()).toBe('{"error":"insufficient_scope","required_scope":"project:read"}');
  });

  it('checks the scope before the pagination parameters', async () => {
    const res = await get(doc, '?page_size=abc', bearer(tokens.noScope));
    expect(res.status).toBe(403);
  });

  it('a refresh narrowed to drop project:read loses access', async () => {
    const t = await tokensFor(doc, 'user:read project:read');
    const narrowed = await ok(await refresh(doc, t.refresh_token, { scope: 'user:read' }));
    expect((await get(doc, '', bearer(narrowed.access_token))).status).toBe(403);
    await projects(await get(doc, '', bearer(t.access_token)));
  });
});

describe('GET /api/projects: who sees what (reference 6.2)', () => {
  it('dev (super admin, admin of acme, member of northwind) sees every project', async () => {
    const body = await projects(await get(doc, '', bearer(tokens.dev)));
    expect(body.projects).toEqual(expectedItems(['acme', 'dev', 'northwind']));
    expect(body.meta).toEqual({
      total_count: 10,
      total_pages: 1,
      current_page: 1,
      page_size: 50,
      'has_next_page?': false,
      'has_previous_page?': false,
    });
  });

  it('alex (member of acme, admin of northwind) sees acme, the public dev account and northwind', async () => {
    const body = await projects(await get(doc, '', bearer(tokens.alex)));
    expect(body.projects).toEqual(expectedItems(['acme', 'dev', 'northwind']));
  });

  it('maria (linguist of acme) sees acme and the public dev account, never the private northwind', async () => {
    const body = await projects(await get(doc, '', bearer(tokens.maria)));
    expect(body.projects).toEqual(expectedItems(['acme', 'dev']));
    expect(body.projects.map((p) => p.handle)).not.toContain('catalog');
    expect(body.projects.some((p) => p.account_handle === 'northwind')).toBe(false);
    expect(body.meta['total_count']).toBe(9);
  });

  it('every item has exactly the documented members', async () => {
    const body = await projects(await get(doc, '', bearer(tokens.dev)));
    for (const item of body.projects)
      expect(Object.keys(item).sort()).toEqual(['account_handle', 'github_repo_full_name', 'handle', 'inserted_at', 'name', 'setup_status']);
    expect(body.projects.find((p) => p.handle === 'glossia')).toEqual({
      handle: 'glossia',
      name: 'Glossia',
      github_repo_full_name: 'glossia/glossia',
      setup_status: 'completed',
      inserted_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      account_handle: 'dev',
    });
    expect(Object.keys(body).sort()).toEqual(['meta', 'projects']);
  });
});

describe('GET /api/projects: pagination (reference 9.3)', () => {
  const all = () => expectedItems(['acme', 'dev', 'northwind']);

  it('page/page_size', async () => {
    const body = await projects(await get(doc, '?page=2&page_size=3', bearer(tokens.dev)));
    expect(body.projects).toEqual(all().slice(3, 6));
    expect(body.meta).toEqual({
      total_count: 10,
      total_pages: 4,
      current_page: 2,
      page_size: 3,
      'has_next_page?': true,
      'has_previous_page?': true,
    });
    // The meta keys keep their literal question marks on the wire.
    expect(JSON.stringify(body.meta)).toBe(
      '{"total_count":10,"total_pages":4,"current_page":2,"page_size":3,"has_next_page?":true,"has_previous_page?":true}',
    );
  });

  it('the first and last pages', async () => {
    const first = await projects(await get(doc, '?page_size=3', bearer(tokens.dev)));
    expect(first.projects).toEqual(all().slice(0, 3));
    expect(first.meta).toMatchObject({ current_page: 1, 'has_next_page?': true, 'has_previous_page?': false });
    const last = await projects(await get(doc, '?page=4&page_size=3', bearer(tokens.dev)));
    expect(last.projects).toEqual(all().slice(9));
    expect(last.meta).toMatchObject({ current_page: 4, total_pages: 4, 'has_next_page?': false, 'has_previous_page?': true });
    const beyond = await projects(await get(doc, '?page=9&page_size=3', bearer(tokens.dev)));
    expect(beyond.projects).toEqual([]);
    expect(beyond.meta).toMatchObject({ total_count: 10, 'has_next_page?': false });
  });

  it('limit/offset, reported as page-based meta', async () => {
    const body = await projects(await get(doc, '?limit=4&offset=8', bearer(tokens.dev)));
    expect(body.projects).toEqual(all().slice(8, 12));
    expect(body.meta).toEqual({
      total_count: 10,
      total_pages: 3,
      current_page: 3,
      page_size: 4,
      'has_next_page?': false,
      'has_previous_page?': true,
    });
    const onlyLimit = await projects(await get(doc, '?limit=2', bearer(tokens.maria)));
    expect(onlyLimit.projects).toEqual(expectedItems(['acme', 'dev']).slice(0, 2));
    expect(onlyLimit.meta).toMatchObject({ total_count: 9, total_pages: 5, page_size: 2, 'has_next_page?': true });
    const onlyOffset = await projects(await get(doc, '?offset=7', bearer(tokens.maria)));
    expect(onlyOffset.projects).toEqual(expectedItems(['acme', 'dev']).slice(7));
    expect(onlyOffset.meta).toMatchObject({ page_size: 50, 'has_next_page?': false, 'has_previous_page?': true });
  });

  it('page_size 1000 is the maximum', async () => {
    const body = await projects(await get(doc, '?page_size=1000', bearer(tokens.dev)));
    expect(body.projects).toHaveLength(10);
    expect(body.meta['page_size']).toBe(1000);
  });

  it('page_size over 1000, 0 or not a number → 400 JSON', async () => {
    await expect400(await get(doc, '?page_size=1001', bearer(tokens.dev)), {
      errors: { page_size: ['must be less than or equal to 1000'] },
    });
    await expect400(await get(doc, '?page_size=0', bearer(tokens.dev)), {
      errors: { page_size: ['must be greater than or equal to 1'] },
    });
    await expect400(await get(doc, '?page_size=abc', bearer(tokens.dev)), { errors: { page_size: ['is invalid'] } });
    await expect400(await get(doc, '?page=0', bearer(tokens.dev)), { errors: { page: ['must be greater than or equal to 1'] } });
    await expect400(await get(doc, '?limit=1001', bearer(tokens.dev)), { errors: { limit: ['must be less than or equal to 1000'] } });
    await expect400(await get(doc, '?offset=-1', bearer(tokens.dev)), { errors: { offset: ['is invalid'] } });
    await expect400(await get(doc, '?page_size=2&page_size=3', bearer(tokens.dev)), { errors: { page_size: ['is invalid'] } });
  });

  it('mixing page with limit/offset → 400 JSON', async () => {
    await expect400(await get(doc, '?page=1&offset=2', bearer(tokens.dev)), {
      errors: { page: ['cannot be combined with limit/offset'] },
    });
    await expect400(await get(doc, '?page_size=5&limit=5', bearer(tokens.dev)), {
      errors: { page: ['cannot be combined with limit/offset'] },
    });
  });
});

describe('GET /api/projects, production profile', () => {
  it('does not exist: 404 JSON, with or without a valid token', async () => {
    const t = await tokensFor(prod, 'project:read');
    for (const headers of [{}, bearer(t.access_token)]) {
      const res = await get(prod, '', headers);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ errors: { detail: 'Not Found' } });
    }
  });
});

describe('logs', () => {
  it('no mock logged an internal error', () => {
    for (const m of [doc, prod]) expect(m.logs).toEqual([]);
  });
});
