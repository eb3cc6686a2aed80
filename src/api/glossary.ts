// Glossary, "terminology" in the UI (reference 9.8): versioned per account like the voice. GET
// answers a version, or with `?locale=` the entries translated for that locale; POST adds version
// max+1; history lists the versions. Unlike the voice, a public account's glossary is not public.
import { isoMicros } from '../clock.js';
import { uuidv7 } from '../crypto/random.js';
import { JsonError } from '../http/errors.js';
import type { Params } from '../http/params.js';
import type { GlossaryEntryRecord, GlossaryRecord } from '../store/schema.js';
import { readListQuery } from './list-query.js';
import { bestMatch, LOCALE, LOCALE_MESSAGE, normalizeLocale } from './locales.js';
import type { Principal } from './policy.js';
import type { ApiRequest, ApiRoute } from './route.js';
import { Changeset } from './validation.js';
import { nestedList, nextVersion, optionalString, pickVersion, readLocale, readVersion } from './versioned.js';

/** glossary:read (reference 6.2): public accounts are not included. */
const READ_MEMBERS: readonly Principal[] = ['super_admin', 'org_admin', 'org_member'];
const NO_GLOSSARY = () => new JsonError(404, { error: 'no terminology configured' });

export const glossaryJson = (g: GlossaryRecord) => ({
  version: g.version,
  change_note: g.change_note,
  inserted_at: g.inserted_at,
  entries: g.entries.map((e) => ({
    term: e.term,
    definition: e.definition,
    case_sensitive: e.case_sensitive,
    translations: e.translations.map((t) => ({ locale: t.locale, translation: t.translation })),
  })),
});

/** Pure: the entries translated for `locale` (exact, then its language), each with that translation, by term. */
export function resolveGlossary(g: GlossaryRecord, locale: string) {
  const entries = g.entries
    .flatMap((e) => {
      const t = bestMatch(e.translations, locale);
      return t ? [{ id: e.id, term: e.term, definition: e.definition, case_sensitive: e.case_sensitive, translation: t.translation }] : [];
    })
    .sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return { version: g.version, locale: normalizeLocale(locale), entries };
}

function show({ mock, account, query }: ApiRequest) {
  const locale = readLocale(query);
  const version = locale === undefined ? readVersion(query) : undefined;
  const glossary = pickVersion(mock.directory.world().glossaries, account.handle, version);
  if (!glossary) throw NO_GLOSSARY();
  return locale === undefined ? glossaryJson(glossary) : resolveGlossary(glossary, locale);
}

function history({ mock, account, query }: ApiRequest) {
  const page = readListQuery(query, {
    sortable: ['version', 'inserted_at'],
    filterable: ['version', 'change_note'],
    defaultOrder: ['version', 'desc'],
  });
  const rows = mock.directory
    .world()
    .glossaries.filter((g) => g.account === account.handle)
    .map((g) => ({ version: g.version, change_note: g.change_note, inserted_at: g.inserted_at }));
  const { items, meta } = page(rows);
  return { versions: items, meta };
}

/** Ecto's boolean cast: true/false and their string forms; absent or blank → the default, false. */
function booleanField(c: Changeset, key: string): boolean {
  const v = c.body[key];
  if (v === undefined || v === null || v === '') return false;
  if (v === true || v === 'true' || v === '1') return true;
  if (v === false || v === 'false' || v === '0') return false;
  c.add(key, 'is invalid');
  return false;
}

function readTranslation(body: Params): { locale: string; translation: string } {
  const c = new Changeset(body);
  const locale = c.required('locale');
  c.format('locale', locale, LOCALE, LOCALE_MESSAGE);
  const translation = c.required('translation');
  c.check();
  return { locale: locale!, translation: translation! };
}

/** One entry, validated before its translations (the 422 names the first record that fails). */
function readEntry(body: Params, id: string): GlossaryEntryRecord {
  const c = new Changeset(body);
  const term = c.required('term');
  const definition = optionalString(c, 'definition');
  const case_sensitive = booleanField(c, 'case_sensitive');
  const translations = nestedList(c, 'translations');
  c.check();
  return { id, term: term!, definition, case_sensitive, translations: translations.map(readTranslation) };
}

function create({ mock, account, caller, body }: ApiRequest) {
  const c = new Changeset(body);
  const change_note = optionalString(c, 'change_note');
  const entryBodies = nestedList(c, 'entries');
  c.check();
  const nowMs = mock.clock.nowMs();
  const entries: GlossaryEntryRecord[] = [];
  for (const entryBody of entryBodies) {
    const entry = readEntry(entryBody, uuidv7(nowMs));
    // The unique index on (glossary_id, term): Ecto reports it on glossary_id.
    if (entries.some((e) => e.term === entry.term)) throw new JsonError(422, { errors: { glossary_id: ['has already been taken'] } });
    entries.push(entry);
  }
  const world = mock.directory.world();
  const glossary: GlossaryRecord = {
    account: account.handle,
    version: nextVersion(world.glossaries, account.handle),
    change_note,
    created_by: caller.user.id,
    inserted_at: isoMicros(nowMs),
    entries,
  };
  world.glossaries.push(glossary);
  mock.store.recordChanged('glossaries', glossary);
  return glossaryJson(glossary);
}

export const glossaryRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/:handle/glossary',
    scope: 'glossary:read',
    who: READ_MEMBERS,
    target: 'account',
    summary: "Get an account's terminology (latest, a version, or the entries for a locale)",
    tag: 'Glossary',
    status: 200,
    queryParams: ['version', 'locale'],
    handle: show,
  },
  {
    method: 'post',
    path: '/api/:handle/glossary',
    scope: 'glossary:write',
    who: ['org_admin'],
    target: 'account',
    summary: 'Create a new terminology version',
    tag: 'Glossary',
    status: 201,
    body: { change_note: 'string', entries: 'array' },
    handle: create,
  },
  {
    method: 'get',
    path: '/api/:handle/glossary/history',
    scope: 'glossary:read',
    who: READ_MEMBERS,
    target: 'account',
    summary: "List an account's terminology versions",
    tag: 'Glossary',
    status: 200,
    paginated: true,
    handle: history,
  },
];
