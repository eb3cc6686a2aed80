// LLM models (reference 9.11): an account's model configurations. The provider API key is stored
// but never returned. The first model of an account is always its default, and making one the
// default unsets the others, so an account has at most one.
import { isoMicros } from '../clock.js';
import { uuidv7 } from '../crypto/random.js';
import { JsonError } from '../http/errors.js';
import type { ModelRecord } from '../store/schema.js';
import { queryId } from './ids.js';
import { readListQuery, type ListSpec } from './list-query.js';
import type { Principal } from './policy.js';
import type { ApiRequest, ApiRoute } from './route.js';
import { Changeset } from './validation.js';

const LIST: ListSpec = { sortable: ['handle', 'model', 'inserted_at'], filterable: ['handle', 'model'], defaultOrder: ['handle', 'asc'] };
const READERS: readonly Principal[] = ['super_admin', 'org_admin'];
const WRITERS: readonly Principal[] = ['org_admin'];

const MODEL_HANDLE = /^[a-z][a-z0-9-]*$/;
const HANDLE_MESSAGE = 'must start with a lowercase letter and contain only lowercase letters, numbers, and hyphens';
/** `provider/model`: a provider without slashes, then a model name (which may contain more). */
const PROVIDER_MODEL = /^[^\s/]+\/\S+$/;
const MODEL_MESSAGE = 'must be in the format provider/model';
const HTTP_URL = /^https?:\/\/\S+$/;
const URL_MESSAGE = 'must start with http:// or https://';

export function modelJson(m: ModelRecord) {
  return {
    id: m.id,
    handle: m.handle,
    model: m.model,
    base_url: m.base_url,
    default: m.default,
    inserted_at: m.inserted_at,
    updated_at: m.updated_at,
  };
}

const modelNotFound = () => new JsonError(404, { error: 'model not found' });

const accountModels = ({ mock, account }: ApiRequest) => mock.directory.world().models.filter((m) => m.account === account.handle);

function findModel(req: ApiRequest): ModelRecord {
  const id = queryId(req.params['id']!);
  const model = accountModels(req).find((m) => m.id === id);
  if (!model) throw modelNotFound();
  return model;
}

/** A boolean field: JSON true/false or the form strings "true"/"false"; anything else is "is invalid". */
function readBool(c: Changeset, key: string): boolean | undefined {
  const v = c.body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  c.add(key, 'is invalid');
  return undefined;
}

/** The writable fields present in the body, validated; `creating` makes the required ones required. */
function readFields(c: Changeset, creating: boolean) {
  const present = (key: string) => c.body[key] !== undefined && c.body[key] !== null;
  // The body field is model_handle: `handle` is the account in the path.
  const handle = creating || present('model_handle') ? c.required('model_handle', 'handle') : undefined;
  c.length('handle', handle, 2, 64);
  c.format('handle', handle, MODEL_HANDLE, HANDLE_MESSAGE);
  const model = creating || present('model') ? c.required('model') : undefined;
  c.format('model', model, PROVIDER_MODEL, MODEL_MESSAGE);
  const apiKey = creating || present('api_key') ? c.required('api_key') : undefined;
  // Ecto casts an empty string to nil: an empty base_url clears it.
  const rawUrl = c.string('base_url');
  const baseUrl = rawUrl === undefined || rawUrl === '' ? (Object.hasOwn(c.body, 'base_url') ? null : undefined) : rawUrl;
  if (typeof baseUrl === 'string') c.format('base_url', baseUrl, HTTP_URL, URL_MESSAGE);
  const isDefault = readBool(c, 'default');
  return { handle, model, apiKey, baseUrl, isDefault };
}

function takenHandle(req: ApiRequest, c: Changeset, handle: string | undefined, self?: ModelRecord): void {
  if (handle !== undefined && !c.has('handle') && accountModels(req).some((m) => m !== self && m.handle === handle))
    c.add('handle', 'has already been taken');
}

