/**
 * Everything a route needs, built once by `createConsentKit` and handed to each route module.
 */
import type { ResolvedConfig } from './config.js';
import type { IntegrationExchange } from './consent/integration-exchange.js';
import type { SignInThrottle } from './consent/sign-in-throttle.js';
import type { ConsentSessions } from './http/consent-session.js';
import type { Logger } from './log.js';
import type { Store } from './store/store.js';

export interface KitServices {
  config: ResolvedConfig;
  store: Store;
  sessions: ConsentSessions;
  throttle: SignInThrottle;
  exchange: IntegrationExchange;
  logger: Logger;
  now: () => number;
  widgetScript: string;
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
  };
}
export type KitPaths = ReturnType<typeof kitPaths>;
