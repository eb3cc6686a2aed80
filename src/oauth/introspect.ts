// POST /oauth/introspect (RFC 7662), for confidential clients.
import type { Context } from 'koa';
import { oauthError, sendJson } from '../http/errors.js';
import { bodyParams, param } from '../http/params.js';
import type { Mock } from '../mock.js';
import { authenticateClient, readCredentials } from './client-auth.js';
import { allowsGrant, isPublicClient } from './clients.js';
import { NO_USER } from './grants/client-credentials.js';

const required = (name: string) =>
  oauthError(400, 'invalid_request', `Request validation failed. Required property ${name} is missing at #.`);

const BORUTA_INACTIVE = {
  active: false,
  client_id: null,
  username: null,
  scope: null,
  sub: null,
  iss: 'boruta',
  exp: null,
  iat: null,
};

export const introspect = (mock: Mock) => (ctx: Context) => {
  const body = bodyParams(ctx);
  const value = param(body, 'token');
  const creds = readCredentials(ctx, body, mock);
  if (!value) throw required('token');
  const client = authenticateClient(mock, creds, { checkSecret: true, missing: () => required('client_id') });
  if (isPublicClient(client))
    throw oauthError(401, 'invalid_client', 'Public clients cannot introspect tokens; use a confidential client.');
  if (mock.profile.endpointGrants && !allowsGrant(client, 'introspect'))
    throw oauthError(400, 'unsupported_grant_type', 'Client do not support given grant type.');

  const rfc = mock.profile.introspectShape === 'rfc';
  const t = mock.tokens.activeAccessToken(value);
  const user = t && mock.directory.userById(t.userId);
  // A client_credentials token has no user (NO_USER): active, with a null username and sub.
  const userless = t !== undefined && t.userId === NO_USER;
  if (!t || (!user && !userless)) return sendJson(ctx, 200, rfc ? { active: false } : BORUTA_INACTIVE);
  const answer: Record<string, unknown> = {
    active: true,
    client_id: t.clientId,
    username: user?.email ?? null,
    scope: t.scope,
    sub: userless ? null : t.userId,
    iss: mock.issuer,
    exp: t.expiresAt,
    iat: t.issuedAt,
  };
  if (rfc) Object.assign(answer, { aud: mock.issuer, jti: t.jti, token_type: 'bearer' });
  sendJson(ctx, 200, answer);
};
