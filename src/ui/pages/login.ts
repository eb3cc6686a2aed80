// The fixture-user picker shown instead of a password form. Pure: returns a string.

import { html } from '../html.js';
import { page } from '../layout.js';
import { avatar } from '../components.js';

export interface LoginUser {
  handle: string;
  name: string;
  email: string;
}

export function loginPage(opts: {
  users: LoginUser[];
  csrfToken: string;
  returnTo: string;
  selected?: string;
  clientName?: string;
  error?: string;
}): string {
  const { users } = opts;
  const selected = users.some((u) => u.handle === opts.selected) ? opts.selected : users[0]?.handle;

  const choices = users.map(
    (u, i) => html`<div class="choice">
<input type="radio" id="login-user-${i}" name="handle" value="${u.handle}"${u.handle === selected ? html` checked` : ''} required>
<label for="login-user-${i}">${avatar(u.name, u.handle)}<span class="choice-text"><span class="choice-name">${u.name}</span> <span class="choice-meta">@${u.handle} · ${u.email}</span></span></label>
</div>`,
  );

  const body = html`<div class="card">
<h1>Log in to Glossia</h1>
${
  opts.clientName
    ? html`<p class="subtitle">Welcome back. Sign in to continue to <strong>${opts.clientName}</strong>.</p>`
    : html`<p class="subtitle">Welcome back. Choose who you are to continue.</p>`
}
<div class="notice" role="note"><p><strong>This is a mock.</strong> There are no passwords: pick one of the fixture users below to sign in as them.</p></div>
${opts.error ? html`<div class="alert" role="alert"><p>${opts.error}</p></div>` : ''}
<form method="post" action="/auth/login">
<input type="hidden" name="_csrf" value="${opts.csrfToken}">
<input type="hidden" name="return_to" value="${opts.returnTo}">
<fieldset>
<legend>Sign in as</legend>
${
  users.length > 0
    ? html`<div class="choices">
${choices}
</div>`
    : html`<p class="muted small">No fixture users are configured. Add users to the fixture file and restart glossia-mock.</p>`
}
</fieldset>
<div class="actions"><button type="submit"${users.length === 0 ? html` disabled` : ''}>Continue</button></div>
</form>
</div>`;

  return page({ title: 'Log in to Glossia', body, narrow: true });
}
