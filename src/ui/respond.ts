// Sending a page: HTML plus the headers every page gets (strict CSP, no framing, no caching).
import type { Context } from 'koa';

export function sendHtml(ctx: Context, status: number, body: string, opts: { formAction?: string[] } = {}): void {
  const formAction = ["'self'", ...(opts.formAction ?? [])].join(' ');
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set({
    'Content-Security-Policy': `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  ctx.body = body;
}
