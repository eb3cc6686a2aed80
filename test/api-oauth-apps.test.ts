// OAuth applications over real HTTP (reference 9.10, 3, 10): the /api/:handle/oauth-apps routes,
// their checks (9.1, 6.2), and the OAuth client behind each app — it logs users in at once, loses
// its tokens when deleted, and drops its old secret when a new one is generated.
import { beforeAll, describe, expect, it } from 'vitest';
import { answer, call, expectInsufficientScope, expectInvalidToken, expectNotAuthorized, expectUnauthorized, onePage } from './helpers/api.js';
import { Browser, signIn } from './helpers/browser-session.js';
import { acrossRestart, authorizeUrl, autoApprovedCode, codeForm, mockStarter, pkce, postForm, USERS, type TestMock } from './helpers/mock.js';
import { accessToken, CREDS, credentialTokens, ok, tokensFor, type Client } from './helpers/tokens.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const SECRET = /^[A-Za-z0-9]{86}$/;
const APP_KEYS = ['description', 'homepage_url', 'id', 'inserted_at', 'name'];
const CALLBACK = 'http://localhost:4000/auth/callback';
const HOMEPAGE_MESSAGE = 'must be a valid URL starting with http:// or https://';
const UNKNOWN_ID = '019bb17b-dd78-7779-bf27-7a3ce5b99319';

interface AppJson {
  id: string;
  name: string;
  description: string | null;
  homepage_url: string | null;
  inserted_at: string;
}
interface Created {
  oauth_application: AppJson;
  client_id: string;
  client_secret: string;
}
interface Shown {
  oauth_application: AppJson & { client_id: string; redirect_uris: string[] };
}
interface Listed {
  oauth_applications: AppJson[];
  meta: Record<string, unknown>;
}

let doc: TestMock;
let prod: TestMock;
const t = { dev: '', devRead: '', noScope: '', alex: '', maria: '', prod: '' };

const start = mockStarter();

beforeAll(async () => {
  [doc, prod] = await Promise.all([start({ autoApprove: 'dev' }), start({ autoApprove: 'dev', profile: 'production' })]);
  Object.assign(t, await credentialTokens(doc), { prod: await accessToken(prod, CREDS) });
});

const createApp = async (m: TestMock, token: string, handle: string, body: Record<string, unknown>) =>
  answer<Created>(await call(m, token, 'POST', `/api/${handle}/oauth-apps`, body), 201);
const showApp = async (m: TestMock, token: string, handle: string, id: string) =>
  answer<Shown>(await call(m, token, 'GET', `/api/${handle}/oauth-apps/${id}`), 200);
const listApps = async (m: TestMock, token: string, handle: string, query = '') =>
  answer<Listed>(await call(m, token, 'GET', `/api/${handle}/oauth-apps${query}`), 200);

const asClient = (c: Created, redirectUri = CALLBACK): Client => ({ clientId: c.client_id, secret: c.client_secret, redirectUri });

/** A code for the app's client (auto-approved) and its exchange with `secret`. */
async function codeExchange(m: TestMock, c: Created, secret: string | undefined, redirectUri = CALLBACK) {
  const { code, verifier } = await autoApprovedCode(m.url, { clientId: c.client_id, redirectUri, scope: 'project:read' });
  return postForm(`${m.url}/oauth/token`, codeForm(code, verifier, { redirect_uri: redirectUri, client_id: c.client_id, client_secret: secret }));
}

