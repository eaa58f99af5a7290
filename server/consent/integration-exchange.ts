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
 * A company is bound to the tenant whose approval created its row, in every state but `disabled`
 * (T2, issue 13 finding 1): a failed attempt keeps its tenant and its pending credentials, so that
 * tenant's retry replays the identical body (SmartRecruiters may already hold it after an ambiguous
 * failure), and another tenant's approve gets 409 with nothing stored or sent. The tenant changes
 * only by an explicit act: the partner relinks the company (`kit.integrations.relink`), or the
 * integration is disabled (by SmartRecruiters or the partner) and a fresh consent follows.
 *
 * Before anything is stored or sent, an approval is admitted: the partner's `authorizeCompany` hook
 * decides whether this user may claim this company at all (the kit cannot know who administers it
 * at SmartRecruiters), and claims of companies not bound to the caller are rate-limited per user and
 * tenant. Every cross-tenant contention is audited and fires `integration.contended`.
 */
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { AuthenticatedUser, AuthorizeCompany } from '../config.js';
import { Cipher } from '../crypto/cipher.js';
import { SecretHasher, randomId, randomSecret } from '../crypto/secrets.js';
import { AtsServerError } from '../errors.js';
import { OutboundError } from '../oauth/outbound.js';
import type { KitEvents } from '../events/kit-events.js';
import type { SmartRecruitersProduct } from '../assessment/assessment-options.js';
import type { CredentialExchange } from '../providers/smartrecruiters.js';
import type { IntegrationRow, NewIntegration, Store } from '../store/store.js';
import type { CompanyClaims } from './company-claims.js';
import { assessmentConflict, failureFromCode, upstreamFailure } from './upstream-errors.js';

export interface IntegrationExchangeDeps {
  store: Store;
  cipher: Cipher;
  hasher: SecretHasher;
  /** The product's credential exchange with SmartRecruiters (General Partner or Assessment). */
  exchangeCredentials: CredentialExchange;
  product: SmartRecruitersProduct;
  events: KitEvents;
  /** The partner's say on who may claim a company (default: anyone signed in). */
  authorizeCompany: AuthorizeCompany;
  claims: CompanyClaims;
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
    await this.#admit(companyId, user);
    let run = this.#inFlight.get(companyId);
    if (!run) {
      run = this.#approve(companyId, user).finally(() => this.#inFlight.delete(companyId));
      this.#inFlight.set(companyId, run);
    }
    const row = await run;
    // A concurrent approval by another tenant must not hand this user that tenant's outcome.
    if (row.tenant_id !== user.tenantId) throw await this.#contended(row, user);
    return row;
  }

  /** Everything that may refuse an approval, checked before anything is stored or sent. */
  async #admit(companyId: string, user: AuthenticatedUser): Promise<void> {
    const row = await this.#deps.store.integrations.findByCompany(companyId);
    const ownedByCaller = row !== undefined && row.state !== 'disabled' && row.tenant_id === user.tenantId;
    if (!ownedByCaller) this.#deps.claims.admit(user);
    // The partner's say comes first: a user it would refuse anyway learns nothing about who holds the
    // company, and cannot raise contention alerts for companies that are none of their business.
    if (!(await this.#deps.authorizeCompany({ user, companyId }))) {
      await this.#deps.store.audit.append(
        { event: 'approve', outcome: 'failure', companyId, actor: user.id, detail: { code: AtsErrorCode.CompanyNotAuthorized, tenantId: user.tenantId } },
        this.#now(),
      );
      throw new AtsServerError(
        403,
        AtsErrorCode.CompanyNotAuthorized,
        'Your account is not allowed to connect this SmartRecruiters company. Ask your administrator to link it to your account.',
      );
    }
    if (row && row.state !== 'disabled' && !ownedByCaller) throw await this.#contended(row, user);
  }

  async #approve(companyId: string, user: AuthenticatedUser): Promise<IntegrationRow> {
    const { store } = this.#deps;
    let row = await store.integrations.findByCompany(companyId);
    if (row && row.state !== 'disabled' && row.tenant_id !== user.tenantId) return row; // approve() refuses it
    if (row?.state === 'active') return row;
    if (!row) {
      row = await store.integrations.insertPending(this.#newCredentials(companyId, user), this.#now());
    } else if (row.state === 'disabled') {
      // Only a disabled integration is re-keyed for whoever consents next: SmartRecruiters (or the
      // partner) ended it, so a fresh consent starts over with new credentials.
      await store.integrations.reset(this.#newCredentials(companyId, user, row.id), this.#now());
      row = await store.integrations.findByCompany(companyId);
      if (!row) throw new Error('integration row vanished after reset');
    }
    if (row.tenant_id !== user.tenantId) return row; // another instance bound it first; approve() refuses it
    return this.#exchangeUnderLease(row);
  }

  /** Audits and announces another tenant's attempt on a bound company; returns the 409 to throw. */
  async #contended(row: IntegrationRow, user: AuthenticatedUser): Promise<AtsServerError> {
    const { store, events } = this.#deps;
    const contention = { contenderTenantId: user.tenantId, contenderUserId: user.id };
    const { event, outbox } = events.create('integration.contended', row, contention);
    await store.audit.append(
      { event: 'contention', outcome: 'failure', companyId: row.company_id, actor: user.id, detail: { boundTenantId: row.tenant_id, state: row.state, ...contention } },
      this.#now(),
      outbox,
    );
    events.publish(event);
    return companyBound();
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
    const { store, cipher, exchangeCredentials, events } = this.#deps;
    const audit = (outcome: 'success' | 'failure', detail: Record<string, string | number | null>) =>
      store.audit.append({ event: 'exchange', outcome, companyId: row.company_id, actor: row.approved_by, detail }, this.#now());
    try {
      const fresh = (await store.integrations.findByCompany(row.company_id)) ?? row;
      if (!fresh.issued_secret_pending) throw new Error('pending credentials missing for a non-active integration');
      const secret = cipher.decrypt(fresh.issued_secret_pending, binding(fresh.id, 'issued_secret_pending'));
      const result = await exchangeCredentials(
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
      const failure = error instanceof OutboundError ? this.#failure(error, row.last_error) : undefined;
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

  #failure(error: OutboundError, previousErrorCode: string | null): AtsServerError {
    if (this.#deps.product === 'assessment' && error.kind === 'conflict') return assessmentConflict(error, previousErrorCode);
    return upstreamFailure(error);
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
