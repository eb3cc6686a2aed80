// The REST API as a token holder sees it: requests with a bearer token, their JSON answers, and the
// errors of the check order (reference 9.1).
import { expect } from 'vitest';
import type { TestMock } from './mock.js';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export const api = (m: TestMock, token: string) => fetch(`${m.url}/api/projects`, { headers: bearer(token) });

/** The token works at the API. */
export async function expectApiOk(m: TestMock, token: string) {
  const res = await api(m, token);
  expect(res.status, await res.clone().text()).toBe(200);
}

/** The API's answer to an unknown, revoked or expired token: 401 invalid_token with WWW-Authenticate: Bearer. */
export async function expectInvalidToken(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer');
  expect(await res.text()).toBe('{"error":"invalid_token"}');
}

/**
 * `method path` on the mock with `token` as the bearer (no Authorization header when null), and
 * `body` as JSON, or as a form when it is URLSearchParams.
 */
export function call(m: TestMock, token: string | null, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = token === null ? {} : bearer(token);
  if (body instanceof URLSearchParams) headers['content-type'] = 'application/x-www-form-urlencoded';
  else if (body !== undefined) headers['content-type'] = 'application/json';
  const payload = body === undefined || body instanceof URLSearchParams ? body : JSON.stringify(body);
  return fetch(`${m.url}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
}

/** Exactly this status as JSON; returns the body (checked against `expected` when given). */
export async function answer<T = unknown>(res: Response, status: number, expected?: unknown): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = JSON.parse(text) as T;
  if (expected !== undefined) expect(body).toEqual(expected);
  return body;
}

/** `method path` succeeds: 201 for a POST, 200 otherwise (or `status`), as JSON; returns the body. */
export async function apiOk<T = Record<string, unknown>>(
  m: TestMock,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  status = method === 'POST' ? 201 : 200,
): Promise<T> {
  return answer<T>(await call(m, token, method, path, body), status);
}

/** The `meta` of a list that fits on one page of the default size (reference 9.3). */
export const onePage = (totalCount: number) => ({
  total_count: totalCount,
  total_pages: 1,
  current_page: 1,
  page_size: 50,
  'has_next_page?': false,
  'has_previous_page?': false,
});

/** No bearer token: 401 unauthorized, without a WWW-Authenticate challenge. */
export async function expectUnauthorized(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBeNull();
  expect(await res.text()).toBe('{"error":"unauthorized"}');
}

/** The token lacks `scope`: 403 insufficient_scope, naming it in the body and the challenge. */
export async function expectInsufficientScope(res: Response, scope: string) {
  expect(res.status).toBe(403);
  expect(res.headers.get('www-authenticate')).toBe(`Bearer error="insufficient_scope", scope="${scope}"`);
  expect(await res.text()).toBe(`{"error":"insufficient_scope","required_scope":"${scope}"}`);
}

/** The policy refuses the caller: 403 not_authorized, without a challenge. */
export async function expectNotAuthorized(res: Response) {
  expect(res.status).toBe(403);
  expect(res.headers.get('www-authenticate')).toBeNull();
  expect(await res.text()).toBe('{"error":"not_authorized"}');
}
