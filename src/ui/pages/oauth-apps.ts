// The dashboard's OAuth application pages (reference 10): list, new-application form, an app's
// page, and the confirmation steps for regenerating the secret and deleting. Pure: return strings.

import { html, type SafeHtml } from '../html.js';
import { appPath, appsPath, dashboardPage, formatDate, type DashChrome } from './dashboard.js';

export interface AppRow {
  id: string;
  name: string;
  client_id: string;
  inserted_at: string;
}

/** The form's values as entered (or as stored, on an app's page). */
export interface AppFormValues {
  name: string;
  description: string;
  homepage_url: string;
  /** One text field; whitespace/comma-separated values become several redirect URIs. */
  redirect_uris: string;
}

export type AppFormErrors = Partial<Record<keyof AppFormValues, string[]>>;

/** A one-time message carried over a redirect; `created` and `regenerated` carry the secret. */
export type AppFlash =
  | { kind: 'created'; clientId: string; secret: string }
  | { kind: 'regenerated'; secret: string }
  | { kind: 'updated' }
  | { kind: 'deleted' }
  | { kind: 'failed'; message: string };

export const LIST_SUBTITLE = 'OAuth applications allow external services to access Glossia on behalf of users.';
export const NEW_DESCRIPTION = 'Allow users to sign in with Glossia or let an external service access the account.';
const SECRET_ONCE = 'Copy your client secret now. You will not be able to see it again.';

function readonlyValue(id: string, label: string, value: string): SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label><input type="text" id="${id}" class="mono" value="${value}" readonly spellcheck="false"></div>`;
}

function flashBlock(flash: AppFlash | undefined): SafeHtml | undefined {
  if (!flash) return undefined;
  switch (flash.kind) {
    case 'created':
      return html`<section class="notice ok" role="status" aria-labelledby="flash-title">
<h2 id="flash-title">Application registered</h2>
<p>${SECRET_ONCE}</p>
${readonlyValue('flash-client-id', 'Client ID', flash.clientId)}
${readonlyValue('flash-client-secret', 'Client secret', flash.secret)}
</section>`;
    case 'regenerated':
      return html`<section class="notice ok" role="status" aria-labelledby="flash-title">
<h2 id="flash-title">Client secret regenerated</h2>
<p>${SECRET_ONCE} The previous secret no longer works.</p>
${readonlyValue('flash-client-secret', 'Client secret', flash.secret)}
</section>`;
    case 'updated':
      return html`<div class="notice ok" role="status"><p>Application updated.</p></div>`;
    case 'deleted':
      return html`<div class="notice ok" role="status"><p>Application deleted.</p></div>`;
    case 'failed':
      return html`<div class="alert" role="alert"><p>${flash.message}</p></div>`;
  }
}

/** `/:handle/-/settings/apps` */
export function appsListPage(c: DashChrome, o: { apps: AppRow[]; flash?: AppFlash }): string {
  const h = c.account.handle;
  const list =
    o.apps.length > 0
      ? html`<div class="card">
<div class="table-wrap" role="region" aria-labelledby="apps-caption" tabindex="0">
<table>
<caption id="apps-caption">Registered applications</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Client ID</th><th scope="col">Created</th></tr></thead>
<tbody>
${o.apps.map(
  (a) => html`<tr><th scope="row"><a href="${appPath(h, a.id)}">${a.name}</a></th><td><code>${a.client_id}</code></td><td><time datetime="${a.inserted_at}">${formatDate(
    a.inserted_at,
  )}</time></td></tr>
`,
)}</tbody>
</table>
</div>
</div>`
      : html`<div class="card center">
<h2>No OAuth applications yet</h2>
<p class="muted">Register an OAuth application to let external services access your account.</p>
</div>`;
  const content = html`<div class="head">
<div><h1>${c.labels.listTitle}</h1><p class="subtitle">${LIST_SUBTITLE}</p></div>
<a class="btn" href="${appsPath(h)}/new">${c.labels.newButton}</a>
</div>
${flashBlock(o.flash)}
${list}`;
  return dashboardPage(c, c.labels.listTitle, content);
}

/** The API's message as a sentence about the field: "Application name can't be blank." */
function message(label: string, text: string): string {
  const uri = /^`(.*)` is invalid$/.exec(text)?.[1];
  if (uri !== undefined) return `${label} “${uri}” is invalid: use a full URL such as https://example.com/auth/callback.`;
  return `${label} ${text}.`;
}

function field(o: {
  id: string;
  name: keyof AppFormValues;
  label: string;
  values: AppFormValues;
  errors: AppFormErrors;
  type?: 'text' | 'url';
  required?: boolean;
  textarea?: boolean;
  hint?: string;
  placeholder?: string;
}): SafeHtml {
  const errors = o.errors[o.name] ?? [];
  const described = [o.hint ? `${o.id}-hint` : '', errors.length > 0 ? `${o.id}-error` : ''].filter(Boolean).join(' ');
  const attrs = html`id="${o.id}" name="${o.name}"${o.required ? html` required` : ''}${
    o.placeholder ? html` placeholder="${o.placeholder}"` : ''
  }${described ? html` aria-describedby="${described}"` : ''}${errors.length > 0 ? html` aria-invalid="true"` : ''}`;
  const control = o.textarea
    ? html`<textarea ${attrs} rows="3">${o.values[o.name]}</textarea>`
    : html`<input type="${o.type ?? 'text'}" ${attrs} value="${o.values[o.name]}"${o.name === 'name' ? html` maxlength="255"` : ''}${
        o.type === 'url' || o.name === 'redirect_uris' ? html` inputmode="url" spellcheck="false" autocomplete="off"` : ''
      }>`;
  return html`<div class="field">
<label for="${o.id}">${o.label}${o.required ? '' : html` <span class="muted">(optional)</span>`}</label>
${control}
${o.hint ? html`<p class="hint" id="${o.id}-hint">${o.hint}</p>` : ''}
${errors.length > 0 ? html`<p class="error" id="${o.id}-error" role="alert">${errors.map((e) => message(o.label, e)).join(' ')}</p>` : ''}
</div>`;
}

