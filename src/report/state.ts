// state (present, never reused, unguessable) and nonce on OpenID requests.
import { remember } from './bounded.js';
import { check } from './check.js';
import { isAuthorization, scopesOf } from './entries.js';

export const statePresent = check({
  id: 'state.present',
  level: 'fail',
  title: 'Every authorization request carries state',
  reference: 'RFC 6749 §10.12; guide step 3 and security checklist',
  init: () => null,
  observe: (_, { e }) => (!isAuthorization(e) ? undefined : e.query['state'] ? 'pass' : 'no state parameter'),
});

export const stateUnique = check({
  id: 'state.unique',
  level: 'fail',
  title: 'A state value is never used for two authorization requests',
  reference: 'RFC 9700 §4.7.1',
  // state → the challenge of the request that used it (the same request comes back after sign-in)
  init: () => remember<string, { challenge: string; id: number }>(),
  observe(seen, { e }) {
    const state = e.query['state'];
    if (!isAuthorization(e) || !state) return undefined;
    const challenge = e.query['code_challenge'] ?? '';
    const before = seen.get(state);
    seen.set(state, { challenge, id: e.id });
    return before === undefined || before.challenge === challenge ? 'pass' : `state already used by request #${before.id}`;
  },
});

/** Bits of a state that looks like random characters, or null when it looks structured. */
export function randomBits(state: string): number | null {
  if (/^[0-9a-fA-F]+$/.test(state)) return state.length * 4;
  if (/^[A-Za-z0-9_-]+$/.test(state) || /^[A-Za-z0-9+/]+=*$/.test(state)) return state.replace(/=+$/, '').length * 6;
  return null;
}

export const stateEntropy = check({
  id: 'state.entropy',
  level: 'warn',
  title: 'A random-looking state carries at least 128 bits (e.g. 22 base64url or 32 hex characters)',
  reference: 'RFC 6749 §10.10; RFC 9700 §4.7.1',
  init: () => null,
  observe(_, { e }) {
    const state = e.query['state'];
    if (!isAuthorization(e) || !state) return undefined;
    const bits = randomBits(state);
    if (bits === null) return undefined;
    return bits >= 128 ? 'pass' : `state of ${state.length} characters: about ${bits} bits`;
  },
});

export const nonceOpenid = check({
  id: 'nonce.openid',
  level: 'warn',
  title: 'An authorization request for openid carries a nonce',
  reference: 'OpenID Connect Core 1.0 §3.1.2.1, §15.5.2; RFC 9700 §2.1.1',
  init: () => null,
  observe(_, { e }) {
    if (!isAuthorization(e) || !scopesOf(e.query['scope']).includes('openid')) return undefined;
    return e.query['nonce'] ? 'pass' : 'openid requested without a nonce';
  },
});