const refreshWith = (m: TestMock, c: Created, refreshToken: string, secret = c.client_secret) =>
  postForm(`${m.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: c.client_id, client_secret: secret });

async function expectInvalidClient(res: Response) {
  expect(res.status).toBe(401);
  expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
}

describe('POST /api/:handle/oauth-apps', () => {
  it('201 {"oauth_application":{…},"client_id","client_secret"} and a real OAuth client behind it', async () => {
    const res = await call(doc, t.dev, 'POST', '/api/dev/oauth-apps', {
      name: 'Internal dashboard',
      description: 'Our dashboard',
      homepage_url: 'https://dash.example',
      redirect_uris: [CALLBACK],
    });
    const body = await answer<Created>(res, 201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body).sort()).toEqual(['client_id', 'client_secret', 'oauth_application']);
    expect(body.oauth_application).toEqual({
      id: expect.stringMatching(UUID_V7),
      name: 'Internal dashboard',
      description: 'Our dashboard',
      homepage_url: 'https://dash.example',
      inserted_at: expect.stringMatching(ISO_MICROS),
    });
    expect(Object.keys(body.oauth_application).sort()).toEqual(APP_KEYS);
    expect(body.client_id).toMatch(UUID_V4);
    expect(body.client_secret).toMatch(SECRET);
    expect(body.oauth_application.id).not.toBe(body.client_id);

    const client = doc.mock.clients.find(body.client_id)!;
    expect(client).toMatchObject({
      client_id: body.client_id,
      client_secret: body.client_secret,
      client_name: 'Internal dashboard',
      redirect_uris: [CALLBACK],
      grant_types: ['authorization_code', 'refresh_token', 'revoke'],
      token_endpoint_auth_method: null,
      source: 'oauth-app',
    });
    const record = doc.mock.store.data.world!.oauthApps.find((a) => a.id === body.oauth_application.id)!;
    expect(record).toMatchObject({ account: 'dev', userId: USERS.dev, client_id: body.client_id });
  });

  it('the production profile gives the client the authorization_code grant only (reference 3)', async () => {
    const body = await createApp(prod, t.prod, 'dev', { name: 'prod app', redirect_uris: [CALLBACK] });
    expect(prod.mock.clients.find(body.client_id)!.grant_types).toEqual(['authorization_code']);
  });

  it('redirect_uris: an array, one string split on whitespace and commas, empty, or absent', async () => {
    const split = await createApp(doc, t.dev, 'dev', {
      name: 'split',
      redirect_uris: ` ${CALLBACK}, https://app.example/cb\nmyapp://oauth/callback,,http://127.0.0.1:9/x?y=1 `,
    });
    expect((await showApp(doc, t.dev, 'dev', split.oauth_application.id)).oauth_application.redirect_uris).toEqual([
      CALLBACK,
      'https://app.example/cb',
      'myapp://oauth/callback',
      'http://127.0.0.1:9/x?y=1',
    ]);
    for (const redirect_uris of [[], '', undefined]) {
      const c = await createApp(doc, t.dev, 'dev', { name: 'no uris', redirect_uris });
      expect((await showApp(doc, t.dev, 'dev', c.oauth_application.id)).oauth_application.redirect_uris).toEqual([]);
    }
  });

  it('optional fields default to null; empty strings count as absent', async () => {
    const bare = await createApp(doc, t.dev, 'dev', { name: 'bare' });
    expect(bare.oauth_application).toMatchObject({ description: null, homepage_url: null });
    const blank = await createApp(doc, t.dev, 'dev', { name: 'blank', description: '', homepage_url: '' });
    expect(blank.oauth_application).toMatchObject({ description: null, homepage_url: null });
    const plain = await createApp(doc, t.dev, 'dev', { name: 'http', homepage_url: 'http://example.test/home' });
    expect(plain.oauth_application.homepage_url).toBe('http://example.test/home');
  });

  it('a form body works too (redirect_uris as the dashboard\'s single field)', async () => {
    const res = await call(doc, t.dev, 'POST', '/api/dev/oauth-apps', new URLSearchParams({ name: 'form app', redirect_uris: `${CALLBACK} https://b.example/cb` }));
    const body = await answer<Created>(res, 201);
    expect(doc.mock.clients.find(body.client_id)!.redirect_uris).toEqual([CALLBACK, 'https://b.example/cb']);
  });

  it('422 {"errors":{…}} with every problem at once; nothing is created', async () => {
    const before = { apps: doc.mock.store.data.world!.oauthApps.length, clients: Object.keys(doc.mock.store.data.clients).length };
    const post = (body: unknown) => call(doc, t.dev, 'POST', '/api/dev/oauth-apps', body);
    await answer(await post({}), 422, { errors: { name: ["can't be blank"] } });
    await answer(await post({ name: '  ' }), 422, { errors: { name: ["can't be blank"] } });
    await answer(await post({ name: ['x'] }), 422, { errors: { name: ['is invalid'] } });
    await answer(await post({ name: 'x'.repeat(256) }), 422, { errors: { name: ['should be at most 255 character(s)'] } });
    for (const homepage_url of ['ftp://example.test', 'example.test', 'https:/x', 'www.example.test/http://'])
      await answer(await post({ name: 'x', homepage_url }), 422, { errors: { homepage_url: [HOMEPAGE_MESSAGE] } });
    await answer(await post({ name: 'x', redirect_uris: ['not a uri', 'https://ok.example/cb', 'https://x.example/cb#frag', 'http:///cb'] }), 422, {
      errors: { redirect_uris: ['`not a uri` is invalid', '`https://x.example/cb#frag` is invalid', '`http:///cb` is invalid'] },
    });
    await answer(await post({ name: 'x', redirect_uris: 5 }), 422, { errors: { redirect_uris: ['is invalid'] } });
    await answer(await post({ name: 'x', redirect_uris: 'https://ok.example/cb nope' }), 422, { errors: { redirect_uris: ['`nope` is invalid'] } });
    await answer(await post({ homepage_url: 'mailto:x', redirect_uris: ['x'], description: 3 }), 422, {
      errors: { name: ["can't be blank"], homepage_url: [HOMEPAGE_MESSAGE], redirect_uris: ['`x` is invalid'], description: ['is invalid'] },
    });
    expect(doc.mock.store.data.world!.oauthApps).toHaveLength(before.apps);
    expect(Object.keys(doc.mock.store.data.clients)).toHaveLength(before.clients);
    const longest = await createApp(doc, t.dev, 'dev', { name: 'n'.repeat(255) });
    expect(longest.oauth_application.name).toHaveLength(255);
  });
});

