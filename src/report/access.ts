// Access tokens: in the Authorization header only, and not sent again once refused with 401.
import { check } from './check.js';
import { credentialOf, isResourceCall } from './entries.js';
import { noRepeat } from './repeat.js';

export const accessHeader = check({
  id: 'access.header',
  level: 'fail',
  title: 'Access tokens travel in the Authorization header, never in a query string',
  reference: 'OAuth 2.1 §5.2; RFC 6750 §2.3, §5.3; guide security checklist',
  init: () => null,
  observe(_, { e }) {
    if (e.query['access_token'] !== undefined) return `access_token in the query string of ${e.method} ${e.path}`;
    return isResourceCall(e) && credentialOf(e, 'access_token') !== undefined ? 'pass' : undefined;
  },
});

export const accessAfter401 = noRepeat({
  id: 'access.after_401',
  level: 'fail',
  title: 'An access token refused with 401 (expired or revoked) is not sent again',
  reference: 'RFC 6750 §3.1; OAuth 2.1 §5.3; guide step 6',
  credential: (e) => (isResourceCall(e) ? credentialOf(e, 'access_token') : undefined),
  // A forced 401 says nothing about the token.
  marks: (e) => e.status === 401 && e.facts?.error === 'invalid_token' && e.fault === null,
  note: (by) => `token refused with 401 in request #${by} sent again`,
});
