// Authorization codes: exchanged once, soon, with the authorization's redirect URI.
import { remember, type BoundedMap } from './bounded.js';
import { noRepeat } from './repeat.js';
import { check, type Observed } from './check.js';
import { authorizationRedirect, credentialOf, isGrant, issuedCode, seconds } from './entries.js';

/** Codes are short-lived; a client that takes longer than this is doing something in between. */
export const PROMPT_EXCHANGE_MS = 10_000;

interface Issue {
  t: number;
  redirectUri: string | undefined;
}

/** Remembers, per flow, when and for which redirect URI a code was issued; the issue of an exchange. */
function issueOf(issues: BoundedMap<string, Issue>, e: Observed, t: number): Issue | undefined {
  if (e.flow === null) return undefined;
  if (issuedCode(e)) issues.set(e.flow, { t, redirectUri: authorizationRedirect(e) });
  return isGrant(e, 'authorization_code') ? issues.get(e.flow) : undefined;
}

export const codeSingleUse = noRepeat({
  id: 'code.single_use',
  level: 'fail',
  title: 'Each authorization code is exchanged once',
  reference: 'OAuth 2.1 §4.1.3; RFC 9700 §4.5',
  credential: (e) => (isGrant(e, 'authorization_code') ? credentialOf(e, 'code') : undefined),
  marks: () => true,
  note: (by) => `code already presented in request #${by}`,
});

export const codePrompt = check({
  id: 'code.prompt',
  level: 'warn',
  title: `Codes are exchanged within ${PROMPT_EXCHANGE_MS / 1000} seconds of being issued`,
  reference: 'OAuth 2.1 §4.1.2 (short-lived codes); RFC 6749 §4.1.2',
  init: () => remember<string, Issue>(),
  observe(issues, { e, t }) {
    const issue = issueOf(issues, e, t);
    if (!issue) return undefined;
    return t - issue.t <= PROMPT_EXCHANGE_MS ? 'pass' : `exchanged ${seconds(t - issue.t)} after the code was issued`;
  },
});

export const codeRedirectUri = check({
  id: 'code.redirect_uri',
  level: 'fail',
  title: 'The code exchange sends the redirect_uri of its authorization request',
  reference: 'OAuth 2.1 §4.1.3; RFC 6749 §4.1.3; guide step 4',
  init: () => remember<string, Issue>(),
  observe(issues, { e, t }) {
    const issue = issueOf(issues, e, t);
    if (!issue || issue.redirectUri === undefined) return undefined;
    const sent = e.facts?.redirect_uri;
    if (sent === undefined) return 'no redirect_uri';
    return sent === issue.redirectUri ? 'pass' : `redirect_uri ${sent}, the authorization had ${issue.redirectUri}`;
  },
});
