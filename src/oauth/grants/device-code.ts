// grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 3.4-3.5), in Glossia's order.
import { oauthError } from '../../http/errors.js';
import { param, type Params } from '../../http/params.js';
import type { Mock } from '../../mock.js';
import { deviceClient } from '../device-authorization.js';
import { findByDeviceCode } from '../device-codes.js';
import type { TokenResponse } from '../tokens.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export async function deviceCodeGrant(mock: Mock, body: Params): Promise<TokenResponse> {
  const client = deviceClient(mock, body);
  const deviceCode = param(body, 'device_code');
  if (deviceCode === undefined) throw oauthError(400, 'invalid_request', 'Missing device_code parameter.');
  if (deviceCode === '') throw oauthError(400, 'invalid_request', 'Invalid device token request.');
  const record = findByDeviceCode(mock, deviceCode);
  if (!record) throw oauthError(400, 'invalid_grant', 'Device code is invalid or already used.');
  if (record.clientId !== client.client_id) throw oauthError(401, 'invalid_client', 'Client authentication failed.');
  const now = mock.clock.now();
  if (record.expiresAt <= now) throw oauthError(400, 'expired_token', 'Device code has expired.');
  if (record.lastPolledAt !== null && now - record.lastPolledAt < record.interval)
    throw oauthError(400, 'slow_down', 'Slow down your polling frequency.');
  record.lastPolledAt = now;
  mock.store.tokens.changed('deviceCodes', record);
  switch (record.status) {
    case 'pending':
      throw oauthError(400, 'authorization_pending', 'User has not completed device authorization yet.');
    case 'denied':
      throw oauthError(400, 'access_denied', 'User denied the authorization request.');
    case 'consumed':
      throw oauthError(400, 'invalid_grant', 'Device code is invalid or already used.');
    case 'approved': {
      record.status = 'consumed';
      mock.store.tokens.changed('deviceCodes', record);
      const userId = record.userId!;
      const grantId = mock.tokens.createGrant(client.client_id, userId, record.scope, now);
      return mock.tokens.issue(grantId, client.client_id, userId, record.scope);
    }
  }
}
