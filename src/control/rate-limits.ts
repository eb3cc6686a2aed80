// /_mock/rate-limits: see the current windows, and reset them.
import type { Context } from 'koa';
import { sendJson } from '../http/errors.js';
import type { Mock } from '../mock.js';

export const getRateLimits = (mock: Mock) => (ctx: Context) =>
  sendJson(ctx, 200, { enabled: Object.keys(mock.limits.table).length > 0, limits: mock.limits.table, counters: mock.limits.counters() });

export const resetRateLimits = (mock: Mock) => (ctx: Context) => {
  mock.limits.reset();
  ctx.status = 204;
};
