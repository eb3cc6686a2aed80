// The account dashboard (reference 10): GET /dashboard, the account overview at /:handle, and the
// OAuth application pages under /:handle/-/settings/apps. Browser pages with the session cookie and
// CSRF tokens of the sign-in pages; the app logic itself is the REST API's (src/api/oauth-apps.ts),
// so an app registered here is the same real OAuth client as one from POST /api/:handle/oauth-apps.
//
// Checks, in order: signed in (else to /auth/login and back), the account exists and the user is
// an admin of it (else a 404 page, as Glossia), then the CSRF token of a POST (else 403).
// A new client secret is never put in a URL: it crosses the POST → 303 → GET hop in a one-time,
// short-lived flash kept in memory and keyed by the session id.
import type { Context } from 'koa';
import {
  createOAuthApp,
  deleteOAuthApp,
  findApp,
  listOAuthApps,
  readFields,
  regenerateOAuthAppSecret,
  storedClient,
  updateOAuthApp,
  type AppFields,
} from '../api/oauth-apps.js';
import { allowed } from '../api/policy.js';
import type { Account } from '../domain/directory.js';
import type { FixtureUser } from '../fixtures/types.js';
import { JsonError, sendJson } from '../http/errors.js';
import { bodyParams, type Params } from '../http/params.js';
import { csrfToken, session, validCsrf, type Session } from '../http/session.js';
import type { Mock } from '../mock.js';
import type { OAuthAppRecord } from '../store/schema.js';
import {
  accountOverviewPage,
  accountPath,
  appPath,
  appsPath,
  dashboardNotFoundPage,
  formExpiredPage,
  type DashAccount,
  type DashChrome,
} from './pages/dashboard.js';
import type { LoginUser } from './pages/login.js';
import {
  appPage,
  appsListPage,
  confirmAppActionPage,
  newAppPage,
  type AppFlash,
  type AppFormErrors,
  type AppFormValues,
  type AppRow,
} from './pages/oauth-apps.js';
import { sendHtml } from './respond.js';

interface Viewer {
  s: Session;
  user: FixtureUser;
}

// ---- one-time flash messages ------------------------------------------------------------------

const FLASH_TTL_MS = 10 * 60_000;

interface StoredFlash {
  account: string;
  /** The app whose page shows it, or null for the list page. */
  appId: string | null;
  flash: AppFlash;
  expiresAt: number;
}

const flashes = new WeakMap<Mock, Map<string, StoredFlash>>();

function setFlash(mock: Mock, s: Session, account: string, appId: string | null, flash: AppFlash): void {
  let map = flashes.get(mock);
  if (!map) flashes.set(mock, (map = new Map()));
  const now = mock.clock.nowMs();
  for (const [id, f] of map) if (f.expiresAt <= now) map.delete(id);
  map.set(s.id, { account, appId, flash, expiresAt: now + FLASH_TTL_MS });
}

/** The session's flash for this page, removed as it is read (shown once). */
function takeFlash(mock: Mock, s: Session, account: string, appId: string | null): AppFlash | undefined {
  const map = flashes.get(mock);
  const f = map?.get(s.id);
  if (!map || !f) return undefined;
  if (f.expiresAt <= mock.clock.nowMs()) {
    map.delete(s.id);
    return undefined;
  }
  if (f.account !== account || f.appId !== appId) return undefined;
  map.delete(s.id);
  return f.flash;
}

// ---- who, where --------------------------------------------------------------------------------

function viewer(ctx: Context, mock: Mock): Viewer | null {
  const s = session(ctx, mock);
  const user = s.userId ? mock.directory.userById(s.userId) : undefined;
  return user ? { s, user } : null;
}

/** Sign in first, then come back here (a POST comes back to the page of the same path). */
function toLogin(ctx: Context): void {
  const back = ctx.method === 'GET' || ctx.method === 'HEAD' ? `${ctx.path}${ctx.search}` : ctx.path;
  ctx.redirect(`/auth/login?${new URLSearchParams({ return_to: back })}`);
}

const loginUser = ({ handle, name, email }: FixtureUser): LoginUser => ({ handle, name, email });

/** Only organization admins manage OAuth apps (reference 10; the API's WRITERS). */
const isAdmin = (mock: Mock, user: FixtureUser, account: Account): boolean =>
  allowed(mock.directory, { user, scope: '', clientId: null }, account, ['org_admin']);

function dashAccount(mock: Mock, user: FixtureUser, a: Account): DashAccount {
  const name = a.personal ? (mock.directory.userByHandle(a.handle)?.name ?? a.handle) : a.name;
  return { handle: a.handle, name, personal: a.personal, admin: mock.directory.roleOf(user.id, a) === 'admin' };
}

