/**
 * `npm run serve`: the kit as its own server, configured entirely by environment variables (see
 * the README). Sign-in uses the user directory in `ATS_USERS_FILE`.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { userDirectory, type DirectoryUser } from './auth/user-directory.js';
import { createApp } from './app.js';
import { ConfigError } from './config.js';
import { optionsFromEnv } from './config-env.js';
import { createConsentKit } from './kit.js';

function loadUsers(path: string | undefined): DirectoryUser[] {
  if (!path) throw new ConfigError('authenticate', 'needs ATS_USERS_FILE (a JSON list of users) for the standalone server');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DirectoryUser[];
  } catch (error) {
    throw new ConfigError('authenticate', `could not read ATS_USERS_FILE ${path}: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  const kit = await createConsentKit(optionsFromEnv(process.env, userDirectory(loadUsers(process.env.ATS_USERS_FILE))));
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const server = createApp(kit).listen(port, host, () => {
    const { port: bound } = server.address() as AddressInfo;
    console.log(`ats-consent listening on http://${host}:${bound}; consent page at ${new URL(kit.paths.consentPage, kit.config.publicUrl)}`);
  });
  const stop = () => server.close(() => void kit.close());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
