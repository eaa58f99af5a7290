/**
 * `ats-consent doctor` as a partner runs it, a real process against a fake SmartRecruiters
 * (Assessment side, seed 003) and a kit started with `ats-consent serve`, both on loopback, with a
 * SQLite database holding one integration's encrypted SR credentials. First everything is right
 * (exit 0); then each thing a partner gets wrong, one at a time, must produce its FAIL line
 * naming what to fix (exit 2), or, where start-up would refuse it, exit 1 naming the variable.
 * No run may print a secret.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSmartRecruiters } from '../../demo/providers/fake-smartrecruiters.js';
import { FakeSmartRecruitersAssessment } from '../../demo/providers/fake-sr-assessment.js';
import { resolveConfig } from '../../server/config.js';
import { checkPublicUrls } from '../../server/cli/doctor/public-urls-check.js';
import { framingProblem } from '../../server/cli/doctor/registered-urls-check.js';
import { schemeVerdict } from '../../server/cli/doctor/url-scheme.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { runCli, startCli, type CliRun, type RunningCli } from '../helpers/cli-process.js';
import { freePort } from '../helpers/free-port.js';

const COMPANY = 'ACME-ASSESS';
const SR_MASTER_SECRET = 'assess-master-secret-' + randomBytes(8).toString('hex');
const WRONG_SR_SECRET = 'not-the-master-secret-' + randomBytes(8).toString('hex');
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const WRONG_ENCRYPTION_KEY = randomBytes(32).toString('base64');
const SESSION_SECRET = randomBytes(32).toString('base64url');

let srServer: Server;
let fake: FakeSmartRecruiters;
let kit: RunningCli;
let srUrl: string;
let kitUrl: string;
let dir: string;
let env: Record<string, string>;
/** Every doctor run's output, for the no-secret check at the end. */
const outputs: string[] = [];

async function doctor(overrides: Record<string, string> = {}, args: string[] = []): Promise<CliRun> {
  const run = await runCli(['doctor', ...args], { ...env, ...overrides });
  outputs.push(run.stdout, run.stderr);
  return run;
}

/** The report line of `check`, e.g. `FAIL  sr-master-token: …`. */
function line(run: CliRun, check: string): string {
  const found = run.lines.find((text) => text.slice(6).startsWith(`${check}: `));
  if (!found) throw new Error(`no "${check}" line in:\n${run.stdout}${run.stderr}`);
  return found;
}

const statusOf = (run: CliRun, check: string) => line(run, check).slice(0, 4).trim();