/** The user's accounts: their personal one first, then organizations by name. */
function accountsOf(mock: Mock, user: FixtureUser): DashAccount[] {
  return mock.directory
    .accounts()
    .filter((a) => mock.directory.roleOf(user.id, a) !== undefined)
    .map((a) => dashAccount(mock, user, a))
    .sort((x, y) => Number(y.handle === user.handle) - Number(x.handle === user.handle) || x.name.localeCompare(y.name));
}

function chrome(mock: Mock, v: Viewer, account: Account, current: DashChrome['current']): DashChrome {
  return {
    user: loginUser(v.user),
    accounts: accountsOf(mock, v.user),
    account: dashAccount(mock, v.user, account),
    labels: mock.profile.dashboardLabels,
    csrfToken: csrfToken(mock, v.s),
    current,
  };
}

function notFound(ctx: Context, mock: Mock, v: Viewer): void {
  sendHtml(ctx, 404, dashboardNotFoundPage(loginUser(v.user), csrfToken(mock, v.s)));
}

/** 303 See Other: after a POST, the browser GETs the target. */
function seeOther(ctx: Context, location: string): void {
  ctx.status = 303;
  ctx.redirect(location);
}

const routeParam = (ctx: Context, name: string): string => (ctx['params'] as Record<string, string>)[name] ?? '';

type AdminHandler = (ctx: Context, mock: Mock, v: Viewer, account: Account) => void | Promise<void>;

/** The checks every OAuth-app page shares (see the top of this file). */
const adminPage = (mock: Mock, handler: AdminHandler) => async (ctx: Context) => {
  const v = viewer(ctx, mock);
  if (!v) return toLogin(ctx);
  const account = mock.directory.account(routeParam(ctx, 'handle'));
  if (!account || !isAdmin(mock, v.user, account)) return notFound(ctx, mock, v);
  if (ctx.method === 'POST' && !validCsrf(mock, v.s, bodyParams(ctx)['_csrf'])) return sendHtml(ctx, 403, formExpiredPage(ctx.path));
  await handler(ctx, mock, v, account);
};

/** An admin page about one app: the app, or the 404 page for an unknown or malformed id. */
const appAction = (mock: Mock, handler: (ctx: Context, v: Viewer, account: Account, app: OAuthAppRecord) => void | Promise<void>) =>
  adminPage(mock, async (ctx, _mock, v, account) => {
    let app: OAuthAppRecord;
    try {
      app = findApp(mock, account.handle, routeParam(ctx, 'id'));
    } catch (err) {
      if (err instanceof JsonError) return notFound(ctx, mock, v);
      throw err;
    }
    await handler(ctx, v, account, app);
  });

// ---- forms -------------------------------------------------------------------------------------

const EMPTY: AppFormValues = { name: '', description: '', homepage_url: '', redirect_uris: '' };

function formValues(body: Params): AppFormValues {
  const text = (key: keyof AppFormValues) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  return { name: text('name'), description: text('description'), homepage_url: text('homepage_url'), redirect_uris: text('redirect_uris') };
}

/** The API's validation (same messages), plus the form's rule that a callback URL is required. */
function validate(values: AppFormValues, creating: boolean): { fields: AppFields | null; errors: AppFormErrors } {
  let fields: AppFields | null = null;
  let errors: AppFormErrors = {};
  try {
    fields = readFields({ ...values }, creating);
  } catch (err) {
    if (!(err instanceof JsonError) || err.status !== 422) throw err;
    errors = { ...((err.body?.['errors'] as AppFormErrors | undefined) ?? {}) };
  }
  if (values.redirect_uris.split(/[\s,]+/).every((u) => u === '')) (errors.redirect_uris ??= []).push("can't be blank");
  return Object.keys(errors).length > 0 ? { fields: null, errors } : { fields, errors };
}

const appRow = (a: OAuthAppRecord): AppRow => ({ id: a.id, name: a.name, client_id: a.client_id, inserted_at: a.inserted_at });

function storedValues(mock: Mock, app: OAuthAppRecord): AppFormValues {
  return {
    name: app.name,
    description: app.description ?? '',
    homepage_url: app.homepage_url ?? '',
    redirect_uris: (storedClient(mock, app.client_id)?.redirect_uris ?? []).join(', '),
  };
}

// ---- handlers ----------------------------------------------------------------------------------

/** GET /dashboard: the signed-in user's personal account (Glossia's post-login landing page). */
export const dashboardGet = (mock: Mock) => (ctx: Context) => {
  const v = viewer(ctx, mock);
  if (!v) return toLogin(ctx);
  const home = accountsOf(mock, v.user)[0];
  if (!home) return notFound(ctx, mock, v);
  ctx.redirect(accountPath(home.handle));
};

