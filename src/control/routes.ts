// The control API under /_mock (not part of Glossia): one table that both the router and the
// control API's OpenAPI document are built from.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { sendJson } from '../http/errors.js';
import type { Mock } from '../mock.js';
import { addFault, clearFaults, listFaults, removeFault } from './faults.js';
import { guardControl } from './guard.js';
import { health, listRequests, mintTokens, resetMock } from './instance.js';
import { PANEL_PATH, panelActions, panelPage } from './panel.js';
import { getRateLimits, resetRateLimits } from './rate-limits.js';
import { getReport, reportPageHandler } from './report.js';
import { REPORT_PAGE_PATH } from '../ui/pages/report.js';
import { advanceClock, expireNow, getClock } from './time.js';

type Handler = (ctx: Context) => unknown;

interface ControlRoute {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  /** JSON body fields, for the document. */
  body?: Record<string, string>;
  query?: string[];
  status: number;
  handler: (mock: Mock) => Handler;
}

export const CONTROL_ROUTES: readonly ControlRoute[] = [
  { method: 'get', path: '/_mock/health', summary: 'Instance status', status: 200, handler: health },
  { method: 'post', path: '/_mock/reset', summary: 'Back to the fixtures: data, clients, tokens, fault rules, rate-limit windows, journal, report, clock', status: 200, handler: resetMock },
  {
    method: 'post',
    path: '/_mock/tokens',
    summary: 'Mint an access and refresh token for a fixture user without the browser flow',
    body: { user: 'string', scope: 'string', client_id: 'string', expires_in: 'integer' },
    status: 201,
    handler: mintTokens,
  },
  { method: 'get', path: '/_mock/requests', summary: 'The request journal, newest first (secrets redacted)', query: ['path', 'client_id', 'user', 'flow', 'limit'], status: 200, handler: listRequests },
  {
    method: 'get',
    path: '/_mock/report',
    summary: 'Client conformance report: every check per client (pass, fail, warn, not_observed) with evidence',
    query: ['client_id'],
    status: 200,
    handler: getReport,
  },
  { method: 'get', path: '/_mock/faults', summary: 'Fault rules with how often each fired', status: 200, handler: listFaults },
  {
    method: 'post',
    path: '/_mock/faults',
    summary: 'Add a fault rule (or an array of rules)',
    body: { endpoint: 'string', path: 'string', client_id: 'string', user: 'string', grant_type: 'string', error: 'string', description: 'string', status: 'integer', delay_ms: 'integer', drop: 'boolean', retry_after: 'integer', times: 'integer', probability: 'number', seed: 'integer' },
    status: 201,
    handler: addFault,
  },
  { method: 'delete', path: '/_mock/faults', summary: 'Clear every fault rule', status: 200, handler: clearFaults },
  { method: 'delete', path: '/_mock/faults/:id', summary: 'Remove one fault rule', status: 204, handler: removeFault },
  { method: 'get', path: '/_mock/rate-limits', summary: 'Rate limits and the current windows', status: 200, handler: getRateLimits },
  { method: 'delete', path: '/_mock/rate-limits', summary: 'Reset every rate-limit window', status: 204, handler: resetRateLimits },
  { method: 'get', path: '/_mock/clock', summary: "The mock's clock", status: 200, handler: getClock },
  { method: 'post', path: '/_mock/clock', summary: 'Move the clock forward by `advance` seconds', body: { advance: 'integer' }, status: 200, handler: advanceClock },
  {
    method: 'post',
    path: '/_mock/expire',
    summary: 'Make one code or token expire now',
    body: { code: 'string', access_token: 'string', refresh_token: 'string', device_code: 'string' },
    status: 200,
    handler: expireNow,
  },
];

export function controlOpenApi(mock: Mock): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {
    '/_mock/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document' } } } },
  };
  for (const r of CONTROL_ROUTES) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const params = [
      ...[...r.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(r.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: name === 'limit' ? 'integer' : 'string' } })),
    ];
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { type: 'object', properties: Object.fromEntries(Object.entries(r.body).map(([k, t]) => [k, { type: t }])) } } },
            },
          }
        : {}),
      responses: {
        [String(r.status)]: { description: 'Success' },
        '400': { description: 'Invalid request: {"error":"invalid_request","error_description":…}' },
        '401': { description: 'Missing or wrong control token (with --control-token)' },
        '403': { description: 'Not a loopback client (without --control-token)' },
      },
      security: mock.config.controlToken ? [{ controlToken: [] }] : [],
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'glossia-mock control API', version: '1.0.0', description: 'Drive the mock from tests: faults, clock, tokens, journal, reset.' },
    servers: [{ url: mock.issuer }],
    paths,
    components: { securitySchemes: { controlToken: { type: 'http', scheme: 'bearer', description: 'The --control-token value' } } },
  };
}

export function mountControl(router: Router, mock: Mock): void {
  const guard = guardControl(mock);
  for (const r of CONTROL_ROUTES) router[r.method](r.path, guard, r.handler(mock));
  router.get('/_mock/openapi.json', guard, (ctx: Context) => sendJson(ctx, 200, controlOpenApi(mock)));
  // The control panel: HTML forms for a browser, behind the same guard. Not JSON API routes, so
  // not in CONTROL_ROUTES nor in the document.
  router.get(PANEL_PATH, guard, panelPage(mock));
  router.get(REPORT_PAGE_PATH, guard, reportPageHandler(mock));
  for (const [path, handler] of panelActions(mock)) router.post(path, guard, handler);
}
