// The control panel: GET /_mock renders the control API as a page; its forms POST to
// /_mock/panel/… (CSRF-protected), act on the mock directly, and redirect back (303) with a fixed
// `?done=` notice. Invalid input re-renders the page with an error next to the form.
// Not JSON API routes: they stay out of CONTROL_ROUTES and the control API's OpenAPI document.
import type { Context } from 'koa';
import { resetInstance } from '../domain/reset.js';
import { ENDPOINTS, FaultSpecError, readFaultSpec, type FaultSpec } from '../faults/rules.js';
import { bodyParams, queryParams } from '../http/params.js';
import { csrfToken, session, validCsrf } from '../http/session.js';
import type { Mock } from '../mock.js';
import {
  controlPanelPage,
  EMPTY_RULE_FORM,
  EXPIRE_LABELS,
  isPanelNotice,
  PANEL_NOTICES,
  type PanelNotice,
  type PanelPreset,
  type PanelSection,
  type RuleForm,
} from '../ui/pages/control-panel.js';
import { sendHtml } from '../ui/respond.js';
import { EXPIRE_KINDS, expireCredential, MAX_ADVANCE_S, type ExpireKind } from './time.js';

export const PANEL_PATH = '/_mock';
const JOURNAL_ROWS = 50;

/** The one-click rules of the panel. */
export const PRESETS: readonly (PanelPreset & { spec: FaultSpec })[] = [
  {
    id: 'deny-authorize',
    label: 'Deny next authorization',
    hint: 'authorize → access_denied, once',
    spec: { endpoint: 'authorize', error: 'access_denied', times: 1 },
  },
  {
    id: 'fail-refresh',
    label: 'Fail next refresh',
    hint: 'token, refresh_token grant → invalid_grant, once',
    spec: { endpoint: 'token', grant_type: 'refresh_token', error: 'invalid_grant', times: 1 },
  },
  {
    id: 'expire-code',
    label: 'Expire next code exchange',
    hint: 'token, authorization_code grant → invalid_grant, once',
    spec: { endpoint: 'token', grant_type: 'authorization_code', error: 'invalid_grant', times: 1 },
  },
  {
    id: 'fail-translate',
    label: 'Fail next translation',
    hint: 'api /api/*/translate → 502 provider failure, once',
    spec: { endpoint: 'api', path: '/api/*/translate', status: 502, times: 1 },
  },
  {
    id: 'rate-limit-api',
    label: 'Rate-limit the API',
    hint: 'api → 429, until cleared',
    spec: { endpoint: 'api', status: 429 },
  },
];

/** What a form action asks the page to show instead of redirecting. */
interface Rejection {
  status: number;
  section: PanelSection;
  message: string;
  ruleForm?: RuleForm;
  clockSeconds?: string;
  expireKind?: ExpireKind;
}

type Outcome = { done: PanelNotice } | Rejection;

/** Form fields as strings; anything else (repeats, objects) reads as empty. */
type Fields = Record<string, string>;

function fields(ctx: Context): Fields {
  const out: Fields = Object.create(null) as Fields;
  for (const [k, v] of Object.entries(bodyParams(ctx))) if (typeof v === 'string') out[k] = v;
  return out;
}

const field = (f: Fields, name: string) => (Object.hasOwn(f, name) ? f[name]!.trim() : '');

