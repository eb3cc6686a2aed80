import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoApprovedCode, exchange, startTestMock, type TestMock } from './helpers/mock.js';

let m: TestMock;
beforeAll(async () => {
  m = await startTestMock({ autoApprove: 'dev' });
});
afterAll(() => m.close());

describe('smoke', () => {
  it('runs authorize → token → API', async () => {
    const { code, verifier } = await autoApprovedCode(m.url, { scope: 'user:read project:read', state: 'xyz' });
    const res = await exchange(m.url, code, verifier);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    const api = await fetch(`${m.url}/api/projects`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(api.status).toBe(200);
    const json = await api.json();
    expect(json.projects.length).toBeGreaterThan(0);
    expect(m.logs).toEqual([]);
  });
});
