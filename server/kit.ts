/**
 * `createConsentKit(options)`: the whole kit behind one call. It resolves and checks the options
 * (failing fast, naming the option), opens and migrates the store, and returns Koa middleware to
 * mount plus a typed programmatic API for the partner's own code.
 */
import { Localization } from './i18n/localization.js';
import { readFile } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import type { Context, Middleware } from 'koa';
import type { DestinationStream } from 'pino';
import { isLoopback, resolveConfig, type AuthenticatedUser, type ConsentKitOptions, type ResolvedConfig } from './config.js';
import { ApiKeys, type ApiKeysApi } from './api-keys/api-keys.js';
import { assessmentApi, type AssessmentApi } from './assessment/assessment-api.js';
import { OrderIntake } from './assessment/orders.js';
import { ResultDelivery } from './assessment/result-delivery.js';
import { ResultUpdates } from './assessment/result-updates.js';
import { gateLimits } from './assessment/rate-gate.js';
import { SmartRecruitersCustomerApi } from './assessment/sr-customer-api.js';
import { smartRecruitersReads, type SmartRecruitersReads } from './assessment/sr-reads.js';
import { PackageCatalogue } from './assessment/package-catalogue.js';
import { buildPartnerConfiguration } from './assessment/partner-configuration.js';
import { CompanyClaims } from './consent/company-claims.js';
import { IntegrationExchange } from './consent/integration-exchange.js';
import { SignInThrottle } from './consent/sign-in-throttle.js';
import { Cipher } from './crypto/cipher.js';
import { SecretHasher } from './crypto/secrets.js';
import { KitEvents, type KitEventListener, type KitEventType } from './events/kit-events.js';
import { WebhookDispatcher } from './events/webhook-dispatcher.js';
import { FeedRetention } from './events/feed-retention.js';
import { settledBy } from './deadline.js';
import { ConsentSessions } from './http/consent-session.js';
import { fastLane } from './http/fast-lane.js';
import { IntegrationLifecycle } from './integrations/integration-lifecycle.js';
import { integrationsApi, type IntegrationsApi } from './integrations/integrations-api.js';
import { WIDGET_BUNDLE } from './package-files.js';
import { createLogger, type Logger } from './log.js';
import { KitMetrics } from './metrics/kit-metrics.js';
import { BearerAuthenticator } from './oauth/bearer.js';
import { TokenEndpoint } from './oauth/token-endpoint.js';
import { SmartRecruitersClient, type CredentialExchange } from './providers/smartrecruiters.js';
import { SmartRecruitersAssessmentClient } from './providers/smartrecruiters-assessment.js';
import { kitMiddleware } from './routes/index.js';
import { healthRoutes } from './routes/health.js';
import { ApiKeyAuthenticator } from './partner-api/api-key-auth.js';
import { partnerOperations } from './partner-api/registry.js';
import { partnerApiMiddleware } from './partner-api/router.js';
import { Idempotency } from './partner-api/idempotency.js';
import { KeyRateLimit } from './partner-api/key-rate-limit.js';
import { PACKAGE_VERSION } from './package-files.js';
import { FailureThrottle } from './security/failure-throttle.js';
import { RateLimit } from './security/rate-limit.js';
import { kitPaths, providerRedirectUri, type KitPaths, type KitServices } from './services.js';
import { ConnectionFlows } from './connections/connection-flows.js';
import { ConnectionTokens } from './connections/connection-tokens.js';
import { connectionsApi, type ConnectionsApi } from './connections/connections-api.js';
import { CLOCK_WARN_MS, DatabaseClock } from './store/database-clock.js';
import { openStore } from './store/open-store.js';
import { PeriodicPrune } from './store/periodic-prune.js';
import type { AuditRecord, Store } from './store/store.js';

export interface KitRuntime {
  /** Where log lines go (default stdout). */
  logDestination?: DestinationStream;
  logger?: Logger;
  /** Clock, for tests. */
  now?: () => number;
}

