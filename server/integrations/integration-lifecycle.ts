/**
 * What happens to an integration after the consent exchange: disabling it (SmartRecruiters'
 * INTEGRATION_DISABLED callback or the partner's own call), rotating the customer-level secret we
 * issued, and SmartRecruiters access tokens for the partner's code.
 *
 * Rotation: SmartRecruiters documents no endpoint to replace the credentials we sent it, so the new
 * secret goes out the only documented way, the integrations POST with the same clientId
 * ([UNKNOWN] whether SR accepts it: reference/providers.md §1.3). The new secret is persisted
 * (hash + AES-GCM) before sending; the old one keeps working until SR confirms (200, or its first
 * token request with the new secret), and for a grace period after, so nothing breaks mid-way.
 */
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { Cipher } from '../crypto/cipher.js';
import { SecretHasher, randomSecret } from '../crypto/secrets.js';
import { binding } from '../consent/integration-exchange.js';
import { upstreamFailure } from '../consent/upstream-errors.js';
import { AtsServerError } from '../errors.js';
import type { KitEvents } from '../events/kit-events.js';
import { OutboundError } from '../oauth/outbound.js';
import type { TokenCache } from '../oauth/token-cache.js';
import type { SmartRecruitersProduct } from '../assessment/assessment-options.js';
import type { SmartRecruitersClient } from '../providers/smartrecruiters.js';
import type { IntegrationRow, Store, TokenIntegration } from '../store/store.js';

export interface LifecycleDeps {
  store: Store;
  cipher: Cipher;
  hasher: SecretHasher;
  smartRecruiters: SmartRecruitersClient;
  product: SmartRecruitersProduct;
  events: KitEvents;
  rotationGraceMs: number;
  now: () => number;
}

export class IntegrationLifecycle {
  readonly #srTokens = new Map<string, { integrationRowId: string; cache: TokenCache }>();

  constructor(private readonly deps: LifecycleDeps) {}

  /** Disables the integration (idempotent): true when this call changed it. */
  async disable(row: TokenIntegration, disabledBy: 'smartrecruiters' | 'partner', actor?: string): Promise<boolean> {
    const { store, events, now } = this.deps;
    const { event, outbox } = events.create('integration.disabled', row, { disabledBy });
    const changed = await store.integrations.disable(row.id, now(), outbox);
    this.#srTokens.delete(row.company_id);
    await store.audit.append(
      { event: 'disable', outcome: changed ? 'success' : 'info', companyId: row.company_id, actor: actor ?? disabledBy, detail: { disabledBy, repeated: !changed } },
      now(),
    );
    if (changed) events.publish(event);
    return changed;
  }

  /**
   * Binds a company's integration to another tenant: the partner's explicit, authenticated act that
   * settles contention (issue 13 finding 1). Credentials, tokens and state stay as they are, so a
   * failed exchange the new tenant retries replays the identical body. False when there is no
   * integration to move (none, disabled, or already that tenant's).
   */
  async relink(companyId: string, tenantId: string, actor = 'partner'): Promise<boolean> {
    const { store, events, now } = this.deps;
    if (tenantId.trim() === '') throw new TypeError('relink needs the tenant id to bind the company to');
    const row = await store.integrations.findByCompany(companyId);
    if (!row || row.state === 'disabled' || row.tenant_id === tenantId) return false;
    const { event, outbox } = events.create('integration.relinked', { ...row, tenant_id: tenantId }, { previousTenantId: row.tenant_id });
    const changed = await store.integrations.relink(companyId, tenantId, actor, now(), outbox);
    await store.audit.append(
      { event: 'relink', outcome: changed ? 'success' : 'info', companyId, actor, detail: { from: row.tenant_id, to: tenantId } },
      now(),
    );
    if (changed) events.publish(event);
    return changed;
  }

  /** Rotates the secret we issued to SmartRecruiters; resumes an unfinished rotation. */
  async rotate(companyId: string): Promise<void> {
    const { store, cipher, hasher, smartRecruiters, now } = this.deps;
    if (this.deps.product === 'assessment') {
      // Seed 003 documents no way to replace the credentials SR holds: its exchange answers 409 once integrated.
      throw new AtsServerError(
        409,
        AtsErrorCode.NotActive,
        'SmartRecruiters Assessment offers no way to replace the credentials it holds: disable and enable the app for the company in SmartRecruiters instead.',
      );
    }
    const active = await this.#active(companyId);
    const candidate = randomSecret();
    const row = await store.integrations.beginRotation(
      active.id,
      hasher.hash(candidate),
      cipher.encrypt(candidate, binding(active.id, 'rotation_secret_pending')),
      now(),
    );
    if (!row?.rotation_secret_hash || !row.rotation_secret_pending) throw notActive();
    // The secret actually in flight: ours, or the one an earlier unfinished rotation persisted.
    const secret = cipher.decrypt(row.rotation_secret_pending, binding(row.id, 'rotation_secret_pending'));
    try {
      await smartRecruiters.createIntegration(
        { companyId, clientId: row.issued_client_id, clientSecret: secret },
        `${row.id}:rotation:${row.rotation_secret_hash.slice(-16)}`,
      );
    } catch (error) {
      await store.audit.append({ event: 'rotate', outcome: 'failure', companyId, detail: { error: String((error as Error).message) } }, now());
      throw error instanceof OutboundError ? upstreamFailure(error) : error;
    }
    await store.integrations.completeRotation(row.id, row.rotation_secret_hash, now() + this.deps.rotationGraceMs, now());
    await store.audit.append({ event: 'rotate', outcome: 'success', companyId }, now());
  }

  /** A SmartRecruiters access token for the company, from SR's customer-level credentials. */
  async smartRecruitersAccessToken(companyId: string): Promise<string> {
    const row = await this.#active(companyId);
    let entry = this.#srTokens.get(companyId);
    if (!entry || entry.integrationRowId !== row.id) {
      const credentials = JSON.parse(this.deps.cipher.decrypt(row.sr_credentials!, binding(row.id, 'sr_credentials'))) as {
        clientId: string;
        clientSecret: string;
      };
      entry = { integrationRowId: row.id, cache: this.deps.smartRecruiters.tokenCacheFor(credentials) };
      this.#srTokens.set(companyId, entry);
    }
    try {
      return await entry.cache.get();
    } catch (error) {
      throw error instanceof OutboundError ? upstreamFailure(error) : error;
    }
  }

  /** SR refused `token` (401): the next call gets a new one. */
  srTokenRejected(companyId: string, token: string): void {
    this.#srTokens.get(companyId)?.cache.invalidate(token);
  }

  async #active(companyId: string): Promise<IntegrationRow> {
    const row = await this.deps.store.integrations.findByCompany(companyId);
    if (row?.state !== 'active' || !row.sr_credentials) throw notActive();
    return row;
  }
}

const notActive = () =>
  new AtsServerError(409, AtsErrorCode.NotActive, 'This SmartRecruiters company has no active integration.');
