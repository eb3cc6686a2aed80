// Refresh tokens: only the newest is used, a refused one is not retried, invalid_grant means a new
// authorization, and the client revokes its refresh token at some point (sign-out).
import { remember } from './bounded.js';
import { check, type Observed } from './check.js';
import { credentialOf, isGrant, refused } from './entries.js';
import { noRepeat } from './repeat.js';

const refreshTokenOf = (e: Observed) => (isGrant(e, 'refresh_token') ? credentialOf(e, 'refresh_token') : undefined);

export const refreshRotation = noRepeat({
  id: 'refresh.rotation',
  level: 'fail',
  title: 'Only the newest refresh token is used: a rotated one is never sent again',
  reference: 'OAuth 2.1 §4.3.1; RFC 9700 §4.14.2',
  credential: refreshTokenOf,
  marks: (e) => e.status === 200,
  note: (by) => `refresh token already rotated by request #${by}`,
});

export const refreshNoRetry = noRepeat({
  id: 'refresh.no_retry',
  level: 'fail',
  title: 'A refresh token the server refused is not sent again (no refresh loop)',
  reference: 'OAuth 2.1 §4.3; RFC 6749 §5.2',
  credential: refreshTokenOf,
  marks: refused,
  note: (by) => `refresh token already refused in request #${by}`,
});

export const refreshReauthorize = check({
  id: 'refresh.reauthorize',
  level: 'fail',
  title: 'After invalid_grant on a refresh, the client starts a new authorization instead of refreshing again',
  reference: 'OAuth 2.1 §4.3, §5.3; guide "Token errors"',
  // flow → the refused refresh (its id and token)
  init: () => remember<string, { id: number; token: string }>(),
  observe(failed, { e }) {
    const token = refreshTokenOf(e);
    if (token === undefined || e.flow === null) return undefined;
    const before = failed.get(e.flow);
    if (e.facts?.error === 'invalid_grant') failed.set(e.flow, { id: e.id, token });
    if (before === undefined) return 'pass';
    // The same token again is refresh.no_retry's finding.
    return before.token === token ? undefined : `refreshed again after invalid_grant in request #${before.id}`;
  },
});

export const logoutRevoke = check({
  id: 'logout.revoke',
  level: 'warn',
  title: 'The client revokes its refresh token at some point (sign-out, disconnect)',
  reference: 'RFC 7009 §2; guide step 7 and security checklist',
  init: () => ({ lastRefresh: null as Observed | null, revoked: false }),
  observe(s, { e }) {
    if (isGrant(e, 'refresh_token') && e.status === 200) s.lastRefresh = e;
    if (e.path === '/oauth/revoke' && e.status === 200 && credentialOf(e, 'refresh_token') !== undefined) s.revoked = true;
    return undefined;
  },
  conclude(s) {
    if (s.revoked) return 'pass';
    if (s.lastRefresh === null) return undefined;
    return { note: 'refreshed tokens but never revoked a refresh token', entries: [s.lastRefresh] };
  },
});
