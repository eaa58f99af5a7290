/**
 * Starts test/bench/kit-process.ts as a child process and talks to it over its stdout lines.
 */
import { spawn } from 'node:child_process';

export interface BenchKit {
  kitUrl: string;
  srUrl: string;
  dataDir: string;
  paths: { approve: string; token: string; integrationCheck: string };
  client: { clientId: string; clientSecret: string };
  stop(): Promise<void>;
  memory(): Promise<{ rssBeforeGc: number; heapUsedAfterGc: number }>;
}

export async function startBenchKit(env: Record<string, string> = {}): Promise<BenchKit> {
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), '--expose-gc', '--import', 'tsx', 'test/bench/kit-process.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
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
  const nextLine = () => new Promise<string>((resolve) => (lines.length > 0 ? resolve(lines.shift()!) : waiters.push(resolve)));
  const ready = JSON.parse(await nextLine()) as Omit<BenchKit, 'stop' | 'memory'>;
  return {
    ...ready,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
    memory: async () => {
      child.kill('SIGUSR2');
      return JSON.parse(await nextLine()) as { rssBeforeGc: number; heapUsedAfterGc: number };
    },
  };
}
