// GET/POST /oauth/authorize: validate, make sure someone is signed in, ask for consent, answer
// the client's redirect URI with a code (or access_denied).
import type { Context } from 'koa';
import { appendQuery, HtmlError } from '../http/errors.js';
import { bodyParams, queryParams } from '../http/params.js';
import { enforce } from '../limits/enforce.js';
import { csrfToken, session, validCsrf } from '../http/session.js';
import type { Mock } from '../mock.js';
import type { FixtureUser } from '../fixtures/types.js';
import { consentPage } from '../ui/pages/consent.js';
import { sendHtml } from '../ui/respond.js';
import { authorizeError, readAuthorizeRequest, type AuthorizeRequest } from './authorize-request.js';
import { borutaMergeQuery } from './redirect-query.js';
import { SCOPE_DESCRIPTIONS, parseScope } from './scopes.js';

/** The implicit flow (boruta, for clients holding the implicit grant): a token in the fragment. */
async function issueImplicitToken(ctx: Context, mock: Mock, req: AuthorizeRequest, user: FixtureUser): Promise<void> {
  const grantId = mock.tokens.createGrant(req.client.client_id, user.id, req.scope, mock.clock.now());
  const { access_token, expires_in } = await mock.tokens.issue(grantId, req.client.client_id, user.id, req.scope);
  // boruta's URI.encode_query of a map: keys in alphabetical order, state only when sent.
  const fragment = new URLSearchParams({ access_token, expires_in: String(expires_in) });
  if (req.state !== undefined) fragment.set('state', req.state);
  fragment.set('token_type', 'bearer');
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(`${req.redirectUri}#${fragment}`);
}

function issueCode(ctx: Context, mock: Mock, req: AuthorizeRequest, user: FixtureUser): void | Promise<void> {
  if (req.responseType === 'token') return issueImplicitToken(ctx, mock, req, user);
  const { code, expiresIn } = mock.tokens.createCode({
    clientId: req.client.client_id,
    userId: user.id,
    redirectUri: req.redirectUri,
    scope: req.scope,
    challenge: req.challenge,
    method: req.method,
    nonce: req.nonce,
  });
  ctx.set('Cache-Control', 'no-store');
  const withQuery = mock.profile.redirectQuery === 'boruta' ? borutaMergeQuery : appendQuery;
  ctx.redirect(
    withQuery(req.redirectUri, {
      code,
      expires_in: mock.profile.codeRedirectExpiresIn ? expiresIn - 1 : undefined,
      state: req.state,
    }),
  );
}

/** Headless approval (--auto-approve): `login_hint` picks the user for this one request. */
function autoApprovedUser(mock: Mock, req: AuthorizeRequest): FixtureUser {
  const handle = req.loginHint ?? mock.config.autoApprove!;
  const user = mock.directory.userByHandle(handle);
  if (!user)
    throw authorizeError(mock, req, 400, 'invalid_request', `login_hint "${handle}" is not a fixture user of this mock.`);
  return user;
}

function loginRedirect(ctx: Context, req: AuthorizeRequest): void {
  const target = new URLSearchParams({ return_to: `${ctx.path}?${new URLSearchParams(req.params)}` });
  if (req.loginHint) target.set('login_hint', req.loginHint);
  ctx.redirect(`/auth/login?${target}`);
}

function formAction(redirectUri: string): string {
  // Chromium applies form-action to the redirect that follows the consent POST.
  const url = new URL(redirectUri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}

// Fields of the consent form itself; a request parameter of the same name must not shadow them.
const FORM_FIELDS = new Set(['_csrf', 'decision']);

function showConsent(ctx: Context, mock: Mock, req: AuthorizeRequest, user: FixtureUser): void {
  const s = session(ctx, mock);
  const hidden = Object.fromEntries(Object.entries(req.params).filter(([name]) => !FORM_FIELDS.has(name)));
  const scopes = parseScope(req.scope).map((name) => ({
    name,
    description: mock.profile.consentScopeDescriptions ? (SCOPE_DESCRIPTIONS[name] ?? null) : null,
  }));
  const switchUser = new URLSearchParams({ return_to: `/oauth/authorize?${new URLSearchParams(req.params)}`, switch: '1' });
  sendHtml(
    ctx,
    200,
    consentPage({
      clientName: req.client.client_name,
      user,
      scopes,
      hidden,
      csrfToken: csrfToken(mock, s),
      showDeny: mock.profile.consentDeny,
      switchUserUrl: `/auth/login?${switchUser}`,
    }),
    { formAction: [formAction(req.redirectUri)] },
  );
}

function signedInUser(ctx: Context, mock: Mock): FixtureUser | undefined {
  const { userId } = session(ctx, mock);
  return userId ? mock.directory.userById(userId) : undefined;
}

/** Glossia limits authorization requests per signed-in user (30/min, plain-text 429). */
const limitUser = (mock: Mock, user: FixtureUser) => enforce(mock, 'authorize', [`user:${user.id}`], 'text');

/** Glossia's RequireAuth runs before any OAuth check: the request is remembered exactly as sent. */
function loginFirst(ctx: Context, mock: Mock): boolean {
  if (mock.config.autoApprove || !mock.profile.loginBeforeValidation || signedInUser(ctx, mock)) return false;
  ctx.redirect(`/auth/login?${new URLSearchParams({ return_to: ctx.url })}`);
  return true;
}

export const authorizeGet = (mock: Mock) => async (ctx: Context) => {
  if (loginFirst(ctx, mock)) return;
  const req = readAuthorizeRequest(mock, queryParams(ctx));
  if (mock.config.autoApprove) {
    const user = autoApprovedUser(mock, req);
    limitUser(mock, user);
    return await issueCode(ctx, mock, req, user);
  }
  const user = signedInUser(ctx, mock);
  if (!user) return loginRedirect(ctx, req);
  limitUser(mock, user);
  showConsent(ctx, mock, req, user);
};

export const authorizePost = (mock: Mock) => async (ctx: Context) => {
  const body = bodyParams(ctx);
  const s = session(ctx, mock);
  if (!validCsrf(mock, s, body['_csrf']))
    throw new HtmlError(403, 'invalid_request', 'This form has expired or did not come from this page. Go back and try again.');
  const { _csrf, decision, ...rest } = body;
  const req = readAuthorizeRequest(mock, { ...queryParams(ctx), ...rest });
  const user = s.userId ? mock.directory.userById(s.userId) : undefined;
  if (!user) return loginRedirect(ctx, req);
  limitUser(mock, user);
  if (decision === 'deny' && mock.profile.consentDeny)
    throw authorizeError(mock, req, 400, 'access_denied', 'The user denied the authorization request.');
  await issueCode(ctx, mock, req, user);
};
