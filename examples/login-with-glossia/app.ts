// "Login with Glossia", step by step as the public guide describes it: discovery, PKCE (S256),
// redirect with state, code exchange (client_secret_post), API call, refresh, revoke.
// Plain Koa + @koa/router + global fetch; no OAuth library, so every step of the guide is visible.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import Koa, { type Context } from 'koa';

export interface ExampleAppOptions {
  /** Glossia's issuer, e.g. https://glossia.ai or http://localhost:4050 for glossia-mock. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Exactly as registered with Glossia, e.g. http://localhost:3000/callback. */
  redirectUri: string;
}

const SCOPE = 'user:read project:read';
const COOKIE = 'glossia_example_sid';
/** How long a started sign-in (state + code verifier) stays valid. */
const LOGIN_TTL_MS = 10 * 60_000;
/** Sessions unused for this long are forgotten. */
const SESSION_TTL_MS = 8 * 60 * 60_000;
/** Refresh a little before the access token's expiry (at most this early, and never before half its life). */
const EXPIRY_SKEW_MS = 30_000;
const FETCH_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// Step 2 of the guide: PKCE, with the guide's own algorithm (Web Crypto + base64url).

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function generateCodeVerifier(): string {
  const array = new Uint8Array(32);
  crypto.getRandomValues(array);
  return base64url(array);
}

export async function generateCodeChallenge(verifier: string): Promise<string> {
  const data = new TextEncoder().encode(verifier);
  const digest = await crypto.subtle.digest('SHA-256', data);
  return base64url(new Uint8Array(digest));
}

// ---------------------------------------------------------------------------------------------
// Discovery: the endpoints come from the server metadata, not from hard-coded paths.

interface Metadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
  code_challenge_methods_supported?: string[];
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

async function discover(issuer: string): Promise<Metadata> {
  const url = `${withoutTrailingSlash(issuer)}/.well-known/oauth-authorization-server`;
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const m = (await res.json()) as Partial<Metadata>;
  if (typeof m.authorization_endpoint !== 'string' || typeof m.token_endpoint !== 'string')
    throw new Error(`${url} has no authorization_endpoint or token_endpoint`);
  // RFC 8414 3.3: the metadata must be about the issuer we asked.
  if (typeof m.issuer !== 'string' || withoutTrailingSlash(m.issuer) !== withoutTrailingSlash(issuer))
    throw new Error(`${url} describes issuer ${String(m.issuer)}, not ${issuer}`);
  if (m.code_challenge_methods_supported && !m.code_challenge_methods_supported.includes('S256'))
    throw new Error(`${url} does not support PKCE S256`);
  return m as Metadata;
}

// ---------------------------------------------------------------------------------------------
// Server-side sessions: an in-memory map keyed by an httpOnly, SameSite=Lax cookie. Tokens never
// reach the browser.

interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  /** When to refresh without asking the API first: shortly before expiry, on our own clock (ms). */
  refreshAt: number;
}

interface Session {
  id: string;
  /** Guards POST /logout. */
  csrf: string;
  lastSeen: number;
  /** A sign-in in progress (steps 2-3), used once at the callback (step 4). */
  login?: { state: string; codeVerifier: string; startedAt: number };
  tokens?: Tokens;
  /** A refresh in flight: concurrent requests share it (refresh tokens rotate and are single use). */
  refreshing?: Promise<RefreshOutcome>;
}