describe('GET /api/:handle/oauth-apps and /:id', () => {
  let m: TestMock;
  let admin: string;
  const made: Record<string, Created> = {};

  beforeAll(async () => {
    m = await start({ autoApprove: 'dev' });
    admin = await accessToken(m, CREDS);
    for (const name of ['Beta', 'Alpha', 'Gamma']) {
      made[name] = await createApp(m, admin, 'dev', { name, redirect_uris: [CALLBACK] });
      m.mock.clock.advance(1);
    }
    made['acme'] = await createApp(m, admin, 'acme', { name: 'Acme app', homepage_url: 'https://acme.test' });
  });

  it('lists the account\'s apps newest first with meta; no client fields, never a secret', async () => {
    const res = await call(m, admin, 'GET', '/api/dev/oauth-apps');
    const text = await res.clone().text();
    const body = await answer<Listed>(res, 200);
    expect(Object.keys(body).sort()).toEqual(['meta', 'oauth_applications']);
    expect(body.oauth_applications).toEqual(['Gamma', 'Alpha', 'Beta'].map((n) => made[n]!.oauth_application));
    for (const item of body.oauth_applications) expect(Object.keys(item).sort()).toEqual(APP_KEYS);
    expect(body.meta).toEqual(onePage(3));
    for (const c of Object.values(made)) {
      expect(text).not.toContain(c.client_secret);
      expect(text).not.toContain(c.client_id);
    }
    expect((await listApps(m, admin, 'acme')).oauth_applications).toEqual([made['acme']!.oauth_application]);
    expect((await listApps(m, admin, 'northwind')).meta).toMatchObject({ total_count: 0, total_pages: 0 });
  });

  it('sorts by name/inserted_at, filters by name, paginates; bad parameters → 400', async () => {
    const names = async (q: string) => (await listApps(m, admin, 'dev', q)).oauth_applications.map((a) => a.name);
    expect(await names('?order_by[]=name')).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(await names('?order_by[]=inserted_at&order_directions[]=asc')).toEqual(['Beta', 'Alpha', 'Gamma']);
    expect(await names('?filters[0][field]=name&filters[0][op]=%3D%3D&filters[0][value]=Alpha')).toEqual(['Alpha']);
    expect(await names('?limit=1&offset=1')).toEqual(['Alpha']);
    await answer(await call(m, admin, 'GET', '/api/dev/oauth-apps?order_by[]=homepage_url'), 400, {
      errors: { order_by: ['must be one of: name, inserted_at'] },
    });
  });

  it('GET /:id → {"oauth_application":{…,"client_id","redirect_uris"}}, no secret', async () => {
    const c = made['Alpha']!;
    const res = await call(m, admin, 'GET', `/api/dev/oauth-apps/${c.oauth_application.id}`);
    const text = await res.clone().text();
    const body = await answer<Shown>(res, 200);
    expect(body).toEqual({ oauth_application: { ...c.oauth_application, client_id: c.client_id, redirect_uris: [CALLBACK] } });
    expect(text).not.toContain(c.client_secret);
    expect(text).not.toContain('secret');
    // Ecto casts an upper-case UUID too.
    await showApp(m, admin, 'dev', c.oauth_application.id.toUpperCase());
  });

  it('an unknown id → 404 {"errors":{"detail":"Not Found"}}; a malformed one → 400 Bad Request', async () => {
    for (const [method, suffix] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/regenerate-secret'],
    ] as const) {
      const body = method === 'PATCH' ? { name: 'x' } : undefined;
      await answer(await call(m, admin, method, `/api/dev/oauth-apps/${UNKNOWN_ID}${suffix}`, body), 404, { errors: { detail: 'Not Found' } });
      for (const bad of ['abc', '123', `${UNKNOWN_ID}0`, UNKNOWN_ID.replace(/^0/, 'g')])
        await answer(await call(m, admin, method, `/api/dev/oauth-apps/${bad}${suffix}`, body), 400, { errors: { detail: 'Bad Request' } });
    }
  });

  it('an app of another account → 404 through this account, for every route', async () => {
    const id = made['acme']!.oauth_application.id;
    await answer(await call(m, admin, 'GET', `/api/dev/oauth-apps/${id}`), 404, { errors: { detail: 'Not Found' } });
    await answer(await call(m, admin, 'PATCH', `/api/dev/oauth-apps/${id}`, { name: 'stolen' }), 404, { errors: { detail: 'Not Found' } });
    await answer(await call(m, admin, 'POST', `/api/dev/oauth-apps/${id}/regenerate-secret`), 404, { errors: { detail: 'Not Found' } });
    await answer(await call(m, admin, 'DELETE', `/api/dev/oauth-apps/${id}`), 404, { errors: { detail: 'Not Found' } });
    expect((await showApp(m, admin, 'acme', id)).oauth_application.name).toBe('Acme app');
    expect(m.mock.clients.find(made['acme']!.client_id)!.client_secret).toBe(made['acme']!.client_secret);
  });
});

