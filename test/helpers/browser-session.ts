// A signed-in browser without a browser: a cookie jar, manual redirects, and the real sign-in form
// (its session cookie and CSRF token scraped from the pages).
import { expect } from 'vitest';

/** A minimal browser: a cookie jar and manual redirects. */
export class Browser {
  private readonly jar = new Map<string, string>();
  constructor(private readonly base: string) {}

  get cookieCount(): number {
    return this.jar.size;
  }

  async request(target: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(new URL(target, this.base), { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      this.jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  }

  get(target: string): Promise<Response> {
    return this.request(target);
  }

  post(target: string, pairs: [string, string][]): Promise<Response> {
    return this.request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(pairs),
    });
  }
}

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The hidden inputs of a page, in document order, decoded. */
export function hiddenInputs(html: string): [string, string][] {
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [
    decodeEntities(m[1]!),
    decodeEntities(m[2]!),
  ]);
}

/** The value of the page's one hidden input `name`. */
export function hidden(html: string, name: string): string {
  const found = hiddenInputs(html).filter(([n]) => n === name);
  expect(found, `hidden input ${name}`).toHaveLength(1);
  return found[0]![1];
}

/** The first CSRF token on a page (pages with a sign-out form carry more than one form). */
export function csrfToken(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
}

/** Sign a browser in as `handle` through the real login form; returns the POST's response. */
export async function signIn(b: Browser, handle: string, returnTo = '/'): Promise<Response> {
  const page = await b.get(`/auth/login?${new URLSearchParams({ return_to: returnTo })}`);
  const html = await page.text();
  expect(page.status).toBe(200);
  const res = await b.post('/auth/login', [
    ['_csrf', hidden(html, '_csrf')],
    ['handle', handle],
    ['return_to', hidden(html, 'return_to')],
  ]);
  expect(res.status).toBe(302);
  return res;
}

/** Signs in as `handle` and returns the session cookie the sign-in set, for a `cookie` header. */
export async function signedInCookie(base: string, handle: string, returnTo: string): Promise<string> {
  const res = await signIn(new Browser(base), handle, returnTo);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
