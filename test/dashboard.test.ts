// The account dashboard's OAuth app pages over real HTTP (reference 10; the guide's "Option A"):
// sign in, register an app through the form, see its secret exactly once, use it to log a user in,
// edit it, regenerate its secret, delete it — and who may do any of that.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfToken, signIn } from './helpers/browser-session.js';
import { autoApprovedCode, codeForm, postForm, startTestMock, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';
import { accountOverviewPage, dashboardNotFoundPage, formExpiredPage, type DashChrome } from '../src/ui/pages/dashboard.js';
import { appPage, appsListPage, confirmAppActionPage, newAppPage } from '../src/ui/pages/oauth-apps.js';
import { documented, production } from '../src/profiles.js';

const CALLBACK = 'http://localhost:4000/auth/callback';
const SECOND_CALLBACK = 'http://127.0.0.1:4000/cb';
const SECRET = /^[A-Za-z0-9]{86}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVIL = '<script>alert(1)</script>';

const mocks: TestMock[] = [];
let doc: TestMock;
let prod: TestMock;

beforeAll(async () => {
  [doc, prod] = await Promise.all([startTestMock({ autoApprove: 'dev' }), startTestMock({ autoApprove: 'dev', profile: 'production' })]);
  mocks.push(doc, prod);
});

afterAll(async () => {
  for (const m of mocks) expect(m.logs.filter((l) => /internal error|koa error/.test(l))).toEqual([]);
  await Promise.all(mocks.map((m) => m.close()));
});

async function as(m: TestMock, handle: string): Promise<Browser> {
  const b = new Browser(m.url);
  await signIn(b, handle);
  return b;
}

async function get(b: Browser, path: string, status = 200): Promise<string> {
  const res = await b.get(path);
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 300)}`).toBe(status);
  if (status === 200 || status === 404) expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return text;
}

/** The value of the input with this id (readonly credentials and form fields). */
function inputValue(html: string, id: string): string | undefined {
  return new RegExp(`<input [^>]*id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1];
}

const appsPath = (handle: string) => `/${handle}/-/settings/apps`;

interface FormFields {
  name?: string;
  description?: string;
  homepage_url?: string;
  redirect_uris?: string;
}

/** Opens the form, as a browser would, and posts it with the page's CSRF token. */
async function submitNew(b: Browser, handle: string, fields: FormFields): Promise<Response> {
  const form = await get(b, `${appsPath(handle)}/new`);
  return b.post(appsPath(handle), [['_csrf', csrfToken(form)], ...(Object.entries(fields) as [string, string][])]);
}

/** Registers an app through the form; returns the credentials the list page shows once. */
async function register(b: Browser, handle: string, fields: FormFields) {
  const res = await submitNew(b, handle, fields);
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get('location')).toBe(appsPath(handle));
  const list = await get(b, appsPath(handle));
  const clientId = inputValue(list, 'flash-client-id')!;
  const secret = inputValue(list, 'flash-client-secret')!;
  expect(clientId).toMatch(UUID_V4);
  expect(secret).toMatch(SECRET);
  const id = new RegExp(`href="${appsPath(handle)}/([0-9a-f-]{36})">${fields.name}<`).exec(list)![1]!;
  return { list, clientId, secret, id };
}

/** Authorize (auto-approved as dev) with the app's client and exchange the code with `secret`. */
async function codeExchange(m: TestMock, clientId: string, secret: string | undefined, redirectUri = CALLBACK) {
  const { code, verifier } = await autoApprovedCode(m.url, { clientId, redirectUri, scope: 'project:read' });
  return postForm(`${m.url}/oauth/token`, codeForm(code, verifier, { redirect_uri: redirectUri, client_id: clientId, client_secret: secret }));
}

