/**
 * Idempotency-Key and the per-key rate limit on the partner API (issue 14 items 3 and 7), over real
 * HTTP on loopback: the assessment kit (SQLite) for result PATCHes, and the General Partner kit on
 * the shared PostgreSQL with a second and a third instance on the same database (the idempotency
 * key holds across instances; the third has a small budget per key). Every answer is checked
 * against the served document, which must describe the header, the replay marker, 409, 422 and the
 * RateLimit fields.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { createConsentKit, type ConsentKit } from '../../../server/kit.js';
import { fingerprintOf } from '../../../server/partner-api/idempotency.js';
import { enableAssessment } from '../../helpers/assessment-fixture.js';
import { startTestDemo, type TestDemo } from '../../helpers/demo-fixture.js';
import { connectCompany } from '../../helpers/integration-fixture.js';
import { PartnerApiClient } from '../../helpers/partner-api-client.js';
import { createDatabase } from '../../helpers/postgres.js';

const ACME = 'ACME-ASSESS';
const CANDIDATE = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401';
let demo: TestDemo;
let assessment: PartnerApiClient;
let general: PartnerApiClient;
let second: PartnerApiClient;
let limited: PartnerApiClient;
const instances: Array<{ kit: ConsentKit; server: Server }> = [];
const keys = {} as Record<'writer' | 'otherWriter' | 'generalWriter' | 'generalOther', string>;

async function instance(options: Parameters<typeof createConsentKit>[0]): Promise<PartnerApiClient> {
  const kit = await createConsentKit(options, { logger: pino({ level: 'silent' }) });
  const server = createApp(kit).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  instances.push({ kit, server });
  const client = new PartnerApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, kit.paths.partnerApi);
  await client.loadDocument();
  return client;
}

beforeAll(async () => {
  const databaseUrl = await createDatabase(inject('postgresUrl'), 'idempotency');
  demo = await startTestDemo({ kitOptions: { databaseUrl } });
  expect((await enableAssessment(demo, ACME)).approved.status).toBe(200);
  for (const company of ['GEN-IDEM-1', 'GEN-IDEM-2']) await connectCompany(demo, company);
  assessment = new PartnerApiClient(demo.kitUrl, demo.assessmentKit.paths.partnerApi);
  await assessment.loadDocument();
  general = new PartnerApiClient(demo.kitUrl, demo.kit.paths.partnerApi);
  await general.loadDocument();
  second = await instance(demo.kitOptions);
  limited = await instance({ ...demo.kitOptions, partnerApi: { rateLimit: { max: 3, windowSeconds: 60 } } });
  keys.writer = (await demo.assessmentKit.apiKeys.create({ name: 'writer', scopes: ['read', 'write'] })).key;
  keys.otherWriter = (await demo.assessmentKit.apiKeys.create({ name: 'other writer', scopes: ['read', 'write'] })).key;
  keys.generalWriter = (await demo.kit.apiKeys.create({ name: 'general writer', scopes: ['read', 'write'] })).key;
  keys.generalOther = (await demo.kit.apiKeys.create({ name: 'general other', scopes: ['read'] })).key;
});

afterAll(async () => {
  for (const { kit, server } of instances) {
    await new Promise((resolve) => server.close(resolve));
    await kit.close();
  }
  await demo?.stop();
});

async function srOrder(): Promise<string> {
  const ordered = await demo.fakeSr.assessment!.orderAssessment(ACME, CANDIDATE, 'video-intro');
  expect(ordered.ok, ordered.problems.join('; ')).toBe(true);
  return ordered.orderId!;
}
const history = async (orderId: string) => ((await assessment.call('GET', `/assessment/orders/${orderId}`, { key: keys.writer })).json.history as unknown[]).length;
const patch = (orderId: string, body: unknown, idempotencyKey?: string, key = keys.writer) =>
  assessment.call('PATCH', `/assessment/orders/${orderId}/result`, { key, json: body, headers: idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey } });

describe('Idempotency-Key', () => {
  it('the same request again: the stored answer, marked Idempotent-Replayed, and nothing changes twice; another request under the key: 422', async () => {
    const orderId = await srOrder();
    const first = await patch(orderId, { status: 'IN_PROGRESS' }, '"result-1"');
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await patch(orderId, { status: 'IN_PROGRESS' }, '"result-1"');
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id')); // this answer's own request id
    expect(await history(orderId)).toBe(1);
    // The bare form of the same key is the same key; JSON key order is not part of the request.
    expect((await patch(orderId, { status: 'IN_PROGRESS' }, 'result-1')).headers.get('idempotent-replayed')).toBe('true');

    const reused = await patch(orderId, { status: 'COMPLETED', score: { raw: 1, min: 0, max: 10 } }, '"result-1"');
    expect(reused.status).toBe(422);
    expect(reused.json).toMatchObject({ code: 'idempotency-key-reused', type: 'https://ats-consent.dev/problems/idempotency-key-reused', field: 'idempotency-key' });
    expect(await history(orderId)).toBe(1);

    // Without a key every request runs.
    await patch(orderId, { status: 'IN_PROGRESS' });
    await patch(orderId, { status: 'IN_PROGRESS' });
    expect(await history(orderId)).toBe(3);
  });

  it("keys are per API key: another key's request under the same Idempotency-Key runs on its own and never gets the first key's answer", async () => {
    const orderId = await srOrder();
    const mine = await patch(orderId, { status: 'IN_PROGRESS' }, 'shared-key');
    const theirs = await patch(orderId, { status: 'IN_PROGRESS' }, 'shared-key', keys.otherWriter);
    expect(mine.status).toBe(202);
    expect(theirs.status).toBe(202);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await history(orderId)).toBe(2);
    // And another body under it is no reuse for them either: their own first request was this one.
    expect((await patch(orderId, { status: 'IN_PROGRESS' }, 'shared-key', keys.otherWriter)).headers.get('idempotent-replayed')).toBe('true');
  });

  it('the replay carries the headers the operation set (ETag); the same body with another If-Match is another request (422)', async () => {
    const body = { packages: [{ id: 'idem', type: 'SKILL_TEST', name: 'Idempotent', description: 'Sent twice.', assessments: [{ id: 'idem-a', type: 'SKILL_TEST', name: 'A', description: 'Part A.' }] }] };
    const put = (headers: Record<string, string>) => assessment.call('PUT', `/assessment/packages?companyId=${ACME}`, { key: keys.writer, json: body, headers: { 'idempotency-key': 'catalogue-1', ...headers } });
    const first = await put({});
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/\S/);
    const again = await put({});
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.json).toEqual(first.json);
    expect((await put({ 'if-match': etag! })).status).toBe(422);
  });

  it('a request that failed keeps nothing: the retry under the same key runs again', async () => {
    const unknown = '0b5e1c2a-7d3f-4e8a-9c1b-00000000dead';
    for (let i = 0; i < 2; i += 1) {
      const answer = await patch(unknown, { status: 'IN_PROGRESS' }, 'fails');
      expect(answer.status).toBe(404);
      expect(answer.headers.get('idempotent-replayed')).toBeNull();
    }
  });

  it('while the first request is still running (on any instance): 409 with Retry-After; once its holder is gone for good, the same request takes over', async () => {
    const orderId = await srOrder();
    const body = { status: 'IN_PROGRESS' };
    const path = `${demo.assessmentKit.paths.partnerApi}/assessment/orders/${orderId}/result`;
    const writer = (await demo.assessmentKit.apiKeys.list()).find((key) => key.name === 'writer')!;
    // Another instance took the key and is running the request (its row, as it wrote it).
    const now = Date.now();
    const taken = await demo.assessmentKit.store.idempotencyKeys.take(
      { apiKeyId: writer.id, key: 'running', fingerprint: fingerprintOf({ method: 'PATCH', path, query: '', headers: {}, body }), owner: 'elsewhere', lockedUntil: now + 1_000, expiresAt: now + 60_000 },
      now,
    );
    expect(taken.taken).toBe(true);
    const busy = await patch(orderId, body, 'running');
    expect(busy.status).toBe(409);
    expect(busy.json).toMatchObject({ code: 'idempotency-key-in-use', field: 'idempotency-key' });
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await history(orderId)).toBe(0);
    // Another request under that key is still 422, running or not.
    expect((await patch(orderId, { status: 'COMPLETED' }, 'running')).status).toBe(422);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the holder never finished: its lock lapses
    expect((await patch(orderId, body, 'running')).status).toBe(202);
    expect(await history(orderId)).toBe(1);
  });

  it('ten identical requests at once under one key: one runs; each other is a 409 or the replay; the change is made once', async () => {
    const orderId = await srOrder();
    const answers = await Promise.all(Array.from({ length: 10 }, () => patch(orderId, { status: 'IN_PROGRESS' }, 'burst')));
    const ran = answers.filter((answer) => answer.status === 202 && answer.headers.get('idempotent-replayed') === null);
    expect(ran).toHaveLength(1);
    for (const answer of answers.filter((each) => !ran.includes(each))) {
      if (answer.status === 202) expect(answer.headers.get('idempotent-replayed')).toBe('true');
      else expect(answer.json).toMatchObject({ status: 409, code: 'idempotency-key-in-use' });
    }
    expect(await history(orderId)).toBe(1);
  });

  it('a malformed key is 400 naming the header, and changes nothing', async () => {
    const orderId = await srOrder();
    for (const bad of ['""', '"unterminated', 'x'.repeat(256), 'has space', '"\u00e9"']) {
      const answer = await patch(orderId, { status: 'IN_PROGRESS' }, bad);
      expect(answer.status, bad).toBe(400);
      expect(answer.json).toMatchObject({ code: 'invalid-request', field: 'idempotency-key' });
    }
    expect(await history(orderId)).toBe(0);
  });

  it('holds across instances: the answer stored by one instance is replayed by another (PostgreSQL)', async () => {
    const first = await general.call('POST', '/integrations/GEN-IDEM-1/disable', { key: keys.generalWriter, headers: { 'idempotency-key': '"disable-1"' } });
    expect(first.status).toBe(200);
    expect(first.json.changed).toBe(true);
    const retried = await second.call('POST', '/integrations/GEN-IDEM-1/disable', { key: keys.generalWriter, headers: { 'idempotency-key': '"disable-1"' } });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.json).toEqual(first.json); // `changed: true` again: the first answer, not a second run (`changed: false`)
    const plain = await second.call('POST', '/integrations/GEN-IDEM-1/disable', { key: keys.generalWriter });
    expect(plain.json.changed).toBe(false);
  });

  it('the document: every changing operation takes an optional Idempotency-Key and lists 409, 422 and Idempotent-Replayed; reads and the proxy do not get it from the kit', () => {
    for (const client of [assessment, general]) {
      for (const [path, item] of Object.entries(client.document.paths as Record<string, Record<string, Record<string, unknown>>>)) {
        for (const [method, operation] of Object.entries(item)) {
          const parameters = (operation.parameters ?? []) as Array<{ in: string; name: string; required?: boolean }>;
          const idempotency = parameters.filter((parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key');
          const responses = operation.responses as Record<string, { headers?: Record<string, unknown> }>;
          const changes = method !== 'get' && (operation.security as unknown[]).length > 0 && !path.includes('/proxy/');
          if (changes) {
            expect(idempotency, `${method} ${path}`).toHaveLength(1);
            expect(idempotency[0]!.required).toBe(false);
            expect(Object.keys(responses), `${method} ${path}`).toEqual(expect.arrayContaining(['409', '422']));
            const success = Object.entries(responses).find(([status]) => status.startsWith('2'))![1];
            expect(Object.keys(success.headers ?? {})).toEqual(expect.arrayContaining(['Idempotent-Replayed', 'RateLimit', 'RateLimit-Policy']));
            expect(Object.keys(responses['409']!.headers ?? {})).toContain('Retry-After');
          } else if (!path.includes('/proxy/')) {
            expect(idempotency, `${method} ${path}`).toHaveLength(0);
          } else {
            expect(idempotency.length, `${method} ${path}`).toBeLessThanOrEqual(1);
          }
          if ((operation.security as unknown[]).length > 0) {
            expect(Object.keys(responses['429']!.headers ?? {})).toEqual(expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy']));
          }
        }
      }
    }
  });
});

describe('rate limit per API key (partnerApi.rateLimit)', () => {
  it('announces the budget on every answer (RateLimit-Policy, RateLimit), refuses past it with 429 and Retry-After, per key; an instance without a budget sends none', async () => {
    const seen: Array<string | null> = [];
    for (let i = 0; i < 3; i += 1) {
      const answer = await limited.call('GET', '/integrations', { key: keys.generalOther });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('ratelimit-policy')).toBe('"per-key";q=3;w=60');
      seen.push(answer.headers.get('ratelimit'));
    }
    expect(seen.map((value) => /^"per-key";r=(\d);t=(\d+)$/.exec(value ?? '')?.[1])).toEqual(['2', '1', '0']);
    const refused = await limited.call('GET', '/integrations', { key: keys.generalOther });
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ code: 'too-many-requests' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit')).toBe(`"per-key";r=0;t=${retryAfter}`);
    // Errors count and carry the fields too; another key has its own budget.
    const other = await limited.call('POST', '/integrations/GEN-IDEM-2/disable', { key: keys.generalWriter });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit')).toMatch(/^"per-key";r=2;t=\d+$/);
    // The same key on an instance without a budget: no fields, no refusal.
    const unlimited = await second.call('GET', '/integrations', { key: keys.generalOther });
    expect(unlimited.status).toBe(200);
    expect(unlimited.headers.get('ratelimit')).toBeNull();
    expect(unlimited.headers.get('ratelimit-policy')).toBeNull();
  });

  it('an invalid key is not counted against anyone (its failures have their own throttle)', async () => {
    const answer = await limited.call('GET', '/integrations', { key: 'atsk_' + 'x'.repeat(49) });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('ratelimit')).toBeNull();
  });
});