describe('the app\'s OAuth client', () => {
  it('logs a user in at once: authorize (auto-approved) + token exchange; the token works at the API', async () => {
    const c = await createApp(doc, t.dev, 'dev', { name: 'Login app', redirect_uris: [CALLBACK] });
    const tokens = await tokensFor(doc, 'project:read', { client: asClient(c), user: 'alex' });
    expect(tokens.token_type).toBe('bearer');
    const projects = await answer<{ projects: unknown[] }>(await call(doc, tokens.access_token, 'GET', '/api/northwind/projects'), 200);
    expect(projects.projects.length).toBeGreaterThan(0);
    // Documented profile: the guide's refresh (step 6) and revoke (step 7) work for dashboard apps.
    const refreshed = await ok(await refreshWith(doc, c, tokens.refresh_token));
    const revoked = await postForm(`${doc.url}/oauth/revoke`, { token: refreshed.access_token, client_id: c.client_id, client_secret: c.client_secret });
    expect(revoked.status).toBe(200);
    await expectInvalidToken(await call(doc, refreshed.access_token, 'GET', '/api/dev/projects'));
  });

  it('production: the code exchange works (secret not checked), refresh and revoke are refused', async () => {
    const c = await createApp(prod, t.prod, 'dev', { name: 'Prod login', redirect_uris: [CALLBACK] });
    const tokens = await ok(await codeExchange(prod, c, undefined));
    await answer(await call(prod, tokens.access_token, 'GET', '/api/dev/projects'), 200);
    await answer(await refreshWith(prod, c, tokens.refresh_token), 400, {
      error: 'unsupported_grant_type',
      error_description: 'Client do not support given grant type.',
    });
    await answer(await postForm(`${prod.url}/oauth/revoke`, { token: tokens.access_token, client_id: c.client_id, client_secret: c.client_secret }), 400, {
      error: 'unsupported_grant_type',
      error_description: 'Client do not support given grant type.',
    });
  });

  it('an app without redirect URIs cannot authorize anywhere', async () => {
    const c = await createApp(doc, t.dev, 'dev', { name: 'nowhere' });
    const { challenge } = pkce();
    const res = await fetch(authorizeUrl(doc.url, { clientId: c.client_id, redirectUri: CALLBACK, challenge }), { redirect: 'manual' });
    expect(res.status).toBe(401);
  });
});

