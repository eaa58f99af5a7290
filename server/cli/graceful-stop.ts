/**
 * `ats-consent serve`'s shutdown on SIGTERM/SIGINT, within a bounded time (`ATS_SHUTDOWN_TIMEOUT_MS`):
 *
 * 1. The server stops accepting connections; idle keep-alive connections close; requests in flight
 *    run to their end. At the same time the kit stops its background delivery (`kit.drain`).
 * 2. By the deadline, whatever is still running is cut short: the remaining connections are closed
 *    and every lease this process holds is handed back (`kit.handBackLeases`) — result delivery's
 *    company leases, webhook events being sent, consent exchanges' leases — so another instance
 *    takes over at once rather than after the leases lapse (15 s, 30 s, 5 s). Handing back early is safe: each lease's work is
 *    also protected by conditional writes (an order's attempt window, an owner-checked activate).
 * 3. The kit closes its database, given a last short while.
 *
 * Answers `late: true` when the deadline cut something short: then something (an outbound call
 * still waiting for its own timeout) may keep Node's event loop alive, and serve makes sure the
 * process still exits.
 */
import type { Server } from 'node:http';
import { settledBy } from '../deadline.js';
import type { ConsentKit } from '../kit.js';

/** Time given to closing the database after the deadline. */
const CLOSE_GRACE_MS = 2_000;

export async function gracefulStop(server: Server, kit: ConsentKit, timeoutMs: number, extraServers: Server[] = []): Promise<{ late: boolean }> {
  const deadline = Date.now() + timeoutMs;
  const servers = [server, ...extraServers];
  const closed = Promise.all(servers.map((each) => new Promise<void>((resolve) => each.close(() => resolve()))));
  for (const each of servers) each.closeIdleConnections();
  const [served] = await Promise.all([settledBy(closed, deadline), kit.drain(deadline)]);
  let late = !served;
  if (late) {
    for (const each of servers) each.closeAllConnections();
    await kit.handBackLeases();
  }
  if (!(await settledBy(kit.close(), Date.now() + CLOSE_GRACE_MS))) late = true;
  return { late };
}
