/**
 * The package as a partner receives it: `npm pack` here (its `prepack` builds), then the tarball
 * installed into a fresh temporary project with the consumer fixtures beside it. npm's cache makes
 * the install quick except for better-sqlite3, which compiles from source here (about 2 minutes).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface InstalledPackage {
  /** The consumer project: package.json, node_modules with ats-consent, and the fixtures of ./consumer. */
  dir: string;
  tarball: string;
}

const versionOf = (name: string) => (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;

export function packAndInstall(): InstalledPackage {
  const packDir = mkdtempSync(join(tmpdir(), 'ats-pack-'));
  execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = join(packDir, readdirSync(packDir).find((name) => name.endsWith('.tgz'))!);

  const dir = mkdtempSync(join(tmpdir(), 'ats-consumer-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  cpSync(new URL('./consumer', import.meta.url), dir, { recursive: true });
  // TypeScript and Node's types as a TypeScript partner has them (the versions this repo uses, so npm's cache serves them).
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, `typescript@${versionOf('typescript')}`, `@types/node@${versionOf('@types/node')}`],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return { dir, tarball };
}
