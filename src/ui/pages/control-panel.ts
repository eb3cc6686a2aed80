// The control panel at GET /_mock: the control API as a page, so QA can force error paths from a
// browser. Pure: returns a string. Every action is a POST form with the CSRF token; the handlers
// (src/control/panel.ts) redirect back with `?done=KEY`, shown here as a fixed message.

import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import type { Endpoint, FaultRule } from '../../faults/rules.js';
import type { JournalEntry } from '../../journal/journal.js';
import type { Counter } from '../../limits/rate-limiter.js';
import type { ExpireKind } from '../../control/time.js';

/** Page sections; the id of each is also the fragment the forms and redirects go back to. */
export type PanelSection = 'summary' | 'faults' | 'add-rule' | 'clock' | 'expire' | 'limits' | 'journal' | 'reset';

/** The messages a `?done=` key stands for: fixed text, so nothing from the request is reflected. */
export const PANEL_NOTICES = {
  'rule-added': { section: 'faults', message: 'Fault rule added. It applies to the next matching request.' },
  'rule-removed': { section: 'faults', message: 'Fault rule removed.' },
  'rules-cleared': { section: 'faults', message: 'All fault rules cleared: every request gets its normal answer again.' },
  'deny-authorize': { section: 'faults', message: 'The next authorization request will be denied with access_denied.' },
  'fail-refresh': { section: 'faults', message: 'The next refresh_token grant will fail with invalid_grant.' },
  'expire-code': { section: 'faults', message: 'The next authorization code exchange will fail as an expired code (invalid_grant).' },
  'fail-translate': { section: 'faults', message: 'The next POST /api/:handle/translate will fail with 502, as when the model provider fails.' },
  'rate-limit-api': { section: 'faults', message: 'The API now answers 429 Too Many Requests until you remove the rule.' },
  'clock-advanced': { section: 'clock', message: 'Clock moved. Tokens, codes and rate-limit windows follow it.' },
  'clock-reset': { section: 'clock', message: 'Clock back to this machine’s time.' },
  'credential-expired': { section: 'expire', message: 'Expired: its next use fails the way an expired credential does.' },
  'limits-reset': { section: 'limits', message: 'Rate-limit windows reset: every counter starts from zero.' },
  reset: { section: 'summary', message: 'Back to the fixtures: data, clients, tokens, fault rules, rate-limit windows, journal and clock were reset.' },
} as const satisfies Record<string, { section: PanelSection; message: string }>;
export type PanelNotice = keyof typeof PANEL_NOTICES;

export const isPanelNotice = (key: unknown): key is PanelNotice => typeof key === 'string' && Object.hasOwn(PANEL_NOTICES, key);

/** A one-click rule ("Deny next authorization"); its spec lives with the handlers. */
export interface PanelPreset {
  id: PanelNotice;
  label: string;
  hint: string;
}

/** The add-rule form's fields, as typed (re-shown after an error). */
export interface RuleForm {
  endpoint: string;
  error: string;
  status: string;
  delay_ms: string;
  drop: string;
  times: string;
  times_count: string;
  client_id: string;
  user: string;
  grant_type: string;
  path: string;
  tool: string;
  probability: string;
  seed: string;
}

export const EMPTY_RULE_FORM: RuleForm = {
  endpoint: 'authorize',
  error: '',
  status: '',
  delay_ms: '',
  drop: '',
  times: 'once',
  times_count: '',
  client_id: '',
  user: '',
  grant_type: '',
  path: '',
  tool: '',
  probability: '',
  seed: '',
};

