/**
 * A demo instance per test file: ephemeral ports, a temporary data directory (a real SQLite
 * file), short timeouts, and every log line captured so tests can check that no secret leaked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startDemo, type DemoOptions, type RunningDemo } from '../../demo/start-demo.js';

export interface TestDemo extends RunningDemo {
  logs: string[];
  dataDir: string;
}

export async function startTestDemo(options: DemoOptions = {}): Promise<TestDemo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ats-consent-test-'));
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const demo = await startDemo({
    kitPort: 0,
    srPort: 0,
    providerPorts: [0, 0, 0],
    dataDir,
    timeoutMs: 2_000,
    faultDelayMs: 3_000,
    logLevel: 'debug',
    logDestination,
    warn: () => {},
    ...options,
  });
  return {
    ...demo,
    logs,
    dataDir,
    async stop() {
      await demo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
