/**
 * `kit.integrations`: the partner's programmatic view of its SmartRecruiters integrations.
 * Summaries carry no secret; the two calls that return secrets say so in their names.
 */
import { binding } from '../consent/integration-exchange.js';
import type { Cipher } from '../crypto/cipher.js';
import type { IntegrationRow, Store } from '../store/store.js';
import type { IntegrationState } from '../store/schema.js';
import type { IntegrationLifecycle } from './integration-lifecycle.js';

/** A SmartRecruiters integration as the partner's code sees it: no secrets. */
export interface IntegrationSummary {
  companyId: string;
  tenantId: string;
  approvedBy: string;
  state: IntegrationState;
  /** The customer-level client id we issued to SmartRecruiters. */
  issuedClientId: string;
  srIntegrationId: string | null;
  lastError: string | null;
  /** True while a rotation of the secret we issued waits for SmartRecruiters' confirmation. */
  rotationPending: boolean;
  createdAt: Date;
  updatedAt: Date;
  disabledAt: Date | null;
}

export interface SmartRecruitersCredentials {
  clientId: string;
  clientSecret: string;
}

export interface IntegrationsApi {
  list(): Promise<IntegrationSummary[]>;
  get(companyId: string): Promise<IntegrationSummary | undefined>;
  /** SmartRecruiters' customer-level credentials for an active integration, decrypted. */
  smartRecruitersCredentials(companyId: string): Promise<SmartRecruitersCredentials | undefined>;
  /** An access token for SmartRecruiters' API on behalf of the company (cached, one request in flight). */
  smartRecruitersAccessToken(companyId: string): Promise<string>;
  /** Rotates the client secret we issued to SmartRecruiters for this company. */
  rotateCredentials(companyId: string): Promise<void>;
  /** Disables the integration from the partner's side; false when it was already disabled. */
  disable(companyId: string, options?: { actor?: string }): Promise<boolean>;
  /** Binds the company's (not disabled) integration to another tenant, keeping its credentials; false when there was nothing to move. */
  relink(companyId: string, tenantId: string, options?: { actor?: string }): Promise<boolean>;
}

export function integrationsApi(store: Store, cipher: Cipher, lifecycle: IntegrationLifecycle): IntegrationsApi {
  return {
    list: async () => (await store.integrations.list()).map(summarizeIntegration),
    get: async (companyId) => {
      const row = await store.integrations.findByCompany(companyId);
      return row && summarizeIntegration(row);
    },
    smartRecruitersCredentials: async (companyId) => {
      const row = await store.integrations.findByCompany(companyId);
      if (row?.state !== 'active' || !row.sr_credentials) return undefined;
      return JSON.parse(cipher.decrypt(row.sr_credentials, binding(row.id, 'sr_credentials'))) as SmartRecruitersCredentials;
    },
    smartRecruitersAccessToken: (companyId) => lifecycle.smartRecruitersAccessToken(companyId),
    rotateCredentials: (companyId) => lifecycle.rotate(companyId),
    disable: async (companyId, options = {}) => {
      const row = await store.integrations.findByCompany(companyId);
      return row ? lifecycle.disable(row, 'partner', options.actor) : false;
    },
    relink: (companyId, tenantId, options = {}) => lifecycle.relink(companyId, tenantId, options.actor),
  };
}

export function summarizeIntegration(row: IntegrationRow): IntegrationSummary {
  return {
    companyId: row.company_id,
    tenantId: row.tenant_id,
    approvedBy: row.approved_by,
    state: row.state,
    issuedClientId: row.issued_client_id,
    srIntegrationId: row.sr_integration_id,
    lastError: row.last_error,
    rotationPending: row.rotation_secret_hash !== null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    disabledAt: row.disabled_at === null ? null : new Date(row.disabled_at),
  };
}
