// Preloaded (`node --import`) into the compiled kit's process by the bench: answers the bench's
// questions about that process without any code in the kit. Plain JavaScript, so the process runs
// no TypeScript loader. Commands arrive on stdin (the standalone server does not read it), answers
// leave on file descriptor 3 (stdout is the server's own), one JSON line each:
//  - `memory`: RSS now, then heap in use after a full GC (the process runs with --expose-gc);
//  - `loop <fromMs> <toMs>`: how busy the event loop was (0..1) between those wall-clock times, from
//    samples taken every 100 ms (time blocked in synchronous calls, such as better-sqlite3's
//    commits, counts as busy, unlike CPU time).
import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const answers = createWriteStream(null, { fd: 3 });
const samples = [];
setInterval(() => {
  samples.push({ at: Date.now(), elu: performance.eventLoopUtilization() });
  if (samples.length > 6000) samples.shift(); // the last 10 minutes
}, 100).unref();

function loopUtilization(from, to) {
  const first = samples.find((sample) => sample.at >= from);
  const last = samples.findLast((sample) => sample.at <= to);
  if (!first || !last || last.at <= first.at) return null;
  return performance.eventLoopUtilization(last.elu, first.elu).utilization;
}

const control = createInterface({ input: process.stdin });
// The bench gone (its end of stdin closed): stop the server rather than serve on as an orphan.
control.once('close', () => process.kill(process.pid, 'SIGTERM'));
control.on('line', (line) => {
  const [command, ...args] = line.trim().split(/\s+/);
  let answer;
  if (command === 'memory') {
    const rss = process.memoryUsage().rss;
    globalThis.gc?.();
    const after = process.memoryUsage();
    answer = { rss, heapUsedAfterGc: after.heapUsed, heapTotalAfterGc: after.heapTotal, externalAfterGc: after.external, rssAfterGc: after.rss };
  } else if (command === 'loop' && args.length === 2) answer = { utilization: loopUtilization(Number(args[0]), Number(args[1])) };
  else answer = { error: `unknown command: ${line}` };
  answers.write(JSON.stringify(answer) + '\n');
});
