/**
 * The configuration, checked exactly as start-up checks it: `optionsFromEnv` → `resolveConfig`,
 * the Assessment partner configuration SR's spec would accept (`buildPartnerConfiguration`, as
 * `createConsentKit` does), and `ATS_USERS_FILE` as `ats-consent serve` reads it. A `ConfigError`
 * already names the option and its variable.
 */
import { buildPartnerConfiguration } from '../../assessment/partner-configuration.js';
import { ConfigError, resolveConfig, type ResolvedConfig } from '../../config.js';
import { optionsFromEnv } from '../../config-env.js';
import { kitPaths } from '../../services.js';
import type { Env } from '../command.js';
import { loadUsers } from '../users-file.js';
import { fail, ok, warn, type CheckResult } from './check-result.js';

export type ConfigurationOutcome = { config: ResolvedConfig; results: CheckResult[] } | { config: null; results: CheckResult[] };

export function checkConfiguration(env: Env): ConfigurationOutcome {
  try {
    // Doctor never signs anyone in; the hook only has to exist.
    const config = resolveConfig(optionsFromEnv(env, async () => null));
    if (config.assessment) buildPartnerConfiguration(config, kitPaths(config));
    return { config, results: [ok('configuration', `every option is valid (${describeProduct(config)})`), usersFile(env)] };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { config: null, results: [fail('configuration', error.message, "change that variable (see the README's Configuration table); the kit refuses to start until then")] };
  }
}

function usersFile(env: Env): CheckResult {
  if (!env.ATS_USERS_FILE) {
    return warn('users-file', 'ATS_USERS_FILE is not set: `ats-consent serve` needs it', 'set ATS_USERS_FILE, unless you mount the kit in your own server with an authenticate hook');
  }
  // Throws a ConfigError naming ATS_USERS_FILE, as `serve` would.
  const users = loadUsers(env.ATS_USERS_FILE);
  if (users.length === 0) return warn('users-file', `ATS_USERS_FILE ${env.ATS_USERS_FILE} lists nobody: no one can sign in to approve`, 'add the admins who connect SmartRecruiters');
  return ok('users-file', `ATS_USERS_FILE lists ${users.length} user${users.length === 1 ? '' : 's'}`);
}

const describeProduct = (config: ResolvedConfig) =>
  config.sr.product === 'assessment' ? 'SmartRecruiters Assessment' : 'SmartRecruiters General Partner';
