// The landing / dashboard page at "/". Pure: returns a string.

import { html } from '../html.js';
import { page } from '../layout.js';
import { avatar } from '../components.js';
import type { LoginUser } from './login.js';

export interface HomeClient {
  client_id: string;
  /** Fixture clients' secrets are fixed and public (CI configs hard-code them); null for public clients. */
  client_secret?: string | null;
  client_name: string;
  public: boolean;
  redirect_uris: string[];
}

export function homePage(opts: {
  issuer: string;
  profile: string;
  users: LoginUser[];
  clients: HomeClient[];
  signedInAs?: LoginUser | null;
  csrfToken: string;
}): string {
  const { users, clients, signedInAs } = opts;

  const session = signedInAs
    ? html`<div class="session">
<div class="account-inline">${avatar(signedInAs.name, signedInAs.handle)} <p>Signed in as ${signedInAs.name} (@${signedInAs.handle})</p></div>
<form method="post" action="/auth/logout">
<input type="hidden" name="_csrf" value="${opts.csrfToken}">
<button type="submit" class="secondary">Sign out</button>
</form>
</div>`
    : html`<p class="muted">Not signed in. You will be asked to pick a fixture user when an application starts an authorization request.</p>`;

  const userRows =
    users.length > 0
      ? users.map(
          (u) => html`<tr><th scope="row">${u.name}</th><td><code>${u.handle}</code></td><td>${u.email}</td></tr>
`,
        )
      : html`<tr><td colspan="3" class="muted">No fixture users.</td></tr>`;

  const clientRows =
    clients.length > 0
      ? clients.map(
          (c) => html`<tr><th scope="row">${c.client_name}</th><td><code>${c.client_id}</code>${
            c.client_secret ? html`<p class="small muted">secret <code class="secret">${c.client_secret}</code></p>` : ''
          }</td><td>${
            c.public ? html`<span class="pill public">Public</span>` : html`<span class="pill">Confidential</span>`
          }</td><td>${
            c.redirect_uris.length > 0
              ? html`<ul>${c.redirect_uris.map((u) => html`<li><code>${u}</code></li>`)}</ul>`
              : html`<span class="muted">None</span>`
          }</td></tr>
`,
        )
      : html`<tr><td colspan="4" class="muted">No pre-registered clients.</td></tr>`;

  const body = html`<div class="card">
<h1>glossia-mock</h1>
<p class="subtitle">A local mock of the Glossia identity provider for testing “Login with Glossia”.</p>
<div class="grid">
<section aria-labelledby="home-server">
<h2 id="home-server">Server</h2>
<dl>
<dt>Issuer</dt><dd><code>${opts.issuer}</code></dd>
<dt>Profile</dt><dd><code>${opts.profile}</code></dd>
<dt>Testing</dt><dd><a href="/_mock">Control panel</a> <span class="muted small">(force errors, move the clock, see requests)</span></dd>
</dl>
</section>
<section aria-labelledby="home-metadata">
<h2 id="home-metadata">Metadata</h2>
<ul class="links">
<li><a href="/.well-known/oauth-authorization-server">Discovery document</a> <span class="muted small">(/.well-known/oauth-authorization-server)</span></li>
<li><a href="/.well-known/jwks.json">JWKS</a> <span class="muted small">(/.well-known/jwks.json)</span></li>
</ul>
</section>
</div>
</div>
<section class="card" aria-labelledby="home-session">
<h2 id="home-session">Session</h2>
<p class="small">Register OAuth apps for “Login with Glossia” in the <a href="/dashboard">account dashboard</a>.</p>
${session}
</section>
<div class="card">
<div class="table-wrap" role="region" aria-labelledby="home-users" tabindex="0">
<table>
<caption id="home-users">Fixture users</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Handle</th><th scope="col">Email</th></tr></thead>
<tbody>
${userRows}</tbody>
</table>
</div>
</div>
<div class="card">
<div class="table-wrap" role="region" aria-labelledby="home-clients" tabindex="0">
<table>
<caption id="home-clients">Pre-registered clients</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Client ID</th><th scope="col">Type</th><th scope="col">Redirect URIs</th></tr></thead>
<tbody>
${clientRows}</tbody>
</table>
</div>
</div>`;

  const header = html`<nav class="top" aria-label="Account"><a href="/dashboard">Dashboard</a></nav>`;
  return page({ title: 'glossia-mock', body, ...(signedInAs ? { header } : {}) });
}
