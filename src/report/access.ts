// Access tokens: in the Authorization header only, and not sent again once refused with 401.
import { remember } from './bounded.js';
import { check } from './check.js';
import { credentialOf, isApi } from './entries.js';

export const accessHeader = check({
  id: 'access.header',
  level: 'fail',
  title: 'Access tokens travel in the Authorization header, never in a query string',
  reference: 'OAuth 2.1 §5.2; RFC 6750 §2.3, §5.3; guide security checklist',
  init: () => null,
  observe(_, { e }) {
    if (e.query['access_token'] !== undefined) return `access_token in the query string of ${e.method} ${e.path}`;
    return isApi(e) && credentialOf(e, 'access_token') !== undefined ? 'pass' : undefined;
  },
});

export const accessAfter401 = check({
  id: 'access.after_401',
  level: 'fail',
  title: 'An access token refused with 401 (expired or revoked) is not sent again',
  reference: 'RFC 6750 §3.1; OAuth 2.1 §5.3; guide step 6',
  // token → the request that got the 401 (a forced 401 says nothing about the token)
  init: () => remember<string, number>(),
  observe(dead, { e }) {
    const token = isApi(e) ? credentialOf(e, 'access_token') : undefined;
    if (token === undefined) return undefined;
    const by = dead.get(token);
    if (e.status === 401 && e.facts?.error === 'invalid_token' && e.fault === null) dead.set(token, e.id);
    return by === undefined ? 'pass' : `token refused with 401 in request #${by} sent again`;
  },
});
