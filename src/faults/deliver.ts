// A fired fault, delivered exactly the way Glossia delivers that failure at that endpoint:
// redirects (or an HTML page) at /oauth/authorize, `{"error","error_description"}` at the OAuth
// endpoints, the 401/403 bodies and WWW-Authenticate headers of the API, 429 with Retry-After.
import { STATUS_CODES } from 'node:http';
import type { ApiRoute } from '../api/route.js';
import { apiErrorEnvelope, HtmlError, JsonError, oauthError, TextError } from '../http/errors.js';
import type { Params } from '../http/params.js';
import type { Mock } from '../mock.js';
import { authorizeError, trustedTarget } from '../oauth/authorize-request.js';
import type { Endpoint, FaultSpec } from './rules.js';

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  access_denied: 'The user denied the authorization request.',
  invalid_request: 'The request is missing a required parameter, or is otherwise malformed.',
  invalid_scope: 'Given scopes are unknown or unauthorized.',
  invalid_client: 'Invalid client_id or client_secret.',
  invalid_grant: 'Given authorization code is invalid, revoked, or expired.',
  unauthorized_client: 'Client do not support given grant type.',
  unsupported_grant_type: 'Client do not support given grant type.',
  unsupported_response_type: 'The authorization server does not support this response type.',
  server_error: 'The authorization server encountered an unexpected condition.',
  temporarily_unavailable: 'The authorization server is temporarily unable to handle the request.',
  invalid_client_metadata: 'The client metadata is invalid.',
  invalid_redirect_uri: 'A redirect URI is invalid.',
  authorization_pending: 'User has not completed device authorization yet.',
  slow_down: 'Slow down your polling frequency.',
  expired_token: 'Device code has expired.',
};

const OAUTH_STATUS: Readonly<Record<string, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  unauthorized: 401,
  insufficient_scope: 403,
  not_authorized: 403,
  too_many_requests: 429,
  server_error: 500,
  temporarily_unavailable: 503,
};

const RATE_LIMITED = { error: 'too_many_requests', error_description: 'Rate limit exceeded' };
const HTML_ENDPOINTS: ReadonlySet<Endpoint> = new Set(['authorize', 'device']);

export interface FaultContext {
  endpoint: Endpoint;
  /** The request parameters (query for GET /oauth/authorize, else body over query). */
  params: Params;
  /** The client authenticated with HTTP Basic (so a 401 invalid_client carries a Basic challenge). */
  basicAuth?: boolean;
  /** The API route the request is for: its scope (for insufficient_scope) and its error envelope. */
  apiRoute?: Pick<ApiRoute, 'scope' | 'envelope'> | undefined;
  grantType?: string | undefined;
}

function retryAfter(spec: FaultSpec): Record<string, string> {
  return { 'Retry-After': String(spec.retry_after ?? 60) };
}

function describe(mock: Mock, spec: FaultSpec, ctx: FaultContext): string {
  if (spec.description) return spec.description;
  if (spec.error === 'invalid_grant' && ctx.grantType === 'refresh_token') return 'Given refresh token is invalid, revoked, or expired.';
  if (spec.error === 'invalid_grant' && ctx.grantType === 'authorization_code') return mock.profile.errors.invalidCode[1];
  return DESCRIPTIONS[spec.error!] ?? `Forced ${spec.error} (glossia-mock fault rule).`;
}

/** An error with a status but no code: the framework's generic body. */
function statusOnly(spec: FaultSpec, ctx: FaultContext): Error {
  const status = spec.status!;
  const headers = status === 429 || status === 503 ? retryAfter(spec) : {};
  if (status === 429) return HTML_ENDPOINTS.has(ctx.endpoint) ? new TextError(429, 'Rate limit exceeded', headers) : new JsonError(429, RATE_LIMITED, headers);
  const reason = STATUS_CODES[status] ?? 'Error';
  if (HTML_ENDPOINTS.has(ctx.endpoint)) return new HtmlError(status, 'server_error', `${status} ${reason}`, headers);
  // The translate route's 502 is its provider failing: the message is the provider's reason.
  if (ctx.apiRoute?.envelope === 'api_error')
    return apiErrorEnvelope(status, spec.description ?? `Forced ${status} ${reason} (glossia-mock fault rule).`, headers);
  return new JsonError(status, { errors: { detail: reason } }, headers);
}

function apiError(mock: Mock, spec: FaultSpec, ctx: FaultContext): Error {
  const code = spec.error!;
  const status = spec.status ?? OAUTH_STATUS[code] ?? 400;
  switch (code) {
    case 'invalid_token':
      return new JsonError(status, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer' }, mock.profile.invalidTokenContentType);
    case 'insufficient_scope': {
      const scope = ctx.apiRoute?.scope ?? 'unknown';
      return new JsonError(
        status,
        { error: 'insufficient_scope', required_scope: scope },
        { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
      );
    }
    case 'too_many_requests':
      return new JsonError(429, RATE_LIMITED, retryAfter(spec));
    default:
      return new JsonError(status, spec.description ? { error: code, error_description: spec.description } : { error: code });
  }
}

function authorizeFault(mock: Mock, spec: FaultSpec, ctx: FaultContext): Error {
  const description = describe(mock, spec, ctx);
  try {
    const target = trustedTarget(mock, ctx.params);
    return authorizeError(mock, target, spec.status ?? OAUTH_STATUS[spec.error!] ?? 400, spec.error!, description);
  } catch {
    // The client or redirect URI is not trustworthy: nothing redirects; the user sees the error
    // (as a page, or as JSON on Glossia's own URL in the production profile, like every error there).
    if (mock.profile.authorizeErrors === 'json') return oauthError(spec.status ?? OAUTH_STATUS[spec.error!] ?? 400, spec.error!, description);
    return new HtmlError(spec.status ?? 400, spec.error!, description);
  }
}

/** The error to throw for a fired fault that has an error code or a status. */
export function faultError(mock: Mock, spec: FaultSpec, ctx: FaultContext): Error {
  if (spec.error === undefined) return statusOnly(spec, ctx);
  if (ctx.endpoint === 'api') return apiError(mock, spec, ctx);
  // Rate limiting is never redirected: 429 (plain text at /oauth/authorize), like a 429 status rule.
  if (spec.error === 'too_many_requests') return statusOnly({ ...spec, status: 429 }, ctx);
  if (ctx.endpoint === 'authorize') return authorizeFault(mock, spec, ctx);
  if (ctx.endpoint === 'device') return new HtmlError(spec.status ?? 400, spec.error, describe(mock, spec, ctx));
  const status = spec.status ?? OAUTH_STATUS[spec.error] ?? 400;
  const headers = status === 503 ? retryAfter(spec) : status === 401 && ctx.basicAuth ? { 'WWW-Authenticate': 'Basic realm="glossia"' } : undefined;
  return oauthError(status, spec.error, describe(mock, spec, ctx), headers);
}
