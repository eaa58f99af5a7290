/**
 * T18 timing in-process (issue 13, finding 11): `TokenEndpoint.issue` for a wrong secret of an
 * existing client versus an unknown client id, real SQLite and hasher, interleaved pairs with the
 * order randomised per pair. Not part of `npm run bench` or the tests (no timed assertions).
 *
 *   npx tsx test/bench/token-endpoint-timing.ts <scenario> [pairs]   (NOOP_THROTTLE=1 stubs the throttle)
 *
 *   fixed-vs-fresh  one existing id, reused, vs a new unknown id per attempt (how the finding measured)
 *   fixed-vs-fixed  one existing id vs one unknown id, both reused: the same failure history
 *   fresh-vs-fresh  a new existing id per attempt vs a new unknown id per attempt
 *   null            two unknown ids, both reused: the noise floor
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretHasher, randomId, randomSecret } from '../../server/crypto/secrets.js';
import { TokenEndpoint } from '../../server/oauth/token-endpoint.js';
import { FailureThrottle } from '../../server/security/failure-throttle.js';
import { openStore } from '../../server/store/open-store.js';

const scenario = process.argv[2] ?? 'fixed-vs-fresh';
const pairs = Number(process.argv[3] ?? 4000);
const store = await openStore({ kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'ats-t18-')), 'db.sqlite') });
const hasher = new SecretHasher(new Map([[1, randomBytes(32)]]), 1);
const known: string[] = [];
for (let i = 0; i < (scenario === 'fresh-vs-fresh' ? pairs + 200 : 1); i += 1) {
  const clientId = 'ats_' + randomId();
  known.push(clientId);
  await store.integrations.insertPending(
    { id: `row-${i}`, companyId: `C${i}`, tenantId: 't', approvedBy: 'u', issuedClientId: clientId, issuedSecretHash: hasher.hash(randomSecret()), issuedSecretPending: 'x' },
    Date.now(),
  );
}
const throttle = process.env.NOOP_THROTTLE ? ({ retryAfterSeconds: () => 0, recordFailure: () => {} } as unknown as FailureThrottle) : new FailureThrottle({ windowSeconds: 60 });
const endpoint = new TokenEndpoint({
  store,
  hasher,
  throttle,
  realm: 'https://partner.example',
  lifetimeSeconds: 3600,
  allowedScopes: [],
  maxFailuresPerClient: 1e9, // every failure answers 401, as the finding measured
  previousSecretGraceMs: 0,
  now: Date.now,
});
const reusedUnknown = ['ats_' + randomId(), 'ats_' + randomId()];
let next = 0;
const first = () => (scenario === 'null' ? reusedUnknown[1]! : scenario === 'fresh-vs-fresh' ? known[next++]! : known[0]!);
const second = () => (scenario === 'fixed-vs-fixed' || scenario === 'null' ? reusedUnknown[0]! : 'ats_' + randomId());

async function time(clientId: string): Promise<number> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: randomSecret() }).toString();
  const start = process.hrtime.bigint();
  await endpoint.issue({ hasQuery: false, isForm: true, authorization: undefined, body }).catch(() => undefined);
  return Number(process.hrtime.bigint() - start) / 1000;
}

for (let i = 0; i < 200; i += 1) await time(first()), await time(second()); // warm-up
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < pairs; i += 1) {
  if (Math.random() < 0.5) {
    a.push(await time(first()));
    b.push(await time(second()));
  } else {
    b.push(await time(second()));
    a.push(await time(first()));
  }
}
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
console.log(
  `${scenario}${process.env.NOOP_THROTTLE ? ' (throttle stubbed)' : ''}, ${pairs} pairs: wrong secret median ${median(a).toFixed(1)} µs, ` +
    `unknown median ${median(b).toFixed(1)} µs, median pair difference ${median(a.map((x, i) => x - b[i]!)).toFixed(1)} µs`,
);
await store.close();
