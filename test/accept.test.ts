// Phoenix's `accepts ["json"]` on Glossia's `:api` pipeline (reference 1.1): the REST API, the
// discovery documents and the OAuth machine endpoints refuse an Accept header without a JSON type
// with 406 `Not Acceptable` (text/html), before the token, the client or the rate limit is looked at.
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptsJson } from '../src/http/accept.js';
import { answer, bearer, expectUnauthorized } from './helpers/api.js';
import { DEMO, mockStarter, type TestMock } from './helpers/mock.js';
import { accessToken } from './helpers/tokens.js';

const start = mockStarter({ autoApprove: 'dev' });
let m: TestMock;
let token: string;
beforeAll(async () => {
  m = await start({ rateLimits: { register: { limit: 1, window: 60 } } });
  token = await accessToken(m, 'account:read');
});

async function expectNotAcceptable(res: Response) {
  expect(res.status).toBe(406);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(await res.text()).toBe('Not Acceptable');
}

describe('Accept on the :api pipeline', () => {
  it('the REST API: refused without a JSON type, before the bearer check; JSON-compatible types pass', async () => {
    const accounts = (accept: string, query = '') => fetch(`${m.url}/api/accounts${query}`, { headers: { ...bearer(token), accept } });
    await expectNotAcceptable(await accounts('text/html'));
    await expectNotAcceptable(await fetch(`${m.url}/api/accounts`, { headers: { accept: 'text/event-stream' } }));
    await expectNotAcceptable(await accounts('application/xml, text/*'));
    for (const accept of ['application/json', 'text/html, application/json;q=0.1', 'application/*', '*/*;q=0', 'TEXT/HTML, Application/JSON'])
      await answer(await accounts(accept), 200);
    // `_format` stands in for the header.
    await answer(await accounts('text/html', '?_format=json'), 200);
    await expectNotAcceptable(await accounts('application/json', '?_format=html'));
    await expectUnauthorized(await fetch(`${m.url}/api/accounts`, { headers: { accept: 'application/json' } }));
    // A path or method no route serves never reaches the pipeline: the plain 404 / 405.
    expect((await fetch(`${m.url}/api/me`, { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await fetch(`${m.url}/api/accounts`, { method: 'PUT', headers: { accept: 'text/html' } })).status).toBe(405);
  });

  it('discovery, openapi.json and the OAuth machine endpoints; not the browser pages', async () => {
    const html = { accept: 'text/html' };
    await expectNotAcceptable(await fetch(`${m.url}/.well-known/oauth-authorization-server`, { headers: html }));
    await expectNotAcceptable(await fetch(`${m.url}/api/openapi.json`, { headers: html }));
    const register = () =>
      fetch(`${m.url}/oauth/register`, {
        method: 'POST',
        headers: { ...html, 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'x', redirect_uris: ['http://localhost:3000/cb'] }),
      });
    // Refused before the rate limit counts it: the limit of one is still unused afterwards.
    await expectNotAcceptable(await register());
    await expectNotAcceptable(await register());
    const ok = await fetch(`${m.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'x', redirect_uris: ['http://localhost:3000/cb'] }),
    });
    expect(ok.status).toBe(201);
    const token = await fetch(`${m.url}/oauth/token`, { method: 'POST', headers: html, body: new URLSearchParams({ grant_type: 'refresh_token', client_id: DEMO.clientId }) });
    await expectNotAcceptable(token);
    expect((await fetch(`${m.url}/auth/login`, { headers: html })).status).toBe(200);
  });
});

it('acceptsJson follows Phoenix: no header passes, _format replaces the header, a +json vendor type is not JSON', () => {
  expect(acceptsJson(undefined, undefined)).toBe(true);
  expect(acceptsJson('text/plain', 'json')).toBe(true);
  expect(acceptsJson('*/*', 'xml')).toBe(false);
  expect(acceptsJson('application/vnd.api+json', undefined)).toBe(false);
});
