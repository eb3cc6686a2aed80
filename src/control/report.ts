// The conformance report: GET /_mock/report as JSON and the control panel's page, for every client
// seen or for one.
import type { Context } from 'koa';
import { oauthError, sendJson } from '../http/errors.js';
import { param, queryParams } from '../http/params.js';
import type { Mock } from '../mock.js';
import { reportPage } from '../ui/pages/report.js';
import { sendHtml } from '../ui/respond.js';

export const getReport = (mock: Mock) => (ctx: Context) => {
  const clientId = param(queryParams(ctx), 'client_id');
  if (clientId === undefined) return sendJson(ctx, 200, mock.report.report());
  const report = mock.report.clientReport(clientId);
  if (!report) throw oauthError(404, 'not_found', `No client with client_id "${clientId}" is registered with this mock.`);
  sendJson(ctx, 200, report);
};

/** The report page of the control panel; `?client_id=` shows one client. */
export const reportPageHandler = (mock: Mock) => (ctx: Context) => {
  const clientId = param(queryParams(ctx), 'client_id') ?? null;
  const one = clientId === null ? undefined : mock.report.clientReport(clientId);
  const report = mock.report.report();
  sendHtml(
    ctx,
    clientId !== null && !one ? 404 : 200,
    reportPage({ clients: clientId === null ? report.clients : one ? [one] : [], generatedAt: report.generated_at, clientId }),
  );
};
