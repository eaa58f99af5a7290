/**
 * The event feed keeps 30 days: FeedRetention prunes older events at start, on a real SQLite file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { expect, it } from 'vitest';
import { EVENT_RETENTION_DAYS, FeedRetention } from '../../server/events/feed-retention.js';
import { openStore } from '../../server/store/open-store.js';

it(`prunes events older than ${EVENT_RETENTION_DAYS} days at start, keeps the rest`, async () => {
  const store = await openStore({ kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'ats-feed-')), 'kit.sqlite') });
  const day = 24 * 60 * 60 * 1000;
  const now = 100 * day;
  for (const [id, age] of [['old', EVENT_RETENTION_DAYS + 1], ['edge', EVENT_RETENTION_DAYS - 1], ['new', 0]] as const) {
    await store.audit.append({ event: 'e', outcome: 'info' }, now - age * day, { id, type: 'test.event', payload: '{}', webhook: false });
  }
  const retention = new FeedRetention(store, pino({ level: 'silent' }), () => now);
  retention.start();
  await retention.stop();
  expect((await store.eventFeed.list({ afterSeq: 0, limit: 10 })).map((row) => row.id)).toEqual(['edge', 'new']);
  await store.close();
});
