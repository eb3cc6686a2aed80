// The facts of a request that the conformance report (src/report/) needs and the journal line
// does not show: which error was answered, Retry-After, how the client authenticated, and which
// credential it presented — as a fingerprint only. Cheap: no body is parsed, and a token is hashed
// only where the report compares tokens.
import type { Context } from 'koa';
import { tokenKey } from '../crypto/random.js';
import type { Params } from '../http/params.js';
import { isMcpPath } from '../mcp/request.js';
import type { Mock } from '../mock.js';
import type { CredentialKind, EntryFacts } from './journal.js';

const VERIFIER_CHARS = /^[A-Za-z0-9\-._~]*$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** 12 characters of the value's SHA-256: enough to tell tokens apart, useless to anyone holding it. */
export const fingerprint = (value: string): string => tokenKey(value).slice(0, 12);

const credential = (kind: CredentialKind, value: string | undefined) => (value === undefined ? undefined : { kind, fp: fingerprint(value) });

function clientAuth(ctx: Context, params: Params): EntryFacts['client_auth'] {
  if (/^Basic /i.test(ctx.get('Authorization'))) return 'basic';
  return params['client_secret'] !== undefined ? 'post' : 'none';
}

const GRANT_CREDENTIAL: Readonly<Record<string, readonly [CredentialKind, string]>> = {
  authorization_code: ['code', 'code'],
  refresh_token: ['refresh_token', 'refresh_token'],
  'urn:ietf:params:oauth:grant-type:device_code': ['device_code', 'device_code'],
};

function tokenRequest(ctx: Context, params: Params, f: EntryFacts): void {
  f.client_auth = clientAuth(ctx, params);
  const grant = str(params['grant_type']);
  if (grant === undefined) return;
  f.grant_type = grant;
  const kind = Object.hasOwn(GRANT_CREDENTIAL, grant) ? GRANT_CREDENTIAL[grant] : undefined;
  if (!kind) return;
  const cred = credential(kind[0], str(params[kind[1]]));
  if (cred) f.credential = cred;
  if (grant !== 'authorization_code') return;
  const redirectUri = str(params['redirect_uri']);
  if (redirectUri !== undefined) f.redirect_uri = redirectUri;
  const verifier = params['code_verifier'];
  if (typeof verifier === 'string') f.verifier = { length: verifier.length, valid: VERIFIER_CHARS.test(verifier) };
}

function revokedKind(mock: Mock, value: string): CredentialKind {
  if (mock.tokens.findRefreshToken(value)) return 'refresh_token';
  return mock.tokens.findAccessToken(value) ? 'access_token' : 'unknown_token';
}

export function requestFacts(mock: Mock, ctx: Context, params: Params): EntryFacts | undefined {
  const f: EntryFacts = {};
  const error = ctx.state['error'];
  if (typeof error === 'string') f.error = error;
  const retryAfter = Number(ctx.response.get('Retry-After') || NaN);
  if (Number.isFinite(retryAfter)) f.retry_after = retryAfter;
  const path = ctx.path;
  if (path.startsWith('/api/') || isMcpPath(path)) {
    const scope = ctx.state['requiredScope'];
    if (typeof scope === 'string') f.required_scope = scope;
    const bearer = /^Bearer (\S+)$/.exec(ctx.get('Authorization'))?.[1] ?? str(ctx.query['access_token']);
    const cred = credential('access_token', bearer);
    if (cred) f.credential = cred;
  } else if (ctx.method === 'POST') {
    switch (path) {
      case '/oauth/token':
        tokenRequest(ctx, params, f);
        break;
      case '/oauth/revoke': {
        f.client_auth = clientAuth(ctx, params);
        const token = str(params['token']);
        if (token !== undefined) f.credential = { kind: revokedKind(mock, token), fp: fingerprint(token) };
        break;
      }
      case '/oauth/introspect':
        f.client_auth = clientAuth(ctx, params);
        break;
      case '/oauth/device_authorization': {
        f.client_auth = clientAuth(ctx, params);
        const scope = str(params['scope']);
        if (scope !== undefined) f.scope = scope;
        break;
      }
      case '/oauth/authorize': {
        const redirectUri = str(params['redirect_uri']);
        if (redirectUri !== undefined) f.redirect_uri = redirectUri;
        break;
      }
    }
  }
  for (const _ in f) return f;
  return undefined;
}