describe('PATCH /api/:handle/oauth-apps/:id', () => {
  it('updates the given fields → 200 {"oauth_application":{…}}; the OAuth client keeps its name', async () => {
    const c = await createApp(doc, t.dev, 'dev', { name: 'Old name', description: 'd', homepage_url: 'https://old.example', redirect_uris: [CALLBACK] });
    const path = `/api/dev/oauth-apps/${c.oauth_application.id}`;
    const res = await call(doc, t.dev, 'PATCH', path, { name: 'New name', homepage_url: 'http://new.example' });
    const body = await answer<{ oauth_application: AppJson }>(res, 200);
    expect(body).toEqual({
      oauth_application: { ...c.oauth_application, name: 'New name', homepage_url: 'http://new.example', description: 'd' },
    });
    expect((await showApp(doc, t.dev, 'dev', c.oauth_application.id)).oauth_application).toMatchObject({
      name: 'New name',
      client_id: c.client_id,
      redirect_uris: [CALLBACK],
    });
    expect(doc.mock.clients.find(c.client_id)!.client_name).toBe('Old name');
    // description: "" clears it; an empty body changes nothing
    await answer(await call(doc, t.dev, 'PATCH', path, { description: '' }), 200, {
      oauth_application: { ...body.oauth_application, description: null },
    });
    await answer(await call(doc, t.dev, 'PATCH', path, {}), 200, { oauth_application: { ...body.oauth_application, description: null } });
  });

  it('a non-empty redirect_uris replaces the client\'s URIs; empty or absent leaves them', async () => {
    const c = await createApp(doc, t.dev, 'dev', { name: 'uris', redirect_uris: [CALLBACK] });
    const path = `/api/dev/oauth-apps/${c.oauth_application.id}`;
    const uris = async () => (await showApp(doc, t.dev, 'dev', c.oauth_application.id)).oauth_application.redirect_uris;
    for (const redirect_uris of [[], '', undefined, null]) {
      await answer(await call(doc, t.dev, 'PATCH', path, { redirect_uris }), 200);
      expect(await uris()).toEqual([CALLBACK]);
    }
    await answer(await call(doc, t.dev, 'PATCH', path, { redirect_uris: 'https://new.example/cb, http://localhost:5000/cb' }), 200);
    expect(await uris()).toEqual(['https://new.example/cb', 'http://localhost:5000/cb']);
    // The old URI no longer authorizes; the new one does.
    const { challenge } = pkce();
    expect((await fetch(authorizeUrl(doc.url, { clientId: c.client_id, redirectUri: CALLBACK, challenge }), { redirect: 'manual' })).status).toBe(401);
    await ok(await codeExchange(doc, c, c.client_secret, 'https://new.example/cb'));
  });

  it('422 for a blank name, a bad homepage or bad redirect URIs; nothing changes', async () => {
    const c = await createApp(doc, t.dev, 'dev', { name: 'strict', redirect_uris: [CALLBACK] });
    const path = `/api/dev/oauth-apps/${c.oauth_application.id}`;
    await answer(await call(doc, t.dev, 'PATCH', path, { name: '' }), 422, { errors: { name: ["can't be blank"] } });
    await answer(await call(doc, t.dev, 'PATCH', path, { name: null }), 422, { errors: { name: ["can't be blank"] } });
    await answer(await call(doc, t.dev, 'PATCH', path, { name: 'ok', homepage_url: 'javascript:alert(1)', redirect_uris: ['bad'] }), 422, {
      errors: { homepage_url: [HOMEPAGE_MESSAGE], redirect_uris: ['`bad` is invalid'] },
    });
    expect((await showApp(doc, t.dev, 'dev', c.oauth_application.id)).oauth_application).toMatchObject({
      name: 'strict',
      homepage_url: null,
      redirect_uris: [CALLBACK],
    });
  });
});

