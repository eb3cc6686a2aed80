// access_denied is the user's answer: the client shows it, it does not ask again by itself.
import { check, type Verdict } from './check.js';
import { authorizationKey, isAuthorization, issuedCode, seconds } from './entries.js';

/** A new authorization this soon after a denial was not a person's decision. */
export const AUTOMATIC_MS = 10_000;
/** This many automatic retries in a row make a loop. */
const LOOP = 2;

export const authorizeDeniedLoop = check({
  id: 'authorize.denied_loop',
  level: 'fail',
  title: 'After access_denied, no automatic loop of new authorization requests',
  reference: 'RFC 6749 §4.1.2.1; guide "Authorization errors"',
  // pending: the last authorization request has no answer yet (it went to sign-in or consent)
  init: () => ({ deniedAt: null as number | null, retries: 0, lastKey: '', pending: false }),
  observe(s, { e, t }) {
    let verdict: Verdict;
    // The same request carried through sign-in and consent is not a new one; the same URL once
    // answered is.
    if (isAuthorization(e) && (authorizationKey(e) !== s.lastKey || !s.pending)) {
      s.lastKey = authorizationKey(e);
      if (s.deniedAt !== null) {
        const soon = t - s.deniedAt < AUTOMATIC_MS;
        s.retries = soon ? s.retries + 1 : 0;
        verdict = s.retries >= LOOP ? `authorization request ${seconds(t - s.deniedAt)} after access_denied, ${s.retries} in a row` : 'pass';
      }
      s.deniedAt = null;
    }
    if (e.path !== '/oauth/authorize') return verdict;
    const answered = issuedCode(e) || e.facts?.error !== undefined;
    s.pending = !answered;
    if (e.facts?.error === 'access_denied') s.deniedAt = t;
    else if (issuedCode(e)) s.retries = 0;
    return verdict;
  },
});