async function apiApps(m: TestMock, handle: string) {
  const { access_token } = await tokensFor(m, 'api_credentials:read api_credentials:write');
  const res = await fetch(`${m.url}/api/${handle}/oauth-apps`, { headers: { Authorization: `Bearer ${access_token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { oauth_applications: { id: string; name: string; description: string | null }[] }).oauth_applications;
}

describe('signed out', () => {
  it('/dashboard and the app pages send the browser to sign in, then back', async () => {
    const b = new Browser(doc.url);
    for (const path of ['/dashboard', '/dev', appsPath('dev'), `${appsPath('dev')}/new`, `${appsPath('acme')}/019bb17b-dd78-7779-bf27-7a3ce5b99319`]) {
      const res = await b.get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toBe(`/auth/login?${new URLSearchParams({ return_to: path })}`);
    }
    const back = await signIn(b, 'dev', `${appsPath('dev')}/new`);
    expect(back.headers.get('location')).toBe(`${appsPath('dev')}/new`);
    await get(b, `${appsPath('dev')}/new`);
  });

  it('a POST signs in first and creates nothing', async () => {
    const before = doc.mock.directory.world().oauthApps.length;
    const res = await new Browser(doc.url).post(appsPath('dev'), [['name', 'x'], ['redirect_uris', CALLBACK]]);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/auth/login?${new URLSearchParams({ return_to: appsPath('dev') })}`);
    expect(doc.mock.directory.world().oauthApps.length).toBe(before);
  });

  it('unknown one-segment paths keep the plain JSON 404, signed in or not', async () => {
    for (const b of [new Browser(doc.url), await as(doc, 'dev')]) {
      const res = await b.get('/nope');
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('{"errors":{"detail":"Not Found"}}');
    }
  });
});

describe('navigation', () => {
  it('/dashboard → the personal account; its sidebar has the API group with "OAuth apps"', async () => {
    const b = await as(doc, 'dev');
    const res = await b.get('/dashboard');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dev');
    const html = await get(b, '/dev');
    expect(html).toContain('<nav class="side" aria-label="Dashboard">');
    expect(html).toMatch(/<p class="side-label" id="side-group">API<\/p>\s*<ul aria-labelledby="side-group">\s*<li><a href="\/dev\/-\/settings\/apps">OAuth apps<\/a><\/li>/);
    // The account switcher lists every account dev belongs to.
    for (const name of ['Dev User', 'Acme Industries', 'Northwind Traders']) expect(html).toContain(name);
    expect(html).toContain('<nav class="top" aria-label="Account">');
    expect(html.match(/<h1\b/g)).toHaveLength(1);
  });

  it('the home page links to the dashboard', async () => {
    const signedOut = await get(new Browser(doc.url), '/');
    expect(signedOut).toContain('<a href="/dashboard">account dashboard</a>');
    const signedIn = await get(await as(doc, 'dev'), '/');
    expect(signedIn).toContain('<nav class="top" aria-label="Account"><a href="/dashboard">Dashboard</a></nav>');
  });

  it('the empty list page: title, subtitle, the New application button, the empty state', async () => {
    const b = await as(doc, 'alex'); // alex's personal account has no apps
    const html = await get(b, appsPath('alex'));
    expect(html).toContain('<h1>OAuth apps</h1>');
    expect(html).toContain('OAuth applications allow external services to access Glossia on behalf of users.');
    expect(html).toContain('<a class="btn" href="/alex/-/settings/apps/new">New application</a>');
    expect(html).toContain('No OAuth applications yet');
    expect(html).toContain('<a href="/alex/-/settings/apps" aria-current="page">OAuth apps</a>');
  });

  it('the form: labelled fields, callback required, CSRF token, "Create application"', async () => {
    const html = await get(await as(doc, 'dev'), `${appsPath('dev')}/new`);
    expect(html).toContain('<h1>New application</h1>');
    expect(html).toContain('<form class="card" method="post" action="/dev/-/settings/apps">');
    expect(html).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(html).toMatch(/<label for="app-name">Application name<\/label>\s*<input type="text" id="app-name" name="name" required/);
    expect(html).toMatch(/<label for="app-callback">Callback URL<\/label>\s*<input type="text" id="app-callback" name="redirect_uris" required/);
    expect(html).toContain('<label for="app-description">Description <span class="muted">(optional)</span></label>');
    expect(html).toContain('<label for="app-homepage">Homepage URL <span class="muted">(optional)</span></label>');
    expect(html).toContain('<button type="submit">Create application</button>');
  });
});

