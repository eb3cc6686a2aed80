// The package's main export, as a test suite uses it.
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGlossiaMock, type GlossiaMock } from '../src/index.js';
import { DEMO, form, pkce } from './helpers/mock.js';

let a: GlossiaMock;
let b: GlossiaMock;
const logs: string[] = [];
beforeAll(async () => {
  [a, b] = await Promise.all([
    startGlossiaMock({ autoApprove: 'dev', log: (l) => logs.push(l) }),
    startGlossiaMock({ autoApprove: 'alex', profile: 'production', log: (l) => logs.push(l) }),
  ]);
});
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
  expect(logs).toEqual([]);
});

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('startGlossiaMock', () => {
  it('starts isolated instances on random ports', async () => {
    expect(a.url).not.toBe(b.url);
    expect(a.issuer).toMatch(/^http:\/\/localhost:\d+$/);
    const [ma, mb] = await Promise.all([a, b].map(async (m) => (await fetch(`${m.url}/.well-known/oauth-authorization-server`)).json()));
    expect(ma.issuer).toBe(a.issuer);
    expect(mb.issuer).toBe(b.issuer);
    expect(ma.jwks_uri).toBeDefined();
    expect(mb.jwks_uri).toBeUndefined();
  });

  it('keeps registrations, tokens, faults and clocks apart', async () => {
    const reg = await fetch(`${a.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://localhost:9/cb'] }),
    });
    const { client_id } = await reg.json();
    const { challenge } = pkce();
    const q = form({ response_type: 'code', client_id, redirect_uri: 'http://localhost:9/cb', code_challenge: challenge, code_challenge_method: 'S256' });
    expect((await fetch(`${a.url}/oauth/authorize?${q}`, { redirect: 'manual' })).status).toBe(302);
    // The other instance never heard of that client: Glossia's JSON 401 (production profile).
    const elsewhere = await fetch(`${b.url}/oauth/authorize?${q}`, { redirect: 'manual' });
    expect(elsewhere.status).toBe(401);
    expect(await elsewhere.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client_id or redirect_uri.' });

    const token = await a.mintToken({ user: 'maria', scope: 'project:read' });
    expect((await fetch(`${a.url}/api/projects`, { headers: bearer(token.access_token) })).status).toBe(200);
    expect((await fetch(`${b.url}/api/dev/projects`, { headers: bearer(token.access_token) })).status).toBe(401);

    a.faults.add('api=503');
    expect(b.faults.list()).toEqual([]);
    expect((await fetch(`${b.url}/api/openapi.json`)).status).toBe(200);
    expect((await fetch(`${a.url}/api/openapi.json`)).status).toBe(503);
    a.faults.clear();

    a.clock.advance(3600);
    expect(a.clock.now().getTime() - b.clock.now().getTime()).toBeGreaterThan(3_599_000);
  });

  it('shares one signing key among in-memory instances (tokens stay apart), or generates its own on request', async () => {
    const c = await startGlossiaMock({ log: (l) => logs.push(l) });
    const own = await startGlossiaMock({ ownSigningKey: true, log: (l) => logs.push(l) });
    try {
      const kids = await Promise.all([a, c, own].map(async (m) => (await (await fetch(`${m.url}/.well-known/jwks.json`)).json()).keys.map((k: JWK) => k.kid)));
      expect(kids[0]).toHaveLength(1);
      expect(kids[1]).toEqual(kids[0]);
      expect(kids[2]).toHaveLength(1);
      expect(kids[2]).not.toEqual(kids[0]);
      // Same key, separate stores: a token of one instance is unknown to the other.
      const t = await c.mintToken({ user: 'dev', scope: 'project:read' });
      const jwks = createLocalJWKSet(await (await fetch(`${a.url}/.well-known/jwks.json`)).json());
      await expect(jwtVerify(t.access_token, jwks, { issuer: c.issuer })).resolves.toBeTruthy();
      expect((await fetch(`${c.url}/api/projects`, { headers: bearer(t.access_token) })).status).toBe(200);
      expect((await fetch(`${a.url}/api/projects`, { headers: bearer(t.access_token) })).status).toBe(401);
    } finally {
      await Promise.all([c.stop(), own.stop()]);
    }
  });

  it('mintToken gives a token pair that behaves like one from the flow', async () => {
    const t = await b.mintToken({ user: 'alex', scope: 'project:read', expiresIn: 120 });
    expect(t).toMatchObject({ token_type: 'bearer', expires_in: 119, client_id: DEMO.clientId, scope: 'project:read' });
    const projects = await fetch(`${b.url}/api/northwind/projects`, { headers: bearer(t.access_token) });
    expect(projects.status).toBe(200);
    const refreshed = await fetch(`${b.url}/oauth/token`, {
      method: 'POST',
      body: form({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: DEMO.clientId, client_secret: DEMO.secret }),
    });
    expect(refreshed.status).toBe(200);
    b.clock.advance(121);
    expect((await fetch(`${b.url}/api/northwind/projects`, { headers: bearer(t.access_token) })).status).toBe(401);
    await expect(b.mintToken({ user: 'nobody' })).rejects.toThrow('"nobody" is not a fixture user');
    await expect(b.mintToken({ user: 'dev', scope: 'project:raed' })).rejects.toThrow('unknown or repeated scope');
  });

  it('reset() goes back to the fixtures and clears faults, journal and clock', async () => {
    const t = await a.mintToken({ user: 'dev', scope: 'project:read project:write' });
    const created = await fetch(`${a.url}/api/dev/projects`, {
      method: 'POST',
      headers: { ...bearer(t.access_token), 'content-type': 'application/json' },
      body: JSON.stringify({ project_handle: 'temp', name: 'Temp' }),
    });
    expect(created.status).toBe(201);
    a.faults.add({ endpoint: 'token', error: 'invalid_grant' });
    a.clock.advance(100);
    await a.reset();
    expect(a.faults.list()).toEqual([]);
    expect(a.requests()).toEqual([]);
    expect(Math.abs(a.clock.now().getTime() - Date.now())).toBeLessThan(5_000);
    const t2 = await a.mintToken({ user: 'dev', scope: 'project:read' });
    const list = await (await fetch(`${a.url}/api/dev/projects`, { headers: bearer(t2.access_token) })).json();
    expect(list.projects.map((p: { handle: string }) => p.handle)).not.toContain('temp');
    expect((await fetch(`${a.url}/api/dev/projects`, { headers: bearer(t.access_token) })).status).toBe(401);
  });

  it('requests() links one grant from authorize to the API and never shows a whole secret', async () => {
    await a.reset();
    const { verifier, challenge } = pkce();
    const q = form({
      response_type: 'code',
      client_id: DEMO.clientId,
      redirect_uri: DEMO.redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'project:read',
      state: 's1',
    });
    const auth = await fetch(`${a.url}/oauth/authorize?${q}`, { redirect: 'manual' });
    const code = new URL(auth.headers.get('location')!).searchParams.get('code')!;
    const tokens = await (
      await fetch(`${a.url}/oauth/token`, {
        method: 'POST',
        body: form({ grant_type: 'authorization_code', code, redirect_uri: DEMO.redirectUri, client_id: DEMO.clientId, client_secret: DEMO.secret, code_verifier: verifier }),
      })
    ).json();
    const refreshed = await (
      await fetch(`${a.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${DEMO.clientId}:${DEMO.secret}`).toString('base64')}` },
        body: form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
      })
    ).json();
    await fetch(`${a.url}/api/projects`, { headers: bearer(refreshed.access_token) });

    const all = a.requests();
    expect(all.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /api/projects 200',
      'POST /oauth/token 200',
      'POST /oauth/token 200',
      'GET /oauth/authorize 302',
    ]);
    const flow = all[0]!.flow!;
    expect(flow).toBeTruthy();
    expect(all.every((e) => e.flow === flow && e.user === 'dev' && e.client_id === DEMO.clientId)).toBe(true);
    expect(a.requests({ flow }).length).toBe(4);
    expect(a.requests({ path: '/oauth/token' }).length).toBe(2);
    expect(a.requests({ user: 'maria' })).toEqual([]);

    const text = JSON.stringify(all);
    for (const secret of [code, tokens.access_token, tokens.refresh_token, refreshed.access_token, DEMO.secret, verifier])
      expect(text).not.toContain(secret);
    expect(all[3]!.location).toMatch(/code=[A-Za-z0-9]{6}…&state=s1$/);
  });

  it('rate limits are on by default with Glossia numbers', async () => {
    const limited = await startGlossiaMock({ log: (l) => logs.push(l) });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await fetch(`${limited.url}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
      expect(limited.rateLimits.counters()).toMatchObject([{ bucket: 'register:ip:127.0.0.1', count: 6, limit: 5 }]);
      limited.rateLimits.reset();
      expect(limited.rateLimits.counters()).toEqual([]);
    } finally {
      await limited.stop();
    }
  });
});
