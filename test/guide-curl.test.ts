// The public guide (/work/shared/login-with-glossia.txt), run as written against both profiles: its curl commands, with
// the real curl binary and only `https://glossia.ai` replaced by the mock's URL, in the guide's
// order. Flags added for observation (-s, -w) never change the request itself.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestMock, type TestMock } from './helpers/mock.js';

const run = promisify(execFile);

const CALLBACK = 'https://myapp.com/auth/callback';

/**
 * What each profile answers to the guide's steps. The documented profile gives what the guide
 * shows; the production profile gives the real server's answers, so a client written against the
 * guide sees here where it would break in production (step 5's flat project list above all).
 */
const PROFILES = {
  documented: {
    tokens: {
      access_token: expect.stringMatching(/^eyJhbGciOiJSUzI1/),
      token_type: 'bearer',
      expires_in: 3600,
      refresh_token: expect.any(String),
      scope: 'user:read project:read',
    },
    redirectKeys: ['code', 'state'],
    projectsPath: '/api/projects',
    replayed: 'The authorization code has expired or was already used.',
  },
  production: {
    tokens: {
      access_token: expect.stringMatching(/^[A-Za-z0-9]{86}$/),
      token_type: 'bearer',
      expires_in: 86399,
      refresh_token: expect.any(String),
    },
    redirectKeys: ['code', 'expires_in', 'state'],
    // The guide's GET /api/projects does not exist there (reference §16 #1).
    projectsPath: '/api/dev/projects',
    replayed: 'Given authorization code is invalid, revoked, or expired.',
  },
} as const;

const mocks: Partial<Record<keyof typeof PROFILES, TestMock>> = {};
beforeAll(async () => {
  mocks.documented = await startTestMock({ autoApprove: 'dev' });
  mocks.production = await startTestMock({ autoApprove: 'dev', profile: 'production' });
});
afterAll(() => Promise.all(Object.values(mocks).map((m) => m.close())));
afterEach(() => {
  for (const m of Object.values(mocks)) expect(m.logs).toEqual([]);
});

/** Runs curl; returns the body and the status line curl reports with -w. */
async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-s', '-S', ...args, '-w', '\n%{http_code}'], { timeout: 10_000 });
  const cut = stdout.lastIndexOf('\n');
  return { body: stdout.slice(0, cut), status: Number(stdout.slice(cut + 1)) };
}

