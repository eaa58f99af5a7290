/**
 * `kit.assessment`: the partner's programmatic view of the SmartRecruiters Assessment product —
 * the orders SR placed (with the candidate's details, decrypted for the partner's code only), and
 * the partner configuration SR holds, with a push that says what it changes.
 */
import type { Cipher } from '../crypto/cipher.js';
import type { SmartRecruitersAssessmentClient } from '../providers/smartrecruiters-assessment.js';
import type { OrderQuery, Store } from '../store/store.js';
import type { AssessmentOrder } from './assessment-order.js';
import { orderFromRow } from './order-rows.js';
import { configurationChanges, type ConfigurationChange } from './partner-configuration.js';
import type { PartnerConfiguration } from './sr-assessment-types.js';

export interface AssessmentApi {
  orders: {
    /** Newest first; filter by company, tenant, status and creation time (`since` inclusive, `until` exclusive). */
    list(query?: { companyId?: string; tenantId?: string; status?: AssessmentOrder['status']; since?: Date; until?: Date; limit?: number }): Promise<AssessmentOrder[]>;
    get(orderId: string): Promise<AssessmentOrder | undefined>;
  };
  /** The configuration the kit registers with SmartRecruiters, built from its URLs and options. */
  partnerConfiguration(): PartnerConfiguration;
  /** What SmartRecruiters holds now (null when nothing was ever pushed). */
  currentConfiguration(): Promise<PartnerConfiguration | null>;
  /** PUTs the configuration; returns what SR held before, what it holds now, and what changed. */
  pushConfiguration(): Promise<{ before: PartnerConfiguration | null; after: PartnerConfiguration; changes: ConfigurationChange[] }>;
}

export function assessmentApi(store: Store, cipher: Cipher, client: SmartRecruitersAssessmentClient, build: () => PartnerConfiguration): AssessmentApi {
  return {
    orders: {
      list: async (query = {}) => {
        const storeQuery: OrderQuery = {
          ...(query.companyId === undefined ? {} : { companyId: query.companyId }),
          ...(query.tenantId === undefined ? {} : { tenantId: query.tenantId }),
          ...(query.status === undefined ? {} : { status: query.status }),
          ...(query.since === undefined ? {} : { since: query.since.getTime() }),
          ...(query.until === undefined ? {} : { until: query.until.getTime() }),
          ...(query.limit === undefined ? {} : { limit: query.limit }),
        };
        return (await store.orders.list(storeQuery)).map((row) => orderFromRow(row, cipher));
      },
      get: async (orderId) => {
        const row = await store.orders.find(orderId.toLowerCase());
        return row && orderFromRow(row, cipher);
      },
    },
    partnerConfiguration: build,
    currentConfiguration: () => client.getConfiguration(),
    pushConfiguration: async () => {
      const next = build();
      const before = await client.getConfiguration();
      const after = await client.putConfiguration(next);
      return { before, after, changes: configurationChanges(before, next) };
    },
  };
}
