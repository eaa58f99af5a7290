/**
 * The fake TE Recruit (Doorkeeper flavour: authorize page, token endpoint and the small API under
 * `/api`, demo/providers/) in its own process, so the kit's process holds nothing but the kit when
 * the bench measures the connection proxy. It is the provider's stand-in, not under measurement,
 * and runs through tsx. argv[2]: the kit's connect callback URL to register. Prints
 * `{ "providerUrl", "clientId", "clientSecret", "authorizePath", "tokenPath" }` once listening.
 *
 * Control lines on stdin, each answered by one JSON line on stdout (stdin closing stops it):
 *  - `access-token`: the access token issued last that the API still accepts (`{ token }`): the one
 *    the kit's connection holds, for the bench's direct calls with the same token;
 *  - `api-requests`: how many requests its API has answered so far (`{ count }`).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createProviderFakes } from '../../demo/provider-fakes.js';

const fake = createProviderFakes()['te-recruit'];
fake.redirectUris.add(process.argv[2]!);
const server = createServer(fake.handle);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const providerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// The fake records every API request for the tests; under load that is only memory: keep a count.
let apiRequests = 0;
setInterval(() => {
  apiRequests += fake.api.requests.length;
  fake.api.requests.length = 0;
}, 500).unref();

/** The newest issued token the API accepts (the fake issues an access token, then its refresh token). */
async function liveAccessToken(): Promise<string | undefined> {
  for (const token of [...fake.issuedTokens].reverse()) {
    const response = await fetch(`${providerUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status === 200) return token;
  }
  return undefined;
}

const control = createInterface({ input: process.stdin });
control.once('close', () => server.close(() => process.exit(0)));
control.on('line', (line) => {
  void (async () => {
    const command = line.trim();
    let answer: unknown;
    if (command === 'access-token') {
      const token = await liveAccessToken();
      answer = token ? { token } : { error: 'no live access token: connect first' };
    } else if (command === 'api-requests') answer = { count: apiRequests + fake.api.requests.length };
    else answer = { error: `unknown command: ${line}` };
    process.stdout.write(JSON.stringify(answer) + '\n');
  })();
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.stdout.write(
  JSON.stringify({ providerUrl, clientId: fake.options.clientId, clientSecret: fake.options.clientSecret, authorizePath: fake.paths.authorize, tokenPath: fake.paths.token }) + '\n',
);
