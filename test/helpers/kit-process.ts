/**
 * A kit instance in its own process: `npm run serve`'s entry point, configured by environment
 * variables only, as a partner runs it behind a load balancer. `kill9` ends it as a crash does:
 * no shutdown hook runs, whatever it held in the database stays held.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface KitProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout so far (its log lines at ATS_LOG_LEVEL). */
  output(): string;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

/** `nodeArgs`: extra arguments for node before the entry point (e.g. `--import` of a preload). */
export async function startKitProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<KitProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/standalone.ts'], {
    env: { PATH: process.env.PATH, PORT: '0', ATS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`kit process exited with ${code}: ${stderr}`)));
  });
  const exited = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited();
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited();
    },
  };
}
