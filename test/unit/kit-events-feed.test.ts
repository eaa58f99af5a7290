/**
 * Every event goes to the event feed; to the webhook outbox only when a webhook is configured.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { KitEvents } from '../../server/events/kit-events.js';
import type { IntegrationRow } from '../../server/store/store.js';

const row = { company_id: 'C1', tenant_id: 'tenant-a', sr_integration_id: null } as IntegrationRow;

describe('KitEvents and the feed', () => {
  it.each([
    [false, false],
    [true, true],
  ])('webhook configured: %s → the outbox row is for the webhook too: %s', (webhook, expected) => {
    const { event, outbox } = new KitEvents(pino({ level: 'silent' }), webhook, () => 0).create('integration.enabled', row);
    expect(outbox).toEqual({ id: event.id, type: 'integration.enabled', payload: JSON.stringify(event), tenantId: 'tenant-a', webhook: expected });
  });

  it.each(['integration.contended', 'integration.relinked'] as const)('%s names another tenant: filed under no tenant, so a tenant-restricted key never reads it', (type) => {
    const events = new KitEvents(pino({ level: 'silent' }), false, () => 0);
    const { outbox } =
      type === 'integration.contended'
        ? events.create(type, row, { contenderTenantId: 'tenant-b', contenderUserId: 'user-b' })
        : events.create(type, row, { previousTenantId: 'tenant-b' });
    expect(outbox!.tenantId).toBeNull();
    expect(events.create('integration.enabled', row).outbox!.tenantId).toBe('tenant-a');
  });
});
