/**
 * Turns the `providers` option into complete provider definitions, failing fast on anything
 * missing or unsafe (naming the option), and reads the same from environment variables.
 */
import { ConfigError } from '../config-error.js';
import {
  BUILT_IN_PROVIDERS,
  type ClientAuthMethod,
  type ConfiguredProvider,
  type OAuthProviderDefinition,
  type ProviderOptions,
} from './oauth-providers.js';

const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const SERVICE_PROVIDER = /^[A-Za-z0-9._-]{1,100}$/;
const AUTH_METHODS: ClientAuthMethod[] = ['client_secret_post', 'client_secret_basic', 'client_secret_basic_raw'];

export function resolveProviders(
  options: Record<string, ProviderOptions> | undefined,
  checkUrl: (option: string, value: string) => URL,
): Map<string, ConfiguredProvider> {
  const providers = new Map<string, ConfiguredProvider>();
  for (const [id, given] of Object.entries(options ?? {})) {
    const option = `providers.${id}`;
    if (!PROVIDER_ID.test(id)) throw new ConfigError(option, 'needs an id of lowercase letters, digits and dashes');
    const builtIn = BUILT_IN_PROVIDERS[id];
    if (!builtIn && (!given.displayName || !given.authorizationEndpoint || !given.tokenEndpoint)) {
      throw new ConfigError(option, 'is not a built-in provider, so it needs displayName, authorizationEndpoint and tokenEndpoint');
    }
    const defaults: OAuthProviderDefinition = builtIn ?? {
      id,
      displayName: '',
      authorizationEndpoint: '',
      tokenEndpoint: '',
      clientAuth: 'client_secret_basic',
      scopes: [],
      pkce: true,
      redirectUriOnRefresh: false,
      authorizeParams: {},
      apiHeaders: {},
      clientCredentials: false,
      defaultExpiresIn: 300,
    };
    const provider = { ...defaults, ...stripUndefined(given), id } as ConfiguredProvider;
    provider.serviceProviders = resolveServiceProviders(option, given);
    if (!provider.clientId) throw new ConfigError(`${option}.clientId`, 'is required');
    if (!provider.clientSecret) throw new ConfigError(`${option}.clientSecret`, 'is required');
    if (!AUTH_METHODS.includes(provider.clientAuth)) throw new ConfigError(`${option}.clientAuth`, `must be one of ${AUTH_METHODS.join(', ')}`);
    checkUrl(`${option}.authorizationEndpoint`, provider.authorizationEndpoint);
    checkUrl(`${option}.tokenEndpoint`, provider.tokenEndpoint);
    if (provider.apiBaseUrl) checkUrl(`${option}.apiBaseUrl`, provider.apiBaseUrl);
    providers.set(id, provider);
  }
  return providers;
}

/** The allow-list of `serviceProvider` names: the default first, then the configured ones, each once. */
function resolveServiceProviders(option: string, given: ProviderOptions): string[] {
  if (given.serviceProviders !== undefined && !Array.isArray(given.serviceProviders)) {
    throw new ConfigError(`${option}.serviceProviders`, 'must be a list of names');
  }
  const names = [given.serviceProvider, ...(given.serviceProviders ?? [])].filter((name) => name !== undefined);
  for (const name of names) {
    if (typeof name !== 'string' || !SERVICE_PROVIDER.test(name)) {
      throw new ConfigError(`${option}.${name === given.serviceProvider ? 'serviceProvider' : 'serviceProviders'}`, 'needs names of letters, digits, ".", "_" and "-" (at most 100)');
    }
  }
  return [...new Set(names)];
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

type Env = Record<string, string | undefined>;

/**
 * `ATS_PROVIDERS=te-recruit,careerplug,my-ats` and, per provider, `ATS_PROVIDER_<ID>_<FIELD>` with
 * the id upper-cased and dashes as underscores: CLIENT_ID, CLIENT_SECRET, NAME, AUTHORIZATION_URL,
 * TOKEN_URL, API_BASE_URL, ISSUER, SCOPES (comma-separated), CLIENT_AUTH, PKCE (true/false),
 * SERVICE_PROVIDER, SERVICE_PROVIDERS (comma-separated), AUTHORIZE_PARAMS (a=b&c=d).
 */
export function providersFromEnv(env: Env): Record<string, ProviderOptions> | undefined {
  const ids = env.ATS_PROVIDERS?.split(',').map((id) => id.trim()).filter(Boolean);
  if (!ids?.length) return undefined;
  return Object.fromEntries(
    ids.map((id) => {
      const read = (field: string) => env[`ATS_PROVIDER_${id.toUpperCase().replace(/-/g, '_')}_${field}`] || undefined;
      const scopes = read('SCOPES');
      const pkce = read('PKCE');
      const params = read('AUTHORIZE_PARAMS');
      const serviceProviders = read('SERVICE_PROVIDERS');
      const options: ProviderOptions = {
        clientId: read('CLIENT_ID') ?? '',
        clientSecret: read('CLIENT_SECRET') ?? '',
        displayName: read('NAME'),
        authorizationEndpoint: read('AUTHORIZATION_URL'),
        tokenEndpoint: read('TOKEN_URL'),
        apiBaseUrl: read('API_BASE_URL'),
        issuer: read('ISSUER'),
        scopes: scopes === undefined ? undefined : scopes.split(',').map((scope) => scope.trim()).filter(Boolean),
        clientAuth: read('CLIENT_AUTH') as ClientAuthMethod | undefined,
        pkce: pkce === undefined ? undefined : pkce === 'true',
        serviceProvider: read('SERVICE_PROVIDER'),
        serviceProviders: serviceProviders === undefined ? undefined : serviceProviders.split(',').map((name) => name.trim()).filter(Boolean),
        authorizeParams: params === undefined ? undefined : Object.fromEntries(new URLSearchParams(params)),
      };
      return [id, options];
    }),
  );
}