export interface ControlPanelView {
  issuer: string;
  profile: string;
  /** Store file, or "memory". */
  store: string;
  clock: { now: string; offset: number };
  endpoints: readonly Endpoint[];
  rules: readonly FaultRule[];
  presets: readonly PanelPreset[];
  rateLimiting: boolean;
  counters: readonly Counter[];
  /** Newest first, at most 50. */
  journal: readonly JournalEntry[];
  /** client_id → name, for the clients the journal mentions. */
  clientNames: ReadonlyMap<string, string>;
  /** The journal is filtered to this flow. */
  flow: string | null;
  /** Fixture user handles and known client ids, offered as suggestions in the rule form. */
  users: readonly string[];
  clientIds: readonly string[];
  csrfToken: string;
  done?: PanelNotice | undefined;
  error?: { section: PanelSection; message: string } | undefined;
  ruleForm?: RuleForm | undefined;
  clockSeconds?: string | undefined;
  expireKind?: ExpireKind | undefined;
}

const ENDPOINT_PATHS: Readonly<Record<Endpoint, string>> = {
  register: 'POST /oauth/register',
  authorize: '/oauth/authorize',
  token: 'POST /oauth/token',
  revoke: 'POST /oauth/revoke',
  introspect: 'POST /oauth/introspect',
  device_authorization: 'POST /oauth/device_authorization',
  device: '/oauth/device (browser)',
  discovery: '/.well-known/… metadata',
  jwks: '/.well-known/jwks.json',
  api: '/api/…',
  mcp: '/mcp, /admin/mcp (MCP)',
};

const ERROR_GROUPS: readonly (readonly [string, readonly string[]])[] = [
  [
    'Authorization and token endpoints',
    [
      'access_denied',
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'invalid_scope',
      'unauthorized_client',
      'unsupported_grant_type',
      'unsupported_response_type',
      'server_error',
      'temporarily_unavailable',
    ],
  ],
  ['Registration', ['invalid_client_metadata', 'invalid_redirect_uri']],
  ['Device flow polling', ['authorization_pending', 'slow_down', 'expired_token']],
  ['REST API', ['invalid_token', 'insufficient_scope', 'not_authorized', 'too_many_requests']],
  ['MCP tool errors (mcp)', ['not_found']],
];

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'];

export const EXPIRE_LABELS: Readonly<Record<ExpireKind, string>> = {
  access_token: 'Access token',
  refresh_token: 'Refresh token',
  code: 'Authorization code',
  device_code: 'Device code',
};

