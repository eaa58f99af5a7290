/**
 * `ats-consent doctor`: what in this configuration will fail against SmartRecruiters, found before
 * a customer finds it. Reads the same environment as `ats-consent serve`, changes nothing
 * anywhere (no migration, no registration, no sign-in), and prints one line per check.
 *
 * 1. The configuration as start-up checks it; invalid → exit 1, nothing else runs.
 * 2. Without the network: the public URLs' schemes, the allowed origins.
 * 3. Live, at once: SR's master token, every URL SR calls answering from here, the database
 *    (reachable, migrated, readable with the configured key). Then, with the token, SR's stored
 *    partner configuration against what the kit registers (Assessment product).
 *
 * Exit codes: 0 every check ok (warnings allowed), 1 configuration invalid, 2 some check failed,
 * 64 unknown argument.
 */
import { SmartRecruitersClient } from '../providers/smartrecruiters.js';
import { CONFIGURATION_HELP, EXIT, unknownArguments, usageError, wantsHelp, type CliCommand, type Env, type Print } from './command.js';
import { checkAllowedOrigins } from './doctor/allowed-origins-check.js';
import { skip, type CheckResult } from './doctor/check-result.js';
import { checkConfiguration } from './doctor/configuration-check.js';
import { checkDatabase } from './doctor/database-check.js';
import { checkPublicUrls } from './doctor/public-urls-check.js';
import { redact, secretValues } from './doctor/redact.js';
import { checkRegisteredUrls } from './doctor/registered-urls-check.js';
import { jsonReport, textReport } from './doctor/report.js';
import { checkMasterToken } from './doctor/sr-master-token-check.js';
import { checkPartnerConfiguration } from './doctor/sr-partner-configuration-check.js';

const HELP = `Usage: ats-consent doctor [--json]

Tells you what in your configuration will fail against SmartRecruiters before a customer finds
out. One line per check: ok, warn, FAIL (with what to fix, naming the variable) or skip (with why).
Changes nothing: no migration, no registration, no sign-in. Run it where the kit runs, with the
same environment, after every configuration change and before registering with SmartRecruiters.

Checks:
  configuration             every option, as start-up checks it (and ATS_USERS_FILE)
  public-url, sr-api-base-url
                            https (http:// on loopback is a warning: SmartRecruiters refuses it)
  sr-allowed-origins        exact origins: no path, no trailing slash, no wildcard
  sr-master-token           SmartRecruiters issues a master token for ATS_SR_CLIENT_ID/SECRET
  sr-partner-configuration  (Assessment) SmartRecruiters holds what the kit registers
  url <name>                each URL SmartRecruiters calls answers from here as the kit does
                            (short timeout, redirects not followed)
  database                  reachable and migrated (read only: doctor never migrates)
  encryption-key            ATS_ENCRYPTION_KEY decrypts what is stored
  clock                     (PostgreSQL) this host's clock within a second of the database
                            server's (the kit keeps time by the database's; a warning otherwise)

Options:
      --json          print the results as one JSON document
  -h, --help          this text

Environment:
  the same as "ats-consent serve" reads:
  ATS_USERS_FILE      checked if set (serve needs it)
${CONFIGURATION_HELP}

Exit codes:
  0   every check ok or skipped (warnings allowed)
  1   configuration invalid: the kit would refuse to start (nothing else checked)
  2   one or more checks failed
  64  unknown argument`;

export async function doctor(env: Env, args: string[], print: Print): Promise<number> {
  if (wantsHelp(args)) {
    print(HELP);
    return EXIT.ok;
  }
  const unknown = unknownArguments(args, ['--json']);
  if (unknown.length > 0) return usageError(print, 'doctor', `unknown argument ${unknown[0]}`);
  const results = await runChecks(env);
  const exitCode = results.some((result) => result.check === 'configuration' && result.status === 'fail')
    ? EXIT.config
    : results.some((result) => result.status === 'fail')
      ? EXIT.failed
      : EXIT.ok;
  const secrets = secretValues(env);
  const lines = args.includes('--json') ? [jsonReport(results, exitCode)] : textReport(results, exitCode);
  for (const line of lines) print(redact(line, secrets));
  return exitCode;
}

async function runChecks(env: Env): Promise<CheckResult[]> {
  const configuration = checkConfiguration(env);
  if (!configuration.config) return configuration.results;
  const config = configuration.config;
  const sr = new SmartRecruitersClient({ ...config.sr });
  const [token, urls, database] = await Promise.all([checkMasterToken(config, sr), checkRegisteredUrls(config), checkDatabase(config)]);
  // The token is cached in `sr`: the configuration read reuses it.
  const partnerConfiguration = token.status === 'ok' ? await checkPartnerConfiguration(config, sr) : skip('sr-partner-configuration', 'needs the master token (see sr-master-token)');
  return [...configuration.results, ...checkPublicUrls(config), ...checkAllowedOrigins(env), token, partnerConfiguration, ...urls, ...database];
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  help: HELP,
  run: doctor,
};
