/**
 * `ats-consent serve` (and `npm run serve`): the kit as its own HTTP server, configured entirely by
 * environment variables (the README's "Configuration" table), sign-in from `ATS_USERS_FILE`. The
 * database is migrated at start. SIGTERM or SIGINT stops it gracefully: no new connections,
 * requests in flight finish, then the kit closes its database and background delivery.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createKitServer } from '../app.js';
import { ConfigError } from '../config-error.js';
import { optionsFromEnv } from '../config-env.js';
import { createConsentKit, type ConsentKit } from '../kit.js';
import { CONFIGURATION_HELP, EXIT, describeError, unknownArguments, usageError, wantsHelp, type CliCommand, type Env, type Print } from './command.js';
import { usersFileAuthenticate } from './users-file.js';

const HELP = `Usage: ats-consent serve

Runs the kit as its own HTTP server: the consent page, our OAuth token endpoint and every
endpoint SmartRecruiters calls, configured by environment variables. Migrates the database at
start. Stops gracefully on SIGTERM or SIGINT (a second SIGINT stops at once).

Options:
  -h, --help          this text

Environment:
  PORT                port to listen on (default 3000; 0 picks a free one)
  HOST                address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  ATS_USERS_FILE      JSON list of the users who may sign in (see demo/users.example.json)
${CONFIGURATION_HELP}

Exit codes:
  0   stopped by SIGTERM or SIGINT
  1   configuration invalid (the message names the option and its variable)
  2   could not start (address in use, database unreachable, widget bundle missing)
  64  unknown argument`;

export async function serve(env: Env, args: string[], print: Print): Promise<number> {
  if (wantsHelp(args)) {
    print(HELP);
    return EXIT.ok;
  }
  const unknown = unknownArguments(args, []);
  if (unknown.length > 0) return usageError(print, 'serve', `unknown argument ${unknown[0]}`);
  const port = Number(env.PORT ?? 3000);
  if (!/^\d+$/.test(env.PORT ?? '3000') || port > 65_535) {
    print(`ats-consent serve: PORT must be a port number (0-65535), got "${env.PORT}"`, 'stderr');
    return EXIT.config;
  }
  const host = env.HOST || '127.0.0.1';
  // Listening for the stop signals from the very start: a signal during start-up (a migration,
  // say) stops the kit as soon as it is up, and none can arrive between the "listening" line and
  // the handlers, where the default action would kill the process on the spot.
  const stop = stopSignals();
  try {
    return await serveUntilStopped(env, port, host, print, stop.next);
  } finally {
    stop.dispose();
  }
}

async function serveUntilStopped(env: Env, port: number, host: string, print: Print, stopSignal: Promise<NodeJS.Signals>): Promise<number> {
  let kit: ConsentKit;
  try {
    kit = await createConsentKit(optionsFromEnv(env, usersFileAuthenticate(env.ATS_USERS_FILE)));
  } catch (error) {
    if (error instanceof ConfigError) {
      print(error.message, 'stderr');
      return EXIT.config;
    }
    print(`ats-consent serve: could not start: ${describeError(error)}`, 'stderr');
    return EXIT.failed;
  }

  const server = createKitServer(kit).listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    await kit.close();
    print(`ats-consent serve: could not listen on ${host}:${port}: ${describeError(error)}`, 'stderr');
    return EXIT.failed;
  }
  const { port: bound } = server.address() as AddressInfo;
  print(`ats-consent listening on http://${host}:${bound}; consent page at ${new URL(kit.paths.consentPage, kit.config.publicUrl)}`);

  const signal = await stopSignal;
  // Stop accepting, let requests in flight finish (idle keep-alive connections are closed), then
  // close the kit: it waits for no new work, so nothing is left half-written.
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await kit.close();
  print(`ats-consent stopped (${signal})`);
  return EXIT.ok;
}

/** The first SIGTERM or SIGINT. Both listeners go after it, so a second Ctrl-C stops the process at once. */
function stopSignals(): { next: Promise<NodeJS.Signals>; dispose(): void } {
  let dispose = () => {};
  const next = new Promise<NodeJS.Signals>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      dispose();
      resolve(signal);
    };
    dispose = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  return { next, dispose: () => dispose() };
}

export const serveCommand: CliCommand = {
  name: 'serve',
  help: HELP,
  run: serve,
};
