/**
 * The event feed (issue 14 item 2): the same events the webhook carries (the very same JSON
 * documents), in commit order, for a partner that missed deliveries or has no webhook at all. Read
 * from the start, then from the last event id processed (`after`). Events are kept for
 * `EVENT_RETENTION_DAYS` whether or not a webhook delivered them (store/kysely-outbox.ts writes
 * each to the feed in the transaction of its change; events/feed-retention.ts prunes older ones).
 *
 * A tenant-restricted key reads only events whose `data.tenantId` is its tenant, and an `after` id
 * of another tenant's event is as unknown to it as an id never issued.
 */
import * as v from 'valibot';
import { EVENT_RETENTION_DAYS } from '../../events/feed-retention.js';
import type { KitEventType } from '../../events/kit-events.js';
import type { Store } from '../../store/store.js';
import { defineOperation, type PartnerOperation } from '../operation.js';
import { limitSchema } from '../pagination.js';
import { ProblemError } from '../problem.js';


export const EVENT_TYPES = [
  'integration.enabled',
  'integration.disabled',
  'integration.failed',
  'integration.contended',
  'integration.relinked',
  'connection.connected',
  'connection.needs_reconnect',
  'connection.disconnected',
  'assessment.order.created',
  'assessment.result.delivered',
  'assessment.result.failed',
  'assessment.attachment.delivered',
  'assessment.attachment.failed',
] as const satisfies readonly KitEventType[];
// Fails to compile when kit-events.ts gains a type this list lacks.
type MissingEventType = Exclude<KitEventType, (typeof EVENT_TYPES)[number]>;
const everyTypeListed: MissingEventType extends never ? true : never = true;
void everyTypeListed;

export const EventSchema = v.pipe(
  v.strictObject({
    id: v.pipe(v.string(), v.description('Unique; the webhook sends it as X-Ats-Event-Id.')),
    type: v.picklist(EVENT_TYPES),
    occurredAt: v.pipe(v.string(), v.isoTimestamp()),
    data: v.pipe(v.record(v.string(), v.unknown()), v.description('Identifiers only (companyId, tenantId, orderId, connectionId…): never a secret or a candidate\'s personal data.')),
  }),
  v.title('Event'),
);

export function eventOperations({ store }: { store: Store }): PartnerOperation[] {
  return [
    defineOperation({
      id: 'listEvents',
      method: 'get',
      path: '/events',
      tag: 'events',
      summary: 'Read the event feed',
      description: `Events in the order they happened, oldest first, the same documents the webhook carries. Without \`after\`: from the oldest event kept (events are kept ${EVENT_RETENTION_DAYS} days). Then pass the id of the last event you processed as \`after\`. 404 unknown-event when \`after\` is no longer (or never was) in the feed: start again without it.`,
      scopes: ['read'],
      query: v.strictObject({
        after: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100), v.description('The id of the last event you processed.'))),
        limit: limitSchema,
      }),
      responses: {
        200: {
          description: 'The next events.',
          schema: v.strictObject({
            data: v.array(EventSchema),
            has_more: v.pipe(v.boolean(), v.description('True when more events follow the last one: read again with its id as `after`.')),
          }),
        },
      },
      problems: ['unknown-event'],
      async handle({ query, key }) {
        const tenantId = key?.tenantId ?? undefined;
        let afterSeq = 0;
        if (query.after !== undefined) {
          const seq = await store.eventFeed.seqOf(query.after, tenantId);
          if (seq === undefined) {
            throw new ProblemError('unknown-event', `No event with this id is in the feed (it may be older than the ${EVENT_RETENTION_DAYS}-day retention): read again without "after".`, {
              errors: [{ in: 'query', field: 'after', detail: 'not in the feed' }],
            });
          }
          afterSeq = seq;
        }
        const rows = await store.eventFeed.list({ afterSeq, ...(tenantId !== undefined ? { tenantId } : {}), limit: query.limit + 1 });
        const page = rows.slice(0, query.limit);
        return { status: 200, body: { data: page.map((row) => JSON.parse(row.payload) as unknown), has_more: rows.length > query.limit } };
      },
    }),
  ];
}
