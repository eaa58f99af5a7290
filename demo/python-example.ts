/**
 * `npm run example:python`: runs examples/python/assessment_flow.py against the demo `npm start`
 * is running (same PORT and SR_PORT; its data in ./data).
 *
 * Keys are made as `ats-consent keys create` makes them — on the kit's database, with its
 * encryption key (the demo's, from data/demo-secrets.json) — one per kit, since the demo's two kits
 * have a database each: read,write on the assessment app, read,proxy on the General Partner kit.
 * They go to the script in its environment only, are never printed, and are revoked when it ends.
 * When a company has the assessment app enabled at the fake SR, an order is placed first (through
 * the fake's QA control route, as its **Order assessment** button does), so the script has work.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiKeys } from '../server/api-keys/api-keys.js';
import { SecretHasher } from '../server/crypto/secrets.js';
import { openStore } from '../server/store/open-store.js';
import type { Store } from '../server/store/store.js';
import type { DemoSecrets } from './demo-secrets.js';
import { DEMO_COMPANIES } from './providers/fake-sr-assessment-data.js';

const kitUrl = `http://localhost:${process.env.PORT ?? 3000}`;
const srUrl = `http://127.0.0.1:${process.env.SR_PORT ?? 3001}`;
// The demo's data directory (tests point it at their own demo's).
const dataDir = resolve(process.env.DEMO_DATA_DIR ?? 'data');
const NOT_RUNNING = `The demo is not running at ${kitUrl}: start it with "npm start" in another terminal (same PORT and SR_PORT), then run this again.`;

interface RunKey {
  store: Store;
  apiKeys: ApiKeys;
  id: string;
  key: string;
}

async function createKey(database: string, encryptionKey: string, name: string, scopes: string[]): Promise<RunKey> {
  const store = await openStore({ kind: 'sqlite', path: join(dataDir, database) });
  // The demo runs on encryption key version 1 (the default): the kit finds this key's HMAC under it.
  const apiKeys = new ApiKeys(store, new SecretHasher(new Map([[1, Buffer.from(encryptionKey, 'base64')]]), 1), Date.now);
  const created = await apiKeys.create({ name, scopes });
  return { store, apiKeys, id: created.id, key: created.key };
}

/** Places an order for an enabled company at the fake SR; says why not otherwise. */
async function placeOrder(): Promise<void> {
  const state = (await (await fetch(`${srUrl}/__fake/assessment/state`)).json()) as { integrations: Array<{ companyId: string }> };
  const companyId = state.integrations.map((item) => item.companyId).sort()[0];
  if (!companyId) {
    console.log(`No company has the assessment app enabled at the fake SR yet: click Enable (POPUP) on ${srUrl}/assessment, then run this again to see orders processed.`);
    return;
  }
  const candidateId = (DEMO_COMPANIES.find((company) => company.id === companyId) ?? DEMO_COMPANIES[0]!).candidates[0]!.id;
  const placed = await fetch(`${srUrl}/__fake/assessment/order`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ companyId, candidateId }) });
  const outcome = (await placed.json()) as { ok: boolean; orderId?: string; problems: string[] };
  console.log(outcome.ok ? `The fake SR ordered an assessment for ${companyId}: order ${outcome.orderId}.` : `The fake SR could not order for ${companyId}: ${outcome.problems.join('; ')}`);
}

function runScript(env: Record<string, string>): Promise<number> {
  return new Promise((done) => {
    const child = spawn('python3', ['examples/python/assessment_flow.py'], { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (error) => (console.error(`python3 could not start: ${error.message}`), done(1)));
    child.on('exit', (code) => done(code ?? 1));
  });
}

/** The demo's secrets file; undefined when the demo never ran here. */
function demoSecrets(): DemoSecrets | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'demo-secrets.json'), 'utf8')) as DemoSecrets;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const up = await fetch(`${kitUrl}/ats/healthz`).then((answer) => answer.ok, () => false);
  const secrets = demoSecrets();
  if (!up || !secrets) {
    console.error(NOT_RUNNING);
    return 1;
  }
  const keys: RunKey[] = [];
  try {
    keys.push(await createKey('ats-assessment.sqlite', secrets.encryptionKey, 'npm run example:python', ['read', 'write']));
    keys.push(await createKey('ats-consent.sqlite', secrets.encryptionKey, 'npm run example:python', ['read', 'proxy']));
    console.log(`Created keys ${keys.map((entry) => entry.id).join(' and ')} for this run (see ${kitUrl}/api-keys); they are revoked when it ends.`);
    await placeOrder();
    console.log('--- python3 examples/python/assessment_flow.py');
    return await runScript({
      ATS_API_URL: `${kitUrl}/ats-assessment/partner/v1`,
      ATS_API_KEY: keys[0]!.key,
      ATS_PROXY_API_URL: `${kitUrl}/ats/partner/v1`,
      ATS_PROXY_API_KEY: keys[1]!.key,
    });
  } finally {
    for (const entry of keys) {
      await entry.apiKeys.revoke(entry.id);
      await entry.store.close();
    }
  }
}

process.exitCode = await main();
