/**
 * Public entry of the kit: `createConsentKit(options)` plus the types a partner needs.
 */
export { createConsentKit } from './kit.js';
export type { ConsentKit, KitRuntime } from './kit.js';
export type { IntegrationsApi, IntegrationSummary, SmartRecruitersCredentials } from './integrations/integrations-api.js';
export type { ApiKeysApi, ApiKeySummary, CreatedApiKey, NewApiKey } from './api-keys/api-keys.js';
export { API_KEY_PATTERN, isWellFormedApiKey } from './api-keys/key-format.js';
export type { ApiKeyScope } from './store/schema.js';
export type { AssessmentOrderEvent, ConnectionEvent, IntegrationEvent, KitEvent, KitEventType } from './events/kit-events.js';
export { verifyWebhookSignature, signWebhook } from './events/webhook-signature.js';
export { createApp, createKitServer } from './app.js';
export { METRICS_CONTENT_TYPE, type KitMetrics } from './metrics/kit-metrics.js';
export { ConfigError, KNOWN_SR_SCOPES } from './config.js';
export type { Authenticate, AuthenticatedUser, ConsentKitOptions, SignInAttempt, SmartRecruitersOptions } from './config.js';
export { optionsFromEnv } from './config-env.js';
export type { I18nOptions } from './i18n/options.js';
export type { Message, PartialCatalogue, PluralMessage } from '../widget/i18n/catalogue.js';
export { hashPassword, userDirectory, type DirectoryUser } from './auth/user-directory.js';
export { AtsServerError } from './errors.js';
export type { Store, AuditRecord } from './store/store.js';
