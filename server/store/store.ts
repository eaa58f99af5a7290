/**
 * The storage contract the kit needs, in four parts. `KyselyStore` implements it for SQLite and
 * PostgreSQL with the same queries; `openStore` picks the dialect from the database URL.
 *
 * Every state change that can race is a conditional update (ASVS 15.4.2, reference/security.md T35):
 * the caller learns whether it won instead of reading and then writing. A change and the event it
 * announces are written in one transaction (the outbox), so neither is lost on a crash.
 */
import type {
  PartnerPackagesTable,
  ResultUpdatesTable,
  ApiKeysTable,
  EventFeedTable,
  IdempotencyKeysTable,
  ResultAttachmentsTable,
  ResultDeliveriesTable,
  AssessmentOrdersTable,
  ConnectionsTable,
  EventOutboxTable,
  FlowOutcome,
  IntegrationState,
  IntegrationsTable,
  OAuthFlowsTable,
  SecretSlot,
} from './schema.js';

export type IntegrationRow = IntegrationsTable;
/**
 * What an access token tells about its integration: enough to scope SmartRecruiters' request to
 * the company and tenant, refuse a disabled one, and disable it; none of its secrets or ciphertexts,
 * which no request SR makes with a token needs (and which need not be copied into memory on each one).
 */
export type TokenIntegration = Pick<IntegrationRow, 'id' | 'company_id' | 'tenant_id' | 'state' | 'sr_integration_id'>;
export type ConnectionRow = ConnectionsTable;
export type FlowRow = OAuthFlowsTable;
export type OutboxRow = EventOutboxTable;
export type OrderRow = AssessmentOrdersTable;

export interface OrderQuery {
  companyId?: string;
  tenantId?: string;
  status?: OrderRow['status'];
  /** Created at or after (Unix ms). */
  since?: number;
  /** Created before (Unix ms). */
  until?: number;
  /** Default 100, at most 1000; newest first. */
  limit?: number;
}

/** A page of orders for the partner API, oldest first (creation time, then order id: a keyset). */
export interface OrderPageQuery {
  companyId?: string;
  tenantId?: string;
  /** `none`: no result sent yet; otherwise the result delivery's state. */
  delivery?: 'none' | 'pending' | 'delivered' | 'failed';
  /** Created at or after (Unix ms). */
  createdFrom?: number;
  /** Created before (Unix ms). */
  createdBefore?: number;
  /** The order or its result delivery changed after (Unix ms). */
  updatedAfter?: number;
  /** The last order of the previous page. */
  after?: { createdAt: number; orderId: string };
  limit: number;
}

/** What an order's result delivery looks like in a list: its state, no patch or document. */
export type DeliverySummary = Pick<ResultDeliveriesTable, 'state' | 'attempts' | 'next_attempt_at' | 'last_status' | 'last_error' | 'delivered_at' | 'updated_at'>;

export interface AssessmentOrderStore {
  /**
   * Stores the order unless one with its id exists; with `event` and `audit`, the event's rows and the
   * audit entry are committed with it, only when this call created the order. Returns the stored order (the earlier
   * one on a repeat) and whether this call created it.
   */
  insert(order: Omit<OrderRow, 'assessment_url' | 'updated_at'>, now: number, event?: OutboxEvent, audit?: AuditEntry): Promise<{ order: OrderRow; created: boolean }>;
  find(orderId: string): Promise<OrderRow | undefined>;
  list(query: OrderQuery): Promise<OrderRow[]>;
  /** A page of orders with their result delivery's state (null: no result sent yet). */
  page(query: OrderPageQuery): Promise<Array<{ order: OrderRow; delivery: DeliverySummary | null }>>;
  /** Records the inline order's assessment URL unless one is recorded; returns the one that stands (first wins). */
  setAssessmentUrl(orderId: string, url: string, now: number): Promise<string | null>;
}

export interface NewIntegration {
  id: string;
  companyId: string;
  tenantId: string;
  approvedBy: string;
  issuedClientId: string;
  issuedSecretHash: string;
  issuedSecretPending: string;
}

export interface ActivatedIntegration {
  srCredentials: string;
  /** SR's integration id; the Assessment exchange gives none. */
  srIntegrationId: string | null;
}

/**
 * An event, written in the same transaction as its change: always to the event feed, and to the
 * webhook outbox when a webhook is configured.
 */
