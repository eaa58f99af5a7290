/**
 * Bad configuration fails at start with a message naming the option and its environment variable.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig, type ConsentKitOptions } from '../../server/config.js';
import { optionsFromEnv } from '../../server/config-env.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const valid = (): ConsentKitOptions => ({
  publicUrl: 'https://partner.example',
  partnerName: 'Partner',
  smartRecruiters: { appId: 'app', clientId: 'id', clientSecret: 'secret' },
  sessionSecret: 's'.repeat(32),
  encryptionKey: KEY,
  authenticate: async () => null,
});

describe('resolveConfig', () => {
  it('fills the documented defaults', () => {
    const config = resolveConfig(valid());
    expect(config.prefix).toBe('/ats');
    expect(config.consentPath).toBe('/consent');
    expect(config.sr.apiBaseUrl.href).toBe('https://api.smartrecruiters.com/');
    expect(config.sr.allowedOrigins).toEqual(['https://www.smartrecruiters.com']);
    expect(config.sessionTtlSeconds).toBe(900);
    expect(config.cookieName).toBe('__Host-ats-session');
    expect(config.sr.timeoutMs).toBe(10_000);
    expect(config.database.kind).toBe('sqlite');
  });

  it.each<[string, (options: ConsentKitOptions) => void, RegExp]>([
    ['missing publicUrl', (o) => (o.publicUrl = ''), /"publicUrl" \(ATS_PUBLIC_URL\) is required/],
    ['http public URL off loopback', (o) => (o.publicUrl = 'http://partner.example'), /"publicUrl" .*https/],
    ['missing appId', (o) => (o.smartRecruiters.appId = ''), /"smartRecruiters.appId" \(ATS_SR_APP_ID\)/],
    ['missing master secret', (o) => (o.smartRecruiters.clientSecret = ''), /ATS_SR_CLIENT_SECRET/],
    ['short session secret', (o) => (o.sessionSecret = 'short'), /"sessionSecret" \(ATS_SESSION_SECRET\) must be at least 32/],
    ['missing encryption key', (o) => (o.encryptionKey = ''), /ATS_ENCRYPTION_KEY\) is required/],
    ['16-byte encryption key', (o) => (o.encryptionKey = Buffer.alloc(16).toString('base64')), /ATS_ENCRYPTION_KEY\) must be 32 bytes/],
    ['origin with a path', (o) => (o.smartRecruiters.allowedOrigins = ['https://www.smartrecruiters.com/app']), /ATS_SR_ALLOWED_ORIGINS.*bare origins/],
    ['http origin', (o) => (o.smartRecruiters.allowedOrigins = ['http://www.smartrecruiters.com']), /ATS_SR_ALLOWED_ORIGINS.*https/],
    ['empty origin list', (o) => (o.smartRecruiters.allowedOrigins = []), /ATS_SR_ALLOWED_ORIGINS/],
    ['unknown scope without text', (o) => (o.smartRecruiters.scopes = ['made_up']), /ATS_SR_SCOPES.*made_up/],
    ['zero timeout', (o) => (o.smartRecruiters.timeoutMs = 0), /ATS_SR_TIMEOUT_MS/],
    ['bad prefix', (o) => (o.prefix = 'ats'), /ATS_PREFIX/],
    ['bad cookie name', (o) => (o.cookieName = 'a;b'), /ATS_COOKIE_NAME/],
    ['malformed postgres URL', (o) => (o.databaseUrl = 'postgres://host:99999/db'), /ATS_DATABASE_URL/],
    ['no authenticate hook', (o) => ((o as { authenticate: unknown }).authenticate = undefined), /"authenticate"/],
    ['trustProxy: true (every hop trusted)', (o) => ((o as { trustProxy: unknown }).trustProxy = true), /"trustProxy" \(ATS_TRUST_PROXY\) must be the number of proxies/],
    ['negative trustProxy', (o) => (o.trustProxy = -1), /ATS_TRUST_PROXY/],
    ['authorizeCompany not a function', (o) => ((o as { authorizeCompany: unknown }).authorizeCompany = 'yes'), /"authorizeCompany" must be a function/],
    ['zero company claims', (o) => (o.companyClaims = { maxPerUser: 0 }), /ATS_COMPANY_CLAIMS_MAX_PER_USER/],
  ])('%s', (_name, mutate, message) => {
    const options = valid();
    mutate(options);
    expect(() => resolveConfig(options)).toThrow(ConfigError);
    expect(() => resolveConfig(options)).toThrow(message);
  });
});

describe('optionsFromEnv', () => {
  it('reads every documented variable', () => {
    const options = optionsFromEnv(
      {
        ATS_PUBLIC_URL: 'https://p.example',
        ATS_PREFIX: '/connect',
        ATS_CONSENT_PATH: '/sr',
        ATS_PARTNER_NAME: 'P',
        ATS_SR_API_BASE_URL: 'https://api.sandbox.example',
        ATS_SR_APP_ID: 'a',
        ATS_SR_CLIENT_ID: 'c',
        ATS_SR_CLIENT_SECRET: 's',
        ATS_SR_ALLOWED_ORIGINS: 'https://www.smartrecruiters.com, https://app.smartrecruiters.com',
        ATS_SR_SCOPES: 'candidates_read,custom_scope=Do custom things',
        ATS_SR_TIMEOUT_MS: '5000',
        ATS_SESSION_SECRET: 'x'.repeat(40),
        ATS_SESSION_TTL_SECONDS: '600',
        ATS_COOKIE_NAME: 'ats',
        ATS_ENCRYPTION_KEY: KEY,
        ATS_ENCRYPTION_KEY_VERSION: '2',
        ATS_DATABASE_URL: 'sqlite:/tmp/x.sqlite',
        ATS_SIGN_IN_MAX_FAILURES: '3',
        ATS_SIGN_IN_WINDOW_SECONDS: '60',
        ATS_TRUST_PROXY: '2',
        ATS_COMPANY_CLAIMS_MAX_PER_USER: '4',
        ATS_COMPANY_CLAIMS_MAX_PER_TENANT: '8',
        ATS_COMPANY_CLAIMS_WINDOW_SECONDS: '120',
        ATS_LOG_LEVEL: 'warn',
      },
      async () => null,
    );
    const config = resolveConfig(options);
    expect(config.prefix + config.consentPath).toBe('/connect/sr');
    expect(config.sr.allowedOrigins).toEqual(['https://www.smartrecruiters.com', 'https://app.smartrecruiters.com']);
    expect(config.sr.scopes.map((scope) => scope.id)).toEqual(['candidates_read', 'custom_scope']);
    expect(config.sr.scopes[1]!.description).toBe('Do custom things');
    expect(config.sr.timeoutMs).toBe(5000);
    expect(config.encryptionKeyVersion).toBe(2);
    expect(config.signInThrottle).toEqual({ maxFailures: 3, windowSeconds: 60 });
    expect(config.trustProxy).toBe(2);
    expect(config.companyClaims).toEqual({ maxPerUser: 4, maxPerTenant: 8, windowSeconds: 120 });
    expect(config.database).toEqual({ kind: 'sqlite', path: '/tmp/x.sqlite' });
  });

  it('refuses ATS_TRUST_PROXY=true: the client would choose its own address (issue 13 finding 4)', () => {
    expect(() => optionsFromEnv({ ATS_TRUST_PROXY: 'true' }, async () => null)).toThrow(/ATS_TRUST_PROXY.*number of proxies/);
  });

  it('a non-integer number names the variable', () => {
    expect(() => optionsFromEnv({ ATS_SR_TIMEOUT_MS: 'soon' }, async () => null)).toThrow(/ATS_SR_TIMEOUT_MS/);
  });

  it('the connection start limit: 20 per 600 s by default, or from ATS_CONNECT_STARTS_PER_USER and ATS_CONNECT_START_WINDOW_SECONDS', () => {
    expect(resolveConfig(valid()).connections).toMatchObject({ startsPerUser: 20, startWindowSeconds: 600 });
    const env = optionsFromEnv({ ATS_CONNECT_STARTS_PER_USER: '5', ATS_CONNECT_START_WINDOW_SECONDS: '60' }, async () => null);
    expect(resolveConfig({ ...valid(), connections: env.connections }).connections).toMatchObject({ startsPerUser: 5, startWindowSeconds: 60 });
    expect(() => resolveConfig({ ...valid(), connections: { startsPerUser: 0 } })).toThrow(/"connections.startsPerUser" \(ATS_CONNECT_STARTS_PER_USER\) must be a positive integer/);
  });
});

describe('npm run serve (standalone server)', () => {
  it('refuses to start without configuration and names the first missing option', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/standalone.ts'], {
      env: { PATH: process.env.PATH, ATS_USERS_FILE: 'demo/users.example.json' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/ats-consent: option "publicUrl" \(ATS_PUBLIC_URL\) is required/);
  });

  it('starts from environment variables alone and serves the consent page', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/standalone.ts'], {
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        ATS_USERS_FILE: 'demo/users.example.json',
        ATS_PUBLIC_URL: 'http://localhost:1',
        ATS_PARTNER_NAME: 'Standalone',
        ATS_SR_APP_ID: 'app',
        ATS_SR_CLIENT_ID: 'id',
        ATS_SR_CLIENT_SECRET: 'secret',
        ATS_SESSION_SECRET: 'x'.repeat(40),
        ATS_ENCRYPTION_KEY: KEY,
        ATS_DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'ats-serve-')), 'db.sqlite')}`,
      },
    });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const response = await fetch(`${address}/ats/consent?companyId=ACME`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain('frame-ancestors https://www.smartrecruiters.com');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
