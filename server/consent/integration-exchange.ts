/**
 * Approve → the credential exchange with SmartRecruiters (seed 001 §2–4), made idempotent per
 * company (reference/security.md T33, T35):
 *
 * 1. Our customer-level credentials are generated once and persisted (hash + AES-GCM pending copy)
 *    *before* anything is sent, so every retry sends the identical body.
 * 2. Only the holder of the row's exchange lease talks to SmartRecruiters; in-process callers share
 *    one promise, other processes wait for the lease holder's outcome. The lease is short and
 *    renewed while its holder lives (exchange-lease.ts): a crashed holder's lapses within seconds
 *    and the next approval takes over, sending the identical body under the same Idempotency-Key.
 *    While a live holder is still at it, an approval answers 409 `ATS_EXCHANGE_IN_PROGRESS` with
 *    `Retry-After` after a short wait, and the widget says so and asks again by itself.
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
import { EXCHANGE_LEASE_TIMING, ExchangeLease, type LeaseTiming } from './exchange-lease.js';
import { assessmentConflict, failureFromCode, isAmbiguousFailure, upstreamFailure } from './upstream-errors.js';

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
  /** The exchange lease's expiry and heartbeat (default `EXCHANGE_LEASE_TIMING`: 5 s, renewed every second). */
  leaseTiming?: LeaseTiming;
  /** How long an approval waits for another instance's exchange before answering "in progress" (default 3 s). */
  waitForHolderMs?: number;
  now?: () => number;
}

/** Where a ciphertext belongs: the AAD binding of `Cipher`. */
export const binding = (rowId: string, column: string) => `integrations/${rowId}/${column}`;

const WAIT_POLL_MS = 100;
/**
 * Long enough for a quick exchange on another instance (a double submit across instances) to finish
 * inside one request; short enough that the admin soon reads what is happening instead of a spinner.
 */
const WAIT_FOR_HOLDER_MS = 3_000;
/**
 * When to ask again after "in progress": often enough that the retry after a crash lands within a
 * second of the dead holder's lease lapsing. Each ask is one cheap read and conditional update.
 */
const RETRY_AFTER_SECONDS = 1;
/** Audited when an exchange's holder lost its lease before it could activate (another instance took over). */
const LEASE_LOST = 'lease_lost';

export class IntegrationExchange {
  readonly #deps: IntegrationExchangeDeps;
  readonly #now: () => number;
  readonly #inFlight = new Map<string, Promise<IntegrationRow>>();
  readonly #leaseTiming: LeaseTiming;
  readonly #waitForHolderMs: number;
  /** Leases held by exchanges running here, for a shutdown that cannot wait for them (handBackLeases). */
  readonly #held = new Set<ExchangeLease>();

  constructor(deps: IntegrationExchangeDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#leaseTiming = deps.leaseTiming ?? EXCHANGE_LEASE_TIMING;
    this.#waitForHolderMs = deps.waitForHolderMs ?? WAIT_FOR_HOLDER_MS;
  }