export interface OutboxEvent {
  id: string;
  type: string;
  payload: string;
  /** The event's tenant (the feed filters on it for tenant-restricted keys). */
  tenantId?: string | null;
  /** False when no webhook is configured: the event goes to the feed only. Default true. */
  webhook?: boolean;
}

export interface IntegrationStore {
  findByCompany(companyId: string): Promise<IntegrationRow | undefined>;
  findByClientId(clientId: string): Promise<IntegrationRow | undefined>;
  list(): Promise<IntegrationRow[]>;
  /** A page in company id order (keyset pagination), optionally one tenant's only. */
  page(query: { afterCompanyId?: string; tenantId?: string; limit: number }): Promise<IntegrationRow[]>;
  /** Inserts the pending row unless the company already has one; returns whichever row exists. */
  insertPending(row: NewIntegration, now: number): Promise<IntegrationRow>;
  /** Replaces the issued credentials of a disabled integration (and drops its tokens) so it can be enabled again. */
  reset(row: NewIntegration, now: number): Promise<boolean>;
  /** Binds a not-disabled integration to another tenant, keeping its credentials; false when it is disabled, missing or already there. */
  relink(companyId: string, tenantId: string, approvedBy: string, now: number, event?: OutboxEvent): Promise<boolean>;
  /** Takes the exchange lease if nobody holds an unexpired one (pending or failed rows only). */
  acquireLease(companyId: string, owner: string, until: number, now: number): Promise<boolean>;
  /**
   * The holder's heartbeat: moves its lease's expiry to `until`. False when `owner` no longer holds
   * it (taken over after it lapsed, or ended by activate, fail or disable); then it must not act on it.
   */
  renewLease(companyId: string, owner: string, until: number): Promise<boolean>;
  /** Makes `owner`'s lease lapse now (kept as the last owner, so a taker knows an attempt may be out); nothing if it is not theirs. */
  expireLease(companyId: string, owner: string): Promise<void>;
  /** Moves a leased row to `active`, storing SmartRecruiters' credentials and dropping our pending copy. */
  activate(companyId: string, owner: string, result: ActivatedIntegration, now: number, event?: OutboxEvent): Promise<boolean>;
  /** Records a failed attempt and releases the lease; the pending credentials stay for the retry. */
  fail(companyId: string, owner: string, errorCode: string, now: number, event?: OutboxEvent): Promise<boolean>;
  /** Disables a not-yet-disabled integration, revoking its issued secrets and tokens. False if already disabled. */
  disable(integrationId: string, now: number, event?: OutboxEvent): Promise<boolean>;
  /** Starts (or resumes) a rotation of the secret we issued; returns the row as it now is. */
  beginRotation(integrationId: string, secretHash: string, secretPending: string, now: number): Promise<IntegrationRow | undefined>;
  /** Promotes the rotation secret to current; the old one stays valid until `previousExpiresAt`. */
  completeRotation(integrationId: string, rotationHash: string, previousExpiresAt: number, now: number): Promise<boolean>;
}

export interface IssuedToken {
  tokenHash: string;
  integrationId: string;
  scope: string | null;
  expiresAt: number;
}

/** A token request whose client secret hashes to one of `secretHashes`. */
export interface TokenIssue {
  clientId: string;
  secretHashes: string[];
  tokenHash: string;
  scope: string | null;
  expiresAt: number;
}

export interface TokenStore {
  /**
   * Authenticates the client and stores the token in one statement: the token is inserted only
   * when a not-disabled integration with that client id has one of `secretHashes` as its current,
   * unexpired previous, or rotation secret. Returns which one, or undefined (no such client, wrong
   * secret, disabled: indistinguishable by design, T18).
   */
  issueForClient(issue: TokenIssue, now: number): Promise<{ integrationId: string; via: SecretSlot } | undefined>;
  /** The token (unexpired) and what identifies its integration, in one lookup. */
  find(tokenHash: string, now: number): Promise<{ token: IssuedToken; integration: TokenIntegration } | undefined>;
  deleteExpired(now: number): Promise<number>;
}

export interface OutboxStore {
  /** Claims up to `limit` due, undelivered events for `owner` until `leaseUntil`. */
  claimDue(owner: string, now: number, leaseUntil: number, limit: number): Promise<OutboxRow[]>;
  markDelivered(id: string, owner: string, now: number): Promise<void>;
  markFailed(id: string, owner: string, nextAttemptAt: number, error: string): Promise<void>;
  /** Frees every undelivered event `owner` holds, due at once (a shutdown that cannot wait for its sends); returns how many. */
  releaseLeases(owner: string): Promise<number>;
  list(): Promise<OutboxRow[]>;
}

