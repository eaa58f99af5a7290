/**
 * The `ats-consent` command line as a partner runs it: a child process of `server/cli/main.ts`
 * (through tsx, as the compiled bin would run `lib/server/cli/main.js`), with only the environment
 * given here. `runCli` waits for the exit; `startCli` is for `serve`, which runs until signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout's lines. */
  lines: string[];
}

export const CLI_ENTRY = 'server/cli/main.ts';

export function runCli(args: string[], env: Record<string, string> = {}, entry = CLI_ENTRY): Promise<CliRun> {
  const child = spawnCli(args, env, entry);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, lines: stdout.split('\n') }));
  });
}

export interface RunningCli {
  child: ChildProcess;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves with the first stdout match of `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawnCli(args, env, CLI_ENTRY);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => ({ stdout, stderr }),
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const look = () => {
          const match = pattern.exec(stdout);
          if (match) {
            child.stdout!.off('data', look);
            resolve(match);
          }
        };
        child.stdout!.on('data', look);
        look();
        void exited.then((code) => reject(new Error(`ats-consent ${args.join(' ')} exited with ${code} before printing ${pattern}: ${stdout}${stderr}`)));
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

function spawnCli(args: string[], env: Record<string, string>, entry: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { PATH: process.env.PATH, ATS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