describe('DELETE /api/:handle/oauth-apps/:id', () => {
  it('200 {"status":"deleted"}: the app and its client are gone and every token of it is dead', async () => {
    const c = await createApp(doc, t.dev, 'dev', { name: 'Doomed', redirect_uris: [CALLBACK] });
    const first = await tokensFor(doc, 'project:read', { client: asClient(c) });
    const second = await tokensFor(doc, 'project:read', { client: asClient(c), user: 'maria' });
    const pending = await autoApprovedCode(doc.url, { clientId: c.client_id, redirectUri: CALLBACK, scope: 'project:read' });
    await answer(await call(doc, first.access_token, 'GET', '/api/dev/projects'), 200);
    await answer(await call(doc, second.access_token, 'GET', '/api/acme/projects'), 200);

    await answer(await call(doc, t.dev, 'DELETE', `/api/dev/oauth-apps/${c.oauth_application.id}`), 200, { status: 'deleted' });

    await expectInvalidToken(await call(doc, first.access_token, 'GET', '/api/dev/projects'));
    await expectInvalidToken(await call(doc, second.access_token, 'GET', '/api/acme/projects'));
    await expectInvalidClient(await refreshWith(doc, c, first.refresh_token));
    await expectInvalidClient(
      await postForm(
        `${doc.url}/oauth/token`,
        codeForm(pending.code, pending.verifier, { redirect_uri: CALLBACK, client_id: c.client_id, client_secret: c.client_secret }),
      ),
    );
    const { challenge } = pkce();
    expect((await fetch(authorizeUrl(doc.url, { clientId: c.client_id, redirectUri: CALLBACK, challenge }), { redirect: 'manual' })).status).toBe(401);

    expect(doc.mock.clients.find(c.client_id)).toBeUndefined();
    await answer(await call(doc, t.dev, 'GET', `/api/dev/oauth-apps/${c.oauth_application.id}`), 404, { errors: { detail: 'Not Found' } });
    expect((await listApps(doc, t.dev, 'dev', '?page_size=1000')).oauth_applications.map((a) => a.id)).not.toContain(c.oauth_application.id);
    await answer(await call(doc, t.dev, 'DELETE', `/api/dev/oauth-apps/${c.oauth_application.id}`), 404, { errors: { detail: 'Not Found' } });
  });

  it('other clients\' tokens are untouched', async () => {
    const keep = await createApp(doc, t.dev, 'dev', { name: 'Keeper', redirect_uris: [CALLBACK] });
    const drop = await createApp(doc, t.dev, 'dev', { name: 'Dropped', redirect_uris: [CALLBACK] });
    const kept = await tokensFor(doc, 'project:read', { client: asClient(keep) });
    await answer(await call(doc, t.dev, 'DELETE', `/api/dev/oauth-apps/${drop.oauth_application.id}`), 200, { status: 'deleted' });
    await answer(await call(doc, kept.access_token, 'GET', '/api/dev/projects'), 200);
    await answer(await call(doc, t.dev, 'GET', '/api/dev/oauth-apps'), 200);
  });
});

