// The REST API as a token holder sees it: GET /api/projects with a bearer token.
import { expect } from 'vitest';
import type { TestMock } from './mock.js';

export const api = (m: TestMock, token: string) => fetch(`${m.url}/api/projects`, { headers: { Authorization: `Bearer ${token}` } });

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
