/**
 * JSON Merge Patch (RFC 7396): the Appendix A examples, and the composition the kit uses to send
 * an order's undelivered updates as one patch — applying the composition must equal applying the
 * patches one after another (for documents shaped like SR's PackageResult, whose only object field,
 * `score`, is always replaced whole).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMergePatch, composeMergePatches, type Json, type JsonObject } from '../../../server/assessment/merge-patch.js';

describe('RFC 7396 Appendix A', () => {
  it.each<[Json, Json, Json]>([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j patched with %j is %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});

/** PackageResult-shaped patches: scalars, whole scores, arrays, and removals. */
const scalar = fc.oneof(fc.constantFrom('IN_PROGRESS', 'PENDING', 'COMPLETED'), fc.string({ maxLength: 5 }));
const score = fc.record({ raw: fc.integer(), min: fc.integer(), max: fc.integer() });
const patch: fc.Arbitrary<JsonObject> = fc.record(
  {
    status: fc.option(scalar, { nil: null }),
    summary: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
    score: fc.option(score, { nil: null }),
    attachments: fc.option(fc.array(fc.record({ type: fc.constant('PDF_URL'), url: fc.webUrl() }), { maxLength: 2 }), { nil: null }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<JsonObject>;

describe('composeMergePatches', () => {
  it('applying the composition equals applying the patches in order (PackageResult shapes)', () => {
    fc.assert(
      fc.property(patch, fc.array(patch, { minLength: 1, maxLength: 6 }), (start, patches) => {
        const document = applyMergePatch({}, start);
        const stepByStep = patches.reduce<Json>((current, next) => applyMergePatch(current, next), document);
        const composed = patches.reduce<JsonObject>((sum, next) => composeMergePatches(sum, next), {});
        expect(applyMergePatch(document, composed)).toEqual(stepByStep);
      }),
    );
  });

  it('keeps a removal (null) so SR still removes the field, and later fields win', () => {
    expect(composeMergePatches({ status: 'PENDING', summary: 'x' }, { status: 'COMPLETED', summary: null })).toEqual({ status: 'COMPLETED', summary: null });
    expect(composeMergePatches({ score: { raw: 1, min: 0, max: 2 } }, { score: { raw: 2, min: 0, max: 2 } })).toEqual({ score: { raw: 2, min: 0, max: 2 } });
  });
});
