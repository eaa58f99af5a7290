/**
 * Table shapes as Kysely sees them. Column names are the same in SQLite and PostgreSQL; times are
 * Unix milliseconds in BIGINT/INTEGER columns so both dialects compare them the same way.
 */
import type { Generated } from 'kysely';

export type IntegrationState = 'pending' | 'active' | 'failed' | 'disabled';

export interface IntegrationsTable {
  id: string;
  company_id: string;
  tenant_id: string;
  approved_by: string;
  state: IntegrationState;
  /** Customer-level client id we generated for SmartRecruiters (seed 001 §3: unique across integrations). */
  issued_client_id: string;
  /** HMAC-SHA-256 of the client secret we generated; the secret itself is never stored in clear. */
  issued_secret_hash: string;
  /** AES-GCM copy of that secret, kept only until SmartRecruiters confirms it (T33), then cleared. */
  issued_secret_pending: string | null;
  /** After a rotation: the replaced secret's hash, accepted until `previous_secret_expires_at`. */
  previous_secret_hash: string | null;
  previous_secret_expires_at: number | null;
  /** During a rotation: the new secret (hash + AES-GCM copy) until SmartRecruiters confirms it. */
  rotation_secret_hash: string | null;
  rotation_secret_pending: string | null;
  disabled_at: number | null;
  /** AES-GCM JSON `{clientId, clientSecret}`: SmartRecruiters' customer-level credentials for us. */
  sr_credentials: string | null;
  sr_integration_id: string | null;
  last_error: string | null;
  /** Exchange lease: whoever holds it may talk to SmartRecruiters for this company. */
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  event: string;
  outcome: string;
  company_id: string | null;
  actor: string | null;
  /** JSON with non-secret context (error code, integration id). */
  detail: string | null;
}

/** Access tokens our token endpoint issued, stored only as HMAC hashes (T19, T22). */
export interface IssuedTokensTable {
  token_hash: string;
  integration_id: string;
  scope: string | null;
  expires_at: number;
  created_at: number;
  issued_via: SecretSlot | null;
}

/** Which of a client's secrets authenticated it. */
export type SecretSlot = 'current' | 'previous' | 'rotation';

/** Events for the partner's webhook: written with the change, delivered (and retried) afterwards. */
export interface EventOutboxTable {
  id: string;
  type: string;
  payload: string;
  created_at: number;
  delivered_at: number | null;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
}

export type ConnectionStatus = 'connected' | 'needs_reconnect' | 'disconnected';

