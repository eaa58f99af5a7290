/**
 * Approve → the credential exchange with SmartRecruiters (seed 001 §2–4), made idempotent per
 * company (reference/security.md T33, T35):
 *
 * 1. Our customer-level credentials are generated once and persisted (hash + AES-GCM pending copy)
 *    *before* anything is sent, so every retry sends the identical body.
 * 2. Only the holder of the row's exchange lease talks to SmartRecruiters; in-process callers share
 *    one promise, other processes wait for the lease holder's outcome.
 * 3. SmartRecruiters' credentials are stored encrypted and the row becomes `active` in one
 *    conditional update; a failure keeps the pending credentials for the retry.
 *
 * A company stays bound to the tenant that connected it first (T2): another tenant gets 409 and
 * nothing is sent upstream.
 */
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { AuthenticatedUser } from '../config.js';
import { Cipher } from '../crypto/cipher.js';
import { SecretHasher, randomId, randomSecret } from '../crypto/secrets.js';
import { AtsServerError } from '../errors.js';
import { OutboundError } from '../oauth/outbound.js';
import type { KitEvents } from '../events/kit-events.js';
import type { SmartRecruitersClient } from '../providers/smartrecruiters.js';
import type { IntegrationRow, NewIntegration, Store } from '../store/store.js';
import { failureFromCode, upstreamFailure } from './upstream-errors.js';

export interface IntegrationExchangeDeps {
  store: Store;
  cipher: Cipher;
  hasher: SecretHasher;
  smartRecruiters: SmartRecruitersClient;
  events: KitEvents;
  /** How long one attempt may hold the lease: longer than its worst-case outbound time. */
  leaseMs: number;
  now?: () => number;
}

/** Where a ciphertext belongs: the AAD binding of `Cipher`. */
export const binding = (rowId: string, column: string) => `integrations/${rowId}/${column}`;

const WAIT_POLL_MS = 100;

export class IntegrationExchange {
  readonly #deps: IntegrationExchangeDeps;
  readonly #now: () => number;
  readonly #inFlight = new Map<string, Promise<IntegrationRow>>();

