// The client's address as Glossia sees it: the first X-Forwarded-For entry if it is an IP address,
// else the socket's (reference 12).
import { isIP } from 'node:net';
import type { Context } from 'koa';

export function clientIp(ctx: Context): string {
  const first = ctx.get('X-Forwarded-For').split(',')[0]?.trim() ?? '';
  if (first && isIP(first)) return first;
  return ctx.req.socket.remoteAddress ?? 'unknown';
}