beforeAll(async () => {
  srServer = createServer();
  await new Promise<void>((resolve) => srServer.listen(0, '127.0.0.1', resolve));
  srUrl = `http://127.0.0.1:${(srServer.address() as AddressInfo).port}`;
  fake = new FakeSmartRecruiters({
    appId: 'general-app',
    masterClientId: 'general-master',
    masterClientSecret: 'general-master-secret',
    assessment: new FakeSmartRecruitersAssessment({ masterClientId: 'assess-master', masterClientSecret: SR_MASTER_SECRET, apiOrigin: () => srUrl }),
  });
  srServer.on('request', fake.handle);

  dir = mkdtempSync(join(tmpdir(), 'ats-cli-doctor-'));
  const catalogue = join(dir, 'catalogue.json');
  writeFileSync(catalogue, JSON.stringify([{ id: 'skills', type: 'SKILL_TEST', name: 'Skills test', description: 'From a file', assessments: [] }]));
  const port = await freePort();
  kitUrl = `http://localhost:${port}`;
  env = {
    PORT: String(port),
    ATS_USERS_FILE: 'demo/users.example.json',
    ATS_PUBLIC_URL: kitUrl,
    ATS_PARTNER_NAME: 'Doctor Assessments',
    ATS_SR_PRODUCT: 'assessment',
    ATS_SR_API_BASE_URL: srUrl,
    ATS_SR_CLIENT_ID: 'assess-master',
    ATS_SR_CLIENT_SECRET: SR_MASTER_SECRET,
    ATS_SR_ALLOWED_ORIGINS: srUrl,
    ATS_ASSESSMENT_TYPES: 'SKILL_TEST',
    ATS_ASSESSMENT_CONSENT_DISPLAY_MODE: 'REDIRECT',
    ATS_ASSESSMENT_PACKAGES_FILE: catalogue,
    ATS_SESSION_SECRET: SESSION_SECRET,
    ATS_ENCRYPTION_KEY: ENCRYPTION_KEY,
    ATS_DATABASE_URL: `sqlite:${join(dir, 'kit.sqlite')}`,
  };
  // The kit as the partner runs it: it migrates the database at start.
  kit = startCli(['serve'], env);
  await kit.waitFor(/listening on/);
  // Registered with SR, as the README's steps say (SR refuses exchanges before that).
  const configured = await runCli(['sr-configure'], env);
  expect(configured.code, configured.stdout + configured.stderr).toBe(0);
  // One customer enabled: SR's customer-level credentials are stored, encrypted.
  fake.assessment!.recordConsent(COMPANY);
  expect((await (await new ConsentApi(kitUrl).start(COMPANY, 'admin@acme.test')).approve()).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await kit?.stop();
  await new Promise<void>((resolve) => {
    srServer?.close(() => resolve());
    srServer?.closeAllConnections();
  });
});

describe('ats-consent doctor: a correct configuration', () => {
  it('every check ok against SR, the running kit and the migrated database with a stored row: exit 0 (loopback http only warned)', async () => {
    const run = await doctor();
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toMatch(/^FAIL/m);
    expect(statusOf(run, 'configuration')).toBe('ok');
    expect(line(run, 'sr-master-token')).toMatch(/^ok {4}sr-master-token: SmartRecruiters issued a master token for client id assess-master/);
    expect(statusOf(run, 'sr-partner-configuration')).toBe('ok');
    for (const url of ['consentUrl', 'widget script', 'oauthTokenUrl', 'assessmentPackageListUrl', 'singleAssessmentPackageUrl', 'packageOrderUrl', 'integrationDisableUrl']) {
      expect(statusOf(run, `url ${url}`), line(run, `url ${url}`)).toBe('ok');
    }
    expect(line(run, 'database')).toMatch(/^ok {4}database: SQLite .*kit\.sqlite is reachable and migrated \((\d+) of \1 migrations\)/);
    expect(line(run, 'encryption-key')).toMatch(/^ok {4}encryption-key: the configured key decrypts 1 stored value \(key version 1\)/);
    // http:// on loopback: fine here, SmartRecruiters would refuse it.
    expect(line(run, 'public-url')).toMatch(/^warn {2}public-url: http:\/\/localhost:\d+ is http:\/\/ on loopback: .*SmartRecruiters refuses it\. Fix: .*ATS_PUBLIC_URL/);
    expect(statusOf(run, 'sr-allowed-origins')).toBe('warn');
    expect(run.lines.at(-2)).toMatch(/0 failed/);
  });

  it('--json: the same results for scripts', async () => {
    const run = await doctor({}, ['--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { exitCode: number; counts: Record<string, number>; checks: Array<{ check: string; status: string }> };
    expect(report.exitCode).toBe(0);
    expect(report.counts.fail).toBe(0);
    expect(report.checks.find((check) => check.check === 'sr-master-token')?.status).toBe('ok');
    expect(report.checks.find((check) => check.check === 'encryption-key')?.status).toBe('ok');
  });
});

describe('ats-consent doctor: configuration start-up would refuse (exit 1, nothing else checked)', () => {
  it('an invalid option: the option and its variable', async () => {
    const run = await doctor({ ATS_SR_TIMEOUT_MS: 'soon' });
    expect(run.code).toBe(1);
    expect(line(run, 'configuration')).toContain('FAIL  configuration: ats-consent: option "smartRecruiters.timeoutMs" (ATS_SR_TIMEOUT_MS) must be an integer, got "soon"');
    expect(run.stdout).not.toContain('sr-master-token');
    expect(run.stdout).toContain('the kit would refuse to start');
  });

  it('http:// on a host that is not loopback: refused, naming ATS_PUBLIC_URL', async () => {
    const run = await doctor({ ATS_PUBLIC_URL: 'http://partner.example' });
    expect(run.code).toBe(1);
    expect(line(run, 'configuration')).toContain('option "publicUrl" (ATS_PUBLIC_URL) must use https://');
  });

  it('an allowed SR origin with a path: refused, naming ATS_SR_ALLOWED_ORIGINS', async () => {
    const run = await doctor({ ATS_SR_ALLOWED_ORIGINS: `${srUrl}/app/integrations` });
    expect(run.code).toBe(1);
    expect(line(run, 'configuration')).toContain(`option "smartRecruiters.allowedOrigins" (ATS_SR_ALLOWED_ORIGINS) must list bare origins (scheme://host[:port]), got ${srUrl}/app/integrations`);
  });

  it('an unreadable ATS_USERS_FILE: refused as serve refuses it', async () => {
    const run = await doctor({ ATS_USERS_FILE: join(dir, 'missing-users.json') });
    expect(run.code).toBe(1);
    expect(line(run, 'configuration')).toContain('could not read ATS_USERS_FILE');
  });
});

describe('ats-consent doctor: what SmartRecruiters or a customer would run into (FAIL, exit 2)', () => {
  it('a wrong SR client secret: SR refuses the master credentials, naming the variables', async () => {
    const run = await doctor({ ATS_SR_CLIENT_SECRET: WRONG_SR_SECRET });
    expect(run.code).toBe(2);
    expect(line(run, 'sr-master-token')).toMatch(/^FAIL {2}sr-master-token: SmartRecruiters refused the master credentials at http:\/\/127\.0\.0\.1:\d+\/identity\/oauth\/token \(HTTP 401.*\)\. Fix: check ATS_SR_CLIENT_ID and ATS_SR_CLIENT_SECRET/);
    expect(line(run, 'sr-partner-configuration')).toMatch(/^skip {2}sr-partner-configuration: needs the master token/);
    expect(run.lines.at(-2)).toMatch(/1 failed/);
  });

  it('SR unreachable: the connection refused, pointing at ATS_SR_API_BASE_URL', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await doctor({ ATS_SR_API_BASE_URL: closed });
    expect(run.code).toBe(2);
    expect(line(run, 'sr-master-token')).toMatch(/^FAIL {2}sr-master-token: could not reach http:\/\/127\.0\.0\.1:\d+\/identity\/oauth\/token: connection refused.*ECONNREFUSED.*Fix: check ATS_SR_API_BASE_URL/);
  });

  it('SR failing (HTTP 503): its side, not the configuration', async () => {
    const broken = createServer((_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"code":"INTERNAL_ERROR","message":"down"}]}'));
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const run = await doctor({ ATS_SR_API_BASE_URL: `http://127.0.0.1:${(broken.address() as AddressInfo).port}` });
      expect(run.code).toBe(2);
      expect(line(run, 'sr-master-token')).toMatch(/^FAIL {2}sr-master-token: SmartRecruiters failed at \S+ \(HTTP 503\): its side, not your configuration/);
    } finally {
      broken.close();
    }
  });

  it('a stale SR partner configuration: each differing field, and sr-configure as the fix', async () => {
    // The partner switched to POPUP and added a type, but did not register again.
    const run = await doctor({ ATS_ASSESSMENT_CONSENT_DISPLAY_MODE: 'POPUP', ATS_ASSESSMENT_TYPES: 'SKILL_TEST,VIDEO_INTERVIEW' });
    expect(run.code).toBe(2);
    expect(line(run, 'sr-partner-configuration')).toBe(
      'FAIL  sr-partner-configuration: SmartRecruiters holds a different partner configuration: consentDisplayMode, supportedAssessmentTypes. Fix: run `ats-consent sr-configure` (it shows each change, then registers the configuration)',
    );
    expect(run.stdout).toContain('        consentDisplayMode: SmartRecruiters holds "REDIRECT", the kit registers "POPUP"');
    expect(run.stdout).toContain('        supportedAssessmentTypes: SmartRecruiters holds ["SKILL_TEST"], the kit registers ["SKILL_TEST","VIDEO_INTERVIEW"]');
  });

  it('no partner configuration at SR at all', async () => {
    const held = fake.assessment!.configuration;
    fake.assessment!.configuration = null;
    try {
      const run = await doctor();
      expect(run.code).toBe(2);
      expect(line(run, 'sr-partner-configuration')).toMatch(/^FAIL {2}sr-partner-configuration: SmartRecruiters holds no partner configuration .*Fix: run `ats-consent sr-configure`/);
    } finally {
      fake.assessment!.configuration = held;
    }
  });

  it('registered URLs unreachable: each URL SR calls, with the reason', async () => {
    const run = await doctor({ ATS_PUBLIC_URL: `http://localhost:${await freePort()}` });
    expect(run.code).toBe(2);
    for (const url of ['consentUrl', 'oauthTokenUrl', 'packageOrderUrl', 'integrationDisableUrl']) {
      expect(line(run, `url ${url}`)).toMatch(new RegExp(`^FAIL  url ${url}: http://localhost:\\d+/ats/\\S+: connection refused.*Fix: make the kit reachable at ATS_PUBLIC_URL`));
    }
  });

  it('registered URLs where the kit does not answer (a wrong prefix): 404, pointing at ATS_PREFIX', async () => {
    const run = await doctor({ ATS_PREFIX: '/partner-kit' });
    expect(run.code).toBe(2);
    expect(line(run, 'url oauthTokenUrl')).toMatch(/^FAIL {2}url oauthTokenUrl: http:\/\/localhost:\d+\/partner-kit\/oauth\/token answered 404: the kit does not answer at this path\. Fix: check ATS_PREFIX \(now "\/partner-kit"\)/);
  });

  it('a wildcard allowed origin (start-up accepts it; it matches nothing)', async () => {
    const run = await doctor({ ATS_SR_ALLOWED_ORIGINS: `${srUrl},https://*.smartrecruiters.com` });
    expect(run.code).toBe(2);
    expect(line(run, 'sr-allowed-origins')).toBe(
      'FAIL  sr-allowed-origins: ATS_SR_ALLOWED_ORIGINS lists https://*.smartrecruiters.com: origins are compared exactly, so a * matches no page. Fix: list each origin exactly, e.g. https://www.smartrecruiters.com',
    );
  });

  it('an allowed origin with a trailing slash or not SmartRecruiters: warnings only (exit 0)', async () => {
    const run = await doctor({ ATS_SR_ALLOWED_ORIGINS: `${srUrl}/,https://sr.partner.example` });
    expect(run.code).toBe(0);
    expect(line(run, 'sr-allowed-origins')).toContain(`warn  sr-allowed-origins: ATS_SR_ALLOWED_ORIGINS: ${srUrl}/ ends with a slash (dropped)`);
    expect(line(run, 'sr-allowed-origins')).toContain('https://sr.partner.example is not a SmartRecruiters host');
  });

  it('an un-migrated database: run serve once; doctor itself creates and migrates nothing', async () => {
    const missing = join(dir, 'never-started.sqlite');
    const absent = await doctor({ ATS_DATABASE_URL: `sqlite:${missing}` });
    expect(absent.code).toBe(2);
    expect(line(absent, 'database')).toMatch(/^FAIL {2}database: there is no database at SQLite .*never-started\.sqlite\. Fix: run `ats-consent serve` once: it creates and migrates the database/);
    expect(line(absent, 'encryption-key')).toMatch(/^skip/);
    expect(existsSync(missing)).toBe(false);

    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const unmigrated = await doctor({ ATS_DATABASE_URL: `sqlite:${empty}` });
    expect(unmigrated.code).toBe(2);
    expect(line(unmigrated, 'database')).toMatch(/^FAIL {2}database: SQLite .*empty\.sqlite has no ats-consent tables yet\. Fix: run `ats-consent serve` once \(or restart your kit\): it migrates the database at start/);
    expect(statSync(empty).size).toBe(0);
  });

  it('a wrong encryption key: the stored SR credentials do not decrypt', async () => {
    const run = await doctor({ ATS_ENCRYPTION_KEY: WRONG_ENCRYPTION_KEY });
    expect(run.code).toBe(2);
    expect(line(run, 'encryption-key')).toMatch(/^FAIL {2}encryption-key: the configured key cannot read 1 of 1 stored values: ATS_ENCRYPTION_KEY is version 1.*Fix: set ATS_ENCRYPTION_KEY/);
    expect(run.stdout).toContain(`        SmartRecruiters' credentials for company ${COMPANY} (key version 1) does not decrypt with the configured key`);
  });

  it('a key version with no key: told apart from a wrong key', async () => {
    const run = await doctor({ ATS_ENCRYPTION_KEY_VERSION: '2' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`        SmartRecruiters' credentials for company ${COMPANY} was stored with key version 1, and no key of that version is configured`);
  });
});

describe('ats-consent doctor: checks that need no server', () => {
  const generalConfig = (overrides: Partial<Parameters<typeof resolveConfig>[0]> = {}) =>
    resolveConfig({
      publicUrl: 'https://partner.example',
      partnerName: 'x',
      smartRecruiters: { appId: 'a', clientId: 'b', clientSecret: 'c' },
      sessionSecret: SESSION_SECRET,
      encryptionKey: ENCRYPTION_KEY,
      authenticate: async () => null,
      ...overrides,
    });

  it("the consent page's framing: every Content-Security-Policy must let SmartRecruiters frame it (POPUP)", () => {
    const config = generalConfig();
    const headers = (csp: string, extra: Record<string, string> = {}) => new Headers({ 'content-security-policy': csp, ...extra });
    expect(framingProblem(config, headers("default-src 'none'; frame-ancestors https://www.smartrecruiters.com"))).toBeUndefined();
    // A proxy adding its own policy: both apply, so 'self' alone blocks SR.
    expect(framingProblem(config, headers("frame-ancestors https://www.smartrecruiters.com, frame-ancestors 'self'"))).toMatch(/does not allow https:\/\/www\.smartrecruiters\.com/);
    expect(framingProblem(config, new Headers({ 'x-frame-options': 'DENY' }))).toMatch(/X-Frame-Options: DENY/);
  });

  it('http:// off loopback is a FAIL where configuration allows it at all (demo), loopback http a warning', () => {
    expect(schemeVerdict(new URL('http://partner.example/ats'))).toBe('insecure');
    expect(schemeVerdict(new URL('http://127.0.0.1:3000'))).toBe('loopback-http');
    expect(schemeVerdict(new URL('https://partner.example'))).toBe('https');
    const demo = resolveConfig({
      demo: true,
      publicUrl: 'http://partner.example/base',
      partnerName: 'x',
      smartRecruiters: { appId: 'a', clientId: 'b', clientSecret: 'c', allowedOrigins: ['https://www.smartrecruiters.com'] },
      sessionSecret: SESSION_SECRET,
      encryptionKey: ENCRYPTION_KEY,
      authenticate: async () => null,
    });
    const results = checkPublicUrls(demo);
    expect(results.find((result) => result.check === 'public-url')).toMatchObject({ status: 'fail', fix: expect.stringContaining('ATS_PUBLIC_URL') });
    expect(results.find((result) => result.check === 'public-url-path')).toMatchObject({ status: 'warn', fix: expect.stringContaining('ATS_PREFIX') });
  });
});

describe('ats-consent doctor: secrets', () => {
  it('no run printed a secret: master secrets, keys, the session secret, stored credentials, tokens', () => {
    const held = fake.assessment!.integrations.get(COMPANY)!;
    const secrets = [SR_MASTER_SECRET, WRONG_SR_SECRET, ENCRYPTION_KEY, WRONG_ENCRYPTION_KEY, SESSION_SECRET, held.srClientSecret, held.partnerClientSecret];
    const all = outputs.join('\n');
    expect(outputs.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(all).not.toContain(secret);
    // The fake's access tokens are UUIDs; nothing else doctor prints here is.
    expect(all).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  });
});
