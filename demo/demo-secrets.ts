/**
 * Demo-only secrets, generated once into the data directory so sessions and stored credentials
 * survive restarts. Real deployments pass their own through configuration.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DemoSecrets {
  sessionSecret: string;
  encryptionKey: string;
  masterClientSecret: string;
  /** The fake SmartRecruiters' master secret of the demo's assessment app (seed 003). */
  assessmentMasterClientSecret: string;
}

export function loadOrCreateDemoSecrets(dataDir: string, warn: (message: string) => void): DemoSecrets {
  const file = join(dataDir, 'demo-secrets.json');
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoSecrets>) : null;
  // A file from an older demo lacks newer secrets: they are added, the others kept.
  if (existing && Object.keys(generate()).every((key) => typeof existing[key as keyof DemoSecrets] === 'string')) return existing as DemoSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: DemoSecrets = { ...generate(), ...existing };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  warn(`WARNING: generated demo-only secrets into ${file}. Never use them outside the demo.`);
  return secrets;
}

function generate(): DemoSecrets {
  return {
    sessionSecret: randomBytes(32).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
    masterClientSecret: randomBytes(24).toString('base64url'),
    assessmentMasterClientSecret: randomBytes(24).toString('base64url'),
  };
}
