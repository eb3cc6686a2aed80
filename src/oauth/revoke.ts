// POST /oauth/revoke (RFC 7009). Unknown tokens answer 200 like known ones: the caller learns
// nothing about tokens it does not hold.
import type { Context } from 'koa';
import { oauthError } from '../http/errors.js';
import { bodyParams, param } from '../http/params.js';
import type { Mock } from '../mock.js';
import { authenticateClient, readCredentials } from './client-auth.js';
import { allowsGrant } from './clients.js';

const required = (name: string) =>
  oauthError(400, 'invalid_request', `Request validation failed. Required property ${name} is missing at #.`);

export const revoke = (mock: Mock) => (ctx: Context) => {
  const body = bodyParams(ctx);
  const value = param(body, 'token');
  const hint = param(body, 'token_type_hint');
  const creds = readCredentials(ctx, body, mock);
  if (!value) throw required('token');
  if (!creds.clientId) throw required('client_id');
  if (hint !== undefined && hint !== 'access_token' && hint !== 'refresh_token')
    throw oauthError(
      400,
      'invalid_request',
      'Request validation failed. #/token_type_hint do match required pattern /^(access_token|refresh_token)$/.',
    );
  const client = authenticateClient(mock, creds, { checkSecret: true, missing: () => required('client_id') });
  if (mock.profile.endpointGrants && !allowsGrant(client, 'revoke'))
    throw oauthError(400, 'unsupported_grant_type', 'Client do not support given grant type.');

  const { tokens } = mock;
  const access = () => {
    const t = tokens.findAccessToken(value);
    return t && { clientId: t.clientId, revoke: () => tokens.revokeAccessToken(t) };
  };
  const refresh = () => {
    const t = tokens.findRefreshToken(value);
    return t && { clientId: t.clientId, revoke: () => tokens.revokeRefreshToken(t, mock.profile.revokeRefreshRevokesFamily) };
  };
  const found = hint === 'refresh_token' ? (refresh() ?? access()) : (access() ?? refresh());
  if (found) {
    if (mock.profile.revokeChecksOwnership && found.clientId !== client.client_id)
      throw oauthError(400, 'unauthorized_client', 'The token was issued to another client.');
    found.revoke();
  }
  ctx.status = 200;
  ctx.body = '';
  // Reference 8.1: an empty body with no content type (Koa would label '' as text/plain).
  ctx.remove('Content-Type');
  ctx.set('Cache-Control', 'no-store');
};
