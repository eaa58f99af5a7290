/**
 * The Assessment product without code (issue 7 item 6): the standalone server (`npm run serve`)
 * configured only by environment variables — a static package catalogue from a JSON file, the
 * inline-order URL from a template — registered with `npm run sr-configure`, orders reaching the
 * partner through the signed webhook. SmartRecruiters is the fake, on loopback; the kit runs in its
 * own process exactly as a partner would start it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSmartRecruiters } from '../../../demo/providers/fake-smartrecruiters.js';
import { FakeSmartRecruitersAssessment } from '../../../demo/providers/fake-sr-assessment.js';
import { srConfigure } from '../../../server/cli/sr-configure.js';
import { ConsentApi } from '../../helpers/consent-api.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { freePort } from '../../helpers/free-port.js';

const WEBHOOK_SECRET = 'w'.repeat(40);
let srServer: Server;
let fake: FakeSmartRecruiters;
let webhook: WebhookReceiver;
let child: ChildProcess;
let kitUrl: string;
let env: Record<string, string>;


beforeAll(async () => {
  srServer = createServer();
  await new Promise<void>((resolve) => srServer.listen(0, '127.0.0.1', resolve));
  const srUrl = `http://127.0.0.1:${(srServer.address() as AddressInfo).port}`;
  fake = new FakeSmartRecruiters({
    appId: 'general-app',
    masterClientId: 'general-master',
    masterClientSecret: 'general-secret',
    assessment: new FakeSmartRecruitersAssessment({ masterClientId: 'assess-master', masterClientSecret: 'assess-secret', apiOrigin: () => srUrl }),
  });
  srServer.on('request', fake.handle);
  webhook = await startWebhookReceiver({ verifyWith: WEBHOOK_SECRET });

  const dir = mkdtempSync(join(tmpdir(), 'ats-standalone-assessment-'));
  const catalogue = join(dir, 'catalogue.json');
  writeFileSync(
    catalogue,
    JSON.stringify({
      '*': [
        { id: 'static-skills', type: 'SKILL_TEST', name: 'Static skills test', description: 'From a file', assessments: [] },
        { id: 'static-quiz', type: 'INLINE_ASSESSMENT', name: 'Static quiz', description: 'While applying', assessments: [] },
      ],
    }),
  );
  const port = await freePort();
  kitUrl = `http://localhost:${port}`;
  env = {
    PATH: process.env.PATH!,
    PORT: String(port),
    ATS_USERS_FILE: 'demo/users.example.json',
    ATS_PUBLIC_URL: kitUrl,
    ATS_PARTNER_NAME: 'Static Assessments',
    ATS_SR_PRODUCT: 'assessment',
    ATS_SR_API_BASE_URL: srUrl,
    ATS_SR_CLIENT_ID: 'assess-master',
    ATS_SR_CLIENT_SECRET: 'assess-secret',
    ATS_SR_ALLOWED_ORIGINS: srUrl,
    ATS_ASSESSMENT_TYPES: 'SKILL_TEST,INLINE_ASSESSMENT',
    ATS_ASSESSMENT_CONSENT_DISPLAY_MODE: 'REDIRECT',
    ATS_ASSESSMENT_PACKAGES_FILE: catalogue,
    ATS_ASSESSMENT_INLINE_URL_TEMPLATE: 'https://assess.example/take/{orderId}?company={companyId}',
    ATS_WEBHOOK_URL: webhook.url,
    ATS_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ATS_SESSION_SECRET: 's'.repeat(40),
    ATS_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    ATS_DATABASE_URL: `sqlite:${join(dir, 'kit.sqlite')}`,
    ATS_LOG_LEVEL: 'warn',
  };
  child = spawn(process.execPath, ['--import', 'tsx', 'server/standalone.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`standalone exited ${code}: ${output}`)));
  });
});

afterAll(async () => {
  child?.kill('SIGTERM');
  await webhook?.stop();
  await new Promise<void>((resolve) => {
    srServer?.close(() => resolve());
    srServer?.closeAllConnections();
  });
});

describe('npm run sr-configure', () => {
  it('--dry-run shows that SR holds nothing and what will be set, and sends nothing', async () => {
    const lines: string[] = [];
    expect(await srConfigure(env, ['--dry-run'], (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toMatch(/holds no configuration yet/);
    expect(lines.join('\n')).toContain(`assessmentPackageListUrl: (none) -> "${kitUrl}/ats/assessment/packages"`);
    expect(lines.at(-1)).toBe('Dry run: nothing sent.');
    expect(fake.assessment!.configuration).toBeNull();
  });

  it('pushes, and a second run has nothing to change', async () => {
    const lines: string[] = [];
    expect(await srConfigure(env, [], (line) => lines.push(line))).toBe(0);
    expect(lines.at(-1)).toMatch(/^Pushed/);
    expect(fake.assessment!.configuration).toMatchObject({ consentDisplayMode: 'REDIRECT', oauthTokenUrl: `${kitUrl}/ats/oauth/token` });
    const again: string[] = [];
    expect(await srConfigure(env, [], (line) => again.push(line))).toBe(0);
    expect(again.at(-1)).toBe('Nothing to change.');
  });

  it('wrong master credentials: exit 2 with SmartRecruiters’ refusal; a general-product configuration: exit 1 naming the option', async () => {
    const lines: string[] = [];
    expect(await srConfigure({ ...env, ATS_SR_CLIENT_SECRET: 'wrong' }, [], (line) => lines.push(line))).toBe(2);
    expect(lines.join('\n')).toMatch(/^SmartRecruiters: .*(unauthorized|rejected|bad_response)/m);
    const general: string[] = [];
    expect(await srConfigure({ ...env, ATS_SR_PRODUCT: 'general', ATS_SR_APP_ID: 'x' }, [], (line) => general.push(line))).toBe(1);
    expect(general.join('')).toMatch(/"smartRecruiters.product" \(ATS_SR_PRODUCT\)/);
  });
});

describe('the standalone kit serves SmartRecruiters Assessment from configuration alone', () => {
  it('consent, exchange, the static catalogue, an order delivered through the webhook, an inline order from the template', async () => {
    const companyId = 'ACME-ASSESS';
    fake.assessment!.recordConsent(companyId);
    const api = await new ConsentApi(kitUrl).start(companyId, 'admin@acme.test');
    expect((await api.approve()).status).toBe(200);
    expect(fake.assessment!.integrations.has(companyId)).toBe(true);

    const packages = await fake.assessment!.listPackages(companyId, '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401');
    expect(packages.ok).toBe(true);
    expect(packages.packages.map((item) => item.id)).toEqual(['static-skills', 'static-quiz']);

    const ordered = await fake.assessment!.orderAssessment(companyId, '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401', 'static-skills');
    expect(ordered.ok, ordered.problems.join('; ')).toBe(true);
    await expect.poll(() => webhook.received.map((delivery) => JSON.parse(delivery.body) as { type: string; data: { orderId: string } }).find((event) => event.type === 'assessment.order.created')?.data.orderId, { timeout: 10_000 }).toBe(ordered.orderId);
    expect(webhook.rejected).toEqual([]);
    expect(webhook.received.map((delivery) => delivery.body).join('')).not.toContain('candidates.example'); // no candidate data in events

    const applied = await fake.assessment!.applyAsCandidate(companyId, '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c402', 'static-quiz');
    expect(applied.ok, applied.problems.join('; ')).toBe(true);
    expect(applied.url).toBe(`https://assess.example/take/${applied.orderId}?company=${companyId}`);
  });
});