  /**
   * Shutdown past its deadline: every exchange lease held here lapses now, as a crashed holder's
   * would after `expiryMs`, so an admin's retry on another instance takes over at once (the takeover
   * re-sends the identical body under the same Idempotency-Key, T33; only one holder can activate).
   */
  async handBackLeases(): Promise<void> {
    await Promise.all([...this.#held].map((lease) => lease.handBack()));
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

  /**
   * Runs the exchange under the company's lease, or waits a little for the instance that holds it:
   * its outcome (active, or the failure it recorded) is this approval's. A dead holder's lease lapses
   * within seconds (nobody renews it) and is taken over here. Still held after the wait: 409
   * `ATS_EXCHANGE_IN_PROGRESS` with `Retry-After`, the same answer a client without the widget gets,
   * so it tells the admin an earlier attempt is finishing, and asking again is safe.
   */
  async #exchangeUnderLease(row: IntegrationRow): Promise<IntegrationRow> {
    const { store } = this.#deps;
    const owner = randomId();
    const waitUntil = this.#now() + this.#waitForHolderMs;
    // Whether the lease we take was last seen held: then we take over an attempt whose process died
    // mid-exchange, and SmartRecruiters may already hold its (identical) credentials.
    let seenHeld = row.lease_owner !== null;
    for (;;) {
      const lease = await ExchangeLease.acquire(store.integrations, row.company_id, owner, this.#leaseTiming, this.#now);
      if (lease) {
        this.#held.add(lease);
        return this.#exchange(row, lease, seenHeld).finally(() => this.#held.delete(lease));
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      // Read just before the next try, so a holder that ended meanwhile is seen ending, not taken over.
      const current = await store.integrations.findByCompany(row.company_id);
      if (current?.state === 'active') return current;
      if (current?.state === 'disabled') throw disabledDuringExchange();
      if (current?.state === 'failed' && current.lease_owner === null) throw failureFromCode(current.last_error);
      if (this.#now() >= waitUntil) throw exchangeInProgress();
      seenHeld = current?.lease_owner != null;
    }
  }

  /**
   * The holder's part. Whatever happens, the heartbeat stops; `activate` and `fail` end the lease.
   * When the lease turns out to be no longer ours (SmartRecruiters disabled the integration, or our
   * lease lapsed while this process stalled and another instance took it over), this attempt records
   * nothing on the row: a disable wins (T35), and a new holder's outcome becomes this approval's.
   */
  async #exchange(row: IntegrationRow, lease: ExchangeLease, tookOver: boolean): Promise<IntegrationRow> {
    const { store, events } = this.#deps;
    let activated: IntegrationRow | undefined;
    let failure: { error: unknown } | undefined;
    try {
      activated = await this.#sendAndActivate(row, lease);
    } catch (error) {
      failure = { error };
    } finally {
      lease.release();
    }
    if (activated) return activated;

    let code = LEASE_LOST;
    if (failure) {
      const { error } = failure;
      const upstream = error instanceof OutboundError ? this.#failure(error, tookOver || isAmbiguousFailure(row.last_error)) : undefined;
      code = upstream?.code ?? 'server_error';
      const failed = events.create('integration.failed', row, { errorCode: code });
      const recorded = await store.integrations.fail(row.company_id, lease.owner, code, this.#now(), failed.outbox);
      await this.#audit(row, 'failure', {
        code,
        status: error instanceof OutboundError ? (error.status ?? null) : null,
        upstream: error instanceof OutboundError ? error.upstreamCodes.join(',') || null : null,
        ...(recorded ? {} : { leaseLost: true }),
      });
      if (recorded) {
        events.publish(failed.event);
        throw upstream ?? error;
      }
    }
    const current = await store.integrations.findByCompany(row.company_id);
    if (!current || current.state === 'disabled') {
      if (!failure) await this.#audit(row, 'failure', { code: AtsErrorCode.IntegrationDisabled });
      throw disabledDuringExchange();
    }
    if (!failure) await this.#audit(row, 'failure', { code });
    // Another instance holds the exchange now (or already finished it): follow it like any waiter.
    return this.#exchangeUnderLease(row);
  }

  /** Sends the exchange and activates the row: the active row, or undefined when the lease is no longer ours. */
  async #sendAndActivate(row: IntegrationRow, lease: ExchangeLease): Promise<IntegrationRow | undefined> {
    const { store, cipher, exchangeCredentials, events } = this.#deps;
    const fresh = (await store.integrations.findByCompany(row.company_id)) ?? row;
    if (!fresh.issued_secret_pending) throw new Error('pending credentials missing for a non-active integration');
    const secret = cipher.decrypt(fresh.issued_secret_pending, binding(fresh.id, 'issued_secret_pending'));
    const result = await exchangeCredentials(
      { companyId: fresh.company_id, clientId: fresh.issued_client_id, clientSecret: secret },
      // One key per generation of credentials: a re-enabled row sends new ones under a new key, and
      // whoever takes a lapsed lease over sends this generation again under the same key, so
      // SmartRecruiters can tell the replay from a new request (T33).
      `${fresh.id}:${fresh.issued_client_id}`,
    );
    const srCredentials = cipher.encrypt(
      JSON.stringify({ clientId: result.clientId, clientSecret: result.clientSecret }),
      binding(fresh.id, 'sr_credentials'),
    );
    const enabled = events.create('integration.enabled', { ...fresh, sr_integration_id: result.integrationId });
    // A renewal already found the lease gone: do not even try (activate would refuse anyway).
    if (lease.lost) return undefined;
    const activated = await store.integrations.activate(fresh.company_id, lease.owner, { srCredentials, srIntegrationId: result.integrationId }, this.#now(), enabled.outbox);
    if (!activated) return undefined;
    await this.#audit(fresh, 'success', { integrationId: result.integrationId });
    events.publish(enabled.event);
    return (await store.integrations.findByCompany(fresh.company_id))!;
  }

  #audit(row: IntegrationRow, outcome: 'success' | 'failure', detail: Record<string, string | number | boolean | null>): Promise<void> {
    return this.#deps.store.audit.append({ event: 'exchange', outcome, companyId: row.company_id, actor: row.approved_by, detail }, this.#now());
  }

  #failure(error: OutboundError, previousAttemptAmbiguous: boolean): AtsServerError {
    if (this.#deps.product === 'assessment' && error.kind === 'conflict') return assessmentConflict(error, previousAttemptAmbiguous);
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

function exchangeInProgress(): AtsServerError {
  return new AtsServerError(409, AtsErrorCode.ExchangeInProgress, 'An earlier attempt to connect this company is still finishing. Retry in a moment.', {
    retryable: true,
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  });
}

function companyBound(): AtsServerError {
  return new AtsServerError(
    409,
    AtsErrorCode.CompanyBound,
    'This SmartRecruiters company is already connected to another account. Ask that account to disconnect it first.',
  );
}