export type ApiKeyRow = ApiKeysTable;
export type EventFeedRow = Omit<EventFeedTable, 'seq'> & { seq: number };

export interface ApiKeyStore {
  insert(row: Omit<ApiKeyRow, 'last_used_at' | 'revoked_at'>): Promise<void>;
  /** The key whose hash is one of `hashes` (one per encryption-key version), revoked or not. */
  findByHash(hashes: string[]): Promise<ApiKeyRow | undefined>;
  find(id: string): Promise<ApiKeyRow | undefined>;
  /** Every key, oldest first. */
  list(): Promise<ApiKeyRow[]>;
  /** Revokes a key that is not revoked yet; false when it is unknown or already revoked. */
  revoke(id: string, now: number): Promise<boolean>;
  /** Sets `last_used_at` to `now` unless it was set after `notAfter` (at most one write per interval, across instances). */
  touch(id: string, now: number, notAfter: number): Promise<void>;
}

export interface EventFeedQuery {
  /** Events after this sequence number (exclusive); 0 for the oldest kept. */
  afterSeq: number;
  /** Only this tenant's events. */
  tenantId?: string;
  limit: number;
}

export interface EventFeedStore {
  /** Events in commit order. */
  list(query: EventFeedQuery): Promise<EventFeedRow[]>;
  /** The sequence number of an event id still kept (and of `tenantId`, when given), or undefined. */
  seqOf(eventId: string, tenantId?: string): Promise<number | undefined>;
  /** Deletes events created before `before`; returns how many (retention). */
  deleteBefore(before: number): Promise<number>;
}

export interface AuditEntry {
  event: string;
  outcome: 'success' | 'failure' | 'info';
  companyId?: string | undefined;
  actor?: string | undefined;
  detail?: Record<string, string | number | boolean | null> | undefined;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: number;
}

export interface AuditStore {
  /** With `event`, its outbox row is written in the same transaction. */
  append(entry: AuditEntry, now: number, event?: OutboxEvent): Promise<void>;
  list(options?: { companyId?: string; limit?: number }): Promise<AuditRecord[]>;
}

/** Tokens as stored: already encrypted by the caller. */
export interface StoredTokens {
  accessToken: string;
  /** Undefined keeps the stored refresh token (a refresh response without one, RFC 6749 §6). */
  refreshToken?: string | null;
  scope: string | null;
  expiresAt: number | null;
}

export interface ConnectionPageQuery {
  afterId?: string;
  tenantId?: string;
  userId?: string;
  provider?: string;
  status?: ConnectionRow['status'];
  limit: number;
}

export interface ConnectionStore {
  create(row: Omit<ConnectionRow, 'refresh_lease_owner' | 'refresh_lease_until' | 'last_error' | 'created_at' | 'updated_at'>, now: number, event?: OutboxEvent): Promise<void>;
  find(id: string): Promise<ConnectionRow | undefined>;
  listFor(tenantId: string, userId: string): Promise<ConnectionRow[]>;
  /** Every connection matching the filters, in id order after `afterId` (keyset pagination for the partner API). */
  page(query: ConnectionPageQuery): Promise<ConnectionRow[]>;
  /** New tokens from a fresh consent for an existing connection (reconnect: same id). */
  reconnect(id: string, tokens: StoredTokens, now: number, event?: OutboxEvent): Promise<boolean>;
  /** Takes the refresh lease if nobody holds an unexpired one. */
  acquireRefreshLease(id: string, owner: string, until: number, now: number): Promise<boolean>;
  /** Stores refreshed tokens and releases the lease in one update (the new refresh token lands before anyone uses the new access token). */
  storeRefreshed(id: string, owner: string, tokens: StoredTokens, now: number): Promise<boolean>;
  releaseRefreshLease(id: string, owner: string): Promise<void>;
  /** Marks the access token expired if it is still `accessToken` (a resource rejected it). */
  expireAccessToken(id: string, accessToken: string): Promise<void>;
  markNeedsReconnect(id: string, errorCode: string, now: number, event?: OutboxEvent): Promise<boolean>;
  disconnect(id: string, now: number, event?: OutboxEvent): Promise<boolean>;
}