describe('registering an app through the form', () => {
  it('shows Client ID and Client secret exactly once; the app logs users in with them at once', async () => {
    const b = await as(doc, 'dev');
    const res = await submitNew(b, 'dev', {
      name: 'Field notes',
      description: 'Our notes app',
      homepage_url: 'https://notes.example',
      redirect_uris: `${CALLBACK}, ${SECOND_CALLBACK}`,
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toBe('/dev/-/settings/apps');

    const first = await b.get(location);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const list = await first.text();
    expect(list).toMatch(/<section class="notice ok" role="status" aria-labelledby="flash-title">\s*<h2 id="flash-title">Application registered<\/h2>/);
    expect(list).toContain('Copy your client secret now. You will not be able to see it again.');
    const clientId = inputValue(list, 'flash-client-id')!;
    const secret = inputValue(list, 'flash-client-secret')!;
    expect(clientId).toMatch(UUID_V4);
    expect(secret).toMatch(SECRET);
    expect(list).toContain('<label for="flash-client-secret">Client secret</label>');
    // The table row: name (linking to the app's page), client ID, creation date.
    expect(list).toMatch(new RegExp(`<th scope="row"><a href="/dev/-/settings/apps/[0-9a-f-]{36}">Field notes</a></th><td><code>${clientId}</code></td><td><time datetime="[^"]+">`));

    // Shown once: a reload has the app but neither the alert nor the secret.
    const again = await get(b, location);
    expect(again).not.toContain('Application registered');
    expect(again).not.toContain(secret);
    expect(again).toContain(`<code>${clientId}</code>`);

    // A real OAuth client: both callbacks are registered, the secret is checked (documented profile).
    const tokens = await codeExchange(doc, clientId, secret);
    expect(tokens.status, await tokens.clone().text()).toBe(200);
    expect(((await tokens.json()) as { access_token: string }).access_token).toBeTruthy();
    expect((await codeExchange(doc, clientId, secret, SECOND_CALLBACK)).status).toBe(200);
    expect((await codeExchange(doc, clientId, 'wrong-secret')).status).toBe(401);

    // The same app the REST API manages.
    const api = await apiApps(doc, 'dev');
    expect(api).toContainEqual(expect.objectContaining({ name: 'Field notes', description: 'Our notes app' }));
  });

  it('an app registered via the API shows up in the list', async () => {
    const { access_token } = await tokensFor(doc, 'api_credentials:write');
    const res = await fetch(`${doc.url}/api/acme/oauth-apps`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'From the API', redirect_uris: [CALLBACK] }),
    });
    expect(res.status).toBe(201);
    const { client_id } = (await res.json()) as { client_id: string };
    const html = await get(await as(doc, 'dev'), appsPath('acme'));
    expect(html).toContain('>From the API</a>');
    expect(html).toContain(`<code>${client_id}</code>`);
  });

  it('the secret crosses the redirect in memory only: never in a URL, and not for another session', async () => {
    const b = await as(doc, 'dev');
    const res = await submitNew(b, 'dev', { name: 'Private', redirect_uris: CALLBACK });
    expect(res.headers.get('location')).toBe('/dev/-/settings/apps');
    // Another browser of the same user does not see it.
    const other = await get(await as(doc, 'dev'), appsPath('dev'));
    expect(other).not.toContain('Application registered');
    expect(inputValue(await get(b, appsPath('dev')), 'flash-client-secret')).toMatch(SECRET);
  });
});

