/**
 * The partner API through a client generated from its served document (issue 14 item 5), as a
 * TypeScript vendor would do it: `openapi-typescript` turns `GET …/openapi.json` of a running demo
 * into types, `tsc` checks a small client module (generated-client/assessment-client.ts) against
 * them — and rejects copies of it with one typo each —, and that module drives the whole assessment
 * flow through `openapi-fetch`, while the fake SmartRecruiters records what it received.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableAssessment } from '../../helpers/assessment-fixture.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';

const ACME = 'ACME-ASSESS';
const ADA = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401';
const PDF = new TextEncoder().encode('%PDF-1.4\n% a generated-client report\n%%EOF\n');
const CLIENT_SOURCE = resolve('test/integration/partner-api/generated-client/assessment-client.ts');
const TSC = resolve('node_modules/typescript/bin/tsc');
// The options a strict consumer would use; DOM for fetch, Blob and FormData.
const TSC_OPTIONS = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2023,dom', '--skipLibCheck'];

/** Each a copy of the client with one mistake a developer makes; each must fail to compile. */
const MISTAKES: Record<string, [string, string]> = {
  'wrong-path': ["'/assessment/orders/{orderId}/result'", "'/assessment/orders/{orderId}/results'"],
  'wrong-body-field': ['scoreLabel: `', 'scoreLable: `'],
  'wrong-status': ["status: 'IN_PROGRESS'", "status: 'STARTED'"],
  'missing-score-min': ['score: { raw, min: 0, max }', 'score: { raw, max }'],
  'wrong-query-value': ["status: 'none', companyId", "status: 'new', companyId"],
  'wrong-header-name': ["'Content-Disposition':", "'Content-Dispositon':"],
};

/** What the test calls of the client module (imported at run time: the project's tsc never sees it, see its header). */
interface ClientModule {
  partnerClient(baseUrl: string, key: string): unknown;
  newOrders(client: unknown, companyId: string): Promise<Array<{ orderId: string; delivery: { state: string } }>>;
  startAssessment(client: unknown, orderId: string): Promise<{ orderId: string; updateId: string; delivery: { state: string } }>;
  completeAssessment(client: unknown, orderId: string, raw: number, max: number): Promise<{ updateId: string; result: Record<string, unknown> }>;
  uploadReport(client: unknown, orderId: string, filename: string, pdf: Blob): Promise<{ attachmentId: string; state: string }>;
  order(client: unknown, orderId: string): Promise<{ delivery: { state: string }; attachments: Array<{ state: string }>; history: unknown[] }>;
  candidateAndJob(client: unknown, orderId: string): Promise<{ candidate: Record<string, unknown>; job: Record<string, unknown> }>;
  eventsAfter(client: unknown, after?: string): Promise<Array<{ id: string; type: string; data: Record<string, unknown> }>>;
}

const run = promisify(execFile);
let demo: TestDemo;
let dir: string;
let key: string;

beforeAll(async () => {
  demo = await startTestDemo({ timeoutMs: 1_000 });
  expect((await enableAssessment(demo, ACME)).approved.status).toBe(200);
  key = (await demo.assessmentKit.apiKeys.create({ name: 'generated client', scopes: ['read', 'write'] })).key;
  dir = mkdtempSync(join(tmpdir(), 'ats-generated-client-'));
  // The copies resolve openapi-fetch (and its types) from the project's node_modules.
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
});

