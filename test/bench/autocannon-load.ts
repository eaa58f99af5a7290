/**
 * Runs autocannon in its own process (autocannon-process.ts) and returns its report. The bench
 * process only waits meanwhile, so the machine is shared by the generator and the server under test
 * (and whatever else runs on it).
 */
import { spawn } from 'node:child_process';
import type { LoadReport, LoadSpec } from './autocannon-process.js';
import type { BenchKit } from './bench-kit.js';

export type { LoadReport, LoadSpec };

export function runAutocannon(spec: LoadSpec): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/autocannon-process.ts', JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon against ${spec.url} exited with code ${code}`));
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString()) as LoadReport);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** A run against the kit process, with its CPU and how busy its event loop was during the run. */
export async function runAgainstKit(kit: BenchKit, spec: Omit<LoadSpec, 'serverPid'>): Promise<LoadReport> {
  const report = await runAutocannon({ ...spec, serverPid: kit.pid });
  return { ...report, serverLoopBusy: await kit.loopUtilization(report.startedAt, report.finishedAt) };
}
