// The route of a request is remembered per method and path (src/http/routing.ts): each path keeps
// its own parameters, and forgetting (past the bound) changes no answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REMEMBERED, MAX_REMEMBERED_PATH } from '../src/http/routing.js';
import { startTestMock, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';

let m: TestMock;
let token = '';

beforeAll(async () => {
  m = await startTestMock({ autoApprove: 'dev' });
  token = (await tokensFor(m, 'project:read')).access_token;
});
afterAll(() => m.close());

const projectsOf = async (path: string) => {
  const res = await fetch(`${m.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { projects: { handle: string }[] }).projects.map((p) => p.handle);
};

async function expectRoutesAnswer() {
  // One pattern, /api/:handle/projects, for three paths in turn; %64ev is dev URI-encoded.
  expect(await projectsOf('/api/acme/projects')).toEqual(['acme-docs', 'mobile', 'platform']);
  expect(await projectsOf('/api/northwind/projects')).toEqual(['catalog']);
  expect(await projectsOf('/api/%64ev/projects')).toEqual(await projectsOf('/api/dev/projects'));
  expect(await projectsOf('/api/acme/projects')).toEqual(['acme-docs', 'mobile', 'platform']);
  const wrongMethod = await fetch(`${m.url}/.well-known/jwks.json`, { method: 'DELETE' });
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.headers.get('allow')).toBe('HEAD, GET');
  const unknown = await fetch(`${m.url}/oauth/nowhere`);
  expect(unknown.status).toBe(404);
  expect(await unknown.json()).toEqual({ errors: { detail: 'Not Found' } });
}

describe('remembered routes', () => {
  it('each path of one route pattern gets its own parameters', expectRoutesAnswer);

  it('answers the same once more paths were seen than are remembered', async () => {
    for (let i = 0; i <= MAX_REMEMBERED; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => fetch(`${m.url}/nowhere/${i + j}`).then((r) => r.arrayBuffer())));
    }
    await expectRoutesAnswer();
  });

  it('a path too long to remember is routed the same, every time', async () => {
    const long = `/api/acme/projects/${'x'.repeat(MAX_REMEMBERED_PATH)}`;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${m.url}${long}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { errors?: unknown }).errors).toBeDefined();
      const unknown = await fetch(`${m.url}/${'n'.repeat(MAX_REMEMBERED_PATH)}`);
      expect(await unknown.json()).toEqual({ errors: { detail: 'Not Found' } });
    }
  });
});
