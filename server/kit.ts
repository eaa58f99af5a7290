/**
 * `createConsentKit(options)`: the whole kit behind one call. It resolves and checks the options
 * (failing fast, naming the option), opens and migrates the store, and returns Koa middleware to
 * mount plus a typed programmatic API for the partner's own code.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import compose from 'koa-compose';
import type { Middleware } from 'koa';
import type { DestinationStream } from 'pino';
import { resolveConfig, type ConsentKitOptions, type ResolvedConfig } from './config.js';
import { IntegrationExchange, binding } from './consent/integration-exchange.js';
import { SignInThrottle } from './consent/sign-in-throttle.js';
import { Cipher } from './crypto/cipher.js';
import { SecretHasher } from './crypto/secrets.js';
import { AtsErrorCode } from '../widget/protocol/error-codes.js';
import { AtsServerError } from './errors.js';
import { ConsentSessions } from './http/consent-session.js';
import { errorHandler } from './http/error-handler.js';
import { requestLog } from './http/request-log.js';
import { baseSecurityHeaders } from './http/security-headers.js';
import { createLogger, type Logger } from './log.js';
import { SmartRecruitersClient } from './providers/smartrecruiters.js';
import { buildRouter, methodNotAllowed } from './routes/index.js';
import { kitPaths, type KitPaths, type KitServices } from './services.js';
import { openStore } from './store/open-store.js';
import type { AuditRecord, IntegrationRow, Store } from './store/store.js';
import type { IntegrationState } from './store/schema.js';

export interface KitRuntime {
  /** Where log lines go (default stdout). */
  logDestination?: DestinationStream;
  logger?: Logger;
  /** Clock, for tests. */
  now?: () => number;
}

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
  createdAt: Date;
  updatedAt: Date;
}

export interface SmartRecruitersCredentials {
  clientId: string;
  clientSecret: string;
}

export interface ConsentKit {
  readonly config: ResolvedConfig;
  readonly paths: KitPaths;
  /** Koa middleware serving every kit route (mount with `app.use(kit.middleware)`). */
  readonly middleware: Middleware;
  readonly store: Store;
  readonly integrations: {
    list(): Promise<IntegrationSummary[]>;
    get(companyId: string): Promise<IntegrationSummary | undefined>;
    /** SmartRecruiters' customer-level credentials for an active integration, decrypted. */
    smartRecruitersCredentials(companyId: string): Promise<SmartRecruitersCredentials | undefined>;
  };
  readonly audit: { list(options?: { companyId?: string; limit?: number }): Promise<AuditRecord[]> };
  /** Closes the database. */
  close(): Promise<void>;
}

const WIDGET_BUNDLE = fileURLToPath(new URL('../dist/widget/ats-consent.js', import.meta.url));

export async function createConsentKit(options: ConsentKitOptions, runtime: KitRuntime = {}): Promise<ConsentKit> {
  const config = resolveConfig(options);
  const widgetScript = await readFile(WIDGET_BUNDLE, 'utf8').catch(() => {
    throw new Error(`ats-consent: the widget bundle ${WIDGET_BUNDLE} is missing; run "npm run build" first`);
  });
  const logger = runtime.logger ?? createLogger(config.logLevel, runtime.logDestination);
  const now = runtime.now ?? Date.now;
  const store = await openStore(config.database);
  const cipher = new Cipher(config.encryptionKeys, config.encryptionKeyVersion);
  const hasher = new SecretHasher(config.encryptionKeys, config.encryptionKeyVersion);
  const smartRecruiters = new SmartRecruitersClient({ ...config.sr, now });
  const services: KitServices = {
    config,
    store,
    sessions: new ConsentSessions({
      cookieName: config.cookieName,
      secret: config.sessionSecret,
      ttlSeconds: config.sessionTtlSeconds,
    }),
    throttle: new SignInThrottle({ ...config.signInThrottle, now }),
    // The lease outlives the worst case of one attempt: token + POST, each possibly renewed once.
    exchange: new IntegrationExchange({ store, cipher, hasher, smartRecruiters, leaseMs: config.sr.timeoutMs * 4 + 5_000, now }),
    logger,
    now,
    widgetScript,
  };
  const paths = kitPaths(config);
  const router = buildRouter(services, paths);
  const middleware = compose([
    requestLog(logger),
    errorHandler(logger),
    baseSecurityHeaders,
    async function answerUnrouted(ctx, next) {
      await next();
      // The prefix belongs to the kit: unknown paths and wrong methods under it are answered in
      // the kit's error shape (the router has already set `Allow` for a 405).
      if (ctx.status === 405) throw methodNotAllowed(ctx.response.get('allow'));
      if (ctx.status === 404 && ctx.body == null) {
        throw new AtsServerError(404, AtsErrorCode.NotFound, 'There is nothing at this address.');
      }
    },
    router.routes(),
    router.allowedMethods(),
  ]) as Middleware;

  return {
    config,
    paths,
    middleware: onlyUnder(config.prefix, middleware),
    store,
    integrations: {
      list: async () => (await store.integrations.list()).map(summarize),
      get: async (companyId) => {
        const row = await store.integrations.findByCompany(companyId);
        return row && summarize(row);
      },
      smartRecruitersCredentials: async (companyId) => {
        const row = await store.integrations.findByCompany(companyId);
        if (row?.state !== 'active' || !row.sr_credentials) return undefined;
        return JSON.parse(cipher.decrypt(row.sr_credentials, binding(row.id, 'sr_credentials'))) as SmartRecruitersCredentials;
      },
    },
    audit: { list: (query) => store.audit.list(query) },
    close: () => store.close(),
  };
}

/** Requests outside the kit's prefix pass straight through to the partner's own middleware. */
function onlyUnder(prefix: string, middleware: Middleware): Middleware {
  return function atsConsentKit(ctx, next) {
    if (prefix !== '' && ctx.path !== prefix && !ctx.path.startsWith(prefix + '/')) return next();
    return middleware(ctx, next);
  };
}

function summarize(row: IntegrationRow): IntegrationSummary {
  return {
    companyId: row.company_id,
    tenantId: row.tenant_id,
    approvedBy: row.approved_by,
    state: row.state,
    issuedClientId: row.issued_client_id,
    srIntegrationId: row.sr_integration_id,
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
