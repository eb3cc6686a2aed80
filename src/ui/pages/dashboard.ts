// The account dashboard's shell (header menu, sidebar) and its overview, not-found and
// expired-form pages. Pure: every function returns a string or SafeHtml.

import { avatar } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import type { Profile } from '../../profiles.js';
import type { LoginUser } from './login.js';

/** The wording that differs between the guide and the server. */
export type DashboardLabels = Profile['dashboardLabels'];

/** An account as the dashboard shows it. */
export interface DashAccount {
  handle: string;
  /** Display name: the organization's name, or the owner's name for a personal account. */
  name: string;
  personal: boolean;
  /** The signed-in user is an admin of it (may manage its OAuth apps). */
  admin: boolean;
}

/** Everything the dashboard chrome needs: who is signed in, where, and which item is current. */
export interface DashChrome {
  user: LoginUser;
  accounts: DashAccount[];
  account: DashAccount;
  labels: DashboardLabels;
  csrfToken: string;
  current: 'overview' | 'apps';
}

export const appsPath = (handle: string): string => `/${encodeURIComponent(handle)}/-/settings/apps`;
export const appPath = (handle: string, id: string): string => `${appsPath(handle)}/${encodeURIComponent(id)}`;
export const accountPath = (handle: string): string => `/${encodeURIComponent(handle)}`;

/** Jan 20, 2026 (UTC) for an ISO timestamp. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** The signed-in user's menu in the site header: dashboard link, who, sign out. */
export function userMenu(user: LoginUser, csrfToken: string): SafeHtml {
  return html`<nav class="top" aria-label="Account">
<a href="/dashboard">Dashboard</a>
<span class="me">${avatar(user.name, user.handle, 'sm')}<span>${user.name}</span></span>
<form method="post" action="/auth/logout"><input type="hidden" name="_csrf" value="${csrfToken}"><button type="submit" class="secondary small">Sign out</button></form>
</nav>`;
}

function sidebar(c: DashChrome): SafeHtml {
  const current = (on: boolean) => (on ? html` aria-current="page"` : '');
  const accounts = c.accounts.map(
    (a) => html`<li><a href="${accountPath(a.handle)}"${a.handle === c.account.handle ? html` aria-current="true"` : ''}>${avatar(
      a.name,
      a.handle,
      'sm',
    )}<span>${a.name}<span class="side-meta">${a.personal ? 'Personal' : `@${a.handle}`}</span></span></a></li>
`,
  );
  return html`<nav class="side" aria-label="Dashboard">
<p class="side-label" id="side-accounts">Accounts</p>
<ul aria-labelledby="side-accounts">
${accounts}</ul>
<p class="side-label" id="side-account">Account</p>
<ul aria-labelledby="side-account">
<li><a href="${accountPath(c.account.handle)}"${current(c.current === 'overview')}>Overview</a></li>
</ul>
${
  c.account.admin
    ? html`<p class="side-label" id="side-group">${c.labels.sidebarGroup}</p>
<ul aria-labelledby="side-group">
<li><a href="${appsPath(c.account.handle)}"${current(c.current === 'apps')}>OAuth apps</a></li>
</ul>`
    : ''
}
</nav>`;
}

/** A dashboard page: header menu, sidebar, and the content. */
export function dashboardPage(c: DashChrome, title: string, content: SafeHtml): string {
  const body = html`<div class="dash">
${sidebar(c)}
<div class="dash-main">
${content}
</div>
</div>`;
  return page({ title, body, wide: true, header: userMenu(c.user, c.csrfToken) });
}

export interface OverviewProject {
  handle: string;
  name: string;
}

/** `/:handle`: the account's overview. */
export function accountOverviewPage(c: DashChrome, o: { projects: OverviewProject[]; appCount: number; role: string }): string {
  const a = c.account;
  const projects =
    o.projects.length > 0
      ? html`<ul class="links">
${o.projects.map((p) => html`<li><span>${p.name}</span> <code>${p.handle}</code></li>
`)}</ul>`
      : html`<p class="muted small">No projects yet.</p>`;
  const content = html`<div class="head">
<div class="account-inline">${avatar(a.name, a.handle)}<div><h1>${a.name}</h1><p class="subtitle">@${a.handle} · ${
    a.personal ? 'Personal account' : 'Organization'
  } · Your role: ${o.role}</p></div></div>
</div>
<div class="grid">
<section class="card" aria-labelledby="overview-projects">
<h2 id="overview-projects">Projects</h2>
${projects}
</section>
${
  a.admin
    ? html`<section class="card" aria-labelledby="overview-apps">
<h2 id="overview-apps">Login with Glossia</h2>
<p class="muted small">Register an OAuth application to let users sign in to your app with their Glossia account.</p>
<p class="small">${o.appCount === 1 ? '1 application registered.' : `${o.appCount} applications registered.`}</p>
<a class="btn secondary" href="${appsPath(a.handle)}">Manage OAuth apps</a>
</section>`
    : ''
}
</div>`;
  return dashboardPage(c, a.name, content);
}

/** A 404 page for dashboard URLs that do not exist or that the user may not see. */
export function dashboardNotFoundPage(user: LoginUser, csrfToken: string): string {
  const body = html`<div class="card center">
<h1>Page not found</h1>
<p class="subtitle">The page you are looking for does not exist, or you don’t have access to it.</p>
<a class="btn" href="/dashboard">Go to your dashboard</a>
</div>`;
  return page({ title: 'Page not found', body, narrow: true, header: userMenu(user, csrfToken) });
}

/** 403 for a dashboard form posted without a valid CSRF token. */
export function formExpiredPage(backTo: string): string {
  const body = html`<div class="card center">
<h1>This form has expired</h1>
<div class="alert" role="alert"><p>The form was open for too long or did not come from this site, so nothing was changed.</p></div>
<a class="btn" href="${backTo}">Go back and try again</a>
</div>`;
  return page({ title: 'Form expired', body, narrow: true });
}
