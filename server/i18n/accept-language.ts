/**
 * The tags of an `Accept-Language` header (RFC 9110 §12.5.4), most preferred first. Entries with
 * q=0 are refusals and dropped; `*` and malformed entries are dropped (negotiation then falls to
 * the kit's default). Bounded: a header of hundreds of entries is read only for its first 32.
 */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  const entries: Array<{ tag: string; q: number; index: number }> = [];
  for (const [index, part] of header.split(',', 32).entries()) {
    const [tag = '', ...params] = part.trim().split(';');
    const qParam = params.map((param) => param.trim()).find((param) => param.toLowerCase().startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (tag === '*' || !(q > 0 && q <= 1)) continue;
    entries.push({ tag: tag.trim(), q, index });
  }
  return entries.sort((a, b) => b.q - a.q || a.index - b.index).map((entry) => entry.tag);
}
