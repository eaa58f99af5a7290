/**
 * `npm run sr-configure [-- --dry-run]`: registers the Assessment partner configuration with
 * SmartRecruiters (seed 003 §1.2, `PUT /partner/configuration` under the master token), from the
 * same environment variables as `npm run serve`. It first shows what SR holds now and what will
 * change; `--dry-run` stops there. Needs no database and no sign-in: only the configuration.
 *
 * Exit codes: 0 done (or nothing to change), 1 bad configuration, 2 SmartRecruiters refused or failed.
 */
import { buildPartnerConfiguration, configurationChanges } from '../assessment/partner-configuration.js';
import { ConfigError, resolveConfig } from '../config.js';
import { optionsFromEnv } from '../config-env.js';
import { OutboundError } from '../oauth/outbound.js';
import { SmartRecruitersClient } from '../providers/smartrecruiters.js';
import { SmartRecruitersAssessmentClient } from '../providers/smartrecruiters-assessment.js';
import { kitPaths } from '../services.js';

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

export async function srConfigure(env: Record<string, string | undefined>, args: string[], print: (line: string) => void): Promise<number> {
  let config;
  try {
    config = resolveConfig(optionsFromEnv(env, async () => null));
    if (config.sr.product !== 'assessment') throw new ConfigError('smartRecruiters.product', 'must be "assessment" to push a partner configuration');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print(error.message);
    return 1;
  }
  const next = buildPartnerConfiguration(config, kitPaths(config));
  const client = new SmartRecruitersAssessmentClient(new SmartRecruitersClient({ ...config.sr }));
  try {
    const current = await client.getConfiguration();
    print(current ? `SmartRecruiters holds now (${config.sr.apiBaseUrl.origin}):` : `SmartRecruiters holds no configuration yet (${config.sr.apiBaseUrl.origin}).`);
    for (const [field, value] of Object.entries(current ?? {})) print(`  ${field}: ${show(value)}`);
    const changes = configurationChanges(current, next);
    if (changes.length === 0) {
      print('Nothing to change.');
      return 0;
    }
    print('Will change:');
    for (const change of changes) print(`  ${change.field}: ${show(change.from)} -> ${show(change.to)}`);
    if (args.includes('--dry-run')) {
      print('Dry run: nothing sent.');
      return 0;
    }
    await client.putConfiguration(next);
    print('Pushed: SmartRecruiters accepted the configuration.');
    return 0;
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    print(`SmartRecruiters: ${error.message}${error.upstreamCodes.length ? ` [${error.upstreamCodes.join(', ')}]` : ''}`);
    return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await srConfigure(process.env, process.argv.slice(2), (line) => console.log(line));
}
