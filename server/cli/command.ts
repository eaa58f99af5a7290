/**
 * What every `ats-consent` command is: a function of the environment, its arguments and a printer,
 * resolving to an exit code, so a test can run it in process and `main.ts` can run it for real.
 */

export type Env = Record<string, string | undefined>;

/** Prints one line; `stderr` for what is not the command's result (usage errors, failures to start). */
export type Print = (line: string, stream?: 'stdout' | 'stderr') => void;

export type CommandRun = (env: Env, args: string[], print: Print) => Promise<number>;

export interface CliCommand {
  name: string;
  /** The whole `ats-consent <name> --help` text: usage, options, environment, exit codes. */
  help: string;
  run: CommandRun;
}

/**
 * Exit codes shared by every command. 64 and 70 are sysexits.h's EX_USAGE and EX_SOFTWARE, which
 * scripts and supervisors already know.
 */
export const EXIT = {
  ok: 0,
  /** The configuration is invalid: the kit would refuse to start. The message names the option and variable. */
  config: 1,
  /** Something outside the configuration failed: SmartRecruiters, the network, the database, a check. */
  failed: 2,
  /** The command line itself is wrong (unknown command or option). */
  usage: 64,
  /** A bug in ats-consent: an unexpected exception. */
  internal: 70,
} as const;

/** The arguments of `args` that are not among `known` (exact flags such as `--dry-run`). */
export function unknownArguments(args: readonly string[], known: readonly string[]): string[] {
  return args.filter((arg) => !known.includes(arg));
}

/** Prints a usage error on stderr and returns the usage exit code. */
export function usageError(print: Print, command: string, problem: string): number {
  print(`ats-consent ${command}: ${problem}`, 'stderr');
  print(`Run "ats-consent ${command} --help" for its usage.`, 'stderr');
  return EXIT.usage;
}

export const wantsHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');

/** The real printer: stdout, or stderr when asked. */
export const consolePrint: Print = (line, stream = 'stdout') => (stream === 'stderr' ? console.error(line) : console.log(line));

/** An error's message with its causes, for a one-line report (no stack: the reader is an operator). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && parts.length < 4; current = (current as { cause?: unknown }).cause) {
    parts.push(current instanceof Error ? current.message || current.name : String(current));
    if (!(current instanceof Error)) break;
  }
  return parts.join(': ');
}

/** The help section every command shares: where the kit's own variables are documented. */
export const CONFIGURATION_HELP = `  ATS_*               every kit option; the README's "Configuration" table lists each
                      variable, its option, default and meaning`;
