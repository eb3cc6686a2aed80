// Who may drive the mock: with --control-token, callers presenting that bearer token; otherwise
// only clients on this machine (a mock reachable from a network must not be steerable by it).
import type { Context, Next } from 'koa';
import { safeEqual } from '../crypto/random.js';
import { JsonError } from '../http/errors.js';
import type { Mock } from '../mock.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export const guardControl = (mock: Mock) => async (ctx: Context, next: Next) => {
  const token = mock.config.controlToken;
  if (token !== null) {
    const m = /^Bearer (\S+)$/.exec(ctx.get('Authorization'));
    if (!m || !safeEqual(m[1]!, token))
      throw new JsonError(
        401,
        { error: 'unauthorized', error_description: 'The control API needs Authorization: Bearer <control token>.' },
        { 'WWW-Authenticate': 'Bearer realm="glossia-mock control"' },
      );
  } else if (!LOOPBACK.test(ctx.req.socket.remoteAddress ?? '')) {
    throw new JsonError(403, {
      error: 'forbidden',
      error_description: 'The control API answers loopback clients only; start the mock with --control-token to use it remotely.',
    });
  }
  await next();
};
