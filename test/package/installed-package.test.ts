/**
 * Issue 9 item 2: the packed tarball installed into an empty project works with plain `node` and
 * gives a TypeScript partner real types — nothing of this repository's toolchain (tsx, vite, the
 * sources) is in that project.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSmartRecruiters } from '../../demo/providers/fake-smartrecruiters.js';
import { launchChromium, screenshot } from '../helpers/browser.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { freePort } from '../helpers/free-port.js';
import { requestToken } from '../helpers/integration-fixture.js';
import { packAndInstall, type InstalledPackage } from './installed-package.js';

const run = promisify(execFile);
const PASSWORD = 'consumer-password-1';

let installed: InstalledPackage;
let fakeSr: FakeSmartRecruiters;
let srServer: Server;
let consumer: ChildProcess | undefined;
let consumerUrl: string;

/** Starts the consumer's app.mjs with plain node in the consumer project. */
async function startConsumerApp(srUrl: string): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['app.mjs'], {
    cwd: installed.dir,
    // Only what a deployed partner app has: no NODE_OPTIONS (vitest's loaders), no tsx.
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SR_URL: srUrl,
      SR_APP_ID: 'app',
      SR_CLIENT_ID: 'master',
      SR_CLIENT_SECRET: 'master-secret',
      SESSION_SECRET: 's'.repeat(40),
      ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'ats-consumer-data-')),
      USER_PASSWORD: PASSWORD,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  consumer = child;
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening on (http:\/\/[\d.:]+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the consumer app exited with ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  installed = packAndInstall();
  fakeSr = new FakeSmartRecruiters({ appId: 'app', masterClientId: 'master', masterClientSecret: 'master-secret' });
  srServer = createServer(fakeSr.handle);
  await new Promise<void>((resolve) => srServer.listen(0, '127.0.0.1', resolve));
  consumerUrl = await startConsumerApp(`http://127.0.0.1:${(srServer.address() as AddressInfo).port}`);
});

afterAll(async () => {
  if (consumer && consumer.exitCode === null) {
    const exited = new Promise((resolve) => consumer!.once('exit', resolve));
    consumer.kill('SIGTERM');
    await exited;
  }
  await new Promise<void>((resolve) => srServer?.close(() => resolve()));
});

describe('the installed package', () => {
  it('ships the built JavaScript, declarations, the widget bundle and the manifest, and no sources, tests or demo', async () => {
    const { stdout } = await run('tar', ['tzf', installed.tarball]);
    const files = stdout.trim().split('\n').map((entry) => entry.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['lib/server/index.js', 'lib/server/index.d.ts', 'lib/server/index.js.map', 'lib/server/cli/main.js', 'lib/widget/index.js', 'lib/widget/protocol/index.d.ts', 'dist/widget/ats-consent.js', 'dist/custom-elements.json', 'README.md', 'LICENSE', 'package.json']));
    expect(files.filter((file) => /^(server|widget|demo|test|data|tmp|scripts)\//.test(file) || file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(installed.dir, 'node_modules/ats-consent/package.json'), 'utf8')) as { customElements: string };
    expect(existsSync(join(installed.dir, 'node_modules/ats-consent', manifest.customElements))).toBe(true);
    // The source maps carry their sources, since the .ts files are not shipped.
    const map = JSON.parse(readFileSync(join(installed.dir, 'node_modules/ats-consent/lib/server/kit.js.map'), 'utf8')) as { sourcesContent?: string[] };
    expect(map.sourcesContent?.[0]).toContain('createConsentKit');
  });

  it('mounted by a plain .mjs Koa app, completes a consent against SmartRecruiters and answers SR with the issued credentials', async () => {
    const api = new ConsentApi(consumerUrl);
    expect((await api.bootstrap('PKG-CO')).status).toBe(200);
    expect((await api.signIn('partner@consumer.test', PASSWORD)).status).toBe(200);
    const approved = await api.approve();
    expect(approved.status).toBe(200);

    const atSr = fakeSr.integrations.get('PKG-CO')!;
    const token = await requestToken(`${consumerUrl}/ats/oauth/token`, {
      form: { grant_type: 'client_credentials', client_id: atSr.partnerClientId!, client_secret: atSr.partnerClientSecret! },
    });
    expect(token.status).toBe(200);
    const check = await fetch(`${consumerUrl}/ats/smartrecruiters/integration`, { headers: { authorization: `Bearer ${String(token.body.access_token)}` } });
    expect(check.status).toBe(200);
    // The partner's own route, beside the kit, sees the integration through the programmatic API.
    const status = (await (await fetch(`${consumerUrl}/partner/status`)).json()) as { integrations: unknown[]; companyNotAuthorized: string };
    expect(status.integrations).toEqual([{ companyId: 'PKG-CO', state: 'active' }]);
    expect(status.companyNotAuthorized).toBe('ATS_COMPANY_NOT_AUTHORIZED');
  });

  it('installs the bin, which the OS runs with the heap flags on its first line (README: Memory)', async () => {
    const bin = join(installed.dir, 'node_modules/.bin/ats-consent');
    const flags = readFileSync(bin, 'utf8').split('\n', 1)[0]!.replace(/^#!\/usr\/bin\/env -S node\b/, '').trim().split(/\s+/);
    expect(flags).toContain('--max-semi-space-size=4');
    // Executed directly, not through node: the shebang's `env -S node <flags>` is what starts it.
    const probe = join(installed.dir, 'print-exec-argv.mjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('execArgv ' + JSON.stringify(process.execArgv)));\n");
    const { stdout, stderr } = await run(bin, ['--help'], { env: { ...process.env, NODE_OPTIONS: `--import=${pathToFileURL(probe).href}` } });
    expect(stdout).toContain('Usage: ats-consent <command>');
    expect(JSON.parse(stderr.slice(stderr.indexOf('execArgv ') + 9)) as string[]).toEqual(expect.arrayContaining(flags));
  });

  it('gives a strict TypeScript module real types, and rejects misuse', async () => {
    const tsc = join(installed.dir, 'node_modules/typescript/bin/tsc');
    await expect(run(process.execPath, [tsc, '-p', '.'], { cwd: installed.dir })).resolves.toBeDefined();
    const wrong = run(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'wrong-types.ts'], { cwd: installed.dir });
    await expect(wrong).rejects.toMatchObject({ stdout: expect.stringContaining("Type 'number' is not assignable to type 'string'") });
  }, 240_000); // skipLibCheck off: every declaration the package pulls in is checked (about 30 s alone on 2 cores)

  describe('in Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => browser?.close());

    it("loads the widget from the installed package's bundle export on the partner's own page", async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${consumerUrl}/embedded`);
      await page.waitForFunction(() => customElements.get('ats-consent') !== undefined && document.querySelector('ats-consent')?.shadowRoot !== null);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('serves the consent page whose widget signs in', async () => {
      const page = await browser.newPage();
      await page.goto(`${consumerUrl}/ats/consent?companyId=PKG-BROWSER`);
      await page.getByLabel('Email').fill('partner@consumer.test');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: /Approve/ }).waitFor();
      await screenshot(page, 'installed-package-review');
      await page.close();
    });
  });
});
