/**
 * `ats-consent keys create | list | revoke` as a partner runs it (a child process), against a
 * real SQLite file: the key is printed once, never listed, never in stderr; usage errors exit 64;
 * a revoked key no longer authenticates.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiKeys } from '../../server/api-keys/api-keys.js';
import { API_KEY_PATTERN } from '../../server/api-keys/key-format.js';
import { SecretHasher } from '../../server/crypto/secrets.js';
import { openStore } from '../../server/store/open-store.js';
import { runCli } from '../helpers/cli-process.js';

const encryptionKey = randomBytes(32);
const databasePath = join(mkdtempSync(join(tmpdir(), 'ats-cli-keys-')), 'kit.sqlite');
const env: Record<string, string> = {
  ATS_PUBLIC_URL: 'http://localhost:3999',
  ATS_PARTNER_NAME: 'Keys Partner',
  ATS_SR_APP_ID: 'keys-app',
  ATS_SR_CLIENT_ID: 'keys-master',
  ATS_SR_CLIENT_SECRET: 'keys-master-secret',
  ATS_SR_API_BASE_URL: 'http://127.0.0.1:1',
  ATS_SESSION_SECRET: randomBytes(32).toString('base64url'),
  ATS_ENCRYPTION_KEY: encryptionKey.toString('base64'),
  ATS_DATABASE_URL: `sqlite:${databasePath}`,
};

async function authenticates(key: string): Promise<boolean> {
  const store = await openStore({ kind: 'sqlite', path: databasePath });
  try {
    return (await new ApiKeys(store, new SecretHasher(new Map([[1, encryptionKey]]), 1), Date.now).authenticate(key)) !== undefined;
  } finally {
    await store.close();
  }
}

describe('ats-consent keys', () => {
  it('create prints the key once (first line), then its id and settings; list shows the key without it; revoke ends it', async () => {
    const created = await runCli(['keys', 'create', '--scopes', 'read,write', '--tenant', 'tenant-a', '--name', 'python backend'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const key = created.lines[0]!;
    expect(key).toMatch(API_KEY_PATTERN);
    const id = /^id (key_\S+)/.exec(created.lines[1]!)![1]!;
    expect(created.lines[1]).toContain('scopes=read,write');
    expect(created.lines[1]).toContain('tenant=tenant-a');
    expect(created.lines[1]).toContain('name="python backend"');
    expect(await authenticates(key)).toBe(true);

    const listed = await runCli(['keys', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('last-used=');
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(key.slice(5, 20));

    const json = await runCli(['keys', 'list', '--json'], env);
    const entries = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(entries.find((entry) => entry.id === id)).toMatchObject({ scopes: ['read', 'write'], tenantId: 'tenant-a', revokedAt: null });
    expect(json.stdout).not.toContain(key);

    const revoked = await runCli(['keys', 'revoke', id], env);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    expect(revoked.stdout).toContain(`revoked ${id}`);
    expect(await authenticates(key)).toBe(false);
    const again = await runCli(['keys', 'revoke', id], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already revoked');
  });

  it('create --json gives the key and its record in one document', async () => {
    const run = await runCli(['keys', 'create', '--scopes', 'admin,read', '--json'], env);
    expect(run.code).toBe(0);
    const created = JSON.parse(run.stdout) as { key: string; scopes: string[]; tenantId: null; name: string };
    expect(created.key).toMatch(API_KEY_PATTERN);
    expect(created).toMatchObject({ scopes: ['read', 'admin'], tenantId: null, name: 'unnamed' });
  });

  it.each([
    [['keys'], /unknown subcommand \(none\)/],
    [['keys', 'frob'], /unknown subcommand "frob"/],
    [['keys', 'create'], /create needs --scopes/],
    [['keys', 'create', '--scopes'], /--scopes needs a value/],
    [['keys', 'create', '--scopes', 'read,root'], /unknown scope "root"/],
    [['keys', 'create', '--scopes', 'read', '--colour', 'red'], /unknown option --colour/],
    [['keys', 'revoke'], /revoke takes one key id/],
    [['keys', 'list', 'extra'], /unexpected argument extra/],
  ])('%j: exit 64 with the problem on stderr, nothing on stdout', async (args, problem) => {
    const run = await runCli(args, env);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(problem);
    expect(run.stdout).toBe('');
  });

  it('--help: usage, the key format, the variables and the exit codes', async () => {
    const run = await runCli(['keys', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: ats-consent keys create --scopes/);
    expect(run.stdout).toContain('Exit codes:');
    expect(run.stdout).toContain('ATS_*');
  });

  it('invalid configuration: exit 1, naming the variable', async () => {
    const run = await runCli(['keys', 'list'], { ...env, ATS_ENCRYPTION_KEY: 'short' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/encryptionKey|ATS_ENCRYPTION_KEY/);
  });
});
