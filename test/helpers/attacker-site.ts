/**
 * A third site (http://127.0.0.2:<port>, a different site from both localhost and 127.0.0.1)
 * serving attacker pages for framing and opener tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An attacker page's listener: every message it receives is listed in `#log` (origin, then data). */
export const LOG_MESSAGES = `<ol id="log"></ol><script>
  window.addEventListener('message', (event) => {
    const li = document.createElement('li');
    li.textContent = event.origin + ' ' + JSON.stringify(event.data);
    document.getElementById('log').append(li);
  });
</script>`;

/**
 * The attacker pages the hostile-embedding tests use: `/frame` frames the consent page, `/open`
 * opens it in a window (button `#go`), `/nested` frames it for an SR page to frame in turn.
 */
export function hostilePages(consentUrl: string): Record<string, string> {
  return {
    '/frame': `<h1>evil</h1>${LOG_MESSAGES}<iframe id="victim" src="${consentUrl}?companyId=FRAMED"></iframe>`,
    '/open': `<h1>evil opener</h1>${LOG_MESSAGES}<button id="go" onclick="window.open('${consentUrl}?companyId=OPENED', 'consent')">open</button>`,
    '/nested': `<iframe id="inner" src="${consentUrl}?companyId=NESTED"></iframe>`,
  };
}

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
