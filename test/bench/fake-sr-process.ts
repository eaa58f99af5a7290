/**
 * The fake SmartRecruiters (General Partner and Assessment sides) in its own process, so the kit's
 * process holds nothing but the kit. It is the provider's stand-in, not under measurement, and runs
 * through tsx. Prints `{ "srUrl": … }` once listening.
 *
 * Control lines on stdin, each answered by one JSON line on stdout (stdin closing stops it):
 *  - `issued <companyId>` / `issued-assessment <companyId>`: the credentials the kit sent SR for
 *    that company's integration (`{ clientId, clientSecret }`), as the fake recorded them;
 *  - `consent <companyId>`: records the customer's SR-side consent to the assessment app (SR does
 *    this before it opens the partner's consent page).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { FakeSmartRecruiters } from '../../demo/providers/fake-smartrecruiters.js';
import { FakeSmartRecruitersAssessment } from '../../demo/providers/fake-sr-assessment.js';
import { BENCH_SR } from './bench-sr-credentials.js';

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const srUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const fakeSr = new FakeSmartRecruiters({
  appId: BENCH_SR.appId,
  masterClientId: BENCH_SR.general.clientId,
  masterClientSecret: BENCH_SR.general.clientSecret,
  assessment: new FakeSmartRecruitersAssessment({ ...BENCH_SR.assessment.master, apiOrigin: () => srUrl }),
});
server.on('request', fakeSr.handle);

function issued(integration: { partnerClientId?: string | null; partnerClientSecret?: string | null } | undefined) {
  if (!integration?.partnerClientId || !integration.partnerClientSecret) return { error: 'no such integration' };
  return { clientId: integration.partnerClientId, clientSecret: integration.partnerClientSecret };
}

const control = createInterface({ input: process.stdin });
control.once('close', () => server.close(() => process.exit(0)));
control.on('line', (line) => {
  const [command, companyId = ''] = line.trim().split(/\s+/);
  let answer: unknown;
  if (command === 'issued') answer = issued(fakeSr.integrations.get(companyId));
  else if (command === 'issued-assessment') answer = issued(fakeSr.assessment!.integrations.get(companyId));
  else if (command === 'consent') answer = (fakeSr.assessment!.recordConsent(companyId), { ok: true });
  else answer = { error: `unknown command: ${line}` };
  process.stdout.write(JSON.stringify(answer) + '\n');
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.stdout.write(JSON.stringify({ srUrl }) + '\n');