describe('POST /api/:handle/oauth-apps/:id/regenerate-secret', () => {
  it('200 {"client_secret"}: a new secret; the old one stops working at once', async () => {
    const c = await createApp(doc, t.dev, 'dev', { name: 'Rotating', redirect_uris: [CALLBACK] });
    const before = await ok(await codeExchange(doc, c, c.client_secret));

    const body = await answer<{ client_secret: string }>(
      await call(doc, t.dev, 'POST', `/api/dev/oauth-apps/${c.oauth_application.id}/regenerate-secret`),
      200,
    );
    expect(Object.keys(body)).toEqual(['client_secret']);
    expect(body.client_secret).toMatch(SECRET);
    expect(body.client_secret).not.toBe(c.client_secret);

    // Documented profile: the code exchange authenticates the client.
    await expectInvalidClient(await codeExchange(doc, c, c.client_secret));
    await expectInvalidClient(await refreshWith(doc, c, before.refresh_token));
    const after = await ok(await codeExchange(doc, c, body.client_secret));
    await ok(await refreshWith(doc, c, after.refresh_token, body.client_secret));
    // Tokens issued before keep working: only the secret changed.
    await answer(await call(doc, before.access_token, 'GET', '/api/dev/projects'), 200);
    // The new secret is not shown again.
    const shown = await call(doc, t.dev, 'GET', `/api/dev/oauth-apps/${c.oauth_application.id}`);
    expect(await shown.text()).not.toContain(body.client_secret);
  });
});

describe('authentication and authorization (reference 9.1, 6.2)', () => {
  let id: string;
  const routes = () =>
    [
      ['GET', '/api/acme/oauth-apps', 'api_credentials:read'],
      ['POST', '/api/acme/oauth-apps', 'api_credentials:write'],
      ['GET', `/api/acme/oauth-apps/${id}`, 'api_credentials:read'],
      ['PATCH', `/api/acme/oauth-apps/${id}`, 'api_credentials:write'],
      ['DELETE', `/api/acme/oauth-apps/${id}`, 'api_credentials:write'],
      ['POST', `/api/acme/oauth-apps/${id}/regenerate-secret`, 'api_credentials:write'],
    ] as const;
  const bodyFor = (method: string) => (method === 'POST' || method === 'PATCH' ? { name: 'x' } : undefined);

  beforeAll(async () => {
    id = (await createApp(doc, t.dev, 'acme', { name: 'Acme target', redirect_uris: [CALLBACK] })).oauth_application.id;
  });

  it('no Authorization header → 401 unauthorized without WWW-Authenticate', async () => {
    for (const [method, path] of routes()) await expectUnauthorized(await call(doc, null, method, path, bodyFor(method)));
  });

  it('an unknown token → 401 invalid_token', async () => {
    for (const [method, path] of routes()) await expectInvalidToken(await call(doc, 'glsa_nope', method, path, bodyFor(method)));
  });

  it('an unknown handle → 404 account not found, even without the scope', async () => {
    for (const token of [t.dev, t.noScope])
      for (const [method, path] of routes())
        await answer(await call(doc, token, method, path.replace('/api/acme/', '/api/nobody/'), bodyFor(method)), 404, { error: 'account not found' });
  });

  it('a token without the scope → 403 insufficient_scope with WWW-Authenticate, before any 400/404/422', async () => {
    for (const [method, path, scope] of routes()) await expectInsufficientScope(await call(doc, t.noScope, method, path, bodyFor(method)), scope);
    for (const [method, path, scope] of routes())
      if (scope === 'api_credentials:write') await expectInsufficientScope(await call(doc, t.devRead, method, path, bodyFor(method)), scope);
    await expectInsufficientScope(await call(doc, t.noScope, 'GET', '/api/acme/oauth-apps/not-a-uuid'), 'api_credentials:read');
    await expectInsufficientScope(await call(doc, t.noScope, 'POST', '/api/acme/oauth-apps', {}), 'api_credentials:write');
    await showApp(doc, t.devRead, 'acme', id);
  });

  it('a member (alex) or linguist (maria) of acme → 403 not_authorized, before any 400/404/422', async () => {
    for (const token of [t.alex, t.maria]) for (const [method, path] of routes()) await expectNotAuthorized(await call(doc, token, method, path, bodyFor(method)));
    await expectNotAuthorized(await call(doc, t.alex, 'GET', '/api/acme/oauth-apps/not-a-uuid'));
    await expectNotAuthorized(await call(doc, t.alex, 'POST', '/api/acme/oauth-apps', {}));
    expect((await showApp(doc, t.dev, 'acme', id)).oauth_application.name).toBe('Acme target');
  });

  it('super admin (dev, only a member of northwind) reads there but cannot write; its admin (alex) can', async () => {
    const created = await createApp(doc, t.alex, 'northwind', { name: 'Northwind app', redirect_uris: [CALLBACK] });
    const nid = created.oauth_application.id;
    expect((await listApps(doc, t.dev, 'northwind')).oauth_applications.map((a) => a.id)).toContain(nid);
    await showApp(doc, t.dev, 'northwind', nid);
    await expectNotAuthorized(await call(doc, t.dev, 'POST', '/api/northwind/oauth-apps', { name: 'x' }));
    await expectNotAuthorized(await call(doc, t.dev, 'PATCH', `/api/northwind/oauth-apps/${nid}`, { name: 'x' }));
    await expectNotAuthorized(await call(doc, t.dev, 'POST', `/api/northwind/oauth-apps/${nid}/regenerate-secret`));
    await expectNotAuthorized(await call(doc, t.dev, 'DELETE', `/api/northwind/oauth-apps/${nid}`));
    await answer(await call(doc, t.alex, 'DELETE', `/api/northwind/oauth-apps/${nid}`), 200, { status: 'deleted' });
  });

  it('an account token with api_credentials:write manages apps too', async () => {
    const made = await answer<{ plain_token: string }>(await call(doc, t.dev, 'POST', '/api/dev/tokens', { name: 'apps', scope: CREDS }), 201);
    const c = await createApp(doc, made.plain_token, 'dev', { name: 'via glsa', redirect_uris: [CALLBACK] });
    expect(doc.mock.store.data.world!.oauthApps.find((a) => a.id === c.oauth_application.id)!.userId).toBe(USERS.dev);
  });
});

