/**
 * The bench's servers, each in its own process so each competes with the load generator for the
 * machine the same way:
 *  - the kit: the compiled standalone server (`ats-consent serve` from lib/), configured by environment variables like a partner's deployment, with nothing else in
 *    its process but a small probe (kit-probe.mjs) that reports its memory and event loop;
 *  - the fake SmartRecruiters (fake-sr-process.ts), the provider's stand-in;
 *  - the fake TE Recruit (fake-provider-process.ts), for the partner API's connection proxy;
 *  - the bare Koa baseline (bare-koa-process.mjs), plain JavaScript like the kit.
 * `npm run bench` builds first, so lib/ is current.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { sealData } from 'iron-session';
import { demoPackages } from '../../demo/assessment-catalogue.js';
import { CSRF_HEADER, SESSION_HEADER } from '../../widget/protocol/http.js';
import { BENCH_SR } from './bench-sr-credentials.js';

/** The compiled CLI (`ats-consent`), and its `sr-configure`, run with the kit's environment. */
const CLI = 'lib/server/cli/main.js';
const SR_CONFIGURE = [CLI, 'sr-configure'];
const PREFIX = '/ats';
/** The kit's public origin (`ATS_PUBLIC_URL`): origin checks use it, so the bench's browser-like requests name it as their Origin. */
export const BENCH_ORIGIN = 'http://127.0.0.1';
/**
 * The node flags on the bin's first line (`#!/usr/bin/env -S node …`): the kit runs with them as
 * `npx ats-consent serve` runs it. Read from the built file, so the bench measures what ships.
 */
