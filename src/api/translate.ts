// POST /api/:handle/translate (reference 9.12): one translation work item in, the translated text
// and the model that "ran" it out. The model is resolved as Glossia does (the account model named
// by `model`, else the account's default) and the text comes from the offline pseudo-translator.
// This controller answers its own errors in Glossia's other envelope,
// {"error":{"message","type":"api_error","code":null}}; scope and policy keep the standard 403s.
import { apiErrorEnvelope } from '../http/errors.js';
import type { Params } from '../http/params.js';
import type { ModelRecord } from '../store/schema.js';
import { bestMatch } from './locales.js';
import { FORMATS, pseudoTranslate, UnparsableSource, type Format, type Term } from './pseudo-translate.js';
import type { ApiRequest, ApiRoute } from './route.js';
import { pickVersion } from './versioned.js';

interface WorkItem {
  format: Format;
  locale: string;
  sourceContent: string;
  /** The `model` parameter as a string ("" when absent), as Glossia keeps it for the 404 text. */
  model: string;
}

const unprocessable = (message: string) => apiErrorEnvelope(422, message);

/** Glossia's `to_string`: strings as they are, numbers and booleans spelled out; null is absent. */
function scalar(params: Params, field: string): string | undefined {
  const v = params[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // Glossia crashes on a list or an object here; a mock says what is wrong instead.
  throw unprocessable(`invalid value for field: ${field} (expected a string)`);
}

/** The body (over the query, like Phoenix's merged params), checked in Glossia's order. */
function readWorkItem(params: Params): WorkItem {
  // `payload["format"] || "markdown"`: absent, null and false mean the default.
  const format = params['format'] === false ? 'markdown' : (scalar(params, 'format') ?? 'markdown');
  if (!(FORMATS as readonly string[]).includes(format)) throw unprocessable(`unsupported format: ${format}`);
  for (const field of ['source_language', 'language', 'locale']) {
    const value = scalar(params, field);
    if (value === undefined || value.trim() === '') throw unprocessable(`missing required field: ${field}`);
  }
  // Only an absent source_content is missing: an empty one is translated (to nothing).
  const sourceContent = scalar(params, 'source_content');
  if (sourceContent === undefined) throw unprocessable('missing required field: source_content');
  return { format: format as Format, locale: scalar(params, 'locale')!, sourceContent, model: scalar(params, 'model') ?? '' };
}

/** The named account model, or (no name) the account's default; else Glossia's 404. */
function resolveModel({ mock, account }: ApiRequest, requested: string): ModelRecord {
  const models = mock.directory.world().models.filter((m) => m.account === account.handle);
  const handle = requested.trim();
  const model = handle === '' ? models.find((m) => m.default) : models.find((m) => m.handle === handle);
  if (!model) throw apiErrorEnvelope(404, `model '${handle === '' ? requested : handle}' not found — configure it in account settings`);
  return model;
}

/** The account's latest glossary, each term with its translation for `locale` (exact, then language). */
function glossaryTerms({ mock, account }: ApiRequest, locale: string): Term[] {
  const glossary = pickVersion(mock.directory.world().glossaries, account.handle, undefined);
  return (glossary?.entries ?? []).map((e) => ({
    term: e.term,
    case_sensitive: e.case_sensitive,
    translation: bestMatch(e.translations, locale)?.translation ?? null,
  }));
}

async function translate(req: ApiRequest) {
  const item = readWorkItem({ ...req.query, ...req.body });
  const model = resolveModel(req, item.model);
  let text: string;
  try {
    text = await pseudoTranslate(item.sourceContent, item.format, { locale: item.locale, terms: glossaryTerms(req, item.locale) });
  } catch (err) {
    if (err instanceof UnparsableSource) throw unprocessable(`source_content is not valid ${err.message}`);
    throw err;
  }
  return { text, model: model.model, model_handle: model.handle, provider: model.model.split('/')[0]! };
}

export const translateRoutes: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/:handle/translate',
    scope: 'translation:write',
    who: ['org_admin', 'org_member'],
    target: 'account',
    envelope: 'api_error',
    summary: 'Translate one work item with an account model (offline pseudo-localisation in the mock)',
    tag: 'Translate',
    status: 200,
    body: {
      source_content: 'string',
      source_language: 'string',
      language: 'string',
      locale: 'string',
      format: 'string',
      model: 'string',
      context_body: 'string',
      locale_override_body: 'string',
      server_context_body: 'string',
      custom_prompt: 'string',
    },
    handle: translate,
  },
];
