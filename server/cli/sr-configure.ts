/**
 * `ats-consent sr-configure [--dry-run]` (and `npm run sr-configure`): registers the Assessment
 * partner configuration with SmartRecruiters (seed 003 §1.2, `PUT /partner/configuration` under the
 * master token), from the same environment variables as `ats-consent serve`. It first shows what
 * SR holds now and what will change; `--dry-run` stops there. Needs no database and no sign-in:
 * only the configuration.
 *
 * Exit codes: 0 done (or nothing to change), 1 bad configuration, 2 SmartRecruiters refused or
 * failed, 64 unknown argument.
 */
import { buildPartnerConfiguration, configurationChanges } from '../assessment/partner-configuration.js';
import { ConfigError, resolveConfig } from '../config.js';
import { optionsFromEnv } from '../config-env.js';
import { OutboundError } from '../oauth/outbound.js';
import { SmartRecruitersClient } from '../providers/smartrecruiters.js';
import { SmartRecruitersAssessmentClient } from '../providers/smartrecruiters-assessment.js';
import { kitPaths } from '../services.js';
import { CONFIGURATION_HELP, EXIT, consolePrint, unknownArguments, usageError, wantsHelp, type CliCommand, type Env, type Print } from './command.js';
import { isEntryPoint } from './entry-point.js';

const HELP = `Usage: ats-consent sr-configure [--dry-run]

Registers the SmartRecruiters Assessment partner configuration (seed 003 §1.2): gets a master
token, shows what SmartRecruiters holds now (GET /partner/configuration) and what will change,
then PUTs the whole configuration, built from the kit's own URLs and options. Needs no database
and no running kit. For ATS_SR_PRODUCT=assessment only (the General Partner app's URLs are
registered by SmartRecruiters' Partner team).

Options:
      --dry-run       show what would change, send nothing
  -h, --help          this text

Environment:
  ATS_SR_PRODUCT      must be "assessment"
  ATS_SR_CLIENT_ID, ATS_SR_CLIENT_SECRET, ATS_SR_API_BASE_URL
                      the master credentials and where SmartRecruiters is
  ATS_PUBLIC_URL, ATS_PREFIX, ATS_ASSESSMENT_*
                      what gets registered
${CONFIGURATION_HELP}

Exit codes:
  0   done, or nothing to change, or a dry run
  1   configuration invalid (the message names the option and its variable)
  2   SmartRecruiters refused or failed (or could not be reached)
  64  unknown argument`;

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

export async function srConfigure(env: Env, args: string[], print: Print): Promise<number> {
  if (wantsHelp(args)) {
    print(HELP);
    return EXIT.ok;
  }
  const unknown = unknownArguments(args, ['--dry-run']);
  // A mistyped --dry-run must not push for real.
  if (unknown.length > 0) return usageError(print, 'sr-configure', `unknown argument ${unknown[0]}`);
  let config, next;
  try {
    config = resolveConfig(optionsFromEnv(env, async () => null));
    if (config.sr.product !== 'assessment') throw new ConfigError('smartRecruiters.product', 'must be "assessment" to push a partner configuration');
    next = buildPartnerConfiguration(config, kitPaths(config));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print(error.message, 'stderr');
    return EXIT.config;
  }
  const client = new SmartRecruitersAssessmentClient(new SmartRecruitersClient({ ...config.sr }));
  try {
    const current = await client.getConfiguration();
    print(current ? `SmartRecruiters holds now (${config.sr.apiBaseUrl.origin}):` : `SmartRecruiters holds no configuration yet (${config.sr.apiBaseUrl.origin}).`);
    for (const [field, value] of Object.entries(current ?? {})) print(`  ${field}: ${show(value)}`);
    const changes = configurationChanges(current, next);
    if (changes.length === 0) {
      print('Nothing to change.');
      return EXIT.ok;
    }
    print('Will change:');
    for (const change of changes) print(`  ${change.field}: ${show(change.from)} -> ${show(change.to)}`);
    if (args.includes('--dry-run')) {
      print('Dry run: nothing sent.');
      return EXIT.ok;
    }
    await client.putConfiguration(next);
    print('Pushed: SmartRecruiters accepted the configuration.');
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    print(`SmartRecruiters: ${error.message}${error.upstreamCodes.length ? ` [${error.upstreamCodes.join(', ')}]` : ''}`, 'stderr');
    return EXIT.failed;
  }
}

export const srConfigureCommand: CliCommand = {
  name: 'sr-configure',
  help: HELP,
  run: srConfigure,
};

// `npm run sr-configure` runs this file directly; `ats-consent sr-configure` goes through main.ts.
if (isEntryPoint(import.meta.url)) {
  process.exitCode = await srConfigure(process.env, process.argv.slice(2), consolePrint);
}
