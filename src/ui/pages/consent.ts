// The OAuth consent screen. Pure: returns a string.

import { html } from '../html.js';
import { page, logoMark } from '../layout.js';
import { avatar } from '../components.js';
import type { LoginUser } from './login.js';

export interface ConsentScope {
  name: string;
  description: string | null;
}

export function consentPage(opts: {
  clientName: string;
  user: LoginUser;
  scopes: ConsentScope[];
  hidden: Record<string, string>;
  csrfToken: string;
  showDeny: boolean;
  switchUserUrl: string;
}): string {
  const { clientName, user, scopes } = opts;

  const hiddenInputs = Object.entries(opts.hidden).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">
`,
  );

  const scopeBlock =
    scopes.length > 0
      ? html`<h2 id="consent-scopes-heading">Requested permissions:</h2>
<ul class="scopes" aria-labelledby="consent-scopes-heading">
${scopes.map(
  (s) => html`<li><code>${s.name}</code>${s.description !== null ? html` <span class="scope-desc">${s.description}</span>` : ''}</li>
`,
)}</ul>`
      : '';

  const body = html`<div class="card">
<div class="connect" aria-hidden="true">${avatar(clientName, clientName, 'app')}<span class="dots">···</span>${logoMark}</div>
<h1 class="center">Authorize ${clientName}</h1>
<p class="subtitle center">${clientName} wants to access your Glossia account.</p>
<div class="account">${avatar(user.name, user.handle)}<p>Signed in as ${user.name} (@${user.handle}) · <a href="${opts.switchUserUrl}">Not you?</a></p></div>
${scopeBlock}
<form id="oauth-consent-form" method="post" action="/oauth/authorize">
${hiddenInputs}<input type="hidden" name="_csrf" value="${opts.csrfToken}">
<div class="actions">
<button type="submit" name="decision" value="approve">Authorize ${clientName}</button>
${opts.showDeny ? html`<button type="submit" name="decision" value="deny" class="secondary">Deny</button>` : ''}
</div>
</form>
<p class="fineprint">By authorizing, you allow this application to access your account.</p>
</div>`;

  return page({ title: `Authorize ${clientName}`, body, narrow: true });
}