/** `model` becomes the account's only default. */
function makeDefault(req: ApiRequest, model: ModelRecord, now: string): void {
  for (const other of accountModels(req))
    if (other !== model && other.default) {
      other.default = false;
      other.updated_at = now;
      req.mock.store.recordChanged('models', other);
    }
  model.default = true;
}

function list(req: ApiRequest) {
  const page = readListQuery(req.query, LIST);
  const { items, meta } = page(accountModels(req).map(modelJson));
  return { models: items, meta };
}

function show(req: ApiRequest) {
  return { model: modelJson(findModel(req)) };
}

function create(req: ApiRequest) {
  const { mock, caller, account, body } = req;
  const c = new Changeset(body);
  const f = readFields(c, true);
  c.check();
  takenHandle(req, c, f.handle);
  c.check();
  const nowMs = mock.clock.nowMs();
  const now = isoMicros(nowMs);
  const record: ModelRecord = {
    id: uuidv7(nowMs),
    account: account.handle,
    handle: f.handle!,
    model: f.model!,
    api_key: f.apiKey!,
    base_url: f.baseUrl ?? null,
    default: false,
    created_by: caller.user.id,
    inserted_at: now,
    updated_at: now,
  };
  const first = accountModels(req).length === 0;
  mock.directory.world().models.push(record);
  if (first || f.isDefault === true) makeDefault(req, record, now);
  mock.store.recordChanged('models', record);
  return { model: modelJson(record) };
}

function update(req: ApiRequest) {
  const { mock, body } = req;
  const record = findModel(req);
  const c = new Changeset(body);
  const f = readFields(c, false);
  c.check();
  takenHandle(req, c, f.handle, record);
  c.check();
  const now = isoMicros(mock.clock.nowMs());
  if (f.handle !== undefined) record.handle = f.handle;
  if (f.model !== undefined) record.model = f.model;
  if (f.apiKey !== undefined) record.api_key = f.apiKey;
  if (f.baseUrl !== undefined) record.base_url = f.baseUrl;
  if (f.isDefault === true) makeDefault(req, record, now);
  else if (f.isDefault === false) record.default = false;
  record.updated_at = now;
  mock.store.recordChanged('models', record);
  return { model: modelJson(record) };
}

function remove(req: ApiRequest) {
  const record = findModel(req);
  const models = req.mock.directory.world().models;
  models.splice(models.indexOf(record), 1);
  req.mock.store.recordRemoved('models', record);
  return { status: 'deleted' };
}

const BODY = { model_handle: 'string', model: 'string', api_key: 'string', base_url: 'string', default: 'boolean' } as const;

export const modelRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/:handle/models',
    scope: 'llm_model:read',
    who: READERS,
    target: 'account',
    summary: "List an account's LLM models (the API key is never returned)",
    tag: 'Models',
    status: 200,
    paginated: true,
    handle: list,
  },
  {
    method: 'post',
    path: '/api/:handle/models',
    scope: 'llm_model:write',
    who: WRITERS,
    target: 'account',
    summary: "Add an LLM model (an account's first model is its default)",
    tag: 'Models',
    status: 201,
    body: BODY,
    handle: create,
  },
  {
    method: 'get',
    path: '/api/:handle/models/:id',
    scope: 'llm_model:read',
    who: READERS,
    target: 'account',
    summary: 'Show an LLM model',
    tag: 'Models',
    status: 200,
    handle: show,
  },
  {
    method: 'patch',
    path: '/api/:handle/models/:id',
    scope: 'llm_model:write',
    who: WRITERS,
    target: 'account',
    summary: 'Update an LLM model (only the fields given; default=true unsets the others)',
    tag: 'Models',
    status: 200,
    body: BODY,
    handle: update,
  },
  {
    method: 'delete',
    path: '/api/:handle/models/:id',
    scope: 'llm_model:write',
    who: WRITERS,
    target: 'account',
    summary: 'Delete an LLM model',
    tag: 'Models',
    status: 200,
    handle: remove,
  },
];
