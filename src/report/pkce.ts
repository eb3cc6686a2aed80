// PKCE: S256 on every authorization request, a verifier of RFC 7636's shape at the exchange.
import { check } from './check.js';
import { isAuthorization, isGrant } from './entries.js';

export const pkceS256 = check({
  id: 'pkce.s256',
  level: 'fail',
  title: 'Every authorization request carries a PKCE code_challenge with code_challenge_method=S256',
  reference: 'RFC 9700 §2.1.1; OAuth 2.1 §4.1.1; guide steps 2-3',
  init: () => null,
  observe(_, { e }) {
    if (!isAuthorization(e)) return undefined;
    const challenge = e.query['code_challenge'];
    const method = e.query['code_challenge_method'];
    if (!challenge) return 'no code_challenge';
    if (method === undefined) return 'no code_challenge_method (a server may take it as plain)';
    return method === 'S256' ? 'pass' : `code_challenge_method=${method}`;
  },
});

export const pkceVerifier = check({
  id: 'pkce.verifier',
  level: 'fail',
  title: 'The code_verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~',
  reference: 'RFC 7636 §4.1',
  init: () => null,
  observe(_, { e }) {
    if (!isGrant(e, 'authorization_code')) return undefined;
    const v = e.facts?.verifier;
    if (!v) return 'no code_verifier';
    if (v.length < 43 || v.length > 128) return `code_verifier of ${v.length} characters`;
    return v.valid ? 'pass' : 'code_verifier with characters outside A-Z a-z 0-9 - . _ ~';
  },
});