// Step 2 of the guide, verbatim but for the TypeScript annotations (node's global webcrypto).
function generateCodeVerifier() {
  const array = new Uint8Array(32);
  crypto.getRandomValues(array);
  return btoa(String.fromCharCode(...array))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
async function generateCodeChallenge(verifier: string) {
  const encoder = new TextEncoder();
  const data = encoder.encode(verifier);
  const digest = await crypto.subtle.digest('SHA-256', data);
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

describe.each(Object.keys(PROFILES) as (keyof typeof PROFILES)[])('the guide, step by step, with curl (%s profile)', (profile) => {
  const expected = PROFILES[profile];
  let m: TestMock;
  beforeAll(() => {
    m = mocks[profile]!;
  });
  // Shared across the steps, in the guide's order; each step needs the ones before it.
  let clientId: string;
  let clientSecret: string;
  let codeVerifier: string;
  let codeChallenge: string;
  let state: string;
  let code: string;
  let accessToken: string;
  let refreshToken: string;

  /** Step 4's token request, the -d lines verbatim. */
  const exchangeCode = () =>
    curl([
      '-X', 'POST', `${m.url}/oauth/token`,
      '-H', 'Content-Type: application/x-www-form-urlencoded',
      '-d', 'grant_type=authorization_code',
      '-d', `code=${code}`,
      '-d', `redirect_uri=${CALLBACK}`,
      '-d', `client_id=${clientId}`,
      '-d', `client_secret=${clientSecret}`,
      '-d', `code_verifier=${codeVerifier}`,
    ]);

  it('1. registers a client (option B, the JSON body verbatim)', async () => {
    const { status, body } = await curl([
      '-X', 'POST', `${m.url}/oauth/register`,
      '-H', 'Content-Type: application/json',
      '-d', `{
"client_name": "My App",
"redirect_uris": ["https://myapp.com/auth/callback"],
"grant_types": ["authorization_code"]
}`,
    ]);
    expect(status, body).toBe(201);
    const json = JSON.parse(body);
    expect(json).toMatchObject({ client_id: expect.any(String), client_secret: expect.any(String), redirect_uris: [CALLBACK] });
    clientId = json.client_id;
    clientSecret = json.client_secret;
  });

  it('2. generates the PKCE pair with the guide’s functions', async () => {
    codeVerifier = generateCodeVerifier();
    codeChallenge = await generateCodeChallenge(codeVerifier);
    expect(codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codeChallenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('3. the authorization URL of the guide redirects to the callback with code and state', async () => {
    state = generateCodeVerifier();
    const url =
      `${m.url}/oauth/authorize?` +
      'response_type=code' +
      `&client_id=${clientId}` +
      `&redirect_uri=${CALLBACK}` +
      `&code_challenge=${codeChallenge}` +
      '&code_challenge_method=S256' +
      '&scope=user:read+project:read' +
      `&state=${state}`;
    const { stdout } = await run('curl', ['-s', '-S', '-o', '/dev/null', '-w', '%{redirect_url}', url], { timeout: 10_000 });
    expect(stdout.startsWith(`${CALLBACK}?`), stdout).toBe(true);
    const redirect = new URL(stdout);
    expect([...redirect.searchParams.keys()]).toEqual(expected.redirectKeys);
    expect(redirect.searchParams.get('error'), stdout).toBeNull();
    expect(redirect.searchParams.get('state')).toBe(state);
    code = redirect.searchParams.get('code')!;
    expect(code).toEqual(expect.any(String));
    expect(code).not.toBe('');
  });

  it('4. exchanges the code for tokens (the -d lines verbatim)', async () => {
    const { status, body } = await exchangeCode();
    expect(status, body).toBe(200);
    const json = JSON.parse(body);
    expect(Object.keys(json).sort()).toEqual(Object.keys(expected.tokens).sort());
    expect(json).toEqual(expected.tokens);
    accessToken = json.access_token;
    refreshToken = json.refresh_token;
  });

  it('5. calls the API on behalf of the user', async () => {
    if (profile === 'production') {
      const guide = await curl(['-H', `Authorization: Bearer ${accessToken}`, `${m.url}/api/projects`]);
      expect(guide.status, guide.body).toBe(404);
    }
    const { status, body } = await curl(['-H', `Authorization: Bearer ${accessToken}`, `${m.url}${expected.projectsPath}`]);
    expect(status, body).toBe(200);
    const json = JSON.parse(body);
    expect(Array.isArray(json.projects)).toBe(true);
    expect(json.projects.length).toBeGreaterThan(0);
  });

  it('6. refreshes the token', async () => {
    const { status, body } = await curl([
      '-X', 'POST', `${m.url}/oauth/token`,
      '-H', 'Content-Type: application/x-www-form-urlencoded',
      '-d', 'grant_type=refresh_token',
      '-d', `refresh_token=${refreshToken}`,
      '-d', `client_id=${clientId}`,
      '-d', `client_secret=${clientSecret}`,
    ]);
    expect(status, body).toBe(200);
    const json = JSON.parse(body);
    expect(json).toEqual(expected.tokens);
    expect(json.refresh_token).not.toBe(refreshToken);
    expect(json.access_token).not.toBe(accessToken);
    accessToken = json.access_token;
    refreshToken = json.refresh_token;
    const api = await curl(['-H', `Authorization: Bearer ${accessToken}`, `${m.url}${expected.projectsPath}`]);
    expect(api.status, api.body).toBe(200);
  });

  it('7. revokes the access token, and the API then says 401', async () => {
    const revoked = await curl([
      '-X', 'POST', `${m.url}/oauth/revoke`,
      '-H', 'Content-Type: application/x-www-form-urlencoded',
      '-d', `token=${accessToken}`,
      '-d', `client_id=${clientId}`,
      '-d', `client_secret=${clientSecret}`,
    ]);
    expect(revoked.status, revoked.body).toBe(200);
    expect(revoked.body).toBe('');

    const api = await curl(['-H', `Authorization: Bearer ${accessToken}`, `${m.url}${expected.projectsPath}`]);
    expect(api.status, api.body).toBe(401);
    expect(JSON.parse(api.body)).toEqual({ error: 'invalid_token' });
  });

  it('token errors: the same code a second time gives the guide’s 400 body exactly', async () => {
    const { status, body } = await exchangeCode();
    expect(status, body).toBe(400);
    expect(JSON.parse(body)).toStrictEqual({
      error: 'invalid_grant',
      error_description: expected.replayed,
    });
  });
});
