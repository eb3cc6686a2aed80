// The mock's sign-in: no passwords, the user picks a fixture user. GET/POST /auth/login and
// POST /auth/logout. `return_to` only ever points back into this server (no open redirect).
import type { Context } from 'koa';
import { HtmlError } from '../http/errors.js';
import { bodyParams, param, queryParams } from '../http/params.js';
import { csrfToken, session, signIn, validCsrf } from '../http/session.js';
import type { Mock } from '../mock.js';
import { loginPage } from '../ui/pages/login.js';
import { sendHtml } from '../ui/respond.js';

/** A path on this server, or '/' — never another origin (`//evil`, `/\evil`, `https://…`). */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  try {
    const url = new URL(value, 'http://mock.invalid');
    const path = `${url.pathname}${url.search}`;
    // Dot segments can normalise to a protocol-relative path (`/.//evil` → `//evil`).
    return url.origin === 'http://mock.invalid' && !path.startsWith('//') ? path : '/';
  } catch {
    return '/';
  }
}

/** The app the user is signing in for, when the return path is an authorization request. */
function clientNameFor(mock: Mock, returnTo: string): string | undefined {
  const url = new URL(returnTo, 'http://mock.invalid');
  if (url.pathname !== '/oauth/authorize') return undefined;
  const id = url.searchParams.get('client_id');
  return id ? mock.clients.find(id)?.client_name : undefined;
}

function renderLogin(ctx: Context, mock: Mock, returnTo: string, selected: string | undefined, status = 200, error?: string) {
  const s = session(ctx, mock);
  const clientName = clientNameFor(mock, returnTo);
  sendHtml(
    ctx,
    status,
    loginPage({
      users: mock.directory.users.map(({ handle, name, email }) => ({ handle, name, email })),
      csrfToken: csrfToken(mock, s),
      returnTo,
      ...(selected !== undefined ? { selected } : {}),
      ...(clientName !== undefined ? { clientName } : {}),
      ...(error !== undefined ? { error } : {}),
    }),
  );
}

export const loginGet = (mock: Mock) => (ctx: Context) => {
  const q = queryParams(ctx);
  const returnTo = safeReturnTo(q['return_to']);
  const hint = typeof q['login_hint'] === 'string' ? q['login_hint'] : undefined;
  const s = session(ctx, mock);
  const current = s.userId ? mock.directory.userById(s.userId) : undefined;
  // Already signed in and not asking to switch: go straight on.
  if (current && q['switch'] === undefined && returnTo !== '/') return ctx.redirect(returnTo);
  renderLogin(ctx, mock, returnTo, hint ?? current?.handle);
};

export const loginPost = (mock: Mock) => (ctx: Context) => {
  const body = bodyParams(ctx);
  const s = session(ctx, mock);
  if (!validCsrf(mock, s, body['_csrf']))
    throw new HtmlError(403, 'invalid_request', 'This form has expired or did not come from this page. Go back and try again.');
  const returnTo = safeReturnTo(body['return_to']);
  let handle: string | undefined;
  try {
    handle = param(body, 'handle');
  } catch {
    handle = undefined;
  }
  const user = handle ? mock.directory.userByHandle(handle) : undefined;
  if (!user) return renderLogin(ctx, mock, returnTo, undefined, 422, 'Choose one of the users below to sign in.');
  signIn(ctx, mock, user.id);
  ctx.redirect(returnTo);
};

export const logoutPost = (mock: Mock) => (ctx: Context) => {
  const body = bodyParams(ctx);
  const s = session(ctx, mock);
  if (!validCsrf(mock, s, body['_csrf']))
    throw new HtmlError(403, 'invalid_request', 'This form has expired or did not come from this page. Go back and try again.');
  signIn(ctx, mock, null);
  ctx.redirect('/');
};
