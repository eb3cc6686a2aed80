// The device verification page (reference 7.2): enter the code shown on the device, then
// authorize or deny it. Pure: returns a string.
import { html } from '../html.js';
import { page, logoMark } from '../layout.js';
import type { ConsentScope } from './consent.js';

export type DeviceState =
  | { kind: 'none' }
  | { kind: 'message'; tone: 'error' | 'success'; text: string }
  | { kind: 'pending'; clientName: string; scopes: ConsentScope[] }
  | { kind: 'approved'; clientName: string; scopes: ConsentScope[] };

export function devicePage(opts: { userCode: string; csrfToken: string; state: DeviceState; signedInAs: string }): string {
  const { state } = opts;
  const scopes = (list: ConsentScope[]) =>
    list.length === 0
      ? ''
      : html`<h2 id="device-scopes-heading">Requested permissions:</h2>
<ul class="scopes" aria-labelledby="device-scopes-heading">${list.map(
          (s) => html`<li><code>${s.name}</code>${s.description !== null ? html` <span class="scope-desc">${s.description}</span>` : ''}</li>`,
        )}</ul>`;
  const decision = (value: string, label: string, cls: string) => html`<form method="post" action="/oauth/device/confirm">
<input type="hidden" name="_csrf" value="${opts.csrfToken}">
<input type="hidden" name="user_code" value="${opts.userCode}">
<input type="hidden" name="decision" value="${value}">
<button type="submit"${cls ? html` class="${cls}"` : ''}>${label}</button>
</form>`;

  let details = html``;
  if (state.kind === 'message')
    details = html`<div class="${state.tone === 'error' ? 'alert' : 'notice'}" role="${state.tone === 'error' ? 'alert' : 'status'}"><p>${state.text}</p></div>`;
  else if (state.kind === 'pending')
    details = html`<p>App: <strong>${state.clientName}</strong></p>
${scopes(state.scopes)}
<div class="actions">${decision('approve', 'Authorize device', '')}${decision('deny', 'Deny', 'secondary')}</div>`;
  else if (state.kind === 'approved')
    details = html`<p>App: <strong>${state.clientName}</strong></p>
${scopes(state.scopes)}
<div class="notice" role="status"><p>This device has already been authorized.</p></div>`;

  const body = html`<div class="card">
<div class="connect" aria-hidden="true">${logoMark}</div>
<h1 class="center">Authorize a device</h1>
<p class="subtitle center">Enter the code shown in your mobile app to continue.</p>
<p class="small center muted">Signed in as ${opts.signedInAs}</p>
<form method="post" action="/oauth/device">
<input type="hidden" name="_csrf" value="${opts.csrfToken}">
<label for="user-code">Code</label>
<input type="text" id="user-code" name="user_code" placeholder="ABCD-EFGH" value="${opts.userCode}" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required>
<div class="actions"><button type="submit">Continue</button></div>
</form>
${details}
</div>`;
  return page({ title: 'Authorize a device', body, narrow: true });
}
