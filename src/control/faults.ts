// /_mock/faults: list, add and clear fault rules over HTTP.
import type { Context } from 'koa';
import { JsonError, oauthError, sendJson } from '../http/errors.js';
import { readFaultSpec, FaultSpecError } from '../faults/rules.js';
import type { Mock } from '../mock.js';

export const listFaults = (mock: Mock) => (ctx: Context) => sendJson(ctx, 200, { faults: mock.faults.list() });

export const addFault = (mock: Mock) => (ctx: Context) => {
  const body = (ctx.request as { body?: unknown }).body;
  const specs = Array.isArray(body) ? body : [body];
  try {
    const rules = specs.map((s) => readFaultSpec(s)).map((s) => mock.faults.add(s));
    sendJson(ctx, 201, Array.isArray(body) ? { faults: rules } : rules[0]);
  } catch (err) {
    if (err instanceof FaultSpecError) throw oauthError(400, 'invalid_request', err.message);
    throw err;
  }
};

export const clearFaults = (mock: Mock) => (ctx: Context) => {
  const cleared = mock.faults.list().length;
  mock.faults.clear();
  sendJson(ctx, 200, { cleared });
};

export const removeFault = (mock: Mock) => (ctx: Context) => {
  const id = (ctx['params'] as Record<string, string>)['id']!;
  if (!mock.faults.remove(id)) throw new JsonError(404, { error: 'not_found', error_description: `No fault rule with id "${id}".` });
  ctx.status = 204;
};
