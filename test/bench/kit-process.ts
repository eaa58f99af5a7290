/**
 * The demo (kit + fake SmartRecruiters) in its own process, so the bench's load generator does not
 * count toward its memory. Prints one JSON line with its URLs, then serves until killed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../../demo/start-demo.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ats-bench-'));
const demo = await startDemo({ kitPort: 0, srPort: 0, dataDir, logLevel: 'silent', warn: () => {} });
process.stdout.write(JSON.stringify({ kitUrl: demo.kitUrl, srUrl: demo.srUrl, dataDir, approvePath: demo.kit.paths.approve }) + '\n');
// SIGUSR2: report memory (after a full GC, when --expose-gc is on) as one JSON line.
process.on('SIGUSR2', () => {
  const rssBeforeGc = process.memoryUsage().rss;
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed } = process.memoryUsage();
  process.stdout.write(JSON.stringify({ rssBeforeGc, heapUsedAfterGc: heapUsed }) + '\n');
});
process.once('SIGTERM', () => void demo.stop().then(() => process.exit(0)));
