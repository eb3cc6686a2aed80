// The client conformance report: clients that break rules fail exactly the checks they break, a
// careful client fails none, and the report reaches clients as JSON, a page, and the CLI's files.
import { describe, expect, it } from 'vitest';
import { api, bearer, call } from './helpers/api.js';
import { json } from './helpers/http.js';
import { authorizeUrl, autoApprovedCode, DEMO, mockStarter, pkce, postForm, SPA, type TestMock } from './helpers/mock.js';
import { checksWith } from './helpers/report.js';
import { ok, registerClient, type Tokens } from './helpers/tokens.js';
import type { ClientReport, Report } from '../src/report/engine.js';

const start = mockStarter({ autoApprove: 'dev' });

const checkOf = (r: ClientReport | undefined, id: string) => r!.checks.find((c) => c.id === id)!;

async function reportOf(m: TestMock, clientId: string): Promise<ClientReport> {
  const res = await fetch(`${m.url}/_mock/report?client_id=${clientId}`);
  expect(res.status).toBe(200);
  return (await json(res)) as ClientReport;
}

interface Client {
  clientId: string;
  secret?: string | undefined;
}

/** Auto-approved authorization + code exchange for a client on the demo redirect URI. */
async function signIn(m: TestMock, c: Client, options: { state?: string; scope?: string } = {}): Promise<Tokens> {
  const { code, verifier } = await autoApprovedCode(m.url, { clientId: c.clientId, scope: options.scope ?? 'project:read', ...(options.state ? { state: options.state } : {}) });
  return ok(
    await postForm(`${m.url}/oauth/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: DEMO.redirectUri,
      client_id: c.clientId,
      client_secret: c.secret,
      code_verifier: verifier,
    }),
  );
}

const refreshWith = (m: TestMock, c: Client, token: string) =>
  postForm(`${m.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: token, client_id: c.clientId, client_secret: c.secret });

const goodState = () => pkce().verifier;

describe('client conformance report', () => {
  it('a sloppy client fails exactly the checks it breaks, with evidence and no whole secret', async () => {
    const m = await start();
    const sloppy = await registerClient(m, 'Sloppy app');

    // No state; then a rotated refresh token used again.
    const first = await signIn(m, sloppy);
    const second = await ok(await refreshWith(m, sloppy, first.refresh_token));
    expect((await refreshWith(m, sloppy, first.refresh_token)).status).toBe(400);

    // A new sign-in (no state again); a 429 retried at once.
    const tokens = await signIn(m, sloppy);
    const limited = await fetch(`${m.url}/api/projects`, { headers: { ...bearer(tokens.access_token), 'X-Glossia-Mock-Fault': '429' } });
    expect(limited.status).toBe(429);
    expect((await api(m, tokens.access_token)).status).toBe(200);

    // The token in a query string; then an expired token sent again after its 401.
    expect((await fetch(`${m.url}/api/projects?access_token=${tokens.access_token}`)).status).toBe(401);
    m.mock.clock.advance(3601);
    expect((await api(m, tokens.access_token)).status).toBe(401);
    expect((await api(m, tokens.access_token)).status).toBe(401);

    const report = await reportOf(m, sloppy.clientId);
    expect(report).toMatchObject({ client_id: sloppy.clientId, client_name: 'Sloppy app', client_type: 'confidential' });
    expect(checksWith(report, 'fail')).toEqual(['state.present', 'refresh.rotation', 'access.header', 'access.after_401', 'rate.retry_after']);
    // It refreshed but never revoked anything.
    expect(checksWith(report, 'warn')).toEqual(['logout.revoke']);
    expect(report.summary).toEqual({ fail: 5, warn: 1, pass: checksWith(report, 'pass').length, not_observed: checksWith(report, 'not_observed').length });

    expect(checkOf(report, 'state.present')).toMatchObject({ level: 'fail', observed: 2, violations: 2 });
    expect(checkOf(report, 'state.present').evidence[0]).toMatchObject({ method: 'GET', path: '/oauth/authorize', status: 302, note: 'no state parameter' });
    const reuse = checkOf(report, 'refresh.rotation');
    expect(reuse).toMatchObject({ violations: 1, reference: expect.stringContaining('OAuth 2.1 §4.3.1') });
    expect(reuse.evidence[0]).toMatchObject({ method: 'POST', path: '/oauth/token', status: 400, flow: expect.any(String) });
    expect(reuse.evidence[0]!.note).toMatch(/^refresh token already rotated by request #\d+$/);
    expect(checkOf(report, 'rate.retry_after').evidence[0]).toMatchObject({ path: '/api/projects', status: 200 });
    expect(checkOf(report, 'access.header').evidence[0]).toMatchObject({ path: '/api/projects', status: 401 });
    const after401 = checkOf(report, 'access.after_401');
    expect(after401).toMatchObject({ violations: 1, evidence: [expect.objectContaining({ status: 401 })] });

    const text = JSON.stringify(await (await fetch(`${m.url}/_mock/report`)).json());
    for (const secret of [sloppy.secret, first.access_token, first.refresh_token, second.refresh_token, tokens.access_token]) expect(text).not.toContain(secret);
  });

  it('the MCP server counts as a resource: an expired token sent to /mcp again after its 401 fails', async () => {
    const m = await start();
    const agent = await registerClient(m, 'Agent');
    const tokens = await signIn(m, agent, { state: goodState() });
    m.mock.clock.advance(3601);
    for (let i = 0; i < 2; i++) expect((await call(m, tokens.access_token, 'POST', '/mcp', {})).status).toBe(401);
    const report = await reportOf(m, agent.clientId);
    expect(checksWith(report, 'fail')).toEqual(['access.after_401']);
    expect(checkOf(report, 'access.after_401').evidence[0]).toMatchObject({ method: 'POST', path: '/mcp', status: 401 });
  });

  it('a careful client fails nothing and warns of nothing', async () => {
    const m = await start();
    const careful = await registerClient(m, 'Careful app');
    const tokens = await signIn(m, careful, { state: goodState() });
    expect((await api(m, tokens.access_token)).status).toBe(200);
    const refreshed = await ok(await refreshWith(m, careful, tokens.refresh_token));
    expect((await api(m, refreshed.access_token)).status).toBe(200);
    const revoked = await postForm(`${m.url}/oauth/revoke`, { token: refreshed.refresh_token, client_id: careful.clientId, client_secret: careful.secret });
    expect(revoked.status).toBe(200);

    const report = await reportOf(m, careful.clientId);
    expect(checksWith(report, 'fail')).toEqual([]);
    expect(checksWith(report, 'warn')).toEqual([]);
    expect(checksWith(report, 'pass')).toEqual(expect.arrayContaining(['pkce.s256', 'pkce.verifier', 'state.present', 'refresh.rotation', 'logout.revoke', 'scope.least_privilege']));
    expect(checksWith(report, 'not_observed')).toEqual(expect.arrayContaining(['device.interval', 'rate.retry_after', 'nonce.openid']));
  });

  it('a careless public client: PKCE, redirect URIs, state reuse, code replay and secrets', async () => {
    const m = await start();
    const spa: Client = { clientId: SPA.clientId };
    const authorize = (extra: Record<string, string>, redirectUri?: string) =>
      fetch(authorizeUrl(m.url, { clientId: SPA.clientId, challenge: pkce().challenge, ...(redirectUri ? { redirectUri } : {}), extra }), { redirect: 'manual' });
    const exchange = (code: string, verifier: string, extra: Record<string, string> = {}) =>
      postForm(`${m.url}/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: SPA.redirectUri, client_id: SPA.clientId, code_verifier: verifier, ...extra });

    expect((await authorize({ code_challenge_method: 'plain', state: goodState() })).status).toBe(302); // refused, back to the client
    expect((await authorize({ response_type: 'token', state: goodState() })).status).toBe(302); // refused too
    expect((await postForm(`${m.url}/oauth/token`, { grant_type: 'password', username: 'dev', password: 'x', client_id: SPA.clientId })).status).toBe(400);
    expect((await authorize({ state: goodState() }, 'http://localhost:3000/elsewhere')).status).toBe(401);

    // A short state (the README's curl example), openid without a nonce; the exchange first names the other redirect URI, then replays the code.
    const one = await autoApprovedCode(m.url, { clientId: SPA.clientId, state: 'xyz', scope: 'openid project:read' });
    expect((await exchange(one.code, one.verifier, { redirect_uri: 'http://127.0.0.1:3000/callback' })).status).toBe(400);
    const tokens = await ok(await exchange(one.code, one.verifier));
    expect((await api(m, tokens.access_token)).status).toBe(200);

    // The same state again; a secret from a public client; a verifier too short; a secret in a URL.
    const two = await autoApprovedCode(m.url, { clientId: SPA.clientId, state: 'xyz', scope: 'project:read' });
    expect((await exchange(two.code, two.verifier, { client_secret: 'not-a-secret' })).status).toBe(401);
    const three = await autoApprovedCode(m.url, { clientId: SPA.clientId, state: goodState(), scope: 'project:read' });
    expect((await exchange(three.code, 'too-short')).status).toBe(400);
    expect((await postForm(`${m.url}/oauth/token?client_secret=oops`, { grant_type: 'refresh_token', refresh_token: 'junk', client_id: spa.clientId })).status).toBe(400);

    const report = await reportOf(m, SPA.clientId);
    expect(report.client_type).toBe('public');
    expect(checksWith(report, 'fail')).toEqual([
      'grant.oauth21',
      'pkce.s256',
      'pkce.verifier',
      'state.unique',
      'redirect.registered',
      'code.single_use',
      'code.redirect_uri',
      'secret.public_client',
      'secret.not_in_url',
    ]);
    expect(checksWith(report, 'warn')).toEqual(['state.entropy', 'nonce.openid']);
    expect(checkOf(report, 'pkce.s256').evidence.map((e) => e.note)).toEqual(['code_challenge_method=plain']);
    expect(checkOf(report, 'grant.oauth21').evidence.map((e) => e.note)).toEqual([
      'response_type=token (implicit grant)',
      'grant_type=password (resource owner password credentials)',
    ]);
    expect(checkOf(report, 'redirect.registered').evidence[0]!.note).toBe('redirect_uri http://localhost:3000/elsewhere is not registered');
    expect(checkOf(report, 'state.entropy').evidence[0]!.note).toBe('state of 3 characters: about 18 bits');
  });

  it('device polling, a loop after access_denied, and scopes never needed', async () => {
    const m = await start({ autoApprove: null });
    const MOBILE = '6b7a2d2b-5f2a-4a57-9ea5-31a4d5b0c5f9';
    const started = (await json(await postForm(`${m.url}/oauth/device_authorization`, { client_id: MOBILE, scope: 'project:read' }))) as { device_code: string };
    const poll = async () =>
      ((await json(await postForm(`${m.url}/oauth/token`, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: started.device_code, client_id: MOBILE }))) as { error: string }).error;
    expect(await poll()).toBe('authorization_pending');
    expect(await poll()).toBe('slow_down');
    m.mock.clock.advance(6); // the interval, but not the 5 s more that slow_down asks for
    expect(await poll()).toBe('authorization_pending');
    const device = await reportOf(m, MOBILE);
    expect(checksWith(device, 'fail')).toEqual(['device.interval', 'device.slow_down']);
    expect(checkOf(device, 'device.interval')).toMatchObject({ observed: 2, violations: 1 });

    const auto = await start();
    auto.mock.faults.add({ endpoint: 'authorize', client_id: DEMO.clientId, error: 'access_denied' });
    // The client sends the very same authorization URL again and again.
    const url = authorizeUrl(auto.url, { challenge: pkce().challenge, state: goodState() });
    for (let i = 0; i < 3; i++) expect((await fetch(url, { redirect: 'manual' })).headers.get('location')).toMatch(/error=access_denied/);
    auto.mock.faults.clear();
    auto.mock.clock.advance(30); // a person reads the error and tries again: not a loop
    const tokens = await signIn(auto, { clientId: DEMO.clientId, secret: DEMO.secret }, { state: goodState(), scope: 'project:read project:write voice:read' });
    expect((await api(auto, tokens.access_token)).status).toBe(200);
    const demo = await reportOf(auto, DEMO.clientId);
    expect(checksWith(demo, 'fail')).toEqual(['authorize.denied_loop']);
    expect(checksWith(demo, 'warn')).toEqual(['scope.least_privilege']);
    expect(checkOf(demo, 'authorize.denied_loop')).toMatchObject({ observed: 3, violations: 1 });
    expect(checkOf(demo, 'scope.least_privilege').evidence[0]).toMatchObject({
      path: '/oauth/authorize',
      note: 'requested but needed by no API call: project:write, voice:read',
    });
  });

  it('GET /_mock/report for every client or one, the Report page with links to flows, 404 for an unknown client, reset', async () => {
    const m = await start();
    await autoApprovedCode(m.url, {}); // the demo client, without state
    await signIn(m, { clientId: SPA.clientId }, { state: goodState() });

    const all = (await json(await fetch(`${m.url}/_mock/report`))) as Report;
    expect(all.clients.map((c) => c.client_id)).toEqual([DEMO.clientId, SPA.clientId]);
    expect(all.summary).toMatchObject({ clients: 2, fail: 1, warn: 0 });
    expect(all.generated_at).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    const demo = all.clients[0]!;
    expect(demo).toMatchObject({ client_name: 'Glossia Mock Demo', client_type: 'confidential', requests: 1 });
    expect(demo.checks[1]).toEqual({
      id: 'pkce.s256',
      level: 'fail',
      title: expect.any(String),
      reference: expect.stringContaining('RFC 9700'),
      status: 'pass',
      observed: 1,
      violations: 0,
      evidence: [],
    });
    const flow = checkOf(demo, 'state.present').evidence[0]!.flow!;
    expect(flow).toMatch(/^[0-9a-f-]{36}$/);

    // A known client that did nothing: every check not observed. An unknown one: 404.
    const mobile = await reportOf(m, '6b7a2d2b-5f2a-4a57-9ea5-31a4d5b0c5f9');
    expect(mobile).toMatchObject({ requests: 0, summary: { fail: 0, warn: 0, pass: 0, not_observed: mobile.checks.length } });
    const unknown = await fetch(`${m.url}/_mock/report?client_id=nobody`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found' });
    expect((await fetch(`${m.url}/_mock/report?client_id=a&client_id=b`)).status).toBe(400);

    const res = await fetch(`${m.url}/_mock/panel/report`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<h1>Client conformance report</h1>');
    expect(page).toContain(`<h2 id="client-${DEMO.clientId}-h">Glossia Mock Demo</h2>`);
    expect(page).toContain(`<h2 id="client-${SPA.clientId}-h">Glossia Mock SPA</h2>`);
    expect(page).toMatch(/<code>state\.present<\/code>[\s\S]*?<span class="pill bad">Fail<\/span>[\s\S]*?no state parameter/);
    expect(page).toContain(`<a href="/_mock?flow=${flow}#journal"`);
    const one = await (await fetch(`${m.url}/_mock/panel/report?client_id=${SPA.clientId}`)).text();
    expect(one).toContain('Glossia Mock SPA');
    expect(one).not.toContain('Glossia Mock Demo</h2>');
    expect(await (await fetch(`${m.url}/_mock`)).text()).toContain('<a href="/_mock/panel/report">Client report</a>');

    expect((await fetch(`${m.url}/_mock/reset`, { method: 'POST' })).status).toBe(200);
    expect(((await json(await fetch(`${m.url}/_mock/report`))) as Report).clients).toEqual([]);
    expect(await (await fetch(`${m.url}/_mock/panel/report`)).text()).toContain('No client has made a request yet.');
  });

  it('production profile: an implicit grant fails, and its token in the redirect fragment is cut short in the journal', async () => {
    const m = await start({ profile: 'production' });
    const res = await fetch(`${m.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Implicit app', redirect_uris: [DEMO.redirectUri], grant_types: ['authorization_code', 'implicit'] }),
    });
    const { client_id } = (await json(res)) as { client_id: string };
    expect(res.status).toBe(201);
    const implicit = await fetch(authorizeUrl(m.url, { clientId: client_id, challenge: pkce().challenge, state: goodState(), extra: { response_type: 'token' } }), { redirect: 'manual' });
    const location = implicit.headers.get('location')!;
    const token = new URLSearchParams(new URL(location).hash.slice(1)).get('access_token')!;
    expect(token.length).toBeGreaterThan(20);

    const entry = m.mock.journal.list({ client_id })[0]!;
    expect(entry.location).toContain(`#access_token=${token.slice(0, 6)}…&`);
    expect(entry.flow).toMatch(/^[0-9a-f-]{36}$/);
    const report = await reportOf(m, client_id);
    expect(checksWith(report, 'fail')).toEqual(['grant.oauth21']);
    expect(JSON.stringify(report)).not.toContain(token);
  });
});

