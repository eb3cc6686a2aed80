// Least privilege: the client asks only for scopes its API calls need.
import { SCOPES } from '../oauth/scopes.js';
import { check, type Observed } from './check.js';
import { isApi, isAuthorization, scopesOf } from './entries.js';

// Only Glossia's scopes are remembered (unknown ones are refused anyway), so the state stays small.
// `openid` is not among them: it is for the ID token, not for an API call.
const KNOWN: ReadonlySet<string> = new Set(SCOPES);

export const scopeLeastPrivilege = check({
  id: 'scope.least_privilege',
  level: 'warn',
  title: 'Every scope the client asks for is needed by some API call it makes',
  reference: 'RFC 9700 §2.3; guide "Choosing scopes" and security checklist',
  init: () => ({ requested: new Map<string, Observed>(), needed: new Set<string>(), apiCalls: 0 }),
  observe(s, { e, settings }) {
    const asked = isAuthorization(e) ? e.query['scope'] : e.path === '/oauth/device_authorization' ? e.facts?.scope : undefined;
    for (const scope of scopesOf(asked))
      if (KNOWN.has(scope) && scope !== settings.defaultScope && !s.requested.has(scope)) s.requested.set(scope, e);
    if (isApi(e)) {
      s.apiCalls++;
      if (e.facts?.required_scope !== undefined) s.needed.add(e.facts.required_scope);
    }
    return undefined;
  },
  conclude(s) {
    // Without API calls there is nothing to compare with: the tokens may be used elsewhere.
    if (s.apiCalls === 0 || s.requested.size === 0) return undefined;
    const unused = [...s.requested].filter(([scope]) => !s.needed.has(scope));
    if (unused.length === 0) return 'pass';
    return {
      note: `requested but needed by no API call: ${unused.map(([scope]) => scope).join(', ')}`,
      entries: [...new Set(unused.map(([, e]) => e))],
    };
  },
});
