// /_mock/reset, /_mock/tokens, /_mock/requests, /_mock/health: the library API over HTTP.
import type { Context } from 'koa';
import { resetInstance } from '../domain/reset.js';
import { mintToken, MintError } from '../domain/mint.js';
import { oauthError, sendJson } from '../http/errors.js';
import { bodyParams, queryParams } from '../http/params.js';
import type { JournalFilter } from '../journal/journal.js';
import type { Mock } from '../mock.js';

export const resetMock = (mock: Mock) => async (ctx: Context) => {
  await resetInstance(mock);
  sendJson(ctx, 200, { reset: true });
};

export const mintTokens = (mock: Mock) => async (ctx: Context) => {
  const b = bodyParams(ctx);
  const expiresIn = b['expires_in'] ?? b['expiresIn'];
  try {
    const tokens = await mintToken(mock, {
      user: b['user'] as string,
      ...(b['scope'] !== undefined ? { scope: b['scope'] as string } : {}),
      ...((b['client_id'] ?? b['clientId']) !== undefined ? { clientId: (b['client_id'] ?? b['clientId']) as string } : {}),
      ...(expiresIn !== undefined ? { expiresIn: typeof expiresIn === 'string' ? Number(expiresIn) : (expiresIn as number) } : {}),
    });
    sendJson(ctx, 201, tokens);
  } catch (err) {
    if (err instanceof MintError) throw oauthError(400, 'invalid_request', err.message);
    throw err;
  }
};

export const listRequests = (mock: Mock) => (ctx: Context) => {
  const q = queryParams(ctx);
  const filter: JournalFilter = {};
  for (const key of ['path', 'client_id', 'user', 'flow'] as const) if (typeof q[key] === 'string') filter[key] = q[key] as string;
  if (q['limit'] !== undefined) {
    const limit = Number(q['limit']);
    if (!Number.isInteger(limit) || limit < 1) throw oauthError(400, 'invalid_request', '"limit" must be a whole number above 0.');
    filter.limit = limit;
  }
  sendJson(ctx, 200, { requests: mock.journal.list(filter) });
};

export const health = (mock: Mock) => (ctx: Context) =>
  sendJson(ctx, 200, {
    status: 'ok',
    issuer: mock.issuer,
    profile: mock.profile.name,
    store: mock.store.file ?? 'memory',
    uptime_s: Math.round((Date.now() - mock.startedAt) / 1000),
    clock_offset_s: mock.clock.offset(),
    fault_rules: mock.faults.list().length,
    rate_limits: Object.keys(mock.limits.table).length > 0,
  });
