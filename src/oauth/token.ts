// POST /oauth/token: reads client credentials once, then hands over to the grant.
import type { Context } from 'koa';
import { oauthError, sendJson } from '../http/errors.js';
import { bodyParams, param, type Params } from '../http/params.js';
import type { Mock } from '../mock.js';
import type { Profile } from '../profiles.js';
import { readCredentials, type Credentials } from './client-auth.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { clientCredentialsGrant } from './grants/client-credentials.js';
import { passwordGrant } from './grants/password.js';
import { DEVICE_CODE_GRANT, deviceCodeGrant } from './grants/device-code.js';
import { refreshTokenGrant } from './grants/refresh-token.js';
import type { TokenResponse } from './tokens.js';

type Grant = (mock: Mock, body: Params, creds: Credentials) => Promise<TokenResponse>;

const GRANTS: Readonly<Record<string, Grant>> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  [DEVICE_CODE_GRANT]: deviceCodeGrant,
};

/** Library grants the real server still serves (reference 5.7), where the profile has them. */
const EXTRA_GRANTS: Readonly<Record<Profile['extraTokenGrants'][number], Grant>> = {
  password: passwordGrant,
  client_credentials: clientCredentialsGrant,
};

function grantFor(profile: Profile, grantType: string): Grant | undefined {
  if (Object.hasOwn(GRANTS, grantType)) return GRANTS[grantType];
  const extra = profile.extraTokenGrants.find((g) => g === grantType);
  return extra && EXTRA_GRANTS[extra];
}

export const token = (mock: Mock) => async (ctx: Context) => {
  // Glossia reads token parameters from the body only; a query string is ignored.
  const body = bodyParams(ctx);
  const grantType = param(body, 'grant_type');
  if (!grantType) throw oauthError(400, 'invalid_request', 'Request is not a valid OAuth request. Need a grant_type param.');
  const grant = grantFor(mock.profile, grantType);
  if (!grant) throw oauthError(400, ...mock.profile.errors.unknownGrantType);
  const creds = readCredentials(ctx, body, mock);
  sendJson(ctx, 200, await grant(mock, body, creds), { Pragma: 'no-cache' });
};
