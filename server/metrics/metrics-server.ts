/**
 * The metrics on a listen address of their own (`ats-consent serve` with `ATS_METRICS_PORT`): only
 * `GET /metrics` (and HEAD), nothing of the kit. Kept off the public port so the numbers (request
 * rates, queue depths) are for whoever can reach that address — by default loopback, where a
 * Prometheus agent or sidecar scrapes them — and no API key has to sit in a scraper's config.
 */
import { createServer, type Server } from 'node:http';
import { METRICS_CONTENT_TYPE, type KitMetrics } from './kit-metrics.js';

export function createMetricsServer(metrics: KitMetrics, onError: (error: unknown) => void): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: the metrics are at /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    metrics.text().then(
      (text) => {
        response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        onError(error);
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be collected (is the database reachable?)\n');
      },
    );
  });
}
