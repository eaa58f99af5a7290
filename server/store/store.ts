/**
 * The storage contract the kit needs. One implementation (`KyselyStore`) speaks to SQLite today and
 * PostgreSQL through the same queries; `openStore` picks the dialect from the database URL.
 *
 * Every state change that can race is a conditional update (ASVS 15.4.2, reference/security.md T35):
 * the caller learns whether it won instead of reading and then writing.
 */
import type { IntegrationState, IntegrationsTable } from './schema.js';

export type IntegrationRow = IntegrationsTable;

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
  srIntegrationId: string;
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

export interface Store {
  findIntegrationByCompany(companyId: string): Promise<IntegrationRow | undefined>;
  /** Inserts the pending row unless the company already has one; returns whichever row exists. */
  insertPendingIntegration(row: NewIntegration, now: number): Promise<IntegrationRow>;
  /** Replaces the issued credentials of a disabled integration so it can be enabled again. */
  resetIntegration(row: NewIntegration, now: number): Promise<boolean>;
  /** Takes the exchange lease if nobody holds an unexpired one. */
  acquireExchangeLease(companyId: string, owner: string, until: number, now: number): Promise<boolean>;
  /** Moves a leased row to `active`, storing SmartRecruiters' credentials and dropping our pending copy. */
  activateIntegration(companyId: string, owner: string, result: ActivatedIntegration, now: number): Promise<boolean>;
  /** Records a failed attempt and releases the lease; the pending credentials stay for the retry. */
  failIntegration(companyId: string, owner: string, errorCode: string, now: number): Promise<boolean>;
  listIntegrations(): Promise<IntegrationRow[]>;
  appendAudit(entry: AuditEntry, now: number): Promise<void>;
  listAudit(options?: { companyId?: string; limit?: number }): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

export type { IntegrationState };
