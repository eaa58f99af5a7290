/**
 * Reads a V8 .cpuprofile (from BENCH_CPU_PROF or `node --cpu-prof`) and prints where the time went:
 * self time by function, or by package/file with `--by file`, largest first. With `--requests N`
 * (the requests the process served while profiled) each line also says µs per request.
 *
 *   npx tsx test/bench/cpu-profile-summary.ts <file.cpuprofile> [--by function|file] [--top 30] [--requests N]
 *
 * Self time of a native frame (better-sqlite3's `get`/`all`/`run`, OpenSSL's HMAC `init`, the
 * socket's `writev`) is the time spent in it. Samples are wall-clock: on a busy machine the time the
 * process waited for a core lands on whatever frame it was in (often `writev`, which wakes the load
 * generator), so compare profiles taken under the same load.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const file = args.find((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));
if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [--by function|file] [--top 30] [--requests N]');
const byFile = option('--by') === 'file';
const top = Number(option('--top') ?? 30);
const requests = option('--requests') === undefined ? undefined : Number(option('--requests'));

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));

/** node_modules/<package> for dependencies, the path for the rest; native frames have none. */
function place(url: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return dependency ? dependency[1]! : url.replace(/^file:\/\//, '');
}

const selfMicros = new Map<string, number>();
let totalMicros = 0;
profile.samples.forEach((id, index) => {
  const frame = frames.get(id)!;
  const name = frame.functionName || '(anonymous)';
  const key = byFile ? place(frame.url) || name : frame.url ? `${name} ${place(frame.url)}:${frame.lineNumber + 1}` : name;
  const micros = profile.timeDeltas[index] ?? 0;
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + micros);
  totalMicros += micros;
});

const idle = selfMicros.get('(idle)') ?? 0;
console.log(
  `${(totalMicros / 1e6).toFixed(2)} s profiled, ${((totalMicros - idle) / 1e6).toFixed(2)} s not idle` +
    (requests ? `: ${((totalMicros - idle) / requests).toFixed(1)} µs per request over ${requests} requests` : ''),
);
for (const [key, micros] of [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  const share = `${((micros / totalMicros) * 100).toFixed(1).padStart(5)} %`;
  const perRequest = requests ? `${(micros / requests).toFixed(2).padStart(8)} µs/req  ` : '';
  console.log(`${share}  ${perRequest}${key}`);
}
