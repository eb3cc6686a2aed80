// Bad input gets a clear 4xx, never a 500: every route the router serves, hit with malformed bodies,
// odd parameter shapes and broken credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../src/routes.js';
import { DEMO, startTestMock, type TestMock } from './helpers/mock.js';

let m: TestMock;
let token: string;

/** A token with every scope these routes check, so requests reach the handlers' own validation. */
async function mint(): Promise<string> {
  const res = await fetch(`${m.url}/_mock/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'dev', scope: 'project:read project:write organization:read organization:write organization:delete members:read members:write voice:read voice:write glossary:read glossary:write api_credentials:read api_credentials:write account:read translation:write' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  m = await startTestMock({ autoApprove: 'dev' });
  token = await mint();
});
afterAll(async () => {
  await m.close();
});

/** Each served path, with its parameters filled with something plausible and something absurd. */
function targets(): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const layer of createRouter(m.mock).stack)
    for (const method of layer.methods) {
      if (method === 'HEAD') continue;
      for (const fill of ['dev', '%00', 'x'.repeat(300)]) {
        const path = layer.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => (name === 'handle' ? fill : name === 'id' ? `${fill}-id` : fill));
        out.push({ method, path });
      }
    }
  return out;
}

const BODIES: { type: string; body: string }[] = [
  { type: 'application/json', body: '{"client_id": ' },
  { type: 'application/json', body: '[1,2,3]' },
  { type: 'application/json', body: '"just a string"' },
  { type: 'application/json', body: '{"__proto__":{"polluted":true}}' },
  {
    type: 'application/json',
    body: JSON.stringify({
      client_id: { nested: true },
      redirect_uris: [{ a: 1 }, null, 7],
      name: ['a', 'b'],
      project_handle: 12,
      entries: 'nope',
      overrides: [{ locale: {} }],
      advance: 'soon',
      scope: 42,
      user: ['dev'],
      token: null,
    }),
  },
  { type: 'application/x-www-form-urlencoded', body: 'grant_type=authorization_code&grant_type=refresh_token&code[a]=b&client_id[]=x&redirect_uris[0][x]=1' },
  { type: 'application/x-www-form-urlencoded', body: '%E0%A4%A=%ZZ&&&==' },
  { type: 'text/plain', body: 'hello' },
];

const HEADERS: Record<string, string>[] = [
  {},
  { authorization: 'Basic !!!notbase64' },
  { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
  { authorization: `Basic ${Buffer.from(`${DEMO.clientId}:%E0%A4%A`).toString('base64')}` },
  { authorization: 'Bearer' },
  { authorization: 'Bearer glsa_' },
  { 'x-glossia-mock-fault': 'nonsense!' },
  { 'x-forwarded-for': 'not-an-ip, 999.1.1.1' },
];

describe('malformed input', () => {
  it('never yields a 5xx or an internal error, on any route', async () => {
    const failures: string[] = [];
    for (const { method, path } of targets()) {
      for (const headers of HEADERS) {
        const withToken = { ...headers, ...(headers['authorization'] ? {} : { authorization: `Bearer ${token}` }) };
        const requests: RequestInit[] =
          method === 'GET' || method === 'DELETE'
            ? [{ method, headers: withToken }]
            : BODIES.map(({ type, body }) => ({ method, headers: { ...withToken, 'content-type': type }, body }));
        for (const init of requests) {
          const res = await fetch(`${m.url}${path}?x[y]=1&x=2&page=-1&scope[]=a`, { ...init, redirect: 'manual' });
          await res.arrayBuffer();
          if (res.status >= 500) failures.push(`${method} ${path} ${JSON.stringify(init.headers)} ${String(init.body)} → ${res.status}`);
        }
      }
      // Some of these requests reset or delete things; start every route from the fixtures.
      if (path.startsWith('/_mock') || method === 'DELETE') {
        await fetch(`${m.url}/_mock/reset`, { method: 'POST' });
        token = await mint();
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(m.logs).toEqual([]);
  }, 120_000);
});
