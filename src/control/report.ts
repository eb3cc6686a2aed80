// GET /_mock/report: the conformance report as JSON, for every client seen or for one.
import type { Context } from 'koa';
import { oauthError, sendJson } from '../http/errors.js';
import { param, queryParams } from '../http/params.js';
import type { Mock } from '../mock.js';

export const getReport = (mock: Mock) => (ctx: Context) => {
  const clientId = param(queryParams(ctx), 'client_id');
  if (clientId === undefined) return sendJson(ctx, 200, mock.report.report());
  const report = mock.report.clientReport(clientId);
  if (!report) throw oauthError(404, 'not_found', `No client with client_id "${clientId}" is registered with this mock.`);
  sendJson(ctx, 200, report);
};
