// Shown for authorization requests that cannot safely be redirected back to the client
// (unknown client_id, unregistered redirect_uri). Pure: returns a string.

import { html } from '../html.js';
import { page } from '../layout.js';

export function errorPage(opts: { status: number; error: string; description: string }): string {
  const body = html`<div class="card">
<h1>Authorization error</h1>
<div class="alert" role="alert">
<p>Sorry, we couldn’t complete this sign-in request.</p>
<p>Error: <code>${opts.error}</code></p>
${opts.description ? html`<p>${opts.description}</p>` : ''}
</div>
<p class="muted small">The application sent an invalid authorization request, so you were not redirected back to it.</p>
<p class="muted small">HTTP status ${opts.status}</p>
</div>`;

  return page({ title: 'Authorization error', body, narrow: true });
}
