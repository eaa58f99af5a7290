#!/usr/bin/env node
/**
 * `ats-consent <command> [args]`: the package's command line (the `bin`). Each command lives in
 * its own file as a function of (env, args, print) returning its exit code; this file only picks
 * one, prints help, and turns the code into the process's.
 *
 * Exit codes beyond each command's own (see `ats-consent <command> --help`): 64 unknown command
 * or option, 70 an unexpected error (a bug).
 */
import { consolePrint, describeError, EXIT, type CliCommand, type Env, type Print } from './command.js';
import { doctorCommand } from './doctor.js';
import { isEntryPoint } from './entry-point.js';
import { serveCommand } from './serve.js';
import { srConfigureCommand } from './sr-configure.js';

export const COMMANDS: readonly CliCommand[] = [serveCommand, srConfigureCommand, doctorCommand];

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
    print(about ? about.help : usage());
    return EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    print(`ats-consent: unknown command "${name}"`, 'stderr');
    print(usage(), 'stderr');
    return EXIT.usage;
  }
  try {
    return await command.run(env, rest, print);
  } catch (error) {
    print(`ats-consent ${command.name}: unexpected error (a bug; please report it): ${describeError(error)}`, 'stderr');
    if (error instanceof Error && error.stack) print(error.stack, 'stderr');
    return EXIT.internal;
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await runCli(process.env, process.argv.slice(2), consolePrint);
}