const randomId = () => randomBytes(32).toString('base64url');

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function createSessions() {
  const sessions = new Map<string, Session>();

  const setCookie = (ctx: Context, value: string | null) =>
    ctx.cookies.set(COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', overwrite: true });

  return {
    get(ctx: Context): Session | undefined {
      const id = ctx.cookies.get(COOKIE);
      const s = id ? sessions.get(id) : undefined;
      if (!s) return undefined;
      if (Date.now() - s.lastSeen > SESSION_TTL_MS) {
        sessions.delete(s.id);
        return undefined;
      }
      s.lastSeen = Date.now();
      return s;
    },
    /** A fresh session with a fresh id (also used at sign-in, against session fixation). */
    start(ctx: Context, from?: Session): Session {
      if (from) sessions.delete(from.id);
      const now = Date.now();
      for (const [id, s] of sessions) if (now - s.lastSeen > SESSION_TTL_MS) sessions.delete(id);
      const s: Session = { id: randomId(), csrf: randomId(), lastSeen: now };
      sessions.set(s.id, s);
      setCookie(ctx, s.id);
      return s;
    },
    end(ctx: Context, s: Session | undefined): void {
      if (s) sessions.delete(s.id);
      setCookie(ctx, null);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Pages: plain server-rendered HTML.

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function render(ctx: Context, status: number, title: string, body: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Login with Glossia example</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const SIGN_IN = '<p><a class="button" href="/login">Sign in with Glossia</a></p>';

function errorPage(ctx: Context, status: number, title: string, message: string): void {
  render(ctx, status, title, `<h1>${esc(title)}</h1>\n<p role="alert">${esc(message)}</p>\n<p><a href="/">Back to the home page</a></p>`);
}

const STYLE = `body { font: 16px/1.5 system-ui, sans-serif; color: #1f2937; margin: 0; }
main { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
.button, button { display: inline-block; background: #4f46e5; color: #fff; border: 0; border-radius: 6px; padding: .5rem 1rem; font: inherit; text-decoration: none; cursor: pointer; }
.muted { color: #6b7280; }
[role="alert"], [role="status"] { background: #fef3c7; border-radius: 6px; padding: .5rem 1rem; }
`;

// ---------------------------------------------------------------------------------------------
// The OAuth calls (steps 4, 6, 7) and the API call (step 5).

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
}

interface OAuthError {
  error?: string;
  error_description?: string;
}

class GlossiaError extends Error {}

async function postForm(url: string, fields: Record<string, string>): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields),
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (e.g. a proxy's error page); the status says enough.
  }
  return { status: res.status, json };
}

function readTokens(json: unknown, previous?: Tokens): Tokens {
  const t = json as Partial<TokenResponse> | null;
  if (!t || typeof t.access_token !== 'string') throw new GlossiaError('The token response has no access_token.');
  const lifetime = (typeof t.expires_in === 'number' && t.expires_in > 0 ? t.expires_in : 3600) * 1000;
  return {
    accessToken: t.access_token,
    // Refresh tokens rotate; keep the old one only if the server did not send a new one.
    refreshToken: typeof t.refresh_token === 'string' ? t.refresh_token : (previous?.refreshToken ?? null),
    refreshAt: Date.now() + lifetime - Math.min(EXPIRY_SKEW_MS, lifetime / 2),
  };
}

const describeError = (status: number, json: unknown) => {
  const e = json as OAuthError | null;
  return e?.error ? `${e.error}${e.error_description ? `: ${e.error_description}` : ''}` : `HTTP ${status}`;
};

type RefreshOutcome = 'refreshed' | 'expired';

interface Project {
  name: string;
  handle: string;
  account_handle?: string;
}

// ---------------------------------------------------------------------------------------------

export function createExampleApp(options: ExampleAppOptions): Koa {
  const { clientId, clientSecret, redirectUri } = options;
  const issuer = withoutTrailingSlash(options.issuer);
  const sessions = createSessions();

  // Fetched once; a failure is forgotten so the next request tries again.
  let metadata: Promise<Metadata> | null = null;
  const endpoints = () => {
    metadata ??= discover(issuer).catch((err: unknown) => {
      metadata = null;
      throw err;
    });
    return metadata;
  };

  /** Step 6: a new access token (and rotated refresh token) from the refresh token. */
  async function refresh(s: Session): Promise<RefreshOutcome> {
    const tokens = s.tokens;
    if (!tokens?.refreshToken) return 'expired';
    const { token_endpoint } = await endpoints();
    const { status, json } = await postForm(token_endpoint, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken,
      client_id: clientId,
      client_secret: clientSecret,
    });
    if (status === 400 && (json as OAuthError | null)?.error === 'invalid_grant') return 'expired';
    if (status !== 200) throw new GlossiaError(`Glossia refused to refresh the access token (${describeError(status, json)}).`);
    s.tokens = readTokens(json, tokens);
    return 'refreshed';
  }

  function refreshOnce(s: Session): Promise<RefreshOutcome> {
    s.refreshing ??= refresh(s).finally(() => {
      delete s.refreshing;
    });
    return s.refreshing;
  }

  /** Step 5, refreshing (step 6) when the token has expired or the API says 401, then retrying once. */
  async function listProjects(s: Session): Promise<{ projects: Project[]; total: number } | 'expired'> {
    let refreshed = false;
    if (s.tokens!.refreshAt <= Date.now()) {
      if ((await refreshOnce(s)) === 'expired') return 'expired';
      refreshed = true;
    }
    for (;;) {
      const res = await fetch(`${issuer}/api/projects`, {
        headers: { authorization: `Bearer ${s.tokens!.accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (res.status === 401) {
        await res.body?.cancel();
        if (refreshed) return 'expired';
        if ((await refreshOnce(s)) === 'expired') return 'expired';
        refreshed = true;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new GlossiaError(
          res.status === 404
            ? 'GET /api/projects answered 404: this server does not have the guide’s flat project listing.'
            : `GET /api/projects answered ${res.status}.`,
        );
      }
      const body = (await res.json()) as { projects?: Project[]; meta?: { total_count?: number } };
      const projects = body.projects ?? [];
      return { projects, total: body.meta?.total_count ?? projects.length };
    }
  }

  const router = new Router();

  router.get('/style.css', (ctx) => {
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = STYLE;
  });

  router.get('/', async (ctx) => {
    const s = sessions.get(ctx);
    if (!s?.tokens) {
      render(
        ctx,
        200,
        'Home',
        `<h1>Login with Glossia example</h1>\n<p>Sign in with your Glossia account to see your projects.</p>\n${SIGN_IN}`,
      );
      return;
    }
    const result = await listProjects(s);
    if (result === 'expired') {
      // The refresh token is no longer good (expired, revoked, or the user disconnected the app).
      sessions.end(ctx, s);
      render(
        ctx,
        200,
        'Session expired',
        `<h1>Login with Glossia example</h1>\n<p role="status">Your Glossia session expired — sign in again.</p>\n${SIGN_IN}`,
      );
      return;
    }
    const items = result.projects
      .map(
        (p) =>
          `<li><strong>${esc(p.name)}</strong> <span class="muted">${p.account_handle ? `${esc(p.account_handle)}/` : ''}${esc(p.handle)}</span></li>`,
      )
      .join('\n');
    const more = result.total > result.projects.length ? `<p class="muted">Showing ${result.projects.length} of ${result.total}.</p>` : '';
    render(
      ctx,
      200,
      'Your projects',
      `<h1>Login with Glossia example</h1>
<p>You are signed in with Glossia.</p>
<h2 id="projects">Your projects</h2>
${result.projects.length > 0 ? `<ul aria-labelledby="projects">\n${items}\n</ul>` : '<p>You have no projects yet.</p>'}
${more}
<form method="post" action="/logout">
<input type="hidden" name="_csrf" value="${esc(s.csrf)}">
<button type="submit">Sign out</button>
</form>`,
    );
  });

  // Steps 2-3: PKCE + state, kept server-side, then off to Glossia's authorization endpoint.
  router.get('/login', async (ctx) => {
    const { authorization_endpoint } = await endpoints();
    const codeVerifier = generateCodeVerifier();
    const codeChallenge = await generateCodeChallenge(codeVerifier);
    const state = generateCodeVerifier(); // 32 random bytes, base64url: the same recipe
    const s = sessions.get(ctx) ?? sessions.start(ctx);
    s.login = { state, codeVerifier, startedAt: Date.now() };
    const url = new URL(authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      scope: SCOPE,
      state,
    }).toString();
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(url.href);
  });

  // Step 4: verify state, handle errors, exchange the code.
  router.get('/callback', async (ctx) => {
    const q = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : undefined);
    const s = sessions.get(ctx);
    const login = s?.login;
    if (s) delete s.login; // one callback per sign-in attempt
    const state = q('state');
    if (!login || Date.now() - login.startedAt > LOGIN_TTL_MS || state === undefined || !sameString(state, login.state)) {
      errorPage(ctx, 400, 'Sign-in failed', 'The state parameter does not match this browser’s sign-in attempt. Start again from the home page.');
      return;
    }
    // RFC 9207: if the server names itself, it must be the issuer we sent the user to.
    const iss = q('iss');
    if (iss !== undefined && withoutTrailingSlash(iss) !== issuer) {
      errorPage(ctx, 400, 'Sign-in failed', 'The response came from an unexpected issuer.');
      return;
    }
    const error = q('error');
    if (error === 'access_denied') {
      render(
        ctx,
        403,
        'Access denied',
        `<h1>Access denied</h1>\n<p role="alert">Access was denied: this app was not allowed to use your Glossia account, so you are not signed in.</p>\n<p><a class="button" href="/login">Try again</a> <a href="/">Back to the home page</a></p>`,
      );
      return;
    }
    if (error !== undefined) {
      const description = q('error_description');
      errorPage(ctx, 400, 'Sign-in failed', `Glossia answered ${error}${description ? `: ${description}` : ''}.`);
      return;
    }
    const code = q('code');
    if (!code) {
      errorPage(ctx, 400, 'Sign-in failed', 'The callback has no authorization code.');
      return;
    }
    const { token_endpoint } = await endpoints();
    const { status, json } = await postForm(token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      client_secret: clientSecret,
      code_verifier: login.codeVerifier,
    });
    if (status !== 200) {
      errorPage(ctx, 502, 'Sign-in failed', `Glossia did not exchange the code (${describeError(status, json)}).`);
      return;
    }
    const signedIn = sessions.start(ctx, s); // a new session id now that someone is signed in
    signedIn.tokens = readTokens(json);
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect('/');
  });

  // Step 7: revoke the refresh token (with its access token), then forget the session.
  router.post('/logout', async (ctx) => {
    const s = sessions.get(ctx);
    if (s) {
      const form = await readForm(ctx);
      if (!form || !sameString(form.get('_csrf') ?? '', s.csrf)) {
        errorPage(ctx, 403, 'Sign-out failed', 'This form has expired. Go back, reload the page and try again.');
        return;
      }
      const token = s.tokens?.refreshToken ?? s.tokens?.accessToken;
      sessions.end(ctx, s);
      if (token) {
        try {
          const { revocation_endpoint } = await endpoints();
          if (revocation_endpoint) {
            const { status, json } = await postForm(revocation_endpoint, { token, client_id: clientId, client_secret: clientSecret });
            if (status !== 200) console.error(`login-with-glossia: revocation failed (${describeError(status, json)})`);
          }
        } catch (err) {
          console.error(`login-with-glossia: revocation failed (${(err as Error).message})`);
        }
      }
    }
    ctx.status = 303;
    ctx.redirect('/');
  });

  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof GlossiaError) return errorPage(ctx, 502, 'Glossia error', err.message);
      console.error('login-with-glossia:', err);
      errorPage(ctx, 502, 'Something went wrong', 'Glossia could not be reached or answered unexpectedly. Try again in a moment.');
    }
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/** A small urlencoded form body (the logout form) without a body-parser dependency; null if unreadable. */
async function readForm(ctx: Context): Promise<URLSearchParams | null> {
  if (!ctx.is('application/x-www-form-urlencoded')) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 8192) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
