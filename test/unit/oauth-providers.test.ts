/**
 * Providers as typed data: built-ins, overrides, any other provider from options or environment
 * alone, and the authorization request each one gets (RFC 6749 §4.1.1, RFC 7636 §4.3).
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, type ConsentKitOptions } from '../../server/config.js';
import { optionsFromEnv } from '../../server/config-env.js';
import { buildAuthorizationUrl } from '../../server/oauth/authorization-code.js';
import { BUILT_IN_PROVIDERS } from '../../server/providers/oauth-providers.js';

const base = (providers: ConsentKitOptions['providers']): ConsentKitOptions => ({
  publicUrl: 'https://partner.example',
  partnerName: 'P',
  smartRecruiters: { appId: 'a', clientId: 'c', clientSecret: 's' },
  sessionSecret: 's'.repeat(32),
  encryptionKey: Buffer.alloc(32, 1).toString('base64'),
  authenticate: async () => null,
  providers,
});

describe('built-in providers follow their seeds', () => {
  it('TE Recruit: form-body credentials, read/write, redirect_uri on refresh (seed 000)', () => {
    expect(BUILT_IN_PROVIDERS['te-recruit']).toMatchObject({ clientAuth: 'client_secret_post', scopes: ['read', 'write'], redirectUriOnRefresh: true, pkce: true });
  });
  it('CareerPlug: Accept-Version v1, client credentials offered (seed 002)', () => {
    expect(BUILT_IN_PROVIDERS.careerplug).toMatchObject({ apiHeaders: { 'accept-version': 'v1' }, clientCredentials: true });
  });
  it('Total Expert: raw Basic, serviceProvider SSO parameter (seed 004)', () => {
    expect(BUILT_IN_PROVIDERS['total-expert']).toMatchObject({ clientAuth: 'client_secret_basic_raw', serviceProviderParam: 'serviceProvider', tokenEndpoint: 'https://public.totalexpert.net/v1/token' });
  });
});

describe('resolving the providers option', () => {
  it('a built-in needs only credentials; its URLs can be overridden for a sandbox', () => {
    const config = resolveConfig(base({ 'te-recruit': { clientId: 'id', clientSecret: 'secret', tokenEndpoint: 'https://sandbox.example/oauth/token' } }));
    const provider = config.providers.get('te-recruit')!;
    expect(provider.tokenEndpoint).toBe('https://sandbox.example/oauth/token');
    expect(provider.authorizationEndpoint).toBe(BUILT_IN_PROVIDERS['te-recruit']!.authorizationEndpoint);
  });

  it('any other provider from its fields alone, PKCE on unless it opts out', () => {
    const config = resolveConfig(
      base({ 'my-ats': { displayName: 'My ATS', clientId: 'id', clientSecret: 'secret', authorizationEndpoint: 'https://ats.example/authorize', tokenEndpoint: 'https://ats.example/token' } }),
    );
    expect(config.providers.get('my-ats')).toMatchObject({ displayName: 'My ATS', pkce: true, clientAuth: 'client_secret_basic' });
  });

  it.each<[string, ConsentKitOptions['providers'], RegExp]>([
    ['missing secret', { 'te-recruit': { clientId: 'id', clientSecret: '' } }, /providers\.te-recruit\.clientSecret" \(ATS_PROVIDER_TE_RECRUIT_CLIENT_SECRET\) is required/],
    ['unknown provider without endpoints', { 'my-ats': { clientId: 'id', clientSecret: 's' } }, /providers\.my-ats.*needs displayName, authorizationEndpoint and tokenEndpoint/],
    ['http endpoint off loopback', { 'te-recruit': { clientId: 'id', clientSecret: 's', tokenEndpoint: 'http://ats.example/token' } }, /ATS_PROVIDER_TE_RECRUIT_TOKEN_URL.*https/],
    ['bad id', { 'My ATS': { clientId: 'id', clientSecret: 's' } }, /providers\.My ATS/],
    ['bad client auth', { 'te-recruit': { clientId: 'id', clientSecret: 's', clientAuth: 'none' as never } }, /clientAuth/],
    ['an SSO name that is not a plain name', { 'total-expert': { clientId: 'id', clientSecret: 's', serviceProviders: ['ok', 'x&y=z'] } }, /providers\.total-expert\.serviceProviders" \(ATS_PROVIDER_TOTAL_EXPERT_SERVICE_PROVIDERS\)/],
  ])('%s fails at start, naming the option', (_name, providers, message) => {
    expect(() => resolveConfig(base(providers))).toThrow(message);
  });

  it('reads providers from environment variables alone', () => {
    const options = optionsFromEnv(
      {
        ATS_PROVIDERS: 'total-expert, my-ats',
        ATS_PROVIDER_TOTAL_EXPERT_CLIENT_ID: 'tx',
        ATS_PROVIDER_TOTAL_EXPERT_CLIENT_SECRET: 'tx-secret',
        ATS_PROVIDER_TOTAL_EXPERT_SERVICE_PROVIDER: 'acme-sso',
        ATS_PROVIDER_TOTAL_EXPERT_SERVICE_PROVIDERS: 'beta-sso, acme-sso',
        ATS_PROVIDER_MY_ATS_NAME: 'My ATS',
        ATS_PROVIDER_MY_ATS_CLIENT_ID: 'm',
        ATS_PROVIDER_MY_ATS_CLIENT_SECRET: 'm-secret',
        ATS_PROVIDER_MY_ATS_AUTHORIZATION_URL: 'https://ats.example/authorize',
        ATS_PROVIDER_MY_ATS_TOKEN_URL: 'https://ats.example/token',
        ATS_PROVIDER_MY_ATS_SCOPES: 'jobs,candidates',
        ATS_PROVIDER_MY_ATS_CLIENT_AUTH: 'client_secret_post',
        ATS_PROVIDER_MY_ATS_PKCE: 'false',
        ATS_PROVIDER_MY_ATS_AUTHORIZE_PARAMS: 'prompt=consent&audience=api',
      },
      async () => null,
    );
    const config = resolveConfig({ ...base(undefined), providers: options.providers });
    expect(config.providers.get('total-expert')).toMatchObject({ clientId: 'tx', serviceProvider: 'acme-sso', serviceProviders: ['acme-sso', 'beta-sso'] });
    expect(config.providers.get('my-ats')!.serviceProviders).toEqual([]);
    expect(config.providers.get('my-ats')).toMatchObject({
      displayName: 'My ATS',
      scopes: ['jobs', 'candidates'],
      clientAuth: 'client_secret_post',
      pkce: false,
      authorizeParams: { prompt: 'consent', audience: 'api' },
    });
  });
});

describe('RFC 6749 §4.1.1 authorization request per provider', () => {
  const configured = (id: string, extra = {}) => ({ ...BUILT_IN_PROVIDERS[id]!, clientId: 'client', clientSecret: 'secret', serviceProviders: [], ...extra });

  it('Total Expert: state and serviceProvider; provider parameters cannot override the protocol ones', async () => {
    const url = await buildAuthorizationUrl(configured('total-expert', { authorizeParams: { state: 'evil', redirect_uri: 'https://evil.example', prompt: 'login' } }), {
      redirectUri: 'https://partner.example/ats/connect/total-expert/callback',
      state: 'the-state',
      codeVerifier: 'v'.repeat(43),
      serviceProvider: 'acme-sso',
    });
    expect(url.searchParams.get('state')).toBe('the-state');
    expect(url.searchParams.get('redirect_uri')).toBe('https://partner.example/ats/connect/total-expert/callback');
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('serviceProvider')).toBe('acme-sso');
    expect(url.searchParams.get('scope')).toBe('crm');
  });

  it('a provider that opts out of PKCE gets no challenge; one without scopes gets no scope', async () => {
    const url = await buildAuthorizationUrl(configured('careerplug', { pkce: false }), { redirectUri: 'https://p.example/cb', state: 's', codeVerifier: null, serviceProvider: 'ignored' });
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(url.searchParams.has('scope')).toBe(false);
    expect(url.searchParams.has('serviceProvider')).toBe(false);
  });
});
