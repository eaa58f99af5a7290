/**
 * A few encrypted values from the database, with the AAD binding each was sealed under (crypto/
 * cipher.ts), for doctor to decrypt with the configured key. Per kind of secret, the newest and the
 * oldest row: a key rotated without keeping the old one shows on the oldest. Bounded reads (two
 * rows per kind), whatever the database's size. The values stay sealed here.
 */
import type { Kysely } from 'kysely';
import { personalDataBinding } from '../../assessment/order-rows.js';
import { binding as connectionBinding } from '../../connections/connection-tokens.js';
import { binding as integrationBinding } from '../../consent/integration-exchange.js';
import type { Database } from '../../store/schema.js';

export interface StoredCiphertext {
  /** Which value, in words (no secret in them). */
  where: string;
  sealed: string;
  binding: string;
}

export async function sampleCiphertexts(db: Kysely<Database>): Promise<StoredCiphertext[]> {
  const samples = new Map<string, StoredCiphertext>();
  for (const order of ['desc', 'asc'] as const) {
    const integration = await db
      .selectFrom('integrations')
      .select(['id', 'company_id', 'sr_credentials'])
      .where('sr_credentials', 'is not', null)
      .orderBy('updated_at', order)
      .limit(1)
      .executeTakeFirst();
    if (integration?.sr_credentials) {
      const binding = integrationBinding(integration.id, 'sr_credentials');
      samples.set(binding, { where: `SmartRecruiters' credentials for company ${integration.company_id}`, sealed: integration.sr_credentials, binding });
    }
    const pending = await db
      .selectFrom('integrations')
      .select(['id', 'company_id', 'issued_secret_pending'])
      .where('issued_secret_pending', 'is not', null)
      .orderBy('updated_at', order)
      .limit(1)
      .executeTakeFirst();
    if (pending?.issued_secret_pending) {
      const binding = integrationBinding(pending.id, 'issued_secret_pending');
      samples.set(binding, { where: `the pending client secret for company ${pending.company_id}`, sealed: pending.issued_secret_pending, binding });
    }
    const connection = await db
      .selectFrom('connections')
      .select(['id', 'provider', 'access_token'])
      .where('access_token', 'is not', null)
      .orderBy('updated_at', order)
      .limit(1)
      .executeTakeFirst();
    if (connection?.access_token) {
      const binding = connectionBinding(connection.id, 'access_token');
      samples.set(binding, { where: `the ${connection.provider} access token of connection ${connection.id}`, sealed: connection.access_token, binding });
    }
    const assessmentOrder = await db.selectFrom('assessment_orders').select(['order_id', 'personal_data']).orderBy('created_at', order).limit(1).executeTakeFirst();
    if (assessmentOrder) {
      const binding = personalDataBinding(assessmentOrder.order_id);
      samples.set(binding, { where: `the candidate data of order ${assessmentOrder.order_id}`, sealed: assessmentOrder.personal_data, binding });
    }
  }
  return [...samples.values()];
}
