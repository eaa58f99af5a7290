/**
 * `ats-consent serve` (and `npm run serve`): the kit as its own HTTP server, configured entirely by
 * environment variables (the README's "Configuration" table), sign-in from `ATS_USERS_FILE`. The
 * database is migrated at start. SIGTERM or SIGINT stops it gracefully within
 * `ATS_SHUTDOWN_TIMEOUT_MS` (graceful-stop.ts): no new connections, requests in flight finish,
 * background delivery stops, leases still held at the deadline are handed back, then the database
 * closes. `ATS_METRICS_PORT` serves the Prometheus metrics on an address of their own.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createKitServer } from '../app.js';
import { ConfigError } from '../config-error.js';
import { optionsFromEnv } from '../config-env.js';
import { createConsentKit, type ConsentKit } from '../kit.js';
import { createMetricsServer } from '../metrics/metrics-server.js';
import { gracefulStop } from './graceful-stop.js';
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
  ATS_METRICS_PORT    serve Prometheus metrics at /metrics on this port (default: not served)
  ATS_METRICS_HOST    address of the metrics listener (default 127.0.0.1)
  ATS_SHUTDOWN_TIMEOUT_MS  how long a stop waits for requests and deliveries in flight before
                      cutting them short and handing leases back (default 10000)
${CONFIGURATION_HELP}

Exit codes:
  0   stopped by SIGTERM or SIGINT (also when the shutdown timeout cut work short)
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
  const metricsPort = env.ATS_METRICS_PORT ? Number(env.ATS_METRICS_PORT) : null;
  if (metricsPort !== null && (!/^\d+$/.test(env.ATS_METRICS_PORT!) || metricsPort > 65_535)) {
    print(`ats-consent serve: ATS_METRICS_PORT must be a port number (0-65535), got "${env.ATS_METRICS_PORT}"`, 'stderr');
    return EXIT.config;
  }
  const shutdownTimeoutMs = Number(env.ATS_SHUTDOWN_TIMEOUT_MS || DEFAULT_SHUTDOWN_TIMEOUT_MS);
  if (!Number.isSafeInteger(shutdownTimeoutMs) || shutdownTimeoutMs < 0) {
    print(`ats-consent serve: ATS_SHUTDOWN_TIMEOUT_MS must be a number of milliseconds, got "${env.ATS_SHUTDOWN_TIMEOUT_MS}"`, 'stderr');
    return EXIT.config;
  }
  const listen = { port, host, metrics: metricsPort === null ? null : { port: metricsPort, host: env.ATS_METRICS_HOST || '127.0.0.1' }, shutdownTimeoutMs };
  // Listening for the stop signals from the very start: a signal during start-up (a migration,
  // say) stops the kit as soon as it is up, and none can arrive between the "listening" line and
  // the handlers, where the default action would kill the process on the spot.
  const stop = stopSignals();
  try {
    return await serveUntilStopped(env, listen, print, stop.next);
  } finally {
    stop.dispose();
  }
}

/**
 * Below Kubernetes' default 30 s grace period, above the kit's default outbound timeout (10 s), so
 * a request waiting on SmartRecruiters usually still gets its answer.
 */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

interface Listen {
  port: number;
  host: string;
  metrics: { port: number; host: string } | null;
  shutdownTimeoutMs: number;
}

async function serveUntilStopped(env: Env, listen: Listen, print: Print, stopSignal: Promise<NodeJS.Signals>): Promise<number> {
  const { port, host } = listen;
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

  const server = createKitServer(kit);
  const metricsServer = listen.metrics && createMetricsServer(kit.metrics, (error) => print(`ats-consent: metrics could not be collected: ${describeError(error)}`, 'stderr'));
  const listening: Array<[Server, number, string]> = [[server, port, host], ...(metricsServer ? [[metricsServer, listen.metrics!.port, listen.metrics!.host] as [Server, number, string]] : [])];
  for (const [each, eachPort, eachHost] of listening) {
    try {
      each.listen(eachPort, eachHost);
      await once(each, 'listening');
    } catch (error) {
      for (const [other] of listening) other.close();
      await kit.close();
      print(`ats-consent serve: could not listen on ${eachHost}:${eachPort}: ${describeError(error)}`, 'stderr');
      return EXIT.failed;
    }
  }
  const { port: bound } = server.address() as AddressInfo;
  print(`ats-consent listening on http://${host}:${bound}; consent page at ${new URL(kit.paths.consentPage, kit.config.publicUrl)}`);
  if (metricsServer) print(`ats-consent metrics at http://${listen.metrics!.host}:${(metricsServer.address() as AddressInfo).port}/metrics`);

  const signal = await stopSignal;
  const { late } = await gracefulStop(server, kit, listen.shutdownTimeoutMs, metricsServer ? [metricsServer] : []);
  print(`ats-consent stopped (${signal}${late ? `; work still running after ${listen.shutdownTimeoutMs} ms was cut short and its leases handed back` : ''})`);
  // Cut short, an outbound call may still wait for its own timeout and keep the event loop alive:
  // exit anyway, soon. Unreferenced, so a process that ends by itself ends as usual.
  if (late) setTimeout(() => process.exit(EXIT.ok), 200).unref();
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
