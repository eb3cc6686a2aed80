// Voice (reference 9.7): versioned per account. GET answers a version, or with `?locale=` the voice
// as it applies to that locale; POST adds version max+1; history lists the versions.
import { isoMicros } from '../clock.js';
import { JsonError } from '../http/errors.js';
import type { Params } from '../http/params.js';
import type { VoiceOverrideRecord, VoiceRecord } from '../store/schema.js';
import { readListQuery } from './list-query.js';
import { bestMatch, LOCALE, LOCALE_MESSAGE } from './locales.js';
import { READ_PUBLIC } from './policy.js';
import type { ApiRequest, ApiRoute } from './route.js';
import { Changeset } from './validation.js';
import { nestedList, nextVersion, optionalString, pickVersion, readLocale, readVersion } from './versioned.js';

const TONES = ['casual', 'formal', 'playful', 'authoritative', 'neutral'] as const;
const FORMALITIES = ['informal', 'neutral', 'formal', 'very_formal'] as const;
const NO_VOICE = () => new JsonError(404, { error: 'no voice configured' });

const overrideJson = (o: VoiceOverrideRecord) => ({
  locale: o.locale,
  tone: o.tone,
  formality: o.formality,
  target_audience: o.target_audience,
  guidelines: o.guidelines,
});

export const voiceJson = (v: VoiceRecord) => ({
  version: v.version,
  tone: v.tone,
  formality: v.formality,
  target_audience: v.target_audience,
  guidelines: v.guidelines,
  inserted_at: v.inserted_at,
  overrides: v.overrides.map(overrideJson),
});

/** Pure: the voice as it applies to `locale` — the best override's non-null fields over the base. */
export function resolveVoice(v: VoiceRecord, locale: string) {
  const o = bestMatch(v.overrides, locale);
  return {
    version: v.version,
    tone: o?.tone ?? v.tone,
    formality: o?.formality ?? v.formality,
    target_audience: o?.target_audience ?? v.target_audience,
    guidelines: o?.guidelines ?? v.guidelines,
    description: v.description,
    target_countries: [...v.target_countries],
    cultural_notes: { ...v.cultural_notes },
    ...(o ? { locale: o.locale } : {}),
  };
}

/** The style fields a voice and each of its overrides share, validated alike. */
function styleFields(c: Changeset) {
  const tone = optionalString(c, 'tone');
  const formality = optionalString(c, 'formality');
  const target_audience = optionalString(c, 'target_audience');
  const guidelines = optionalString(c, 'guidelines');
  c.oneOf('tone', tone ?? undefined, TONES);
  c.oneOf('formality', formality ?? undefined, FORMALITIES);
  c.bytes('target_audience', target_audience, 500);
  c.bytes('guidelines', guidelines, 4000);
  return { tone, formality, target_audience, guidelines };
}

function readOverride(body: Params): VoiceOverrideRecord {
  const c = new Changeset(body);
  const locale = c.required('locale');
  c.format('locale', locale, LOCALE, LOCALE_MESSAGE);
  const style = styleFields(c);
  c.check();
  return { locale: locale!, ...style };
}

function show({ mock, account, query }: ApiRequest) {
  const locale = readLocale(query);
  const version = locale === undefined ? readVersion(query) : undefined;
  const voice = pickVersion(mock.directory.world().voices, account.handle, version);
  if (!voice) throw NO_VOICE();
  return locale === undefined ? voiceJson(voice) : resolveVoice(voice, locale);
}

function history({ mock, account, query }: ApiRequest) {
  const page = readListQuery(query, {
    sortable: ['version', 'inserted_at'],
    filterable: ['version', 'tone', 'formality'],
    defaultOrder: ['version', 'desc'],
  });
  const rows = mock.directory
    .world()
    .voices.filter((v) => v.account === account.handle)
    .map((v) => ({ version: v.version, inserted_at: v.inserted_at, tone: v.tone, formality: v.formality }));
  const { items, meta } = page(rows);
  return { versions: items.map(({ version, inserted_at }) => ({ version, inserted_at })), meta };
}

function create({ mock, account, caller, body }: ApiRequest) {
  // Glossia inserts the voice, then each override: the 422 names the first record that fails.
  const c = new Changeset(body);
  const style = styleFields(c);
  const overrideBodies = nestedList(c, 'overrides');
  c.check();
  const overrides = overrideBodies.map(readOverride);
  const world = mock.directory.world();
  const previous = pickVersion(world.voices, account.handle, undefined);
  const nowMs = mock.clock.nowMs();
  const voice: VoiceRecord = {
    account: account.handle,
    version: nextVersion(world.voices, account.handle),
    ...style,
    // Not settable through the API: carried over from the previous version.
    description: previous?.description ?? null,
    target_countries: [...(previous?.target_countries ?? [])],
    cultural_notes: { ...(previous?.cultural_notes ?? {}) },
    created_by: caller.user.id,
    inserted_at: isoMicros(nowMs),
    overrides,
  };
  world.voices.push(voice);
  mock.store.recordChanged('voices', voice);
  return voiceJson(voice);
}

export const voiceRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/:handle/voice',
    scope: 'voice:read',
    who: READ_PUBLIC,
    target: 'account',
    summary: "Get an account's voice (latest, a version, or resolved for a locale)",
    tag: 'Voice',
    status: 200,
    queryParams: ['version', 'locale'],
    handle: show,
  },
  {
    method: 'post',
    path: '/api/:handle/voice',
    scope: 'voice:write',
    who: ['org_admin'],
    target: 'account',
    summary: 'Create a new voice version',
    tag: 'Voice',
    status: 201,
    body: { tone: 'string', formality: 'string', target_audience: 'string', guidelines: 'string', overrides: 'array' },
    handle: create,
  },
  {
    method: 'get',
    path: '/api/:handle/voice/history',
    scope: 'voice:read',
    who: READ_PUBLIC,
    target: 'account',
    summary: "List an account's voice versions",
    tag: 'Voice',
    status: 200,
    paginated: true,
    handle: history,
  },
];