  constructor(deps: IntegrationExchangeDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  async approve(companyId: string, user: AuthenticatedUser): Promise<IntegrationRow> {
    let run = this.#inFlight.get(companyId);
    if (!run) {
      run = this.#approve(companyId, user).finally(() => this.#inFlight.delete(companyId));
      this.#inFlight.set(companyId, run);
    }
    const row = await run;
    // A concurrent approval by another tenant must not hand this user that tenant's outcome.
    if (row.tenant_id !== user.tenantId) throw companyBound();
    return row;
  }

  async #approve(companyId: string, user: AuthenticatedUser): Promise<IntegrationRow> {
    const { store } = this.#deps;
    let row = await store.integrations.findByCompany(companyId);
    // A company is bound to a tenant once SmartRecruiters confirmed it (active), or while an
    // exchange is under way (pending). A failed or disabled attempt binds nobody: otherwise anyone
    // could squat a company id by starting a consent for it (the id is unauthenticated input).
    if (row && (row.state === 'active' || row.state === 'pending') && row.tenant_id !== user.tenantId) throw companyBound();
    if (row?.state === 'active') return row;
    if (!row) {
      row = await store.integrations.insertPending(this.#newCredentials(companyId, user), this.#now());
      if (row.tenant_id !== user.tenantId) throw companyBound();
    } else if (row.state === 'disabled' || (row.state === 'failed' && row.tenant_id !== user.tenantId)) {
      await store.integrations.reset(this.#newCredentials(companyId, user, row.id), this.#now());
      row = await store.integrations.findByCompany(companyId);
      if (!row || row.tenant_id !== user.tenantId) throw companyBound();
    }
    return this.#exchangeUnderLease(row);
  }

  #newCredentials(companyId: string, user: AuthenticatedUser, rowId = randomId()): NewIntegration {
    const secret = randomSecret();
    return {
      id: rowId,
      companyId,
      tenantId: user.tenantId,
      approvedBy: user.id,
      issuedClientId: `ats_${randomId()}`,
      issuedSecretHash: this.#deps.hasher.hash(secret),
      issuedSecretPending: this.#deps.cipher.encrypt(secret, binding(rowId, 'issued_secret_pending')),
    };
  }

  async #exchangeUnderLease(row: IntegrationRow): Promise<IntegrationRow> {
    const { store, leaseMs } = this.#deps;
    const owner = randomId();
    const deadline = this.#now() + leaseMs * 2;
    while (!(await store.integrations.acquireLease(row.company_id, owner, this.#now() + leaseMs, this.#now()))) {
      // Someone else (another process) holds the lease: wait for their outcome.
      const current = await store.integrations.findByCompany(row.company_id);
      if (current?.state === 'active') return current;
      if (current?.state === 'failed' && current.lease_owner === null) throw failureFromCode(current.last_error);
      if (this.#now() > deadline) {
        throw new AtsServerError(409, AtsErrorCode.ExchangeInProgress, 'The connection is still being set up. Retry in a moment.', {
          retryable: true,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
    return this.#exchange(row, owner);
  }

  async #exchange(row: IntegrationRow, owner: string): Promise<IntegrationRow> {
    const { store, cipher, smartRecruiters, events } = this.#deps;
    const audit = (outcome: 'success' | 'failure', detail: Record<string, string | number | null>) =>
      store.audit.append({ event: 'exchange', outcome, companyId: row.company_id, actor: row.approved_by, detail }, this.#now());
    try {
      const fresh = (await store.integrations.findByCompany(row.company_id)) ?? row;
      if (!fresh.issued_secret_pending) throw new Error('pending credentials missing for a non-active integration');
      const secret = cipher.decrypt(fresh.issued_secret_pending, binding(fresh.id, 'issued_secret_pending'));
      const result = await smartRecruiters.createIntegration(
        { companyId: fresh.company_id, clientId: fresh.issued_client_id, clientSecret: secret },
        // One key per generation of credentials: a re-enabled row sends new ones under a new key.
        `${fresh.id}:${fresh.issued_client_id}`,
      );
      const srCredentials = cipher.encrypt(
        JSON.stringify({ clientId: result.clientId, clientSecret: result.clientSecret }),
        binding(fresh.id, 'sr_credentials'),
      );
      const enabled = events.create('integration.enabled', { ...fresh, sr_integration_id: result.integrationId });
      const activated = await store.integrations.activate(fresh.company_id, owner, { srCredentials, srIntegrationId: result.integrationId }, this.#now(), enabled.outbox);
      if (!activated) {
        // The lease was taken from us: SmartRecruiters disabled the integration mid-exchange
        // (its callback cleared the lease). The disable wins; nothing is left active (T35).
        await audit('failure', { code: AtsErrorCode.IntegrationDisabled });
        throw disabledDuringExchange();
      }
      await audit('success', { integrationId: result.integrationId });
      events.publish(enabled.event);
      return (await store.integrations.findByCompany(fresh.company_id))!;
    } catch (error) {
      if (error instanceof AtsServerError && error.code === AtsErrorCode.IntegrationDisabled) throw error;
      const failure = error instanceof OutboundError ? upstreamFailure(error) : undefined;
      const failed = events.create('integration.failed', row, { errorCode: failure?.code ?? 'server_error' });
      await store.integrations.fail(row.company_id, owner, failure?.code ?? 'server_error', this.#now(), failed.outbox);
      events.publish(failed.event);
      await audit('failure', {
        code: failure?.code ?? 'server_error',
        status: error instanceof OutboundError ? (error.status ?? null) : null,
        upstream: error instanceof OutboundError ? error.upstreamCodes.join(',') || null : null,
      });
      throw failure ?? error;
    }
  }
}

function disabledDuringExchange(): AtsServerError {
  return new AtsServerError(
    409,
    AtsErrorCode.IntegrationDisabled,
    'SmartRecruiters disabled this integration while it was being set up. Start again from SmartRecruiters.',
  );
}

function companyBound(): AtsServerError {
  return new AtsServerError(
    409,
    AtsErrorCode.CompanyBound,
    'This SmartRecruiters company is already connected to another account. Ask that account to disconnect it first.',
  );
}
