// Locale matching for the resolved voice and glossary answers (reference 9.7, 9.8). Pure: a
// requested locale (`_` read as `-`) matches exactly first, then by its own language prefix, so
// `es-AR` falls back to `es` but `es` never picks `es-MX`.

/** What a voice override or glossary translation may be keyed by. */
export const LOCALE = /^[a-z]{2}(-[A-Za-z]{2,})?$/;
export const LOCALE_MESSAGE = "must be a valid locale like 'en', 'ja', 'es-MX'";

export const normalizeLocale = (locale: string): string => locale.replaceAll('_', '-');

/** The locales to try for a request, most specific first. */
export function localeCandidates(requested: string): string[] {
  const exact = normalizeLocale(requested);
  const language = exact.split('-')[0]!;
  return language !== exact && language !== '' ? [exact, language] : [exact];
}

/** The item keyed by the best candidate locale, or undefined when none matches. */
export function bestMatch<T extends { locale: string }>(items: readonly T[], requested: string): T | undefined {
  for (const candidate of localeCandidates(requested)) {
    const hit = items.find((i) => i.locale === candidate);
    if (hit) return hit;
  }
  return undefined;
}
