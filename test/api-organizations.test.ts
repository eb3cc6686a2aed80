// Organizations, members and invitations (reference 9.5) over real HTTP: Glossia's check order
// (bearer → :handle → scope → policy, 9.1), the policy table (6.2), exact bodies and status codes,
// concurrent writes, and persistence across a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountTokenHash } from '../src/api/bearer.js';
import { expectInvalidToken } from './helpers/api.js';
import { startTestMock, USERS, type TestMock } from './helpers/mock.js';
import { durableState } from './helpers/store-files.js';
import { registerClient, tokensFor } from './helpers/tokens.js';

const ALL = 'organization:read organization:write organization:delete members:read members:write project:read project:write';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DAY_MS = 86_400_000;

type Who = 'dev' | 'alex' | 'maria';

/** Every mock a test started, so that the last test can check none logged an internal error. */
const started: TestMock[] = [];
async function fresh(overrides: Parameters<typeof startTestMock>[0] = {}): Promise<TestMock> {
  const m = await startTestMock({ autoApprove: 'dev', ...overrides });
  started.push(m);
  return m;
}

/** Tokens with every scope these routes need, per user, and one without any of them. */
async function tokensOf(m: TestMock) {
  const [dev, alex, maria, noScope] = await Promise.all([
    tokensFor(m, ALL, { user: 'dev' }),
    tokensFor(m, ALL, { user: 'alex' }),
    tokensFor(m, ALL, { user: 'maria' }),
    tokensFor(m, 'user:read project:read', { user: 'dev' }),
  ]);
  return { dev: dev.access_token, alex: alex.access_token, maria: maria.access_token, noScope: noScope.access_token };
}

let m: TestMock;
let t: Awaited<ReturnType<typeof tokensOf>>;
/** Where file-backed mocks keep their store. */
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glossia-mock-orgs-'));
  m = await fresh();
  t = await tokensOf(m);
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

const readWorld = async (file: string) => durableState(file).world!;

function call(mock: TestMock, method: string, path: string, token?: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${mock.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}

/** Exactly this status and this JSON body, members in this order. */
async function expectBody(res: Response, status: number, body: unknown) {
  const text = await res.text();
  expect({ status: res.status, text }).toEqual({ status, text: JSON.stringify(body) });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
}

/** The status, and the body parsed (for bodies with generated ids and times). */
async function jsonOf<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return JSON.parse(text) as T;
}

async function expectNoContent(res: Response) {
  expect(res.status, await res.clone().text()).toBe(204);
  expect(await res.text()).toBe('');
}

async function expectUnauthorized(res: Response) {
  expect(res.headers.get('www-authenticate')).toBeNull();
  await expectBody(res, 401, { error: 'unauthorized' });
}

async function expectInsufficientScope(res: Response, scope: string) {
  expect(res.headers.get('www-authenticate')).toBe(`Bearer error="insufficient_scope", scope="${scope}"`);
  await expectBody(res, 403, { error: 'insufficient_scope', required_scope: scope });
}

const expectNotAuthorized = (res: Response) => expectBody(res, 403, { error: 'not_authorized' });
const expectOrgNotFound = (res: Response, handle: string) => expectBody(res, 404, { error: `Organization '${handle}' not found` });

/** A new organization made by `who` through the API. */
async function createOrg(mock: TestMock, token: string, handle: string, name?: string) {
  await expectBody(await call(mock, 'POST', '/api/organizations', token, { handle, ...(name ? { name } : {}) }), 201, {
    handle,
    name: name ?? handle,
    type: 'organization',
  });
}

interface Invitation {
  id: string;
  email: string;
  role: string;
  status: string;
  expires_at: string;
}

const invite = (mock: TestMock, token: string | undefined, handle: string, body: unknown) =>
  call(mock, 'POST', `/api/organizations/${handle}/invitations`, token, body);

const listInvitations = async (mock: TestMock, token: string, handle: string) =>
  (await jsonOf<{ invitations: Invitation[] }>(await call(mock, 'GET', `/api/organizations/${handle}/invitations`, token), 200)).invitations;

/** Fixture memberships (fixtures/organizations.json, users.json). */
const MEMBER = {
  acme: {
    dev: { handle: 'dev', email: 'dev@glossia.ai', role: 'admin', joined_at: '2026-01-20T11:25:36.141977Z' },
    alex: { handle: 'alex', email: 'alex.chen@glossia.test', role: 'member', joined_at: '2026-01-21T08:53:12.650381Z' },
    maria: { handle: 'maria', email: 'maria.rossi@glossia.test', role: 'linguist', joined_at: '2026-02-04T15:07:59.203846Z' },
  },
  northwind: {
    alex: { handle: 'alex', email: 'alex.chen@glossia.test', role: 'admin', joined_at: '2026-02-09T16:48:05.957364Z' },
    dev: { handle: 'dev', email: 'dev@glossia.ai', role: 'member', joined_at: '2026-02-10T09:30:44.015823Z' },
  },
} as const;

describe('GET /api/organizations', () => {
  it("lists the user's organizations, the personal one (\"Personal\") included, by handle", async () => {
    const expected: Record<Who, unknown> = {
      dev: [
        { handle: 'acme', name: 'Acme Industries', visibility: 'public' },
        { handle: 'dev', name: 'Personal', visibility: 'public' },
        { handle: 'northwind', name: 'Northwind Traders', visibility: 'private' },
      ],
      alex: [
        { handle: 'acme', name: 'Acme Industries', visibility: 'public' },
        { handle: 'alex', name: 'Personal', visibility: 'private' },
        { handle: 'northwind', name: 'Northwind Traders', visibility: 'private' },
      ],
      maria: [
        { handle: 'acme', name: 'Acme Industries', visibility: 'public' },
        { handle: 'maria', name: 'Personal', visibility: 'private' },
      ],
    };
    const mock = await fresh();
    const tokens = await tokensOf(mock);
    for (const who of ['dev', 'alex', 'maria'] as const)
      await expectBody(await call(mock, 'GET', '/api/organizations', tokens[who]), 200, { organizations: expected[who] });
  });

  it('401 without a token, 403 insufficient_scope without organization:read', async () => {
    await expectUnauthorized(await call(m, 'GET', '/api/organizations'));
    await expectInvalidToken(await call(m, 'GET', '/api/organizations', 'nope'));
    await expectInsufficientScope(await call(m, 'GET', '/api/organizations', t.noScope), 'organization:read');
  });
});

