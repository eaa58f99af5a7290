/**
 * A third site (http://127.0.0.2:<port>, a different site from both localhost and 127.0.0.1)
 * serving attacker pages for framing and opener tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AttackerSite {
  url: string;
  stop(): Promise<void>;
}

export async function startAttackerSite(pages: Record<string, string>): Promise<AttackerSite> {
  const server: Server = createServer((req, res) => {
    const html = pages[new URL(req.url ?? '/', 'http://x').pathname];
    res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  return {
    url: `http://127.0.0.2:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