/** GET /:handle: an account's overview, for its members. Unknown handles stay the plain JSON 404. */
export const accountGet = (mock: Mock) => (ctx: Context) => {
  const account = mock.directory.account(routeParam(ctx, 'handle'));
  // What app.ts answers for every unknown path (a 405 would follow if this route passed it on).
  if (!account) return sendJson(ctx, 404, { errors: { detail: 'Not Found' } });
  const v = viewer(ctx, mock);
  if (!v) return toLogin(ctx);
  const role = mock.directory.roleOf(v.user.id, account);
  if (!role) return notFound(ctx, mock, v);
  const c = chrome(mock, v, account, 'overview');
  const projects = mock.directory
    .world()
    .projects.filter((p) => p.account === account.handle)
    .map(({ handle, name }) => ({ handle, name }));
  const appCount = c.account.admin ? listOAuthApps(mock, account).length : 0;
  sendHtml(ctx, 200, accountOverviewPage(c, { projects, appCount, role: role.charAt(0).toUpperCase() + role.slice(1) }));
};

/** GET /:handle/-/settings/apps */
export const appsGet = (mock: Mock) =>
  adminPage(mock, (ctx, _m, v, account) => {
    const apps = listOAuthApps(mock, account).map(appRow);
    const flash = takeFlash(mock, v.s, account.handle, null);
    sendHtml(ctx, 200, appsListPage(chrome(mock, v, account, 'apps'), { apps, ...(flash ? { flash } : {}) }));
  });

/** GET /:handle/-/settings/apps/new */
export const appNewGet = (mock: Mock) =>
  adminPage(mock, (ctx, _m, v, account) => {
    sendHtml(ctx, 200, newAppPage(chrome(mock, v, account, 'apps'), { values: EMPTY, errors: {} }));
  });

/** POST /:handle/-/settings/apps: register, then show the credentials once on the list page. */
export const appsPost = (mock: Mock) =>
  adminPage(mock, async (ctx, _m, v, account) => {
    const values = formValues(bodyParams(ctx));
    const { fields, errors } = validate(values, true);
    if (!fields) return sendHtml(ctx, 422, newAppPage(chrome(mock, v, account, 'apps'), { values, errors }));
    const { client } = await createOAuthApp(mock, account, v.user.id, fields);
    setFlash(mock, v.s, account.handle, null, { kind: 'created', clientId: client.client_id, secret: client.client_secret ?? '' });
    seeOther(ctx, appsPath(account.handle));
  });

/** GET /:handle/-/settings/apps/:id */
export const appGet = (mock: Mock) =>
  appAction(mock, (ctx, v, account, app) => {
    const flash = takeFlash(mock, v.s, account.handle, app.id);
    sendHtml(
      ctx,
      200,
      appPage(chrome(mock, v, account, 'apps'), { app: appRow(app), values: storedValues(mock, app), errors: {}, ...(flash ? { flash } : {}) }),
    );
  });

/** POST /:handle/-/settings/apps/:id: update the details. */
export const appPost = (mock: Mock) =>
  appAction(mock, async (ctx, v, account, app) => {
    const values = formValues(bodyParams(ctx));
    const { fields, errors } = validate(values, false);
    if (!fields) return sendHtml(ctx, 422, appPage(chrome(mock, v, account, 'apps'), { app: appRow(app), values, errors }));
    await updateOAuthApp(mock, app, fields);
    setFlash(mock, v.s, account.handle, app.id, { kind: 'updated' });
    seeOther(ctx, appPath(account.handle, app.id));
  });

/** GET /:handle/-/settings/apps/:id/regenerate-secret: the confirmation step. */
export const appRegenerateGet = (mock: Mock) =>
  appAction(mock, (ctx, v, account, app) => {
    sendHtml(ctx, 200, confirmAppActionPage(chrome(mock, v, account, 'apps'), { app: appRow(app), action: 'regenerate' }));
  });

/** POST /:handle/-/settings/apps/:id/regenerate-secret: a new secret, shown once on the app's page. */
export const appRegeneratePost = (mock: Mock) =>
  appAction(mock, async (ctx, v, account, app) => {
    const secret = await regenerateOAuthAppSecret(mock, app);
    setFlash(
      mock,
      v.s,
      account.handle,
      app.id,
      secret === undefined ? { kind: 'failed', message: 'Could not regenerate secret.' } : { kind: 'regenerated', secret },
    );
    seeOther(ctx, appPath(account.handle, app.id));
  });

/** GET /:handle/-/settings/apps/:id/delete: the confirmation step. */
export const appDeleteGet = (mock: Mock) =>
  appAction(mock, (ctx, v, account, app) => {
    sendHtml(ctx, 200, confirmAppActionPage(chrome(mock, v, account, 'apps'), { app: appRow(app), action: 'delete' }));
  });

/** POST /:handle/-/settings/apps/:id/delete */
export const appDeletePost = (mock: Mock) =>
  appAction(mock, async (ctx, v, account, app) => {
    await deleteOAuthApp(mock, app);
    setFlash(mock, v.s, account.handle, null, { kind: 'deleted' });
    seeOther(ctx, appsPath(account.handle));
  });