describe('POST /api/organizations', () => {
  it('creates a private organization with the caller as admin (201)', async () => {
    await createOrg(m, t.maria, 'globex', 'Globex Corporation');
    await expectBody(await call(m, 'GET', '/api/organizations/globex', t.maria), 200, {
      handle: 'globex',
      name: 'Globex Corporation',
      type: 'organization',
      visibility: 'private',
    });
    const { members } = await jsonOf<{ members: unknown[] }>(await call(m, 'GET', '/api/organizations/globex/members', t.maria), 200);
    expect(members).toEqual([{ handle: 'maria', email: 'maria.rossi@glossia.test', role: 'admin', joined_at: expect.stringMatching(ISO) }]);
    const { organizations } = await jsonOf<{ organizations: unknown[] }>(await call(m, 'GET', '/api/organizations', t.maria), 200);
    expect(organizations).toContainEqual({ handle: 'globex', name: 'Globex Corporation', visibility: 'private' });
    const record = m.mock.directory.account('globex')!;
    expect(record).toMatchObject({ personal: false, visibility: 'private', inserted_at: expect.stringMatching(ISO) });
    expect(record.id).toMatch(UUID_V7);
    // Not a member: the organization is private and the policy has no public principal anyway.
    await expectNotAuthorized(await call(m, 'GET', '/api/organizations/globex', t.alex));
    // ...but the super admin may read it.
    await expectBody(await call(m, 'GET', '/api/organizations/globex', t.dev), 200, {
      handle: 'globex',
      name: 'Globex Corporation',
      type: 'organization',
      visibility: 'private',
    });
  });

  it('name defaults to the handle; a form body works too', async () => {
    await createOrg(m, t.alex, 'initech');
    const res = await fetch(`${m.url}/api/organizations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.alex}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ handle: 'umbrella-2', name: 'Umbrella' }),
    });
    await expectBody(res, 201, { handle: 'umbrella-2', name: 'Umbrella', type: 'organization' });
  });

  it('422 with the reference messages', async () => {
    const cases: [unknown, Record<string, string[]>][] = [
      [{}, { handle: ["can't be blank"] }],
      [{ handle: '' }, { handle: ["can't be blank"] }],
      [{ handle: '   ' }, { handle: ["can't be blank"] }],
      [{ handle: 5 }, { handle: ['is invalid'] }],
      [{ handle: 'Acme2' }, { handle: ['must start with a letter and contain only lowercase letters, numbers, and hyphens'] }],
      [{ handle: '2acme' }, { handle: ['must start with a letter and contain only lowercase letters, numbers, and hyphens'] }],
      [{ handle: 'acme-' }, { handle: ['must start with a letter and contain only lowercase letters, numbers, and hyphens'] }],
      [{ handle: 'ac_me' }, { handle: ['must start with a letter and contain only lowercase letters, numbers, and hyphens'] }],
      [{ handle: 'x' }, { handle: ['should be at least 2 character(s)'] }],
      [{ handle: `a${'b'.repeat(39)}` }, { handle: ['should be at most 39 character(s)'] }],
      [
        { handle: 'X' },
        { handle: ['must start with a letter and contain only lowercase letters, numbers, and hyphens', 'should be at least 2 character(s)'] },
      ],
      [{ handle: 'api' }, { handle: ['is reserved and cannot be used'] }],
      [{ handle: 'organizations' }, { handle: ['is reserved and cannot be used'] }],
      [{ handle: 'mcp' }, { handle: ['is reserved and cannot be used'] }],
      [{ handle: 'es' }, { handle: ['is reserved and cannot be used'] }],
      [{ handle: 'ja' }, { handle: ['is reserved and cannot be used'] }],
      [{ handle: 'pt' }, { handle: ['is reserved and cannot be used'] }],
      // Reserved and taken (the dev user's personal account): reserved is what a changeset reports.
      [{ handle: 'dev' }, { handle: ['is reserved and cannot be used'] }],
      [{ handle: 'acme' }, { handle: ['has already been taken'] }],
      // One namespace: users' personal accounts count.
      [{ handle: 'maria' }, { handle: ['has already been taken'] }],
      [{ handle: 'alex', name: 'Alex Co' }, { handle: ['has already been taken'] }],
    ];
    for (const [body, errors] of cases)
      await expectBody(await call(m, 'POST', '/api/organizations', t.alex, body), 422, { errors });
    // A 39-character handle and a two-letter one that is not a language are fine.
    await createOrg(m, t.alex, `a${'b'.repeat(38)}`);
    await createOrg(m, t.alex, 'qx');
  });

  it('401 without a token, 403 insufficient_scope without organization:write', async () => {
    await expectUnauthorized(await call(m, 'POST', '/api/organizations', undefined, { handle: 'nobody' }));
    const readOnly = (await tokensFor(m, 'organization:read', { user: 'alex' })).access_token;
    await expectInsufficientScope(await call(m, 'POST', '/api/organizations', readOnly, { handle: 'nobody' }), 'organization:write');
    expect(m.mock.directory.account('nobody')).toBeUndefined();
  });

  it('50 parallel creates (file-backed store): 50 organizations, none lost, all on disk', async () => {
    const file = join(dir, 'parallel-orgs.json');
    const mock = await fresh({ dataFile: file });
    const tokens = await tokensOf(mock);
    const handles = Array.from({ length: 50 }, (_, i) => `parallel-${i}`);
    const answers = await Promise.all(handles.map((handle) => call(mock, 'POST', '/api/organizations', tokens.maria, { handle })));
    expect(answers.map((r) => r.status)).toEqual(handles.map(() => 201));
    const { organizations } = await jsonOf<{ organizations: { handle: string }[] }>(
      await call(mock, 'GET', '/api/organizations', tokens.maria),
      200,
    );
    expect(organizations.map((o) => o.handle).sort()).toEqual(['acme', 'maria', ...handles].sort());
    const world = mock.mock.directory.world();
    for (const handle of handles) {
      expect(world.organizations.filter((o) => o.handle === handle)).toHaveLength(1);
      expect(world.memberships.filter((x) => x.organization === handle)).toEqual([
        { organization: handle, userId: USERS.maria, role: 'admin', joined_at: expect.stringMatching(ISO) },
      ]);
    }
    const onDisk = (await readWorld(file)).organizations.map((o) => o.handle);
    for (const handle of handles) expect(onDisk).toContain(handle);
  });

  it('10 parallel creates of one handle: exactly one 201, the rest "has already been taken"', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call(m, 'POST', '/api/organizations', t.dev, { handle: 'contested' })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(422)]);
    for (const res of answers.filter((r) => r.status === 422))
      expect(await res.json()).toEqual({ errors: { handle: ['has already been taken'] } });
    expect(m.mock.directory.accounts().filter((o) => o.handle === 'contested')).toHaveLength(1);
  });
});

describe('GET /api/organizations/:handle', () => {
  it('answers the organization to the super admin, admins and members (linguists included)', async () => {
    const acme = { handle: 'acme', name: 'Acme Industries', type: 'organization', visibility: 'public' };
    const northwind = { handle: 'northwind', name: 'Northwind Traders', type: 'organization', visibility: 'private' };
    await expectBody(await call(m, 'GET', '/api/organizations/acme', t.dev), 200, acme);
    await expectBody(await call(m, 'GET', '/api/organizations/acme', t.alex), 200, acme);
    await expectBody(await call(m, 'GET', '/api/organizations/acme', t.maria), 200, acme);
    await expectBody(await call(m, 'GET', '/api/organizations/northwind', t.alex), 200, northwind);
    await expectBody(await call(m, 'GET', '/api/organizations/northwind', t.dev), 200, northwind);
    // A personal organization, to its user and to the super admin.
    const maria = { handle: 'maria', name: 'Personal', type: 'organization', visibility: 'private' };
    await expectBody(await call(m, 'GET', '/api/organizations/maria', t.maria), 200, maria);
    await expectBody(await call(m, 'GET', '/api/organizations/maria', t.dev), 200, maria);
  });

  it('403 not_authorized for a non-member, even of a public account', async () => {
    await expectNotAuthorized(await call(m, 'GET', '/api/organizations/northwind', t.maria));
    await expectNotAuthorized(await call(m, 'GET', '/api/organizations/maria', t.alex));
    // dev's personal account is public; organization:read has no public principal.
    await expectNotAuthorized(await call(m, 'GET', '/api/organizations/dev', t.alex));
  });

  it('404 for an unknown handle, before the scope is checked, but after the token', async () => {
    await expectOrgNotFound(await call(m, 'GET', '/api/organizations/nope', t.dev), 'nope');
    await expectOrgNotFound(await call(m, 'GET', '/api/organizations/nope', t.noScope), 'nope');
    await expectUnauthorized(await call(m, 'GET', '/api/organizations/nope'));
  });

  it('401 without a token, 403 insufficient_scope without organization:read', async () => {
    await expectUnauthorized(await call(m, 'GET', '/api/organizations/acme'));
    await expectInsufficientScope(await call(m, 'GET', '/api/organizations/acme', t.noScope), 'organization:read');
  });

  it('is tried before the /api/:handle/… routes', async () => {
    await expectOrgNotFound(await call(m, 'GET', '/api/organizations/projects', t.dev), 'projects');
  });
});

describe('PATCH /api/organizations/:handle', () => {
  it('changes name and/or visibility, ignores other keys, answers the GET shape', async () => {
    const mock = await fresh();
    const tokens = await tokensOf(mock);
    await expectBody(
      await call(mock, 'PATCH', '/api/organizations/northwind', tokens.alex, {
        name: 'Northwind Co',
        visibility: 'public',
        handle: 'renamed',
        personal: true,
        type: 'user',
      }),
      200,
      { handle: 'northwind', name: 'Northwind Co', type: 'organization', visibility: 'public' },
    );
    await expectBody(await call(mock, 'PATCH', '/api/organizations/northwind', tokens.alex, { visibility: 'private' }), 200, {
      handle: 'northwind',
      name: 'Northwind Co',
      type: 'organization',
      visibility: 'private',
    });
    await expectBody(await call(mock, 'PATCH', '/api/organizations/northwind', tokens.alex, { name: 'Northwind Traders 2' }), 200, {
      handle: 'northwind',
      name: 'Northwind Traders 2',
      type: 'organization',
      visibility: 'private',
    });
    await expectBody(await call(mock, 'PATCH', '/api/organizations/northwind', tokens.alex, {}), 200, {
      handle: 'northwind',
      name: 'Northwind Traders 2',
      type: 'organization',
      visibility: 'private',
    });
    await expectBody(await call(mock, 'GET', '/api/organizations/northwind', tokens.dev), 200, {
      handle: 'northwind',
      name: 'Northwind Traders 2',
      type: 'organization',
      visibility: 'private',
    });
    expect(mock.mock.directory.account('renamed')).toBeUndefined();
    expect(mock.mock.directory.account('northwind')!.personal).toBe(false);
  });

  it('422 for a bad visibility, and nothing changes', async () => {
    for (const visibility of ['secret', 'PUBLIC', '', 1])
      await expectBody(await call(m, 'PATCH', '/api/organizations/northwind', t.alex, { visibility, name: 'Changed' }), 422, {
        errors: { visibility: ['is invalid'] },
      });
    await expectBody(await call(m, 'PATCH', '/api/organizations/northwind', t.alex, { name: '' }), 422, {
      errors: { name: ["can't be blank"] },
    });
    expect(m.mock.directory.account('northwind')).toMatchObject({ name: 'Northwind Traders', visibility: 'private' });
  });

  it('403 not_authorized unless org admin (members, linguists and the super admin are refused)', async () => {
    await expectNotAuthorized(await call(m, 'PATCH', '/api/organizations/northwind', t.dev, { name: 'x' }));
    await expectNotAuthorized(await call(m, 'PATCH', '/api/organizations/acme', t.alex, { name: 'x' }));
    await expectNotAuthorized(await call(m, 'PATCH', '/api/organizations/acme', t.maria, { name: 'x' }));
    await expectNotAuthorized(await call(m, 'PATCH', '/api/organizations/maria', t.dev, { name: 'x' }));
    expect(m.mock.directory.account('acme')!.name).toBe('Acme Industries');
  });

  it('404 (even without the scope), 401, 403 insufficient_scope', async () => {
    await expectOrgNotFound(await call(m, 'PATCH', '/api/organizations/nope', t.alex, { name: 'x' }), 'nope');
    await expectOrgNotFound(await call(m, 'PATCH', '/api/organizations/nope', t.noScope, { name: 'x' }), 'nope');
    await expectUnauthorized(await call(m, 'PATCH', '/api/organizations/northwind', undefined, { name: 'x' }));
    const readOnly = (await tokensFor(m, 'organization:read', { user: 'alex' })).access_token;
    await expectInsufficientScope(await call(m, 'PATCH', '/api/organizations/northwind', readOnly, { name: 'x' }), 'organization:write');
  });
});

describe('DELETE /api/organizations/:handle', () => {
  it('204, and every record of the account goes: memberships, invitations, projects, voices, glossaries, tokens, models, OAuth apps', async () => {
    const mock = await fresh();
    const tokens = await tokensOf(mock);
    await createOrg(mock, tokens.alex, 'doomed', 'Doomed Inc');
    await jsonOf(await call(mock, 'POST', '/api/doomed/projects', tokens.alex, { project_handle: 'site', name: 'Site' }), 201);
    await jsonOf(await invite(mock, tokens.alex, 'doomed', { email: 'x@doomed.test' }), 201);
    const world = mock.mock.directory.world();
    const now = '2026-03-01T00:00:00.000000Z';
    world.voices.push({ ...structuredClone(world.voices.find((v) => v.account === 'acme')!), account: 'doomed' });
    world.glossaries.push({ ...structuredClone(world.glossaries.find((g) => g.account === 'acme')!), account: 'doomed' });
    const plain = `glsa_${'ab'.repeat(20)}`;
    world.accountTokens.push({
      id: '019c0000-0000-7000-8000-000000000001',
      account: 'doomed',
      userId: USERS.alex,
      name: 'CI',
      description: null,
      token_prefix: plain.slice(0, 12),
      token_hash: accountTokenHash(plain),
      scope: 'organization:read',
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
      inserted_at: now,
      updated_at: now,
    });
    // An OAuth app of the account: its client, and a token issued to it.
    const client = await registerClient(mock, 'Doomed app');
    world.oauthApps.push({
      id: '019c0000-0000-7000-8000-000000000002',
      account: 'doomed',
      userId: USERS.alex,
      name: 'Doomed app',
      description: null,
      homepage_url: null,
      client_id: client.clientId,
      inserted_at: now,
      updated_at: now,
    });
    const appToken = await tokensFor(mock, 'organization:read', { client: { ...client }, user: 'alex' });
    world.models.push({ ...structuredClone(world.models.find((x) => x.account === 'acme')!), id: '019c0000-0000-7000-8000-000000000003', account: 'doomed' });
    // Records of other accounts stay (the fixtures' own account token and models among them).
    const before = {
      organizations: world.organizations.length - 1,
      memberships: world.memberships.length - 1,
      invitations: world.invitations.length - 1,
      projects: world.projects.length - 1,
      voices: world.voices.length - 1,
      glossaries: world.glossaries.length - 1,
      accountTokens: world.accountTokens.length - 1,
      models: world.models.length - 1,
    };
    for (const token of [plain, appToken.access_token]) expect((await call(mock, 'GET', '/api/organizations', token)).status).toBe(200);

    await expectNoContent(await call(mock, 'DELETE', '/api/organizations/doomed', tokens.alex));

    await expectOrgNotFound(await call(mock, 'GET', '/api/organizations/doomed', tokens.alex), 'doomed');
    await expectBody(await call(mock, 'GET', '/api/doomed/projects', tokens.alex), 404, { error: 'account not found' });
    const after = mock.mock.directory.world();
    const mentions = (JSON.stringify(after).match(/"doomed"/g) ?? []).length;
    expect(mentions).toBe(0);
    expect({
      organizations: after.organizations.length,
      memberships: after.memberships.length,
      invitations: after.invitations.length,
      projects: after.projects.length,
      voices: after.voices.length,
      glossaries: after.glossaries.length,
      accountTokens: after.accountTokens.length,
      models: after.models.length,
    }).toEqual(before);
    expect(after.accountTokens.filter((x) => x.account === 'doomed')).toEqual([]);
    expect(after.models.filter((x) => x.account === 'doomed')).toEqual([]);
    expect(after.oauthApps).toEqual([]);
    expect(mock.mock.store.data.clients[client.clientId]).toBeUndefined();
    // The account token and the app's token no longer work.
    await expectInvalidToken(await call(mock, 'GET', '/api/organizations', plain));
    await expectInvalidToken(await call(mock, 'GET', '/api/organizations', appToken.access_token));
    // The handle is free again.
    await createOrg(mock, tokens.maria, 'doomed');
    const { members } = await jsonOf<{ members: unknown[] }>(await call(mock, 'GET', '/api/organizations/doomed/members', tokens.maria), 200);
    expect(members).toEqual([{ handle: 'maria', email: 'maria.rossi@glossia.test', role: 'admin', joined_at: expect.stringMatching(ISO) }]);
  });

  it('409 for a personal organization', async () => {
    for (const who of ['alex', 'maria', 'dev'] as const)
      await expectBody(await call(m, 'DELETE', `/api/organizations/${who}`, t[who]), 409, {
        error: 'A personal organization cannot be deleted.',
      });
    expect(m.mock.directory.account('alex')).toBeDefined();
  });

  it('403 not_authorized unless org admin (super admin included)', async () => {
    await expectNotAuthorized(await call(m, 'DELETE', '/api/organizations/northwind', t.dev));
    await expectNotAuthorized(await call(m, 'DELETE', '/api/organizations/acme', t.alex));
    await expectNotAuthorized(await call(m, 'DELETE', '/api/organizations/acme', t.maria));
    await expectNotAuthorized(await call(m, 'DELETE', '/api/organizations/maria', t.dev));
    expect(m.mock.directory.account('northwind')).toBeDefined();
    expect(m.mock.directory.account('acme')).toBeDefined();
  });

  it('404 (even without the scope), 401, 403 insufficient_scope', async () => {
    await expectOrgNotFound(await call(m, 'DELETE', '/api/organizations/nope', t.alex), 'nope');
    await expectOrgNotFound(await call(m, 'DELETE', '/api/organizations/nope', t.noScope), 'nope');
    await expectUnauthorized(await call(m, 'DELETE', '/api/organizations/northwind'));
    const writeOnly = (await tokensFor(m, 'organization:read organization:write', { user: 'alex' })).access_token;
    await expectInsufficientScope(await call(m, 'DELETE', '/api/organizations/northwind', writeOnly), 'organization:delete');
    expect(m.mock.directory.account('northwind')).toBeDefined();
  });
});

describe('GET /api/organizations/:handle/members', () => {
  it('lists members oldest first, to the super admin, admins and members', async () => {
    const acme = { members: [MEMBER.acme.dev, MEMBER.acme.alex, MEMBER.acme.maria] };
    for (const who of ['dev', 'alex', 'maria'] as const)
      await expectBody(await call(m, 'GET', '/api/organizations/acme/members', t[who]), 200, acme);
    const northwind = { members: [MEMBER.northwind.alex, MEMBER.northwind.dev] };
    for (const who of ['dev', 'alex'] as const)
      await expectBody(await call(m, 'GET', '/api/organizations/northwind/members', t[who]), 200, northwind);
    // The super admin reads a personal organization's members.
    await expectBody(await call(m, 'GET', '/api/organizations/maria/members', t.dev), 200, {
      members: [{ handle: 'maria', email: 'maria.rossi@glossia.test', role: 'admin', joined_at: '2026-02-03T10:41:18.774530Z' }],
    });
  });

  it('403 not_authorized for non-members', async () => {
    await expectNotAuthorized(await call(m, 'GET', '/api/organizations/northwind/members', t.maria));
    await expectNotAuthorized(await call(m, 'GET', '/api/organizations/dev/members', t.alex));
  });

  it('404 (even without the scope), 401, 403 insufficient_scope', async () => {
    await expectOrgNotFound(await call(m, 'GET', '/api/organizations/nope/members', t.dev), 'nope');
    await expectOrgNotFound(await call(m, 'GET', '/api/organizations/nope/members', t.noScope), 'nope');
    await expectUnauthorized(await call(m, 'GET', '/api/organizations/acme/members'));
    const orgOnly = (await tokensFor(m, 'organization:read organization:write', { user: 'dev' })).access_token;
    await expectInsufficientScope(await call(m, 'GET', '/api/organizations/acme/members', orgOnly), 'members:read');
  });
});

describe('DELETE /api/organizations/:handle/members/:user_handle', () => {
  it('removes a member (204), and again (204, not a member any more)', async () => {
    const mock = await fresh();
    const tokens = await tokensOf(mock);
    await expectNoContent(await call(mock, 'DELETE', '/api/organizations/acme/members/alex', tokens.dev));
    await expectBody(await call(mock, 'GET', '/api/organizations/acme/members', tokens.dev), 200, {
      members: [MEMBER.acme.dev, MEMBER.acme.maria],
    });
    await expectNoContent(await call(mock, 'DELETE', '/api/organizations/acme/members/alex', tokens.dev));
    // Alex lost access: acme is public, but organization:read has no public principal.
    await expectNotAuthorized(await call(mock, 'GET', '/api/organizations/acme', tokens.alex));
    const { organizations } = await jsonOf<{ organizations: { handle: string }[] }>(
      await call(mock, 'GET', '/api/organizations', tokens.alex),
      200,
    );
    expect(organizations.map((o) => o.handle)).toEqual(['alex', 'northwind']);
    // An admin who is not the only one can go.
    await expectNoContent(await call(mock, 'DELETE', '/api/organizations/acme/members/maria', tokens.dev));
    await createOrg(mock, tokens.maria, 'duo');
    const joined_at = '2026-03-01T00:00:00.000000Z';
    mock.mock.directory.world().memberships.push({ organization: 'duo', userId: USERS.alex, role: 'admin', joined_at });
    await expectNoContent(await call(mock, 'DELETE', '/api/organizations/duo/members/maria', tokens.alex));
    await expectBody(await call(mock, 'GET', '/api/organizations/duo/members', tokens.alex), 200, {
      members: [{ handle: 'alex', email: 'alex.chen@glossia.test', role: 'admin', joined_at }],
    });
  });

  it('409 for the only admin', async () => {
    await expectBody(await call(m, 'DELETE', '/api/organizations/acme/members/dev', t.dev), 409, {
      error: 'Cannot remove the only admin of the organization',
    });
    await expectBody(await call(m, 'DELETE', '/api/organizations/alex/members/alex', t.alex), 409, {
      error: 'Cannot remove the only admin of the organization',
    });
    expect(m.mock.directory.roleOf(USERS.dev, m.mock.directory.account('acme')!)).toBe('admin');
  });

  it("404 for an unknown user: {\"error\":\"User '<handle>' not found\"}", async () => {
    await expectBody(await call(m, 'DELETE', '/api/organizations/acme/members/ghost', t.dev), 404, { error: "User 'ghost' not found" });
    // An organization is not a user.
    await expectBody(await call(m, 'DELETE', '/api/organizations/acme/members/northwind', t.dev), 404, {
      error: "User 'northwind' not found",
    });
  });

  it('403 not_authorized unless org admin', async () => {
    await expectNotAuthorized(await call(m, 'DELETE', '/api/organizations/acme/members/maria', t.alex));
    await expectNotAuthorized(await call(m, 'DELETE', '/api/organizations/acme/members/alex', t.maria));
    await expectNotAuthorized(await call(m, 'DELETE', '/api/organizations/northwind/members/alex', t.dev));
    await expectNotAuthorized(await call(m, 'DELETE', '/api/organizations/maria/members/maria', t.dev));
    expect(m.mock.directory.memberships(m.mock.directory.account('acme')!)).toHaveLength(3);
  });

  it('404 organization (even without the scope), 401, 403 insufficient_scope', async () => {
    await expectOrgNotFound(await call(m, 'DELETE', '/api/organizations/nope/members/alex', t.dev), 'nope');
    await expectOrgNotFound(await call(m, 'DELETE', '/api/organizations/nope/members/alex', t.noScope), 'nope');
    await expectUnauthorized(await call(m, 'DELETE', '/api/organizations/acme/members/alex'));
    const readOnly = (await tokensFor(m, 'members:read', { user: 'dev' })).access_token;
    await expectInsufficientScope(await call(m, 'DELETE', '/api/organizations/acme/members/alex', readOnly), 'members:write');
    // The scope comes before the unknown user.
    await expectInsufficientScope(await call(m, 'DELETE', '/api/organizations/acme/members/ghost', readOnly), 'members:write');
  });
});

describe('GET /api/organizations/:handle/invitations', () => {
  it('lists pending invitations to the super admin, admins and members', async () => {
    const mock = await fresh();
    const tokens = await tokensOf(mock);
    const seeded = {
      id: '01a01516-59ef-7c44-b5a9-ccc3fb9576e7',
      email: 'prospect@acme.test',
      role: 'member',
      status: 'pending',
      expires_at: mock.mock.directory.world().invitations[0]!.expires_at,
    };
    expect(seeded.expires_at).toMatch(ISO);
    for (const who of ['dev', 'alex', 'maria'] as const)
      await expectBody(await call(mock, 'GET', '/api/organizations/acme/invitations', tokens[who]), 200, { invitations: [seeded] });
    await expectBody(await call(mock, 'GET', '/api/organizations/northwind/invitations', tokens.dev), 200, {
      invitations: [
        {
          id: '01a03342-4abc-7abd-81be-781566c31f83',
          email: 'vendor@northwind.test',
          role: 'member',
          status: 'pending',
          expires_at: mock.mock.directory.world().invitations[1]!.expires_at,
        },
      ],
    });
    await expectBody(await call(mock, 'GET', '/api/organizations/maria/invitations', tokens.dev), 200, { invitations: [] });
  });

  it('newest first; expired (by the mock clock) and revoked ones are not listed', async () => {
    const mock = await fresh({ accessTokenTtl: 30 * 86_400 });
    const tokens = await tokensOf(mock);
    const first = await jsonOf<Invitation>(await invite(mock, tokens.dev, 'acme', { email: 'one@x.test' }), 201);
    mock.mock.clock.advance(1);
    const second = await jsonOf<Invitation>(await invite(mock, tokens.dev, 'acme', { email: 'two@x.test' }), 201);
    mock.mock.clock.advance(1);
    const third = await jsonOf<Invitation>(await invite(mock, tokens.dev, 'acme', { email: 'three@x.test' }), 201);
    expect((await listInvitations(mock, tokens.dev, 'acme')).map((i) => i.email)).toEqual([
      'three@x.test',
      'two@x.test',
      'one@x.test',
      'prospect@acme.test',
    ]);
    await expectNoContent(await call(mock, 'DELETE', `/api/organizations/acme/invitations/${second.id}`, tokens.dev));
    expect(await listInvitations(mock, tokens.dev, 'acme')).toEqual([third, first, expect.objectContaining({ email: 'prospect@acme.test' })]);
    // Seven days later the seeded one (made at start) and the first have expired; the third has 2 s left.
    mock.mock.clock.advance(7 * 86_400 - 1);
    expect((await listInvitations(mock, tokens.dev, 'acme')).map((i) => i.email)).toEqual(['three@x.test']);
    mock.mock.clock.advance(1);
    await expectBody(await call(mock, 'GET', '/api/organizations/acme/invitations', tokens.dev), 200, { invitations: [] });
    // An expired invitation does not block a new one for the same address.
    await jsonOf(await invite(mock, tokens.dev, 'acme', { email: 'one@x.test' }), 201);
  });

  it('403 not_authorized for non-members', async () => {
    await expectNotAuthorized(await call(m, 'GET', '/api/organizations/northwind/invitations', t.maria));
    await expectNotAuthorized(await call(m, 'GET', '/api/organizations/dev/invitations', t.maria));
  });

  it('404 (even without the scope), 401, 403 insufficient_scope', async () => {
    await expectOrgNotFound(await call(m, 'GET', '/api/organizations/nope/invitations', t.dev), 'nope');
    await expectOrgNotFound(await call(m, 'GET', '/api/organizations/nope/invitations', t.noScope), 'nope');
    await expectUnauthorized(await call(m, 'GET', '/api/organizations/acme/invitations'));
    await expectInsufficientScope(await call(m, 'GET', '/api/organizations/acme/invitations', t.noScope), 'members:read');
  });
});

describe('POST /api/organizations/:handle/invitations', () => {
  it('201 with the item shape, expiring in 7 days; role defaults to member', async () => {
    const beforeMs = m.mock.clock.nowMs();
    const res = await invite(m, t.dev, 'acme', { email: 'New.Person@Example.test', role: 'linguist' });
    const afterMs = m.mock.clock.nowMs();
    const body = await jsonOf<Invitation>(res, 201);
    expect(Object.keys(body)).toEqual(['id', 'email', 'role', 'status', 'expires_at']);
    expect(body).toEqual({
      id: expect.stringMatching(UUID_V7),
      email: 'New.Person@Example.test',
      role: 'linguist',
      status: 'pending',
      expires_at: expect.stringMatching(ISO),
    });
    const expires = Date.parse(body.expires_at);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(beforeMs) + 7 * DAY_MS);
    expect(expires).toBeLessThanOrEqual(afterMs + 7 * DAY_MS);
    const record = m.mock.directory.world().invitations.find((i) => i.id === body.id)!;
    expect(record).toMatchObject({ organization: 'acme', invited_by: USERS.dev, status: 'pending' });
    expect((await listInvitations(m, t.maria, 'acme'))[0]).toEqual(body);

    const plain = await jsonOf<Invitation>(await invite(m, t.alex, 'northwind', { email: 'someone@northwind.test' }), 201);
    expect(plain.role).toBe('member');
    const admin = await jsonOf<Invitation>(await invite(m, t.alex, 'northwind', { email: 'boss@northwind.test', role: 'admin' }), 201);
    expect(admin.role).toBe('admin');
  });

  it('409 for a member\'s e-mail (any case) and for a pending invitation (any case)', async () => {
    for (const email of ['alex.chen@glossia.test', 'ALEX.CHEN@glossia.test', 'Maria.Rossi@Glossia.Test'])
      await expectBody(await invite(m, t.dev, 'acme', { email }), 409, {
        error: 'User is already a member of this organization',
      });
    for (const email of ['prospect@acme.test', 'Prospect@ACME.test'])
      await expectBody(await invite(m, t.dev, 'acme', { email, role: 'admin' }), 409, {
        error: 'A pending invitation already exists for this email',
      });
    // Maria is not a member of northwind, and prospect@ is only invited to acme.
    await jsonOf(await invite(m, t.alex, 'northwind', { email: 'maria.rossi@glossia.test' }), 201);
    await jsonOf(await invite(m, t.alex, 'northwind', { email: 'prospect@acme.test' }), 201);
  });

  it('422 for a bad e-mail or role', async () => {
    const cases: [unknown, Record<string, string[]>][] = [
      [{}, { email: ["can't be blank"] }],
      [{ email: '' }, { email: ["can't be blank"] }],
      [{ email: 'nobody.example.test' }, { email: ['has invalid format'] }],
      [{ email: 'a@b', role: 'owner' }, { role: ['is invalid'] }],
      [{ email: 'a@b', role: 'Admin' }, { role: ['is invalid'] }],
      [{ email: 'nope', role: 'owner' }, { email: ['has invalid format'], role: ['is invalid'] }],
    ];
    for (const [body, errors] of cases)
      await expectBody(await invite(m, t.dev, 'acme', body), 422, { errors });
    expect(m.mock.directory.world().invitations.some((i) => i.email === 'a@b')).toBe(false);
  });

  it('403 not_authorized unless org admin', async () => {
    await expectNotAuthorized(await invite(m, t.alex, 'acme', { email: 'z@z.test' }));
    await expectNotAuthorized(await invite(m, t.maria, 'acme', { email: 'z@z.test' }));
    await expectNotAuthorized(await invite(m, t.dev, 'northwind', { email: 'z@z.test' }));
    // Policy before validation.
    await expectNotAuthorized(await invite(m, t.maria, 'acme', { email: 'bad' }));
  });

  it('404 (even without the scope), 401, 403 insufficient_scope', async () => {
    await expectOrgNotFound(await invite(m, t.dev, 'nope', { email: 'z@z.test' }), 'nope');
    await expectOrgNotFound(await invite(m, t.noScope, 'nope', { email: 'z@z.test' }), 'nope');
    await expectUnauthorized(await invite(m, undefined, 'acme', { email: 'z@z.test' }));
    const readOnly = (await tokensFor(m, 'members:read', { user: 'dev' })).access_token;
    await expectInsufficientScope(await invite(m, readOnly, 'acme', { email: 'z@z.test' }), 'members:write');
  });

  it('50 parallel invitations (file-backed store): 50 records, none lost; one address invited 10 times at once: one 201', async () => {
    const file = join(dir, 'parallel-invitations.json');
    const mock = await fresh({ dataFile: file });
    const tokens = await tokensOf(mock);
    const emails = Array.from({ length: 50 }, (_, i) => `guest${i}@parallel.test`);
    const answers = await Promise.all(
      emails.map((email) => invite(mock, tokens.dev, 'acme', { email })),
    );
    expect(answers.map((r) => r.status)).toEqual(emails.map(() => 201));
    const ids = await Promise.all(answers.map(async (r) => ((await r.json()) as Invitation).id));
    expect(new Set(ids).size).toBe(50);
    const listed = await listInvitations(mock, tokens.dev, 'acme');
    expect(listed).toHaveLength(51);
    expect(listed.map((i) => i.email).sort()).toEqual([...emails, 'prospect@acme.test'].sort());
    expect(mock.mock.directory.world().invitations.filter((i) => i.organization === 'acme')).toHaveLength(51);
    const onDisk = (await readWorld(file)).invitations.map((i) => i.email);
    for (const email of emails) expect(onDisk).toContain(email);

    const same = await Promise.all(
      Array.from({ length: 10 }, () => invite(mock, tokens.dev, 'acme', { email: 'once@parallel.test' })),
    );
    expect(same.map((r) => r.status).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(mock.mock.directory.world().invitations.filter((i) => i.email === 'once@parallel.test')).toHaveLength(1);
  });
});

describe('DELETE /api/organizations/:handle/invitations/:invitation_id', () => {
  it('revokes (204): status revoked, no longer listed, the address can be invited again', async () => {
    const mock = await fresh();
    const tokens = await tokensOf(mock);
    const id = '01a01516-59ef-7c44-b5a9-ccc3fb9576e7';
    await expectNoContent(await call(mock, 'DELETE', `/api/organizations/acme/invitations/${id}`, tokens.dev));
    expect(mock.mock.directory.world().invitations.find((i) => i.id === id)!.status).toBe('revoked');
    await expectBody(await call(mock, 'GET', '/api/organizations/acme/invitations', tokens.dev), 200, { invitations: [] });
    await jsonOf(await invite(mock, tokens.dev, 'acme', { email: 'prospect@acme.test' }), 201);
    // Upper-case UUIDs name the same invitation.
    const created = await jsonOf<Invitation>(await invite(mock, tokens.dev, 'acme', { email: 'caps@x.test' }), 201);
    await expectNoContent(await call(mock, 'DELETE', `/api/organizations/acme/invitations/${created.id.toUpperCase()}`, tokens.dev));
    expect(mock.mock.directory.world().invitations.find((i) => i.id === created.id)!.status).toBe('revoked');
  });

  it('404 {"error":"Invitation not found"} for an unknown, malformed or other organization\'s id', async () => {
    for (const id of ['019c0000-0000-7000-8000-00000000dead', 'not-a-uuid', '01a03342-4abc-7abd-81be-781566c31f83'])
      await expectBody(await call(m, 'DELETE', `/api/organizations/acme/invitations/${id}`, t.dev), 404, { error: 'Invitation not found' });
    expect(m.mock.directory.world().invitations.find((i) => i.id === '01a03342-4abc-7abd-81be-781566c31f83')!.status).toBe('pending');
  });

  it('403 not_authorized unless org admin', async () => {
    const id = '01a01516-59ef-7c44-b5a9-ccc3fb9576e7';
    await expectNotAuthorized(await call(m, 'DELETE', `/api/organizations/acme/invitations/${id}`, t.alex));
    await expectNotAuthorized(await call(m, 'DELETE', `/api/organizations/acme/invitations/${id}`, t.maria));
    expect(m.mock.directory.world().invitations.find((i) => i.id === id)!.status).toBe('pending');
  });

  it('404 organization (even without the scope), 401, 403 insufficient_scope', async () => {
    const id = '01a01516-59ef-7c44-b5a9-ccc3fb9576e7';
    await expectOrgNotFound(await call(m, 'DELETE', `/api/organizations/nope/invitations/${id}`, t.dev), 'nope');
    await expectOrgNotFound(await call(m, 'DELETE', `/api/organizations/nope/invitations/${id}`, t.noScope), 'nope');
    await expectUnauthorized(await call(m, 'DELETE', `/api/organizations/acme/invitations/${id}`));
    const readOnly = (await tokensFor(m, 'members:read', { user: 'dev' })).access_token;
    await expectInsufficientScope(await call(m, 'DELETE', `/api/organizations/acme/invitations/${id}`, readOnly), 'members:write');
  });
});

describe('persistence', () => {
  it('writes are on disk before the answer and survive a restart', async () => {
    const file = join(dir, 'db.json');
    const first = await fresh({ dataFile: file });
    const a = await tokensOf(first);
    await createOrg(first, a.alex, 'kept', 'Kept Ltd');
    expect((await readWorld(file)).organizations.map((o) => o.handle)).toContain('kept');
    await jsonOf(await call(first, 'PATCH', '/api/organizations/kept', a.alex, { visibility: 'public' }), 200);
    const invitation = await jsonOf<Invitation>(await invite(first, a.alex, 'kept', { email: 'p@kept.test', role: 'admin' }), 201);
    const revoked = await jsonOf<Invitation>(await invite(first, a.alex, 'northwind', { email: 'r@kept.test' }), 201);
    await expectNoContent(await call(first, 'DELETE', `/api/organizations/northwind/invitations/${revoked.id}`, a.alex));
    await expectNoContent(await call(first, 'DELETE', '/api/organizations/northwind/members/dev', a.alex));
    await createOrg(first, a.maria, 'gone');
    await expectNoContent(await call(first, 'DELETE', '/api/organizations/gone', a.maria));
    await first.close();

    const second = await fresh({ dataFile: file });
    const b = await tokensOf(second);
    await expectBody(await call(second, 'GET', '/api/organizations/kept', b.alex), 200, {
      handle: 'kept',
      name: 'Kept Ltd',
      type: 'organization',
      visibility: 'public',
    });
    expect(await listInvitations(second, b.alex, 'kept')).toEqual([invitation]);
    expect((await listInvitations(second, b.alex, 'northwind')).map((i) => i.email)).toEqual(['vendor@northwind.test']);
    await expectBody(await call(second, 'GET', '/api/organizations/northwind/members', b.alex), 200, { members: [MEMBER.northwind.alex] });
    await expectOrgNotFound(await call(second, 'GET', '/api/organizations/gone', b.maria), 'gone');
    const { members } = await jsonOf<{ members: { handle: string; role: string }[] }>(
      await call(second, 'GET', '/api/organizations/kept/members', b.alex),
      200,
    );
    expect(members.map(({ handle, role }) => ({ handle, role }))).toEqual([{ handle: 'alex', role: 'admin' }]);
  });
});

describe('logs', () => {
  it('no mock logged an internal error', () => {
    expect(started.length).toBeGreaterThan(1);
    for (const s of started) expect(s.logs).toEqual([]);
  });
});
