/**
 * A partner webhook endpoint on loopback that records what it receives and can be told to fail.
 * Given the webhook secret it also does what the README asks of a receiver: it verifies every
 * delivery with `verifyWebhookSignature` (401 when it fails) and deduplicates by `X-Ats-Event-Id`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../server/events/webhook-signature.js';

export interface ReceivedWebhook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  /** Deliveries accepted (verified, when verifying; duplicates included). */
  received: ReceivedWebhook[];
  /** Deliveries refused because their signature did not verify (verifying receivers only). */
  rejected: ReceivedWebhook[];
  /** Event ids processed once each (verifying receivers only). */
  processed: string[];
  /** Answer the next `count` deliveries with 500. */
  failNext(count: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(options: { verifyWith?: string } = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const rejected: ReceivedWebhook[] = [];
  const processed: string[] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        res.writeHead(500).end();
        return;
      }
      const delivery = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      if (options.verifyWith !== undefined) {
        const headers = { id: req.headers['x-ats-event-id'], timestamp: req.headers['x-ats-timestamp'], signature: req.headers['x-ats-signature'] };
        if (!verifyWebhookSignature(options.verifyWith, headers, delivery.body)) {
          rejected.push(delivery);
          res.writeHead(401).end();
          return;
        }
        const id = String(headers.id);
        if (!processed.includes(id)) processed.push(id);
      }
      received.push(delivery);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/ats`,
    received,
    rejected,
    processed,
    failNext: (count) => {
      failures = count;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook deliveries, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
