// Every conformance check, in the order the report lists them (the order of a client's journey).
import { accessAfter401, accessHeader } from './access.js';
import type { Check } from './check.js';
import { codePrompt, codeRedirectUri, codeSingleUse } from './codes.js';
import { authorizeDeniedLoop } from './denied.js';
import { deviceInterval, deviceSlowDown } from './device.js';
import { grantOauth21 } from './grants.js';
import { pkceS256, pkceVerifier } from './pkce.js';
import { rateRetryAfter } from './rate.js';
import { redirectRegistered } from './redirect.js';
import { logoutRevoke, refreshNoRetry, refreshReauthorize, refreshRotation } from './refresh.js';
import { scopeLeastPrivilege } from './scopes.js';
import { secretNotInUrl, secretPublicClient } from './secrets.js';
import { nonceOpenid, stateEntropy, statePresent, stateUnique } from './state.js';

export const CHECKS: readonly Check[] = [
  grantOauth21,
  pkceS256,
  pkceVerifier,
  statePresent,
  stateUnique,
  stateEntropy,
  nonceOpenid,
  redirectRegistered,
  authorizeDeniedLoop,
  codeSingleUse,
  codePrompt,
  codeRedirectUri,
  refreshRotation,
  refreshNoRetry,
  refreshReauthorize,
  accessHeader,
  accessAfter401,
  rateRetryAfter,
  secretPublicClient,
  secretNotInUrl,
  logoutRevoke,
  deviceInterval,
  deviceSlowDown,
  scopeLeastPrivilege,
];
