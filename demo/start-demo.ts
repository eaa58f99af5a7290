/**
 * Starts the demo: the kit (the partner's site) on http://localhost:<port> and the fake
 * SmartRecruiters on http://127.0.0.1:<port>. Two different sites, so iframe, cookie and
 * postMessage behaviour between them is real cross-site behaviour. Used by `npm start` and by the
 * tests (with port 0, a temporary data directory and short timeouts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type Koa from 'koa';
import type { DestinationStream } from 'pino';
import { createApp } from '../server/app.js';
import { userDirectory } from '../server/auth/user-directory.js';
import type { ConsentKitOptions } from '../server/config.js';
import { createConsentKit, type ConsentKit } from '../server/kit.js';
import { loadOrCreateDemoSecrets } from './demo-secrets.js';
import { DEMO_ASSESSMENT_FIELDS, demoPackages } from './assessment-catalogue.js';
import { apiKeysPage } from './api-keys-page.js';
import { assessmentPages } from './assessment-pages.js';
import { takeKeys } from './assessment-take-keys.js';
import { partnerHome } from './partner-home.js';
import { createProviderFakes, providerOptions, type DemoProviderUrls, type ProviderFakes } from './provider-fakes.js';
import { FakeSmartRecruiters } from './providers/fake-smartrecruiters.js';
import { FakeSmartRecruitersAssessment } from './providers/fake-sr-assessment.js';
import { DEMO_USERS, demoAuthorizeCompany } from './users.js';

export interface DemoOptions {
  kitPort?: number;
  srPort?: number;
  /** Ports of the fake TE Recruit, CareerPlug and Total Expert (default 3002, 3003, 3004). */
  providerPorts?: [number, number, number];
  dataDir?: string;
  /** Timeout of the kit's outbound calls. */
  timeoutMs?: number;
  /** How long the fake SR's `delay` fault waits. */
  faultDelayMs?: number;
  tokenLifetimeSeconds?: number;
  logDestination?: DestinationStream;
  logLevel?: string;
  warn?: (message: string) => void;
  /**
   * The General Partner kit's SR rate budget (default SR's 10/s, 8 at once). The fake's General
   * Partner side enforces no limit, so the bench lifts it to measure the kit rather than the gate.
   */
  generalRateLimit?: { perSecond: number; concurrent: number };
  /** Extra kit options (tests: a webhook, a PostgreSQL URL, short token lifetimes). */
  kitOptions?: Partial<ConsentKitOptions>;
  /** Extra options of the assessment app's kit (tests: hooks that hang or throw, a webhook). */
  assessmentKitOptions?: Partial<ConsentKitOptions>;
}

export interface RunningDemo {
  kitUrl: string;
  srUrl: string;
  consentUrl: string;
  kit: ConsentKit;
  /** The second kit: the partner's SmartRecruiters Assessment app (seed 003), under `/ats-assessment`. */
  assessmentKit: ConsentKit;
  /** The options the kit was created with (tests start a second instance on the same store). */
  kitOptions: ConsentKitOptions;
  fakeSr: FakeSmartRecruiters;
  providers: ProviderFakes;
  providerUrls: DemoProviderUrls;
  stop(): Promise<void>;
}

