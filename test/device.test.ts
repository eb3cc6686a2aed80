// Device authorization grant (RFC 8628) for the first-party mobile client, and its pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, signedInCookie } from './helpers/browser-session.js';
import { DEMO, postForm, startTestMock, USERS, type TestMock } from './helpers/mock.js';

const MOBILE = '6b7a2d2b-5f2a-4a57-9ea5-31a4d5b0c5f9';
const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

let m: TestMock;
let auto: TestMock;
beforeAll(async () => {
  [m, auto] = await Promise.all([startTestMock(), startTestMock({ autoApprove: 'maria' })]);
});
afterAll(async () => {
  await Promise.all([m.close(), auto.close()]);
  expect([...m.logs, ...auto.logs]).toEqual([]);
});

async function start(base: string, scope = 'project:read user:read project:read') {
  const res = await postForm(`${base}/oauth/device_authorization`, { client_id: MOBILE, scope });
  expect(res.status).toBe(200);
  return (await res.json()) as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; expires_in: number; interval: number };
}

const poll = (base: string, deviceCode: string, clientId = MOBILE) =>
  postForm(`${base}/oauth/token`, { grant_type: GRANT, device_code: deviceCode, client_id: clientId });

describe('POST /oauth/device_authorization', () => {
  it('answers the RFC 8628 fields with a sorted, de-duplicated scope', async () => {
    const body = await start(m.url);
    expect(body.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user_code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}$/);
    expect(body.verification_uri).toBe(`${m.issuer}/oauth/device`);
    expect(body.verification_uri_complete).toBe(`${m.issuer}/oauth/device?user_code=${body.user_code}`);
    expect(body.expires_in).toBe(900);
    expect(body.interval).toBe(5);
  });

  it('refuses unknown clients, non-device clients and bad scopes', async () => {
    const unknown = await postForm(`${m.url}/oauth/device_authorization`, { client_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
    const demo = await postForm(`${m.url}/oauth/device_authorization`, { client_id: DEMO.clientId, client_secret: DEMO.secret });
    expect(demo.status).toBe(400);
    expect(await demo.json()).toEqual({ error: 'unauthorized_client', error_description: 'Client is not allowed to use the device flow.' });
    const scope = await postForm(`${m.url}/oauth/device_authorization`, { client_id: MOBILE, scope: 'openid' });
    expect(scope.status).toBe(400);
    expect(await scope.json()).toEqual({ error: 'invalid_scope', error_description: 'Requested scope is invalid.' });
  });
});

describe('polling the token endpoint', () => {
  it('is pending, then slow_down when too fast, then tokens once approved in the browser', async () => {
    const { device_code, user_code } = await start(m.url);
    const first = await poll(m.url, device_code);
    expect(first.status).toBe(400);
    expect(await first.json()).toEqual({ error: 'authorization_pending', error_description: 'User has not completed device authorization yet.' });
    const fast = await poll(m.url, device_code);
    expect(await fast.json()).toEqual({ error: 'slow_down', error_description: 'Slow down your polling frequency.' });

    const cookie = await signedInCookie(m.url, 'alex', `/oauth/device?user_code=${user_code}`);
    const page = await fetch(`${m.url}/oauth/device?user_code=${user_code.toLowerCase().replace('-', ' ')}`, { headers: { cookie } });
    const html = await page.text();
    expect(html).toContain('App: <strong>Glossia Mobile</strong>');
    expect(html).toContain('<code>project:read</code>');
    const csrf = csrfToken(html);
    const confirm = await fetch(`${m.url}/oauth/device/confirm`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, user_code, decision: 'approve' }),
      redirect: 'manual',
    });
    expect(confirm.status).toBe(302);
    expect(confirm.headers.get('location')).toBe(`/oauth/device?user_code=${user_code}&notice=approved`);

    m.mock.clock.advance(5);
    const ok = await poll(m.url, device_code);
    const tokens = await ok.json();
    expect(ok.status).toBe(200);
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'project:read user:read' });
    const introspected = await (
      await postForm(`${m.url}/oauth/introspect`, { token: tokens.access_token, client_id: DEMO.clientId, client_secret: DEMO.secret })
    ).json();
    expect(introspected).toMatchObject({ active: true, sub: USERS.alex, client_id: MOBILE });

    m.mock.clock.advance(5);
    const again = await poll(m.url, device_code);
    expect(await again.json()).toEqual({ error: 'invalid_grant', error_description: 'Device code is invalid or already used.' });
  });

  it('reports a denial, expiry, and missing or unknown device codes', async () => {
    const denied = await start(m.url);
    const cookie = await signedInCookie(m.url, 'dev', '/oauth/device');
    const html = await (await fetch(`${m.url}/oauth/device?user_code=${denied.user_code}`, { headers: { cookie } })).text();
    const csrf = csrfToken(html);
    await postForm(`${m.url}/oauth/device/confirm`, { _csrf: csrf, user_code: denied.user_code, decision: 'deny' }, { cookie });
    expect(await (await poll(m.url, denied.device_code)).json()).toMatchObject({ error: 'access_denied' });

    const late = await start(m.url);
    m.mock.clock.advance(901);
    expect(await (await poll(m.url, late.device_code)).json()).toEqual({ error: 'expired_token', error_description: 'Device code has expired.' });

    const missing = await postForm(`${m.url}/oauth/token`, { grant_type: GRANT, client_id: MOBILE });
    expect(await missing.json()).toEqual({ error: 'invalid_request', error_description: 'Missing device_code parameter.' });
    const unknown = await poll(m.url, 'nope');
    expect(await unknown.json()).toEqual({ error: 'invalid_grant', error_description: 'Device code is invalid or already used.' });
  });

  it('refuses a confirm without a valid CSRF token and sends strangers to sign in', async () => {
    const { user_code } = await start(m.url);
    const anonymous = await fetch(`${m.url}/oauth/device?user_code=${user_code}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe(`/auth/login?return_to=${encodeURIComponent(`/oauth/device?user_code=${user_code}`)}`);
    const cookie = await signedInCookie(m.url, 'dev', '/oauth/device');
    const forged = await postForm(`${m.url}/oauth/device/confirm`, { _csrf: 'forged', user_code, decision: 'approve' }, { cookie });
    expect(forged.status).toBe(403);
  });

  it('is approved at once for the --auto-approve user', async () => {
    const { device_code } = await start(auto.url, 'voice:read');
    const res = await poll(auto.url, device_code);
    expect(res.status).toBe(200);
    const tokens = await res.json();
    const api = await fetch(`${auto.url}/api/projects`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(api.status).toBe(403);
    expect(await api.json()).toEqual({ error: 'insufficient_scope', required_scope: 'project:read' });
  });
});
