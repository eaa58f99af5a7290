/**
 * `ats-consent keys create | list | revoke`: API keys for the partner API (issue 14 item 1), run
 * where the kit runs, with the same environment (the database and the encryption key are what it
 * uses). The database is migrated first, as any kit start would.
 *
 * `create` prints the key once, on stdout, alone on its first line (so `| head -1` captures it);
 * nothing else ever prints it, and it is never stored. `list` never shows a key.
 */
import { ApiKeyRequestError, ApiKeys, API_KEY_SCOPES, type ApiKeySummary } from '../api-keys/api-keys.js';
import { ConfigError, resolveConfig } from '../config.js';
import { optionsFromEnv } from '../config-env.js';
import { SecretHasher } from '../crypto/secrets.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { CONFIGURATION_HELP, EXIT, describeError, usageError, wantsHelp, type CliCommand, type Env, type Print } from './command.js';

const HELP = `Usage: ats-consent keys create --scopes <list> [--name <name>] [--tenant <tenantId>] [--json]
       ats-consent keys list [--json]
       ats-consent keys revoke <keyId>

Manages the API keys the partner API (<prefix>/partner/v1) accepts as "Authorization: Bearer <key>".
A key looks like atsk_ followed by 49 letters and digits (the last 6 are a checksum); it is shown
once, by "create", and stored only as an HMAC: keep it in your secret store. Revoking a key takes
effect at once on every kit instance sharing the database.

Commands:
  create              creates a key; prints the key on the first line, then its id and settings
  list                lists every key: id, name, scopes, tenant, created, last used, revoked
  revoke <keyId>      revokes a key (its id as "list" shows it, key_…)

Options:
      --scopes <list> comma-separated: ${API_KEY_SCOPES.join(', ')} (create; required)
      --name <name>   a label for you (create; default "unnamed")
      --tenant <id>   the key sees only this tenant's integrations and events (create)
      --json          print JSON (create, list)
  -h, --help          this text

Environment:
  the same as "ats-consent serve" reads (ATS_DATABASE_URL and ATS_ENCRYPTION_KEY are what it uses)
${CONFIGURATION_HELP}

Exit codes:
  0   done
  1   configuration invalid (the message names the option and its variable)
  2   the database failed, or revoke: no such key, or already revoked
  64  unknown argument: subcommand, option or scope`;

interface Flags {
  values: Map<string, string>;
  switches: Set<string>;
  positional: string[];
}

function parseFlags(args: readonly string[], withValue: readonly string[], switches: readonly string[]): Flags | string {
  const flags: Flags = { values: new Map(), switches: new Set(), positional: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (withValue.includes(arg)) {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) return `${arg} needs a value`;
      if (flags.values.has(arg)) return `${arg} given twice`;
      flags.values.set(arg, value);
    } else if (switches.includes(arg)) flags.switches.add(arg);
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else flags.positional.push(arg);
  }
  return flags;
}

export async function keys(env: Env, args: string[], print: Print): Promise<number> {
  if (wantsHelp(args)) {
    print(HELP);
    return EXIT.ok;
  }
  const [subcommand, ...rest] = args;
  const parsed =
    subcommand === 'create'
      ? parseFlags(rest, ['--scopes', '--name', '--tenant'], ['--json'])
      : subcommand === 'list'
        ? parseFlags(rest, [], ['--json'])
        : subcommand === 'revoke'
          ? parseFlags(rest, [], [])
          : `unknown subcommand ${subcommand === undefined ? '(none)' : `"${subcommand}"`}: create, list or revoke`;
  if (typeof parsed === 'string') return usageError(print, 'keys', parsed);
  if (subcommand !== 'revoke' && parsed.positional.length > 0) return usageError(print, 'keys', `unexpected argument ${parsed.positional[0]}`);
  if (subcommand === 'revoke' && parsed.positional.length !== 1) return usageError(print, 'keys', 'revoke takes one key id');
  const scopes = parsed.values.get('--scopes');
  if (subcommand === 'create' && scopes === undefined) return usageError(print, 'keys', `create needs --scopes (${API_KEY_SCOPES.join(', ')})`);

  let config;
  try {
    // No one signs in here; the hook only has to exist.
    config = resolveConfig(optionsFromEnv(env, async () => null));
  } catch (error) {
    if (error instanceof ConfigError) {
      print(error.message, 'stderr');
      return EXIT.config;
    }
    throw error;
  }
  let store: Store;
  try {
    store = await openStore(config.database);
  } catch (error) {
    print(`ats-consent keys: could not open the database: ${describeError(error)}`, 'stderr');
    return EXIT.failed;
  }
  try {
    const apiKeys = new ApiKeys(store, new SecretHasher(config.encryptionKeys, config.encryptionKeyVersion), Date.now);
    const json = parsed.switches.has('--json');
    if (subcommand === 'create') {
      let created;
      try {
        created = await apiKeys.create({ scopes: scopes!.split(',').map((scope) => scope.trim()).filter(Boolean), name: parsed.values.get('--name'), tenantId: parsed.values.get('--tenant') ?? null });
      } catch (error) {
        if (error instanceof ApiKeyRequestError) return usageError(print, 'keys', error.message);
        throw error;
      }
      if (json) print(JSON.stringify(created));
      else {
        print(created.key);
        print(`id ${created.id}  ${describe(created)}`);
        print('This is the only time the key is shown: store it now.');
      }
      return EXIT.ok;
    }
    if (subcommand === 'list') {
      const all = await apiKeys.list();
      if (json) print(JSON.stringify(all));
      else if (all.length === 0) print('no API keys');
      else for (const key of all) print(`${key.id}  ${describe(key)}`);
      return EXIT.ok;
    }
    const id = parsed.positional[0]!;
    if (!(await apiKeys.revoke(id))) {
      print(`ats-consent keys: no key ${id.slice(0, 64)} to revoke (unknown, or already revoked)`, 'stderr');
      return EXIT.failed;
    }
    print(`revoked ${id}`);
    return EXIT.ok;
  } catch (error) {
    print(`ats-consent keys: the database failed: ${describeError(error)}`, 'stderr');
    return EXIT.failed;
  } finally {
    await store.close();
  }
}

function describe(key: ApiKeySummary): string {
  return [
    `name=${JSON.stringify(key.name)}`,
    `scopes=${key.scopes.join(',')}`,
    `tenant=${key.tenantId ?? '*'}`,
    `created=${key.createdAt.toISOString()}`,
    `last-used=${key.lastUsedAt?.toISOString() ?? 'never'}`,
    ...(key.revokedAt ? [`revoked=${key.revokedAt.toISOString()}`] : []),
  ].join('  ');
}

export const keysCommand: CliCommand = {
  name: 'keys',
  help: HELP,
  run: keys,
};
