// Grants OAuth 2.1 removed: the implicit grant (tokens in the redirect) and the password grant.
import { check } from './check.js';
import { isAuthorization } from './entries.js';

export const grantOauth21 = check({
  id: 'grant.oauth21',
  level: 'fail',
  title: 'Only grants OAuth 2.1 keeps: no implicit grant (response_type with token), no password grant',
  reference: 'RFC 9700 §2.1.2, §2.4; OAuth 2.1 §1.3',
  init: () => null,
  observe(_, { e }) {
    if (isAuthorization(e)) {
      const type = e.query['response_type'];
      if (type === 'code') return 'pass';
      return type !== undefined && type.split(' ').includes('token') ? `response_type=${type} (implicit grant)` : undefined;
    }
    if (e.method !== 'POST' || e.path !== '/oauth/token' || e.facts?.grant_type === undefined) return undefined;
    return e.facts.grant_type === 'password' ? 'grant_type=password (resource owner password credentials)' : 'pass';
  },
});
