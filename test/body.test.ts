// Request bodies read as koa-bodyparser read them (it was replaced to save its start-up cost): flat
// forms without qs give exactly qs's result, and JSON, encodings and content types behave as before.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import qs from 'qs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlatForm } from '../src/http/form.js';
import { startTestMock, type TestMock } from './helpers/mock.js';

describe('flat forms read without qs', () => {
  const FORMS = [
    '',
    'a=1',
    'a=1&b=2&a=3',
    'a=1&a=2&a=3&a=4&a=5&a=6&a=7&a=8&a=9&a=10&a=11&a=12&a=13&a=14&a=15&a=16&a=17&a=18&a=19&a=20',
    'a=x+y&b=%2B&c=%20%41',
    'name=%E0%A4%A&x=%ZZ&&&==',
    'flag&=empty&novalue=&=',
    'constructor=1&__proto__=2&toString=3&hasOwnProperty=4&ok=5',
    '2=two&1=one&z=last',
    'a=b=c&k=v%3Dw',
    'scope=user%3Aread+project%3Aread&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcallback',
    'caf%C3%A9=%E2%9C%93&emoji=%F0%9F%98%80',
    Array.from({ length: 1200 }, (_, i) => `p${i}=${i}`).join('&'),
  ];
  it.each(FORMS)('%# is what qs reads', (text) => {
    expect(parseFlatForm(text)).toStrictEqual(qs.parse(text, { allowDots: true }));
  });

  const NESTED = [
    'a[b]=c',
    'a%5Bb%5D=c',
    'a[]=1&a[]=2',
    'a.b=c',
    'a%2Eb=c',
    'x=1]=2',
    // The 21st repeat makes qs turn the list into an object.
    Array.from({ length: 21 }, (_, i) => `a=${i}`).join('&'),
  ];
  it.each(NESTED)('%# is left to qs', (text) => {
    expect(parseFlatForm(text)).toBeNull();
  });
});

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
