/**
 * The demo (kit + fake SmartRecruiters) in its own process, so the bench's load generator does not
 * count toward its memory. It connects one company through the real consent API, then prints one
 * JSON line with its URLs and that company's issued credentials (read from the fake SR), and serves
 * until killed. BENCH_DATABASE_URL switches the kit to PostgreSQL.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealData } from 'iron-session';
import { startDemo } from '../../demo/start-demo.js';
import { DEMO_USERS } from '../../demo/users.js';
import { CSRF_HEADER, SESSION_HEADER } from '../../widget/protocol/http.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ats-bench-'));
const databaseUrl = process.env.BENCH_DATABASE_URL;
const demo = await startDemo({
  kitPort: 0,
  srPort: 0,
  providerPorts: [0, 0, 0],
  dataDir,
  logLevel: 'silent',
  warn: () => {},
  // The bench approves thousands of companies as one user: lift the per-user claim limit.
  kitOptions: { companyClaims: { maxPerUser: 1_000_000, maxPerTenant: 1_000_000 }, ...(databaseUrl ? { databaseUrl } : {}) },
});
const { sessionSecret } = JSON.parse(readFileSync(join(dataDir, 'demo-secrets.json'), 'utf8')) as { sessionSecret: string };
const { passwordHash: _hash, username: _name, ...user } = DEMO_USERS[0]!;
const seal = await sealData(
  { csrf: 'bench', txn: { id: 'bench', companyId: 'BENCH-TOKEN-CO', redirect: null }, user, signedInAt: Date.now() },
  { password: sessionSecret, ttl: 900 },
);
const approved = await fetch(demo.kitUrl + demo.kit.paths.approve, {
  method: 'POST',
  headers: { origin: demo.kitUrl, 'content-type': 'application/json', [SESSION_HEADER]: seal, [CSRF_HEADER]: 'bench' },
  body: '{}',
});
if (approved.status !== 200) throw new Error(`bench setup approval failed: ${approved.status}`);
const issued = demo.fakeSr.integrations.get('BENCH-TOKEN-CO')!;
process.stdout.write(
  JSON.stringify({
    kitUrl: demo.kitUrl,
    srUrl: demo.srUrl,
    dataDir,
    paths: demo.kit.paths,
    client: { clientId: issued.partnerClientId, clientSecret: issued.partnerClientSecret },
  }) + '\n',
);
// SIGUSR2: report memory (after a full GC, when --expose-gc is on) as one JSON line.
process.on('SIGUSR2', () => {
  const rssBeforeGc = process.memoryUsage().rss;
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed } = process.memoryUsage();
  process.stdout.write(JSON.stringify({ rssBeforeGc, heapUsedAfterGc: heapUsed }) + '\n');
});
process.once('SIGTERM', () => void demo.stop().then(() => process.exit(0)));
