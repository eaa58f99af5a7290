/**
 * Which shipped locale serves a request. Shared by the kit (Accept-Language, catalogue requests)
 * and its tests. Lookup per RFC 4647 §3.4, then any locale of the same language, so `de-AT`
 * gets `de` and `pt-PT` gets `pt-BR` rather than English: a reader of one variant reads another
 * far better than a foreign language. Nothing matching falls to the default, never to "".
 */

/** Languages written right to left (their scripts), for `dir`. */
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur']);

export const languageOf = (tag: string): string => tag.split('-', 1)[0]!.toLowerCase();

export const directionOf = (tag: string): 'rtl' | 'ltr' => (RTL_LANGUAGES.has(languageOf(tag)) ? 'rtl' : 'ltr');

/** Syntactically a BCP 47 tag we accept in a URL or an option (no wildcard, no private use). */
export const LOCALE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

/**
 * The best of `available` for `requested` (most preferred first), else `fallback`. Comparison
 * ignores case; the answer is spelled as in `available`.
 */
export function negotiateLocale(requested: readonly string[], available: readonly string[], fallback: string): string {
  const byLower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  for (const tag of requested) {
    if (!LOCALE_TAG.test(tag)) continue;
    const subtags = tag.toLowerCase().split('-');
    for (let length = subtags.length; length > 0; length--) {
      const match = byLower.get(subtags.slice(0, length).join('-'));
      if (match) return match;
    }
    const sameLanguage = available.find((candidate) => languageOf(candidate) === subtags[0]);
    if (sameLanguage) return sameLanguage;
  }
  return fallback;
}