afterAll(async () => {
  await demo?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a TypeScript client generated from the served document', () => {
  it('generates types from the served document with openapi-typescript (PDF bodies as Blob)', async () => {
    const served = await fetch(`${demo.kitUrl}${demo.assessmentKit.paths.partnerApi}/openapi.json`);
    expect(served.status).toBe(200);
    const document = (await served.json()) as { openapi: string; servers: Array<{ url: string }> };
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.servers[0]!.url).toBe(demo.kitUrl + demo.assessmentKit.paths.partnerApi);
    const ast = await openapiTS(document as never, {
      // A binary schema is a string in JSON Schema (openapi-typescript's types predate 3.1's contentMediaType); in a client it is the file's bytes.
      transform: (schema) => ((schema as { contentMediaType?: string }).contentMediaType === 'application/pdf' ? ts.factory.createTypeReferenceNode('Blob') : undefined),
    });
    const types = astToString(ast);
    expect(types).toContain('"/assessment/orders/{orderId}/result"');
    writeFileSync(join(dir, 'partner-api.d.ts'), types);
  });

  it('type-checks the client module with tsc; each copy with one mistake fails where the mistake is', async () => {
    copyFileSync(CLIENT_SOURCE, join(dir, 'assessment-client.ts'));
    await expect(run(process.execPath, [TSC, ...TSC_OPTIONS, 'assessment-client.ts'], { cwd: dir })).resolves.toBeDefined();
    const source = readFileSync(CLIENT_SOURCE, 'utf8');
    for (const [name, [right, wrong]] of Object.entries(MISTAKES)) {
      expect(source.includes(right), `${name}: the client no longer contains ${right}`).toBe(true);
      writeFileSync(join(dir, `${name}.ts`), source.replace(right, wrong));
    }
    // One tsc run for every copy: it reports the errors of each file.
    const failed = await run(process.execPath, [TSC, ...TSC_OPTIONS, ...Object.keys(MISTAKES).map((name) => `${name}.ts`)], { cwd: dir }).then(
      () => ({ stdout: '' }),
      (error: { stdout: string }) => error,
    );
    for (const [name, [right, wrong]] of Object.entries(MISTAKES)) {
      const line = source.replace(right, wrong).split('\n').findIndex((text) => text.includes(wrong)) + 1;
      expect(failed.stdout, name).toMatch(new RegExp(`^${name}\\.ts\\(${line},\\d+\\): error TS`, 'm'));
    }
  }, 60_000);

  it('drives the assessment flow through openapi-fetch: new orders, IN_PROGRESS, COMPLETED with a score, a PDF, candidate and job, the event feed', async () => {
    const client: ClientModule = await import(/* @vite-ignore */ CLIENT_SOURCE);
    const api = client.partnerClient(demo.kitUrl + demo.assessmentKit.paths.partnerApi, key);
    const seen = await client.eventsAfter(api);
    const lastId = seen.at(-1)?.id;
    const sr = demo.fakeSr.assessment!;
    const placed = await sr.orderAssessment(ACME, ADA, 'video-intro');
    expect(placed.ok, placed.problems.join('; ')).toBe(true);
    const orderId = placed.orderId!;

    const fresh = await client.newOrders(api, ACME);
    expect(fresh.find((item) => item.orderId === orderId)).toMatchObject({ delivery: { state: 'none' } });
    expect((await client.startAssessment(api, orderId)).delivery.state).toBe('pending');
    const completed = await client.completeAssessment(api, orderId, 42, 50);
    expect(completed.result).toMatchObject({ status: 'COMPLETED', score: { raw: 42, min: 0, max: 50 } });
    const upload = await client.uploadReport(api, orderId, 'generated-client.pdf', new Blob([PDF], { type: 'application/pdf' }));
    expect(upload.state).toBe('pending');
    await expect
      .poll(async () => {
        const now = await client.order(api, orderId);
        return [now.delivery.state, ...now.attachments.map((file) => file.state)];
      }, { timeout: 15_000, interval: 100 })
      .toEqual(['delivered', 'delivered']);
    expect((await client.newOrders(api, ACME)).map((item) => item.orderId)).not.toContain(orderId);

    // What SmartRecruiters received: both statuses in order, the score, the named PDF.
    const atSr = sr.orders.get(orderId)!;
    expect(atSr.patches.map((entry) => (entry.patch as { status?: string }).status)).toEqual(['IN_PROGRESS', 'COMPLETED']);
    expect(atSr.result).toEqual({ status: 'COMPLETED', score: { raw: 42, min: 0, max: 50 }, scoreLabel: '42/50' });
    expect(atSr.attachments.map((file) => [file.filename, file.contentType, file.size])).toEqual([['generated-client.pdf', 'application/pdf', PDF.length]]);

    const before = sr.readCalls.length;
    const { candidate, job } = await client.candidateAndJob(api, orderId);
    expect(candidate).toMatchObject({ id: ADA, firstName: 'Ada', lastName: 'Lovelace' });
    expect(job).toMatchObject({ id: atSr.jobId });
    expect(sr.readCalls.slice(before).map((call) => [call.path, call.companyId])).toEqual([
      [`/candidates/${ADA}`, ACME],
      [`/jobs/${atSr.jobId}`, ACME],
    ]);

    // The feed from the last id read before the order: this order's events, none seen before.
    const events = await client.eventsAfter(api, lastId);
    expect(events.map((event) => event.id).filter((id) => seen.some((old) => old.id === id))).toEqual([]);
    const ofOrder = events.filter((event) => event.data.orderId === orderId).map((event) => event.type);
    expect(ofOrder).toEqual(expect.arrayContaining(['assessment.order.created', 'assessment.result.delivered', 'assessment.attachment.delivered']));
    expect(ofOrder[0]).toBe('assessment.order.created');
    expect(demo.logs.join('\n')).not.toContain(key);
  });
});
