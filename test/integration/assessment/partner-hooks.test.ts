/**
 * The partner's hooks answer SmartRecruiters' calls (seed 003 §2–§3: SR waits 15 s). A hook that
 * hangs, throws or returns what SR would refuse never makes SR wait past the kit's budget: the
 * package list answers from the last good catalogue for the same company and query, else 503; an
 * order whose inline URL could not be made stays stored and SR's retry completes it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PackageQuery } from '../../../server/assessment/assessment-options.js';
import type { AssessmentPackage } from '../../../server/assessment/sr-assessment-types.js';
import { enableAssessment, inlineOrderBody, orderBody, srCall, srToken } from '../../helpers/assessment-fixture.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';

type Mode = 'ok' | 'hang' | 'throw' | 'invalid' | 'empty' | 'shared' | 'frozen';
let mode: Mode = 'ok';
const seen: PackageQuery[] = [];
const PACKAGES: AssessmentPackage[] = [
  { id: 'p1', type: 'SKILL_TEST', name: 'Skills', description: 'A test', assessments: [] },
  { id: 'inline-1', type: 'INLINE_ASSESSMENT', name: 'Quiz', description: 'While applying', assessments: [] },
];
const never = () => new Promise<never>(() => {});
/** One array the hook hands back every time, which the test then changes. */
const SHARED: AssessmentPackage[] = [{ id: 'shared-1', type: 'SKILL_TEST', name: 'Shared', description: 'Same array', assessments: [] }];
const FROZEN: readonly AssessmentPackage[] = Object.freeze([Object.freeze({ id: 'frozen-1', type: 'SKILL_TEST', name: 'Frozen', description: 'Never changes', assessments: Object.freeze([]) as unknown as [] })]);

let demo: TestDemo;
let token: string;
const COMPANY = 'ACME-HOOKS';

beforeAll(async () => {
  demo = await startTestDemo({
    assessmentKitOptions: {
      assessment: {
        supportedAssessmentTypes: ['SKILL_TEST', 'INLINE_ASSESSMENT'],
        hookTimeoutMs: 300,
        packages: async (query) => {
          seen.push(query);
          if (mode === 'hang') return never();
          if (mode === 'throw') throw new Error('catalogue database down');
          if (mode === 'invalid') return [{ id: 'x', type: 'NOT_A_TYPE', name: 'x', description: 'x', assessments: [] }] as unknown as AssessmentPackage[];
          if (mode === 'shared') return SHARED;
          if (mode === 'frozen') return FROZEN as AssessmentPackage[];
          return mode === 'empty' ? [] : PACKAGES;
        },
        inlineOrderUrl: (order) => {
          if (mode === 'hang') return never();
          if (mode === 'throw') throw new Error('no slot');
          if (mode === 'invalid') return 'javascript:alert(1)';
          return `https://assess.example/take/${order.orderId}`;
        },
      },
    },
  });
  expect((await enableAssessment(demo, COMPANY)).approved.status).toBe(200);
  token = await srToken(demo, COMPANY);
});
afterAll(async () => {
  await demo?.stop();
});
beforeEach(() => {
  mode = 'ok';
});

const list = (query = '') => srCall(demo, token, 'GET', `/packages${query}`);

