// Discovery documents (RFC 8414, RFC 9728), the JWKS, and the JSON 404/405 answers, over real HTTP.
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMock, type TestMock } from './helpers/mock.js';
import { tokensFor } from './helpers/tokens.js';

// Reference 6.1, in the sorted order discovery uses.
const SCOPES_36 = `account:read admin:read admin:write api_credentials:read api_credentials:write
discussion:admin discussion:read discussion:write glossary:admin glossary:read glossary:write
llm_model:read llm_model:write members:read members:write ops:read
organization:admin organization:delete organization:read organization:write
project:admin project:delete project:read project:write
quality:admin quality:read quality:write ticket:admin ticket:read ticket:write
translation:write user:read user:write voice:admin voice:read voice:write`.split(/\s+/);

/** Reference 2.1: exactly these 11 members. */
function productionMetadata(i: string) {
  return {
    authorization_endpoint: `${i}/oauth/authorize`,
    code_challenge_methods_supported: ['S256'],
    device_authorization_endpoint: `${i}/oauth/device_authorization`,
    grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    introspection_endpoint: `${i}/oauth/introspect`,
    issuer: i,
    registration_endpoint: `${i}/oauth/register`,
    response_types_supported: ['code'],
    revocation_endpoint: `${i}/oauth/revoke`,
    scopes_supported: SCOPES_36,
    token_endpoint: `${i}/oauth/token`,
  };
}

function documentedMetadata(i: string) {
  return {
    ...productionMetadata(i),
    jwks_uri: `${i}/.well-known/jwks.json`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };
}

async function getJson(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { res, text, body: text === '' ? undefined : (JSON.parse(text) as Record<string, any>) };
}

function expectJsonType(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
}

let doc: TestMock;
let prod: TestMock;
let custom: TestMock;
let slash: TestMock;

beforeAll(async () => {
  [doc, prod, custom, slash] = await Promise.all([
    startTestMock({ autoApprove: 'dev' }),
    startTestMock({ profile: 'production' }),
    startTestMock({ issuer: 'https://idp.example.test' }),
    startTestMock({ issuer: 'https://idp.example.test:8443/' }),
  ]);
});

afterAll(async () => {
  await Promise.all([doc, prod, custom, slash].filter(Boolean).map((m) => m.close()));
});