const APP_ID = 'demo-app';
const MASTER_CLIENT_ID = 'demo-partner-master';
const ASSESSMENT_MASTER_CLIENT_ID = 'demo-assessment-master';

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const dataDir = resolve(options.dataDir ?? 'data');
  const secrets = loadOrCreateDemoSecrets(dataDir, options.warn ?? console.warn);
  const kitServer = await listen(options.kitPort ?? 3000);
  const srServer = await listen(options.srPort ?? 3001);
  const kitUrl = `http://localhost:${port(kitServer)}`;
  const srUrl = `http://127.0.0.1:${port(srServer)}`;

  const fakeSr = new FakeSmartRecruiters({
    appId: APP_ID,
    masterClientId: MASTER_CLIENT_ID,
    masterClientSecret: secrets.masterClientSecret,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
    faultDelayMs: options.faultDelayMs,
    assessment: new FakeSmartRecruitersAssessment({
      masterClientId: ASSESSMENT_MASTER_CLIENT_ID,
      masterClientSecret: secrets.assessmentMasterClientSecret,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds,
      faultDelayMs: options.faultDelayMs,
      apiOrigin: () => srUrl,
    }),
  });
  srServer.on('request', fakeSr.handle);

  const providers = createProviderFakes(options.faultDelayMs);
  const [tePort, cpPort, txPort] = options.providerPorts ?? [3002, 3003, 3004];
  const providerServers = await Promise.all([listen(tePort), listen(cpPort), listen(txPort)]);
  const providerUrls: DemoProviderUrls = {
    'te-recruit': `http://127.0.0.1:${port(providerServers[0])}`,
    careerplug: `http://127.0.0.1:${port(providerServers[1])}`,
    'total-expert': `http://127.0.0.1:${port(providerServers[2])}`,
  };
  providerServers[0].on('request', providers['te-recruit'].handle);
  providerServers[1].on('request', providers.careerplug.handle);
  providerServers[2].on('request', providers['total-expert'].handle);
  const servers = [kitServer, srServer, ...providerServers];

  let kit: ConsentKit;
  let assessmentKit: ConsentKit | undefined;
  const candidateKeys = takeKeys(secrets.sessionSecret);
  let kitOptions: ConsentKitOptions;
  try {
    kitOptions = {
      publicUrl: kitUrl,
      partnerName: 'Acme Assessments (demo)',
      smartRecruiters: {
        apiBaseUrl: srUrl,
        appId: APP_ID,
        clientId: MASTER_CLIENT_ID,
        clientSecret: secrets.masterClientSecret,
        allowedOrigins: [srUrl],
        scopes: ['candidates_read', 'jobs_read', 'assessment_result_manage'],
        timeoutMs: options.timeoutMs ?? 10_000,
        ...(options.generalRateLimit ? { rateLimit: options.generalRateLimit } : {}),
      },
      sessionSecret: secrets.sessionSecret,
      encryptionKey: secrets.encryptionKey,
      databaseUrl: `sqlite:${join(dataDir, 'ats-consent.sqlite')}`,
      authenticate: userDirectory(DEMO_USERS),
      authorizeCompany: demoAuthorizeCompany,
      // QA enables many companies in one sitting; a partner's production default is 10 per user an hour.
      companyClaims: { maxPerUser: 200, maxPerTenant: 400 },
      logLevel: options.logLevel ?? 'info',
      demo: true,
      providers: providerOptions(providers, providerUrls),
      ...options.kitOptions,
      };
    kit = await createConsentKit(kitOptions, { logDestination: options.logDestination });
    // The same partner's assessment app: its own SR app (master credentials), prefix, cookie and database.
    assessmentKit = await createConsentKit(
      {
        ...kitOptions,
        prefix: '/ats-assessment',
        cookieName: '__Host-ats-assessment-session',
        databaseUrl: `sqlite:${join(dataDir, 'ats-assessment.sqlite')}`,
        providers: {},
        smartRecruiters: {
          product: 'assessment',
          apiBaseUrl: srUrl,
          clientId: ASSESSMENT_MASTER_CLIENT_ID,
          clientSecret: secrets.assessmentMasterClientSecret,
          allowedOrigins: [srUrl],
          timeoutMs: options.timeoutMs ?? 10_000,
        },
        assessment: {
          consentDisplayMode: 'POPUP',
          supportedAssessmentTypes: ['SKILL_TEST', 'VIDEO_INTERVIEW', 'BEHAVIORAL_ASSESSMENT', 'INLINE_ASSESSMENT'],
          fields: DEMO_ASSESSMENT_FIELDS,
          packages: demoPackages,
          inlineOrderUrl: (order) => kitUrl + candidateKeys.path(order.orderId),
        },
        ...options.assessmentKitOptions,
      },
      { logDestination: options.logDestination },
    );
    // What SmartRecruiters calls on the assessment app: registered as a partner would (seed 003 §1.2).
    await assessmentKit.assessment.pushConfiguration();
  } catch (error) {
    await assessmentKit?.close();
    await Promise.all(servers.map(close));
    throw error;
  }
  for (const [id, fake] of Object.entries(providers)) fake.redirectUris.add(`${kitUrl}${kit.paths.connect}/${id}/callback`);
  const consentUrl = kitUrl + kit.paths.consentPage;
  fakeSr.links = {
    consentUrl,
    returnUrl: `${srUrl}/app/integrations`,
    oauthTokenUrl: kitUrl + kit.paths.token,
    callbackUrl: kitUrl + kit.paths.callback,
  };
  const app: Koa = createApp(kit, [assessmentKit.middleware, assessmentPages(assessmentKit, srUrl, candidateKeys), apiKeysPage(kit, assessmentKit), partnerHome(kit, srUrl)]);
  // As `ats-consent serve` (createKitServer): each kit's fast lane for SR's hottest calls, then Koa.
  kitServer.on('request', kit.requestListener(assessmentKit.requestListener(app.callback())));

  return {
    kitUrl,
    srUrl,
    consentUrl,
    kit,
    assessmentKit,
    kitOptions,
    fakeSr,
    providers,
    providerUrls,
    async stop() {
      await Promise.all(servers.map(close));
      await kit.close();
      await assessmentKit.close();
    },
  };
}

function listen(portNumber: number): Promise<Server> {
  return new Promise((resolveServer, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${portNumber} is in use; set another with the environment`) : error),
    );
    server.listen(portNumber, '127.0.0.1', () => resolveServer(server));
  });
}

const port = (server: Server) => (server.address() as AddressInfo).port;

function close(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}