describe('package list hook failures (seed 003 §2: answer within 15 s)', () => {
  it('hands the hook the company, the tenant and the requester', async () => {
    await srCall(demo, token, 'GET', '/packages?city=Paris', undefined, { requester: '{"email":"r@sr.example"}' });
    expect(seen.at(-1)).toMatchObject({ companyId: COMPANY, tenantId: 'tenant-acme', requester: { email: 'r@sr.example' }, location: { city: 'Paris' } });
  });

  it.each<Mode>(['hang', 'throw', 'invalid'])('%s: answers the last good catalogue for the same query, within the budget', async (failure) => {
    expect((await list('?city=Lyon')).status).toBe(200);
    mode = failure;
    const started = Date.now();
    const answer = await list('?city=Lyon');
    expect(answer.status).toBe(200);
    expect((answer.body as AssessmentPackage[]).map((item) => item.id)).toEqual(['p1', 'inline-1']);
    expect(Date.now() - started).toBeLessThan(5_000); // far inside SR's 15 s, whatever the hook does
  });

  it.each<Mode>(['hang', 'throw', 'invalid'])('%s with no good answer for that query yet: 503 with Retry-After', async (failure) => {
    mode = failure;
    const answer = await list(`?city=Nowhere-${failure}`);
    expect(answer.status).toBe(503);
    expect((answer.body as { error: string }).error).toBe('ATS_CATALOGUE_UNAVAILABLE');
    expect(answer.headers.get('retry-after')).toBe('30');
  });

  it('checks the hook answer on every call unless it is frozen all the way down: the same array made invalid is never served', async () => {
    mode = 'shared';
    const first = await list('?city=Shared');
    expect(first.status).toBe(200);
    // Changed and still valid: SR gets what the hook answers now, not what it answered before.
    SHARED[0]!.name = 'Changed';
    expect((await list('?city=Shared')).body).toEqual([{ id: 'shared-1', type: 'SKILL_TEST', name: 'Changed', description: 'Same array', assessments: [] }]);
    // Changed to what SR would refuse: the last good answer (a copy made when it was checked).
    SHARED[0]!.type = 'NOT_A_TYPE' as AssessmentPackage['type'];
    const third = await list('?city=Shared');
    expect(third.status).toBe(200);
    expect(third.body).toEqual([{ id: 'shared-1', type: 'SKILL_TEST', name: 'Changed', description: 'Same array', assessments: [] }]);
    mode = 'frozen';
    for (let call = 0; call < 2; call += 1) {
      const frozen = await list('?city=Frozen');
      expect(frozen.status).toBe(200);
      expect(frozen.body).toEqual([{ id: 'frozen-1', type: 'SKILL_TEST', name: 'Frozen', description: 'Never changes', assessments: [] }]);
    }
  });

  it('an empty catalogue → 204 with no body', async () => {
    mode = 'empty';
    const answer = await list('?city=Empty');
    expect(answer.status).toBe(204);
    expect(answer.body).toBeUndefined();
  });

  it('no hook failure is ever a 5xx with details: the log names the company and the reason, never the requester', async () => {
    mode = 'throw';
    await srCall(demo, token, 'GET', '/packages?city=Logged', undefined, { requester: '{"email":"secret.requester@sr.example"}' });
    const lines = demo.logs.filter((line) => line.includes('packages hook failed'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).toContain(COMPANY);
    expect(demo.logs.join('')).not.toContain('secret.requester');
  });
});

describe('order intake with a failing hook', () => {
  it('an order for a package the catalogue knew is stored even while the hook hangs (last good catalogue)', async () => {
    expect((await list()).status).toBe(200);
    mode = 'hang';
    const { orderId, body } = orderBody(demo, COMPANY, { assessmentPackageId: 'p1' });
    expect((await srCall(demo, token, 'POST', '/orders', body)).status).toBe(202);
    expect(await demo.assessmentKit.assessment.orders.get(orderId)).toBeDefined();
  });

  it.each<Mode>(['hang', 'throw', 'invalid'])('inline URL hook %s: 503, the order stays stored, and SR’s retry gets the URL', async (failure) => {
    expect((await list()).status).toBe(200);
    const { orderId, body } = inlineOrderBody(demo, COMPANY, { assessmentPackageId: 'inline-1' });
    mode = failure;
    const failed = await srCall(demo, token, 'POST', '/inline-orders', body);
    expect(failed.status).toBe(503);
    expect(await demo.assessmentKit.assessment.orders.get(orderId)).toMatchObject({ assessmentUrl: null });
    mode = 'ok';
    const retried = await srCall(demo, token, 'POST', '/inline-orders', body);
    expect(retried).toMatchObject({ status: 200, body: { url: `https://assess.example/take/${orderId}` } });
  });
});
