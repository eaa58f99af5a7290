/**
 * `ats-consent`, the package's command line, run as a real process: the command list and each
 * command's help, usage errors, the entry point reached through a symlink (how npm installs a
 * bin), and `serve` from start to a graceful SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { CLI_ENTRY, runCli, startCli } from '../helpers/cli-process.js';

const COMMANDS = ['serve', 'sr-configure', 'doctor', 'keys'];

/** A General Partner configuration the kit starts with (it calls SmartRecruiters only on Approve). */
function serveEnv(port: number): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'ats-cli-serve-'));
  return {
    PORT: String(port),
    ATS_USERS_FILE: 'demo/users.example.json',
    ATS_PUBLIC_URL: `http://localhost:${port}`,
    ATS_PARTNER_NAME: 'CLI Partner',
    ATS_SR_APP_ID: 'cli-app',
    ATS_SR_CLIENT_ID: 'cli-master',
    ATS_SR_CLIENT_SECRET: 'cli-master-secret',
    ATS_SR_API_BASE_URL: 'http://127.0.0.1:1',
    ATS_SESSION_SECRET: randomBytes(32).toString('base64url'),
    ATS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ATS_DATABASE_URL: `sqlite:${join(dir, 'kit.sqlite')}`,
  };
}

describe('ats-consent: the command list', () => {
  it.each([[[]], [['--help']], [['help']], [['-h']]])('%j lists every command on stdout, exit 0', async (args) => {
    const run = await runCli(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: ats-consent <command>/);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    expect(run.stderr).toBe('');
  });

  it('an unknown command: exit 64, the problem and the usage on stderr, nothing on stdout', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('ats-consent: unknown command "frobnicate"');
    expect(run.stderr).toContain('Usage: ats-consent <command>');
    expect(run.stdout).toBe('');
  });

  it('runs through a symlink, as npm links a package bin (node_modules/.bin/ats-consent)', async () => {
    const link = join(mkdtempSync(join(tmpdir(), 'ats-cli-bin-')), 'ats-consent');
    symlinkSync(resolve(CLI_ENTRY), link);
    const run = await runCli(['--help'], {}, link);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: ats-consent <command>/);
  });
});

describe('ats-consent <command> --help', () => {
  it.each(COMMANDS)('%s --help: usage, options, the variables it reads (pointing at the README) and its exit codes', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: ats-consent ${command}`));
    expect(run.stdout).toMatch(/^Options:$/m);
    expect(run.stdout).toMatch(/^Environment:$/m);
    expect(run.stdout).toContain("README's \"Configuration\" table");
    expect(run.stdout).toMatch(/^Exit codes:\n {2}0 {3}\S/m);
    expect(run.stdout).toMatch(/^ {2}1 {3}configuration invalid/m);
    expect(run.stdout).toMatch(/^ {2}64 {2}unknown argument/m);
    expect(run.stderr).toBe('');
  });

  it('help <command> prints the same text as <command> --help', async () => {
    const [viaHelp, viaFlag] = await Promise.all([runCli(['help', 'doctor']), runCli(['doctor', '--help'])]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it.each([
    ['doctor', '--jsn'],
    ['serve', '--port'],
    // A mistyped --dry-run must not push for real: refused before the configuration is even read.
    ['sr-configure', '--dryrun'],
  ])('%s %s: an unknown argument is exit 64 with the problem on stderr', async (command, argument) => {
    const run = await runCli([command, argument]);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain(`ats-consent ${command}: unknown argument ${argument}`);
    expect(run.stderr).toContain(`Run "ats-consent ${command} --help"`);
  });
});

describe('ats-consent serve', () => {
  it('starts, serves the consent page, and stops gracefully on SIGTERM with exit 0', async () => {
    const port = await freePort();
    const serve = startCli(['serve'], serveEnv(port));
    try {
      const [, url] = await serve.waitFor(/ats-consent listening on (http:\/\/127\.0\.0\.1:\d+); consent page at (\S+)/);
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(serve.output().stdout).toContain(`consent page at http://localhost:${port}/ats/consent`);
      const page = await fetch(`http://localhost:${port}/ats/consent?companyId=ACME`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('<ats-consent');
    } finally {
      expect(await serve.stop('SIGTERM')).toBe(0);
    }
    expect(serve.output().stdout).toMatch(/ats-consent stopped \(SIGTERM\)/);
  });

  it('stops on SIGINT (Ctrl-C) the same way', async () => {
    const port = await freePort();
    const serve = startCli(['serve'], serveEnv(port));
    await serve.waitFor(/listening on/);
    expect(await serve.stop('SIGINT')).toBe(0);
    expect(serve.output().stdout).toMatch(/ats-consent stopped \(SIGINT\)/);
  });

  it('invalid configuration: exit 1, the option and its variable on stderr', async () => {
    const run = await runCli(['serve'], { ...serveEnv(await freePort()), ATS_SESSION_SECRET: 'short' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('option "sessionSecret" (ATS_SESSION_SECRET) must be at least 32 characters');
    const noUsers = await runCli(['serve'], { ...serveEnv(await freePort()), ATS_USERS_FILE: '' });
    expect(noUsers.code).toBe(1);
    expect(noUsers.stderr).toContain('needs ATS_USERS_FILE');
  });

  it('a port already in use: exit 2, saying it could not listen', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as { port: number }).port;
    try {
      const run = await runCli(['serve'], serveEnv(port));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`could not listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
    } finally {
      taken.close();
    }
  });
});