/** "+1 h", "−2 d 3 h", "+1 min 30 s"; "none" for 0. */
export function formatOffset(seconds: number): string {
  const total = Math.round(Math.abs(seconds));
  if (total === 0) return 'none';
  const parts: string[] = [];
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  let rest = total;
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${unit}`);
  }
  return `${seconds < 0 ? '−' : '+'}${parts.join(' ')}`;
}

/** "2025-06-01T10:00:00.123000Z" → "2025-06-01 10:00:00 UTC". */
const readableTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

function describeWhat(r: FaultRule): SafeHtml[] {
  const out: SafeHtml[] = [];
  if (r.error !== undefined) out.push(html`<code>${r.error}</code>`);
  if (r.status !== undefined) out.push(html`HTTP ${r.status}`);
  if (r.drop) out.push(html`drop the connection`);
  if (r.delay_ms !== undefined) out.push(html`delay ${r.delay_ms} ms`);
  return out.flatMap((part, i) => (i === 0 ? [part] : [html` · `, part]));
}

function describeHowOften(r: FaultRule): string {
  const times = r.times === undefined || r.times === null ? 'until cleared' : r.times === 1 ? 'once' : `${r.times} times`;
  if (r.probability === undefined) return times;
  return `${times}, with probability ${r.probability} (seed ${r.seed ?? 0})`;
}

const spent = (r: FaultRule) => r.times !== undefined && r.times !== null && r.fired >= r.times;

function filtersOf(r: FaultRule): SafeHtml {
  const filters = (['path', 'tool', 'client_id', 'user', 'grant_type'] as const).filter((k) => r[k] !== undefined);
  if (filters.length === 0) return html`<span class="muted">any request</span>`;
  return html`<ul>${filters.map((k) => html`<li><code>${k}=${r[k]}</code></li>`)}</ul>`;
}

function statusPill(status: number | 'dropped'): SafeHtml {
  const tone = status === 'dropped' || status >= 500 ? 'pill bad' : status >= 400 ? 'pill warn' : status >= 300 ? 'pill' : 'pill public';
  return html`<span class="${tone}">${status}</span>`;
}

function csrf(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function controlPanelPage(v: ControlPanelView): string {
  const token = v.csrfToken;
  const notice = v.done ? PANEL_NOTICES[v.done] : undefined;
  /** The flash notice and the error of one section, at its top. */
  const messages = (section: PanelSection) => html`${
    notice && notice.section === section ? html`<div class="notice ok" role="status"><p>${notice.message}</p></div>` : ''
  }${v.error && v.error.section === section ? html`<div class="alert" role="alert"><p>${v.error.message}</p></div>` : ''}`;

  const offset = v.clock.offset;
  const offsetText = formatOffset(offset);
  const clockLine = html`<time datetime="${v.clock.now}">${readableTime(v.clock.now)}</time> ${
    offset === 0 ? html`<span class="muted">(machine time)</span>` : html`<span class="pill warn">${offsetText}</span>`
  }`;

  const summary = html`<div class="card" id="summary">
<h1>Control panel</h1>
<p class="subtitle">Force error paths, move time and watch requests on this glossia-mock instance. Changes apply at once, to every client of this mock.</p>
${messages('summary')}
<dl class="grid">
<div><dt>Issuer</dt><dd><code>${v.issuer}</code></dd></div>
<div><dt>Profile</dt><dd>${v.profile}</dd></div>
<div><dt>Store</dt><dd>${v.store}</dd></div>
<div><dt>Clock</dt><dd>${clockLine}</dd></div>
</dl>
<nav aria-label="Panel sections"><ul class="toc">
<li><a href="#faults">Fault rules (${v.rules.length})</a></li>
<li><a href="#add-rule">Add a rule</a></li>
<li><a href="#time">Clock and expiry</a></li>
<li><a href="#limits">Rate limits</a></li>
<li><a href="#journal">Requests</a></li>
<li><a href="/_mock/panel/report">Client report</a></li>
<li><a href="#reset">Reset</a></li>
<li><a href="/">Home</a></li>
</ul></nav>
</div>`;

  const ruleRows =
    v.rules.length > 0
      ? v.rules.map(
          (r) => html`<tr id="fault-${r.id}">
<th scope="row"><code>${r.endpoint}</code></th>
<td>${filtersOf(r)}</td>
<td>${describeWhat(r)}</td>
<td>${describeHowOften(r)}${spent(r) ? html` <span class="pill">used up</span>` : ''}</td>
<td>${r.fired}</td>
<td><form method="post" action="/_mock/panel/faults/remove#faults">${csrf(token)}<input type="hidden" name="id" value="${r.id}"><button type="submit" class="secondary small" aria-label="Remove rule ${r.id}">Remove</button></form></td>
</tr>
`,
        )
      : html`<tr><td colspan="6" class="muted">No fault rules: every request gets its normal answer.</td></tr>
`;

  const faults = html`<section class="card" id="faults" aria-labelledby="faults-h">
<div class="head"><h2 id="faults-h">Fault rules</h2>${
    v.rules.length > 0
      ? html`<form method="post" action="/_mock/panel/faults/clear#faults">${csrf(token)}<button type="submit" class="secondary small">Clear all rules</button></form>`
      : ''
  }</div>
${messages('faults')}
<form method="post" action="/_mock/panel/faults/preset#faults">${csrf(token)}
<div class="quick" role="group" aria-label="Quick faults">
${v.presets.map((p) => html`<button type="submit" class="secondary" name="preset" value="${p.id}">${p.label}<small class="muted">${p.hint}</small></button>
`)}</div>
</form>
<div class="table-wrap" role="region" aria-labelledby="faults-caption" tabindex="0">
<table>
<caption id="faults-caption">Active rules, first match wins</caption>
<thead><tr><th scope="col">Endpoint</th><th scope="col">Filters</th><th scope="col">What</th><th scope="col">How often</th><th scope="col">Fired</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
${ruleRows}</tbody>
</table>
</div>
</section>`;

  const f = v.ruleForm ?? EMPTY_RULE_FORM;
  const selected = (on: boolean) => (on ? html` selected` : '');
  const checked = (on: boolean) => (on ? html` checked` : '');
  const text = (id: string, name: keyof RuleForm, label: string, attrs: SafeHtml | string = '', list?: string) =>
    html`<div class="field"><label for="${id}">${label}</label><input type="text" id="${id}" name="${name}" value="${f[name]}"${
      list ? html` list="${list}"` : ''
    } autocomplete="off" spellcheck="false"${attrs}></div>`;
  const number = (id: string, name: keyof RuleForm, label: string, min: number, max: number, step = '1', hint = '') =>
    html`<div class="field"><label for="${id}">${label}</label><input type="number" id="${id}" name="${name}" value="${f[name]}" min="${min}" max="${max}" step="${step}"${
      hint ? html` placeholder="${hint}"` : ''
    }></div>`;

  const addRule = html`<section class="card" id="add-rule" aria-labelledby="add-rule-h">
<h2 id="add-rule-h">Add fault rule</h2>
<p class="muted small">A forced error is delivered the way Glossia delivers it at that endpoint: a redirect to the client at /oauth/authorize, JSON at the OAuth endpoints, the API’s own 401/403/429 bodies.</p>
${messages('add-rule')}
<form method="post" action="/_mock/panel/faults#add-rule">${csrf(token)}
<fieldset>
<legend>Where</legend>
<div class="fields">
<div class="field"><label for="rule-endpoint">Endpoint</label><select id="rule-endpoint" name="endpoint" required>
${v.endpoints.map((e) => html`<option value="${e}"${selected(f.endpoint === e)}>${e} — ${ENDPOINT_PATHS[e]}</option>
`)}</select></div>
${text('rule-client', 'client_id', 'Only for client_id', '', 'panel-clients')}
${text('rule-user', 'user', 'Only for user (handle)', '', 'panel-users')}
${text('rule-grant', 'grant_type', 'Only for grant_type', '', 'panel-grants')}
${text('rule-path', 'path', 'Only for API path (api)', html` placeholder="/api/*/projects"`)}
${text('rule-tool', 'tool', 'Only for MCP tool (mcp)', html` placeholder="list_projects"`)}
</div>
</fieldset>
<fieldset>
<legend>What</legend>
<div class="fields">
<div class="field"><label for="rule-error">Error code</label><select id="rule-error" name="error">
<option value=""${selected(f.error === '')}>None</option>
${ERROR_GROUPS.map(
  ([group, codes]) => html`<optgroup label="${group}">${codes.map((c) => html`<option${selected(f.error === c)}>${c}</option>`)}</optgroup>
`,
)}</select></div>
${number('rule-status', 'status', 'HTTP status (optional)', 400, 599, '1', 'e.g. 503')}
${number('rule-delay', 'delay_ms', 'Delay (ms, optional)', 0, 120000, '1', 'e.g. 800')}
<div class="check"><input type="checkbox" id="rule-drop" name="drop" value="yes"${checked(f.drop === 'yes')}><label for="rule-drop">Drop the connection (no answer)</label></div>
</div>
</fieldset>
<fieldset>
<legend>How often</legend>
<div class="fields">
<fieldset>
<legend>Times</legend>
<div class="check"><input type="radio" id="rule-once" name="times" value="once"${checked(f.times === 'once')}><label for="rule-once">Once</label></div>
<div class="check"><input type="radio" id="rule-count" name="times" value="count"${checked(f.times === 'count')}><label for="rule-count">This many times:</label>
<label for="rule-times-count" class="sr-only">Number of times</label><span class="field"><input type="number" id="rule-times-count" name="times_count" value="${f.times_count}" min="1" max="1000000" step="1" class="count"></span></div>
<div class="check"><input type="radio" id="rule-sticky" name="times" value="sticky"${checked(f.times === 'sticky')}><label for="rule-sticky">Until cleared</label></div>
</fieldset>
${number('rule-probability', 'probability', 'Probability (0–1, optional)', 0, 1, 'any', 'e.g. 0.5')}
${number('rule-seed', 'seed', 'Seed (repeatable dice)', 0, 4294967295, '1', '0')}
</div>
</fieldset>
<datalist id="panel-clients">${v.clientIds.map((c) => html`<option value="${c}"></option>`)}</datalist>
<datalist id="panel-users">${v.users.map((u) => html`<option value="${u}"></option>`)}</datalist>
<datalist id="panel-grants">${GRANT_TYPES.map((g) => html`<option value="${g}"></option>`)}</datalist>
<button type="submit">Add fault rule</button>
</form>
</section>`;

  const clock = html`<section class="card" id="clock" aria-labelledby="clock-h">
<h2 id="clock-h">Clock</h2>
${messages('clock')}
<p>Mock time: ${clockLine}</p>
<form method="post" action="/_mock/panel/clock#clock">${csrf(token)}
<div class="field"><label for="clock-seconds">Advance by seconds (negative goes back)</label>
<div class="row"><input type="number" id="clock-seconds" name="seconds" value="${v.clockSeconds ?? ''}" step="1" required placeholder="3600" class="count"><button type="submit">Advance</button></div></div>
<div class="row" role="group" aria-label="Quick advance">
<button type="submit" class="secondary small" name="quick" value="60" formnovalidate>+1 min</button>
<button type="submit" class="secondary small" name="quick" value="3600" formnovalidate>+1 h</button>
<button type="submit" class="secondary small" name="quick" value="86400" formnovalidate>+1 day</button>
</div>
</form>
${
  offset !== 0
    ? html`<form method="post" action="/_mock/panel/clock/reset#clock">${csrf(token)}<button type="submit" class="secondary small">Back to machine time</button></form>`
    : ''
}
</section>`;

  const expire = html`<section class="card" id="expire" aria-labelledby="expire-h">
<h2 id="expire-h">Expire a token</h2>
<p class="muted small">Makes one credential this mock issued expire now; nothing else changes.</p>
${messages('expire')}
<form method="post" action="/_mock/panel/expire#expire">${csrf(token)}
<div class="fields">
<div class="field"><label for="expire-kind">Kind</label><select id="expire-kind" name="kind">
${(Object.keys(EXPIRE_LABELS) as ExpireKind[]).map((k) => html`<option value="${k}"${selected((v.expireKind ?? 'access_token') === k)}>${EXPIRE_LABELS[k]}</option>`)}
</select></div>
<div class="field"><label for="expire-value">Value</label><input type="text" id="expire-value" name="value" required autocomplete="off" spellcheck="false"></div>
</div>
<button type="submit">Expire now</button>
</form>
</section>`;

  const time = html`<div class="grid" id="time">
${clock}
${expire}
</div>`;

  const counterRows =
    v.counters.length > 0
      ? v.counters.map(
          (c) => html`<tr><th scope="row"><code>${c.bucket}</code></th><td>${c.count} / ${c.limit}</td><td>${
            c.remaining === 0 ? html`<span class="pill bad">0</span>` : c.remaining
          }</td><td>${c.window} s</td><td>${c.resets_in} s</td></tr>
`,
        )
      : html`<tr><td colspan="5" class="muted">${
          v.rateLimiting ? 'No requests counted in the current windows.' : 'Rate limiting is off for this instance (--rate-limits off).'
        }</td></tr>
`;

  const limits = html`<section class="card" id="limits" aria-labelledby="limits-h">
<div class="head"><h2 id="limits-h">Rate limits</h2>${
    v.rateLimiting
      ? html`<form method="post" action="/_mock/panel/rate-limits/reset#limits">${csrf(token)}<button type="submit" class="secondary small">Reset windows</button></form>`
      : ''
  }</div>
${messages('limits')}
<div class="table-wrap" role="region" aria-labelledby="limits-caption" tabindex="0">
<table>
<caption id="limits-caption">Current windows</caption>
<thead><tr><th scope="col">Bucket</th><th scope="col">Used</th><th scope="col">Remaining</th><th scope="col">Window</th><th scope="col">Resets in</th></tr></thead>
<tbody>
${counterRows}</tbody>
</table>
</div>
</section>`;

  const ruleIds = new Set(v.rules.map((r) => r.id));
  const journalRows =
    v.journal.length > 0
      ? v.journal.map(
          (e) => html`<tr>
<td><time datetime="${e.time}">${e.time.slice(11, 19)}</time></td>
<td>${e.method}</td>
<th scope="row"><code>${e.path}</code>${e.tool ? html` <code>${e.tool}</code>` : ''}</th>
<td>${statusPill(e.status)}</td>
<td>${e.client_id === null ? html`<span class="muted">—</span>` : (v.clientNames.get(e.client_id) ?? html`<code>${e.client_id}</code>`)}</td>
<td>${e.user ?? html`<span class="muted">—</span>`}</td>
<td>${
            e.fault === null
              ? html`<span class="muted">—</span>`
              : ruleIds.has(e.fault)
                ? html`<a href="#fault-${e.fault}" aria-label="Rule ${e.fault.slice(0, 8)}"><code>${e.fault.slice(0, 8)}</code></a>`
                : html`<code>${e.fault.slice(0, 8)}</code>`
          }</td>
<td>${
            e.flow === null
              ? html`<span class="muted">—</span>`
              : html`<a href="/_mock?flow=${encodeURIComponent(e.flow)}#journal" aria-label="Only flow ${e.flow.slice(0, 8)}"><code>${e.flow.slice(0, 8)}</code></a>`
          }</td>
</tr>
`,
        )
      : html`<tr><td colspan="8" class="muted">${v.flow ? 'No requests in this flow.' : 'No requests yet.'}</td></tr>
`;

  const journal = html`<section class="card" id="journal" aria-labelledby="journal-h">
<div class="head"><h2 id="journal-h">Requests</h2><a href="/_mock#journal" class="small">Refresh</a></div>
${
  v.flow
    ? html`<p class="small">Showing the requests of flow <code>${v.flow}</code> only. <a href="/_mock#journal">Show all requests</a></p>`
    : html`<p class="muted small">The latest 50 requests, newest first; secrets are cut short. A flow links the requests of one grant: authorize → token → refresh → API.</p>`
}
<div class="table-wrap" role="region" aria-labelledby="journal-caption" tabindex="0">
<table class="compact">
<caption id="journal-caption">${v.flow ? 'Requests in this flow' : 'Recent requests'}</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th><th scope="col">Client</th><th scope="col">User</th><th scope="col">Fault</th><th scope="col">Flow</th></tr></thead>
<tbody>
${journalRows}</tbody>
</table>
</div>
</section>`;

  const reset = html`<section class="card" id="reset" aria-labelledby="reset-h">
<h2 id="reset-h">Reset to fixtures</h2>
<p class="muted small">Re-seeds Glossia’s data and forgets registered clients, codes, tokens, fault rules, rate-limit windows, the journal and the clock offset. The signing key stays.</p>
${messages('reset')}
<form method="post" action="/_mock/panel/reset#reset">${csrf(token)}
<div class="check"><input type="checkbox" id="reset-confirm" name="confirm" value="yes" required><label for="reset-confirm">Yes, reset this mock to its fixtures</label></div>
<button type="submit" class="danger">Reset to fixtures</button>
</form>
</section>`;

  const body = html`${summary}
${faults}
${addRule}
${time}
${limits}
${journal}
${reset}`;

  return page({ title: 'Control panel', body });
}
