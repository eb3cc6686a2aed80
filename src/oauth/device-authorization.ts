// POST /oauth/device_authorization (RFC 8628 3.1-3.2), first-party device clients only.
import type { Context } from 'koa';
import { safeEqual } from '../crypto/random.js';
import { oauthError, sendJson } from '../http/errors.js';
import { bodyParams, param, type Params } from '../http/params.js';
import type { Mock } from '../mock.js';
import type { StoredClient } from '../store/schema.js';
import { createDeviceCode, DEVICE_CODE_TTL, DEVICE_POLL_INTERVAL } from './device-codes.js';
import { parseScope, SCOPE_DESCRIPTIONS } from './scopes.js';

/** Glossia reads device-flow credentials from the body only (no HTTP Basic). */
export function deviceClient(mock: Mock, body: Params): StoredClient {
  const failed = () => oauthError(401, 'invalid_client', 'Client authentication failed.');
  const clientId = param(body, 'client_id');
  const client = clientId ? mock.clients.find(clientId) : undefined;
  if (!client) throw failed();
  if (client.client_secret !== null) {
    const secret = param(body, 'client_secret');
    if (secret === undefined || !safeEqual(secret, client.client_secret)) throw failed();
  }
  if (!client.first_party || !client.device_flow)
    throw oauthError(400, 'unauthorized_client', 'Client is not allowed to use the device flow.');
  return client;
}

export const deviceAuthorization = (mock: Mock) => (ctx: Context) => {
  const body = bodyParams(ctx);
  const client = deviceClient(mock, body);
  const requested = parseScope(param(body, 'scope') ?? '');
  // openid is not a device-flow scope at Glossia.
  if (requested.some((s) => !Object.hasOwn(SCOPE_DESCRIPTIONS, s)))
    throw oauthError(400, 'invalid_scope', 'Requested scope is invalid.');
  const scope = requested.length > 0 ? [...new Set(requested)].sort().join(' ') : mock.profile.defaultScope;
  const approvedBy = mock.config.autoApprove ? (mock.directory.userByHandle(mock.config.autoApprove)?.id ?? null) : null;
  const { deviceCode, userCode } = createDeviceCode(mock, client.client_id, scope, approvedBy);
  const verificationUri = `${mock.issuer}/oauth/device`;
  sendJson(ctx, 200, {
    device_code: deviceCode,
    user_code: userCode,
    verification_uri: verificationUri,
    verification_uri_complete: `${verificationUri}?user_code=${userCode}`,
    expires_in: DEVICE_CODE_TTL,
    interval: DEVICE_POLL_INTERVAL,
  });
};