describe('GET /.well-known/oauth-authorization-server', () => {
  it('documented: the reference members plus jwks_uri and the *_auth_methods_supported members', async () => {
    const { res, body, text } = await getJson(`${doc.url}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    expectJsonType(res);
    // The issuer is derived from the listen address, with `localhost` for 127.0.0.1 and no trailing slash.
    const port = new URL(doc.url).port;
    expect(doc.issuer).toBe(`http://localhost:${port}`);
    expect(body).toStrictEqual(documentedMetadata(doc.issuer));
    expect(Object.keys(body!)).toHaveLength(15);
    // Members come in alphabetical order, as Jason emits them.
    const keys = Object.keys(JSON.parse(text));
    expect(keys).toEqual([...keys].sort());
  });

  it('production: exactly the 11 members of reference 2.1, none of the absent ones', async () => {
    const { res, body, text } = await getJson(`${prod.url}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    expectJsonType(res);
    expect(body).toStrictEqual(productionMetadata(prod.issuer));
    expect(Object.keys(body!)).toHaveLength(11);
    for (const absent of [
      'jwks_uri',
      'token_endpoint_auth_methods_supported',
      'revocation_endpoint_auth_methods_supported',
      'introspection_endpoint_auth_methods_supported',
      'userinfo_endpoint',
      'response_modes_supported',
      'service_documentation',
      'client_id_metadata_document_supported',
    ]) {
      expect(body).not.toHaveProperty(absent);
    }
    const keys = Object.keys(JSON.parse(text));
    expect(keys).toEqual([...keys].sort());
  });

  it('advertises the 36 scopes, sorted, without openid', async () => {
    for (const m of [doc, prod]) {
      const { body } = await getJson(`${m.url}/.well-known/oauth-authorization-server`);
      const scopes = body!['scopes_supported'] as string[];
      expect(scopes).toHaveLength(36);
      expect(new Set(scopes).size).toBe(36);
      expect(scopes).toEqual([...scopes].sort());
      expect(scopes).toEqual(SCOPES_36);
      expect(scopes).not.toContain('openid');
    }
  });

  it('builds every URL from the issuer, with no trailing slash', async () => {
    const { body } = await getJson(`${doc.url}/.well-known/oauth-authorization-server`);
    const urls = Object.entries(body!).filter(([k]) => k.endsWith('_endpoint') || k.endsWith('_uri') || k === 'issuer');
    expect(urls.map(([k]) => k).sort()).toEqual(
      [
        'authorization_endpoint',
        'device_authorization_endpoint',
        'introspection_endpoint',
        'issuer',
        'jwks_uri',
        'registration_endpoint',
        'revocation_endpoint',
        'token_endpoint',
      ].sort(),
    );
    for (const [, v] of urls) {
      expect(String(v).startsWith(doc.issuer)).toBe(true);
      expect(String(v)).not.toMatch(/\/\/.*\/\//);
    }
    expect(body!['issuer']).not.toMatch(/\/$/);
  });

  it('--issuer changes every URL in both documents', async () => {
    const i = 'https://idp.example.test';
    expect(custom.issuer).toBe(i);
    const as = await getJson(`${custom.url}/.well-known/oauth-authorization-server`);
    expect(as.res.status).toBe(200);
    expect(as.body).toStrictEqual(documentedMetadata(i));
    // Nothing leaks the listen address.
    expect(as.text).not.toContain('localhost');
    expect(as.text).not.toContain('127.0.0.1');

    const prm = await getJson(`${custom.url}/.well-known/oauth-protected-resource`);
    expect(prm.body).toStrictEqual({
      authorization_servers: [i],
      bearer_methods_supported: ['header'],
      resource: i,
      scopes_supported: SCOPES_36,
    });
  });

  it('--issuer with a trailing slash is normalised (no double slashes in endpoints)', async () => {
    const i = 'https://idp.example.test:8443';
    expect(slash.issuer).toBe(i);
    const { body } = await getJson(`${slash.url}/.well-known/oauth-authorization-server`);
    expect(body!['issuer']).toBe(i);
    expect(body!['token_endpoint']).toBe(`${i}/oauth/token`);
    expect(body!['jwks_uri']).toBe(`${i}/.well-known/jwks.json`);
  });

  it('HEAD is answered like GET, without a body', async () => {
    const res = await fetch(`${doc.url}/.well-known/oauth-authorization-server`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expectJsonType(res);
    expect(await res.text()).toBe('');
  });
});

describe('GET /.well-known/oauth-protected-resource', () => {
  it('has the four members of reference 2.2, resource = the site root', async () => {
    for (const m of [doc, prod]) {
      const { res, body } = await getJson(`${m.url}/.well-known/oauth-protected-resource`);
      expect(res.status).toBe(200);
      expectJsonType(res);
      expect(body).toStrictEqual({
        authorization_servers: [m.issuer],
        bearer_methods_supported: ['header'],
        resource: m.issuer,
        scopes_supported: SCOPES_36,
      });
      expect(body!['resource']).not.toMatch(/\/mcp$/);
    }
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('documented: one public RSA signing key, no private members', async () => {
    const { res, body } = await getJson(`${doc.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expectJsonType(res);
    expect(Object.keys(body!)).toEqual(['keys']);
    const keys = body!['keys'] as Record<string, unknown>[];
    expect(keys).toHaveLength(1);
    const key = keys[0]!;
    expect(key['kty']).toBe('RSA');
    expect(key['alg']).toBe('RS256');
    expect(key['use']).toBe('sig');
    expect(typeof key['kid']).toBe('string');
    expect((key['kid'] as string).length).toBeGreaterThan(0);
    expect(key['e']).toBe('AQAB');
    // 2048-bit modulus: 256 bytes = 342 base64url characters.
    expect(key['n']).toMatch(/^[A-Za-z0-9_-]{342}$/);
    for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
      expect(key).not.toHaveProperty(privateMember);
    }
    expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('documented: is stable and verifies the access tokens the mock issues', async () => {
    const first = await getJson(`${doc.url}/.well-known/jwks.json`);
    const second = await getJson(`${doc.url}/.well-known/jwks.json`);
    expect(second.body).toStrictEqual(first.body);

    const tokens = await tokensFor(doc, 'user:read');
    const jwks = createLocalJWKSet(first.body as { keys: JWK[] });
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: doc.issuer, algorithms: ['RS256'] });
    expect(protectedHeader.kid).toBe((first.body!['keys'] as JWK[])[0]!.kid);
    expect(payload.iss).toBe(doc.issuer);
  });

  it('production: does not exist (404 JSON, like every unknown path)', async () => {
    const { res, body } = await getJson(`${prod.url}/.well-known/jwks.json`);
    expect(res.status).toBe(404);
    expectJsonType(res);
    expect(body).toStrictEqual({ errors: { detail: 'Not Found' } });
  });
});

describe('unknown paths and wrong methods', () => {
  it.each([
    '/nope',
    '/.well-known/openid-configuration',
    '/.well-known/oauth-authorization-server/mcp',
    '/.well-known/oauth-protected-resource/mcp',
    '/oauth/userinfo',
  ])('GET %s → 404 {"errors":{"detail":"Not Found"}}', async (path) => {
    for (const m of [doc, prod]) {
      const { res, text } = await getJson(`${m.url}${path}`);
      expect(res.status).toBe(404);
      expectJsonType(res);
      expect(text).toBe('{"errors":{"detail":"Not Found"}}');
    }
  });

  it('POST to a discovery document → 405 with Allow', async () => {
    const { res, body } = await getJson(`${doc.url}/.well-known/oauth-authorization-server`, { method: 'POST' });
    expect(res.status).toBe(405);
    expectJsonType(res);
    const allow = res.headers.get('allow')!.split(/,\s*/).sort();
    expect(allow).toEqual(['GET', 'HEAD']);
    expect(body).toStrictEqual({
      error: 'method_not_allowed',
      error_description: 'POST is not allowed on /.well-known/oauth-authorization-server.',
    });
  });

  it('GET /oauth/token → 405 Allow: POST', async () => {
    const { res, body } = await getJson(`${doc.url}/oauth/token`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(body!['error']).toBe('method_not_allowed');
  });

  it('DELETE /oauth/authorize → 405 listing GET and POST', async () => {
    const res = await fetch(`${doc.url}/oauth/authorize`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    const allow = res.headers.get('allow')!.split(/,\s*/).sort();
    expect(allow).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('no internal errors were logged', () => {
    expect(doc.logs).toEqual([]);
    expect(prod.logs).toEqual([]);
    expect(custom.logs).toEqual([]);
    expect(slash.logs).toEqual([]);
  });
});