function render(ctx: Context, mock: Mock, status: number, rejection?: Rejection): void {
  const q = queryParams(ctx);
  const flow = typeof q['flow'] === 'string' && q['flow'] !== '' ? q['flow'] : null;
  const journal = mock.journal.list({ limit: JOURNAL_ROWS, ...(flow !== null ? { flow } : {}) });
  const clientNames = new Map<string, string>();
  for (const e of journal) {
    if (e.client_id === null || clientNames.has(e.client_id)) continue;
    const client = mock.clients.find(e.client_id);
    if (client?.client_name) clientNames.set(e.client_id, client.client_name);
  }
  const s = session(ctx, mock);
  sendHtml(
    ctx,
    status,
    controlPanelPage({
      issuer: mock.issuer,
      profile: mock.profile.name,
      store: mock.store.file ?? 'memory',
      clock: { now: new Date(mock.clock.nowMs()).toISOString(), offset: mock.clock.offset() },
      endpoints: ENDPOINTS,
      rules: mock.faults.list(),
      presets: PRESETS.map(({ id, label, hint }) => ({ id, label, hint })),
      rateLimiting: Object.keys(mock.limits.table).length > 0,
      counters: mock.limits.counters(),
      journal,
      clientNames,
      flow,
      users: mock.directory.users.map((u) => u.handle),
      clientIds: mock.clients.fixtureClients().map((c) => c.client_id),
      csrfToken: csrfToken(mock, s),
      done: rejection === undefined && isPanelNotice(q['done']) ? q['done'] : undefined,
      ...(rejection
        ? {
            error: { section: rejection.section, message: rejection.message },
            ruleForm: rejection.ruleForm,
            clockSeconds: rejection.clockSeconds,
            expireKind: rejection.expireKind,
          }
        : {}),
    }),
  );
}

export const panelPage = (mock: Mock) => (ctx: Context) => render(ctx, mock, 200);

/** A form action: CSRF first, then the change, then 303 back to the panel (or the page with an error). */
function action(mock: Mock, section: PanelSection, run: (f: Fields) => Outcome | Promise<Outcome>) {
  return async (ctx: Context) => {
    const f = fields(ctx);
    if (!validCsrf(mock, session(ctx, mock), f['_csrf']))
      return render(ctx, mock, 403, {
        status: 403,
        section,
        message: 'This form has expired or did not come from this page, so nothing was changed. Try again.',
      });
    const outcome = await run(f);
    if ('done' in outcome) {
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 303;
      return ctx.redirect(`${PANEL_PATH}?done=${outcome.done}#${PANEL_NOTICES[outcome.done].section}`);
    }
    render(ctx, mock, outcome.status, outcome);
  };
}

/** The add-rule form's fields, as typed. */
function ruleForm(f: Fields): RuleForm {
  const out = { ...EMPTY_RULE_FORM };
  for (const key of Object.keys(out) as (keyof RuleForm)[]) out[key] = field(f, key);
  if (out.times === '') out.times = 'once';
  return out;
}

// Field names in readFaultSpec's messages, as the form labels them.
const LABELS: Readonly<Record<string, string>> = {
  endpoint: 'Endpoint',
  path: 'Only for API path',
  client_id: 'Only for client_id',
  user: 'Only for user',
  grant_type: 'Only for grant_type',
  tool: 'Only for MCP tool',
  error: 'Error code',
  status: 'HTTP status',
  delay_ms: 'Delay',
  drop: 'Drop the connection',
  times: 'Number of times',
  probability: 'Probability',
  seed: 'Seed',
};

/** Pure: the form as the JSON a control-API client would send (numbers as numbers). */
export function ruleSpecFromForm(form: RuleForm): Record<string, unknown> {
  const spec: Record<string, unknown> = { endpoint: form.endpoint };
  for (const key of ['path', 'tool', 'client_id', 'user', 'grant_type', 'error'] as const) if (form[key] !== '') spec[key] = form[key];
  // Not a number: left as text, so readFaultSpec names the field.
  const num = (value: string) => (/^-?(\d+\.?\d*|\.\d+)$/.test(value) ? Number(value) : value);
  for (const key of ['status', 'delay_ms', 'probability', 'seed'] as const) if (form[key] !== '') spec[key] = num(form[key]);
  if (form.drop === 'yes') spec['drop'] = true;
  if (form.times === 'once') spec['times'] = 1;
  else if (form.times === 'count') spec['times'] = form.times_count === '' ? 'missing' : num(form.times_count);
  else if (form.times !== 'sticky') spec['times'] = 'unknown';
  return spec;
}

