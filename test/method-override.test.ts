// Plug.MethodOverride in Glossia's endpoint (reference 1.1): a POST with `_method` in its body is
// routed as DELETE, PUT or PATCH; any other value leaves it a POST.
import { beforeAll, expect, it } from 'vitest';
import { answer, call } from './helpers/api.js';
import { mockStarter, type TestMock } from './helpers/mock.js';
import { accessToken } from './helpers/tokens.js';

const start = mockStarter({ autoApprove: 'dev' });
let m: TestMock;
let token: string;
beforeAll(async () => {
  m = await start();
  token = await accessToken(m, 'llm_model:read llm_model:write');
});

const createModel = async (handle: string) =>
  (await answer<{ model: { id: string } }>(await call(m, token, 'POST', '/api/dev/models', { model_handle: handle, model: 'openai/gpt-4o', api_key: 'k' }), 201)).model.id;

it('a JSON or form POST with _method=patch / DELETE reaches the PATCH and DELETE routes', async () => {
  const id = await createModel('overridden');
  const patched = await answer<{ model: { handle: string } }>(
    await call(m, token, 'POST', `/api/dev/models/${id}`, new URLSearchParams({ _method: 'patch', model_handle: 'renamed' })),
    200,
  );
  expect(patched.model.handle).toBe('renamed');
  await answer(await call(m, token, 'POST', `/api/dev/models/${id}`, { _method: 'DELETE' }), 200, { status: 'deleted' });
  await answer(await call(m, token, 'GET', `/api/dev/models/${id}`), 404, { error: 'model not found' });
});

it('other values, and _method in the query, leave a POST a POST', async () => {
  const id = await createModel('kept');
  for (const body of [{ _method: 'GET' }, { _method: ['DELETE'] }, { _method: 'DELETEX' }])
    expect((await call(m, token, 'POST', `/api/dev/models/${id}`, body)).status).toBe(405);
  expect((await call(m, token, 'POST', `/api/dev/models/${id}?_method=DELETE`, {})).status).toBe(405);
  await answer(await call(m, token, 'GET', `/api/dev/models/${id}`), 200);
});
