#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=25
/**
 * `ats-consent <command> [args]`: the package's command line (the `bin`). Each command lives in
 * its own file as a function of (env, args, print) returning its exit code; this file only picks
 * one, prints help, and turns the code into the process's. A command's module (which loads the
 * whole kit) is imported only when that command runs, so the command list and usage errors
 * answer at once.
 *
 * The V8 flags on the first line tune the heap for a sidecar (README: Memory): the kit holds about
 * 20 MB of live objects, and on a host with plenty of memory V8 would otherwise let its young
 * generation grow to 32 MB and its old generation to about four times what is live before
 * collecting, ending near 230 MB of RSS after 10 000 approvals instead of about 130. They apply
 * when the bin is run (npx, node_modules/.bin, the OS reading this line; npm's Windows shims read
 * it too); `node lib/server/cli/main.js` runs without them, with any flags given to node instead.
 *
 * Exit codes beyond each command's own (see `ats-consent <command> --help`): 64 unknown command
 * or option, 70 an unexpected error (a bug).
 */
import { consolePrint, describeError, EXIT, type CliCommand, type Env, type Print } from './command.js';
import { isEntryPoint } from './entry-point.js';

interface CommandEntry {
  name: string;
  /** One line for the command list. */
  summary: string;
  load: () => Promise<CliCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    summary: 'run the kit as its own HTTP server, configured by environment variables',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'sr-configure',
    summary: 'register the Assessment partner configuration with SmartRecruiters (--dry-run to only show)',
    load: async () => (await import('./sr-configure.js')).srConfigureCommand,
  },
  {
    name: 'doctor',
    summary: 'check the configuration against SmartRecruiters, the network and the database; changes nothing',
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
  {
    name: 'keys',
    summary: 'create, list or revoke API keys for the partner API (a key is shown once)',
    load: async () => (await import('./keys.js')).keysCommand,
  },
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: ats-consent <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Every command reads its configuration from ATS_* environment variables (see the README\'s',
    '"Configuration" table). "ats-consent <command> --help" shows a command\'s options, variables',
    'and exit codes.',
  ].join('\n');
}

export async function runCli(env: Env, args: string[], print: Print): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const about = name === 'help' ? COMMANDS.find((command) => command.name === rest[0]) : undefined;
    print(about ? (await about.load()).help : usage());
    return EXIT.ok;
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (!entry) {
    print(`ats-consent: unknown command "${name}"`, 'stderr');
    print(usage(), 'stderr');
    return EXIT.usage;
  }
  try {
    return await (await entry.load()).run(env, rest, print);
  } catch (error) {
    print(`ats-consent ${name}: unexpected error (a bug; please report it): ${describeError(error)}`, 'stderr');
    if (error instanceof Error && error.stack) print(error.stack, 'stderr');
    return EXIT.internal;
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await runCli(process.env, process.argv.slice(2), consolePrint);
}