const addRule = (mock: Mock) =>
  action(mock, 'add-rule', (f) => {
    const form = ruleForm(f);
    try {
      mock.faults.add(readFaultSpec(ruleSpecFromForm(form)));
      return { done: 'rule-added' };
    } catch (err) {
      if (!(err instanceof FaultSpecError)) throw err;
      const message = err.message.replace(/"([a-z_]+)"/g, (quoted, key: string) => (LABELS[key] ? `“${LABELS[key]}”` : quoted));
      return { status: 422, section: 'add-rule', message, ruleForm: form };
    }
  });

const addPreset = (mock: Mock) =>
  action(mock, 'faults', (f) => {
    const preset = PRESETS.find((p) => p.id === field(f, 'preset'));
    if (!preset) return { status: 422, section: 'faults', message: 'Choose one of the quick faults.' };
    mock.faults.add({ ...preset.spec });
    return { done: preset.id };
  });

const removeRule = (mock: Mock) =>
  action(mock, 'faults', (f) =>
    mock.faults.remove(field(f, 'id'))
      ? { done: 'rule-removed' }
      : { status: 404, section: 'faults', message: 'That rule no longer exists: it was removed, or the mock was reset.' },
  );

const clearRules = (mock: Mock) =>
  action(mock, 'faults', () => {
    mock.faults.clear();
    return { done: 'rules-cleared' };
  });

const advance = (mock: Mock) =>
  action(mock, 'clock', (f) => {
    const given = field(f, 'quick') || field(f, 'seconds');
    const seconds = /^-?\d{1,10}$/.test(given) ? Number(given) : NaN;
    if (!Number.isInteger(seconds) || Math.abs(seconds) > MAX_ADVANCE_S)
      return {
        status: 422,
        section: 'clock',
        message: 'Enter a whole number of seconds to move the clock, e.g. 3600 for one hour (at most ten years either way).',
        clockSeconds: field(f, 'seconds'),
      };
    mock.clock.advance(seconds);
    return { done: 'clock-advanced' };
  });

const resetClock = (mock: Mock) =>
  action(mock, 'clock', () => {
    mock.clock.reset();
    return { done: 'clock-reset' };
  });

const expire = (mock: Mock) =>
  action(mock, 'expire', (f) => {
    const kind = field(f, 'kind');
    if (!(EXPIRE_KINDS as readonly string[]).includes(kind)) return { status: 422, section: 'expire', message: 'Choose what kind of credential to expire.' };
    const k = kind as ExpireKind;
    const value = field(f, 'value');
    if (value === '') return { status: 422, section: 'expire', message: `Paste the ${EXPIRE_LABELS[k].toLowerCase()} to expire.`, expireKind: k };
    if (expireCredential(mock, k, value) === null)
      return { status: 422, section: 'expire', message: `This mock issued no such ${EXPIRE_LABELS[k].toLowerCase()}.`, expireKind: k };
    return { done: 'credential-expired' };
  });

const resetLimits = (mock: Mock) =>
  action(mock, 'limits', () => {
    mock.limits.reset();
    return { done: 'limits-reset' };
  });

const resetAll = (mock: Mock) =>
  action(mock, 'reset', async (f) => {
    if (field(f, 'confirm') !== 'yes')
      return { status: 422, section: 'reset', message: 'Tick the box to confirm: a reset forgets every client, token and rule made since start.' };
    await resetInstance(mock);
    return { done: 'reset' };
  });

/** The panel's form actions, each a POST under /_mock/panel/. */
export function panelActions(mock: Mock): [path: string, handler: (ctx: Context) => Promise<void>][] {
  return [
    ['/_mock/panel/faults', addRule(mock)],
    ['/_mock/panel/faults/preset', addPreset(mock)],
    ['/_mock/panel/faults/remove', removeRule(mock)],
    ['/_mock/panel/faults/clear', clearRules(mock)],
    ['/_mock/panel/clock', advance(mock)],
    ['/_mock/panel/clock/reset', resetClock(mock)],
    ['/_mock/panel/expire', expire(mock)],
    ['/_mock/panel/rate-limits/reset', resetLimits(mock)],
    ['/_mock/panel/reset', resetAll(mock)],
  ];
}