export function binNodeFlags(): string[] {
  const shebang = readFileSync(CLI, 'utf8').split('\n', 1)[0]!;
  return shebang.replace(/^#!\/usr\/bin\/env -S node\b/, '').split(/\s+/).filter(Boolean);
}

/** The kit's routes under the default prefix (README: Routes). */
const PATHS = {
  approve: `${PREFIX}/consent/approve`,
  token: `${PREFIX}/oauth/token`,
  integrationCheck: `${PREFIX}/smartrecruiters/integration`,
  assessmentPackages: `${PREFIX}/assessment/packages`,
  assessmentOrders: `${PREFIX}/assessment/orders`,
  partnerApi: `${PREFIX}/partner/v1`,
  connect: `${PREFIX}/connect`,
};
/** The signed-in user of every bench approval (the standalone server's users file, demo/users.example.json). */
const USER = { id: 'user-acme-admin', tenantId: 'tenant-acme', email: 'admin@acme.test', displayName: 'Ada Admin (Acme)' };

export interface FakeSrProcess {
  srUrl: string;
  pid: number;
  /** The credentials the kit sent SR for a company's integration. */
  issued(companyId: string, product?: 'general' | 'assessment'): Promise<{ clientId: string; clientSecret: string }>;
  /** SR-side consent to the assessment app (before its consent page opens). */
  recordAssessmentConsent(companyId: string): Promise<void>;
  stop(): Promise<void>;
}

/** kit-probe.mjs's `memory` answer: RSS, then the heap and RSS after a full GC (bytes). */
export interface KitMemory {
  rss: number;
  heapUsedAfterGc: number;
  heapTotalAfterGc: number;
  rssAfterGc: number;
}

export interface BenchKit {
  kitUrl: string;
  srUrl: string;
  product: 'general' | 'assessment';
  /** The SQLite file, when the kit runs on SQLite. */
  sqliteFile: string | undefined;
  paths: typeof PATHS;
  /** One company connected through the real consent API, and the credentials the kit issued SR for it. */
  companyId: string;
  client: { clientId: string; clientSecret: string };
  /** The kit process's id (to read its CPU use). */
  pid: number;
  /** A signed-in session of the bench user on the consent page of `companyId`, sealed directly: the bench measures approval, not sign-in. */
  session(companyId: string): Promise<string>;
  /** Approves with a session from `session()`; the HTTP status. */
  approve(session: string): Promise<number>;
  stop(): Promise<void>;
  memory(): Promise<KitMemory>;
  /** The compiled CLI (`lib/server/cli/main.js <args>`) with the kit's environment, as a partner runs it beside `serve`; its stdout. */
  cli(args: string[]): string;
  /** How busy the kit's event loop was (0..1) between two wall-clock times (ms); null when unknown. */
  loopUtilization(from: number, to: number): Promise<number | null>;
}

export async function startFakeSr(): Promise<FakeSrProcess> {
  const child = startChild(['--import', 'tsx', 'test/bench/fake-sr-process.ts']);
  const { srUrl } = JSON.parse(await child.output.next()) as { srUrl: string };
  const ask = async (line: string) => {
    child.process.stdin!.write(line + '\n');
    const answer = JSON.parse(await child.output.next()) as Record<string, string>;
    if (answer.error) throw new Error(`fake SR: ${answer.error} (${line})`);
    return answer;
  };
  return {
    srUrl,
    pid: child.process.pid!,
    issued: async (companyId, product = 'general') => {
      const answer = await ask(`${product === 'general' ? 'issued' : 'issued-assessment'} ${companyId}`);
      return { clientId: answer.clientId!, clientSecret: answer.clientSecret! };
    },
    recordAssessmentConsent: async (companyId) => void (await ask(`consent ${companyId}`)),
    stop: child.stop,
  };
}

export async function startBenchKit(
  fakeSr: FakeSrProcess,
  options: {
    product?: 'general' | 'assessment';
    databaseUrl?: string;
    /** Node flags for this kit process (after the bin's and BENCH_NODE_FLAGS). */
    nodeFlags?: string[];
    /** false: started as `node lib/server/cli/main.js serve` is, without the bin's flags. */
    binFlags?: boolean;
    /** More environment variables for the kit (e.g. a provider's, from `FakeProviderProcess.kitEnv`). */
    env?: Record<string, string>;
  } = {},
): Promise<BenchKit> {
  const product = options.product ?? 'general';
  const dataDir = mkdtempSync(join(tmpdir(), `ats-bench-${product}-`));
  const sqliteFile = options.databaseUrl ? undefined : join(dataDir, 'kit.sqlite');
  const sessionSecret = 'bench-session-secret-'.padEnd(48, 'x');
  const env: Record<string, string> = {
    PORT: '0',
    ATS_PUBLIC_URL: BENCH_ORIGIN, // origin checks use it; the bench's requests name it as their Origin
    ATS_PARTNER_NAME: 'Bench Partner',
    ATS_SR_API_BASE_URL: fakeSr.srUrl,
    ATS_SR_APP_ID: BENCH_SR.appId,
    ATS_SR_ALLOWED_ORIGINS: fakeSr.srUrl,
    ATS_SESSION_SECRET: sessionSecret,
    ATS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATS_DATABASE_URL: options.databaseUrl ?? `sqlite:${sqliteFile}`,
    ATS_USERS_FILE: 'demo/users.example.json',
    ATS_LOG_LEVEL: 'silent',
    // The fake enforces no General Partner rate limit: lift the kit's SR budget (SR's 10/s would
    // hold approvals to about 9 a second) so the approvals measure the kit, not the gate.
    ATS_SR_RATE_LIMIT_PER_SECOND: '1000000',
    ATS_SR_RATE_LIMIT_CONCURRENT: '1000000',
    // The bench approves thousands of companies as one user.
    ATS_COMPANY_CLAIMS_MAX_PER_USER: '1000000',
    ATS_COMPANY_CLAIMS_MAX_PER_TENANT: '1000000',
    ...(product === 'general'
      ? { ATS_SR_CLIENT_ID: BENCH_SR.general.clientId, ATS_SR_CLIENT_SECRET: BENCH_SR.general.clientSecret }
      : assessmentEnv(dataDir)),
    ...options.env,
  };
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  // BENCH_NODE_FLAGS: extra V8/Node flags for the kit (e.g. heap limits), to compare runs.
  const flags = [...(options.binFlags === false ? [] : binNodeFlags()), ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...(options.nodeFlags ?? [])];
  const child = startChild([...profile, ...flags, '--expose-gc', '--import', './test/bench/kit-probe.mjs', 'lib/server/cli/main.js', 'serve'], env, true);
  const listening = /listening on (http:\/\/[\d.:]+)/.exec(await child.output.next());
  if (!listening) throw new Error('the kit process did not say where it listens');
  const kitUrl = listening[1]!;
  const probe = async (line: string) => {
    child.process.stdin!.write(line + '\n');
    return JSON.parse(await child.probe!.next()) as Record<string, unknown>;
  };

  const session = (companyId: string) =>
    sealData({ csrf: 'bench', txn: { id: companyId, companyId, redirect: null }, user: USER, signedInAt: Date.now() }, { password: sessionSecret, ttl: 900 });
  const approve = async (seal: string) => {
    const response = await fetch(kitUrl + PATHS.approve, {
      method: 'POST',
      headers: { origin: BENCH_ORIGIN, 'content-type': 'application/json', [SESSION_HEADER]: seal, [CSRF_HEADER]: 'bench' },
      body: '{}',
    });
    await response.arrayBuffer();
    return response.status;
  };
  // One company per kit process: kits share the fake SR, whose integrations are keyed by company.
  const companyId = `${product === 'general' ? 'BENCH-TOKEN-CO' : 'BENCH-ASSESS-CO'}-${child.process.pid}`;
  if (product === 'assessment') {
    // As a partner sets up: the partner configuration pushed to SR (seed 003 §1.2), then the customer's consent at SR.
    execFileSync(process.execPath, SR_CONFIGURE, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    await fakeSr.recordAssessmentConsent(companyId);
  }
  const status = await approve(await session(companyId));
  if (status !== 200) throw new Error(`bench setup: approving ${companyId} on the ${product} kit answered ${status}`);

  return {
    kitUrl,
    srUrl: fakeSr.srUrl,
    product,
    sqliteFile,
    paths: PATHS,
    companyId,
    client: await fakeSr.issued(companyId, product),
    pid: child.process.pid!,
    session,
    approve,
    stop: child.stop,
    memory: async () => (await probe('memory')) as unknown as KitMemory,
    cli: (args) => execFileSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
    loopUtilization: async (from, to) => {
      const answer = await probe(`loop ${Math.round(from)} ${Math.round(to)}`);
      if (answer.utilization === undefined) throw new Error(`the kit process could not tell its event loop use: ${String(answer.error)}`);
      return answer.utilization as number | null;
    },
  };
}

/** The assessment app's configuration without code (README: SmartRecruiters Assessment, `npm run serve`). */
function assessmentEnv(dataDir: string): Record<string, string> {
  const packagesFile = join(dataDir, 'packages.json');
  writeFileSync(packagesFile, JSON.stringify(demoPackages({ location: { remote: false, countryCode: 'de' }, fields: {} } as Parameters<typeof demoPackages>[0])));
  return {
    ATS_SR_PRODUCT: 'assessment',
    ATS_SR_CLIENT_ID: BENCH_SR.assessment.master.masterClientId,
    ATS_SR_CLIENT_SECRET: BENCH_SR.assessment.master.masterClientSecret,
    ATS_ASSESSMENT_TYPES: 'SKILL_TEST,VIDEO_INTERVIEW,BEHAVIORAL_ASSESSMENT,INLINE_ASSESSMENT',
    ATS_ASSESSMENT_PACKAGES_FILE: packagesFile,
  };
}

export interface FakeProviderProcess {
  providerUrl: string;
  /** The fake's API base, as the kit is configured with it (`ATS_PROVIDER_TE_RECRUIT_API_BASE_URL`). */
  apiBaseUrl: string;
  pid: number;
  /** The kit's configuration of this provider, by environment variables (README: Provider connections). */
  kitEnv: Record<string, string>;
  /** The access token the fake issued last and still accepts (the kit's connection's, once connected). */
  accessToken(): Promise<string>;
  stop(): Promise<void>;
}

/** The fake TE Recruit (fake-provider-process.ts), registered with the bench kits' connect callback. */
export async function startFakeProvider(): Promise<FakeProviderProcess> {
  const child = startChild(['--import', 'tsx', 'test/bench/fake-provider-process.ts', `${BENCH_ORIGIN}${PATHS.connect}/te-recruit/callback`]);
  const started = JSON.parse(await child.output.next()) as { providerUrl: string; clientId: string; clientSecret: string; authorizePath: string; tokenPath: string };
  const apiBaseUrl = `${started.providerUrl}/api`;
  return {
    providerUrl: started.providerUrl,
    apiBaseUrl,
    pid: child.process.pid!,
    kitEnv: {
      ATS_PROVIDERS: 'te-recruit',
      ATS_PROVIDER_TE_RECRUIT_CLIENT_ID: started.clientId,
      ATS_PROVIDER_TE_RECRUIT_CLIENT_SECRET: started.clientSecret,
      ATS_PROVIDER_TE_RECRUIT_AUTHORIZATION_URL: started.providerUrl + started.authorizePath,
      ATS_PROVIDER_TE_RECRUIT_TOKEN_URL: started.providerUrl + started.tokenPath,
      ATS_PROVIDER_TE_RECRUIT_API_BASE_URL: apiBaseUrl,
    },
    accessToken: async () => {
      child.process.stdin!.write('access-token\n');
      const answer = JSON.parse(await child.output.next()) as { token?: string; error?: string };
      if (!answer.token) throw new Error(`fake provider: ${answer.error}`);
      return answer.token;
    },
    stop: child.stop,
  };
}

/** The bare Koa baseline server. */
export function startBareKoa(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  // BENCH_CPU_PROF profiles the baseline too, to compare where the kit's time goes beyond it.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  return startReferenceServer<{ url: string }>([...profile, 'test/bench/bare-koa-process.mjs']);
}

/** The durable-token floor (token-floor-process.mjs): the least work a token endpoint that keeps DESIGN's decisions must do. */
export function startTokenFloor(): Promise<{ url: string; clientSecret: string; pid: number; stop(): Promise<void> }> {
  return startReferenceServer<{ url: string; clientSecret: string }>(['test/bench/token-floor-process.mjs']);
}

/** A plain-JavaScript server the kit is compared with, in its own process: what its first line says about it (JSON), its pid, stop. */
async function startReferenceServer<Said>(args: string[]): Promise<Said & { pid: number; stop(): Promise<void> }> {
  const child = startChild(args);
  return { ...(JSON.parse(await child.output.next()) as Said), pid: child.process.pid!, stop: child.stop };
}

/** Lines of a child's stream, one at a time; rejects once the child has exited. */
function lineReader(stream: Readable, exited: () => Error | undefined, onExit: (wake: () => void) => void) {
  const lines: string[] = [];
  const waiters: Array<(line: string | undefined) => void> = [];
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  // A child that dies must not leave the bench waiting for a line forever.
  onExit(() => {
    for (const waiter of waiters.splice(0)) waiter(undefined);
  });
  return {
    next: () =>
      new Promise<string>((resolve, reject) => {
        if (lines.length > 0) return resolve(lines.shift()!);
        if (exited()) return reject(exited());
        waiters.push((line) => (line === undefined ? reject(exited()) : resolve(line)));
      }),
  };
}

/** Runs node with `args` in a child process; `withProbe` opens file descriptor 3 for kit-probe.mjs's answers. */
function startChild(args: string[], env: Record<string, string> = {}, withProbe = false) {
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'inherit', ...(withProbe ? (['pipe'] as const) : [])],
    env: { ...process.env, ...env },
  });
  let exited: Error | undefined;
  const exitListeners: Array<() => void> = [];
  child.once('exit', (code) => {
    exited = new Error(`${args.at(-1)} exited with code ${code}`);
    for (const listener of exitListeners) listener();
  });
  const reader = (stream: Readable) => lineReader(stream, () => exited, (wake) => exitListeners.push(wake));
  return {
    process: child,
    output: reader(child.stdout!),
    probe: withProbe ? reader(child.stdio[3] as Readable) : undefined,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        child.stdin!.end();
      }),
  };
}