export interface ConsentKit {
  readonly config: ResolvedConfig;
  readonly paths: KitPaths;
  /** Koa middleware serving every kit route (mount with `app.use(kit.middleware)`). */
  readonly middleware: Middleware;
  /**
   * Koa middleware for the partner's own routes that SmartRecruiters calls with a token from our
   * token endpoint: RFC 6750 errors, and `ctx.state.atsIntegration` = `{companyId, tenantId, state}`.
   */
  readonly requireSmartRecruitersBearer: Middleware;
  /**
   * For a server that serves only the kit (`createKitServer`, `ats-consent serve`): a node:http
   * listener answering SmartRecruiters' token endpoint and integration check without Koa's
   * middleware stack (same answers, headers and log lines), and every other request with `fallback`
   * (a Koa app's `callback()` serving `middleware`).
   */
  requestListener(fallback: RequestListener): RequestListener;
  readonly store: Store;
  readonly integrations: IntegrationsApi;
  /** Keys for the partner API (`<prefix>/partner/v1`): create (the key is shown once), list, revoke. */
  readonly apiKeys: ApiKeysApi;
  /** Provider connections (TE Recruit, CareerPlug, Total Expert, any configured OAuth2 provider). */
  readonly connections: ConnectionsApi;
  /** SmartRecruiters Assessment (seed 003): orders, results back to SR, and the partner configuration. */
  readonly assessment: AssessmentApi;
  /** Reads of SmartRecruiters' API on behalf of a company (customer-level token, rate-limited). */
  readonly smartRecruiters: SmartRecruitersReads;
  readonly audit: { list(options?: { companyId?: string; limit?: number }): Promise<AuditRecord[]> };
  /** The user signed in to the kit's session on this request (the consent page or the connections view), or null. */
  signedInUser(ctx: Context): Promise<AuthenticatedUser | null>;
  /** Listens for `integration.*`, `connection.*` or `assessment.*` events; returns an unsubscribe function. */
  on<T extends KitEventType>(type: T, listener: KitEventListener<T>): () => void;
  /** Resolves when the result delivery in progress (if any) has finished its round (tests, graceful shutdown). */
  deliveryIdle(): Promise<void>;
  /** Resolves when pending webhook deliveries have been attempted (tests, graceful shutdown). */
  webhookIdle(): Promise<void>;
  /**
   * The kit's metrics, Prometheus text format (`metrics.text()`, `METRICS_CONTENT_TYPE`): `ats-consent
   * serve` serves them on `ATS_METRICS_PORT`; in your own server, expose them only to your scraper.
   */
  readonly metrics: KitMetrics;
  /**
   * Graceful shutdown, first step: stops background delivery (webhooks, results to SmartRecruiters,
   * pruning) and lets the work under way finish until `deadline` (epoch ms); what is still out then
   * has its leases handed back at once (result delivery's companies, webhook events being sent), so
   * another instance takes them over without waiting for the leases to lapse. Requests keep
   * working: the database stays open.
   */
  drain(deadline: number): Promise<void>;
  /**
   * Hands back every lease this instance holds right now (result delivery's company leases, webhook
   * events being sent, the consent exchanges' leases), for a shutdown that cannot wait for the work under them. Safe: what
   * a lease guards is also guarded by conditional writes (T35), so the new holder cannot double it.
   */
  handBackLeases(): Promise<void>;
  /** Stops webhook delivery and closes the database. */
  close(): Promise<void>;
}