export interface FlowStore {
  create(flow: Omit<FlowRow, 'used_at' | 'outcome' | 'outcome_detail' | 'result_connection_id'>): Promise<void>;
  /** Marks the flow used (single use, unexpired) and returns it; undefined when unknown, used or expired. */
  consume(stateHash: string, now: number): Promise<FlowRow | undefined>;
  finish(stateHash: string, outcome: FlowOutcome, detail: string | null, connectionId: string | null): Promise<void>;
  findByFlowId(flowId: string): Promise<FlowRow | undefined>;
  /** Deletes every flow whose `expires_at` is before `expiredBefore` (used or not); returns how many. */
  purgeExpired(expiredBefore: number): Promise<number>;
}

/** Per-user session epochs: a sealed session is good only while its epoch is the user's current one. */
export interface SessionEpochStore {
  /** The user's current epoch (0 before their first sign-out). */
  current(user: { tenantId: string; id: string }): Promise<number>;
  /** Ends every session sealed under an earlier epoch; returns the new epoch. */
  advance(user: { tenantId: string; id: string }, now: number): Promise<number>;
}

export type ResultDeliveryRow = ResultDeliveriesTable;
export type ResultAttachmentRow = ResultAttachmentsTable;

/** Results and attachments on their way to SmartRecruiters (patches already encrypted by the caller). */
export interface ResultStore {
  find(orderId: string): Promise<ResultDeliveryRow | undefined>;
  /**
   * Records a new composed pending patch and expected document for an order, creating its row on the
   * first update (`expectedVersion` null) or replacing it only at `expectedVersion` (false when
   * another change came first: read again and retry). The order becomes due now.
   */
  write(
    change: { orderId: string; companyId: string; pendingPatch: string; resultDocument: string; expectedVersion: number | null; update?: { id: string; patch: string } },
    now: number,
  ): Promise<boolean>;
  /** The updates recorded with `write` (`update`), in the order they were applied. */
  history(orderId: string): Promise<ResultUpdateRow[]>;
  /** Companies with results or attachments due (oldest first). */
  dueCompanies(now: number, limit: number): Promise<string[]>;
  /** One instance at a time delivers a company's results: true when `owner` holds the lease until `until`. */
  acquireCompanyLease(companyId: string, owner: string, until: number, now: number): Promise<boolean>;
  releaseCompanyLease(companyId: string, owner: string): Promise<void>;
  dueForCompany(companyId: string, now: number, limit: number): Promise<ResultDeliveryRow[]>;
  /**
   * Starts attempt `attemptId` at `expectedVersion` if the order is due: the composed patch becomes
   * `sending_patch`, the pending one is cleared, and the order is not due again before `busyUntil`
   * (so nobody else starts an attempt while this one may be out). False when it moved on or is busy.
   */
  beginAttempt(orderId: string, expectedVersion: number, sendingPatch: string, attemptId: string, busyUntil: number, now: number): Promise<boolean>;
  /** SR took attempt `attemptId`'s patch: it is dropped; the order is delivered unless newer patches wait. Only the current attempt's outcome counts. */
  markDelivered(orderId: string, attemptId: string, status: number, now: number, event?: OutboxEvent): Promise<void>;
  /** The attempt failed and will be retried at `nextAttemptAt` with the same patch (merged with anything newer). */
  markRetry(orderId: string, attemptId: string, nextAttemptAt: number, status: number | null, error: string, now: number): Promise<void>;
  /** SR refused the patch for good: it is dropped and the order is `failed` until the next update. */
  markFailed(orderId: string, attemptId: string, status: number, error: string, now: number, event?: OutboxEvent): Promise<void>;
  addAttachment(row: Omit<ResultAttachmentRow, 'state' | 'attempt_id' | 'attempts' | 'next_attempt_at' | 'last_status' | 'last_error' | 'sr_url' | 'delivered_at'>): Promise<void>;
  findAttachment(id: string): Promise<ResultAttachmentRow | undefined>;
  listAttachments(orderId: string): Promise<Array<Omit<ResultAttachmentRow, 'data'>>>;
  dueAttachments(companyId: string, now: number, limit: number): Promise<Array<Omit<ResultAttachmentRow, 'data'>>>;
  /** Starts attempt `attemptId` on a due attachment; not due again before `busyUntil`. */
  claimAttachment(id: string, attemptId: string, busyUntil: number, now: number): Promise<boolean>;
  /** SR stored it: the file's bytes are dropped, SR's URL kept. */
  attachmentDelivered(id: string, attemptId: string, srUrl: string, status: number, now: number, event?: OutboxEvent): Promise<void>;
  attachmentRetry(id: string, attemptId: string, nextAttemptAt: number, status: number | null, error: string): Promise<void>;
  attachmentFailed(id: string, attemptId: string, status: number, error: string, now: number, event?: OutboxEvent): Promise<void>;
}