describe("an app's page", () => {
  it('shows the read-only Client ID and the stored values, never the secret', async () => {
    const b = await as(doc, 'dev');
    const { id, clientId, secret } = await register(b, 'dev', {
      name: 'Viewer',
      description: 'Shows things',
      homepage_url: 'https://viewer.example',
      redirect_uris: `${CALLBACK} ${SECOND_CALLBACK}`,
    });
    const html = await get(b, `${appsPath('dev')}/${id}`);
    expect(html).toContain('<h1>Viewer</h1>');
    expect(html).toMatch(new RegExp(`<input type="text" id="app-client-id" class="mono" value="${clientId}" readonly`));
    expect(inputValue(html, 'app-name')).toBe('Viewer');
    expect(html).toContain('>Shows things</textarea>');
    expect(inputValue(html, 'app-homepage')).toBe('https://viewer.example');
    expect(inputValue(html, 'app-callback')).toBe(`${CALLBACK}, ${SECOND_CALLBACK}`);
    expect(html).not.toContain(secret);
    expect(html).toContain(`<a class="btn secondary" href="/dev/-/settings/apps/${id}/regenerate-secret">Regenerate client secret</a>`);
    expect(html).toContain(`<a class="btn danger" href="/dev/-/settings/apps/${id}/delete">Delete application</a>`);
  });

  it('edits the details: "Application updated."', async () => {
    const b = await as(doc, 'dev');
    const { id } = await register(b, 'dev', { name: 'Before', redirect_uris: CALLBACK });
    const page = await get(b, `${appsPath('dev')}/${id}`);
    const res = await b.post(`${appsPath('dev')}/${id}`, [
      ['_csrf', csrfToken(page)],
      ['name', 'After'],
      ['description', 'Now described'],
      ['homepage_url', ''],
      ['redirect_uris', SECOND_CALLBACK],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${appsPath('dev')}/${id}`);
    const html = await get(b, `${appsPath('dev')}/${id}`);
    expect(html).toContain('<p>Application updated.</p>');
    expect(html).toContain('<h1>After</h1>');
    expect(inputValue(html, 'app-callback')).toBe(SECOND_CALLBACK);
    expect(await get(b, `${appsPath('dev')}/${id}`)).not.toContain('Application updated.');
    expect(await apiApps(doc, 'dev')).toContainEqual(expect.objectContaining({ id, name: 'After', description: 'Now described' }));
  });

  it('regenerates the secret after a confirmation step; the new one is shown once, the old one stops working', async () => {
    const b = await as(doc, 'dev');
    const { id, clientId, secret } = await register(b, 'dev', { name: 'Rotating', redirect_uris: CALLBACK });
    const confirm = await get(b, `${appsPath('dev')}/${id}/regenerate-secret`);
    expect(confirm).toContain('<h1>Regenerate client secret?</h1>');
    expect(confirm).toContain('Are you sure? Existing integrations using the current secret will stop working.');
    expect(confirm).toContain(`<form method="post" action="/dev/-/settings/apps/${id}/regenerate-secret">`);
    // Nothing happened yet.
    expect((await codeExchange(doc, clientId, secret)).status).toBe(200);

    const res = await b.post(`${appsPath('dev')}/${id}/regenerate-secret`, [['_csrf', csrfToken(confirm)]]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${appsPath('dev')}/${id}`);
    const html = await get(b, `${appsPath('dev')}/${id}`);
    expect(html).toContain('<h2 id="flash-title">Client secret regenerated</h2>');
    const fresh = inputValue(html, 'flash-client-secret')!;
    expect(fresh).toMatch(SECRET);
    expect(fresh).not.toBe(secret);
    expect(await get(b, `${appsPath('dev')}/${id}`)).not.toContain(fresh);

    expect((await codeExchange(doc, clientId, secret)).status).toBe(401);
    expect((await codeExchange(doc, clientId, fresh)).status).toBe(200);
  });

  it('deletes after a confirmation step: "Application deleted.", the client is gone', async () => {
    const b = await as(doc, 'dev');
    const { id, clientId, secret } = await register(b, 'dev', { name: 'Doomed', redirect_uris: CALLBACK });
    const confirm = await get(b, `${appsPath('dev')}/${id}/delete`);
    expect(confirm).toContain('<h1>Delete Doomed?</h1>');
    expect(confirm).toContain('Are you sure you want to delete this application? This action cannot be undone.');
    expect(confirm).toContain('<button type="submit" class="danger">Delete application</button>');

    const res = await b.post(`${appsPath('dev')}/${id}/delete`, [['_csrf', csrfToken(confirm)]]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(appsPath('dev'));
    const list = await get(b, appsPath('dev'));
    expect(list).toContain('<p>Application deleted.</p>');
    expect(list).not.toContain('>Doomed</a>');
    await get(b, `${appsPath('dev')}/${id}`, 404);
    expect((await apiApps(doc, 'dev')).map((a) => a.id)).not.toContain(id);
    await expect(codeExchange(doc, clientId, secret)).rejects.toThrow(/authorize answered 40\d/);
  });

  it('an unknown or malformed id is the 404 page', async () => {
    const b = await as(doc, 'dev');
    for (const id of ['019bb17b-dd78-7779-bf27-7a3ce5b99319', 'not-a-uuid']) {
      const html = await get(b, `${appsPath('dev')}/${id}`, 404);
      expect(html).toContain('<h1>Page not found</h1>');
      await get(b, `${appsPath('dev')}/${id}/delete`, 404);
    }
  });
});

describe('who may manage apps: organization admins only (others get a 404 page)', () => {
  let acmeApp: { id: string; clientId: string };

  beforeAll(async () => {
    const { id, clientId } = await register(await as(doc, 'dev'), 'acme', { name: 'Acme portal', redirect_uris: CALLBACK });
    acmeApp = { id, clientId };
  });

  it('maria (linguist on acme): 404 for every acme app page and action; nothing changes', async () => {
    const b = await as(doc, 'maria');
    for (const path of [appsPath('acme'), `${appsPath('acme')}/new`, `${appsPath('acme')}/${acmeApp.id}`, `${appsPath('acme')}/${acmeApp.id}/delete`]) {
      const html = await get(b, path, 404);
      expect(html).toContain('<h1>Page not found</h1>');
      expect(html).not.toContain(acmeApp.clientId);
    }
    const token = csrfToken(await get(b, appsPath('maria')));
    const before = doc.mock.directory.world().oauthApps.length;
    const posts: [string, [string, string][]][] = [
      [appsPath('acme'), [['name', 'Sneaky'], ['redirect_uris', CALLBACK]]],
      [`${appsPath('acme')}/${acmeApp.id}`, [['name', 'Stolen'], ['redirect_uris', CALLBACK]]],
      [`${appsPath('acme')}/${acmeApp.id}/regenerate-secret`, []],
      [`${appsPath('acme')}/${acmeApp.id}/delete`, []],
    ];
    for (const [path, fields] of posts) {
      const res = await b.post(path, [['_csrf', token], ...fields]);
      expect(res.status, path).toBe(404);
    }
    expect(doc.mock.directory.world().oauthApps.length).toBe(before);
    expect(doc.mock.directory.world().oauthApps.find((a) => a.id === acmeApp.id)?.name).toBe('Acme portal');
  });

  it("maria sees acme's overview without the OAuth apps item, and manages her own account's apps", async () => {
    const b = await as(doc, 'maria');
    const acme = await get(b, '/acme');
    expect(acme).toContain('<h1>Acme Industries</h1>');
    expect(acme).not.toContain('/acme/-/settings/apps');
    await get(b, appsPath('maria'));
    await get(b, '/northwind', 404); // not a member
    await get(b, '/dev', 404); // someone else's personal account
  });

  it('members and super admins are not admins; the org admin is', async () => {
    await get(await as(doc, 'alex'), appsPath('acme'), 404); // member
    await get(await as(doc, 'dev'), appsPath('northwind'), 404); // member (and super admin)
    await get(await as(doc, 'alex'), appsPath('northwind')); // admin
    await get(await as(doc, 'dev'), appsPath('nobody'), 404); // no such account
  });
});

describe('CSRF', () => {
  it('a form without a valid token → 403, nothing changes', async () => {
    const b = await as(doc, 'dev');
    const { id, clientId, secret } = await register(b, 'dev', { name: 'Guarded', redirect_uris: CALLBACK });
    const before = doc.mock.directory.world().oauthApps.length;
    const otherToken = csrfToken(await get(await as(doc, 'dev'), appsPath('dev')));
    for (const token of [undefined, '', 'forged', otherToken]) {
      const csrf: [string, string][] = token === undefined ? [] : [['_csrf', token]];
      const attempts: [string, [string, string][]][] = [
        [appsPath('dev'), [['name', 'Forged'], ['redirect_uris', CALLBACK]]],
        [`${appsPath('dev')}/${id}`, [['name', 'Forged'], ['redirect_uris', CALLBACK]]],
        [`${appsPath('dev')}/${id}/regenerate-secret`, []],
        [`${appsPath('dev')}/${id}/delete`, []],
      ];
      for (const [path, fields] of attempts) {
        const res = await b.post(path, [...csrf, ...fields]);
        const html = await res.text();
        expect(res.status, `${path} ${token}`).toBe(403);
        expect(html).toContain('<h1>This form has expired</h1>');
      }
    }
    expect(doc.mock.directory.world().oauthApps.length).toBe(before);
    expect(doc.mock.directory.world().oauthApps.find((a) => a.id === id)?.name).toBe('Guarded');
    expect((await codeExchange(doc, clientId, secret)).status).toBe(200);
  });
});

describe('validation', () => {
  it('re-renders the form (422) with the messages next to the fields and the entered values', async () => {
    const b = await as(doc, 'dev');
    const before = doc.mock.directory.world().oauthApps.length;
    const res = await submitNew(b, 'dev', { name: '  ', description: EVIL, homepage_url: 'notes.example', redirect_uris: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<h1>New application</h1>');
    expect(html).toContain('Could not create application.');
    expect(html).toMatch(/<input type="text" id="app-name" name="name" required placeholder="Internal dashboard" aria-describedby="app-name-error" aria-invalid="true" value="  "/);
    expect(html).toContain('<p class="error" id="app-name-error" role="alert">Application name can&#39;t be blank.</p>');
    expect(html).toContain('<p class="error" id="app-homepage-error" role="alert">Homepage URL must be a valid URL starting with http:// or https://.</p>');
    expect(html).toContain('<p class="error" id="app-callback-error" role="alert">Callback URL can&#39;t be blank.</p>');
    expect(html).toContain('aria-describedby="app-callback-hint app-callback-error"');
    expect(inputValue(html, 'app-homepage')).toBe('notes.example');
    expect(html).toContain('>&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
    expect(html).not.toContain(EVIL);
    expect(html).not.toContain('id="app-description-error"');
    expect(doc.mock.directory.world().oauthApps.length).toBe(before);
  });

  it('checks each callback URL as registration does', async () => {
    const b = await as(doc, 'dev');
    const res = await submitNew(b, 'dev', { name: 'Bad callback', redirect_uris: `${CALLBACK}, example.com/cb` });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<p class="error" id="app-callback-error" role="alert">Callback URL “example.com/cb” is invalid: use a full URL such as https://example.com/auth/callback.</p>');
    expect(inputValue(html, 'app-callback')).toBe(`${CALLBACK}, example.com/cb`);
    expect(html).not.toContain('id="app-name-error"');
  });

  it("the app's page validates edits the same way and keeps the app as it was", async () => {
    const b = await as(doc, 'dev');
    const { id } = await register(b, 'dev', { name: 'Stable', redirect_uris: CALLBACK });
    const page = await get(b, `${appsPath('dev')}/${id}`);
    const res = await b.post(`${appsPath('dev')}/${id}`, [
      ['_csrf', csrfToken(page)],
      ['name', ''],
      ['redirect_uris', ' , '],
    ]);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Could not update application.');
    expect(html).toContain('Application name can&#39;t be blank.');
    expect(html).toContain('Callback URL can&#39;t be blank.');
    expect(html).toContain('<h1>Stable</h1>');
    expect(doc.mock.directory.world().oauthApps.find((a) => a.id === id)?.name).toBe('Stable');
  });
});

describe('production profile: the server dashboard’s words', () => {
  it('"Settings" → "OAuth apps" → "Register application" → "Authorization callback URL" → "Save"', async () => {
    const b = await as(prod, 'dev');
    expect(await get(b, '/dev')).toMatch(/<p class="side-label" id="side-group">Settings<\/p>/);
    const list = await get(b, appsPath('dev'));
    expect(list).toContain('<h1>OAuth applications</h1>');
    expect(list).toContain('<a class="btn" href="/dev/-/settings/apps/new">Register application</a>');
    const form = await get(b, `${appsPath('dev')}/new`);
    expect(form).toContain('<h1>Register a new OAuth application</h1>');
    expect(form).toContain('Allow users to sign in with Glossia or let an external service access the account.');
    expect(form).toContain('<label for="app-callback">Authorization callback URL</label>');
    expect(form).toContain('<button type="submit">Save</button>');

    const { clientId, list: after } = await register(b, 'dev', { name: 'Prod app', redirect_uris: CALLBACK });
    expect(after).toContain('Application registered');
    // The server never checks the secret at the code exchange; the app works all the same.
    expect((await codeExchange(prod, clientId, undefined)).status).toBe(200);
  });
});

describe('rendered pages (pure)', () => {
  const chrome = (labels = documented.dashboardLabels, admin = true): DashChrome => ({
    user: { handle: 'ada', name: EVIL, email: 'ada@example.com' },
    accounts: [
      { handle: 'ada', name: EVIL, personal: true, admin: true },
      { handle: 'org', name: 'Org', personal: false, admin },
    ],
    account: { handle: 'org', name: 'Org', personal: false, admin },
    labels,
    csrfToken: 'csrf-"1"',
    current: 'apps',
  });
  const app = { id: '019bb17b-dd78-7779-bf27-7a3ce5b99319', name: EVIL, client_id: 'cid', inserted_at: '2026-01-20T11:25:36.118402Z' };
  const values = { name: EVIL, description: EVIL, homepage_url: '', redirect_uris: CALLBACK };

  const pages: Record<string, string> = {
    overview: accountOverviewPage({ ...chrome(), current: 'overview' }, { projects: [{ handle: 'p', name: EVIL }], appCount: 2, role: 'Admin' }),
    overviewMember: accountOverviewPage({ ...chrome(documented.dashboardLabels, false), current: 'overview' }, { projects: [], appCount: 0, role: 'Member' }),
    list: appsListPage(chrome(), { apps: [app], flash: { kind: 'created', clientId: 'cid', secret: 's3cret' } }),
    listEmpty: appsListPage(chrome(production.dashboardLabels), { apps: [], flash: { kind: 'deleted' } }),
    form: newAppPage(chrome(), { values, errors: { name: ["can't be blank"], redirect_uris: ['`x` is invalid'] } }),
    app: appPage(chrome(), { app, values, errors: {}, flash: { kind: 'regenerated', secret: 's3cret' } }),
    appUpdated: appPage(chrome(production.dashboardLabels), { app, values, errors: { homepage_url: ['must be'] }, flash: { kind: 'updated' } }),
    confirmDelete: confirmAppActionPage(chrome(), { app, action: 'delete' }),
    confirmRegenerate: confirmAppActionPage(chrome(), { app, action: 'regenerate' }),
    notFound: dashboardNotFoundPage({ handle: 'ada', name: EVIL, email: 'e' }, 't'),
    expired: formExpiredPage('/org/-/settings/apps'),
  };

  for (const [name, html] of Object.entries(pages)) {
    it(`${name}: escaped, one h1, labelled inputs, unique ids, no inline style/script, buttons in forms`, () => {
      expect(html).not.toContain('<script>');
      expect(html.match(/<main\b/g)).toHaveLength(1);
      expect(html.match(/<h1\b/g)).toHaveLength(1);
      expect(html).not.toMatch(/\sstyle=|<style\b|\son[a-z]+=/i);
      const labelFors = new Set([...html.matchAll(/<label\b[^>]*\bfor="([^"]+)"/g)].map((m) => m[1]));
      for (const m of html.matchAll(/<(input|textarea)\b([^>]*)>/g)) {
        if (/type="hidden"/.test(m[2]!)) continue;
        const id = /\bid="([^"]+)"/.exec(m[2]!)?.[1];
        expect(id && labelFors.has(id), m[0]).toBe(true);
      }
      const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(ids.length);
      for (const form of html.match(/<form\b[\s\S]*?<\/form>/g) ?? []) expect(form).toMatch(/<button\b/);
      // Every aria-describedby / aria-labelledby points at an element of the page.
      for (const m of html.matchAll(/aria-(?:describedby|labelledby)="([^"]+)"/g))
        for (const ref of m[1]!.split(' ')) expect(ids, ref).toContain(ref);
    });
  }

  it('nav landmarks are labelled; the sidebar marks the current page', () => {
    expect(pages['list']).toContain('<nav class="side" aria-label="Dashboard">');
    expect(pages['list']).toContain('<a href="/org/-/settings/apps" aria-current="page">OAuth apps</a>');
    expect(pages['overviewMember']).not.toContain('OAuth apps');
    expect(pages['listEmpty']).toContain('id="side-group">Settings</p>');
  });
});