function appFields(c: DashChrome, values: AppFormValues, errors: AppFormErrors): SafeHtml {
  const common = { values, errors };
  return html`${field({ ...common, id: 'app-name', name: 'name', label: 'Application name', required: true, placeholder: 'Internal dashboard' })}
${field({ ...common, id: 'app-description', name: 'description', label: 'Description', textarea: true })}
${field({ ...common, id: 'app-homepage', name: 'homepage_url', label: 'Homepage URL', type: 'url', placeholder: 'https://example.com' })}
${field({
  ...common,
  id: 'app-callback',
  name: 'redirect_uris',
  label: c.labels.callbackLabel,
  required: true,
  placeholder: 'https://example.com/auth/callback',
  hint: 'Where Glossia sends users back after they authorize your app (also called redirect URI). Separate several URLs with spaces or commas.',
})}`;
}

function errorSummary(errors: AppFormErrors, what: string): SafeHtml | '' {
  return Object.keys(errors).length > 0
    ? html`<div class="alert"><p>Could not ${what} application. Check the fields marked below.</p></div>`
    : '';
}

/** `/:handle/-/settings/apps/new` (and the same form re-rendered with errors). */
export function newAppPage(c: DashChrome, o: { values: AppFormValues; errors: AppFormErrors }): string {
  const h = c.account.handle;
  const content = html`<p class="small"><a href="${appsPath(h)}"><span aria-hidden="true">←</span> ${c.labels.listTitle}</a></p>
<h1>${c.labels.newTitle}</h1>
<p class="subtitle">${NEW_DESCRIPTION}</p>
${errorSummary(o.errors, 'create')}
<form class="card" method="post" action="${appsPath(h)}">
<input type="hidden" name="_csrf" value="${c.csrfToken}">
${appFields(c, o.values, o.errors)}
<div class="bar"><a class="btn secondary" href="${appsPath(h)}">Cancel</a><button type="submit">${c.labels.submit}</button></div>
</form>`;
  return dashboardPage(c, c.labels.newTitle, content);
}

/** `/:handle/-/settings/apps/:id`: credentials, details form, danger zone. */
export function appPage(
  c: DashChrome,
  o: { app: AppRow; values: AppFormValues; errors: AppFormErrors; flash?: AppFlash },
): string {
  const h = c.account.handle;
  const self = appPath(h, o.app.id);
  const content = html`<p class="small"><a href="${appsPath(h)}"><span aria-hidden="true">←</span> ${c.labels.listTitle}</a></p>
<h1>${o.app.name}</h1>
<p class="subtitle">Registered on <time datetime="${o.app.inserted_at}">${formatDate(o.app.inserted_at)}</time></p>
${flashBlock(o.flash)}
<section class="card" aria-labelledby="app-credentials">
<h2 id="app-credentials">Credentials</h2>
${readonlyValue('app-client-id', 'Client ID', o.app.client_id)}
<p class="muted small">The client secret is only shown when it is created. If it was lost, generate a new one; existing integrations using the current secret will stop working.</p>
<a class="btn secondary" href="${self}/regenerate-secret">Regenerate client secret</a>
</section>
${errorSummary(o.errors, 'update')}
<form class="card" method="post" action="${self}" aria-labelledby="app-details">
<h2 id="app-details">Application details</h2>
<input type="hidden" name="_csrf" value="${c.csrfToken}">
${appFields(c, o.values, o.errors)}
<div class="bar"><button type="submit">Save changes</button></div>
</form>
<section class="card danger" aria-labelledby="app-danger">
<h2 id="app-danger">Danger zone</h2>
<p class="muted small">Deleting this application revokes every token issued through it. Apps using its client ID can no longer sign users in.</p>
<a class="btn danger" href="${self}/delete">Delete application</a>
</section>`;
  return dashboardPage(c, o.app.name, content);
}

/** The confirmation step (no JavaScript): a page with one POST form. */
export function confirmAppActionPage(c: DashChrome, o: { app: AppRow; action: 'delete' | 'regenerate' }): string {
  const self = appPath(c.account.handle, o.app.id);
  const del = o.action === 'delete';
  const title = del ? `Delete ${o.app.name}?` : 'Regenerate client secret?';
  const content = html`<p class="small"><a href="${self}"><span aria-hidden="true">←</span> ${o.app.name}</a></p>
<div class="card${del ? ' danger' : ''}">
<h1>${title}</h1>
${
  del
    ? html`<p>Are you sure you want to delete this application? This action cannot be undone.</p>
<p class="muted small">Every token issued through it stops working, and its client ID can no longer sign users in.</p>`
    : html`<p>Are you sure? Existing integrations using the current secret will stop working.</p>
<p class="muted small">The new secret is shown once, on the next page.</p>`
}
<form method="post" action="${self}/${del ? 'delete' : 'regenerate-secret'}">
<input type="hidden" name="_csrf" value="${c.csrfToken}">
<div class="bar"><a class="btn secondary" href="${self}">Cancel</a><button type="submit"${del ? html` class="danger"` : ''}>${
    del ? 'Delete application' : 'Regenerate client secret'
  }</button></div>
</form>
</div>`;
  return dashboardPage(c, title, content);
}
