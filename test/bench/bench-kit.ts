/**
 * Bench servers in their own processes (the kit with the fake SR; the bare Koa baseline), so each
 * competes with the load generator for the machine the same way. They talk over stdout lines (and
 * take control lines on stdin).
 */
import { spawn } from 'node:child_process';

export interface BenchKit {
  kitUrl: string;
  srUrl: string;
  dataDir: string;
  paths: { approve: string; token: string; integrationCheck: string };
  client: { clientId: string; clientSecret: string };
  /** The demo's assessment app (a second kit under /ats-assessment), enabled for one company. */
  assessment: {
    companyId: string;
    paths: { token: string; assessmentPackages: string; assessmentOrders: string };
    client: { clientId: string; clientSecret: string };
  };
  /** The kit process's id (to read its CPU use). */
  pid: number;
  stop(): Promise<void>;
  memory(): Promise<{ rssBeforeGc: number; heapUsedAfterGc: number }>;
  /** Every order id the assessment kit has stored for the company, as its `assessment.orders.list` gives them. */
  storedOrderIds(companyId: string): Promise<string[]>;
  /** How busy the kit's event loop was (0..1) between two wall-clock times (ms); null when unknown. */
  loopUtilization(from: number, to: number): Promise<number | null>;
}

export async function startBenchKit(env: Record<string, string> = {}): Promise<BenchKit> {
  const child = startChild('test/bench/kit-process.ts', env);
  const ready = JSON.parse(await child.nextLine()) as Omit<BenchKit, 'pid' | 'stop' | 'memory' | 'storedOrderIds' | 'loopUtilization'>;
  return {
    ...ready,
    pid: child.pid,
    stop: child.stop,
    memory: async () => {
      child.signal('SIGUSR2');
      return JSON.parse(await child.nextLine()) as { rssBeforeGc: number; heapUsedAfterGc: number };
    },
    storedOrderIds: async (companyId) => {
      const answer = JSON.parse(await child.ask(`orders ${companyId}`)) as { orderIds?: string[]; error?: string };
      if (!answer.orderIds) throw new Error(`the kit process could not list the orders: ${answer.error}`);
      return answer.orderIds;
    },
    loopUtilization: async (from, to) => {
      const answer = JSON.parse(await child.ask(`loop ${Math.round(from)} ${Math.round(to)}`)) as { utilization?: number | null; error?: string };
      if (answer.utilization === undefined) throw new Error(`the kit process could not tell its event loop use: ${answer.error}`);
      return answer.utilization;
    },
  };
}

/** The bare Koa baseline server. */
export async function startBareKoa(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = startChild('test/bench/bare-koa-process.ts');
  return { ...(JSON.parse(await child.nextLine()) as { url: string }), pid: child.pid, stop: child.stop };
}

/** Runs a bench script in a child process (BENCH_CPU_PROF=<dir> profiles it). */
function startChild(script: string, env: Record<string, string> = {}) {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  // BENCH_NODE_FLAGS: extra V8/Node flags for the servers (e.g. heap limits), to compare runs.
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...profile, ...flags, '--expose-gc', '--import', 'tsx', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  const waiters: Array<(line: string | undefined) => void> = [];
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
  let exited: Error | undefined;
  child.once('exit', (code) => {
    // A child that dies must not leave the bench waiting for a line forever.
    exited = new Error(`${script} exited with code ${code}`);
    for (const waiter of waiters.splice(0)) waiter(undefined);
  });
  return {
    pid: child.pid!,
    nextLine: () =>
      new Promise<string>((resolve, reject) => {
        if (lines.length > 0) return resolve(lines.shift()!);
        if (exited) return reject(exited);
        waiters.push((line) => (line === undefined ? reject(exited) : resolve(line)));
      }),
    signal: (signal: NodeJS.Signals) => child.kill(signal),
    /** One control line on the child's stdin, and its answer (kit-process.ts answers each with one stdout line). */
    ask(line: string): Promise<string> {
      child.stdin.write(line + '\n');
      return this.nextLine();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