describe('persistence', () => {
  it('create, update, regenerate and delete survive a restart; the renamed app keeps its consent name', async () => {
    await acrossRestart(
      { autoApprove: 'dev' },
      async (first) => {
        const admin = await accessToken(first, CREDS);
        const c = await createApp(first, admin, 'dev', { name: 'Persisted', redirect_uris: [CALLBACK] });
        const gone = await createApp(first, admin, 'dev', { name: 'Gone', redirect_uris: [CALLBACK] });
        const goneTokens = await tokensFor(first, 'project:read', { client: asClient(gone) });
        await answer(await call(first, admin, 'PATCH', `/api/dev/oauth-apps/${c.oauth_application.id}`, { name: 'Renamed', redirect_uris: ['https://p.example/cb'] }), 200);
        const { client_secret } = await answer<{ client_secret: string }>(
          await call(first, admin, 'POST', `/api/dev/oauth-apps/${c.oauth_application.id}/regenerate-secret`),
          200,
        );
        await answer(await call(first, admin, 'DELETE', `/api/dev/oauth-apps/${gone.oauth_application.id}`), 200);
        return { c, gone, goneTokens, client_secret };
      },
      async (second, { c, gone, goneTokens, client_secret }) => {
        expect(second.mock.clients.find(c.client_id)).toMatchObject({ client_secret, client_name: 'Persisted', redirect_uris: ['https://p.example/cb'] });
        expect(second.mock.clients.find(gone.client_id)).toBeUndefined();
        await expectInvalidToken(await call(second, goneTokens.access_token, 'GET', '/api/dev/projects'));
        expect(second.mock.store.data.world!.oauthApps.map((a) => a.name)).toEqual(['Renamed']);

        const browser = new Browser(second.url);
        const { challenge } = pkce();
        const target = authorizeUrl('', { clientId: c.client_id, redirectUri: 'https://p.example/cb', challenge, scope: 'project:read' });
        await signIn(browser, 'dev', target);
        const consent = await browser.get(target);
        const html = await consent.text();
        expect(consent.status, html).toBe(200);
        expect(html).toContain('Authorize Persisted');
        expect(html).not.toContain('Renamed');
      },
      // Restarted without --auto-approve, so the consent page can be seen.
      {},
    );
  });
});
