// A partner's TypeScript module against the installed package's declarations only (strict mode):
// every name a partner needs resolves, with real types (not `any`).
import Koa from 'koa';
import { createConsentKit, verifyWebhookSignature, type ConsentKit, type ConsentKitOptions, type KitEvent } from 'ats-consent';
import { AtsErrorCode, type ErrorCode } from 'ats-consent/protocol';
import type { AtsConsent } from 'ats-consent/widget';

const options: ConsentKitOptions = {
  publicUrl: 'https://partner.example',
  partnerName: 'Typed Partner',
  smartRecruiters: { appId: 'app', clientId: 'id', clientSecret: 'secret', scopes: ['candidates_read'] },
  sessionSecret: 's'.repeat(32),
  encryptionKey: Buffer.alloc(32).toString('base64'),
  authenticate: async ({ username }) => (username === 'a' ? { id: 'u', tenantId: 't', displayName: 'A', email: 'a@partner.example' } : null),
};

export async function mount(app: Koa): Promise<ConsentKit> {
  const kit = await createConsentKit(options);
  app.use(kit.middleware);
  kit.on('integration.enabled', (event: KitEvent) => console.log(event.type));
  const states: string[] = (await kit.integrations.list()).map((integration) => integration.state);
  console.log(states, kit.paths.consentPage);
  return kit;
}

export const signatureOk = (secret: string, body: string, headers: Record<string, string>): boolean =>
  verifyWebhookSignature(secret, { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'] }, body);
export const code: ErrorCode = AtsErrorCode.CompanyNotAuthorized;
export const widgetCompany = (element: AtsConsent): string => element.companyId;
