// Headers that go with forced errors: Retry-After on a 503 page, a Basic challenge on invalid_client.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authorizeUrl, basic, DEMO, pkce, postForm, startTestMock, type TestMock } from './helpers/mock.js';

let m: TestMock;
beforeAll(async () => {
  m = await startTestMock({
    faults: [
      { endpoint: 'authorize', status: 503, retry_after: 30 },
      { endpoint: 'token', error: 'invalid_client' },
    ],
  });
});
afterAll(async () => {
  await m.close();
  expect(m.logs).toEqual([]);
});

it('a forced 503 at authorize is an error page with Retry-After', async () => {
  const res = await fetch(authorizeUrl(m.url, { challenge: pkce().challenge }), { redirect: 'manual' });
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('retry-after')).toBe('30');
});

it('a forced invalid_client challenges Basic callers, and only them', async () => {
  const viaBasic = await postForm(`${m.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basic(DEMO.clientId, DEMO.secret) });
  expect(viaBasic.status).toBe(401);
  expect(viaBasic.headers.get('www-authenticate')).toBe('Basic realm="glossia"');
  const viaBody = await postForm(`${m.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: 'x', client_id: DEMO.clientId, client_secret: DEMO.secret });
  expect(viaBody.status).toBe(401);
  expect(viaBody.headers.get('www-authenticate')).toBeNull();
});
