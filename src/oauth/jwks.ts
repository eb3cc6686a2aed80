// The public half of the access-token signing key (documented profile only; Glossia publishes none).
import type { Context } from 'koa';
import type { Mock } from '../mock.js';
import { sendJsonText } from '../http/errors.js';

export const serveJwks = (mock: Mock) => async (ctx: Context) => sendJsonText(ctx, 200, await mock.keys.jwksJson());
