// The conformance report as a page of the control panel (GET /_mock/panel/report): one section per
// client, failing and warning checks with their evidence first, each piece of evidence linked to
// the journal's view of its flow. Pure: returns a string.
import type { CheckResult, ClientReport, Evidence, Summary } from '../../report/engine.js';
import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';

export const REPORT_PAGE_PATH = '/_mock/panel/report';

export interface ReportView {
  clients: readonly ClientReport[];
  generatedAt: string;
  /** The page shows only this client. */
  clientId: string | null;
}

const STATUS_LABEL: Readonly<Record<CheckResult['status'], string>> = { fail: 'Fail', warn: 'Warning', pass: 'Pass', not_observed: 'Not observed' };
const STATUS_TONE: Readonly<Record<CheckResult['status'], string>> = { fail: 'pill bad', warn: 'pill warn', pass: 'pill public', not_observed: 'pill' };

const statusPill = (status: CheckResult['status']) => html`<span class="${STATUS_TONE[status]}">${STATUS_LABEL[status]}</span>`;

function counts(s: Summary): SafeHtml {
  return html`${statusPill('fail')} ${s.fail} · ${statusPill('warn')} ${s.warn} · ${statusPill('pass')} ${s.pass} · ${statusPill('not_observed')} ${s.not_observed}`;
}

function evidenceItem(e: Evidence): SafeHtml {
  const flow =
    e.flow === null
      ? ''
      : html` · <a href="/_mock?flow=${encodeURIComponent(e.flow)}#journal" aria-label="Requests of flow ${e.flow.slice(0, 8)}">flow <code>${e.flow.slice(0, 8)}</code></a>`;
  return html`<li><code>#${e.entry}</code> <time datetime="${e.time}">${e.time.slice(11, 19)}</time> ${e.method} <code>${e.path}</code> → ${e.status}: ${e.note}${flow}</li>`;
}

function checkRow(c: CheckResult): SafeHtml {
  const more = c.violations > c.evidence.length ? html`<li class="muted">… and ${c.violations - c.evidence.length} more</li>` : '';
  return html`<tr>
<th scope="row"><code>${c.id}</code><br><span class="small">${c.title}</span><br><span class="muted small">${c.reference}</span></th>
<td>${statusPill(c.status)}</td>
<td>${c.violations} of ${c.observed}</td>
<td>${c.evidence.length > 0 ? html`<ul class="small">${c.evidence.map(evidenceItem)}${more}</ul>` : html`<span class="muted">—</span>`}</td>
</tr>
`;
}

const ORDER: readonly CheckResult['status'][] = ['fail', 'warn', 'pass'];

function clientSection(r: ClientReport): SafeHtml {
  const id = `client-${r.client_id}`;
  const judged = ORDER.flatMap((status) => r.checks.filter((c) => c.status === status));
  const unseen = r.checks.filter((c) => c.status === 'not_observed');
  return html`<section class="card" id="${id}" aria-labelledby="${id}-h">
<h2 id="${id}-h">${r.client_name ?? r.client_id}</h2>
<p class="small"><code>${r.client_id}</code> · ${r.client_type} client · ${r.requests} request${r.requests === 1 ? '' : 's'} · <a href="/_mock/report?client_id=${encodeURIComponent(r.client_id)}">JSON</a></p>
<p>${counts(r.summary)}</p>
${
  judged.length > 0
    ? html`<div class="table-wrap" role="region" aria-labelledby="${id}-caption" tabindex="0">
<table class="compact">
<caption id="${id}-caption">Checks of ${r.client_name ?? r.client_id}</caption>
<thead><tr><th scope="col">Check</th><th scope="col">Status</th><th scope="col">Violations</th><th scope="col">Evidence</th></tr></thead>
<tbody>
${judged.map(checkRow)}</tbody>
</table>
</div>`
    : ''
}
${unseen.length > 0 ? html`<p class="muted small">Not observed (nothing this client did was subject to them): ${unseen.map((c, i) => html`${i > 0 ? ', ' : ''}<code>${c.id}</code>`)}.</p>` : ''}
</section>`;
}

export function reportPage(v: ReportView): string {
  const total: Summary = { fail: 0, warn: 0, pass: 0, not_observed: 0 };
  for (const c of v.clients) for (const k of Object.keys(total) as (keyof Summary)[]) total[k] += c.summary[k];
  const intro = html`<div class="card" id="summary">
<h1>Client conformance report</h1>
<p class="subtitle">What each client of this mock did wrong, judged from every request it made since start or the last reset: <strong>fail</strong> breaks OAuth 2.1, RFC 9700 or Glossia’s guide; <strong>warning</strong> is risky or wasteful.</p>
${
  v.clientId !== null
    ? html`<p class="small">Showing client <code>${v.clientId}</code> only. <a href="${REPORT_PAGE_PATH}">Show every client</a></p>`
    : html`<p>${v.clients.length} client${v.clients.length === 1 ? '' : 's'} · ${counts(total)}</p>`
}
<nav aria-label="Report"><ul class="toc">
${v.clients.map((c) => html`<li><a href="#client-${c.client_id}">${c.client_name ?? c.client_id}</a></li>`)}
<li><a href="/_mock/report">JSON</a></li>
<li><a href="/_mock">Control panel</a></li>
</ul></nav>
<p class="muted small">Generated <time datetime="${v.generatedAt}">${v.generatedAt.slice(0, 19).replace('T', ' ')}</time> (mock clock).</p>
</div>`;
  const body =
    v.clients.length > 0
      ? html`${intro}
${v.clients.map(clientSection)}`
      : html`${intro}
<section class="card"><p class="muted">No client has made a request yet.</p></section>`;
  return page({ title: 'Client conformance report', body });
}