export type ResultUpdateRow = ResultUpdatesTable;
export type PartnerPackagesRow = PartnerPackagesTable;
/** The catalogue row every company without one of its own is answered from. */
export const DEFAULT_PACKAGES_SCOPE = '*';

/** The package catalogue stored through the partner API (JSON already validated by the caller). */
export interface PartnerPackageStore {
  /** A company's own catalogue, or the default one (`DEFAULT_PACKAGES_SCOPE`). */
  find(scope: string): Promise<PartnerPackagesRow | undefined>;
  /** What SR is answered for a company: its own catalogue, else the default one, else none. */
  effective(companyId: string): Promise<PartnerPackagesRow | undefined>;
  /**
   * Replaces a catalogue. `expectedVersion`: null writes whatever is there; 0 only when there is no
   * catalogue yet; n only while the stored version is n (lost updates, `If-Match`). Returns the row
   * written, or undefined when the version did not match.
   */
  put(scope: string, packages: string, expectedVersion: number | null, now: number): Promise<PartnerPackagesRow | undefined>;
}

export type IdempotencyRow = IdempotencyKeysTable;

export interface IdempotencyClaim {
  apiKeyId: string;
  key: string;
  fingerprint: string;
  /** Random per attempt: only it may complete or release the key. */
  owner: string;
  /** Until then the attempt is presumed alive; past it, the same request may take the key over. */
  lockedUntil: number;
  expiresAt: number;
}

export type IdempotencyTake = { taken: true } | { taken: false; row: IdempotencyRow };

/** Idempotency keys of the partner API (draft-ietf-httpapi-idempotency-key-header), per API key. */
export interface IdempotencyStore {
  /**
   * Takes the key for this attempt: when nobody holds it, it expired, or an attempt of the same
   * request holding it was abandoned (its lock lapsed). Otherwise the row as it stands.
   */
  take(claim: IdempotencyClaim, now: number): Promise<IdempotencyTake>;
  find(apiKeyId: string, key: string): Promise<IdempotencyRow | undefined>;
  /** Records the answer to replay (sealed by the caller); false when this attempt no longer holds the key. */
  complete(apiKeyId: string, key: string, owner: string, status: number, response: string): Promise<boolean>;
  /** Frees the key this attempt holds (it failed: a retry runs afresh). */
  release(apiKeyId: string, key: string, owner: string): Promise<void>;
  /** Deletes rows past their expiry; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

export interface QueueBacklog {
  depth: number;
  /** When the oldest waiting item was queued; null when none waits. */
  oldestAt: number | null;
}

/** What durable delivery has waiting (the metrics' outbox gauges). */
export interface BacklogStore {
  /** Webhook events not delivered yet. */
  webhooks(): Promise<QueueBacklog>;
  /** Orders with result patches not yet accepted by SmartRecruiters. */
  srResults(): Promise<QueueBacklog>;
  /** Attachments not yet accepted by SmartRecruiters. */
  srAttachments(): Promise<QueueBacklog>;
}

export interface Store {
  readonly idempotencyKeys: IdempotencyStore;
  readonly backlog: BacklogStore;
  readonly packages: PartnerPackageStore;
  readonly dialect: 'sqlite' | 'postgres';
  readonly integrations: IntegrationStore;
  readonly connections: ConnectionStore;
  readonly flows: FlowStore;
  readonly tokens: TokenStore;
  readonly outbox: OutboxStore;
  readonly audit: AuditStore;
  readonly sessionEpochs: SessionEpochStore;
  readonly orders: AssessmentOrderStore;
  readonly results: ResultStore;
  readonly apiKeys: ApiKeyStore;
  readonly eventFeed: EventFeedStore;
  /** Whether the database answers and has every migration of this version (`GET /readyz`). */
  readiness(): Promise<{ reachable: boolean; pendingMigrations: string[] }>;
  /**
   * The database server's current time (epoch ms) where instances on several hosts share it
   * (PostgreSQL), for the kit's clock (database-clock.ts); undefined for a SQLite file, which only
   * processes on one host share.
   */
  serverTime(): Promise<number | undefined>;
  close(): Promise<void>;
}

export type { IntegrationState };
