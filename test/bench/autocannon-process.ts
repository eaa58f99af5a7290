/**
 * The load generator for the ratio figures: autocannon, in its own process (so it neither shares
 * an event loop with the bench nor with the servers), against one URL. Reads a `LoadSpec` as JSON
 * from argv[2], runs a short warm-up and then the measured run, and prints one JSON `LoadReport`
 * line on stdout.
 *
 * `freshUuid`: every occurrence of that placeholder in the body is replaced by a new random UUID for
 * each request (autocannon's own `[<id>]` is a hyperid, not a UUID, and repeats a prefix). The run
 * then also reports which ids were sent and which got `expectStatus`, so the caller can check what
 * the server stored against what it acknowledged. With pipelining 1, a connection's context holds
 * the id of the one request in flight on it when its response arrives.
 *
 * `cycle`: each request takes the next of a list of values (an order id, say) in place of a
 * placeholder in the URL's path and the body, round robin over the run; the bodies too, when several
 * are given, each time the values wrap (the first pass over the orders sends the first body, the
 * next pass the second, …). `answerField`: every `expectStatus` answer's JSON field of that name
 * (the id under which the server says it stored the request) is reported in `answered`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon, { type Options, type Request, type Result } from 'autocannon';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST' | 'PATCH';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Seconds of the measured run (ignored when `amount` is set). */
  seconds: number;
  /** Complete exactly this many requests instead of running for `seconds` (none left in flight at the end). */
  amount?: number;
  warmupSeconds: number;
  /** The status every measured response should have. */
  expectStatus: number;
  freshUuid?: string;
  cycle?: { placeholder: string; values: string[]; bodies?: string[] };
  answerField?: string;
  /** The server's process id: its CPU use during the measured run is reported (Linux /proc). */
  serverPid?: number;
}

export interface LoadReport {
  /** Wall-clock bounds of the measured run (ms since the epoch). */
  startedAt: number;
  finishedAt: number;
  seconds: number;
  /** Responses with any status. */
  completed: number;
  /** Responses with `expectStatus`. */
  expected: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors and timeouts (requests without a response). */
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
  /** CPU used during the measured run, in cores (1 = one core busy all along): this generator's, the server's, and the whole machine's. */
  generatorCores: number;
  serverCores: number | undefined;
  machineCores: number | undefined;
  /** How busy the server's event loop was during the run (0..1), where the caller can tell (the kit process). */
  serverLoopBusy?: number | null;
  /** With `freshUuid`: every id sent, and the ids answered with `expectStatus`. */
  sentIds?: string[];
  expectedIds?: string[];
  /** With `answerField`: that field of every `expectStatus` answer of the measured run. */
  answered?: string[];
}

const spec = JSON.parse(process.argv[2]!) as LoadSpec;

/** User + system CPU seconds of a process so far (Linux /proc; undefined elsewhere or without a pid). */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // stat(5) fields 14 and 15 (utime, stime), counted from after the command name, in clock ticks (USER_HZ, 100 on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds every core of the machine spent busy so far (Linux /proc/stat: all but idle and iowait). */
function machineBusySeconds(): number | undefined {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
  } catch {
    return undefined;
  }
}

interface Snapshot {
  at: number;
  server: number | undefined;
  machine: number | undefined;
  own: NodeJS.CpuUsage;
}
const snapshot = (): Snapshot => ({ at: performance.now(), server: cpuSeconds(spec.serverPid), machine: machineBusySeconds(), own: process.cpuUsage() });

/**
 * One autocannon run. With `amount`, autocannon stops only at its next 1 s sample after the last
 * response, so the run's end is taken at that last response (`onLast`), not from its `duration`.
 */
async function run(seconds: number, amount: number | undefined, ids?: { sent: string[]; expected: string[] }, onLast?: () => void, answered?: string[]): Promise<Result> {
  const request: Request = {};
  if (spec.cycle !== undefined) {
    const { placeholder, values, bodies = spec.body === undefined ? [] : [spec.body] } = spec.cycle;
    request.setupRequest = (req) => {
      const index = cycled++;
      const value = values[index % values.length]!;
      req.path = req.path!.replaceAll(placeholder, value);
      if (bodies.length > 0) req.body = bodies[Math.floor(index / values.length) % bodies.length]!.replaceAll(placeholder, value);
      return req;
    };
  }
  if (spec.answerField !== undefined && answered) {
    const field = spec.answerField;
    request.onResponse = (status, body) => {
      if (status !== spec.expectStatus) return;
      const value = (JSON.parse(body) as Record<string, unknown>)[field];
      if (typeof value === 'string') answered.push(value);
    };
  }
  if (spec.freshUuid !== undefined && spec.body !== undefined) {
    const [placeholder, template] = [spec.freshUuid, spec.body];
    request.setupRequest = (req, context) => {
      const id = randomUUID();
      context.id = id;
      ids?.sent.push(id);
      req.body = template.replaceAll(placeholder, id);
      return req;
    };
    request.onResponse = (status, _body, context) => {
      if (status === spec.expectStatus) ids?.expected.push(context.id as string);
    };
  }
  const options: Options = {
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers ?? {},
    connections: spec.connections,
    duration: seconds,
    timeout: 10,
    requests: [request],
    ...(spec.body === undefined ? {} : { body: spec.body }),
    ...(amount === undefined ? {} : { amount }),
  };
  const instance = autocannon(options);
  if (amount !== undefined && onLast) {
    let responses = 0;
    instance.on('response', () => {
      if (++responses === amount) onLast();
    });
  }
  return instance;
}

/** Requests built so far with `cycle` (warm-up included, so the measured run goes on where it left off). */
let cycled = 0;
if (spec.warmupSeconds > 0) await run(spec.warmupSeconds, undefined);
const ids = spec.freshUuid !== undefined ? { sent: [] as string[], expected: [] as string[] } : undefined;
const before = snapshot();
const startedAt = Date.now();
let last: Snapshot | undefined;
const answered = spec.answerField !== undefined ? ([] as string[]) : undefined;
const result = await run(spec.seconds, spec.amount, ids, () => (last = snapshot()), answered);
const after = last ?? snapshot();
const seconds = (after.at - before.at) / 1000;
const cores = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : (to - from) / seconds);
const statusCounts = Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, Number(count)]));
const completed = Object.values(statusCounts).reduce((sum, count) => sum + count, 0);
const report: LoadReport = {
  startedAt,
  finishedAt: startedAt + Math.round(seconds * 1000),
  seconds,
  completed,
  expected: statusCounts[String(spec.expectStatus)] ?? 0,
  perSecond: completed / seconds,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  maxMs: result.latency.max,
  errors: result.errors,
  timeouts: result.timeouts,
  statusCounts,
  generatorCores: (after.own.user - before.own.user + after.own.system - before.own.system) / 1e6 / seconds,
  serverCores: cores(before.server, after.server),
  machineCores: cores(before.machine, after.machine),
  ...(ids ? { sentIds: ids.sent, expectedIds: ids.expected } : {}),
  ...(answered ? { answered } : {}),
};
process.stdout.write(JSON.stringify(report) + '\n');