/** A user's connection to an OAuth2 provider (authorization code, or client credentials). */
export interface ConnectionsTable {
  id: string;
  provider: string;
  tenant_id: string;
  user_id: string;
  grant_type: 'authorization_code' | 'client_credentials';
  status: ConnectionStatus;
  /** AES-GCM ciphertexts (AAD = row + column + key version). */
  access_token: string | null;
  refresh_token: string | null;
  scope: string | null;
  expires_at: number | null;
  /** Total Expert's SSO `serviceProvider` for this connection. */
  service_provider: string | null;
  /** Refresh lease: one refresh per connection at a time, across instances (T31). */
  refresh_lease_owner: string | null;
  refresh_lease_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export type FlowOutcome = 'connected' | 'denied' | 'failed';

/** One authorization-code attempt: state (hashed), PKCE verifier (encrypted), bound to a user. */
export interface OAuthFlowsTable {
  state_hash: string;
  /** Chosen by the widget before opening the popup, so it can ask how the flow ended. */
  flow_id: string;
  provider: string;
  tenant_id: string;
  user_id: string;
  /** Reconnect: the connection the result goes to. */
  connection_id: string | null;
  code_verifier: string | null;
  redirect_uri: string;
  mode: 'popup' | 'page';
  return_to: string | null;
  service_provider: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  outcome: FlowOutcome | null;
  outcome_detail: string | null;
  result_connection_id: string | null;
}

/** Sign-out ends every session of a user: a seal carries the epoch it was signed in under (T12). */
export interface SessionEpochsTable {
  tenant_id: string;
  user_id: string;
  epoch: number;
  updated_at: number;
}

/**
 * An assessment order SmartRecruiters placed (seed 003 §3). Stored before SR gets its 202 (or the
 * inline order's URL). `personal_data` is the AES-GCM JSON of the candidate, the requester and the
 * mapped field values: personal data, kept encrypted and only as far as the order needs it.
 */
export interface AssessmentOrdersTable {
  /** SmartRecruiters' order id: the UUID in the path of `result_callback_url`. */
  order_id: string;
  integration_id: string;
  company_id: string;
  tenant_id: string;
  kind: 'standard' | 'inline';
  package_id: string;
  job_id: string;
  /** Unused (always null): SR's candidate id is kept inside `personal_data`, encrypted. */
  candidate_id: string | null;
  personal_data: string;
  status: 'received';
  result_callback_url: string;
  completed_callback_url: string | null;
  /** Inline orders: where the candidate takes the assessment, as the partner's hook answered. */
  assessment_url: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * Results on their way to SmartRecruiters, one row per order (seed 003 §5; issue 8). Patches not yet
 * delivered are composed into `pending_patch` (RFC 7396, later fields win); an attempt moves them to
 * `sending_patch`, which stays until SR answers, so a crash re-sends it merged with anything newer.
 * Patches and the expected document are AES-GCM JSON bound to the order (candidates' results).
 */
export interface ResultDeliveriesTable {
  order_id: string;
  company_id: string;
  pending_patch: string | null;
  sending_patch: string | null;
  /** What SR holds once everything is delivered: every patch applied in order. */
  result_document: string;
  state: 'pending' | 'delivered' | 'failed';
  /** Optimistic concurrency: every change of the patches bumps it. */
  version: number;
  /** The attempt under way (or last made): only its outcome may be recorded. */
  attempt_id: string | null;
  attempts: number;
  next_attempt_at: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

/** An attachment file waiting for SmartRecruiters (multipart POST …/results/attachment), kept until SR confirms. */
export interface ResultAttachmentsTable {
  id: string;
  order_id: string;
  company_id: string;
  /** AES-GCM: a file name often carries the candidate's name. */
  filename: string;
  content_type: string;
  data: Uint8Array | null;
  state: 'pending' | 'delivered' | 'failed';
  attempt_id: string | null;
  attempts: number;
  next_attempt_at: number;
  last_status: number | null;
  last_error: string | null;
  /** SR's URL of the stored attachment (its 201 answer). */
  sr_url: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** Which kit instance delivers a company's results: one at a time, so SR's per-credential limits hold across instances. */
export interface DeliveryLeasesTable {
  company_id: string;
  owner: string;
  lease_until: number;
}

export type ApiKeyScope = 'read' | 'write' | 'proxy' | 'admin';

/**
 * Keys the partner's backend presents to the partner API (issue 14 item 1). The key itself is never
 * stored: only its HMAC-SHA-256 (SecretHasher, like every secret the kit issues; T19).
 */
export interface ApiKeysTable {
  /** Public identifier (`key_…`): what `list` shows and `revoke` takes. */
  id: string;
  name: string;
  key_hash: string;
  /** Space-separated `ApiKeyScope`s. */
  scopes: string;
  /** When set, the key sees only this tenant's integrations and events. */
  tenant_id: string | null;
  created_at: number;
  /** Updated at most once a minute per key, so reads do not become writes. */
  last_used_at: number | null;
  revoked_at: number | null;
}

/**
 * The event feed (`GET /partner/v1/events`): every event the kit emits, in commit order, kept for a
 * retention period whether or not a webhook is configured or has delivered it.
 */
export interface EventFeedTable {
  /** Commit order: writers of feed rows are serialized (kysely-outbox.ts), so a reader never skips one. */
  seq: Generated<number>;
  id: string;
  type: string;
  /** The event's `data.tenantId`, for tenant-restricted keys. */
  tenant_id: string | null;
  payload: string;
  created_at: number;
}

/** The assessment package catalogue stored through the partner API: per company, `*` for every other company. */
export interface PartnerPackagesTable {
  company_id: string;
  /** JSON `AssessmentPackage[]`, checked against SR's schema before it was stored. */
  packages: string;
  /** Bumped by every write: the catalogue's ETag. */
  version: number;
  updated_at: number;
}

/** One result update as the partner sent it (an order's result history); AES-GCM bound to the row. */
export interface ResultUpdatesTable {
  id: string;
  order_id: string;
  /** The delivery row's version this update produced: the history's order. */
  version: number;
  patch: string;
  received_at: number;
}

export interface Database {
  partner_packages: PartnerPackagesTable;
  result_updates: ResultUpdatesTable;
  api_keys: ApiKeysTable;
  event_feed: EventFeedTable;
  integrations: IntegrationsTable;
  audit_log: AuditLogTable;
  issued_tokens: IssuedTokensTable;
  event_outbox: EventOutboxTable;
  connections: ConnectionsTable;
  oauth_flows: OAuthFlowsTable;
  session_epochs: SessionEpochsTable;
  assessment_orders: AssessmentOrdersTable;
  result_deliveries: ResultDeliveriesTable;
  result_attachments: ResultAttachmentsTable;
  delivery_leases: DeliveryLeasesTable;
}
