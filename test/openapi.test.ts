// GET /api/openapi.json: a valid OpenAPI 3.1 document listing exactly the routes the router serves.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../src/api/openapi.js';
import { createRouter } from '../src/routes.js';
import { SCOPES } from '../src/oauth/scopes.js';
import { startTestMock, type TestMock } from './helpers/mock.js';

type Doc = { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>; components: { securitySchemes: { oauth2: { flows: { authorizationCode: { scopes: Record<string, string>; tokenUrl: string } } } } } };

let doc: TestMock;
let prod: TestMock;
beforeAll(async () => {
  [doc, prod] = await Promise.all([startTestMock(), startTestMock({ profile: 'production' })]);
});
afterAll(async () => {
  await Promise.all([doc.close(), prod.close()]);
  expect([...doc.logs, ...prod.logs]).toEqual([]);
});

/** `GET /api/{handle}/projects`-style keys for every method the live router serves under a prefix. */
function served(m: TestMock, prefix: string): Set<string> {
  const out = new Set<string>();
  for (const layer of createRouter(m.mock).stack)
    for (const method of layer.methods)
      if (method !== 'HEAD' && layer.path.startsWith(prefix)) out.add(`${method} ${openApiPath(layer.path)}`);
  return out;
}

function documented(d: Doc, prefix: string): Set<string> {
  const out = new Set<string>();
  for (const [path, ops] of Object.entries(d.paths))
    if (path.startsWith(prefix)) for (const method of Object.keys(ops)) out.add(`${method.toUpperCase()} ${path}`);
  return out;
}

describe.each([
  ['documented', () => doc],
  ['production', () => prod],
])('GET /api/openapi.json (%s profile)', (_name, mock) => {
  let d: Doc;
  beforeAll(async () => {
    const res = await fetch(`${mock().url}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    d = (await res.json()) as Doc;
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(d as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(d.openapi).toBe('3.1.0');
    expect(d.servers[0]!.url).toBe(mock().issuer);
  });

  it('lists exactly the /api routes the router serves', () => {
    expect([...documented(d, '/api/')].sort()).toEqual([...served(mock(), '/api/')].sort());
  });

  it('documents only OAuth and discovery routes that exist', () => {
    for (const prefix of ['/oauth/', '/.well-known/']) {
      const live = served(mock(), prefix);
      for (const op of documented(d, prefix)) expect(live, op).toContain(op);
    }
  });

  it('has the oauth2 scheme with all 36 scopes, and every API operation names its scope', () => {
    const flow = d.components.securitySchemes.oauth2.flows.authorizationCode;
    expect(Object.keys(flow.scopes).sort()).toEqual([...SCOPES]);
    expect(flow.tokenUrl).toBe(`${mock().issuer}/oauth/token`);
    for (const [path, ops] of Object.entries(d.paths))
      if (path.startsWith('/api/') && path !== '/api/openapi.json')
        for (const [method, op] of Object.entries(ops)) {
          const scope = op.security?.[0]?.['oauth2']?.[0];
          expect(SCOPES, `${method} ${path}`).toContain(scope);
        }
  });
});

it('is public and needs no token', async () => {
  const res = await fetch(`${doc.url}/api/openapi.json`);
  expect(res.status).toBe(200);
});
