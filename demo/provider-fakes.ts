/**
 * The demo's fake TE Recruit, CareerPlug and Total Expert, each on its own origin, and the kit's
 * `providers` option pointing at them (what a partner would point at a sandbox).
 */
import type { ProviderOptions } from '../server/providers/oauth-providers.js';
import { FakeOAuthProvider } from './providers/fake-oauth-provider.js';

export interface DemoProviderUrls {
  'te-recruit': string;
  careerplug: string;
  'total-expert': string;
}

/** The fake providers' sign-ins, printed by `npm start`. */
export const PROVIDER_USERS = {
  'te-recruit': { username: 'recruiter@te.test', password: 'te-demo-pass' },
  careerplug: { username: 'hiring@careerplug.test', password: 'cp-demo-pass' },
  'total-expert': { username: 'loan.officer@totalexpert.test', password: 'tx-demo-pass' },
} as const;

export function createProviderFakes(faultDelayMs?: number) {
  return {
    'te-recruit': new FakeOAuthProvider({
      id: 'te-recruit',
      displayName: 'TE Recruit',
      flavour: 'doorkeeper',
      clientId: 'demo-te-client',
      clientSecret: 'demo-te-secret',
      user: PROVIDER_USERS['te-recruit'],
      accessTokenLifetimeSeconds: 7200,
      faultDelayMs,
    }),
    careerplug: new FakeOAuthProvider({
      id: 'careerplug',
      displayName: 'CareerPlug',
      flavour: 'doorkeeper',
      clientId: 'demo-cp-client',
      clientSecret: 'demo-cp-secret',
      user: PROVIDER_USERS.careerplug,
      accessTokenLifetimeSeconds: 172_800,
      clientCredentials: true,
      clientCredentialsLifetimeSeconds: 172_800,
      apiVersion: 'v1',
      faultDelayMs,
    }),
    'total-expert': new FakeOAuthProvider({
      id: 'total-expert',
      displayName: 'Total Expert',
      flavour: 'oauth2-server-php',
      clientId: 'demo-tx-client',
      clientSecret: 'demo-tx-secret+/=',
      user: PROVIDER_USERS['total-expert'],
      accessTokenLifetimeSeconds: 3600,
      faultDelayMs,
    }),
  };
}

export type ProviderFakes = ReturnType<typeof createProviderFakes>;

export function providerOptions(fakes: ProviderFakes, urls: DemoProviderUrls): Record<string, ProviderOptions> {
  const entry = (id: keyof DemoProviderUrls, extra: Partial<ProviderOptions> = {}): ProviderOptions => {
    const fake = fakes[id];
    return {
      clientId: fake.options.clientId,
      clientSecret: fake.options.clientSecret,
      authorizationEndpoint: urls[id] + fake.paths.authorize,
      tokenEndpoint: urls[id] + fake.paths.token,
      apiBaseUrl: urls[id] + '/api',
      ...extra,
    };
  };
  return {
    'te-recruit': entry('te-recruit'),
    careerplug: entry('careerplug'),
    'total-expert': entry('total-expert', { serviceProvider: 'demo-sso', serviceProviders: ['acme-sso'] }),
  };
}