export async function createConsentKit(options: ConsentKitOptions, runtime: KitRuntime = {}): Promise<ConsentKit> {
  const config = resolveConfig(options);
  const widgetScript = await readFile(WIDGET_BUNDLE, 'utf8').catch(() => {
    throw new Error(`ats-consent: the widget bundle ${WIDGET_BUNDLE} is missing; run "npm run build" first`);
  });
  const logger = runtime.logger ?? createLogger(config.logLevel, runtime.logDestination);
  const store = await openStore(config.database);
  const clock = runtime.now ? undefined : await databaseClock(store, logger);
  const now = runtime.now ?? clock?.now ?? Date.now;
  const cipher = new Cipher(config.encryptionKeys, config.encryptionKeyVersion);
  const hasher = new SecretHasher(config.encryptionKeys, config.encryptionKeyVersion);
  const smartRecruiters = new SmartRecruitersClient({ ...config.sr, now });
  const srAssessment = new SmartRecruitersAssessmentClient(smartRecruiters);
  const exchangeCredentials: CredentialExchange =
    config.sr.product === 'assessment'
      ? (request) => srAssessment.createIntegration(request)
      : (request, idempotencyKey) => smartRecruiters.createIntegration(request, idempotencyKey);
  const metrics = new KitMetrics(store.backlog, now);
  const events = new KitEvents(logger, config.webhook !== null, now);
  const dispatcher = config.webhook && new WebhookDispatcher(store, { ...config.webhook, timeoutMs: config.sr.timeoutMs }, logger, now);
  if (dispatcher) {
    events.onCommitted = () => dispatcher.wake();
    dispatcher.start();
  }
  const lifecycle = new IntegrationLifecycle({
    store,
    cipher,
    hasher,
    smartRecruiters,
    product: config.sr.product,
    events,
    rotationGraceMs: config.rotationGraceSeconds * 1000,
    now,
  });
  const srCustomer = new SmartRecruitersCustomerApi({ lifecycle, apiBaseUrl: config.sr.apiBaseUrl, timeoutMs: config.sr.timeoutMs, limits: gateLimits(config.sr.rateLimit), now, onRateLimited: () => metrics.srRateLimited() });
  const resultDelivery = new ResultDelivery({ store, cipher, events, sr: srCustomer, logger, now });
  const resultUpdates = new ResultUpdates(store, cipher, (companyId) => resultDelivery.wakeFor(companyId), config.assessment?.maxAttachmentBytes ?? 10 * 1024 * 1024, now);
  // Results wait in the store for any instance to deliver; the General Partner product has none.
  if (config.assessment) resultDelivery.start();
  const redirectUri = (providerId: string) => providerRedirectUri(config, providerId);
  const connectionTokens = new ConnectionTokens({
    store,
    cipher,
    events,
    providers: config.providers,
    redirectUri,
    timeoutMs: config.sr.timeoutMs,
    now,
    onRefresh: (providerId, outcome) => metrics.providerRefresh(providerId, outcome),
  });
  const connections = connectionsApi({ store, cipher, events, providers: config.providers, tokens: connectionTokens, timeoutMs: config.sr.timeoutMs, now });
  const services: KitServices = {
    config,
    store,
    sessions: new ConsentSessions({ cookieName: config.cookieName, secret: config.sessionSecret, ttlSeconds: config.sessionTtlSeconds }, store.sessionEpochs, now),
    throttle: new SignInThrottle({ ...config.signInThrottle, now }),
    exchange: new IntegrationExchange({
      store,
      cipher,
      hasher,
      exchangeCredentials,
      product: config.sr.product,
      events,
      authorizeCompany: config.authorizeCompany,
      claims: new CompanyClaims({ ...config.companyClaims, now }),
      now,
    }),
    lifecycle,
    tokenEndpoint: new TokenEndpoint({
      store,
      hasher,
      throttle: new FailureThrottle({ windowSeconds: config.clientAuthThrottle.windowSeconds, now }),
      realm: config.publicOrigin,
      lifetimeSeconds: config.tokenLifetimeSeconds,
      allowedScopes: config.sr.issuedScopes,
      maxFailuresPerClient: config.clientAuthThrottle.maxFailures,
      previousSecretGraceMs: config.rotationGraceSeconds * 1000,
      now,
      onFailure: (clientId, throttled) =>
        logger.warn({ clientId: clientId.slice(0, 64), throttled }, 'client authentication failed at the token endpoint'),
    }),
    bearer: new BearerAuthenticator({ store, hasher, realm: config.publicOrigin, now }),
    flows: new ConnectionFlows({
      store,
      cipher,
      hasher,
      events,
      providers: config.providers,
      redirectUri,
      flowTtlMs: config.connections.flowTtlSeconds * 1000,
      startLimit: new RateLimit({ max: config.connections.startsPerUser, windowSeconds: config.connections.startWindowSeconds, now }),
      timeoutMs: config.sr.timeoutMs,
      now,
    }),
    connections,
    assessment: config.assessment
      ? (() => {
          const catalogue = new PackageCatalogue(config.assessment, logger, now, store.packages);
          const srOrigins = [config.sr.apiBaseUrl.origin, ...config.sr.allowedOrigins];
          return {
            catalogue,
            orders: new OrderIntake({ store, cipher, events, catalogue, assessment: config.assessment, srOrigins, apiOrigin: config.sr.apiBaseUrl.origin, allowHttpUrls: config.demo || isLoopback(config.publicUrl), logger, now }),
          };
        })()
      : null,
    logger,
    now,
    widgetScript,
    localization: new Localization(config.i18n),
  };
  const paths = kitPaths(config);
  // Fail at start, naming the option, rather than at SmartRecruiters' first PUT.
  if (config.assessment) buildPartnerConfiguration(config, paths);
  const integrations = integrationsApi(store, cipher, lifecycle);
  const apiKeys = new ApiKeys(store, hasher, now);
  const assessment = assessmentApi(store, cipher, srAssessment, () => buildPartnerConfiguration(config, paths), resultUpdates);
  const srReads = smartRecruitersReads(srCustomer);
  const partnerApi = partnerApiMiddleware({
    basePath: paths.partnerApi,
    operations: partnerOperations({
      store,
      integrations,
      connections,
      providers: config.providers,
      logger,
      proxyTimeoutMs: config.sr.timeoutMs,
      now,
      serverUrl: config.publicOrigin + paths.partnerApi,
      version: PACKAGE_VERSION,
      assessment: config.assessment ? { api: assessment, results: resultUpdates, reads: srReads, maxAttachmentBytes: config.assessment.maxAttachmentBytes, basePath: paths.partnerApi } : null,
    }),
    auth: new ApiKeyAuthenticator({
      apiKeys,
      // The token endpoint's limits, on a throttle of its own.
      throttle: new FailureThrottle({ windowSeconds: config.clientAuthThrottle.windowSeconds, now }),
      maxFailures: config.clientAuthThrottle.maxFailures,
      realm: config.publicOrigin,
      onFailure: (address, throttled) => logger.warn({ address, throttled }, 'API key authentication failed at the partner API'),
    }),
    trustProxy: config.trustProxy,
    logger,
    onAnswer: (operation, method, status, seconds) => metrics.partnerRequest(operation, method, status, seconds),
    idempotency: new Idempotency({
      store: store.idempotencyKeys,
      cipher,
      now,
      onStoreError: (error) => logger.warn({ err: error }, 'an Idempotency-Key could not be completed or freed in the database; a retry under it within a minute gets 409'),
    }),
    rateLimit: new KeyRateLimit({ ...config.partnerApi.rateLimit, now }),
  });
  const feedRetention = new FeedRetention(store, logger, now);
  feedRetention.start();
  const idempotencyPurge = new PeriodicPrune('idempotency key expiry', () => store.idempotencyKeys.purgeExpired(now()), logger);
  idempotencyPurge.start();
  const handBackLeases = async () => {
    await Promise.all([resultDelivery.handBackLeases(), dispatcher?.handBackLeases(), services.exchange.handBackLeases()]);
  };
  const health = healthRoutes({ store, masterToken: smartRecruiters.masterToken, now });
  const { middleware, requireSmartRecruitersBearer, fastRoutes } = kitMiddleware(services, paths, { partnerApi, health });

  return {
    config,
    paths,
    middleware,
    requireSmartRecruitersBearer,
    requestListener: (fallback) => fastLane({ routes: fastRoutes, logger, proxyTrusted: config.trustProxy > 0 }, fallback),
    store,
    integrations,
    apiKeys,
    connections,
    assessment,
    smartRecruiters: srReads,
    audit: { list: (query) => store.audit.list(query) },
    signedInUser: async (ctx) => (await services.sessions.read(ctx))?.user ?? null,
    on: (type, listener) => events.on(type, listener),
    webhookIdle: async () => dispatcher?.idle(),
    deliveryIdle: () => resultDelivery.idle(),
    metrics,
    drain: async (deadline) => {
      const stopped = Promise.all([resultDelivery.stop(), dispatcher?.stop(), feedRetention.stop(), idempotencyPurge.stop()]);
      if (!(await settledBy(stopped, deadline))) await Promise.all([resultDelivery.handBackLeases(), dispatcher?.handBackLeases()]);
    },
    handBackLeases,
    close: async () => {
      clock?.stop();
      await resultDelivery.stop();
      await dispatcher?.stop();
      await feedRetention.stop();
      await idempotencyPurge.stop();
      await store.close();
    },
  };
}

/**
 * On a database that instances on several hosts share (PostgreSQL), the kit keeps time by the
 * database server's clock (database-clock.ts: leases and expiries that one instance writes and
 * another compares); undefined on SQLite, where this host's clock is everyone's.
 */
async function databaseClock(store: Store, logger: Logger): Promise<DatabaseClock | undefined> {
  if (store.dialect !== 'postgres') return undefined;
  const clock = new DatabaseClock(async () => (await store.serverTime())!);
  const offsetMs = await clock.sync().catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  if (Math.abs(offsetMs) > CLOCK_WARN_MS) {
    logger.warn({ offsetMs }, "this host's clock differs from the database server's: the kit keeps time by the database's (fix the host's clock: NTP)");
  }
  clock.start((error) => logger.warn({ err: error }, "the database server's clock could not be read; keeping the last offset"));
  return clock;
}
