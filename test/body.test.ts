// Request bodies as koa-bodyparser reads them: JSON, forms (nested ones through qs), content
// encodings, byte order marks and content types, seen over HTTP.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMock, type TestMock } from './helpers/mock.js';

describe('request bodies over HTTP', () => {
  let m: TestMock;
  beforeAll(async () => {
    m = await startTestMock();
  });
  afterAll(async () => {
    await m.close();
  });

  const metadata = { client_name: 'Body test', redirect_uris: ['http://localhost:4000/cb'] };
  const register = (body: BodyInit, headers: Record<string, string>) => fetch(`${m.url}/oauth/register`, { method: 'POST', headers, body });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('a %s-compressed JSON body is inflated', async (encoding, compress) => {
    const res = await register(compress(JSON.stringify(metadata)), { 'content-type': 'application/json', 'content-encoding': encoding });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject(metadata);
  });

  it('an unknown Content-Encoding → 415 invalid_request', async () => {
    const res = await register(JSON.stringify(metadata), { 'content-type': 'application/json', 'content-encoding': 'compress' });
    expect(res.status).toBe(415);
    expect(await res.json()).toStrictEqual({ error: 'invalid_request', error_description: 'Unsupported request body encoding.' });
  });

  it('a compressed body that does not inflate → 400 invalid_request', async () => {
    const res = await register('not gzip at all', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual({ error: 'invalid_request', error_description: 'The request body could not be read.' });
  });

  it('a body that inflates past the limit → 413', async () => {
    const big = JSON.stringify({ ...metadata, client_name: 'x'.repeat(100_000) });
    const res = await register(gzipSync(big), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('UTF-8 JSON with a byte order mark, and a JSON type with a trailing ";"', async () => {
    const bom = await register(`\uFEFF${JSON.stringify(metadata)}`, { 'content-type': 'application/json; charset=utf-8' });
    expect(bom.status).toBe(201);
    const semicolon = await register(JSON.stringify(metadata), { 'content-type': 'application/json;' });
    expect(semicolon.status).toBe(201);
    expect(await semicolon.json()).toMatchObject(metadata);
  });

  it.each(['"a string"', '42', '{"client_name": "x", "__proto__": {"polluted": true}}', '{"a": [{"\\u005f_proto__": 1}]}'])(
    'JSON %s → 400 unparsable',
    async (body) => {
      const res = await register(body, { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(await res.json()).toStrictEqual({
        error: 'invalid_request',
        error_description: 'The request body could not be parsed; send a JSON object or a form.',
      });
    },
  );

  it('a body of another type is no parameters at all', async () => {
    const res = await register(JSON.stringify(metadata), { 'content-type': 'text/plain' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ client_name: '', redirect_uris: [] });
  });

  it('a nested form is read by qs: redirect_uris[0] and a dotted name', async () => {
    const res = await register('client_name=Nested+form&redirect_uris[0]=http%3A%2F%2Flocalhost%3A4000%2Fcb&logo.x=1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ client_name: 'Nested form', redirect_uris: ['http://localhost:4000/cb'] });
  });

  it('nothing was logged as an internal error', () => {
    expect(m.logs).toStrictEqual([]);
  });
});
