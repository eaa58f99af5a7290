/**
 * Everything a route needs, built once by `createConsentKit` and handed to each route module.
 */
import type { ResolvedConfig } from './config.js';
import type { ConnectionFlows } from './connections/connection-flows.js';
import type { ConnectionsApi } from './connections/connections-api.js';
import type { IntegrationExchange } from './consent/integration-exchange.js';
import type { IntegrationLifecycle } from './integrations/integration-lifecycle.js';
import type { BearerAuthenticator } from './oauth/bearer.js';
import type { TokenEndpoint } from './oauth/token-endpoint.js';
import type { SignInThrottle } from './consent/sign-in-throttle.js';
import type { ConsentSessions } from './http/consent-session.js';
import type { Logger } from './log.js';
import type { OrderIntake } from './assessment/orders.js';
import type { PackageCatalogue } from './assessment/package-catalogue.js';
import type { Store } from './store/store.js';
import type { Localization } from './i18n/localization.js';

export interface KitServices {
  config: ResolvedConfig;
  store: Store;
  sessions: ConsentSessions;
  throttle: SignInThrottle;
  exchange: IntegrationExchange;
  lifecycle: IntegrationLifecycle;
  tokenEndpoint: TokenEndpoint;
  bearer: BearerAuthenticator;
  flows: ConnectionFlows;
  connections: ConnectionsApi;
  /** The Assessment product's steps; null for the General Partner product. */
  assessment: { catalogue: PackageCatalogue; orders: OrderIntake } | null;
  logger: Logger;
  now: () => number;
  widgetScript: string;
  /** Shipped and partner catalogues, locale negotiation, page texts. */
  localization: Localization;
}

/** Absolute URL paths of the kit's routes, derived from the configured prefix. */
export function kitPaths(config: ResolvedConfig) {
  const consent = config.prefix + config.consentPath;
  return {
    consentPage: consent,
    bootstrap: `${consent}/bootstrap`,
    signIn: `${consent}/sign-in`,
    signOut: `${consent}/sign-out`,
    approve: `${consent}/approve`,
    deny: `${consent}/deny`,
    widgetScript: `${config.prefix}/assets/ats-consent.js`,
    // Beside the script: the widget loads `locales/<tag>.json` relative to its own URL.
    locales: `${config.prefix}/assets/locales/:file`,
    token: config.prefix + config.tokenPath,
    callback: config.prefix + config.callbackPath,
    integrationCheck: `${config.prefix}/smartrecruiters/integration`,
    connect: `${config.prefix}/connect`,
    connectBootstrap: `${config.prefix}/connect/bootstrap`,
    connectStart: `${config.prefix}/connect/:provider/start`,
    connectCallback: `${config.prefix}/connect/:provider/callback`,
    connectFlow: `${config.prefix}/connect/flows/:flowId`,
    disconnect: `${config.prefix}/connect/connections/:id/disconnect`,
    assessmentPackages: `${config.prefix}/assessment/packages`,
    assessmentPackage: `${config.prefix}/assessment/packages/:packageId`,
    assessmentOrders: `${config.prefix}/assessment/orders`,
    assessmentInlineOrders: `${config.prefix}/assessment/inline-orders`,
    assessmentCompanies: `${config.prefix}/assessment/integrations/companies`,
    assessmentDisable: `${config.prefix}/assessment/integrations/companies/:companyId`,
    partnerApi: `${config.prefix}/partner/v1`,
    healthz: `${config.prefix}/healthz`,
    readyz: `${config.prefix}/readyz`,
  };
}
export type KitPaths = ReturnType<typeof kitPaths>;

/** The redirect URI registered at a provider: one per provider (RFC 9700 §4.4.2, T28). */
export function providerRedirectUri(config: ResolvedConfig, providerId: string): string {
  return `${config.publicOrigin}${config.prefix}/connect/${providerId}/callback`;
}
