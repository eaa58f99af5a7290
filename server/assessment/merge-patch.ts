/**
 * JSON Merge Patch (RFC 7396), the format of SmartRecruiters' results PATCH (providers.md §1.4.3:
 * "Follows RFC 7396 rules").
 *
 * @see https://www.rfc-editor.org/rfc/rfc7396#section-2
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7396 §2 MergePatch(Target, Patch): what the target becomes once the patch is applied. */
export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else result[name] = applyMergePatch(result[name], value);
  }
  return result;
}

/**
 * One patch with the effect of applying `first` then `second` to any document, so undelivered
 * patches of an order travel as one: later fields win, and a `null` (delete) is kept so SR still
 * removes the field. Where `second` replaces an object wholesale (a non-object value), it wins.
 */
export function composeMergePatches(first: JsonObject, second: JsonObject): JsonObject {
  const result: JsonObject = { ...first };
  for (const [name, value] of Object.entries(second)) {
    const earlier = result[name];
    if (isObject(value) && isObject(earlier)) result[name] = composeMergePatches(earlier, value);
    else if (isObject(value) && earlier === null) result[name] = applyMergePatch(null, value) as JsonObject; // deleted, then set anew
    else result[name] = value;
  }
  return result;
}
