// The control API's instance routes: health, reset, token minting, the journal, its OpenAPI doc.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../src/routes.js';
import { DEMO, startTestMock, type TestMock } from './helpers/mock.js';

let m: TestMock;
beforeAll(async () => {
  m = await startTestMock({ autoApprove: 'dev' });
});
afterAll(async () => {
  await m.close();
  expect(m.logs).toEqual([]);
});

const post = (path: string, body: unknown) =>
  fetch(`${m.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('/_mock instance routes', () => {
  it('GET /_mock/health and GET /up answer once ready', async () => {
    const res = await fetch(`${m.url}/_mock/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', issuer: m.issuer, profile: 'documented', store: 'memory', fault_rules: 0 });
    const up = await fetch(`${m.url}/up`);
    expect(up.status).toBe(200);
  });

  it('POST /_mock/tokens mints a usable token; bad input is a 400', async () => {
    const res = await post('/_mock/tokens', { user: 'maria', scope: 'project:read', expires_in: 60 });
    expect(res.status).toBe(201);
    const t = await res.json();
    expect(t).toMatchObject({ token_type: 'bearer', expires_in: 60, scope: 'project:read', client_id: DEMO.clientId });
    const api = await fetch(`${m.url}/api/acme/projects`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(api.status).toBe(200);
    const northwind = await fetch(`${m.url}/api/northwind/projects`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(await northwind.json()).toEqual({ error: 'not_authorized' });

    for (const bad of [{}, { user: 'ghost' }, { user: 'dev', scope: 'nope:read' }, { user: 'dev', client_id: 'x' }, { user: 'dev', expires_in: -1 }]) {
      const r = await post('/_mock/tokens', bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect((await r.json()).error).toBe('invalid_request');
    }
  });

  it('GET /_mock/requests filters and bounds the journal', async () => {
    await post('/_mock/reset', {});
    const t = await (await post('/_mock/tokens', { user: 'alex', scope: 'project:read' })).json();
    for (let i = 0; i < 3; i++) await fetch(`${m.url}/api/projects`, { headers: { authorization: `Bearer ${t.access_token}` } });
    await fetch(`${m.url}/.well-known/oauth-authorization-server`);
    const all = (await (await fetch(`${m.url}/_mock/requests`)).json()).requests;
    expect(all.map((e: { path: string }) => e.path)).toEqual([
      '/.well-known/oauth-authorization-server',
      '/api/projects',
      '/api/projects',
      '/api/projects',
    ]);
    const mine = (await (await fetch(`${m.url}/_mock/requests?user=alex&limit=2`)).json()).requests;
    expect(mine).toHaveLength(2);
    expect(mine.every((e: { user: string; flow: string }) => e.user === 'alex' && e.flow)).toBe(true);
    const bad = await fetch(`${m.url}/_mock/requests?limit=zero`);
    expect(bad.status).toBe(400);
  });

  it('keeps the newest journalSize requests, numbered on across a reset, with Glossia timestamps', async () => {
    const small = await startTestMock({ journalSize: 3 });
    try {
      const paths = ['/up?x', '/.well-known/oauth-protected-resource', '/api/openapi.json', '/api/projects', '/.well-known/jwks.json'];
      for (const path of paths) await fetch(`${small.url}${path}`);
      const list = async () => (await (await fetch(`${small.url}/_mock/requests`)).json()).requests as { id: number; time: string; path: string }[];
      const kept = await list();
      expect(kept.map((e) => [e.id, e.path])).toEqual([
        [4, '/.well-known/jwks.json'],
        [3, '/api/projects'],
        [2, '/api/openapi.json'],
      ]);
      for (const e of kept) expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(Object.keys(kept[0]!).slice(0, 3)).toEqual(['id', 'time', 'method']);
      await fetch(`${small.url}/_mock/reset`, { method: 'POST' });
      expect(await list()).toEqual([]);
      await fetch(`${small.url}/.well-known/oauth-authorization-server`);
      expect((await list()).map((e) => e.id)).toEqual([5]);
    } finally {
      await small.close();
    }
  });

  it('POST /_mock/reset forgets registered clients and issued tokens', async () => {
    const t = await (await post('/_mock/tokens', { user: 'dev', scope: 'project:read' })).json();
    const reg = await (await post('/oauth/register', { redirect_uris: ['http://localhost:1/cb'] })).json();
    expect((await post('/_mock/reset', {})).status).toBe(200);
    expect((await fetch(`${m.url}/api/projects`, { headers: { authorization: `Bearer ${t.access_token}` } })).status).toBe(401);
    const authorize = await fetch(
      `${m.url}/oauth/authorize?response_type=code&client_id=${reg.client_id}&redirect_uri=${encodeURIComponent('http://localhost:1/cb')}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`,
      { redirect: 'manual' },
    );
    expect(authorize.status).toBe(401);
  });

  it('GET /_mock/openapi.json is valid and lists exactly the /_mock routes', async () => {
    const doc = await (await fetch(`${m.url}/_mock/openapi.json`)).json();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, object>))
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`);
    const served = new Set<string>();
    for (const layer of createRouter(m.mock).stack)
      for (const method of layer.methods)
        // The control panel's HTML form routes (/_mock/panel/…) are not part of the JSON API.
        if (method !== 'HEAD' && layer.path.startsWith('/_mock/') && !layer.path.startsWith('/_mock/panel/')) served.add(`${method} ${layer.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
    expect([...documented].sort()).toEqual([...served].sort());
  });
});
